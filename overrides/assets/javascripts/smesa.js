// Site-wide behaviour that Material does not give (overrides/partials/header.html):
// the menu button opens the drawer, the language links carry the page's query (the case
// library's filters, the search) to the other language, and the search page runs the
// query of its URL (?q=) and keeps the URL in step with what is typed.
(function () {
  "use strict";
  var drawer = document.getElementById("__drawer");
  var button = document.querySelector(".smesa-menu-button");
  if (drawer && button) {
    var sync = function () { button.setAttribute("aria-expanded", String(drawer.checked)); };
    button.addEventListener("click", function () {
      drawer.checked = !drawer.checked;
      drawer.dispatchEvent(new Event("change"));
      sync();
      if (drawer.checked) {
        var first = document.querySelector(".md-sidebar--primary a.md-nav__link");
        if (first) setTimeout(function () { first.focus(); }, 260);
      }
    });
    drawer.addEventListener("change", sync);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && drawer.checked) {
        drawer.checked = false;
        drawer.dispatchEvent(new Event("change"));
        sync();
        button.focus();
      }
    });
  }

  // A table or chart wider than its frame scrolls inside it: the frame takes focus, so
  // keyboard users can scroll it too (WCAG 2.1.1; axe scrollable-region-focusable).
  // Material wraps tables once it has mounted the page, so this runs again then.
  function focusableScrollers() {
    var frames = document.querySelectorAll(".md-typeset__scrollwrap, .smesa-chart-frame");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.scrollWidth > frame.clientWidth + 1) frame.setAttribute("tabindex", "0");
      else frame.removeAttribute("tabindex");
    }
  }
  focusableScrollers();
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(function () { setTimeout(focusableScrollers, 0); });
  }
  window.addEventListener("load", focusableScrollers);
  window.addEventListener("resize", focusableScrollers);

  // Called by the case filters and the search page when their query changes.
  function carryQuery() {
    var query = window.location.search;
    var links = document.querySelectorAll("a.md-select__link[hreflang]");
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      var base = link.getAttribute("data-smesa-href") || link.getAttribute("href");
      link.setAttribute("data-smesa-href", base);
      link.setAttribute("href", base.split("?")[0] + query);
    }
  }
  window.smesaCarryQuery = carryQuery;
  carryQuery();

  // The header's search box: the query goes to the search page in its URL.
  var q = new URLSearchParams(window.location.search).get("q") || "";
  var box = document.getElementById("smesa-q");
  var go = document.querySelector(".smesa-search-form__button");
  if (box && go) {
    if (q) box.value = q;
    var search = function (event) {
      var term = box.value.trim();
      if (!term) return;
      if (event) event.preventDefault();
      var url = new URL(go.href, window.location.href);
      url.search = "?q=" + encodeURIComponent(term);
      window.location.assign(url.toString());
    };
    box.addEventListener("keydown", function (event) { if (event.key === "Enter") search(event); });
    go.addEventListener("click", search);
  }
})();

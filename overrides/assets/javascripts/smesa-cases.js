// Case library filters (smesa/templates/cases.md.j2). Progressive enhancement: without
// JavaScript the filters stay hidden and every case is listed. The filter state lives in
// the URL query (?year=&economy=&topic=) so a shared link, a reload or the language
// switch (smesa.js) keeps it. Each option shows how many cases it would leave, given
// the other two filters; when none is left, the empty state offers a reset.
(function () {
  "use strict";
  var list = document.getElementById("case-list");
  var controls = document.getElementById("case-filters");
  if (!list || !controls) return;
  var count = document.getElementById("case-count");
  var empty = document.getElementById("case-empty");
  var items = list.querySelectorAll("li.smesa-case");
  var filters = {
    year: document.getElementById("filter-year"),
    economy: document.getElementById("filter-economy"),
    topic: document.getElementById("filter-topic"),
  };
  var keys = Object.keys(filters);
  var chinese = document.documentElement.lang.indexOf("zh") === 0;

  function has(item, key, value) {
    if (!value) return true;
    if (key === "topic") {
      return (item.getAttribute("data-topics") || "").split(" ").indexOf(value) >= 0;
    }
    return item.getAttribute("data-" + key) === value;
  }

  function matches(item, wanted, except) {
    for (var i = 0; i < keys.length; i++) {
      if (keys[i] !== except && !has(item, keys[i], wanted[keys[i]])) return false;
    }
    return true;
  }

  function current() {
    var wanted = {};
    keys.forEach(function (key) { wanted[key] = filters[key] ? filters[key].value : ""; });
    return wanted;
  }

  // "2025 (3)": how many cases the option leaves with the other filters as they are.
  function label(wanted) {
    keys.forEach(function (key) {
      var select = filters[key];
      if (!select) return;
      for (var i = 0; i < select.options.length; i++) {
        var option = select.options[i];
        if (!option.hasAttribute("data-label")) option.setAttribute("data-label", option.textContent);
        var n = 0;
        for (var j = 0; j < items.length; j++) {
          if (matches(items[j], wanted, key) && has(items[j], key, option.value)) n++;
        }
        option.textContent = option.getAttribute("data-label") + (chinese ? "（" + n + "）" : " (" + n + ")");
      }
    });
  }

  function apply(updateUrl) {
    var wanted = current();
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var visible = matches(items[i], wanted);
      items[i].hidden = !visible;
      if (visible) shown++;
    }
    if (count) count.textContent = String(shown);
    if (empty) empty.hidden = shown > 0;
    label(wanted);
    if (updateUrl) {
      var url = new URL(window.location.href);
      keys.forEach(function (key) {
        if (wanted[key]) url.searchParams.set(key, wanted[key]);
        else url.searchParams.delete(key);
      });
      history.replaceState(history.state, "", url.toString());
      if (window.smesaCarryQuery) window.smesaCarryQuery();
    }
  }

  function reset() {
    keys.forEach(function (key) { if (filters[key]) filters[key].value = ""; });
    apply(true);
  }

  // Restore the state from the URL; values that match no option are ignored.
  var query = new URLSearchParams(window.location.search);
  keys.forEach(function (key) {
    var select = filters[key];
    if (!select) return;
    var value = query.get(key);
    for (var i = 0; value !== null && i < select.options.length; i++) {
      if (select.options[i].value === value) select.value = value;
    }
    select.addEventListener("change", function () { apply(true); });
  });
  var resets = document.querySelectorAll(".smesa-filter-reset");
  for (var r = 0; r < resets.length; r++) resets[r].addEventListener("click", reset);
  controls.hidden = false;
  apply(false);
})();

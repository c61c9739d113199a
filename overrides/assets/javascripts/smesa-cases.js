// Case library filters (smesa/templates/cases.md.j2). Progressive enhancement: without
// JavaScript the filters stay hidden and every case is listed. The filter state lives in
// the URL query (?year=&economy=&topic=) so a shared link or a reload keeps it.
(function () {
  "use strict";
  var list = document.getElementById("case-list");
  var controls = document.getElementById("case-filters");
  if (!list || !controls) return;
  var count = document.getElementById("case-count");
  var items = list.querySelectorAll("li.smesa-case");
  var filters = {
    year: document.getElementById("filter-year"),
    economy: document.getElementById("filter-economy"),
    topic: document.getElementById("filter-topic"),
  };
  var keys = Object.keys(filters);

  function matches(item, wanted) {
    if (wanted.year && item.getAttribute("data-year") !== wanted.year) return false;
    if (wanted.economy && item.getAttribute("data-economy") !== wanted.economy) return false;
    if (wanted.topic) {
      var topics = (item.getAttribute("data-topics") || "").split(" ");
      if (topics.indexOf(wanted.topic) < 0) return false;
    }
    return true;
  }

  function apply(updateUrl) {
    var wanted = {};
    keys.forEach(function (key) { wanted[key] = filters[key] ? filters[key].value : ""; });
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var visible = matches(items[i], wanted);
      items[i].hidden = !visible;
      if (visible) shown++;
    }
    if (count) count.textContent = String(shown);
    if (updateUrl) {
      var url = new URL(window.location.href);
      keys.forEach(function (key) {
        if (wanted[key]) url.searchParams.set(key, wanted[key]);
        else url.searchParams.delete(key);
      });
      history.replaceState(history.state, "", url.toString());
    }
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
  controls.hidden = false;
  apply(false);
})();

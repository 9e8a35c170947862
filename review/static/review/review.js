// Review page: keep "N tasks not rated yet" in step with the ratings chosen before saving.
(function () {
  "use strict";
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-rating-group]"));
  var counters = document.querySelectorAll("[data-unrated]");
  if (!groups.length || !counters.length) { return; }

  function refresh() {
    var unrated = groups.filter(function (group) {
      var checked = group.querySelector("input[type=radio]:checked");
      return !checked || checked.value === "";
    }).length;
    counters.forEach(function (el) { el.textContent = unrated; });
    document.querySelectorAll("[data-unrated-note]").forEach(function (el) { el.hidden = unrated === 0; });
  }

  groups.forEach(function (group) { group.addEventListener("change", refresh); });
  refresh();
})();

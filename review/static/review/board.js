// Status board: tick reports for "accept the ticked reports" and keep the count on the button and in the dialog.
(function () {
  "use strict";
  var all = document.getElementById("select-all");
  var button = document.getElementById("accept-selected-button");
  var boxes = Array.prototype.slice.call(document.querySelectorAll(".report-check"));
  if (!button) { return; }

  function refresh() {
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    document.querySelectorAll("[data-selected-count]").forEach(function (el) { el.textContent = ticked; });
    button.disabled = ticked === 0;
    if (all) {
      all.checked = ticked > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
      all.disabled = boxes.length === 0;
    }
  }

  if (all) {
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      refresh();
    });
  }
  boxes.forEach(function (box) { box.addEventListener("change", refresh); });
  refresh();
})();

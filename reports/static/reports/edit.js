/* The report form: add rows to the lists, confirm removals, warn before leaving with unsaved changes. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }

  // Rows of the documents and activities lists: copy the empty row, numbered after the last one.
  document.querySelectorAll("[data-formset]").forEach(function (box) {
    var prefix = box.getAttribute("data-formset");
    var total = box.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var rows = box.querySelector("[data-formset-rows]");
    var template = box.querySelector("template[data-formset-template]");
    var add = box.querySelector("[data-formset-add]");
    if (!total || !rows || !template || !add) { return; }
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10) || 0;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = rows.lastElementChild.querySelector("input:not([type=hidden]), textarea");
      if (first) { first.focus(); }
    });
    box.addEventListener("change", function (event) {
      if (event.target.name && /-DELETE$/.test(event.target.name)) {
        event.target.closest("[data-formset-row]").classList.toggle("to-delete", event.target.checked);
      }
    });
  });

  // Buttons that remove something ask first.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // Leaving the page with unsaved changes: the browser asks.
  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = form.getAttribute("data-unsaved-warning") || "";
    }
  });
})();

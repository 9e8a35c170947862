/* The report form: add rows to the lists, confirm removals, warn before leaving with unsaved changes, and keep a
   copy of what was typed in this tab until the save succeeds (a login that expired, or a page that went stale,
   would otherwise lose it). */
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

  // The copy kept in this tab: written when the form is sent, offered back when the same version of the report
  // comes back (the save did not happen), dropped once the report has a newer version (the save happened).
  var versionInput = form.querySelector("input[name='version']");
  var key = "report-backup-" + (form.getAttribute("data-report") || "");
  var store = null;
  try { store = window.sessionStorage; } catch (e) { store = null; }
  if (!store || !versionInput) { return; }

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file" && el.type !== "hidden" &&
        el.type !== "submit" && el.type !== "button";
    });
  }
  function snapshot() {
    var values = {};
    fields().forEach(function (el) {
      if (el.type === "radio") { if (el.checked) { values[el.name] = el.value; } }
      else if (el.type === "checkbox") { values[el.name] = el.checked ? "on" : ""; }
      else { values[el.name] = el.value; }
    });
    return values;
  }
  form.addEventListener("submit", function () {
    store.setItem(key, JSON.stringify({version: versionInput.value, at: Date.now(), values: snapshot()}));
  });

  var saved = null;
  try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
  if (!saved) { return; }
  var current = snapshot();
  var differs = Object.keys(saved.values).some(function (name) {
    return name in current && current[name] !== saved.values[name];
  });
  if (saved.version !== versionInput.value || !differs) { store.removeItem(key); return; }

  var banner = document.getElementById("restore-banner");
  if (!banner) { return; }
  var when = new Date(saved.at);
  banner.querySelector("[data-restore-time]").textContent =
    ("0" + when.getHours()).slice(-2) + ":" + ("0" + when.getMinutes()).slice(-2);
  banner.hidden = false;
  banner.querySelector("[data-restore]").addEventListener("click", function () {
    fields().forEach(function (el) {
      if (!(el.name in saved.values)) { return; }
      var value = saved.values[el.name];
      if (el.type === "radio") { el.checked = el.value === value; }
      else if (el.type === "checkbox") { el.checked = value === "on"; }
      else { el.value = value; }
    });
    dirty = true;
    store.removeItem(key);
    banner.hidden = true;
  });
  banner.querySelector("[data-restore-discard]").addEventListener("click", function () {
    store.removeItem(key);
    banner.hidden = true;
  });
})();

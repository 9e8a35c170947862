/* Behaviour shared by every page, kept out of the HTML: the Content-Security-Policy allows no inline handlers.
 *   data-autosubmit  on a form control: sends its form when the choice changes (the language menu);
 *   data-history-back on a button: goes back to the previous page. */
(function () {
  "use strict";
  document.querySelectorAll("[data-autosubmit]").forEach(function (control) {
    control.addEventListener("change", function () { control.form.submit(); });
  });
  document.querySelectorAll("[data-history-back]").forEach(function (button) {
    button.addEventListener("click", function () { window.history.back(); });
  });
})();

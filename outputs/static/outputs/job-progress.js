// Progress of the consolidated PDF being prepared: polls the job's status and offers the download when ready.
(function () {
  "use strict";
  var box = document.getElementById("pdf-job");
  if (!box) { return; }
  var meter = box.querySelector(".progress");
  var bar = box.querySelector(".progress-bar");
  var label = box.querySelector("[data-role=label]");
  var link = box.querySelector("[data-role=download]");

  function show(progress) {
    bar.style.width = progress + "%";
    bar.textContent = progress + "%";
    meter.setAttribute("aria-valuenow", String(progress));
  }

  function finish(text, href, failed) {
    meter.classList.add("d-none");
    label.textContent = text;
    if (failed) {
      label.classList.add("text-danger");
      link.textContent = box.dataset.retryText;
      link.classList.replace("btn-danger", "btn-outline-danger");
    }
    link.href = href;
    link.classList.remove("d-none");
    link.focus();
  }

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (status) {
        show(status.progress);
        if (status.ready) { return finish(box.dataset.readyText, status.download_url, false); }
        if (status.failed) { return finish(box.dataset.failedText, status.download_url, true); }
        label.textContent = status.label + " – " + status.progress + "%";
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 4000); });  // the server may be restarting: keep asking
  }

  show(Number(meter.dataset.progress) || 0);  // set here: the Content-Security-Policy refuses style attributes
  window.setTimeout(poll, 1000);
})();

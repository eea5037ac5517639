// The week page follows a running solve: the run panel is updated from the run's JSON status
// every two seconds, and the page is loaded again only when the run has ended.
(function () {
  "use strict";
  const panel = document.getElementById("run-panel");
  if (!panel) { return; }
  const summary = panel.querySelector("[data-run=summary]");
  const elapsed = panel.querySelector("[data-run=elapsed]");
  function show(data) {
    if (data.state !== "queued" && data.state !== "running") {
      window.location.reload();
      return;
    }
    if (summary && data.summary) { summary.textContent = data.summary; }
    if (elapsed && data.elapsed !== null && data.elapsed !== undefined) {
      elapsed.textContent = Math.round(data.elapsed) + " / " + Math.round(data.time_limit) + " s";
    }
    setTimeout(poll, 2000);
  }
  function poll() {
    fetch(panel.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(show)
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 2000);
}());

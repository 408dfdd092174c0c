// Live delivery progress of a circular letter in the admin: polls a JSON endpoint and
// updates the counts. Without JavaScript the page's "Reload" link does the same.
(function () {
  "use strict";
  var box = document.getElementById("circular-progress");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-url");
  function set(name, value) {
    var el = box.querySelector('[data-field="' + name + '"]');
    if (el) { el.textContent = String(value); }
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        ["total", "queued", "sent", "failed", "status_label"].forEach(function (name) {
          set(name, data[name]);
        });
        var bar = box.querySelector('[data-field="bar"]');
        if (bar) { bar.max = data.total || 1; bar.value = data.sent; }
        if (!data.done) { window.setTimeout(poll, 2000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();

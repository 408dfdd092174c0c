// Live delivery progress of a circular letter in the admin: polls the refresh endpoint (a
// POST: it marks the circular sent once all mail has left) and updates the counts. Without
// JavaScript the page's "Reload" button does the same.
(function () {
  "use strict";
  var box = document.getElementById("circular-progress");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-url");
  var csrf = document.querySelector("#circular-refresh input[name=csrfmiddlewaretoken]");
  function set(name, value) {
    var el = box.querySelector('[data-field="' + name + '"]');
    if (el) { el.textContent = String(value); }
  }
  function poll() {
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrf ? csrf.value : "" }
    })
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

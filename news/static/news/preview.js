// Live Markdown preview of the post editor: sends the text to the server, which returns
// the same sanitised HTML the published post will show. Without JavaScript the form's
// "Preview" button does the same with a page reload.
(function () {
  "use strict";
  var source = document.querySelector("[data-news-preview-source]");
  var target = document.getElementById("news-preview");
  if (!source || !target || !window.fetch) {
    return;
  }
  var form = source.form;
  var tokenInput = form && form.querySelector("input[name=csrfmiddlewaretoken]");
  var timer = null;
  var sequence = 0;

  function update() {
    var mine = ++sequence;
    var body = new URLSearchParams();
    body.append("body", source.value);
    fetch(target.dataset.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": tokenInput ? tokenInput.value : "" },
      body: body,
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && mine === sequence) {
          target.innerHTML = data.html; // sanitised by the server (nh3)
        }
      })
      .catch(function () {});
  }

  source.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 400);
  });
  if (source.value) {
    update();
  }
})();

/* Presentation view: arrow keys, space and Escape follow the links on the page. */
(function () {
  "use strict";
  var body = document.body;
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = "";
    if (event.key === "ArrowRight" || event.key === "PageDown" || event.key === " ") {
      target = body.dataset.next;
    } else if (event.key === "ArrowLeft" || event.key === "PageUp") {
      target = body.dataset.previous;
    } else if (event.key === "Escape") {
      target = body.dataset.exit;
    }
    if (target) {
      event.preventDefault();
      window.location.href = target;
    }
  });
  if (document.documentElement.requestFullscreen) {
    document.addEventListener("keydown", function (event) {
      if (event.key === "f" && !document.fullscreenElement) {
        document.documentElement.requestFullscreen().catch(function () {});
      }
    });
  }
})();

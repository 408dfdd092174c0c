/* Ranking questions: drag and drop, buttons and Alt+Arrow keys reorder the list in place.
   Without JavaScript the arrow buttons submit the form and the server moves the entry. */
(function () {
  "use strict";

  function refresh(list) {
    var items = list.querySelectorAll(".ranking-item");
    items.forEach(function (item, index) {
      item.querySelector(".ranking-up").disabled = index === 0;
      item.querySelector(".ranking-down").disabled = index === items.length - 1;
    });
  }

  function announce(list, item) {
    var status = list.parentNode.querySelector("[data-ranking-status]");
    if (!status) { return; }
    var items = Array.prototype.slice.call(list.querySelectorAll(".ranking-item"));
    var text = item.querySelector(".ranking-text").textContent;
    var lang = document.documentElement.lang || "de";
    var position = items.indexOf(item) + 1;
    status.textContent = lang.indexOf("de") === 0
      ? text + ": Platz " + position + " von " + items.length
      : text + ": position " + position + " of " + items.length;
  }

  function move(list, item, direction) {
    if (direction === "up" && item.previousElementSibling) {
      list.insertBefore(item, item.previousElementSibling);
    } else if (direction === "down" && item.nextElementSibling) {
      list.insertBefore(item.nextElementSibling, item);
    } else {
      return false;
    }
    refresh(list);
    announce(list, item);
    return true;
  }

  function setup(list) {
    var dragged = null;
    list.classList.add("ranking-js");

    list.addEventListener("click", function (event) {
      var button = event.target.closest("button[name=move]");
      if (!button) { return; }
      event.preventDefault();
      var item = button.closest(".ranking-item");
      var direction = button.classList.contains("ranking-up") ? "up" : "down";
      move(list, item, direction);
      var same = item.querySelector(direction === "up" ? ".ranking-up" : ".ranking-down");
      (same.disabled ? item : same).focus();
    });

    list.addEventListener("keydown", function (event) {
      var item = event.target.closest(".ranking-item");
      if (!item || event.target !== item || !event.altKey) { return; }
      if (event.key === "ArrowUp" || event.key === "ArrowDown") {
        event.preventDefault();
        move(list, item, event.key === "ArrowUp" ? "up" : "down");
        item.focus();
      }
    });

    list.addEventListener("dragstart", function (event) {
      dragged = event.target.closest(".ranking-item");
      if (!dragged) { return; }
      dragged.classList.add("ranking-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.dataset.option);
    });

    list.addEventListener("dragover", function (event) {
      var over = event.target.closest(".ranking-item");
      if (!dragged || !over || over === dragged) { return; }
      event.preventDefault();
      var box = over.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? over.nextElementSibling : over);
    });

    list.addEventListener("drop", function (event) {
      if (dragged) { event.preventDefault(); }
    });

    list.addEventListener("dragend", function () {
      if (!dragged) { return; }
      dragged.classList.remove("ranking-dragging");
      refresh(list);
      announce(list, dragged);
      dragged = null;
    });
  }

  document.querySelectorAll("[data-ranking]").forEach(setup);

  // After a move without JavaScript-handled buttons the server re-renders: nothing to do.
})();

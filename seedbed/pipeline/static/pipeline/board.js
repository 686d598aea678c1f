// Portfolio board: drag a card to the next or the previous stage column to move it through the
// gate. The move is the same POST as the card's arrow buttons (the gate's board-move endpoint),
// sent with the hidden form #board-move, which carries the page's CSRF token. Deciders only:
// the page marks draggable exactly the cards this person may move.
(function () {
  "use strict";
  var board = document.querySelector("[data-board]");
  var form = document.getElementById("board-move");
  if (!board || !form) {
    return;
  }
  var dragged = null;

  function columnOf(node) {
    return node && node.closest ? node.closest("[data-stage-position]") : null;
  }

  function directionTo(column) {
    // One stage at a time: forward to the next column, back to the previous one.
    if (!dragged || !column) {
      return "";
    }
    var from = Number(dragged.dataset.position);
    var to = Number(column.dataset.stagePosition);
    if (to === from + 1) {
      return "forward";
    }
    if (to === from - 1) {
      return "back";
    }
    return "";
  }

  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest ? event.target.closest("[data-move-url]") : null;
    if (!card) {
      return;
    }
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
  });

  board.addEventListener("dragend", function () {
    if (dragged) {
      dragged.classList.remove("is-dragging");
    }
    dragged = null;
    board.querySelectorAll(".drop-target").forEach(function (node) {
      node.classList.remove("drop-target");
    });
  });

  board.addEventListener("dragover", function (event) {
    var column = columnOf(event.target);
    if (directionTo(column)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      column.classList.add("drop-target");
    }
  });

  board.addEventListener("dragleave", function (event) {
    var column = columnOf(event.target);
    if (column && !column.contains(event.relatedTarget)) {
      column.classList.remove("drop-target");
    }
  });

  board.addEventListener("drop", function (event) {
    var column = columnOf(event.target);
    var direction = directionTo(column);
    if (!direction) {
      return;
    }
    event.preventDefault();
    var card = dragged;
    var verb = direction === "forward" ? "forward through its gate" : "back a stage";
    var rationale = window.prompt("Why move “" + card.dataset.title + "” " + verb + "?");
    if (rationale === null || !rationale.trim()) {
      column.classList.remove("drop-target");
      return;
    }
    form.action = card.dataset.moveUrl;
    form.elements.direction.value = direction;
    form.elements.rationale.value = rationale.trim();
    form.elements.stage_id.value = card.dataset.stageId;
    form.elements.round.value = card.dataset.round;
    form.submit();
  });
})();

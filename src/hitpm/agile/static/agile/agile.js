// Agile boards: drag and drop with SortableJS, saved on the server through HTMX.
// The server answers with the board again (or the backlog), so the page always shows what
// was stored: a refused move puts the card back and shows why.
(function () {
  "use strict";

  function post(url, target, values) {
    window.htmx.ajax("POST", url, { target: target, swap: "outerHTML", values: values });
  }

  function initBoard(root) {
    var board = root.querySelector("#board[data-editable]") || (root.id === "board" && root.dataset.editable ? root : null);
    if (!board || !window.Sortable) {
      return;
    }
    board.querySelectorAll("ol.cell").forEach(function (cell) {
      window.Sortable.create(cell, {
        group: "board",
        animation: 120,
        forceFallback: true,
        draggable: ".kcard",
        onEnd: function (event) {
          if (event.from === event.to) {
            return;
          }
          var item = event.item.dataset.item;
          post(board.dataset.moveUrl + item + "/", "#board", {
            column: event.to.dataset.column,
            lane: event.to.dataset.lane
          });
        }
      });
    });
  }

  function neighbour(element, forward) {
    var next = forward ? element.nextElementSibling : element.previousElementSibling;
    while (next && !next.dataset.item) {
      next = forward ? next.nextElementSibling : next.previousElementSibling;
    }
    return next ? next.dataset.item : "";
  }

  function initPlanning(root) {
    var planning = root.querySelector("#planning[data-editable]") || (root.id === "planning" && root.dataset.editable ? root : null);
    if (!planning || !window.Sortable) {
      return;
    }
    planning.querySelectorAll("ol.plan-list").forEach(function (list) {
      window.Sortable.create(list, {
        group: "plan",
        animation: 120,
        forceFallback: true,
        draggable: "[data-item]",
        onEnd: function (event) {
          if (event.from === event.to && event.oldIndex === event.newIndex) {
            return;
          }
          post(planning.dataset.rankUrl, "#planning", {
            item: event.item.dataset.item,
            sprint: event.to.dataset.sprint,
            after: neighbour(event.item, false),
            before: neighbour(event.item, true)
          });
        }
      });
    });
  }

  function init(root) {
    initBoard(root);
    initPlanning(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    init(event.detail.elt.parentElement || document);
  });
})();

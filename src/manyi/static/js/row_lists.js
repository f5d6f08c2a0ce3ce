// Lists of repeated rows (a diagnosis report's findings and recommendations, the actions of an
// answer to it): add a row from the list's <template>, remove one, and number the rows again
// (F1, F2 … with the list's data-prefix). The buttons stay hidden without JavaScript: the page
// then offers one spare row, and another after each save.
(function () {
  "use strict";

  function renumber(list) {
    var prefix = list.getAttribute("data-prefix") || "";
    var name = list.getAttribute("data-rows");
    Array.prototype.forEach.call(list.children, function (row, i) {
      var key = prefix + (i + 1);
      var label = row.querySelector("[data-row-key]");
      var field = row.querySelector("textarea, input, select");
      if (field) { field.id = name + "-" + key; }
      if (label) {
        label.textContent = key;
        if (field) { label.htmlFor = field.id; }
      }
    });
  }

  function wire(row, list) {
    row.querySelectorAll("[data-remove-row]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        row.remove();
        renumber(list);
      });
    });
  }

  document.querySelectorAll("[data-rows]").forEach(function (list) {
    var name = list.getAttribute("data-rows");
    var template = document.querySelector('template[data-row-template="' + name + '"]');
    var add = document.querySelector('[data-add-row="' + name + '"]');
    Array.prototype.forEach.call(list.children, function (row) { wire(row, list); });
    if (!template || !add) { return; }
    add.hidden = false;
    add.addEventListener("click", function () {
      var row = template.content.firstElementChild.cloneNode(true);
      list.appendChild(row);
      wire(row, list);
      renumber(list);
      var field = row.querySelector("textarea, input, select");
      if (field) { field.focus(); }
    });
  });
})();

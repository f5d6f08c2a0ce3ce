// Live character counts for the materials, counted as a Chinese reader does (the same rule as
// form_specs.count_chars on the server): each Chinese character or full-width mark is one, a run
// of Latin letters or digits is one, spaces do not count.
(function () {
  "use strict";
  var WORD = /[A-Za-z0-9]+(?:(?:[.\-\/_']|,(?=\d{3}))[A-Za-z0-9]+)*/g;
  function count(text) {
    var words = text.match(WORD) || [];
    var rest = text.replace(WORD, "").replace(/\s+/g, "");
    return words.length + Array.from(rest).length;
  }
  document.querySelectorAll("[data-counter-for]").forEach(function (out) {
    var field = document.getElementById(out.getAttribute("data-counter-for"));
    if (!field) { return; }
    var min = parseInt(field.getAttribute("data-min-chars") || "0", 10);
    var max = parseInt(field.getAttribute("data-max-chars") || "0", 10);
    function update() {
      var n = count(field.value);
      var limit = min ? min + "–" + max : "≤ " + max;
      out.textContent = n + " / " + limit;
      var bad = (max && n > max) || (min && n > 0 && n < min);
      out.classList.toggle("text-danger", !!bad);
      out.classList.toggle("text-success", !bad && n > 0);
    }
    field.addEventListener("input", update);
    update();
  });
})();

// The web questionnaire (fieldwork/web/answer.html). No inline script: the CSP forbids it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-web-survey]");
  if (!form) {
    return;
  }
  // A screening question answered "no" ends the questionnaire: the questions after it are
  // hidden (the server ignores them anyway) and a note says to submit.
  var questions = Array.prototype.slice.call(form.querySelectorAll("li.question"));
  var endNote = document.getElementById("screened-out-note");
  function applyScreening() {
    var ended = false;
    questions.forEach(function (item) {
      item.hidden = ended;
      if (!ended && item.getAttribute("data-purpose") === "screen") {
        ended = item.querySelector("input[value=no]:checked") !== null;
      }
    });
    if (endNote) {
      endNote.hidden = !ended;
    }
  }
  form.addEventListener("change", applyScreening);
  applyScreening();
  // When the autosave cannot reach the server, say so (the next change tries again).
  var note = document.getElementById("autosave");
  function offline() {
    if (note) {
      note.textContent = note.getAttribute("data-offline");
    }
  }
  document.body.addEventListener("htmx:sendError", offline);
  document.body.addEventListener("htmx:responseError", offline);
})();

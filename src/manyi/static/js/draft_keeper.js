// Keeps what a person types in a long form in this browser until the server has saved it.
// If the session ends before "保存", the login page sends them back here and the text returns.
// Forms opt in with data-keep-draft="<key>"; a page showing data-clear-draft="<key>" (the page a
// successful save leads to) forgets it.
(function () {
  "use strict";
  var store;
  try { store = window.localStorage; } catch (e) { return; }
  document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
    store.removeItem(el.getAttribute("data-clear-draft"));
  });
  document.querySelectorAll("form[data-keep-draft]").forEach(function (form) {
    var key = form.getAttribute("data-keep-draft");
    var fields = function () {
      return Array.prototype.filter.call(form.elements, function (el) {
        return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file" && el.type !== "submit";
      });
    };
    var saved = store.getItem(key);
    if (saved) {
      try {
        var values = JSON.parse(saved);
        fields().forEach(function (el) {
          if (!(el.name in values)) { return; }
          if (el.type === "checkbox" || el.type === "radio") {
            el.checked = values[el.name].indexOf(el.value) !== -1;
          } else {
            el.value = values[el.name][0];
          }
          el.dispatchEvent(new Event("input", { bubbles: true }));
        });
        var note = form.querySelector("[data-draft-restored]");
        if (note) { note.hidden = false; }
      } catch (e) { store.removeItem(key); }
    }
    form.addEventListener("input", function () {
      var values = {};
      fields().forEach(function (el) {
        if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { values[el.name] = values[el.name] || []; return; }
        (values[el.name] = values[el.name] || []).push(el.value);
      });
      store.setItem(key, JSON.stringify(values));
    });
  });
})();

// Keeps what a person types in a long form in this browser until the server has saved it.
// If the session ends before "保存", the login page sends them back here and the text returns.
// Forms opt in with data-keep-draft="<key>" and data-draft-version="<fingerprint of what is
// saved>"; a page showing data-clear-draft="<key>" (the page a successful save leads to)
// forgets it.
//
// The kept copy remembers the version it was typed over. It is restored only over that same
// version: when someone has saved the page since, the copy is dropped and the page says so
// ([data-draft-stale]), so an old copy never overwrites a colleague's newer work. A restored
// copy names the fields it changed ([data-draft-fields]) and can be discarded
// ([data-draft-discard]), which puts the saved values back and forgets the copy.
(function () {
  "use strict";
  var store;
  try { store = window.localStorage; } catch (e) { return; }
  document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
    store.removeItem(el.getAttribute("data-clear-draft"));
  });

  function show(form, selector, visible) {
    var el = form.querySelector(selector);
    if (el) { el.hidden = !visible; }
    return el;
  }

  function same(a, b) {
    return JSON.stringify(a || []) === JSON.stringify(b || []);
  }

  document.querySelectorAll("form[data-keep-draft]").forEach(function (form) {
    var key = form.getAttribute("data-keep-draft");
    var version = form.getAttribute("data-draft-version") || "";
    var quiet = false;
    var fields = function () {
      return Array.prototype.filter.call(form.elements, function (el) {
        return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file" && el.type !== "submit";
      });
    };
    var named = function (name) {
      return fields().filter(function (el) { return el.name === name; });
    };
    // name -> list of values, as the form would send them (unchecked boxes give an empty list).
    var read = function () {
      var values = {};
      fields().forEach(function (el) {
        var list = values[el.name] = values[el.name] || [];
        if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
        list.push(el.value);
      });
      return values;
    };
    var write = function (name, list) {
      named(name).forEach(function (el, i) {
        if (el.type === "checkbox" || el.type === "radio") {
          el.checked = list.indexOf(el.value) !== -1;
        } else {
          el.value = list[i] !== undefined ? list[i] : "";
        }
        el.dispatchEvent(new Event("input", { bubbles: true }));
      });
    };
    var text = function (el) {
      return el ? el.textContent.replace(/\*\s*$/, "").trim() : "";
    };
    var labelOf = function (name, before, after) {
      var els = named(name);
      var first = els[0];
      if (first.getAttribute("aria-label")) { return first.getAttribute("aria-label"); }
      if (first.type === "checkbox" || first.type === "radio") {
        var legend = els.length > 1 && first.closest("fieldset") && first.closest("fieldset").querySelector("legend");
        if (legend && legend.classList.contains("form-label")) { return text(legend); }
        // Boxes that are choices of their own (the optional sections): name the ones that moved.
        return els.filter(function (el) {
          return (before.indexOf(el.value) !== -1) !== (after.indexOf(el.value) !== -1);
        }).map(function (el) {
          return text(el.id && form.querySelector('label[for="' + el.id + '"]')) || el.value;
        }).join("、");
      }
      return text(first.id && form.querySelector('label[for="' + first.id + '"]')) || name;
    };

    var page = read(); // what the server rendered: the saved values, or what was just posted
    var kept = null;
    try { kept = JSON.parse(store.getItem(key) || "null"); } catch (e) { kept = null; }
    if (kept && !kept.values) { kept = { version: null, values: kept }; } // a copy from before versions
    if (kept) {
      var changed = Object.keys(kept.values).filter(function (name) {
        return name in page && !same(kept.values[name], page[name]);
      });
      if (!changed.length) {
        if (kept.version !== version) { store.removeItem(key); }
      } else if (kept.version !== version) {
        store.removeItem(key);
        show(form, "[data-draft-stale]", true);
      } else {
        var labels = changed.map(function (name) {
          var label = labelOf(name, page[name], kept.values[name]);
          write(name, kept.values[name]);
          return label;
        });
        var note = show(form, "[data-draft-restored]", true);
        var list = form.querySelector("[data-draft-fields]");
        if (list) { list.textContent = labels.filter(Boolean).join("、"); }
        var discard = note && note.querySelector("[data-draft-discard]");
        if (discard) {
          discard.addEventListener("click", function () {
            quiet = true;
            Object.keys(page).forEach(function (name) { write(name, page[name]); });
            quiet = false;
            store.removeItem(key);
            show(form, "[data-draft-restored]", false);
            show(form, "[data-draft-discarded]", true);
          });
        }
      }
    }
    form.addEventListener("input", function () {
      if (quiet) { return; }
      store.setItem(key, JSON.stringify({ version: version, values: read() }));
    });
  });
})();

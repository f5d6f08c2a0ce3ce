// The article editor's toolbar: bold, italic, heading, list, quote, link, an uploaded image and
// a preview, above each textarea marked data-rich-text. No library and no contentEditable: the
// text stays HTML in a textarea, and the server sanitises it on preview and on every save, so
// what the preview shows is what will be published.
(function () {
  "use strict";
  var template = document.querySelector("[data-rich-toolbar]");
  if (!template) { return; }
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");

  function escapeAttr(text) {
    return String(text).replace(/&/g, "&amp;").replace(/"/g, "&quot;")
      .replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // Replace the selection (or insert at the caret) and select what was inserted, so a second
  // click can act on it again.
  function replaceSelection(field, text) {
    var start = field.selectionStart, end = field.selectionEnd;
    field.focus();
    field.setRangeText(text, start, end, "select");
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function selected(field) {
    return field.value.slice(field.selectionStart, field.selectionEnd);
  }

  function wrap(field, tag) {
    replaceSelection(field, "<" + tag + ">" + selected(field) + "</" + tag + ">");
  }

  function block(field, tag) {
    replaceSelection(field, "\n<" + tag + ">" + selected(field).trim() + "</" + tag + ">\n");
  }

  function list(field) {
    var lines = selected(field).split(/\r?\n/).map(function (line) { return line.trim(); })
      .filter(function (line) { return line; });
    if (!lines.length) { lines = [""]; }
    var items = lines.map(function (line) { return "  <li>" + line + "</li>"; }).join("\n");
    replaceSelection(field, "\n<ul>\n" + items + "\n</ul>\n");
  }

  function link(field, toolbar) {
    var address = window.prompt(toolbar.getAttribute("data-link-prompt"), "https://");
    if (!address || address === "https://") { return; }
    var text = selected(field) || toolbar.getAttribute("data-link-text");
    replaceSelection(field, '<a href="' + escapeAttr(address.trim()) + '">' + text + "</a>");
  }

  function say(toolbar, message) {
    var box = toolbar.parentNode.querySelector("[data-rich-message]");
    if (!box) {
      box = document.createElement("div");
      box.className = "alert alert-danger py-1 px-2 small mb-1";
      box.setAttribute("role", "alert");
      box.setAttribute("data-rich-message", "");
      toolbar.after(box);
    }
    box.textContent = message;
  }

  function upload(field, toolbar, file) {
    var data = new FormData();
    data.append("file", file);
    if (toolbar.getAttribute("data-article")) {
      data.append("article", toolbar.getAttribute("data-article"));
    }
    fetch(toolbar.getAttribute("data-upload-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
    }).then(function (response) {
      return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; });
    }).then(function (result) {
      if (!result.ok) {
        say(toolbar, (result.answer.errors || []).join(" ") || toolbar.getAttribute("data-upload-failed"));
        return;
      }
      var old = toolbar.parentNode.querySelector("[data-rich-message]");
      if (old) { old.remove(); }
      replaceSelection(field, '\n<figure><img src="' + escapeAttr(result.answer.url) + '" alt="' +
        escapeAttr(result.answer.name) + '"><figcaption></figcaption></figure>\n');
    }).catch(function () {
      say(toolbar, toolbar.getAttribute("data-upload-failed"));
    });
  }

  function preview(field, toolbar, box) {
    var data = new FormData();
    data.append("field", field.name);
    data.append(field.name, field.value);
    fetch(toolbar.getAttribute("data-preview-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf ? csrf.value : "" },
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      // The server's answer has passed the sanitiser (the same allow-list as saving).
      box.innerHTML = html;
      box.hidden = false;
    }).catch(function () {
      say(toolbar, toolbar.getAttribute("data-preview-failed"));
    });
  }

  document.querySelectorAll("textarea[data-rich-text]").forEach(function (field) {
    var toolbar = template.cloneNode(true);
    toolbar.hidden = false;
    toolbar.removeAttribute("data-rich-toolbar");
    toolbar.setAttribute("data-toolbar-for", field.id);
    field.before(toolbar);
    var box = document.createElement("div");
    box.className = "article-body rich-preview border rounded p-3 mt-2";
    box.hidden = true;
    box.setAttribute("data-preview-for", field.id);
    box.setAttribute("aria-live", "polite");
    field.after(box);
    var input = toolbar.querySelector("[data-image-input]");
    input.addEventListener("change", function () {
      if (input.files.length) { upload(field, toolbar, input.files[0]); }
      input.value = "";
    });
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("[data-command]");
      if (!button) { return; }
      var command = button.getAttribute("data-command");
      if (command === "bold") { wrap(field, "strong"); }
      else if (command === "italic") { wrap(field, "em"); }
      else if (command === "heading") { block(field, "h3"); }
      else if (command === "quote") { block(field, "blockquote"); }
      else if (command === "list") { list(field); }
      else if (command === "link") { link(field, toolbar); }
      else if (command === "image") { input.click(); }
      else if (command === "preview") { preview(field, toolbar, box); }
    });
  });
})();

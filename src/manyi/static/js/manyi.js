// Manyi's small behaviours. No inline script anywhere: the CSP forbids it.
(function () {
  "use strict";
  // Buttons with data-confirm ask before they submit their form.
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  // htmx sends the CSRF token taken from the cookie-less meta tag on the body.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) {
      event.detail.headers["X-CSRFToken"] = token.value;
    }
  });
})();

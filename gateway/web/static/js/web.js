// What every page's scripts share. Pages work without it; it only improves them.
"use strict";

// htmx requests that change state carry the CSRF token the page was rendered with
// (<meta name="csrf-token">); Flask-WTF reads the X-CSRFToken header.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && event.detail.verb !== "get") {
    event.detail.headers["X-CSRFToken"] = meta.content;
  }
});

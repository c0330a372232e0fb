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

// The console's event stream (console.html; htmx-ext-sse connects and reconnects): its state
// on the element, so a person (and a test) can tell the page is listening.
document.addEventListener("htmx:sseOpen", function (event) {
  event.target.dataset.live = "open";
});
document.addEventListener("htmx:sseError", function (event) {
  event.target.dataset.live = "retrying";
});

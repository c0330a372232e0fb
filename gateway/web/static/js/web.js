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

// A page's event stream (the console layout's, or the queue's; htmx-ext-sse connects and
// reconnects): its state on the element, so a person (and a test) can tell the page listens.
document.addEventListener("htmx:sseOpen", function (event) {
  event.target.dataset.live = "open";
});
document.addEventListener("htmx:sseError", function (event) {
  event.target.dataset.live = "retrying";
});

// A page's event streams close when the page is left. Chrome keeps a page it may show again on
// "back" (the back/forward cache) with its open streams, and with six connections open to one
// host every further request of the browser waits; a page shown again from that cache is loaded
// anew, since what it shows has moved on anyway.
(function () {
  var streams = [];
  if (window.htmx && htmx.createEventSource) {
    var open = htmx.createEventSource;  // the SSE extension's
    htmx.createEventSource = function (url) {
      var stream = open(url);
      streams.push(stream);
      return stream;
    };
  }
  window.addEventListener("pagehide", function () {
    streams.forEach(function (stream) { stream.close(); });
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && streams.length) { window.location.reload(); }
  });
})();

// The client portal registers its service worker (gateway/web/portal/pwa.py), which makes it
// installable; the portal layout names the worker in <link rel="portal-worker">.
(function () {
  var link = document.querySelector('link[rel="portal-worker"]');
  if (link && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(link.href, {scope: link.dataset.scope}).catch(function () {});
  }
})();

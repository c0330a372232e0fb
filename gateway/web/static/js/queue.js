// The queue's live part (htmx-ext-sse does the connection and its reconnects): keep the ids the
// page heard about, the newest last, so a person (and a test) can tell what arrived.
"use strict";

document.addEventListener("htmx:sseMessage", function (event) {
  if (event.detail.type !== "changed") { return; }
  var results = document.getElementById("queue-results");
  var heard = (results.dataset.changed || "").split(" ").filter(Boolean);
  heard.push(JSON.parse(event.detail.data).ticket_id);
  results.dataset.changed = heard.slice(-20).join(" ");
});

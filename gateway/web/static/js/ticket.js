// The ticket page: a refused change (403, 409, 422) comes back as the page's body with the
// reason beside the form; htmx swaps only 2xx answers unless told to, so it is told here.
"use strict";

document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status === 403 || status === 409 || status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

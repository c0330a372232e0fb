// The settings pages: a refused form (422) comes back with its reasons and replaces the form;
// any other refusal (403, 404, 409...) replaces the page with its error page, as a plain POST
// would. And the "Copy" button beside a token shown once.
"use strict";

document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  } else if (status >= 400) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    event.detail.target = document.body;
    event.detail.swapOverride = "innerHTML";
  }
});

document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) {
    return;
  }
  var field = document.querySelector(button.getAttribute("data-copy"));
  var done = function () { button.textContent = button.getAttribute("data-copied"); };
  var selectAndCopy = function () {  // plain http on a LAN has no clipboard API: copy a selection
    field.select();
    document.execCommand("copy");
    done();
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, selectAndCopy);
  } else {
    selectAndCopy();
  }
});

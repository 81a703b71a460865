// A form is sent once. On a slow office connection a press of "Simpan" can take seconds to answer,
// and a second press would send it again: two contacts, two wajib lapor, two sessions. While the
// first is on its way, another press is ignored and the form's buttons show that it is being sent.
// (The buttons are not disabled: a disabled button would leave its own name and value out of what
// the form sends, and some forms have two, such as saving a draft or finishing an assessment.)
(function () {
  "use strict";
  // htmx sends a form itself when it posts on submit (its default); one that posts on change (the
  // assessment's live score) is still sent by the browser when saved.
  var HTMX_SENDS = "[hx-post]:not([hx-trigger]), [hx-post][hx-trigger~=submit]";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.method.toLowerCase() !== "post" || form.matches(HTMX_SENDS)) {
      return;  // not being sent (a check came first), or htmx sends it
    }
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    form.setAttribute("aria-busy", "true");
    form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (button) {
      button.classList.add("disabled");
    });
  });

  // Back to a page the browser kept whole (back/forward cache): its forms can be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-sending]").forEach(function (form) {
      delete form.dataset.sending;
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button.disabled").forEach(function (button) { button.classList.remove("disabled"); });
    });
  });
})();

// A signed-in session ends after some idle minutes. Two things here keep that rule from costing a
// user what they typed:
// - while they work on the page (typing, clicking, scrolling), the session is renewed now and then,
//   so a long note or a Litmas section written in one sitting is not "idle";
// - a form sent after a long pause first asks whether the session still lasts. If it has ended, the
//   form stays on the page with a message: the user signs in again in another tab and sends it from
//   here, with the new sign-in's security token;
// - a user who has left the page alone is told a few minutes before the session ends, and can stay
//   signed in with one press; once it has ended, they are told that too, before they start typing.
(function () {
  "use strict";
  var script = document.currentScript;
  var pingUrl = script.dataset.ping;
  var idleMs = Number(script.dataset.idleSeconds) * 1000;
  // The server renews a session at most once a minute, so it may end up to a minute before idleMs
  // after the last request: a margin of two minutes, or half the idle time if that is shorter.
  var margin = Math.min(120000, idleMs / 2);
  var renewEvery = Math.min(5 * 60000, idleMs / 3);
  // Told this long before the session ends (and never sooner than a third of the idle time).
  var warnBefore = Math.min(3 * 60000, idleMs / 3);
  // Other tabs of this site renew the same session: the last renewal any of them saw is shared here.
  var sharedKey = "bapas.session.renewed";
  var lastRenewed = Date.now();  // the page's own request renewed the session
  var lastAsked = lastRenewed;
  var signedOut = false;  // seen ended, and not yet seen signed in again
  var shown = null;  // the notice at the foot of the page: "ending" or "ended"

  function renewed(at) {
    lastRenewed = Math.max(lastRenewed, at);
    try { localStorage.setItem(sharedKey, String(lastRenewed)); } catch (e) { /* private mode: this tab alone */ }
    watch();
  }

  function renewedAnywhere() {
    var shared = 0;
    try { shared = Number(localStorage.getItem(sharedKey)) || 0; } catch (e) { /* as above */ }
    return Math.max(lastRenewed, shared);
  }

  function ping() {
    var sent = Date.now();
    lastAsked = sent;
    return fetch(pingUrl, {credentials: "same-origin", cache: "no-store"}).then(
      function (response) {
        var lasts = response.status === 204;  // an ended session is sent to the login page instead
        if (!lasts) {
          signedOut = true;
          if (shown) { notify("ended"); }  // a form's own notice says so where a form was sent
        } else {
          if (signedOut) {  // signed in again in another tab
            signedOut = false;
            useFreshToken();
          }
          renewed(sent);
        }
        return lasts;
      },
      function () { return null; }  // no answer at all (the network): the browser's own send will say so
    );
  }

  function worked() {
    if (Date.now() - lastAsked >= renewEvery) {  // always so once warned: idleMs - warnBefore > renewEvery
      ping();
    }
  }
  ["keydown", "input", "pointerdown", "scroll", "wheel"].forEach(function (name) {
    document.addEventListener(name, worked, {capture: true, passive: true});
  });

  function clockTime(at) {
    var when = new Date(at);
    return String(when.getHours()).padStart(2, "0") + ":" + String(when.getMinutes()).padStart(2, "0");
  }

  function notify(state) {
    // One notice at a time, at the foot of the page; none while the session surely lasts.
    if (shown === state) { return; }
    var old = document.querySelector("[data-session-notice]");
    if (old) { old.remove(); }
    shown = state;
    if (!state) { return; }
    var notice = document.getElementById("session-notice-" + state).content.firstElementChild.cloneNode(true);
    notice.setAttribute("data-session-notice", state);
    var endsAt = notice.querySelector("[data-ends-at]");
    if (endsAt) { endsAt.textContent = clockTime(renewedAnywhere() + idleMs); }
    var stay = notice.querySelector("[data-stay]");
    if (stay) { stay.addEventListener("click", function () { ping(); }); }
    document.body.append(notice);
  }

  var timer = null;
  function watch() {
    // Wakes when the notice is due, or when the session ends, and looks again: another tab may have renewed it.
    clearTimeout(timer);
    var left = renewedAnywhere() + idleMs - Date.now();
    if (signedOut || left <= 0) {
      signedOut = true;
      notify("ended");
      return;
    }
    if (left <= warnBefore) {
      notify("ending");
      timer = setTimeout(watch, left);
    } else {
      notify(null);
      timer = setTimeout(watch, left - warnBefore);
    }
  }
  window.addEventListener("storage", function (event) {
    if (event.key !== sharedKey) { return; }
    if (signedOut && Number(event.newValue) > lastRenewed) {  // signed in again in another tab
      signedOut = false;
      useFreshToken();
    }
    watch();
  });
  renewed(lastRenewed);

  function csrfCookie() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : null;
  }

  function useFreshToken() {
    // Signing in again gave the browser a new token; the page's forms and htmx still carry the old one.
    var fresh = csrfCookie();
    if (!fresh) { return; }
    document.querySelectorAll("[name=csrfmiddlewaretoken]").forEach(function (field) { field.value = fresh; });
    document.body.setAttribute("hx-headers", JSON.stringify({"X-CSRFToken": fresh}));
  }

  function showEnded(form) {
    var shown = form.querySelector("[data-testid=session-ended]");
    if (shown) { shown.remove(); }
    var notice = document.getElementById("session-ended").content.firstElementChild.cloneNode(true);
    form.prepend(notice);
    notice.focus();
  }

  function worthKeeping(form) {
    // A form someone filled in (not a lone button such as "Keluar"), sent by the browser: htmx sends
    // one that posts on submit itself; the assessment's, which posts its live score on change, is still saved by the browser.
    return form.method.toLowerCase() === "post" && !form.matches("[hx-post]:not([hx-trigger]), [hx-post][hx-trigger~=submit]")
      && form.querySelector("input:not([type=hidden]), textarea, select") !== null;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!worthKeeping(form) || form.dataset.sessionChecked) {
      return;
    }
    if (!signedOut && Date.now() - lastRenewed < idleMs - margin) {
      return;  // surely still signed in: sent as it is
    }
    event.preventDefault();
    var submitter = event.submitter;
    ping().then(function (lasts) {
      if (lasts === false) {
        showEnded(form);
        return;
      }
      form.dataset.sessionChecked = "1";
      form.requestSubmit(submitter);
    });
  }, true);
})();

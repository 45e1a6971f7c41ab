// Search as you type on the client list; without JavaScript the form still works by submitting.
(function () {
  "use strict";
  var form = document.getElementById("client-filters");
  var results = document.getElementById("results");
  if (!form || !results || !window.fetch) { return; }
  var timer = null;
  var latest = 0;

  function refresh() {
    var params = new URLSearchParams(new FormData(form));
    var shown = params.toString();
    params.set("partial", "1");
    var ticket = ++latest;
    fetch(form.action + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) {
        if (response.redirected || !response.ok) { window.location = form.action + "?" + shown; return null; }
        return response.text();
      })
      .then(function (html) {
        if (html === null || ticket !== latest) { return; }
        results.innerHTML = html;
        window.history.replaceState(null, "", form.action + (shown ? "?" + shown : ""));
      });
  }

  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 180);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); refresh(); });
})();

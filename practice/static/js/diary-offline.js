// The diary without a connection: an entry saved while offline (or when the connection drops
// on the way) is kept on this phone and sent when the connection returns, once: each entry
// carries a key the server accepts one time. Without JavaScript the forms post as always.
(function () {
  "use strict";
  var QUEUE = "practice-diary-queue";
  var status = document.getElementById("diary-offline-status");
  var texts = document.getElementById("diary-offline-texts");

  function text(name) { return texts ? texts.getAttribute("data-" + name) || "" : ""; }
  function say(message, alarm) {
    if (!status) return;
    status.textContent = message;
    status.hidden = !message;
    status.setAttribute("role", alarm ? "alert" : "status");
    status.classList.toggle("diary-alarm", !!alarm);
  }
  function queue() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function keep(items) { localStorage.setItem(QUEUE, JSON.stringify(items)); }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return String(Date.now()) + "-" + Math.random().toString(16).slice(2);
  }
  function stored(response, html) {
    // Saved: the diary's home (a redirect), or the see-a-doctor page after a warning answer.
    return response.redirected || html.indexOf("diary-alarm") !== -1;
  }
  function freshToken(action) {
    return fetch(action, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var found = /name="csrf_token" type="hidden" value="([^"]+)"/.exec(html);
        if (!found) throw new Error("no form");
        return found[1];
      });
  }
  var sending = false;
  function sendQueued() {
    var items = queue();
    if (!items.length || sending || !navigator.onLine) return;
    sending = true;
    say(text("sending"));
    var item = items[0];
    freshToken(item.action).then(function (token) {
      var body = new URLSearchParams();
      item.fields.forEach(function (p) { if (p[0] !== "csrf_token") body.append(p[0], p[1]); });
      body.append("csrf_token", token);
      return fetch(item.action, {method: "POST", credentials: "same-origin", body: body});
    }).then(function (response) {
      return response.text().then(function (html) {
        keep(queue().filter(function (other) { return other.key !== item.key; }));
        sending = false;
        if (!stored(response, html)) { say(text("refused"), true); return; }
        if (queue().length) { sendQueued(); return; }
        say(text("sent"));
        if (location.pathname === "/diary/") location.reload();  // show it on the home page
      });
    }).catch(function () {
      sending = false;
      say(text("kept").replace("{num}", String(queue().length)));
    });
  }
  function warningText(fields) {
    var warned = fields.some(function (p) { return p[0] === "warning" && p[1] === "yes"; });
    if (!warned) return "";
    var urgent = (texts.getAttribute("data-emergency-signs") || "").split(" ");
    var emergency = fields.some(function (p) {
      return p[0] === "warning_signs" && urgent.indexOf(p[1]) !== -1;
    });
    return text(emergency ? "warning-emergency" : "warning-today");
  }

  function restore(form, item) {
    // A reload of the page (offline, from the kept copy) shows the entry still waiting here,
    // so nobody types it twice; saving again replaces it (same key).
    var boxes = form.querySelectorAll("input[type=checkbox], input[type=radio]");
    Array.prototype.forEach.call(boxes, function (box) { box.checked = false; });
    item.fields.forEach(function (p) {
      if (p[0] === "csrf_token") return;
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name !== p[0]) return;
        if (field.type === "checkbox" || field.type === "radio") {
          if (field.value === p[1]) field.checked = true;
        } else if (field.tagName !== "BUTTON") {
          field.value = p[1];
        }
      });
    });
  }

  var form = document.querySelector("form.diary-form[data-offline]");
  if (form && window.fetch && window.localStorage && window.FormData) {
    var waiting = queue().filter(function (item) {
      return item.action === form.getAttribute("action");
    });
    if (waiting.length) restore(form, waiting[waiting.length - 1]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var key = form.querySelector("input[name=entry_key]");
      if (key && !key.value) key.value = newKey();
      var fields = Array.from(new FormData(form).entries());
      var item = {key: key ? key.value : newKey(), action: form.getAttribute("action"),
                  fields: fields};
      function keepIt() {
        var items = queue().filter(function (other) { return other.key !== item.key; });
        items.push(item);
        keep(items);
        var warning = warningText(fields);
        say(text("kept").replace("{num}", String(items.length)) +
            (warning ? " " + warning : ""), !!warning);
        window.scrollTo(0, 0);
      }
      if (!navigator.onLine) { keepIt(); return; }
      fetch(item.action, {method: "POST", credentials: "same-origin", body: new FormData(form)})
        .then(function (response) {
          if (response.redirected) { location.href = response.url; return; }
          return response.text().then(function (html) {  // errors or see a doctor: that page
            document.open(); document.write(html); document.close();
          });
        })
        .catch(keepIt);
    });
  }
  if (document.querySelector("[data-forget-device]")) {
    // "Remove the diary from this device": the kept pages and entries go too.
    localStorage.removeItem(QUEUE);
    if (window.caches) caches.keys().then(function (keys) { keys.forEach(function (k) { caches.delete(k); }); });
    if (navigator.serviceWorker) navigator.serviceWorker.getRegistrations().then(function (all) {
      all.forEach(function (registration) { registration.unregister(); });
    });
  } else if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/diary/sw.js", {scope: "/diary/"}).catch(function () {});
  }
  window.addEventListener("online", sendQueued);
  setInterval(sendQueued, 4000);
  if (queue().length) {
    say(text(navigator.onLine ? "sending" : "kept").replace("{num}", String(queue().length)));
  }
  sendQueued();
})();

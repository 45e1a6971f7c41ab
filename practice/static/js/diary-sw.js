// The diary's service worker (scope /diary/): keeps the diary's pages and files on the phone so
// the diary opens without a connection. Pages: the network first, the kept copy when offline.
// Files: the kept copy first. Entries typed offline are kept by diary-offline.js, not here.
// "Remove the diary from this device" deletes these copies.
const CACHE = "diary-v1";
const FILES = ["/static/css/app.css", "/static/js/forms.js", "/static/js/diary-offline.js",
               "/static/favicon.svg", "/static/icons/diary-192.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((kept) => kept || fetch(request)));
  } else if (url.pathname.startsWith("/diary/") && !url.pathname.endsWith(".ics")) {
    event.respondWith(fetch(request).then((response) => {
      if (response.ok && response.type === "basic") {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(request, copy));
      }
      return response;
    }).catch(() => caches.match(request, {ignoreSearch: true})
      .then((kept) => kept || caches.match("/diary/"))));
  }
});

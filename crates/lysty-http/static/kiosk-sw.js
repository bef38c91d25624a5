// The kiosk's service worker: network first, and the cached copy when the network is
// gone, so that a kiosk page reloads offline. Letters are not handled here: the page
// keeps them in IndexedDB and sends them itself.
'use strict';
self.addEventListener('install', function () { self.skipWaiting(); });
self.addEventListener('activate', function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') { return; }
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok && new URL(request.url).origin === self.location.origin) {
        var copy = response.clone();
        caches.open('lysty-kiosk').then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request, { ignoreSearch: true, ignoreVary: true }).then(function (cached) {
        return cached || new Response('', { status: 503, statusText: 'offline' });
      });
    })
  );
});

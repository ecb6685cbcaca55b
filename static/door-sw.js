/* Service worker of the door page, served as /door/sw.js so its scope
   covers /door/{slug}. It keeps the page and its scripts so that a reload
   with no network still opens the scanner; the guest list and the queue of
   scans live in the page's localStorage, and the API is never cached here
   (door.js decides itself what a failed request means). */
'use strict';

var CACHE = 'salon-door-v1';
var SHELL = [
  '/static/style.css',
  '/static/door.css',
  '/static/door.js',
  '/static/door-qr-worker.js',
  '/static/vendor/jsqr/jsQR.js'
];
// A request that takes longer than this is answered from the cache: on a
// venue's failing wifi a fetch can hang for a minute before it errors.
var TIMEOUT_MS = 3000;

self.addEventListener('install', function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf('salon-door-') === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener('fetch', function (e) {
  var req = e.request;
  if (req.method !== 'GET') return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf('/api/') === 0) return;
  if (url.pathname.indexOf('/door/') !== 0 && url.pathname.indexOf('/static/') !== 0) return;
  e.respondWith(networkFirst(req));
});

// networkFirst prefers a fresh copy, so a new door.js reaches phones on the
// next load, and falls back to the cached one when the network fails or
// dawdles.
function networkFirst(req) {
  var net = fetch(req).then(function (res) {
    if (res.ok) {
      var copy = res.clone();
      caches.open(CACHE).then(function (c) { return c.put(req, copy); });
    }
    return res;
  });
  var timeout = new Promise(function (resolve) { setTimeout(resolve, TIMEOUT_MS); });
  return Promise.race([net.catch(function () { return null; }), timeout]).then(function (res) {
    if (res) return res;
    return caches.match(req, { ignoreSearch: true }).then(function (hit) { return hit || net; });
  });
}

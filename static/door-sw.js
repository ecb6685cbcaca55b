/* Service worker of the door page, served as /door/sw.js so its scope
   covers /door/{slug}. It keeps the page and its scripts so that a reload
   with no network still opens the scanner; the guest list and the queue of
   scans live in the page's localStorage, and the API is never cached here
   (the page decides itself what a failed request means).

   The server puts a line before this one: var CONFIG = {version, cache,
   shell}, the static version, this build's cache name and the versioned
   URLs the page loads. A deploy that changes any static file so changes
   this worker's bytes, which is what makes browsers install it. */
'use strict';

var CACHE = CONFIG.cache;
var SHELL = CONFIG.shell;
// Files under this build's version never change: no need to ask the
// network for them once kept.
var VERSIONED = '/static/' + CONFIG.version + '/';
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
  if (url.pathname.indexOf(VERSIONED) === 0) { e.respondWith(cacheFirst(req)); return; }
  if (url.pathname.indexOf('/door/') !== 0 && url.pathname.indexOf('/static/') !== 0) return;
  e.respondWith(networkFirst(req));
});

function cacheFirst(req) {
  return caches.match(req, { ignoreSearch: true }).then(function (hit) {
    return hit || fetch(req).then(function (res) {
      if (res.ok) {
        var copy = res.clone();
        caches.open(CACHE).then(function (c) { return c.put(req, copy); });
      }
      return res;
    });
  });
}

// networkFirst prefers a fresh copy, so a new page reaches phones on the
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

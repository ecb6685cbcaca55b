/* The door scanner. One phone, a queue of guests, wifi that comes and goes.
 *
 * This module starts the page and wires its parts: camera.js reads codes,
 * checkin.js asks the server or, offline, decides with verify.js from the
 * saved copy of the guest list, sync.js fetches that list and uploads the
 * queue, ui.js shows the answers, store.js keeps it all in localStorage.
 * config.js reads what the server put in the page: the code format and
 * the texts. The modules load natively (type="module"), under the static
 * version's URLs, so relative imports stay within one build. */
import { config, slug } from './config.js';
import { $, message } from './dom.js';
import { store } from './store.js';
import { state, publicKeys } from './state.js';
import { startCamera } from './camera.js';
import { scanned, byHand } from './checkin.js';
import { refresh, flushQueue } from './sync.js';
import { renderAll, renderNet, renderGuests, hideResult, unlockAudio, onGuestPicked } from './ui.js';
import { warmKeys } from './verify.js';

var REFRESH_MS = 15000;
var PROBE_MS = 5000;
var started = false;

// The door link carries its key in the fragment, which never reaches a
// server log; keep it for this salon and take it out of the address bar
// so it is not shown, bookmarked or shared by accident.
function takeKeyFromFragment() {
  var m = /(?:^#|&)key=([^&]+)/.exec(location.hash);
  if (!m) return;
  try { store.set('key:' + slug, decodeURIComponent(m[1]).trim()); } catch (e) { /* malformed */ }
  history.replaceState(null, '', location.pathname + location.search);
}

function start() {
  state.key = store.get('key:' + slug, '');
  if (!state.key) {
    $('door-auth').hidden = false;
    message('');
    return;
  }
  $('door-auth').hidden = true;
  $('door-settings').hidden = false;
  $('door-scan').hidden = false;
  $('door-manual').hidden = false;
  renderAll();
  warmKeys(publicKeys());
  if (!started) {
    started = true;
    startCamera(scanned);
    setInterval(tick, PROBE_MS);
  }
  refresh();
}

// tick refreshes the list every REFRESH_MS while online, and probes every
// PROBE_MS while the network is down so that the queue leaves soon after
// it returns.
function tick() {
  if (!navigator.onLine) return;
  if (state.netDown || Date.now() - state.lastRefresh >= REFRESH_MS) refresh();
  else flushQueue();
}

function main() {
  onGuestPicked(byHand);
  $('door-auth').addEventListener('submit', function (e) {
    e.preventDefault();
    var v = $('door-key').value.trim();
    if (!v) return;
    store.set('key:' + slug, v);
    $('door-key').value = '';
    start();
  });
  // Forgetting the key stops this phone scanning, so it sits apart from
  // the scan controls, folded away, and asks again before it acts.
  $('door-forget').addEventListener('click', function () {
    $('door-forget').hidden = true;
    $('door-forget-confirm').hidden = false;
    $('door-forget-no').focus();
  });
  $('door-forget-no').addEventListener('click', function () {
    $('door-forget-confirm').hidden = true;
    $('door-forget').hidden = false;
    $('door-forget').focus();
  });
  $('door-forget-yes').addEventListener('click', function () {
    store.del('key:' + slug);
    location.reload();
  });
  $('door-camera-start').addEventListener('click', function () { unlockAudio(); startCamera(scanned); });
  $('door-result').addEventListener('click', hideResult);
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') hideResult(); });
  // Browsers start sound only after a touch; the first one anywhere will do.
  document.addEventListener('pointerdown', unlockAudio, { passive: true });
  $('door-search').addEventListener('input', renderGuests);
  window.addEventListener('online', function () { renderNet(); refresh(); });
  window.addEventListener('offline', renderNet);

  if ('serviceWorker' in navigator && config.service_worker) {
    navigator.serviceWorker.register(config.service_worker, { scope: config.service_worker_scope }).then(function () {
      // The worker was not there when this page loaded, so it has no copy
      // of it yet; store one now for a reload without network, in the
      // cache of this build's worker (named in the page, as in the worker).
      return caches.open(config.cache).then(function (c) { return c.add(location.pathname); });
    }).catch(function () { /* the page works without; only offline reloads need it */ });
  }
  takeKeyFromFragment();
  start();
}

if ($('door')) main();

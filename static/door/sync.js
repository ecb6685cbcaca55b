/* The network: the guest list from the server, and the queue of check-ins
 * made offline, uploaded in order once the network is back. */
import { config, slug, t } from './config.js';
import { $, message, note } from './dom.js';
import { store } from './store.js';
import { state, indexGuests, publicKeys } from './state.js';
import { renderAll, renderNet, renderQueue, fmtTime } from './ui.js';
import { resetKeys, warmKeys } from './verify.js';

var DATA_TIMEOUT_MS = 8000;
var UPLOAD_TIMEOUT_MS = 10000;

export function api(method, url, body, ms) {
  var ctl = new AbortController();
  var timer = setTimeout(function () { ctl.abort(); }, ms);
  var opts = {
    method: method,
    headers: { 'Authorization': 'Bearer ' + state.key, 'Accept': 'application/json' },
    signal: ctl.signal,
    cache: 'no-store',
    credentials: 'omit'
  };
  if (body) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  return fetch(url, opts).then(function (res) {
    return res.json().catch(function () { return null; }).then(function (json) {
      return { status: res.status, json: json };
    });
  }).finally(function () { clearTimeout(timer); });
}

export function setNet(up) {
  var was = state.netDown;
  state.netDown = !up;
  renderNet();
  if (up && was) { flushQueue(); }
}

export function refresh() {
  if (!state.key) return Promise.resolve();
  if (state.refreshing) return state.refreshing;
  var began = Date.now();
  state.lastRefresh = began;
  state.refreshing = api('GET', config.door_url, null, DATA_TIMEOUT_MS).then(function (r) {
    if (r.status === 401 || r.status === 403) { keyRejected(); return; }
    if (r.status !== 200 || !r.json || !r.json.guests) return; // server trouble: keep the copy
    setNet(true);
    state.data = { fetched_at: new Date().toISOString(), body: r.json };
    store.set('data:' + slug, state.data);
    indexGuests();
    resetKeys();
    warmKeys(publicKeys());
    pruneLocal(began);
    renderAll();
    flushQueue();
  }, function () { setNet(false); }).finally(function () { state.refreshing = null; });
  return state.refreshing;
}

// pruneLocal forgets check-ins the server's list now shows, or that it
// does not show although they were made before the list was fetched (an
// organizer undid them); scans still waiting in the queue stay.
function pruneLocal(before) {
  var queued = {};
  state.queue.forEach(function (q) { if (q.tid) queued[q.tid] = true; });
  Object.keys(state.local).forEach(function (id) {
    if (!queued[id] && state.local[id].when < before) delete state.local[id];
  });
  store.set('local:' + slug, state.local);
}

var flushing = false;
export function flushQueue() {
  var queue = state.queue;
  if (flushing || !queue.length || !state.key || !navigator.onLine) return;
  flushing = true;
  var step = function () {
    if (!queue.length) { flushing = false; renderQueue(true); return; }
    return api('POST', config.checkins_url, queue[0].body, UPLOAD_TIMEOUT_MS).then(function (r) {
      if (r.status === 401 || r.status === 403) { keyRejected(); flushing = false; return; }
      if (r.status >= 500 || r.status === 429 || r.status === 408) {
        note(t('door.queue_upload_failed'));
        flushing = false;
        return;
      }
      state.netDown = false;
      renderNet();
      var item = queue.shift();
      store.set('queue:' + slug, queue);
      var j = r.json || {};
      if (j.result === 'already_checked_in' || j.flagged) {
        var name = (j.ticket && j.ticket.name) || item.name || '';
        note(t('door.flagged', { name: name, time: fmtTime(j.checked_in_at) }));
      }
      renderQueue();
      return step();
    }, function () {
      flushing = false;
      setNet(false);
    });
  };
  step();
}

export function keyRejected() {
  $('door-auth').hidden = false;
  message(t('door.key_rejected'));
}

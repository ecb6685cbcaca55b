/* Check-ins: every scan goes to the server first (it alone knows about
 * other doors); when the network fails or is slow, the phone decides from
 * its saved copy of the guest list and the public keys, shows that answer
 * marked OFFLINE, and queues the check-in for sync.js to upload. The nonce
 * sent with each scan makes those retries safe. */
import { config, slug, t } from './config.js';
import { store } from './store.js';
import { state, randomHex, isOffline, decideGuest, publicKeys } from './state.js';
import { api, setNet, keyRejected } from './sync.js';
import { show, renderAll, renderQueue } from './ui.js';
import { parseCode, verifySig } from './verify.js';

// A scan answers from the network only if it can do so quickly; after
// this the phone decides itself and queues the scan.
var SCAN_TIMEOUT_MS = 2500;

function localCheck(code, waited) {
  var data = state.data;
  if ((!data || !data.body) && state.refreshing && !waited) {
    return state.refreshing.then(function () { return localCheck(code, true); });
  }
  if (!data || !data.body) return Promise.resolve({ result: 'failed', detail: t('door.no_data') });
  var c = parseCode(code);
  if (!c) return Promise.resolve({ result: 'invalid' });
  return verifySig(c, publicKeys()).then(function (ok) {
    if (!ok) return { result: 'invalid' };
    // The list as it is now: a refresh may have landed meanwhile.
    var body = state.data.body;
    if (String(body.salon.id) !== c.salonId) return { result: 'wrong_salon' };
    var g = state.guestById[c.ticketId];
    if ((body.revoked || []).indexOf(c.ticketId) >= 0) return { result: 'not_confirmed', ticket: g };
    var d = decideGuest(g, c.ticketId);
    d.tid = c.ticketId;
    return d;
  }, function () { return { result: 'invalid' }; });
}

function remember(id, at) {
  if (!id || state.local[id]) return;
  state.local[id] = { at: at || new Date().toISOString(), when: Date.now() };
  store.set('local:' + slug, state.local);
}

function enqueue(body, tid, name) {
  var item = { body: Object.assign({}, body, { offline: true }), tid: tid || '', name: name || '' };
  state.queue.push(item);
  store.set('queue:' + slug, state.queue);
  remember(tid, body.scanned_at);
  renderQueue();
}

// checkIn sends one scan or one check-in by hand and shows the answer.
// decideOffline gives the phone's own answer when the network cannot.
function checkIn(body, decideOffline, t0) {
  var viaNetwork = isOffline() ? Promise.resolve(null) : api('POST', config.checkins_url, body, SCAN_TIMEOUT_MS).then(function (r) {
    if (r.status === 401 || r.status === 403) { keyRejected(); return { result: 'failed', detail: t('door.key_rejected') }; }
    if (r.json && r.json.result) { setNet(true); return r.json; }
    if (r.status >= 500 || r.status === 429 || !r.json) return null;
    return { result: 'failed' };
  }, function () { setNet(false); return null; });
  return viaNetwork.then(function (ans) {
    if (ans) {
      var id = ans.ticket && ans.ticket.id;
      if (ans.result === 'ok' || ans.result === 'already_checked_in') remember(id, ans.checked_in_at);
      show(ans, false, t0);
      renderAll();
      return;
    }
    return decideOffline().then(function (d) {
      if (d.result === 'ok') enqueue(body, d.tid, d.ticket && d.ticket.name);
      show(d, true, t0);
      renderAll();
    });
  });
}

// scanned checks in the code the camera read at t0 (performance.now()).
export function scanned(code, t0) {
  var body = { code: code, nonce: randomHex(16), device: state.device, scanned_at: new Date().toISOString() };
  return checkIn(body, function () { return localCheck(code); }, t0);
}

// byHand checks in a guest found by name.
export function byHand(g) {
  var body = { ticket_id: g.id, nonce: randomHex(16), device: state.device, scanned_at: new Date().toISOString() };
  return checkIn(body, function () {
    var d = decideGuest(state.guestById[g.id] || g, g.id);
    d.tid = g.id;
    return Promise.resolve(d);
  }, performance.now());
}

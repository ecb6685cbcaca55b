/* What the door page knows, shared by its modules: the key, the saved copy
 * of the guest list, the upload queue and the check-ins made here. */
import { slug } from './config.js';
import { store } from './store.js';

export function randomHex(n) {
  var b = new Uint8Array(n);
  crypto.getRandomValues(b);
  return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
}

export const state = {
  key: '',
  data: store.get('data:' + slug, null), // {fetched_at, body}
  queue: store.get('queue:' + slug, []), // [{body, name}]
  // Check-ins this phone knows of that its copy of the guest list may not:
  // ticket id -> {at: first check-in time, when: ms when learnt}.
  local: store.get('local:' + slug, {}),
  device: store.get('device', ''),
  guestById: {},
  netDown: false,
  lastRefresh: 0,
  // refreshing is the guest list request in flight, so a scan made while
  // the first list is still loading can wait for it instead of failing.
  refreshing: null
};
if (!state.device) { state.device = randomHex(12); store.set('device', state.device); }

export function indexGuests() {
  state.guestById = {};
  if (state.data && state.data.body && state.data.body.guests) {
    state.data.body.guests.forEach(function (g) { state.guestById[g.id] = g; });
  }
}
indexGuests();

export function isOffline() { return !navigator.onLine || state.netDown; }

// decideGuest is tickets.DecideCheckin on the phone's copy of the list.
export function decideGuest(g, id) {
  if (g && g.status !== 'confirmed') return { result: 'not_confirmed', ticket: g };
  var prior = (state.local[id] && state.local[id].at) || (g && g.checked_in_at);
  if (prior) return { result: 'already_checked_in', ticket: g, checked_in_at: prior };
  return { result: 'ok', ticket: g || null, unknown: !g };
}

// publicKeys are the keys of the saved guest list, which verify codes.
export function publicKeys() {
  return (state.data && state.data.body && state.data.body.public_keys) || [];
}

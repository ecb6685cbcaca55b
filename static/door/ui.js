/* The screen: the answer to a scan, the sounds, the counts, the queue and
 * the search for guests by name. */
import { t } from './config.js';
import { $, message } from './dom.js';
import { state, isOffline, decideGuest } from './state.js';

var hideTimer = 0;
export function show(ans, offline, t0) {
  var el = $('door-result');
  var g = ans.ticket || null;
  var kind = 'bad', title = '', name = g ? g.name : '', company = g ? (g.company || '') : '', detail = ans.detail || '';
  switch (ans.result) {
    case 'ok':
      kind = 'ok'; title = t('door.ok');
      if (!g) name = t('door.unknown_guest');
      if (offline) detail = t('door.offline_note');
      break;
    case 'already_checked_in':
      kind = 'warn'; title = t('door.already');
      detail = t('door.already_at', { time: fmtTime(ans.checked_in_at) });
      break;
    case 'not_confirmed':
      title = t('door.not_confirmed'); detail = t('door.not_confirmed_help');
      break;
    case 'wrong_salon':
      title = t('door.wrong_salon'); detail = t('door.wrong_salon_help'); name = ''; company = '';
      break;
    case 'invalid':
      title = t('door.invalid'); detail = t('door.invalid_help'); name = ''; company = '';
      break;
    default:
      title = t('door.failed');
  }
  el.className = 'door-result ' + kind;
  el.setAttribute('data-result', ans.result);
  el.setAttribute('data-offline', offline ? 'true' : 'false');
  el.removeAttribute('data-elapsed-ms');
  $('door-result-offline').hidden = !offline;
  $('door-result-title').textContent = title;
  $('door-result-name').textContent = name;
  $('door-result-company').textContent = company;
  $('door-result-detail').textContent = detail;
  // A party is admitted together: say how many come in with the holder.
  var party = $('door-result-party');
  var extra = (g && g.guests > 0 && name) ? g.guests : 0;
  party.hidden = !extra;
  party.textContent = extra ? t('door.party', { n: extra }) + ' · ' + t('door.party_admit', { seats: extra + 1 }) : '';
  el.hidden = false;
  feedback(kind);
  // Measured in the frame that first paints the answer.
  requestAnimationFrame(function () {
    el.setAttribute('data-elapsed-ms', (performance.now() - t0).toFixed(1));
  });
  clearTimeout(hideTimer);
  hideTimer = setTimeout(hideResult, kind === 'ok' ? 4000 : 6000);
}

export function hideResult() {
  clearTimeout(hideTimer);
  $('door-result').hidden = true;
}

var audio = null;
export function unlockAudio() {
  var AC = window.AudioContext || window.webkitAudioContext;
  if (!AC) return;
  if (!audio) { try { audio = new AC(); } catch (e) { return; } }
  if (audio.state === 'suspended') audio.resume();
}

function tone(freq, start, dur, type) {
  var o = audio.createOscillator(), gain = audio.createGain();
  o.type = type;
  o.frequency.value = freq;
  gain.gain.value = 0.2;
  o.connect(gain);
  gain.connect(audio.destination);
  o.start(audio.currentTime + start);
  o.stop(audio.currentTime + start + dur);
}

// feedback tells staff the answer without looking: one short high beep
// for in, two for a repeat, a long low buzz for no.
function feedback(kind) {
  var buzz = { ok: [80], warn: [80, 80, 80], bad: [400] }[kind];
  // Chromium refuses (and complains) before the first touch on the page.
  var touched = !navigator.userActivation || navigator.userActivation.hasBeenActive;
  if (navigator.vibrate && touched) { try { navigator.vibrate(buzz); } catch (e) { /* not allowed */ } }
  if (!audio || audio.state !== 'running') return;
  if (kind === 'ok') tone(1320, 0, 0.12, 'sine');
  else if (kind === 'warn') { tone(660, 0, 0.1, 'sine'); tone(660, 0.18, 0.1, 'sine'); }
  else tone(180, 0, 0.45, 'square');
}

export function fmtTime(iso) {
  if (!iso) return '';
  var d = new Date(iso);
  if (isNaN(d.getTime())) return String(iso);
  // 24-hour times in every language, as the server writes them.
  var opts = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  var data = state.data;
  var tz = data && data.body && data.body.salon && data.body.salon.timezone;
  try {
    return d.toLocaleTimeString(document.documentElement.lang || undefined, Object.assign({ timeZone: tz || undefined }, opts));
  } catch (e) {
    return d.toLocaleTimeString(undefined, opts);
  }
}

export function renderNet() {
  var off = isOffline();
  var net = $('door-net');
  net.textContent = off ? t('door.offline') : t('door.online');
  net.classList.toggle('off', off);
  $('door-offline').hidden = !off;
}

var syncedTimer = 0;
export function renderQueue(justEmptied) {
  var el = $('door-queue');
  var queue = state.queue;
  el.setAttribute('data-n', String(queue.length));
  clearTimeout(syncedTimer);
  if (queue.length) {
    el.textContent = t('door.queue', { n: queue.length });
    el.hidden = false;
  } else if (justEmptied) {
    el.textContent = t('door.synced');
    el.hidden = false;
    syncedTimer = setTimeout(function () { el.hidden = true; }, 5000);
  } else {
    el.hidden = true;
  }
}

function renderCount() {
  var data = state.data;
  if (!data || !data.body || !data.body.counts) return;
  var c = data.body.counts, extra = 0;
  Object.keys(state.local).forEach(function (id) {
    var g = state.guestById[id];
    // Counts are in seats: a party checked in here counts every member.
    if (!g || !g.checked_in_at) extra += 1 + ((g && g.guests) || 0);
  });
  $('door-count').textContent = t('door.count', { checked: c.checked_in + extra, confirmed: c.confirmed });
}

function fold(s) {
  return String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ');
}

// picked is what a tap on a guest's check-in button does (checkin.js's
// byHand, set by main.js, so this module need not import that one).
var picked = function () {};
export function onGuestPicked(fn) { picked = fn; }

export function renderGuests() {
  var ul = $('door-guests');
  ul.textContent = '';
  var q = fold($('door-search').value.trim());
  var data = state.data;
  if (!q || !data || !data.body) return;
  // The server sends each guest a search key: the name and company, and
  // for Chinese names their pinyin in full and as initials, so "wangf" or
  // "wf" finds 王芳. A list saved before keys existed falls back to names.
  var bare = q.replace(/\s+/g, '');
  var list = data.body.guests.filter(function (g) {
    var key = g.search || fold(g.name + ' ' + (g.company || ''));
    return key.indexOf(q) >= 0 || key.indexOf(bare) >= 0;
  }).slice(0, 30);
  if (!list.length) {
    var none = document.createElement('li');
    none.textContent = t('door.search_none');
    ul.appendChild(none);
    return;
  }
  list.forEach(function (g) {
    var li = document.createElement('li');
    var who = document.createElement('span');
    who.className = 'door-guest-name';
    who.textContent = g.name;
    if (g.guests > 0) {
      var party = document.createElement('span');
      party.className = 'door-guest-party';
      party.textContent = ' ' + t('door.party', { n: g.guests });
      who.appendChild(party);
    }
    var meta = document.createElement('span');
    meta.className = 'door-guest-meta';
    meta.textContent = [g.company, g.job_title].filter(Boolean).join(' · ');
    who.appendChild(meta);
    li.appendChild(who);
    var d = decideGuest(g, g.id);
    if (d.result === 'ok') {
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = t('door.checkin');
      b.addEventListener('click', function () { b.disabled = true; picked(g); });
      li.appendChild(b);
    } else {
      var st = document.createElement('span');
      st.className = 'door-guest-state';
      if (d.result === 'already_checked_in') st.textContent = t('door.status_checked_in', { time: fmtTime(d.checked_in_at) });
      else {
        st.classList.add('bad');
        st.textContent = t({ waitlisted: 'door.status_waitlisted', pending: 'door.status_pending',
          declined: 'door.status_declined' }[g.status] || 'door.status_cancelled');
      }
      li.appendChild(st);
    }
    ul.appendChild(li);
  });
}

export function renderAll() {
  renderNet();
  renderQueue();
  renderCount();
  renderGuests();
  var data = state.data;
  if (data && data.body) {
    $('door-title').textContent = data.body.salon.title;
    if ($('door-auth').hidden) message(t('door.updated', { time: fmtTime(data.fetched_at) }));
  } else if (isOffline()) {
    message(t('door.no_data'));
  }
}

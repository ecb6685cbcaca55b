/* The door scanner. One phone, a queue of guests, wifi that comes and goes.
 *
 * Every scan goes to the server first (it alone knows about other doors);
 * when the network fails or is slow, the phone decides from its saved copy
 * of the guest list and the public keys, shows that answer marked OFFLINE,
 * and queues the check-in to upload, in order, once the network is back.
 * The nonce sent with each scan makes those retries safe.
 *
 * Everything this script keeps lives in localStorage under "salon.door.":
 * the key (per salon), the guest list, the upload queue, this device's id.
 */
(function () {
  'use strict';

  var root = document.getElementById('door');
  if (!root) return;
  var slug = root.getAttribute('data-slug');
  var TEXT = {};
  try { TEXT = JSON.parse(document.getElementById('door-i18n').textContent); } catch (e) { /* keys show */ }

  // A scan answers from the network only if it can do so quickly; after
  // this the phone decides itself and queues the scan.
  var SCAN_TIMEOUT_MS = 2500;
  var DATA_TIMEOUT_MS = 8000;
  var UPLOAD_TIMEOUT_MS = 10000;
  var REFRESH_MS = 15000;
  var PROBE_MS = 5000;
  // The same code is ignored until it has been out of sight this long, so a
  // phone held up to the camera counts once.
  var REPEAT_MS = 3000;
  // The longest code the server accepts (tickets.MaxCodeLen).
  var MAX_CODE_LEN = 144;
  var CONTEXT = new TextEncoder().encode('salon ticket code\u0000');
  var B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

  function $(id) { return document.getElementById(id); }

  function t(key, vars) {
    var s = TEXT[key] || key;
    if (vars) {
      Object.keys(vars).forEach(function (k) { s = s.split('{' + k + '}').join(String(vars[k])); });
    }
    return s;
  }

  var store = {
    get: function (name, fallback) {
      try {
        var v = localStorage.getItem('salon.door.' + name);
        return v === null ? fallback : JSON.parse(v);
      } catch (e) { return fallback; }
    },
    set: function (name, value) {
      try { localStorage.setItem('salon.door.' + name, JSON.stringify(value)); } catch (e) { note(t('door.failed')); }
    },
    del: function (name) {
      try { localStorage.removeItem('salon.door.' + name); } catch (e) { /* nothing kept */ }
    }
  };

  function randomHex(n) {
    var b = new Uint8Array(n);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
  }

  // --- state ---------------------------------------------------------------

  var key = '';
  var data = store.get('data:' + slug, null); // {fetched_at, body}
  var queue = store.get('queue:' + slug, []); // [{body, name}]
  // Check-ins this phone knows of that its copy of the guest list may not:
  // ticket id -> {at: first check-in time, when: ms when learnt}.
  var local = store.get('local:' + slug, {});
  var device = store.get('device', '');
  if (!device) { device = randomHex(12); store.set('device', device); }
  var guestById = {};
  var netDown = false;
  var lastRefresh = 0;
  var started = false;

  function indexGuests() {
    guestById = {};
    if (data && data.body && data.body.guests) {
      data.body.guests.forEach(function (g) { guestById[g.id] = g; });
    }
  }
  indexGuests();

  // --- network -------------------------------------------------------------

  function api(method, path, body, ms) {
    var ctl = new AbortController();
    var timer = setTimeout(function () { ctl.abort(); }, ms);
    var opts = {
      method: method,
      headers: { 'Authorization': 'Bearer ' + key, 'Accept': 'application/json' },
      signal: ctl.signal,
      cache: 'no-store',
      credentials: 'omit'
    };
    if (body) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    return fetch('/api/v1/salons/' + encodeURIComponent(slug) + path, opts).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (json) {
        return { status: res.status, json: json };
      });
    }).finally(function () { clearTimeout(timer); });
  }

  function isOffline() { return !navigator.onLine || netDown; }

  function setNet(up) {
    var was = netDown;
    netDown = !up;
    renderNet();
    if (up && was) { flushQueue(); }
  }

  // refreshing is the guest list request in flight, so a scan made while
  // the first list is still loading can wait for it instead of failing.
  var refreshing = null;
  function refresh() {
    if (!key) return Promise.resolve();
    if (refreshing) return refreshing;
    var began = Date.now();
    lastRefresh = began;
    refreshing = api('GET', '/door', null, DATA_TIMEOUT_MS).then(function (r) {
      if (r.status === 401 || r.status === 403) { keyRejected(); return; }
      if (r.status !== 200 || !r.json || !r.json.guests) return; // server trouble: keep the copy
      setNet(true);
      data = { fetched_at: new Date().toISOString(), body: r.json };
      store.set('data:' + slug, data);
      indexGuests();
      keyCache = {};
      warmKeys();
      pruneLocal(began);
      renderAll();
      flushQueue();
    }, function () { setNet(false); }).finally(function () { refreshing = null; });
    return refreshing;
  }

  // pruneLocal forgets check-ins the server's list now shows, or that it
  // does not show although they were made before the list was fetched (an
  // organizer undid them); scans still waiting in the queue stay.
  function pruneLocal(before) {
    var queued = {};
    queue.forEach(function (q) { if (q.tid) queued[q.tid] = true; });
    Object.keys(local).forEach(function (id) {
      if (!queued[id] && local[id].when < before) delete local[id];
    });
    store.set('local:' + slug, local);
  }

  var flushing = false;
  function flushQueue() {
    if (flushing || !queue.length || !key || !navigator.onLine) return;
    flushing = true;
    var step = function () {
      if (!queue.length) { flushing = false; renderQueue(true); return; }
      return api('POST', '/checkins', queue[0].body, UPLOAD_TIMEOUT_MS).then(function (r) {
        if (r.status === 401 || r.status === 403) { keyRejected(); flushing = false; return; }
        if (r.status >= 500 || r.status === 429 || r.status === 408) {
          note(t('door.queue_upload_failed'));
          flushing = false;
          return;
        }
        netDown = false;
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

  function keyRejected() {
    $('door-auth').hidden = false;
    message(t('door.key_rejected'));
  }

  // --- ticket codes, checked on the phone ----------------------------------

  // parseCode mirrors tickets.Verify's format checks: base32 without
  // padding, zero trailing bits, minimal uvarints, nothing left over. Ids
  // stay strings: they may exceed what a JS number holds exactly.
  function parseCode(s) {
    s = String(s).trim();
    if (s.length > MAX_CODE_LEN) return null;
    s = s.replace(/[a-z]/g, function (c) { return c.toUpperCase(); });
    var out = [], bits = 0, acc = 0;
    for (var i = 0; i < s.length; i++) {
      var v = B32.indexOf(s.charAt(i));
      if (v < 0) return null;
      acc = (acc << 5) | v;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out.push((acc >> bits) & 255);
        acc &= (1 << bits) - 1;
      }
    }
    if (bits >= 5 || acc !== 0) return null;
    var raw = new Uint8Array(out);
    if (raw.length < 4 + 64) return null;
    var payload = raw.slice(0, raw.length - 64);
    if (payload[0] !== 1) return null;
    var vals = [], pos = 1;
    for (var k = 0; k < 3; k++) {
      var r = uvarint(payload, pos);
      if (!r) return null;
      vals.push(r[0]);
      pos = r[1];
    }
    var max63 = (BigInt(1) << BigInt(63)) - BigInt(1);
    if (pos !== payload.length || vals[0] > BigInt(0xffffffff) ||
        vals[1] < BigInt(1) || vals[1] > max63 || vals[2] < BigInt(1) || vals[2] > max63) return null;
    return {
      keyId: Number(vals[0]), ticketId: vals[1].toString(), salonId: vals[2].toString(),
      payload: payload, sig: raw.slice(raw.length - 64)
    };
  }

  function uvarint(p, i) {
    var x = BigInt(0), shift = BigInt(0);
    for (var n = 0; n < 10 && i + n < p.length; n++) {
      var b = p[i + n];
      if (n === 9 && b > 1) return null;
      x |= BigInt(b & 127) << shift;
      if (b < 128) {
        if (n > 0 && b === 0) return null; // padded: not the one spelling
        return [x, i + n + 1];
      }
      shift += BigInt(7);
    }
    return null;
  }

  function b64(s) {
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  var keyCache = {};
  var subtleEd25519 = true;
  var noble = null;

  function findKey(id) {
    var keys = (data && data.body && data.body.public_keys) || [];
    for (var i = 0; i < keys.length; i++) if (Number(keys[i].id) === id) return keys[i];
    return null;
  }

  function importKey(k) {
    if (!keyCache[k.id]) {
      keyCache[k.id] = crypto.subtle.importKey('raw', b64(k.ed25519), { name: 'Ed25519' }, false, ['verify']);
    }
    return keyCache[k.id];
  }

  // warmKeys imports the keys as soon as the list arrives, so the first
  // offline scan does not pay for it; where WebCrypto lacks Ed25519 it loads
  // the vendored fallback instead.
  function warmKeys() {
    var keys = (data && data.body && data.body.public_keys) || [];
    if (!keys.length) return;
    if (subtleEd25519 && crypto.subtle) {
      importKey(keys[0]).catch(function () { subtleEd25519 = false; loadNoble(); });
    } else {
      loadNoble();
    }
  }

  function loadNoble() {
    if (!noble) noble = import('/static/vendor/noble-ed25519/index.js');
    return noble;
  }

  function verifySig(c) {
    var k = findKey(c.keyId);
    if (!k) return Promise.resolve(false);
    var msg = new Uint8Array(CONTEXT.length + c.payload.length);
    msg.set(CONTEXT, 0);
    msg.set(c.payload, CONTEXT.length);
    var viaNoble = function () {
      return loadNoble().then(function (ed) { return ed.verifyAsync(c.sig, msg, b64(k.ed25519), { zip215: false }); });
    };
    if (!subtleEd25519 || !crypto.subtle) return viaNoble();
    return importKey(k).then(function (ck) {
      return crypto.subtle.verify({ name: 'Ed25519' }, ck, c.sig, msg);
    }, function () {
      subtleEd25519 = false;
      return viaNoble();
    });
  }

  // decideGuest is tickets.DecideCheckin on the phone's copy of the list.
  function decideGuest(g, id) {
    if (g && g.status !== 'confirmed') return { result: 'not_confirmed', ticket: g };
    var prior = (local[id] && local[id].at) || (g && g.checked_in_at);
    if (prior) return { result: 'already_checked_in', ticket: g, checked_in_at: prior };
    return { result: 'ok', ticket: g || null, unknown: !g };
  }

  function localCheck(code, waited) {
    if ((!data || !data.body) && refreshing && !waited) {
      return refreshing.then(function () { return localCheck(code, true); });
    }
    if (!data || !data.body) return Promise.resolve({ result: 'failed', detail: t('door.no_data') });
    var c = parseCode(code);
    if (!c) return Promise.resolve({ result: 'invalid' });
    return verifySig(c).then(function (ok) {
      if (!ok) return { result: 'invalid' };
      if (String(data.body.salon.id) !== c.salonId) return { result: 'wrong_salon' };
      var g = guestById[c.ticketId];
      if ((data.body.revoked || []).indexOf(c.ticketId) >= 0) return { result: 'not_confirmed', ticket: g };
      var d = decideGuest(g, c.ticketId);
      d.tid = c.ticketId;
      return d;
    }, function () { return { result: 'invalid' }; });
  }

  // --- check-ins -------------------------------------------------------------

  function remember(id, at) {
    if (!id || local[id]) return;
    local[id] = { at: at || new Date().toISOString(), when: Date.now() };
    store.set('local:' + slug, local);
  }

  function enqueue(body, tid, name) {
    var item = { body: Object.assign({}, body, { offline: true }), tid: tid || '', name: name || '' };
    queue.push(item);
    store.set('queue:' + slug, queue);
    remember(tid, body.scanned_at);
    renderQueue();
  }

  // checkIn sends one scan or one check-in by hand and shows the answer.
  // decideOffline gives the phone's own answer when the network cannot.
  function checkIn(body, decideOffline, t0) {
    var viaNetwork = isOffline() ? Promise.resolve(null) : api('POST', '/checkins', body, SCAN_TIMEOUT_MS).then(function (r) {
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

  function scanned(code, t0) {
    var body = { code: code, nonce: randomHex(16), device: device, scanned_at: new Date().toISOString() };
    return checkIn(body, function () { return localCheck(code); }, t0);
  }

  function byHand(g) {
    var body = { ticket_id: g.id, nonce: randomHex(16), device: device, scanned_at: new Date().toISOString() };
    return checkIn(body, function () {
      var d = decideGuest(guestById[g.id] || g, g.id);
      d.tid = g.id;
      return Promise.resolve(d);
    }, performance.now());
  }

  // --- the answer ------------------------------------------------------------

  var hideTimer = 0;
  function show(ans, offline, t0) {
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
    el.hidden = false;
    feedback(kind);
    // Measured in the frame that first paints the answer.
    requestAnimationFrame(function () {
      el.setAttribute('data-elapsed-ms', (performance.now() - t0).toFixed(1));
    });
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hideResult, kind === 'ok' ? 4000 : 6000);
  }

  function hideResult() {
    clearTimeout(hideTimer);
    $('door-result').hidden = true;
  }

  var audio = null;
  function unlockAudio() {
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

  // --- camera ------------------------------------------------------------------

  var video = $('door-video');
  var stream = null, detector = null, worker = null, pending = null, seq = 0;
  var canvas = document.createElement('canvas');
  var ctx2d = canvas.getContext('2d', { willReadFrequently: true });
  var lastSeen = {};

  function cameraFailed() {
    $('door-camera-msg').textContent = t('door.camera_denied');
    $('door-camera-start').hidden = false;
  }

  function startCamera() {
    if (stream) return;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { cameraFailed(); return; }
    navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } }
    }).then(function (s) {
      stream = s;
      video.srcObject = s;
      var p = video.play();
      if (p && p.catch) p.catch(function () { /* autoplay of a muted video is allowed */ });
      $('door-camera-start').hidden = true;
      $('door-camera-msg').textContent = t('door.camera_hint');
      return pickDecoder();
    }).then(function () { if (stream) scanLoop(); }, cameraFailed);
  }

  function pickDecoder() {
    var useWorker = function () {
      worker = new Worker('/static/door-qr-worker.js');
      worker.onmessage = function (e) {
        if (pending && pending.id === e.data.id) { var p = pending; pending = null; p.resolve(e.data.text); }
      };
      worker.onerror = function () {
        if (pending) { var p = pending; pending = null; p.resolve(null); }
      };
    };
    if (!('BarcodeDetector' in window)) { useWorker(); return Promise.resolve(); }
    return window.BarcodeDetector.getSupportedFormats().then(function (f) {
      if (f.indexOf('qr_code') >= 0) detector = new window.BarcodeDetector({ formats: ['qr_code'] });
      else useWorker();
    }, useWorker);
  }

  function decodeFrame() {
    if (detector) {
      return detector.detect(video).then(function (list) { return list.length ? list[0].rawValue : null; });
    }
    var w = video.videoWidth, h = video.videoHeight;
    if (!w || !h) return Promise.resolve(null);
    // jsQR's time grows with the pixel count; 640 on the long side still
    // reads a ticket held at a comfortable distance.
    var s = Math.min(1, 640 / Math.max(w, h));
    var cw = Math.round(w * s), ch = Math.round(h * s);
    if (canvas.width !== cw) canvas.width = cw;
    if (canvas.height !== ch) canvas.height = ch;
    ctx2d.drawImage(video, 0, 0, cw, ch);
    var img = ctx2d.getImageData(0, 0, cw, ch);
    return new Promise(function (resolve) {
      pending = { id: ++seq, resolve: resolve };
      worker.postMessage({ id: seq, width: cw, height: ch, buf: img.data.buffer }, [img.data.buffer]);
    });
  }

  function scanLoop() {
    if (!stream) return;
    if (document.hidden || video.readyState < 2) { setTimeout(scanLoop, 200); return; }
    decodeFrame().then(function (text) {
      if (text) detected(text);
    }, function () { /* a bad frame */ }).then(function () { setTimeout(scanLoop, detector ? 50 : 20); });
  }

  function detected(text) {
    var now = performance.now();
    var prev = lastSeen[text];
    lastSeen[text] = now;
    if (prev !== undefined && now - prev < REPEAT_MS) return;
    Object.keys(lastSeen).forEach(function (k) { if (now - lastSeen[k] > 60000) delete lastSeen[k]; });
    scanned(text, now);
  }

  // --- the rest of the screen ------------------------------------------------

  function fmtTime(iso) {
    if (!iso) return '';
    var d = new Date(iso);
    if (isNaN(d.getTime())) return String(iso);
    var opts = { hour: '2-digit', minute: '2-digit' };
    var tz = data && data.body && data.body.salon && data.body.salon.timezone;
    try {
      return d.toLocaleTimeString(document.documentElement.lang || undefined, Object.assign({ timeZone: tz || undefined }, opts));
    } catch (e) {
      return d.toLocaleTimeString(undefined, opts);
    }
  }

  function message(s) { $('door-message').textContent = s; }

  var noteTimer = 0;
  function note(s) {
    $('door-notes').textContent = s;
    clearTimeout(noteTimer);
    noteTimer = setTimeout(function () { $('door-notes').textContent = ''; }, 15000);
  }

  function renderNet() {
    var off = isOffline();
    var net = $('door-net');
    net.textContent = off ? t('door.offline') : t('door.online');
    net.classList.toggle('off', off);
    $('door-offline').hidden = !off;
  }

  var syncedTimer = 0;
  function renderQueue(justEmptied) {
    var el = $('door-queue');
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
    if (!data || !data.body || !data.body.counts) return;
    var c = data.body.counts, extra = 0;
    Object.keys(local).forEach(function (id) {
      var g = guestById[id];
      if (!g || !g.checked_in_at) extra++;
    });
    $('door-count').textContent = t('door.count', { checked: c.checked_in + extra, confirmed: c.confirmed });
  }

  function fold(s) {
    return String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }

  function renderGuests() {
    var ul = $('door-guests');
    ul.textContent = '';
    var q = fold($('door-search').value.trim());
    if (!q || !data || !data.body) return;
    var list = data.body.guests.filter(function (g) { return fold(g.name).indexOf(q) >= 0; }).slice(0, 30);
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
        b.addEventListener('click', function () { b.disabled = true; byHand(g); });
        li.appendChild(b);
      } else {
        var st = document.createElement('span');
        st.className = 'door-guest-state';
        if (d.result === 'already_checked_in') st.textContent = t('door.status_checked_in', { time: fmtTime(d.checked_in_at) });
        else {
          st.classList.add('bad');
          st.textContent = g.status === 'waitlisted' ? t('door.status_waitlisted') : t('door.status_cancelled');
        }
        li.appendChild(st);
      }
      ul.appendChild(li);
    });
  }

  function renderAll() {
    renderNet();
    renderQueue();
    renderCount();
    renderGuests();
    if (data && data.body) {
      $('door-title').textContent = data.body.salon.title;
      if ($('door-auth').hidden) message(t('door.updated', { time: fmtTime(data.fetched_at) }));
    } else if (isOffline()) {
      message(t('door.no_data'));
    }
  }

  // --- start -----------------------------------------------------------------

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
    key = store.get('key:' + slug, '');
    if (!key) {
      $('door-auth').hidden = false;
      message('');
      return;
    }
    $('door-auth').hidden = true;
    $('door-forget').hidden = false;
    $('door-scan').hidden = false;
    $('door-manual').hidden = false;
    renderAll();
    warmKeys();
    if (!started) {
      started = true;
      startCamera();
      setInterval(tick, PROBE_MS);
    }
    refresh();
  }

  // tick refreshes the list every REFRESH_MS while online, and probes every
  // PROBE_MS while the network is down so that the queue leaves soon after
  // it returns.
  function tick() {
    if (!navigator.onLine) return;
    if (netDown || Date.now() - lastRefresh >= REFRESH_MS) refresh();
    else flushQueue();
  }

  $('door-auth').addEventListener('submit', function (e) {
    e.preventDefault();
    var v = $('door-key').value.trim();
    if (!v) return;
    store.set('key:' + slug, v);
    $('door-key').value = '';
    start();
  });
  $('door-forget').addEventListener('click', function () {
    store.del('key:' + slug);
    location.reload();
  });
  $('door-camera-start').addEventListener('click', function () { unlockAudio(); startCamera(); });
  $('door-result').addEventListener('click', hideResult);
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') hideResult(); });
  // Browsers start sound only after a touch; the first one anywhere will do.
  document.addEventListener('pointerdown', unlockAudio, { passive: true });
  $('door-search').addEventListener('input', renderGuests);
  window.addEventListener('online', function () { renderNet(); refresh(); });
  window.addEventListener('offline', renderNet);

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/door/sw.js', { scope: '/door/' }).then(function () {
      // The worker was not there when this page loaded, so it has no copy
      // of it yet; store one now for a reload without network. The cache
      // name is door-sw.js's.
      return caches.open('salon-door-v1').then(function (c) { return c.add(location.pathname); });
    }).catch(function () { /* the page works without; only offline reloads need it */ });
  }
  takeKeyFromFragment();
  start();
}());

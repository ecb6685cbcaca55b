/* Ticket codes, checked on the phone: the format checks of tickets.Verify
 * and the Ed25519 signature, by WebCrypto or, where it lacks Ed25519, the
 * vendored @noble/ed25519. The format comes from the server (config.js). */
import { config } from './config.js';

var CONTEXT = new TextEncoder().encode(config.code_context || '');
var B32 = config.code_alphabet || '';

// parseCode mirrors tickets.Verify's format checks: base32 without
// padding, zero trailing bits, minimal uvarints, nothing left over. Ids
// stay strings: they may exceed what a JS number holds exactly.
export function parseCode(s) {
  s = String(s).trim();
  if (!B32 || s.length > config.max_code_len) return null;
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
  var sigSize = config.signature_size;
  if (raw.length < config.min_payload + sigSize) return null;
  var payload = raw.slice(0, raw.length - sigSize);
  if (payload[0] !== config.code_version) return null;
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
    payload: payload, sig: raw.slice(raw.length - sigSize)
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

// resetKeys forgets the imported keys, for a new guest list's keys.
export function resetKeys() { keyCache = {}; }

function findKey(keys, id) {
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
export function warmKeys(keys) {
  if (!keys.length) return;
  if (subtleEd25519 && crypto.subtle) {
    importKey(keys[0]).catch(function () { subtleEd25519 = false; loadNoble(); });
  } else {
    loadNoble();
  }
}

// The fallback is relative to this module, so it is the one of the same
// static version.
function loadNoble() {
  if (!noble) noble = import('../vendor/noble-ed25519/index.js');
  return noble;
}

// verifySig checks a parsed code's signature against keys, the public keys
// of the saved guest list.
export function verifySig(c, keys) {
  var k = findKey(keys, c.keyId);
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

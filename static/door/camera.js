/* The camera: reads QR codes with the browser's BarcodeDetector where it
 * has one, else with jsQR in a worker (qr-worker.js), and hands each new
 * code to the page. */
import { t } from './config.js';
import { $ } from './dom.js';

// The same code is ignored until it has been out of sight this long, so a
// phone held up to the camera counts once.
var REPEAT_MS = 3000;

var video = null, onCode = null;
var stream = null, detector = null, worker = null, pending = null, seq = 0;
var canvas = document.createElement('canvas');
var ctx2d = canvas.getContext('2d', { willReadFrequently: true });
var lastSeen = {};

function cameraFailed() {
  $('door-camera-msg').textContent = t('door.camera_denied');
  $('door-camera-start').hidden = false;
}

// startCamera starts filming, once, and calls found(text, t0) for each
// code that comes into sight, t0 being performance.now() when it was read.
export function startCamera(found) {
  onCode = found;
  video = $('door-video');
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
    // Relative to this module, so the worker is of the same static version.
    worker = new Worker(new URL('./qr-worker.js', import.meta.url));
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
  onCode(text, now);
}

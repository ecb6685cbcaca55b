/* Decodes QR codes off the page's thread where the browser has no
   BarcodeDetector, so the screen stays responsive while jsQR works on a
   frame. Vendored jsQR 1.4.0 (Apache-2.0), see ../vendor/README.md. */
'use strict';
// Relative, so it loads the jsQR of the same static version as this file.
importScripts('../vendor/jsqr/jsQR.js');

self.onmessage = function (e) {
  var d = e.data;
  var text = null;
  try {
    // Tickets are printed dark on light; skipping the inverted pass halves
    // the work per frame.
    var r = self.jsQR(new Uint8ClampedArray(d.buf), d.width, d.height, { inversionAttempts: 'dontInvert' });
    if (r && r.data) text = r.data;
  } catch (err) {
    text = null;
  }
  self.postMessage({ id: d.id, text: text });
};

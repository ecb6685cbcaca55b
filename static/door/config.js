/* What the server tells the door page, read from the page's JSON blocks
 * (the CSP allows no inline script; a JSON block is data, never run):
 * door-config holds the ticket code format, taken from the Go constants so
 * the phone's offline check cannot drift from the server's, and where the
 * API and the service worker are; door-i18n the texts in the page's
 * language. */

function block(id) {
  try { return JSON.parse(document.getElementById(id).textContent); } catch (e) { return null; }
}

export const config = block('door-config') || {};
const TEXT = block('door-i18n') || {}; // missing: the keys show

var root = document.getElementById('door');
export const slug = root ? root.getAttribute('data-slug') : '';

// Chinese texts write their placeholders with no space around them; a
// value filled in gets one where it meets the text as a Chinese character
// beside a Latin letter or digit ("3 条待上传", "Ana 已在…"), and none
// beside Chinese ("王芳已在…"), as the server's catalogue does (app/i18n).
var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
var LATIN = /[A-Za-z0-9\u00c0-\u024f]/;
function gap(a, b) {
  return a && b && ((HAN.test(a) && LATIN.test(b)) || (LATIN.test(a) && HAN.test(b))) ? ' ' : '';
}

export function t(key, vars) {
  var s = TEXT[key] || key;
  if (vars) {
    Object.keys(vars).forEach(function (k) {
      var v = String(vars[k]), parts = s.split('{' + k + '}');
      s = parts[0];
      for (var i = 1; i < parts.length; i++) {
        s += gap(s.slice(-1), v.charAt(0)) + v + gap(v.slice(-1), parts[i].charAt(0)) + parts[i];
      }
    });
  }
  return s;
}

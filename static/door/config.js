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

export function t(key, vars) {
  var s = TEXT[key] || key;
  if (vars) {
    Object.keys(vars).forEach(function (k) { s = s.split('{' + k + '}').join(String(vars[k])); });
  }
  return s;
}

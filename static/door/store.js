/* Everything the door page keeps lives in localStorage under "salon.door.":
 * the key (per salon), the guest list, the upload queue, this device's id. */
import { t } from './config.js';
import { note } from './dom.js';

export const store = {
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

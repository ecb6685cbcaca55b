/* The few page helpers every other module uses; they depend on nothing. */

export function $(id) { return document.getElementById(id); }

export function message(s) { $('door-message').textContent = s; }

var noteTimer = 0;
export function note(s) {
  $('door-notes').textContent = s;
  clearTimeout(noteTimer);
  noteTimer = setTimeout(function () { $('door-notes').textContent = ''; }, 15000);
}

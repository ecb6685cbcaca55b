// Console niceties. Every page works without this script; it only keeps
// counts fresh and helps copy secrets that are shown once.
(function () {
  'use strict';

  // Live counts: elements marked data-live (with an id) are refreshed from
  // the same page every 10 seconds while the tab is visible.
  var live = document.querySelectorAll('[data-live][id]');
  if (live.length > 0) {
    var refresh = function () {
      if (document.hidden) { return; }
      fetch(location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' }, redirect: 'error' })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (!html) { return; }
          var doc = new DOMParser().parseFromString(html, 'text/html');
          live.forEach(function (el) {
            var fresh = doc.getElementById(el.id);
            if (fresh && fresh.textContent !== el.textContent) { el.textContent = fresh.textContent; }
          });
        })
        .catch(function () { /* offline or signed out: keep what is shown */ });
    };
    setInterval(refresh, 10000);
  }

  // Secrets shown once: select on focus, and a copy button where the
  // clipboard is available.
  document.querySelectorAll('input.copy').forEach(function (input) {
    input.addEventListener('focus', function () { input.select(); });
    if (!navigator.clipboard) { return; }
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'small';
    // The words come from the page, which has them from the catalogue.
    b.textContent = input.dataset.copy || 'Copy';
    b.addEventListener('click', function () {
      navigator.clipboard.writeText(input.value).then(function () {
        b.textContent = input.dataset.copied || b.textContent;
      });
    });
    input.insertAdjacentElement('afterend', b);
  });
})();

// Salon pages work without this script. It only hides a salon's time zone
// when the reader's browser is already in it, so "(Asia/Shanghai)" is shown
// to people reading from elsewhere.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  var els = document.querySelectorAll(".tz[data-tz]");
  for (var i = 0; i < els.length; i++) {
    if (els[i].getAttribute("data-tz") === zone) {
      els[i].hidden = true;
    }
  }
})();

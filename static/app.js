// Salon pages work without this script. It hides a salon's time zone
// when the reader's browser is already in it, so "(Asia/Shanghai)" is shown
// to people reading from elsewhere, and sends the listing's filter as soon
// as an industry is chosen (without the script, a button does).
(function () {
  "use strict";
  var selects = document.querySelectorAll("select[data-autosubmit]");
  for (var i = 0; i < selects.length; i++) {
    selects[i].addEventListener("change", function (e) {
      var form = e.target.form;
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    });
  }
})();
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

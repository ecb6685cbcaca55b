// The salon page's share button and poster. The page works without this
// script; it only adds them (both start hidden).
//
// Share: the Web Share API where the browser has it (phones: WeChat,
// messages), else the link is copied to the clipboard.
//
// Poster: drawn here on a canvas rather than on the server so that Chinese
// titles render with the phone's own fonts; the QR code is the server's
// PNG of the salon's address (same origin, so the canvas stays exportable).
(function () {
  "use strict";

  var share = document.getElementById("share");
  if (share) {
    var status = document.querySelector(".share-status");
    share.hidden = false;
    share.addEventListener("click", function () {
      var url = share.getAttribute("data-url");
      var say = function (text) { if (status) { status.textContent = text; } };
      if (navigator.share) {
        navigator.share({ title: share.getAttribute("data-title"), url: url }).catch(function () {});
        return;
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(function () {
          say(share.getAttribute("data-copied"));
        }, function () {
          say(share.getAttribute("data-failed") + " " + url);
        });
        return;
      }
      say(share.getAttribute("data-failed") + " " + url);
    });
  }

  var poster = document.getElementById("poster");
  if (!poster || !window.HTMLCanvasElement) {
    return;
  }
  var canvas = poster.querySelector("canvas");
  var save = document.getElementById("poster-save");
  var make = document.getElementById("poster-make");
  if (!canvas || !canvas.getContext || !canvas.toBlob) {
    return;
  }
  poster.hidden = false;

  var font = 'system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

  // wrap breaks text into lines that fit width: at spaces for Latin text,
  // anywhere for Chinese (which has no spaces).
  function wrap(ctx, text, width) {
    var lines = [];
    var line = "";
    var chars = Array.from(text);
    for (var i = 0; i < chars.length; i++) {
      var next = line + chars[i];
      if (line && ctx.measureText(next).width > width) {
        var cut = line.lastIndexOf(" ");
        if (cut > 0 && chars[i] !== " ") {
          lines.push(line.slice(0, cut));
          line = line.slice(cut + 1) + chars[i];
        } else {
          lines.push(line);
          line = chars[i] === " " ? "" : chars[i];
        }
      } else {
        line = next;
      }
    }
    if (line) {
      lines.push(line);
    }
    return lines;
  }

  function draw(qr) {
    var ctx = canvas.getContext("2d");
    var w = canvas.width, h = canvas.height, pad = 80;
    ctx.fillStyle = "#0b3f75";
    ctx.fillRect(0, 0, w, h);
    ctx.fillStyle = "#ffffff";
    ctx.textBaseline = "top";
    ctx.font = "700 40px " + font;
    ctx.fillText(poster.getAttribute("data-site"), pad, pad);
    var y = pad + 100;
    ctx.font = "700 76px " + font;
    wrap(ctx, poster.getAttribute("data-title"), w - 2 * pad).slice(0, 4).forEach(function (l) {
      ctx.fillText(l, pad, y);
      y += 96;
    });
    y += 24;
    ctx.font = "400 44px " + font;
    [poster.getAttribute("data-when"), poster.getAttribute("data-where")].forEach(function (t) {
      if (!t) { return; }
      wrap(ctx, t, w - 2 * pad).slice(0, 3).forEach(function (l) {
        ctx.fillText(l, pad, y);
        y += 58;
      });
      y += 16;
    });
    var side = 480, qx = (w - side) / 2, qy = h - side - pad - 80;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(qx - 24, qy - 24, side + 48, side + 48);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(qr, qx, qy, side, side);
    ctx.fillStyle = "#ffffff";
    ctx.font = "600 44px " + font;
    ctx.textAlign = "center";
    ctx.fillText(poster.getAttribute("data-scan"), w / 2, qy + side + 44);
    ctx.textAlign = "start";
    canvas.hidden = false;
    canvas.toBlob(function (blob) {
      if (!blob) { return; }
      if (save.href) { URL.revokeObjectURL(save.href); }
      save.href = URL.createObjectURL(blob);
      save.hidden = false;
      poster.setAttribute("data-ready", "1");
    }, "image/png");
  }

  make.addEventListener("click", function () {
    var qr = new Image();
    qr.onload = function () { draw(qr); };
    qr.src = poster.getAttribute("data-qr");
  });
})();

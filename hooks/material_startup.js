/* The end of every page's <head> (hooks/material_startup.py): what Material's bundle does to the
   head at start-up, done while <body> is still empty. PALETTE and COLOR_SCHEMES are filled in by
   the hook. */
(function () {
  "use strict";
  var head = document.head;
  // Instant navigation (Material's vi()) makes each relative href/src absolute. On a <link
  // rel=stylesheet> that reloads the sheet and the whole page is restyled; made absolute now,
  // the bundle leaves them alone.
  head.querySelectorAll("[href], [src]").forEach(function (el) {
    ["href", "src"].some(function (name) {
      var value = el.getAttribute(name);
      if (!value || /^(?:[a-z]+:)?\/\//i.test(value)) return false;
      el[name] = el[name];
      return true;
    });
  });
  // The palette's <meta name="color-scheme">: made here, with the value Material will compute,
  // and found by the bundle (patched by the hook) instead of appended. Every insertion or content
  // write of that meta restyles the whole page, even with the same value, so only a new value
  // is written.
  var palette = PALETTE, schemes = COLOR_SCHEMES;
  var stored = typeof __md_get === "function" ? __md_get("__palette") : null;
  var index = stored ? stored.index : palette.findIndex(function (p) {
    return matchMedia(p.media).matches;
  });
  var entry = palette[Math.max(0, Math.min(index, palette.length - 1))] || {};
  if (entry.media === "(prefers-color-scheme)") {
    var media = "(prefers-color-scheme: " +
      (matchMedia("(prefers-color-scheme: light)").matches ? "light" : "dark") + ")";
    entry = palette.find(function (p) { return p.media === media; }) || {};
  }
  var meta = document.createElement("meta");
  meta.setAttribute("name", "color-scheme");
  meta.setAttribute("content", schemes[entry.scheme] || "normal");
  Object.defineProperty(meta, "content", {
    get: function () { return meta.getAttribute("content"); },
    set: function (value) { if (value !== meta.getAttribute("content")) meta.setAttribute("content", value); }
  });
  head.appendChild(meta);
})();

/*
 * scroll-regions.js — keyboard access to tables that scroll sideways (axe scrollable-region-focusable).
 *
 * Material wraps every table in a .md-typeset__scrollwrap that scrolls horizontally when the
 * table is wider than the page. A keyboard user can only scroll it if it can take focus, so a
 * wrapper that actually overflows gets tabindex="0", role="region" and a label naming the table
 * (its header cells); a wrapper that fits gets none (no useless tab stop). Re-checked on resize
 * and after every instant navigation (document$).
 */
(function () {
  "use strict";

  function label(wrap) {
    var cells = wrap.querySelectorAll("thead th");
    var names = Array.prototype.map.call(cells, function (th) { return th.textContent.trim(); })
      .filter(Boolean).slice(0, 3);
    return "Table" + (names.length ? " (" + names.join(", ") + ", …)" : "") + ", scrolls sideways";
  }

  function update() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      var overflows = wrap.scrollWidth > wrap.clientWidth + 1;
      if (overflows) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", label(wrap));
      } else if (wrap.getAttribute("tabindex") === "0") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  function soon() {
    // Material mounts the wrappers in its own document$ subscriber; measure after layout.
    window.requestAnimationFrame(function () { window.requestAnimationFrame(update); });
  }

  var timer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 150);
  });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(soon);
  } else {
    document.addEventListener("DOMContentLoaded", soon);
  }
})();

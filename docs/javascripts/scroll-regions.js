/*
 * scroll-regions.js — tables and display formulas that scroll sideways say so, and take focus.
 *
 * Material wraps every table in a .md-typeset__scrollwrap that scrolls horizontally when the
 * table is wider than the page; a display formula (div.arithmatex) scrolls inside itself. For
 * each of these boxes that actually overflows:
 *   - a reader sees it: the box gets .rc-scroll (a fade at each edge that has more to show, see
 *     extra.css) and a "scroll →" hint above its right edge, which turns into "← scroll →" and
 *     "← scroll" as the box is scrolled (the hint is aria-hidden: the label below says it);
 *   - a keyboard user can scroll it (axe scrollable-region-focusable): tabindex="0",
 *     role="region" and a label that names it and says it scrolls sideways ("Table (convention,
 *     divide dW by, default β, …), scrolls sideways", "Formula 2 of 5, scrolls sideways"),
 *     unique on the page (axe landmark-unique).
 * A box that fits gets none of this (no useless tab stop, no hint). Re-checked on resize and after
 * every instant navigation (document$).
 *
 * Code blocks that scroll sideways only get their tab stop here. Material gives one to such a
 * block when it mounts the block, but with content.lazy (mkdocs.yml: it saves one forced layout
 * per block at page load) a block mounts only when it scrolls into view, and a keyboard user
 * must be able to reach and scroll the ones further down too. Same rule as Material's mount, so
 * the two agree: a tab stop where the block overflows and the device has hover.
 */
(function () {
  "use strict";

  var BOXES = ".md-typeset__scrollwrap, .md-typeset div.arithmatex";
  var HINT_CLASS = "rc-scroll-hint";
  var CODE = ".md-typeset pre > code";

  function tableLabel(wrap) {
    var cells = wrap.querySelectorAll("thead th");
    var names = Array.prototype.map.call(cells, function (th) { return th.textContent.trim(); })
      .filter(Boolean).slice(0, 3);
    return "Table" + (names.length ? " (" + names.join(", ") + ", …)" : "");
  }

  function isTable(box) {
    return box.classList.contains("md-typeset__scrollwrap");
  }

  function hintFor(box) {
    var previous = box.previousElementSibling;
    return previous && previous.classList.contains(HINT_CLASS) ? previous : null;
  }

  /** Which edges have more to show: toggles the fade classes and the hint's arrows. */
  function showPosition(box, size) {
    size = size || measure(box);
    var left = size.left > 1;
    var right = size.left + size.width < size.scroll - 1;
    box.classList.toggle("rc-scroll--more-left", left);
    box.classList.toggle("rc-scroll--more-right", right);
    var hint = hintFor(box);
    var text = (left ? "← " : "") + "scroll" + (right ? " →" : "");
    if (hint && hint.textContent !== text) hint.textContent = text;   // a same-text write relayouts
  }

  function measure(box) {
    return { left: box.scrollLeft, width: box.clientWidth, scroll: box.scrollWidth };
  }

  function onScroll(event) {
    showPosition(event.currentTarget);
  }

  function mark(box, label, size) {
    if (!box.classList.contains("rc-scroll")) {
      box.classList.add("rc-scroll");
      box.addEventListener("scroll", onScroll, { passive: true });
    }
    // Written only when it changes: update() runs again when the fonts arrive, and each write
    // restyles the box (and the next read batch then waits for that).
    setIfChanged(box, "tabindex", "0");
    setIfChanged(box, "role", "region");
    setIfChanged(box, "aria-label", label + ", scrolls sideways");
    // hooks/a11y.py puts an empty hint before every table and display formula (an insertion
    // here would restyle the whole article); only a box without one (notebook math) gets one now.
    if (!hintFor(box)) {
      var hint = document.createElement("div");
      hint.className = HINT_CLASS;
      hint.setAttribute("aria-hidden", "true");
      box.parentNode.insertBefore(hint, box);
    }
    showPosition(box, size);
  }

  function setIfChanged(element, name, value) {
    if (element.getAttribute(name) !== value) element.setAttribute(name, value);
  }

  function unmark(box) {
    if (!box.classList.contains("rc-scroll")) return;
    box.classList.remove("rc-scroll", "rc-scroll--more-left", "rc-scroll--more-right");
    box.removeEventListener("scroll", onScroll);
    box.removeAttribute("role");
    box.removeAttribute("aria-label");
    // Display math keeps the tabindex hooks/a11y.py gives it in the HTML; tables lose theirs.
    if (isTable(box)) box.removeAttribute("tabindex");
    var hint = hintFor(box);
    if (hint && hint.textContent) hint.textContent = "";   // empty, the float takes no room
  }

  function update() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll(BOXES));
    var formulas = boxes.filter(function (box) { return !isTable(box); });
    var codes = Array.prototype.slice.call(document.querySelectorAll(CODE));
    var used = {};
    // Every size is read before anything is written: one layout for the page, not one per box
    // (a page of formulas spent a quarter of a second in forced layouts on a slow phone).
    var sizes = boxes.map(measure);
    var codeSizes = codes.map(measure);
    var hover = window.matchMedia("(hover)").matches;
    codes.forEach(function (code, i) {
      var scrolls = hover && codeSizes[i].scroll > codeSizes[i].width + 1;
      // Written only when it changes: most blocks fit, and an attribute write restyles.
      if (scrolls && code.getAttribute("tabindex") !== "0") code.setAttribute("tabindex", "0");
      if (!scrolls && code.hasAttribute("tabindex")) code.removeAttribute("tabindex");
    });
    boxes.forEach(function (box, i) {
      var size = sizes[i];
      if (size.scroll <= size.width + 1) {
        unmark(box);
        return;
      }
      var label = isTable(box) ? tableLabel(box)
        : "Formula " + (formulas.indexOf(box) + 1) + " of " + formulas.length;
      used[label] = (used[label] || 0) + 1;
      if (used[label] > 1) label += " (" + used[label] + ")";
      mark(box, label, size);
    });
  }

  var pending = false;
  function soon() {
    // Material mounts the table wrappers in its own document$ subscriber; measure after layout.
    // One update for triggers that come together (document$ and fonts.ready, at page load).
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      window.requestAnimationFrame(function () { pending = false; update(); });
    });
  }

  var timer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 150);
  });
  // Fonts (KaTeX's included) change widths once they arrive.
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(soon);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(soon);
  } else {
    document.addEventListener("DOMContentLoaded", soon);
  }
})();

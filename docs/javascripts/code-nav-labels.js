/*
 * code-nav-labels.js — gives each code block's action bar a unique accessible name.
 *
 * Material (9.8) adds a <nav class="md-code__nav"> (the copy button) to every code block. On a
 * page with several code blocks (the API reference, notebooks' index) these landmarks share a
 * role and have no name (axe: landmark-unique). Material creates them from its own JavaScript,
 * so they are labelled when they appear. With content.lazy (mkdocs.yml) a bar appears only when its
 * block scrolls into view, in scroll order, so a bar is numbered by its block's place among the
 * page's code blocks, not by the bars present so far: the names stay unique and stable.
 */
(function () {
  "use strict";

  function label() {
    var fresh = document.querySelectorAll(".md-code__nav:not([aria-label])");
    if (!fresh.length) return;   // most mutations (every page load makes many) add no code block
    var blocks = Array.prototype.slice.call(document.querySelectorAll("pre"));
    fresh.forEach(function (nav) {
      var block = nav.closest("[id]");
      nav.setAttribute("aria-label", "Code block " + (blocks.indexOf(nav.closest("pre")) + 1) +
                       " actions" +
                       (block && block.id ? " (" + block.id + ")" : ""));
    });
  }

  new MutationObserver(label).observe(document.documentElement, { childList: true, subtree: true });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(label);
  } else {
    document.addEventListener("DOMContentLoaded", label);
  }
})();

/*
 * katex-init.js — renders pymdownx.arithmatex (generic) math with the vendored KaTeX.
 *
 * KaTeX's JavaScript is loaded only on pages that have math (its CSS is in extra_css, so the
 * layout does not jump when formulas render). URLs are resolved against this script, so they
 * work under a sub-path. Runs inside document$.subscribe: first load and every instant navigation.
 */
(function () {
  "use strict";
  var SCRIPT_URL = (document.currentScript && document.currentScript.src) || window.location.href;
  var KATEX_URL = new URL("../vendor/katex/katex.min.js", SCRIPT_URL).href;
  var AUTORENDER_URL = new URL("../vendor/katex/contrib/auto-render.min.js", SCRIPT_URL).href;
  var ready = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("katex-init.js: could not load " + src)); };
      document.head.appendChild(script);
    });
  }

  function loadKatex() {
    if (!ready) {
      ready = loadScript(KATEX_URL).then(function () { return loadScript(AUTORENDER_URL); });
      ready.catch(function () { ready = null; });
    }
    return ready;
  }

  function renderMath() {
    var blocks = document.querySelectorAll(".arithmatex");
    if (!blocks.length) return;
    loadKatex().then(function () {
      blocks.forEach(function (block) {
        window.renderMathInElement(block, {
          delimiters: [
            { left: "\\(", right: "\\)", display: false },
            { left: "\\[", right: "\\]", display: true }
          ],
          throwOnError: false
        });
      });
    }).catch(function (error) { console.error(error); });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(renderMath);
  } else {
    document.addEventListener("DOMContentLoaded", renderMath);
  }
})();

/*
 * katex-init.js — renders pymdownx.arithmatex (generic) math with the vendored KaTeX.
 *
 * KaTeX (CSS, JavaScript, fonts) is loaded only on pages that have math, after first paint.
 * URLs are resolved against this script, so they work under a sub-path. Runs inside document$.subscribe: first load and every instant navigation.
 */
(function () {
  "use strict";
  var SCRIPT_URL = (document.currentScript && document.currentScript.src) || window.location.href;
  var KATEX_URL = new URL("../vendor/katex/katex.min.js", SCRIPT_URL).href;
  var AUTORENDER_URL = new URL("../vendor/katex/contrib/auto-render.min.js", SCRIPT_URL).href;
  var CSS_URL = new URL("../vendor/katex/katex.min.css", SCRIPT_URL).href;
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

  function loadCss() {
    return new Promise(function (resolve, reject) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = CSS_URL;
      link.onload = resolve;
      link.onerror = function () { reject(new Error("katex-init.js: could not load " + CSS_URL)); };
      document.head.appendChild(link);
    });
  }

  function loadKatex() {
    if (!ready) {
      // Render only once the CSS is in, so formulas never show unstyled.
      ready = Promise.all([loadCss(), loadScript(KATEX_URL)])
        .then(function () { return loadScript(AUTORENDER_URL); });
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

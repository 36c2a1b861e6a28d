/*
 * katex-init.js — renders the math the build did not: hooks/katex.py renders every
 * pymdownx.arithmatex formula at build time (marked data-katex="rendered"); what is left is
 * math the build left unmarked: an arithmatex block or a notebook Markdown cell without
 * data-katex (the hook typesets the notebooks' $...$ too, and marks their cells).
 *
 * KaTeX (CSS, JavaScript, fonts) is loaded only on pages that still have such math, after first paint.
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

  var DELIMITERS = [
    { left: "\\(", right: "\\)", display: false },
    { left: "\\[", right: "\\]", display: true }
  ];
  // Notebook Markdown cells (mkdocs-jupyter) keep Jupyter's $...$ and $$...$$ math as text.
  var NOTEBOOK_DELIMITERS = [{ left: "$$", right: "$$", display: true },
                             { left: "$", right: "$", display: false }].concat(DELIMITERS);

  function renderMath() {
    var blocks = document.querySelectorAll(".arithmatex:not([data-katex])");
    var cells = document.querySelectorAll(".jupyter-wrapper .jp-RenderedMarkdown:not([data-katex])");
    if (!blocks.length && !cells.length) return;
    loadKatex().then(function () {
      blocks.forEach(function (block) {
        window.renderMathInElement(block, { delimiters: DELIMITERS, throwOnError: false });
      });
      cells.forEach(function (cell) {
        window.renderMathInElement(cell, { delimiters: NOTEBOOK_DELIMITERS, throwOnError: false });
      });
    }).catch(function (error) { console.error(error); });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(renderMath);
  } else {
    document.addEventListener("DOMContentLoaded", renderMath);
  }
})();

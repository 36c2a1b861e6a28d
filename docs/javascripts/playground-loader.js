/*
 * playground-loader.js — loads the Playground's scripts only on the page that has a Playground.
 *
 * Listed in extra_javascript, they were fetched, parsed and compiled on every page of the site
 * (about 40 KiB gzip before any interaction, on pages that never use them). This loader is on
 * every page instead; when the document has #rc-playground (first load, or an instant
 * navigation to it) it appends the scripts once, in order (async = false keeps the order of
 * dynamically inserted scripts). ui.js then subscribes to document$ itself, which replays the
 * current document, so the Playground starts on the page that loaded it.
 *
 * Its style sheet, playground.css, is linked in the head of the Playground's page only (front
 * matter `stylesheets:`); an instant navigation keeps the head of the page it came from, so the
 * loader links the sheet then, and keeps the Playground hidden until it applies (no unstyled
 * flash of its controls and of all four of its pictures at once).
 *
 * URLs are resolved against this script, so they work under a sub-path.
 */
(function () {
  "use strict";
  var BASE = (document.currentScript && document.currentScript.src) || window.location.href;
  var SCRIPTS = [
    "../generated/data/playground-defaults.js",   // hooks/playground_defaults.py: engine.js reads it
    "playground/formula.js",
    "playground/engine.js",
    "playground/query.js",
    "playground/custom.js",
    "playground/plots.js",
    "playground/ui.js",   // last: starts the Playground
  ];
  var STYLESHEET = "../stylesheets/playground.css";
  var loaded = false;

  /** Links playground.css unless the page already has it; calls done once it applies. */
  function styled(root, done) {
    var href = new URL(STYLESHEET, BASE).href;
    var present = Array.prototype.some.call(document.querySelectorAll('link[rel="stylesheet"]'),
      function (link) { return link.href === href; });
    if (present) return done();
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    root.style.visibility = "hidden";
    link.onload = link.onerror = function () {
      root.style.visibility = "";
      done();
    };
    document.head.appendChild(link);
  }

  function load() {
    var root = document.getElementById("rc-playground");
    if (loaded || !root) return;
    loaded = true;
    styled(root, scripts);
  }

  function scripts() {
    SCRIPTS.forEach(function (path) {
      var script = document.createElement("script");
      script.src = new URL(path, BASE).href;
      script.async = false;
      script.onerror = function () {
        var root = document.getElementById("rc-playground");
        if (root) root.textContent = "The Playground could not start: " + path + " did not load.";
      };
      document.head.appendChild(script);
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(load);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", load);
  else load();
})();

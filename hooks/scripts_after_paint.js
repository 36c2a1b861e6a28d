/* The end of every page's <body> (hooks/scripts_after_paint.py): the page's scripts, loaded
   after its first frame. The hook fills in the list, in the order the page had them. */
(function () {
  "use strict";
  var sources = SOURCES;
  // Material's bundle waits for DOMContentLoaded, which has fired by the time it runs now: a
  // listener for it added after the document has loaded is called at once (asynchronously, as
  // the event would have been), and only that event is treated so.
  var add = document.addEventListener;
  document.addEventListener = function (type, listener, options) {
    if (type !== "DOMContentLoaded" || document.readyState === "loading") {
      return add.call(this, type, listener, options);
    }
    var event = new Event("DOMContentLoaded");
    Promise.resolve().then(function () {
      if (typeof listener === "function") listener.call(document, event);
      else if (listener && typeof listener.handleEvent === "function") listener.handleEvent(event);
    });
  };
  var started = false;
  function load() {
    if (started) return;
    started = true;
    sources.forEach(function (src, i) {
      var script = document.createElement("script");
      script.src = src;
      script.async = false;   // run in the listed order, as deferred scripts did
      // The last one's load event comes after all of them have run (the browser tests wait for it).
      if (i === sources.length - 1) script.onload = function () { window.rcScriptsRun = true; };
      document.body.appendChild(script);
    });
  }
  // After the frame that paints the page (a task after the animation frame that precedes it);
  // a page opened in a background tab, which has no frames, loads them on a timer instead.
  requestAnimationFrame(function () { setTimeout(load, 0); });
  setTimeout(load, 1000);
})();

/*
 * search-on-demand.js — the search index is downloaded when a reader goes to search, not on
 * every page load.
 *
 * Material (9.8) requests search/search_index.json as soon as a page loads over http: 78 KiB
 * gzipped, the largest file of most pages, competing on a phone's connection with what the
 * reader came for, then parsed on the main thread and indexed by a worker. Most readers never
 * search. This script runs before Material's bundle (a deferred script in <head>; the bundle is
 * deferred at the end of <body>) and holds that one request back until the reader
 *   - hovers, touches or focuses the search box or its button, or
 *   - presses a key Material opens search with ("/", "s", "f"), or
 *   - arrives from a search result (?h=..., which Material highlights with the index).
 * Material sees an ordinary slow response: search shows "Initializing search" until it arrives.
 */
(function () {
  "use strict";

  var INDEX = /\/search\/search_index\.json(?:$|\?)/;
  var wanted = /[?&]h=/.test(window.location.search);
  var held = [];
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;

  function want() {
    if (wanted) return;
    wanted = true;
    held.splice(0).forEach(function (request) { request(); });
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    this.rcSearchIndex = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var xhr = this, args = arguments;
    if (xhr.rcSearchIndex && !wanted) {
      held.push(function () { send.apply(xhr, args); });
      return undefined;
    }
    return send.apply(xhr, args);
  };

  function inSearch(target) {
    return target instanceof Element &&
      !!target.closest('[data-md-component="search"], label[for="__search"], #__search');
  }
  ["pointerover", "pointerdown", "focusin"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (inSearch(event.target)) want();
    }, { passive: true, capture: true });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" || event.key === "s" || event.key === "f") want();
  }, { capture: true });
})();

/*
 * figures.js — renders the site's Plotly figures.
 *
 * Every generated figure include (docs/generated/figures/<id>.html) carries its figure JSON in
 * an inert <template class="plotly-json"> inside a fixed-size placeholder. In the published site
 * (hooks/statics.py) the placeholder also holds static pictures of the figure (drawn by this very
 * script at build time, gen/statics.py) and the JSON lives in a file of its own (data-src). This
 * script:
 *   - builds the figure's HTML controls at once, and draws the interactive figure (loading
 *     plotly.js, vendored, docs/vendor/plotly/plotly.min.js, and the JSON) only when the reader
 *     shows interest: pointer, focus, touch or a control press (applied once drawn), or when the
 *     page has been idle 3 s after load and the figure is in view (see "rendering" below);
 *   - renders each figure once, replacing Plotly's SVG button/slider controls with real HTML
 *     controls (keyboard- and screen-reader-operable) that call the same Plotly methods;
 *   - follows Material's palette toggle (data-md-color-scheme on <body>) and resizes with the page;
 *   - lays a figure out again for narrow screens (below NARROW_PX): titles wrap, panels side by
 *     side stack, legends keep clear of the axes (see "narrow screens" below);
 *   - runs inside document$.subscribe, so it works with instant navigation, and purges figures
 *     that navigation detached.
 *
 * Public API (other scripts, e.g. the Playground, rely on it):
 *   window.rcPlotly.load()        -> Promise<Plotly>  (loads plotly.js once, relative to the site base)
 *   window.rcPlotly.themeLayout([scheme]) -> partial layout object for the current (or the named) palette
 *   window.rcPlotly.themedLayout(layout, scheme) -> a copy of a layout in the named palette
 *   window.rcPlotly.applyTheme(gd)   re-colours one rendered figure for the current palette
 *   window.rcPlotly.merge(target, source) -> target, with source's keys merged in depth (objects
 *                                   merged key by key, arrays and values replaced): a layout + theme
 *   document dispatches "rc:themechange" (detail: {scheme}) when the palette changes.
 */
(function () {
  "use strict";

  // This script lives at <site base>/javascripts/figures.js; resolving the vendored bundle
  // against it keeps working under a sub-path (GitHub Pages project sites) and on every page depth.
  var SCRIPT_URL = (document.currentScript && document.currentScript.src) || window.location.href;
  var PLOTLY_URL = new URL("../vendor/plotly/plotly.min.js", SCRIPT_URL).href;

  var PALETTES = {
    // Light ("default") and dark ("slate") colours matching Material's defaults.
    "default": {
      paper: "#ffffff", plot: "#ffffff", font: "rgba(0,0,0,0.87)",
      grid: "#e3e3e3", zeroline: "#b8b8b8", line: "#8a8a8a",
      legendBg: "rgba(255,255,255,0.85)"
    },
    "slate": {
      paper: "#1e2129", plot: "#1e2129", font: "#e2e4e9",
      grid: "#3a3e4a", zeroline: "#5c6170", line: "#7d8292",
      legendBg: "rgba(30,33,41,0.85)"
    }
  };

  // plotly.js costs about 0.3 s of main-thread work to evaluate on a laptop (over 1 s on a
  // throttled phone). It must not delay first paint, so figures near the viewport render once
  // the page has loaded and the browser is idle (at most IDLE_TIMEOUT_MS later), or at once when
  // the reader interacts (pointer, key, wheel, touch, scroll) before that. Captions and
  // fixed-size placeholders are already on the page, so nothing jumps when a figure appears.
  var IDLE_TIMEOUT_MS = 1000;
  var INTERACTION_EVENTS = ["pointerdown", "pointermove", "keydown", "wheel", "touchstart", "scroll"];
  var readyPromise = null;

  function whenReady() {
    if (!readyPromise) {
      readyPromise = new Promise(function (resolve) {
        function go() {
          INTERACTION_EVENTS.forEach(function (type) {
            window.removeEventListener(type, go, { capture: true, passive: true });
          });
          resolve();
        }
        INTERACTION_EVENTS.forEach(function (type) {
          window.addEventListener(type, go, { capture: true, passive: true });
        });
        function idle() {
          if ("requestIdleCallback" in window) window.requestIdleCallback(go, { timeout: IDLE_TIMEOUT_MS });
          else window.setTimeout(go, 0);
        }
        if (document.readyState === "complete") idle();
        else window.addEventListener("load", idle, { once: true });
      });
    }
    return readyPromise;
  }

  var plotlyPromise = null;
  var rendered = new Set();        // graph divs currently rendered (purged when detached)
  var observer = null;             // IntersectionObserver for lazy rendering
  var resizeObserver = null;

  function load() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotlyPromise) {
      plotlyPromise = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = PLOTLY_URL;
        script.async = true;
        script.onload = function () { resolve(window.Plotly); };
        script.onerror = function () {
          plotlyPromise = null;   // allow a retry on the next navigation
          reject(new Error("figures.js: could not load " + PLOTLY_URL));
        };
        document.head.appendChild(script);
      });
    }
    return plotlyPromise;
  }

  function scheme() {
    var s = document.body && document.body.getAttribute("data-md-color-scheme");
    return s === "slate" ? "slate" : "default";
  }

  function axisTheme(p) {
    return { gridcolor: p.grid, zerolinecolor: p.zeroline, linecolor: p.line,
             tickfont: { color: p.font }, title: { font: { color: p.font } } };
  }

  /** A partial layout for the current palette (merge it into a figure's layout). */
  function themeLayout(name) {
    var p = PALETTES[name || scheme()];
    return {
      paper_bgcolor: p.paper,
      plot_bgcolor: p.plot,
      font: { color: p.font },
      legend: { bgcolor: p.legendBg, font: { color: p.font } },
      xaxis: axisTheme(p),
      yaxis: axisTheme(p)
    };
  }

  // Flat "a.b.c" keys for Plotly.relayout (nested objects there would replace whole containers),
  // covering every axis the figure has (xaxis2, yaxis3, ...).
  function themeRelayout(gd) {
    var p = PALETTES[scheme()];
    var update = {
      paper_bgcolor: p.paper, plot_bgcolor: p.plot, "font.color": p.font,
      "legend.bgcolor": p.legendBg, "legend.font.color": p.font
    };
    Object.keys(gd.layout || {}).forEach(function (key) {
      if (/^[xy]axis\d*$/.test(key)) {
        update[key + ".gridcolor"] = p.grid;
        update[key + ".zerolinecolor"] = p.zeroline;
        update[key + ".linecolor"] = p.line;
        update[key + ".tickfont.color"] = p.font;
        update[key + ".title.font.color"] = p.font;
      }
    });
    return update;
  }

  function deepMerge(target, source) {
    Object.keys(source).forEach(function (key) {
      var value = source[key];
      if (value && typeof value === "object" && !Array.isArray(value)) {
        if (!target[key] || typeof target[key] !== "object") target[key] = {};
        deepMerge(target[key], value);
      } else {
        target[key] = value;
      }
    });
    return target;
  }

  function applyTheme(gd) {
    if (!window.Plotly || !gd || !gd.layout) return Promise.resolve();
    return window.Plotly.relayout(gd, themeRelayout(gd));
  }

  // ----- accessible controls -------------------------------------------------------------

  function callPlotly(gd, method, args) {
    var P = window.Plotly;
    args = args || [];
    follow(gd, method, args);   // the wide layout and the names, for a narrow figure's layout
    if (method === "animate") return P.animate(gd, args[0], args[1]);   // its frames are narrowed already
    if (method === "restyle" || method === "relayout" || method === "update") {
      return P[method].apply(P, [gd].concat(args)).then(function () {
        // Laid out again where titles or names were wrapped: a new one may need other lines.
        if (gd._rcFigure && (gd._rcFigure.narrow || gd._rcFigure.wrapped)) return relayoutFigure(gd);
      });
    }
    return Promise.resolve();   // "skip" and unknown methods do nothing
  }

  function buttonsControl(gd, menu, index, label, ready) {
    var group = document.createElement("div");
    group.className = "rc-figure__buttons";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", label);
    var active = typeof menu.active === "number" ? menu.active : 0;
    var all = menu.buttons || [];
    var buttons = all.filter(function (b) { return b.visible !== false; });
    buttons.forEach(function (spec, i) {
      var j = all.indexOf(spec);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-button rc-figure__button";
      button.textContent = spec.label || ("Option " + (i + 1));
      button.setAttribute("aria-pressed", i === active ? "true" : "false");
      button.addEventListener("click", function () {
        // Before the interactive figure is drawn (a static render shows), the press draws it
        // first and then applies: the same state as a press on the drawn figure.
        // The button's own arguments come with the figure's JSON (see prepare).
        ready().then(function (rc) {
          var full = rc.menus[index].buttons[j];
          return callPlotly(gd, full.method, full.args);
        }).then(function () {
          group.querySelectorAll("button").forEach(function (other) {
            var on = other === button;
            other.setAttribute("aria-pressed", on ? "true" : "false");
          });
          gd.dispatchEvent(new CustomEvent("rc:control", { detail: { menu: index, label: spec.label } }));
        });
      });
      group.appendChild(button);
    });
    return group;
  }

  function sliderControl(gd, slider, index, label, ready) {
    var wrap = document.createElement("div");
    wrap.className = "rc-figure__slider";
    var allSteps = slider.steps || [];
    var steps = allSteps.filter(function (s) { return s.visible !== false; });
    var id = gd.id + "-slider-" + index;
    var title = document.createElement("label");
    title.setAttribute("for", id);
    var prefix = (slider.currentvalue && slider.currentvalue.prefix) || label + ": ";
    var input = document.createElement("input");
    input.type = "range";
    input.id = id;
    input.min = "0";
    input.max = String(Math.max(steps.length - 1, 0));
    input.step = "1";
    input.value = String(typeof slider.active === "number" ? slider.active : 0);
    var output = document.createElement("output");
    output.setAttribute("for", id);
    function show() {
      var step = steps[Number(input.value)] || {};
      output.textContent = step.label || "";
      input.setAttribute("aria-valuetext", step.label || input.value);
    }
    title.textContent = prefix.replace(/[:\s]+$/, "");
    input.addEventListener("input", function () {
      var step = steps[Number(input.value)];
      show();
      var j = allSteps.indexOf(step);
      if (step) ready().then(function (rc) {
        var full = rc.sliders[index].steps[j];
        return callPlotly(gd, full.method, full.args);
      });
    });
    show();
    wrap.appendChild(title);
    wrap.appendChild(input);
    wrap.appendChild(output);
    return wrap;
  }

  /** Moves Plotly's SVG updatemenus/sliders into HTML controls and returns the trimmed layout. */
  function extractControls(gd, layout, container, ready) {
    var bar = document.createElement("div");
    bar.className = "rc-figure__controls";
    var figureLabel = gd.getAttribute("data-title") || "figure";
    (layout.updatemenus || []).forEach(function (menu, i) {
      if ((menu.type || "dropdown") === "buttons" || menu.type === "dropdown") {
        var name = (menu.name || "Options") + " (" + figureLabel + ")";
        bar.appendChild(buttonsControl(gd, menu, i, name, ready));
      }
    });
    (layout.sliders || []).forEach(function (slider, i) {
      bar.appendChild(sliderControl(gd, slider, i, slider.name || "Step", ready));
    });
    delete layout.updatemenus;
    delete layout.sliders;
    if (bar.childNodes.length) container.insertBefore(bar, container.firstChild);
    return layout;
  }

  // PNG download of the figure in its current state (Plotly's toImage, as the modebar's camera
  // button does): a real button beside "Link to this figure", added only once the figure has
  // rendered, so it is never a dead control.
  function addPngButton(gd, figure, figureId) {
    var links = figure && figure.querySelector(".rc-figure__links");
    if (!links || links.querySelector(".rc-figure__png")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "rc-figure__png";
    button.textContent = "PNG";
    button.setAttribute("aria-label", "Download the figure as a PNG image (" +
                        (gd.getAttribute("data-title") || figureId) + ")");
    button.addEventListener("click", function () {
      window.Plotly.downloadImage(gd, { format: "png", filename: figureId, scale: 2 });
    });
    links.appendChild(document.createTextNode(" · Download the image: "));
    links.appendChild(button);
  }

  // ----- narrow screens -----------------------------------------------------------------------
  // The generated layouts are made for the essay's wide column. Below NARROW_PX of figure width
  // a figure is laid out again from them (narrowLayout): titles (text annotations in paper
  // coordinates, e.g. a panel's title) wrap onto as many lines as they need and the margins and
  // the gaps between panels grow with them; panels side by side are stacked (the placeholder
  // grows, an equal-aspect panel gets the height its ranges need at the full width); a
  // horizontal legend below the plot keeps its distance from the plot in px, with room made for
  // it in the bottom margin, so that it neither covers the x axis nor shrinks the plot; a legend
  // entry wider than the figure wraps.
  // scaleanchor is kept, so contours keep their equal aspect. After drawing, what still touches
  // is measured and given room once (fitPass). The wide layout (state.base), the traces' names
  // and the frames are kept and followed through the controls, to redo this at another width
  // and to go back when the figure widens.
  var NARROW_PX = 600;
  var FONT_FAMILY = '"Open Sans", verdana, arial, sans-serif';   // Plotly's default
  var measureContext = null;

  function clone(value) { return JSON.parse(JSON.stringify(value)); }

  function textWidth(text, size, family) {
    if (!measureContext) measureContext = document.createElement("canvas").getContext("2d");
    measureContext.font = size + "px " + (family || FONT_FAMILY);
    return measureContext.measureText(String(text).replace(/<[^>]*>/g, "")).width;
  }

  /** text with <br> inserted at spaces (never inside a tag) so no line is wider than maxPx. */
  function wrapText(text, maxPx, size, family) {
    var out = [];
    String(text).split(/<br\s*\/?>/i).forEach(function (line) {
      if (textWidth(line, size, family) <= maxPx) { out.push(line); return; }
      var current = "";
      line.split(/ (?![^<]*>)/).forEach(function (word) {
        var next = current ? current + " " + word : word;
        if (current && textWidth(next, size, family) > maxPx) { out.push(current); current = word; }
        else current = next;
      });
      if (current) out.push(current);
    });
    return out.join("<br>");
  }
  function lineCount(text) { return String(text).split(/<br\s*\/?>/i).length; }

  /** Sets obj at a Plotly attribute path ("annotations[0].text", "xaxis.range"). */
  function setPath(obj, path, value) {
    var parts = String(path).replace(/\[(\d+)\]/g, ".$1").split(".");
    for (var i = 0; i < parts.length - 1; i++) {
      var key = parts[i];
      if (obj[key] === null || typeof obj[key] !== "object") obj[key] = /^\d+$/.test(parts[i + 1]) ? [] : {};
      obj = obj[key];
    }
    obj[parts[parts.length - 1]] = value;
  }

  function fontOf(layout, font) {
    var f = font || {}, base = layout.font || {};
    return { size: f.size || base.size || 12, family: f.family || base.family || FONT_FAMILY };
  }

  /** The panels (x axis + the y axis it is anchored to) with their domains, or null when axes
   *  overlay each other (left as they are). */
  function panelsOf(layout) {
    var list = [], overlay = false;
    Object.keys(layout).forEach(function (key) {
      var m = /^xaxis(\d*)$/.exec(key);
      if (!m) return;
      var xa = layout[key] || {}, yid = xa.anchor && xa.anchor !== "free" ? xa.anchor : "y" + m[1];
      var ya = layout["yaxis" + yid.slice(1)] || {};
      if (xa.overlaying || ya.overlaying) overlay = true;
      list.push({ xid: "x" + m[1], yid: yid, xkey: key, ykey: "yaxis" + yid.slice(1), xa: xa, ya: ya,
                  xd: (xa.domain || [0, 1]).slice(), yd: (ya.domain || [0, 1]).slice() });
    });
    if (overlay) return null;
    if (!list.length) list.push({ xid: "x", yid: "y", xkey: "xaxis", ykey: "yaxis", xa: layout.xaxis || {}, ya: layout.yaxis || {}, xd: [0, 1], yd: [0, 1] });
    return list;
  }

  /** Panels in reading order: rows from the top (panels whose y domains overlap share a row),
   *  each row from the left. */
  function rowsOf(panels) {
    var rows = [];
    panels.slice().sort(function (a, b) { return b.yd[1] - a.yd[1]; }).forEach(function (p) {
      var row = rows.filter(function (r) { return p.yd[0] < r.y1 - 1e-3 && p.yd[1] > r.y0 + 1e-3; })[0];
      if (row) { row.panels.push(p); row.y0 = Math.min(row.y0, p.yd[0]); row.y1 = Math.max(row.y1, p.yd[1]); }
      else rows.push({ panels: [p], y0: p.yd[0], y1: p.yd[1] });
    });
    rows.forEach(function (r) { r.panels.sort(function (a, b) { return a.xd[0] - b.xd[0]; }); });
    return rows;
  }

  /** Panels column by column (x domains that overlap), each from the top. */
  function columnsOf(panels) {
    var cols = [];
    panels.slice().sort(function (a, b) { return a.xd[0] - b.xd[0]; }).forEach(function (p) {
      var col = cols.filter(function (c) { return p.xd[0] < c.x1 - 1e-3 && p.xd[1] > c.x0 + 1e-3; })[0];
      if (col) { col.panels.push(p); col.x1 = Math.max(col.x1, p.xd[1]); }
      else cols.push({ panels: [p], x0: p.xd[0], x1: p.xd[1] });
    });
    var order = [];
    cols.forEach(function (c) { order = order.concat(c.panels.sort(function (a, b) { return b.yd[1] - a.yd[1]; })); });
    return order;
  }

  function axisTitle(axis) {
    var t = axis && axis.title;
    return !!(t && (typeof t === "string" ? t : t.text));
  }

  /** Room (px) under a panel for its x tick labels and title (stacked panels all show them). */
  function axisRoom(p, stacked) {
    if (p.xa.visible === false || (p.xa.showticklabels === false && !stacked)) return axisTitle(p.xa) ? 26 : 8;
    return 26 + (axisTitle(p.xa) ? 26 : 0) + (p.xa.tickangle ? 24 : 0);
  }

  /** The height (px) a horizontal legend of these entries takes at a width. */
  function legendHeight(names, width, font) {
    var lines = 0, used = 0, rowLines = 0;   // entries fill rows; a row is as tall as its tallest entry
    names.forEach(function (name) {
      var w = 46 + Math.max.apply(null, String(name).split(/<br\s*\/?>/i).map(function (l) { return textWidth(l, font.size, font.family); }));
      if (used > 0 && used + w > width) { lines += rowLines; used = 0; rowLines = 0; }
      used += w;
      rowLines = Math.max(rowLines, lineCount(name));
    });
    lines += rowLines;
    return lines ? lines * Math.round(font.size * 1.6) + 8 : 0;
  }

  /** The names the legend shows: traces not hidden from it (the first of a legend group). */
  function legendNames(layout, data, names) {
    if (layout.showlegend === false) return [];
    var groups = {}, out = [];
    data.forEach(function (t, i) {
      if (t.showlegend === false || t.visible === false) return;
      if (t.legendgroup) { if (groups[t.legendgroup]) return; groups[t.legendgroup] = true; }
      out.push(names[i] || "trace " + i);
    });
    return out.length > 1 || layout.showlegend ? out : [];
  }

  /**
   * The layout for a figure `width` px wide from the wide one (state.base), and the traces'
   * names for it. fix: extra room found by fitPass ({bottom, gaps: {panel index: px}}).
   * Returns {layout, names, annotations (per index: where a title sits and how wide it may be)}.
   */
  function narrowLayout(state, width, fix) {
    var base = state.base, layout = clone(base), data = state.data, fixes = fix || { bottom: 0, gaps: {} };
    var margin = layout.margin = Object.assign({ l: 80, r: 80, t: 100, b: 80 }, base.margin || {});
    var H0 = state.height, plotH0 = Math.max(50, H0 - margin.t - margin.b), plotW = Math.max(50, width - margin.l - margin.r);
    var info = { layout: layout, names: state.names.slice(), annotations: {} };
    var panels = panelsOf(base);
    var rows = panels ? rowsOf(panels) : [];
    var stacked = rows.some(function (r) { return r.panels.length > 1; });
    var order = [];
    rows.forEach(function (r) { order = order.concat(r.panels); });
    // Stacked, a column stays together (left column first): its panels are usually one method's
    // or one quantity's, as the captions say ("left: ..., right: ...").
    if (stacked) order = columnsOf(panels);

    // Titles: text annotations in paper coordinates at or above a panel's top.
    var anns = layout.annotations || [];
    var titleOf = {};
    anns.forEach(function (a, i) {
      if (a.xref !== "paper" || a.yref !== "paper" || a.showarrow !== false || a.text === undefined) return;
      var best = -1, dist = Infinity;
      order.forEach(function (p, k) {
        var inX = a.x >= p.xd[0] - 0.02 && a.x <= p.xd[1] + 0.02, d = a.y - p.yd[1];
        if (inX && d > -0.02 && d < 0.12 && Math.abs(d) < dist && (a.yanchor || "middle") !== "top") { best = k; dist = Math.abs(d); }
      });
      if (best >= 0 && titleOf[best] === undefined) titleOf[best] = i;
    });

    // Panels' new x domains (stacked: the full width), then the titles' positions and widths.
    var newX = order.map(function (p) { return stacked ? [0, 1] : p.xd.slice(); });
    var lines = {};
    anns.forEach(function (a, i) {
      if (a.xref !== "paper" || a.yref !== "paper" || a.showarrow !== false || typeof a.text !== "string") return;
      var k = -1;
      Object.keys(titleOf).forEach(function (key) { if (titleOf[key] === i) k = Number(key); });
      if (k < 0) order.forEach(function (p, j) { if (k < 0 && a.x >= p.xd[0] && a.x <= p.xd[1] && a.y >= p.yd[0] && a.y <= p.yd[1]) k = j; });
      if (k >= 0 && stacked) {
        var p = order[k], nx = newX[k];
        a.x = nx[0] + (a.x - p.xd[0]) / ((p.xd[1] - p.xd[0]) || 1) * (nx[1] - nx[0]);
      }
      var anchor = a.xanchor || "center", xpx = margin.l + a.x * plotW;
      var room = anchor === "left" ? width - xpx : anchor === "right" ? xpx : 2 * Math.min(xpx, width - xpx);
      var font = fontOf(base, a.font);
      info.annotations[i] = { avail: Math.max(60, room - 8), font: font };
      a.text = wrapText(a.text, Math.max(60, room - 8), font.size, font.family);
      lines[i] = lineCount(a.text);
    });
    function extra(i) { return i === undefined ? 0 : (lines[i] - lineCount((base.annotations[i] || {}).text || "")) * Math.round(fontOf(base, anns[i].font).size * 1.3); }
    function titleRoom(k) {
      var i = titleOf[k];
      return i === undefined ? 0 : lines[i] * Math.round(fontOf(base, anns[i].font).size * 1.3) + 6;
    }

    // A layout title (layout.title.text) wraps too.
    var top = margin.t;
    if (layout.title && (layout.title.text || typeof layout.title === "string")) {
      if (typeof layout.title === "string") layout.title = { text: layout.title };
      var tf = fontOf(base, layout.title.font);
      var before = lineCount(layout.title.text);
      layout.title.text = wrapText(layout.title.text, width - 16, tf.size + 5, tf.family);
      top += (lineCount(layout.title.text) - before) * Math.round((tf.size + 5) * 1.3);
    }
    if (order.length) top += extra(titleOf[0]);

    // The legend entries, wrapped to the width; a horizontal legend below the plot goes to the foot.
    var legend = layout.legend || {}, lfont = fontOf(base, legend.font);
    info.names = info.names.map(function (n) {
      return typeof n === "string" && textWidth(n, lfont.size, lfont.family) > width - 70 ? wrapText(n, width - 70, lfont.size, lfont.family) : n;
    });
    // Its distance below the plot (px) is kept, and the bottom margin made room for it, so that
    // it does not push the margin (which would shrink the plot and bring it onto the x axis).
    var bottom = margin.b, below = legend.orientation === "h" && typeof legend.y === "number" && legend.y < 0, legendGap = 0;
    if (below) {
      var last = order[order.length - 1];
      legendGap = Math.max(-legend.y * plotH0 - 4, last ? axisRoom(last, stacked) : 24) + (fixes.bottom || 0);
      var lh = legendHeight(legendNames(base, data, info.names), width - 10, lfont);
      bottom = Math.max(margin.b, Math.ceil(legendGap + lh + 6));
    }
    margin.t = Math.ceil(top);
    margin.b = bottom;

    // Panel heights and the gaps between them (px), then domains.
    var heights = order.map(function (p) {
      var old = (p.yd[1] - p.yd[0]) * plotH0;
      if (!stacked) return old;
      var xr = p.xa.range, yr = p.ya.range, ratio = p.ya.scaleratio || 1;
      if (p.ya.scaleanchor === p.xid && xr && yr && xr[1] !== xr[0]) {
        var need = plotW * Math.abs(yr[1] - yr[0]) / Math.abs(xr[1] - xr[0]) * ratio;
        return Math.max(120, Math.min(need, Math.max(old, 1.1 * plotW)));
      }
      return Math.max(old, 150);
    });
    var gaps = order.slice(1).map(function (p, j) {
      var upper = order[j], gap;
      if (stacked) gap = axisRoom(upper, true) + titleRoom(j + 1) + 6;
      else gap = (upper.yd[0] - p.yd[1]) * plotH0 + extra(titleOf[j + 1]);
      return gap + ((fixes.gaps || {})[j + 1] || 0);
    });
    var sumGaps = gaps.reduce(function (a, b) { return a + b; }, 0), sumH = heights.reduce(function (a, b) { return a + b; }, 0);
    var H;
    if (stacked) H = margin.t + margin.b + sumH + sumGaps;
    else {
      // Same height as the wide figure; the panels give up the room the titles and legend took,
      // but not below 3/4 of their height (the figure grows instead).
      var room = H0 - margin.t - margin.b - sumGaps, k = Math.max(0.75, Math.min(1, room / (sumH || 1)));
      heights = heights.map(function (h) { return h * k; });
      H = Math.max(H0, margin.t + margin.b + sumGaps + sumH * k);
    }
    var P = H - margin.t - margin.b, cursor = 1;
    if (below) layout.legend = Object.assign({}, legend, { y: round4(-legendGap / P), yanchor: "top" });
    order.forEach(function (p, k) {
      var y1 = cursor, y0 = Math.max(0, cursor - heights[k] / P);
      if (panels && (stacked || fix || k > 0 || titleOf[k] !== undefined)) {
        layout[p.xkey] = Object.assign({}, layout[p.xkey], { domain: newX[k] });
        layout[p.ykey] = Object.assign({}, layout[p.ykey], { domain: [round4(y0), round4(y1)] });
        // A shared axis hid its labels beside or under its twin; stacked, every panel shows them.
        if (stacked && layout[p.xkey].showticklabels === false) layout[p.xkey].showticklabels = true;
        if (stacked && layout[p.ykey].showticklabels === false) layout[p.ykey].showticklabels = true;
      }
      // The panel's title sits as far above its new top as it did above the old one (in px).
      var i = titleOf[k];
      if (i !== undefined) anns[i].y = round4(y1 + (base.annotations[i].y - p.yd[1]) * plotH0 / P);
      // Other annotations inside the panel keep their place in it.
      anns.forEach(function (a, j) {
        if (j === i || a.xref !== "paper" || a.yref !== "paper" || !(a.y >= p.yd[0] && a.y <= p.yd[1] && a.x >= p.xd[0] && a.x <= p.xd[1])) return;
        if (base.annotations[j].y < p.yd[0] || base.annotations[j].y > p.yd[1]) return;
        a.y = round4(y0 + (base.annotations[j].y - p.yd[0]) / ((p.yd[1] - p.yd[0]) || 1) * (y1 - y0));
      });
      cursor = y0 - (k < gaps.length ? gaps[k] / P : 0);
    });
    Object.keys(info.annotations).forEach(function (i) {
      var a = anns[i];
      info.annotations[i].place = { x: a.x, y: a.y, xanchor: a.xanchor };
    });
    layout.height = Math.round(H);
    info.titles = titleOf;
    info.order = order;
    return info;
  }
  function round4(v) { return Math.round(v * 1e4) / 1e4; }

  /** Wider figures keep their layout, except a title too long for the figure, which wraps (the
   *  top margin grows by the lines it gains above the plot). */
  function wideLayout(state, width) {
    var layout = clone(state.base), margin = Object.assign({ l: 80, r: 80, t: 100, b: 80 }, layout.margin || {});
    var plotW = Math.max(50, width - margin.l - margin.r), added = 0;
    (layout.annotations || []).forEach(function (a) {
      if (a.xref !== "paper" || a.yref !== "paper" || a.showarrow !== false || typeof a.text !== "string") return;
      var anchor = a.xanchor || "center", xpx = margin.l + (a.x || 0) * plotW;
      var room = anchor === "left" ? width - xpx : anchor === "right" ? xpx : 2 * Math.min(xpx, width - xpx);
      var font = fontOf(layout, a.font), text = wrapText(a.text, Math.max(60, room - 8), font.size, font.family);
      if (text === a.text) return;
      if (a.y >= 1 && a.yanchor === "bottom") added = Math.max(added, (lineCount(text) - lineCount(a.text)) * Math.round(font.size * 1.3));
      a.text = text;
      state.wrapped = true;
    });
    if (added) layout.margin = Object.assign({}, margin, { t: margin.t + added });
    return layout;
  }

  /** A frame's layout for the narrow figure: its titles where the narrow layout put them, wrapped. */
  function narrowFrame(frame, info) {
    if (!info || !frame.layout || !frame.layout.annotations) return frame;
    var copy = Object.assign({}, frame, { layout: Object.assign({}, frame.layout) });
    copy.layout.annotations = frame.layout.annotations.map(function (a, i) {
      var at = info.annotations[i];
      if (!at || typeof a.text !== "string") return a;
      return Object.assign({}, a, at.place, { text: wrapText(a.text, at.avail, at.font.size, at.font.family) });
    });
    return copy;
  }

  /** After drawing: what still touches gets room, once (the estimates are of text widths). */
  function fitPass(gd, info) {
    var fix = { bottom: 0, gaps: {} }, found = false;
    var box = function (el) { var r = el.getBoundingClientRect(); return r.width || r.height ? r : null; };
    function axisTexts(p) {
      var sel = "." + p.xid + "tick text, .g-" + p.xid + "title text";   // Plotly's classes: xtick, x2tick, g-x2title
      return [].slice.call(gd.querySelectorAll(sel)).map(box).filter(Boolean);
    }
    var legend = gd.querySelector(".legend"), L = legend && box(legend);
    var order = info.order || [];
    if (L && info.layout.legend && info.layout.legend.y < 0 && order.length) {
      var low = axisTexts(order[order.length - 1]).reduce(function (m, r) { return Math.max(m, r.bottom); }, -Infinity);
      if (low > L.top - 3) { fix.bottom = Math.ceil(low - L.top + 6); found = true; }
      // ... and an estimate too small: the legend reaches past the figure's foot.
      var G = gd.getBoundingClientRect();
      if (L.bottom > G.bottom + 1) { fix.bottom += Math.ceil(L.bottom - G.bottom + 4); found = true; }
    }
    var texts = gd.querySelectorAll(".annotation");
    Object.keys(info.titles || {}).forEach(function (k) {
      k = Number(k);
      if (k === 0) return;
      var el = texts[info.titles[k]], T = el && box(el);
      if (!T) return;
      var low = axisTexts(order[k - 1]).reduce(function (m, r) { return Math.max(m, r.bottom); }, -Infinity);
      if (low > T.top - 3) { fix.gaps[k] = Math.ceil(low - T.top + 6); found = true; }
    });
    return found ? fix : null;
  }

  function isNarrowWidth(width) { return width > 0 && width < NARROW_PX; }

  /** The palette for every axis of a layout (themeLayout covers xaxis and yaxis only). */
  function themeAll(layout, name) {
    var theme = themeLayout(name), p = PALETTES[name || scheme()];
    Object.keys(layout).forEach(function (key) { if (/^[xy]axis\d+$/.test(key)) theme[key] = axisTheme(p); });
    return theme;
  }

  /** The layout and traces to draw at the placeholder's width (narrowLayout below NARROW_PX). */
  function viewFor(state) {
    var width = state.placeholder.clientWidth, narrow = isNarrowWidth(width), layout, names = state.names;
    state.info = null;
    if (narrow) {
      state.info = narrowLayout(state, width, state.fix);
      layout = state.info.layout;
      names = state.info.names;
      state.placeholder.style.height = layout.height + "px";
    } else {
      layout = wideLayout(state, width);
      state.placeholder.style.height = state.placeholderHeight;
    }
    state.width = width;
    state.narrow = narrow;
    deepMerge(layout, themeAll(layout));
    var data = state.data.map(function (t, i) { return names[i] === t.name ? t : Object.assign({}, t, { name: names[i] }); });
    return { layout: layout, data: data };
  }

  function framesFor(state) {
    return state.frames.map(function (f) { return state.narrow ? narrowFrame(f, state.info) : f; });
  }

  /** Narrow: measure, and draw once more with room where texts still touch. */
  function fitFigure(gd) {
    var state = gd._rcFigure;
    if (!state || !state.narrow || state.fix) return Promise.resolve();
    var fix = fitPass(gd, state.info);
    if (!fix) return Promise.resolve();
    state.fix = fix;
    var view = viewFor(state);
    return window.Plotly.react(gd, view.data, view.layout);
  }

  /** Lay a rendered figure out again for its width (after a resize or a control's change). */
  function relayoutFigure(gd) {
    var state = gd._rcFigure, P = window.Plotly;
    if (!state || !P) return Promise.resolve();
    state.fix = null;
    state.data = gd.data;
    var view = viewFor(state);
    return P.react(gd, view.data, view.layout).then(function () { return fitFigure(gd); }).then(function () {
      if (state.frames.length) return P.addFrames(gd, framesFor(state));   // same names: replaced
    });
  }

  /** Keep the wide layout and the names up to date with what a control did (Plotly's calls). */
  function follow(gd, method, args) {
    var state = gd._rcFigure;
    if (!state) return;
    function layoutArgs(update) {
      Object.keys(update || {}).forEach(function (key) {
        var value = update[key];
        setPath(state.base, key, value === undefined ? value : clone(value));
      });
    }
    function dataArgs(update, traces) {
      if (!update || !("name" in update)) return;
      var idx = traces === undefined || traces === null ? state.names.map(function (_, i) { return i; }) : [].concat(traces);
      var v = update.name;
      idx.forEach(function (t, j) { state.names[t] = Array.isArray(v) ? v[j % v.length] : v; });
    }
    if (method === "relayout") layoutArgs(args[0]);
    else if (method === "restyle") dataArgs(args[0], args[1]);
    else if (method === "update") { dataArgs(args[0], args[2]); layoutArgs(args[1]); }
    else if (method === "animate") {
      [].concat(args[0] || []).forEach(function (name) {
        var frame = state.frames.filter(function (f) { return f.name === String(name); })[0];
        if (frame && frame.layout) deepMerge(state.base, clone(frame.layout));
      });
    }
  }

  // ----- rendering -----------------------------------------------------------------------
  // A figure arrives first as its static render (SVG images made at build time from this very
  // code, gen/statics.py, inserted by hooks/statics.py): the reader who only reads sees the real
  // figure at once, with no plotly.js at all. The interactive figure replaces it on demand
  // (upgrade): when the pointer enters it, it gets focus or a touch, or a control under it is
  // pressed (the press is applied once the figure is drawn, so none is lost), and otherwise
  // when the page has been idle for a while and the figure is in view. A figure without a static
  // render (none was made) is drawn as it comes near the viewport, as before.
  // window.rcStaticRender (set by gen/statics.py only) draws every figure at once.
  var UPGRADE_DELAY_MS = 3000;     // after the load event: first paint and the reader's first look stay free
  var UPGRADE_EVENTS = ["pointerenter", "focusin", "touchstart"];
  var idleObserver = null;

  /** Parses the figure JSON and builds its HTML controls (they work before plotly.js is there). */
  function prepare(placeholder) {
    if (placeholder._rc) return placeholder._rc;
    var template = placeholder.querySelector("template.plotly-json");
    if (!template) return null;
    var spec = JSON.parse(template.content ? template.content.textContent : template.textContent);
    var gd = document.createElement("div");
    gd.className = "rc-figure__graph";
    gd.id = placeholder.getAttribute("data-figure") + "-graph";
    gd.setAttribute("data-title", placeholder.getAttribute("data-title") || "figure");
    var layout = spec.layout || {};
    // The include reserves a slot (with its height) for the controls so nothing jumps.
    var figure = placeholder.closest("figure") || placeholder.parentNode;
    var slot = figure.querySelector(".rc-figure__controls-slot");
    if (!slot) {
      slot = document.createElement("div");
      slot.className = "rc-figure__controls-slot";
      placeholder.parentNode.insertBefore(slot, placeholder);
    }
    // The template holds the figure's JSON, or (in the published site, hooks/statics.py) only
    // its controls' labels, with the JSON in a file of its own (data-src) fetched on upgrade:
    // a reader who only reads downloads the pictures, not the data behind them.
    var rc = placeholder._rc = { spec: spec, gd: gd, figure: figure, promise: null,
                                 src: template.getAttribute("data-src"),
                                 menus: layout.updatemenus || [], sliders: layout.sliders || [] };
    layout = extractControls(gd, layout, slot, function () {
      return upgrade(placeholder).then(function () { return rc; });
    });
    delete layout.width;
    layout.autosize = true;
    rc.layout = layout;
    return rc;
  }

  function hasStatic(placeholder) { return !!placeholder.querySelector(".rc-static"); }

  /** Draws the interactive figure (once); resolves when it is on the page. */
  function upgrade(placeholder) {
    var rc = prepare(placeholder);
    if (!rc) return Promise.reject(new Error("figures.js: no figure JSON"));
    if (rc.promise) return rc.promise;
    placeholder.setAttribute("data-rc-state", "loading");
    var json = rc.src ? fetch(rc.src).then(function (response) {
      if (!response.ok) throw new Error("figures.js: could not load " + rc.src);
      return response.json();
    }) : Promise.resolve(null);
    rc.promise = Promise.all([load(), json]).then(function (loaded) {
      var Plotly = loaded[0], full = loaded[1];
      if (!document.body.contains(placeholder)) return;   // navigated away meanwhile
      if (full) {
        var fullLayout = full.layout || {};
        rc.spec = full;
        rc.menus = fullLayout.updatemenus || [];
        rc.sliders = fullLayout.sliders || [];
        rc.layout = clone(fullLayout);
        delete rc.layout.updatemenus;
        delete rc.layout.sliders;
        delete rc.layout.width;
        rc.layout.autosize = true;
        rc.src = null;
      }
      var gd = rc.gd, layout = rc.layout, spec = rc.spec, figure = rc.figure;
      placeholder.appendChild(gd);
      // The wide layout as generated; below NARROW_PX of width viewFor lays it out again.
      var state = gd._rcFigure = {
        base: clone(layout), data: spec.data || [], frames: spec.frames || [], placeholder: placeholder,
        names: (spec.data || []).map(function (t) { return t.name; }),
        height: layout.height || placeholder.clientHeight || 450, placeholderHeight: placeholder.style.height,
        info: null, fix: null, width: 0, narrow: false
      };
      var view = viewFor(state);
      var figureId = placeholder.getAttribute("data-figure");
      return Plotly.newPlot(gd, view.data, view.layout, {
        // No modebar: its buttons would be controls nested inside the role="img" placeholder
        // (axe: nested-interactive). Its toImage action is the caption's PNG button instead.
        displayModeBar: false, responsive: false, scrollZoom: false
      }).then(function () {
        return fitFigure(gd);
      }).then(function () {
        addPngButton(gd, figure, figureId);
        if (state.frames.length) return Plotly.addFrames(gd, framesFor(state));
      }).then(function () {
        placeholder.setAttribute("data-rc-state", "rendered");
        placeholder.classList.add("rc-figure__plot--rendered");   // hides the static render
        rendered.add(gd);
        if (resizeObserver) resizeObserver.observe(gd);
      });
    }).catch(function (error) {
      placeholder.setAttribute("data-rc-state", "error");   // the static render stays
      rc.promise = null;
      console.error(error);
    });
    return rc.promise;
  }

  /** A figure with a static render: upgraded at the reader's first sign of interest. */
  function arm(placeholder) {
    var rc = prepare(placeholder);
    if (!rc || rc.armed) return;
    rc.armed = true;
    function go() {
      UPGRADE_EVENTS.forEach(function (type) { rc.figure.removeEventListener(type, go, { passive: true }); });
      upgrade(placeholder);
    }
    UPGRADE_EVENTS.forEach(function (type) { rc.figure.addEventListener(type, go, { passive: true }); });
  }

  /** After the load event, UPGRADE_DELAY_MS and an idle moment: figures in view are upgraded,
   *  one per idle moment, and later ones as they come into view. */
  function upgradeWhenIdle(placeholders) {
    function idle(fn) {
      if ("requestIdleCallback" in window) window.requestIdleCallback(fn, { timeout: 2000 });
      else window.setTimeout(fn, 0);
    }
    function start() {
      if (!("IntersectionObserver" in window)) return;
      if (idleObserver) idleObserver.disconnect();
      idleObserver = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          idleObserver.unobserve(entry.target);
          idle(function () { upgrade(entry.target); });
        });
      }, { rootMargin: "200px 0px" });
      placeholders.forEach(function (p) { if (document.body.contains(p)) idleObserver.observe(p); });
    }
    function later() { window.setTimeout(function () { idle(start); }, UPGRADE_DELAY_MS); }
    if (document.readyState === "complete") later();
    else window.addEventListener("load", later, { once: true });
  }

  /** A figure without a static render: drawn when it comes near the viewport and the page is ready. */
  function render(placeholder) {
    if (placeholder.getAttribute("data-rc-state")) return;
    placeholder.setAttribute("data-rc-state", "waiting");
    whenReady().then(function () { return upgrade(placeholder); });
  }

  function purgeDetached() {
    rendered.forEach(function (gd) {
      if (!document.body.contains(gd)) {
        if (resizeObserver) resizeObserver.unobserve(gd);
        if (window.Plotly) window.Plotly.purge(gd);
        rendered.delete(gd);
      }
    });
  }

  function setUp() {
    purgeDetached();
    if (observer) observer.disconnect();
    if (idleObserver) idleObserver.disconnect();
    var placeholders = [].slice.call(document.querySelectorAll(".rc-figure__plot"));
    if (!placeholders.length) return;
    placeholders.forEach(prepare);
    if (window.rcStaticRender) {
      placeholders.forEach(upgrade);
      return;
    }
    var statics = placeholders.filter(hasStatic), live = placeholders.filter(function (p) { return !hasStatic(p); });
    statics.forEach(arm);
    if (statics.length) upgradeWhenIdle(statics);
    if (!live.length) return;
    if (!("IntersectionObserver" in window)) {
      live.forEach(render);
      return;
    }
    observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          render(entry.target);
        }
      });
    }, { rootMargin: "400px 0px" });
    live.forEach(function (p) { observer.observe(p); });
  }

  if ("ResizeObserver" in window) {
    var pending = null;
    resizeObserver = new ResizeObserver(function (entries) {
      // Batch into one frame: several figures resize together when the sidebar or window changes.
      if (pending) return;
      pending = window.requestAnimationFrame(function () {
        pending = null;
        entries.forEach(function (entry) {
          var gd = entry.target, state = gd._rcFigure;
          if (!window.Plotly || !rendered.has(gd)) return;
          // Hidden (print shows the static render instead): Plotly refuses to resize it, and it
          // is resized again when it shows.
          if (window.getComputedStyle(gd).display === "none") return;
          var width = state ? state.placeholder.clientWidth : 0;
          // At another width (titles wrap differently; across NARROW_PX panels stack or not):
          // laid out again; else (a height change) only resized.
          if (state && (isNarrowWidth(width) !== state.narrow || Math.abs(width - state.width) > 12)) relayoutFigure(gd);
          else window.Plotly.Plots.resize(gd);
        });
      });
    });
  }

  var lastScheme = null;
  function onSchemeChange() {
    var current = scheme();
    if (current === lastScheme) return;
    lastScheme = current;
    rendered.forEach(applyTheme);
    document.dispatchEvent(new CustomEvent("rc:themechange", { detail: { scheme: current } }));
  }

  function watchScheme() {
    lastScheme = scheme();
    new MutationObserver(onSchemeChange).observe(document.body, {
      attributes: true, attributeFilter: ["data-md-color-scheme"]
    });
  }

  /** A copy of a drawn figure's layout in another palette (for gen/statics.py's dark render). */
  function themedLayout(layout, name) { return deepMerge(clone(layout), themeAll(layout, name)); }

  window.rcPlotly = { load: load, themeLayout: themeLayout, applyTheme: applyTheme, merge: deepMerge,
                      themedLayout: themedLayout };

  if (document.body) watchScheme();
  else document.addEventListener("DOMContentLoaded", watchScheme);

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUp);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();

/*
 * plots.js — the Playground's plotting: the contour (paths, step markers and arrows, the zoomed
 * box and its grid) and the loss, drawn with plotly.js, and the frames of Play.
 *
 * ui.js (the controls, the URL, Play / Pause and the numbers) builds the page; this file adds the
 * drawing methods to its Playground (rcPlaygroundPlots.install(Playground), called by ui.js) and
 * shares the methods' styles and the screen classes with it. Plotly, the palette and the layout
 * merge come from figures.js (window.rcPlotly.load(), .themeLayout(), .merge()).
 *
 * Browser global window.rcPlaygroundPlots; loaded after custom.js and before ui.js.
 */
(function () {
  "use strict";

  // Okabe–Ito colours (distinguishable with the common colour-vision deficiencies) plus a dash
  // pattern and a marker symbol per method, so colour is never the only cue.
  var STYLE = {
    gd: { color: "#0072B2", dash: "solid", symbol: "circle" },
    momentum: { color: "#E69F00", dash: "dot", symbol: "square" },
    rmsprop: { color: "#D55E00", dash: "solid", symbol: "diamond" },
    adam: { color: "#009E73", dash: "dash", symbol: "triangle-up" },
    ngd: { color: "#CC79A7", dash: "dashdot", symbol: "cross" },
    sign: { color: "#56B4E9", dash: "longdash", symbol: "x" }
  };
  var GRID = 121;             // contour grid points along the longer side
  var GRID_MAX = 361;         // ... for the steepest bowls (kappa up to 10^4)

  // Screen classes, the same breakpoints as playground.css: side by side from 1200 px; below,
  // the contour comes first and stays in view (sticky) while the settings scroll, when the screen
  // is tall enough; on phones the contour fits the paths unless the link says zoom=full.
  var WIDE = "(min-width: 1200px)";
  var NARROW = "(max-width: 759px)";
  var STICKY = "(max-width: 1199px) and (min-height: 600px)";
  function media(q) { return !!(window.matchMedia && window.matchMedia(q).matches); }

  /**
   * The contour's grid: log10(f - min + floor) on GRID points along the longer side. kappa is
   * the bowls' condition number (null for the other surfaces). Above the course's 20 the
   * valley is sqrt(kappa / 20) times narrower than the course bowl's: the grid is refined (up to
   * GRID_MAX) and the lowest level raised until the narrowest drawn ellipse, whose minor
   * semi-axis is sqrt(2 level / kappa), spans at least two grid cells, so that no contour
   * breaks into dots. At kappa <= 20 nothing changes.
   */
  function contourGrid(surf, kappa, box) {
    var v = box || surf.view, w = v[0][1] - v[0][0], h = v[1][1] - v[1][0];
    var n = GRID, steep = kappa !== null && kappa !== undefined && kappa > window.rcQuery.KAPPA.fallback;
    if (steep) n = Math.min(GRID_MAX, Math.round(GRID * Math.sqrt(kappa / window.rcQuery.KAPPA.fallback)));
    var nx = w >= h ? n : Math.max(21, Math.round(n * w / h));
    var ny = h >= w ? n : Math.max(21, Math.round(n * h / w));
    var xs = [], ys = [], z = [], lo = Infinity, hi = -Infinity, i, j;
    for (i = 0; i < nx; i++) xs.push(v[0][0] + w * i / (nx - 1));
    for (j = 0; j < ny; j++) ys.push(v[1][0] + h * j / (ny - 1));
    for (j = 0; j < ny; j++) {
      var row = [];
      for (i = 0; i < nx; i++) {
        var f = surf.value([xs[i], ys[j]]);
        if (!isFinite(f)) f = null;   // your own formula may be NaN or infinite somewhere: a gap
        row.push(f);
        if (f !== null && f < lo) lo = f;
        if (f !== null && f > hi) hi = f;
      }
      z.push(row);
    }
    // Log-spaced levels show both the valley floor and the steep walls.
    var floor = (hi - lo) * 1e-4 || 1e-12;
    if (steep) {
      var cell = Math.max(w / (nx - 1), h / (ny - 1));
      floor = Math.max(floor, 0.5 * kappa * (2 * cell) * (2 * cell));   // sqrt(2 floor / kappa) = 2 cells
    }
    var zl = z.map(function (row) { return row.map(function (f) { return f === null ? null : Math.log10(f - lo + floor); }); });
    return { x: xs, y: ys, z: zl };
  }

  /**
   * The paths' box (with the minimum, when it is in view), padded, widened or heightened (never
   * cut) to an aspect within [aspect[0], aspect[1]] and moved into the view box. Points outside
   * the view count at its edge, so a diverging run zooms out to the whole surface.
   */
  function fitBox(view, runs, minimum, aspect) {
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    function add(p) {
      if (!p || !isFinite(p[0]) || !isFinite(p[1])) return;
      var x = Math.min(view[0][1], Math.max(view[0][0], p[0])), y = Math.min(view[1][1], Math.max(view[1][0], p[1]));
      if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
    }
    if (minimum && minimum[0] >= view[0][0] && minimum[0] <= view[0][1] && minimum[1] >= view[1][0] && minimum[1] <= view[1][1]) add(minimum);
    (runs || []).forEach(function (r) {
      var p = r.run.positions, end = r.run.diverged ? Math.min(p.length, r.run.divergedAt + 1) : p.length;
      for (var k = 0; k < end; k++) add(p[k]);
    });
    if (!(x0 <= x1 && y0 <= y1)) return view;
    var W = view[0][1] - view[0][0], H = view[1][1] - view[1][0];
    var px = Math.max(0.08 * (x1 - x0), 0.03 * W), py = Math.max(0.08 * (y1 - y0), 0.03 * H);
    x0 -= px; x1 += px; y0 -= py; y1 += py;
    var w = x1 - x0, h = y1 - y0;
    if (h / w > aspect[1]) { var dw = (h / aspect[1] - w) / 2; x0 -= dw; x1 += dw; }
    else if (h / w < aspect[0]) { var dh = (w * aspect[0] - h) / 2; y0 -= dh; y1 += dh; }
    return [shiftInto(x0, x1, view[0]), shiftInto(y0, y1, view[1])];
  }

  /** [a, b] moved (not shrunk) into range, cut to it only when wider; 4 significant digits. */
  function shiftInto(a, b, range) {
    var lo = range[0], hi = range[1];
    if (b - a >= hi - lo) return [lo, hi];
    if (a < lo) { b += lo - a; a = lo; }
    if (b > hi) { a -= b - hi; b = hi; }
    var r = function (v) { return Number(v.toPrecision(4)); };
    return [Math.max(lo, r(a)), Math.min(hi, r(b))];
  }

  function themeLayout() {
    return (window.rcPlotly && window.rcPlotly.themeLayout) ? window.rcPlotly.themeLayout() : {};
  }

  /** The palette's layout merged into a figure's layout (figures.js's merge, shared). */
  function merge(target, source) { return window.rcPlotly.merge(target, source); }

  /** Add the drawing methods to the Playground class (ui.js). */
  function install(Playground) {
    /** The numbers, then the plots (plotly.js loaded if need be): every change of a setting. */
    Playground.prototype.draw = function () {
      this.drawSummary();
      this.drawTable();
      if (this.disarm) { this.disarm(); this.disarm = null; }   // a change: the pictures are out of date
      return (this.plotsPromise = this.drawPlots());
    };

    /** Loads plotly.js and draws both plots; once drawn they replace the build's pictures (the
     *  slots say data-rc-state="rendered", which gen/statics.py waits for), and a click kept
     *  from the contour's picture (ui.js) sets the start where it landed. */
    Playground.prototype.drawPlots = function () {
      var self = this;
      var loader = window.rcPlotly && window.rcPlotly.load ? window.rcPlotly.load() : Promise.reject(new Error("figures.js (window.rcPlotly) is missing"));
      return loader.then(function (Plotly) {
        if (!document.body.contains(self.root)) return;
        self.plotly = Plotly;
        return Promise.all([self.drawContour(), self.drawLoss()]).then(function () {
          self.contourSlot.setAttribute("data-rc-state", "rendered");
          self.lossSlot.setAttribute("data-rc-state", "rendered");
          if (self.root.classList.contains("rc-playground--static")) {
            self.root.classList.remove("rc-playground--static");   // the plots take the pictures' place
            self.placeOverlay();
            self.markSticky();
          }
          self.root.setAttribute("data-rc-state", "rendered");
          var click = self.pendingClick, r;
          self.pendingClick = null;
          if (click && !self.overlay.hidden) {
            r = self.contourWrap.getBoundingClientRect();
            self.onContourClick({ clientX: r.left + click.dx, clientY: r.top + click.dy });
          }
        });
      }).catch(function (e) {
        self.say(["The plots could not be drawn: " + e.message], true);
      });
    };

    Playground.prototype.rerender = function () {
      this.frame();   // the zoom's box depends on the screen (and a phone's default zoom on its width)
      this.syncZoom();
      if (this.plotly) { this.drawContour(); this.drawLoss(); }
    };

    Playground.prototype.contourLayout = function () {
      var surf = this.surface(), v = this.box || surf.view, narrow = media(NARROW);
      var width = this.contour.clientWidth || 600, margin = { l: narrow ? 44 : 50, r: narrow ? 6 : 10, t: 40, b: 40 };
      var aspect = (v[1][1] - v[1][0]) / (v[0][1] - v[0][0]);
      // Equal aspect: the plot area's height follows its width (the axes' room and the legend added),
      // up to the room the layout leaves for the contour.
      var height = Math.round(Math.min(this.maxContourHeight(), Math.max(narrow ? 200 : 290, (width - margin.l - margin.r) * aspect + (narrow ? 120 : 100))));
      var layout = {
        // The legend sits above the plot: below it, it would collide with the x-axis title.
        height: height, margin: margin, showlegend: true,
        legend: { orientation: "h", x: 0, y: 1.01, yanchor: "bottom", font: { size: narrow ? 11 : 12 } },
        dragmode: false, hovermode: false,
        xaxis: { range: v[0].slice(), title: { text: "x (w)" }, fixedrange: true, constrain: "domain" },
        yaxis: { range: v[1].slice(), title: { text: "y (b)" }, fixedrange: true, scaleanchor: "x", scaleratio: 1, constrain: "domain" },
        annotations: this.playing ? [] : this.stepAnnotations()
      };
      return merge(layout, themeLayout());
    };

    Playground.prototype.contourData = function () {
      var surf = this.surface(), t = this.settings.t;
      var data = [{
        type: "contour", x: this.grid.x, y: this.grid.y, z: this.grid.z, ncontours: 24, showscale: false,
        contours: { coloring: "lines" }, line: { width: 1 }, colorscale: [[0, "#9aa3af"], [1, "#5b6472"]],
        hoverinfo: "skip", name: "contour", showlegend: false
      }, {
        type: "scatter", mode: "markers", x: [surf.minimum[0]], y: [surf.minimum[1]], name: surf.id === "saddle" ? "stationary point" : "minimum",
        showlegend: !media(NARROW),   // a phone's legend keeps one row for the methods; the page names the star
        visible: isFinite(surf.minimum[0]) && isFinite(surf.minimum[1]),   // your own formula's minimum is not known
        marker: { symbol: "star", size: 13, color: "#7f7f7f", line: { width: 1, color: "#000" } }, hoverinfo: "skip"
      }];
      this.runs.forEach(function (r) {
        var st = STYLE[r.id], p = r.run.positions;
        var end = r.run.diverged ? r.run.divergedAt : p.length;   // the frozen tail adds nothing
        var xs = [], ys = [];
        for (var k = 0; k < end; k++) { xs.push(p[k][0]); ys.push(p[k][1]); }
        data.push({
          type: "scatter", mode: "lines+markers", x: xs, y: ys, name: window.rcEngine.METHOD_NAMES[r.id],
          legendgroup: r.id, line: { color: st.color, width: 2, dash: st.dash },
          marker: { color: st.color, size: 4, symbol: st.symbol }, hoverinfo: "skip"
        });
      });
      this.runs.forEach(function (r) {
        var st = STYLE[r.id], k = Math.min(t, r.run.positions.length - 1), q = r.run.positions[k];
        data.push({
          type: "scatter", mode: "markers", x: [q[0]], y: [q[1]], legendgroup: r.id, showlegend: false,
          name: window.rcEngine.METHOD_NAMES[r.id] + " at step " + t,
          marker: { color: st.color, size: 12, symbol: st.symbol, line: { width: 2, color: "#ffffff" } }, hoverinfo: "skip"
        });
        if (r.run.diverged) {
          // Mark the last point of the path still inside the view box (the last finite point
          // itself may be far outside it).
          var v = surf.view, last = r.run.positions[0];
          for (var j = 0; j < r.run.divergedAt; j++) {
            var pj = r.run.positions[j];
            if (pj[0] >= v[0][0] && pj[0] <= v[0][1] && pj[1] >= v[1][0] && pj[1] <= v[1][1]) last = pj;
            else break;
          }
          data.push({
            type: "scatter", mode: "markers+text", x: [last[0]], y: [last[1]], showlegend: false, legendgroup: r.id,
            name: window.rcEngine.METHOD_NAMES[r.id] + " diverged", text: [window.rcEngine.METHOD_NAMES[r.id] + " diverged at step " + r.run.divergedAt],
            textposition: "top center", textfont: { color: st.color },
            marker: { symbol: "x-thin", size: 16, line: { width: 3, color: st.color } }, hoverinfo: "skip"
          });
        }
      });
      return data;
    };

    /** Arrows at the current step: −∇f (direction only, fixed length) and each method's update.
     *  With noise the run's g is the noisy gradient; the grey arrow stays the surface's own. */
    Playground.prototype.stepAnnotations = function () {
      var t = this.settings.t, surf = this.surface(), v = this.box || surf.view, noisy = this.settings.noise > 0;
      var L = 0.1 * Math.min(v[0][1] - v[0][0], v[1][1] - v[1][0]);
      var out = [];
      this.runs.forEach(function (r) {
        if (t >= r.run.updates.length) return;
        if (r.run.diverged && t >= r.run.divergedAt - 1) return;
        var x = r.run.positions[t], g = noisy ? surf.grad(x) : r.run.grads[t], u = r.run.updates[t];
        var gn = Math.sqrt(g[0] * g[0] + g[1] * g[1]);
        if (gn > 0) {
          out.push({ x: x[0] - L * g[0] / gn, y: x[1] - L * g[1] / gn, ax: x[0], ay: x[1], xref: "x", yref: "y",
                     axref: "x", ayref: "y", showarrow: true, arrowhead: 2, arrowwidth: 1.5, arrowcolor: "#7f7f7f", text: "" });
        }
        if (u[0] !== 0 || u[1] !== 0) {
          out.push({ x: x[0] + u[0], y: x[1] + u[1], ax: x[0], ay: x[1], xref: "x", yref: "y", axref: "x", ayref: "y",
                     showarrow: true, arrowhead: 3, arrowwidth: 2.5, arrowcolor: STYLE[r.id].color, text: "" });
        }
      });
      return out;
    };

    Playground.prototype.drawContour = function () {
      if (!this.plotly) return;
      var self = this;
      return this.plotly.react(this.contour, this.contourData(), this.contourLayout(),
                               { displayModeBar: false, responsive: true, scrollZoom: false, staticPlot: false })
        .then(function () { self.placeOverlay(); self.markSticky(); });
    };

    /** The height the sticky contour and stepper cover (with the header), for playground.css: a
     *  control scrolled into view (by focus or a search) lands below them, not under them. */
    Playground.prototype.markSticky = function () {
      var header = document.querySelector(".md-header");
      var h = (header ? header.offsetHeight : 48) + this.stage.offsetHeight;
      document.documentElement.style.setProperty("--rc-pg-sticky", h + "px");
    };

    /** Lay the click overlay exactly over the plot area (the axes' rectangle). */
    Playground.prototype.placeOverlay = function () {
      var drag = this.contour.querySelector(".nsewdrag");
      if (!drag) { this.overlay.hidden = true; return; }
      var a = drag.getBoundingClientRect(), b = this.contourWrap.getBoundingClientRect();
      var o = this.overlay.style;
      o.left = (a.left - b.left) + "px"; o.top = (a.top - b.top) + "px";
      o.width = a.width + "px"; o.height = a.height + "px";
      this.overlay.hidden = false;
    };

    Playground.prototype.drawLoss = function () {
      if (!this.plotly) return;
      var surf = this.surface(), saddle = surf.id === "saddle" || !isFinite(surf.minValue), t = this.settings.t;
      var data = [], logFloor = 1e-16;
      this.runs.forEach(function (r) {
        var st = STYLE[r.id], end = r.run.diverged ? r.run.divergedAt : r.run.loss.length;
        var xs = [], ys = [];
        for (var k = 0; k < end; k++) {
          xs.push(k);
          // (on a linear scale, the engine's stand-in for a NaN or infinite f, +-MAX_VALUE, is a gap)
          ys.push(saddle ? (Math.abs(r.run.loss[k]) < Number.MAX_VALUE ? r.run.loss[k] : null) : Math.max(r.run.loss[k] - surf.minValue, logFloor));
        }
        data.push({ type: "scatter", mode: "lines", x: xs, y: ys, name: window.rcEngine.METHOD_NAMES[r.id],
                    line: { color: st.color, width: 2, dash: st.dash }, hoverinfo: "skip" });
        var k2 = Math.min(t, end - 1);
        data.push({ type: "scatter", mode: "markers", x: [k2], y: [ys[k2]], showlegend: false,
                    name: window.rcEngine.METHOD_NAMES[r.id] + " at step " + t,
                    marker: { color: st.color, size: 9, symbol: st.symbol }, hoverinfo: "skip" });
      });
      var layout = merge({
        height: this.lossHeight(), margin: { l: 60, r: 10, t: 10, b: 70 }, dragmode: false, hovermode: false, showlegend: true,
        // Below the axis title (about 45 px under the plot, whatever the plot's height).
        legend: { orientation: "h", x: 0, y: -45 / (this.lossHeight() - 80), yanchor: "top" },
        xaxis: { title: { text: "iteration t" }, fixedrange: true, range: [0, this.settings.steps] },
        yaxis: saddle ? { title: { text: surf.id === "saddle" ? "f(x\u209c) (the saddle has no minimum)" : "f(x\u209c) (its minimum is not known)" }, fixedrange: true }
                      : { title: { text: "f(x\u209c) \u2212 f(x*)" }, type: "log", fixedrange: true, exponentformat: "power" },
        shapes: this.playing ? [] : [{ type: "line", xref: "x", yref: "paper", x0: t, x1: t, y0: 0, y1: 1, line: { color: "#7f7f7f", width: 1, dash: "dot" } }]
      }, themeLayout());
      return this.plotly.react(this.lossPlot, data, layout, { displayModeBar: false, responsive: true });
    };

    /** One frame of play: the step's markers move along the paths and the table follows. The
     *  markers' SVG points are moved in place (Plotly's own redraw of a contour with thousands of
     *  path points cannot keep the frame rate, and Plotly.animate without a redraw wipes the
     *  contour levels); pausing redraws the figure, arrows and all. */
    Playground.prototype.drawPlayFrame = function () {
      var self = this, t = this.settings.t, surf = this.surface(), saddle = surf.id === "saddle";
      this.showStep();
      this.drawTable();
      // The step's marker traces are named "... at step t", one per run in the runs' order.
      function move(gd, point) {
        var full = gd._fullData, L = gd._fullLayout, n = 0;
        if (!full || !L || !L.xaxis || !L.yaxis) return;
        full.forEach(function (tr) {
          if (typeof tr.name !== "string" || tr.name.indexOf(" at step ") < 0) return;
          var r = self.runs[n++], node = r && gd.querySelector(".trace" + tr.uid + " .point");
          if (!node) return;
          var p = point(r), px = L.xaxis.l2p(L.xaxis.d2l(p[0])), py = L.yaxis.l2p(L.yaxis.d2l(p[1]));
          if (isFinite(px) && isFinite(py)) node.setAttribute("transform", "translate(" + px + "," + py + ")");
        });
      }
      if (this.plotly) {
        move(this.contour, function (r) { return r.run.positions[Math.min(t, r.run.positions.length - 1)]; });
        move(this.lossPlot, function (r) {
          var end = r.run.diverged ? r.run.divergedAt : r.run.loss.length, k = Math.min(t, end - 1), f = r.run.loss[k];
          return [k, saddle ? f : Math.max(f - surf.minValue, 1e-16)];
        });
      }
      return Promise.resolve();
    };

    /** The contour's box for the zoom in effect, and its grid (recomputed only when the box changes). */
    Playground.prototype.frame = function () {
      var s = this.settings, surf = this.surface(), Q = window.rcQuery;
      var box = this.zoom() === "fit" ? fitBox(surf.view, this.runs, surf.minimum, this.fitAspect()) : surf.view;
      var key = JSON.stringify(box);
      if (!this.grid || this.gridKey !== key) {
        this.grid = contourGrid(surf, Q.KAPPA_SURFACES.indexOf(s.fn) >= 0 ? s.kappa : null, box);
        this.gridKey = key;
      }
      this.box = box;
    };

    /** The plot area's [flattest, tallest] height/width for a fitted box: tall enough to see a path,
     *  never taller than the room the screen leaves (the box is widened instead). */
    Playground.prototype.fitAspect = function () {
      var narrow = media(NARROW), width = this.contour.clientWidth || 600;
      var plotW = width - (narrow ? 50 : 60), plotH = this.maxContourHeight() - 120;
      var tallest = Math.max(0.3, plotH / Math.max(plotW, 1));
      return [Math.min(0.45, tallest), tallest];
    };

    /** The tallest contour (px) the layout leaves room for: beside the settings the contour, the
     *  stepper and the loss fit one screen; above them (sticky) the contour and stepper half of one. */
    Playground.prototype.maxContourHeight = function () {
      var vh = window.innerHeight || 800, header = document.querySelector(".md-header");
      var top = header ? header.offsetHeight : 48, stepper = this.stepper ? this.stepper.offsetHeight : 50;
      // Wide: the column sticks 3rem (60 px) from the top; two 0.5rem gaps and the borders below.
      if (media(WIDE)) return Math.max(300, Math.min(650, vh - Math.max(top, 60) - stepper - this.lossHeight() - 44));
      if (media(STICKY)) return Math.max(220, Math.min(650, Math.round(vh * 0.55) - top - stepper));
      return 650;
    };

    Playground.prototype.lossHeight = function () {
      return media(WIDE) ? Math.max(180, Math.min(300, Math.round(0.28 * (window.innerHeight || 800)))) : 300;
    };
  }

  window.rcPlaygroundPlots = { STYLE: STYLE, NARROW: NARROW, media: media, install: install };
})();

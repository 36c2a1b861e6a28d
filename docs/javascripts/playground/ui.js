/*
 * ui.js — the Playground page: its controls, step-through, Play / Pause, numbers and shareable URL.
 *
 * Builds everything inside <div id="rc-playground"> (docs/playground.md) with DOM methods and
 * textContent only: nothing from the URL or a form field is ever parsed as HTML. Numbers come
 * from engine.js (window.rcEngine), settings from query.js (window.rcQuery); the contour and the
 * loss are drawn by plots.js (window.rcPlaygroundPlots, whose methods it adds to Playground),
 * with plotly.js and the palette from figures.js (the "rc:themechange" event).
 *
 * Runs inside document$.subscribe so it re-initialises under mkdocs-material's instant
 * navigation; a root already set up is left alone.
 */
(function () {
  "use strict";

  var SCRIPT_URL = (document.currentScript && document.currentScript.src) || window.location.href;
  var TUNED_URL = new URL("../../generated/data/playground-tuned.json", SCRIPT_URL).href;

  var P = window.rcPlaygroundPlots;   // the plotting (plots.js): styles, screen classes, drawing
  var current = null;         // the live Playground instance (one page at a time)

  // A click on the contour plays from the new start, unless the reader asked for reduced motion.
  var REDUCED_MOTION = "(prefers-reduced-motion: reduce)";

  // ----- tiny DOM helpers (textContent only) ---------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (attrs[k] !== undefined && attrs[k] !== null && attrs[k] !== false) node.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function fmt(v) {
    if (v === null || v === undefined) return "\u2014";
    if (v === 0) return "0";
    var a = Math.abs(v);
    if (a >= 1e5 || a < 1e-3) return v.toExponential(3).replace("e+", "e");
    return String(Number(v.toPrecision(4)));
  }
  /** 10000 as "10 000" (a no-break space between groups of three digits). */
  function groupThousands(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0"); }
  /** 1e6 as "10⁶" (a power of ten with a superscript exponent); any other number as fmt does. */
  function powerOfTen(v) {
    var k = Math.round(Math.log10(v));
    if (!(v > 0) || Math.pow(10, k) !== v) return fmt(v);
    return "10" + String(k).replace(/./g, function (c) { return "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079".charAt("-0123456789".indexOf(c)); });
  }
  function fmtVec(v) { return v ? "(" + fmt(v[0]) + ", " + fmt(v[1]) + ")" : "\u2014"; }

  // ----- the Playground ----------------------------------------------------------------

  function Playground(root) {
    this.root = root;
    var parsed = window.rcQuery.parse(window.location.search);
    this.settings = parsed.settings;
    this.runs = null;
    this.grid = null;
    this.tuned = null;
    this.plotly = null;
    this.box = null;            // the contour's shown box [[x0, x1], [y0, y1]] (zoom)
    this.gridKey = null;        // which box this.grid was computed for
    this.playing = false;
    this.timer = null;
    this.build();
    this.syncForm();
    this.compute();
    this.say(parsed.messages, true);
    // The build's pictures show the default state: a bare address (not the build's own render).
    this.pictureQuery = this.pictured && !window.location.search && !window.rcStaticRender
      ? window.rcQuery.serialize(this.settings) : null;
    // A bare address (the lecture's settings) stays bare until something changes; a given
    // query is rewritten in full, corrected, so the address bar shows what is on screen.
    if (window.location.search) this.writeUrl(); else this.linkInput.value = this.shareUrl();
    this.syncPictured();
    if (this.pictureQuery !== null) {
      // Static first (issue #15): the numbers now, the plots as pictures; plotly.js loads at the
      // reader's first interaction with the Playground or when the page is idle (wakeUp).
      this.root.classList.add("rc-playground--static");
      this.root.setAttribute("data-rc-state", "static");
      this.drawSummary();
      this.drawTable();
      this.armWakeUp();
    } else {
      // Pictures of another state than the one asked for: never shown, not kept.
      if (!window.rcStaticRender) [].forEach.call(root.querySelectorAll(".rc-pg-static > .rc-static"), function (n) { n.parentNode.removeChild(n); });
      this.draw();
    }
  }

  Playground.prototype.surface = function () {
    var s = this.settings;
    return window.rcEngine.surface(s.fn, window.rcQuery.surfaceOptions(s));
  };

  /** Show messages (plain strings) in the live region; `warn` marks corrections of bad input. */
  Playground.prototype.say = function (messages, warn) {
    var box = this.status;
    while (box.firstChild) box.removeChild(box.firstChild);
    box.classList.toggle("rc-pg__status--warn", !!warn && messages.length > 0);
    messages.forEach(function (m) { box.appendChild(el("p", { text: m })); });
  };

  // ----- building the controls -------------------------------------------------------------

  Playground.prototype.build = function () {
    var self = this, E = window.rcEngine, Q = window.rcQuery;
    var root = this.root;
    // The slots the build fills with pictures of the default state (docs/playground.md,
    // hooks/statics.py): kept, and the graphs drawn inside them (gen/statics.py finds the graph
    // in each data-rc-static slot and reads data-rc-state there).
    function slot(key, kind) {
      var found = root.querySelector('[data-rc-static="' + key + '"]');
      return found || el("div", { "class": "rc-pg-static rc-pg-static--" + kind, "data-rc-static": key });
    }
    this.contourSlot = slot("pg-contour", "contour");
    this.lossSlot = slot("pg-loss", "loss");
    this.pictured = !!(this.contourSlot.querySelector(".rc-static") && this.lossSlot.querySelector(".rc-static"));
    while (root.firstChild) root.removeChild(root.firstChild);
    root.setAttribute("data-rc-ready", "1");

    this.status = el("div", { "class": "rc-pg__status", role: "status", "aria-live": "polite", id: "rc-pg-status" });

    function button(text, handler, id) {
      var b = el("button", { type: "button", "class": "md-button rc-pg__button", id: id, text: text });
      b.addEventListener("click", handler);
      return b;
    }

    // Surface
    this.fnSelect = el("select", { id: "rc-pg-fn" }, E.SURFACE_IDS.map(function (id) {
      return el("option", { value: id, text: E.SURFACE_INFO[id].name });
    }));
    this.angleInput = el("input", { id: "rc-pg-angle", type: "text", inputmode: "decimal", size: "6" });
    this.angleRow = el("div", { "class": "rc-pg__row" }, [
      el("label", { "for": "rc-pg-angle", text: "Rotation angle (degrees, \u2212180 to 180)" }), this.angleInput]);
    // The condition number of the two bowls (their eigenvalues are 1 and kappa).
    this.kappaInput = el("input", { id: "rc-pg-kappa", type: "text", inputmode: "decimal", size: "6" });
    this.kappaRow = el("div", { "class": "rc-pg__row" }, [
      el("label", { "for": "rc-pg-kappa", text: "Condition number \u03ba (" + Q.KAPPA.min + " to " + groupThousands(Q.KAPPA.max) + ")" }),
      this.kappaInput]);
    this.stepsInput = el("input", { id: "rc-pg-steps", type: "text", inputmode: "numeric", size: "6" });
    var surfaceSet = el("fieldset", { "class": "rc-pg__group" }, [
      el("legend", { text: "Surface" }),
      el("div", { "class": "rc-pg__row rc-pg__row--menu" }, [el("label", { "for": "rc-pg-fn", text: "Surface" }), this.fnSelect]),
      this.angleRow,
      this.kappaRow,
      el("div", { "class": "rc-pg__row" }, [
        el("label", { "for": "rc-pg-steps", text: "Steps (" + Q.STEPS.min + " to " + Q.STEPS.max + ")" }), this.stepsInput])
    ]);
    if (window.rcCustom) window.rcCustom.build(this, surfaceSet);   // "Your own formula" (custom.js)

    // Gradient noise: sigma (0 = off) and the seed that names the noise; "New noise" draws a seed.
    this.noiseInput = el("input", { id: "rc-pg-noise", type: "text", inputmode: "decimal", size: "6" });
    this.seedInput = el("input", { id: "rc-pg-seed", type: "text", inputmode: "numeric", size: "11" });
    var noiseSet = el("fieldset", { "class": "rc-pg__group" }, [
      el("legend", { text: "Gradient noise" }),
      el("div", { "class": "rc-pg__row" }, [
        el("label", { "for": "rc-pg-noise", text: "Noise \u03c3 (" + Q.NOISE.min + " = off, up to " + Q.NOISE.max + ")" }), this.noiseInput]),
      el("div", { "class": "rc-pg__row" }, [
        el("label", { "for": "rc-pg-seed", text: "Seed (" + Q.SEED.min + " to " + groupThousands(Q.SEED.max) + ")" }), this.seedInput]),
      button("New noise", function () { self.newNoise(); }, "rc-pg-new-noise")
    ]);

    // Start point
    this.xInput = el("input", { id: "rc-pg-x", type: "text", inputmode: "decimal", size: "8" });
    this.yInput = el("input", { id: "rc-pg-y", type: "text", inputmode: "decimal", size: "8" });
    var startSet = el("fieldset", { "class": "rc-pg__group" }, [
      el("legend", { text: "Start point (or click the contour)" }),
      el("div", { "class": "rc-pg__row" }, [el("label", { "for": "rc-pg-x", text: "x (w)" }), this.xInput]),
      el("div", { "class": "rc-pg__row" }, [el("label", { "for": "rc-pg-y", text: "y (b)" }), this.yInput])
    ]);

    // Methods and their hyperparameters
    this.methodInputs = {};
    var methodSet = el("fieldset", { "class": "rc-pg__group rc-pg__methods" }, [el("legend", { text: "Methods" })]);
    E.METHOD_IDS.forEach(function (id) {
      var name = E.METHOD_NAMES[id];
      var box = el("input", { type: "checkbox", id: "rc-pg-on-" + id });
      var inputs = { on: box, params: {} };
      var params = el("div", { "class": "rc-pg__params", id: "rc-pg-params-" + id });
      Q.METHOD_PARAMS[id].forEach(function (p) {
        var spec = Q.PARAMS[p], inputId = "rc-pg-" + p + "-" + id, control;
        if (spec.kind === "number") {
          control = el("input", { id: inputId, type: "text", inputmode: "decimal", size: "8", "data-param": p });
        } else if (spec.kind === "bool") {
          control = el("input", { id: inputId, type: "checkbox", "data-param": p });
        } else {
          control = el("select", { id: inputId, "data-param": p }, spec.choices.map(function (c) {
            var text = p === "epsmode" ? (c === "inside" ? "inside: g/\u221a(S+\u03b5)" : "outside: g/(\u221aS+\u03b5)")
                     : p === "init" ? "S\u2080 = " + c : p === "form" ? (c === "ema" ? "EMA (course)" : "heavy ball") : String(c);
            return el("option", { value: String(c), text: text });
          }));
        }
        inputs.params[p] = control;
        var label = el("label", { "for": inputId, text: spec.label });
        var row = el("div", { "class": "rc-pg__row" + (spec.kind === "bool" ? " rc-pg__row--check" : "") },
                     spec.kind === "bool" ? [control, label] : [label, control]);
        params.appendChild(row);
        control.addEventListener("change", function () { self.onParam(id, p, control); });
      });
      box.addEventListener("change", function () { self.onMethods(); });
      self.methodInputs[id] = inputs;
      var swatch = el("span", { "class": "rc-pg__swatch", "aria-hidden": "true" });
      swatch.style.borderTopColor = P.STYLE[id].color;
      swatch.style.borderTopStyle = P.STYLE[id].dash === "solid" ? "solid" : P.STYLE[id].dash === "dot" ? "dotted" : "dashed";
      methodSet.appendChild(el("div", { "class": "rc-pg__method" }, [
        el("div", { "class": "rc-pg__row rc-pg__row--check" }, [box, el("label", { "for": "rc-pg-on-" + id }, [swatch, el("span", { text: name })])]),
        params
      ]));
    });

    // Buttons and the link
    this.linkInput = el("input", { id: "rc-pg-link", type: "text", readonly: true, "class": "rc-pg__link" });
    var actions = el("div", { "class": "rc-pg__actions" }, [
      button("Tuned rates", function () { self.loadTuned(); }, "rc-pg-tuned"),
      button("Reset to lecture settings", function () { self.reset(); }, "rc-pg-reset"),
      button("Copy link", function () { self.copyLink(); }, "rc-pg-copy"),
      el("div", { "class": "rc-pg__row rc-pg__row--link" }, [el("label", { "for": "rc-pg-link", text: "Link to this view" }), this.linkInput])
    ]);

    var form = el("form", { "class": "rc-pg__controls", "aria-label": "Playground settings" },
                  [surfaceSet, noiseSet, startSet, methodSet, actions]);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });

    // Views
    // The contour: a focusable wrapper (keyboard step-through) holding the Plotly graph and a
    // transparent overlay over the plot area that takes clicks and taps (Plotly's own drag
    // layer swallows native clicks).
    this.contour = el("div", { "class": "rc-pg__graph", id: "rc-pg-contour" });
    this.contourSlot.appendChild(this.contour);
    this.overlay = el("div", { "class": "rc-pg__overlay", "aria-hidden": "true", hidden: true });
    this.contourWrap = el("div", { "class": "rc-pg__plot rc-pg__plot--contour", id: "rc-pg-contour-wrap", tabindex: "0",
      role: "group", "aria-roledescription": "contour plot",
      "aria-label": "Contour plot with the trajectories. Click or tap to set the start point; left and right arrow keys step through the iterations, the space bar plays or pauses them." },
      [this.contourSlot, this.overlay]);
    this.lossPlot = el("div", { "class": "rc-pg__graph", id: "rc-pg-loss" });
    this.lossSlot.appendChild(this.lossPlot);
    this.lossWrap = el("div", { "class": "rc-pg__plot rc-pg__plot--loss", id: "rc-pg-loss-wrap", role: "group",
      "aria-label": "Loss against iteration, logarithmic scale" }, [this.lossSlot]);
    this.stepInput = el("input", { type: "range", id: "rc-pg-step", min: "0", step: "1" });
    this.stepOutput = el("output", { "for": "rc-pg-step", id: "rc-pg-step-out" });
    // Play / Pause moves the step-through on by itself; its label says what a press will do.
    this.playButton = el("button", { type: "button", "class": "md-button rc-pg__button rc-pg__play", id: "rc-pg-play" });
    this.playButton.addEventListener("click", function () { self.togglePlay(); });
    // Play's speed (speed= in the link when it is not the default).
    this.speedSelect = el("select", { id: "rc-pg-speed" }, Q.SPEED.choices.map(function (sp) {
      return el("option", { value: String(sp), text: sp + " steps/s" });
    }));
    this.speedSelect.addEventListener("change", function () { self.onSpeed(); });
    // The contour's zoom, a toggle: pressed, the paths' box; not, the whole surface (zoom= in the
    // link once chosen).
    this.zoomButton = el("button", { type: "button", "class": "md-button rc-pg__button rc-pg__zoom", id: "rc-pg-zoom",
                                     "aria-pressed": "false", text: "Fit paths" });
    this.zoomButton.addEventListener("click", function () { self.setZoom(self.zoom() === "fit" ? "full" : "fit"); });
    // Previous / Next: on a phone only their arrows show (the words stay their names).
    function stepButton(id, arrowFirst, word, d) {
      var arrow = el("span", { "aria-hidden": "true", text: arrowFirst ? "\u2190" : "\u2192" });
      var b = el("button", { type: "button", "class": "md-button rc-pg__button", id: id },
                 arrowFirst ? [arrow, el("span", { "class": "rc-pg__word", text: " " + word })]
                            : [el("span", { "class": "rc-pg__word", text: word + " " }), arrow]);
      b.addEventListener("click", function () { self.pause(false); self.setStep(self.settings.t + d); });
      return b;
    }
    var stepper = this.stepper = el("div", { "class": "rc-pg__stepper" }, [
      el("div", { "class": "rc-pg__transport" }, [
        this.playButton,
        stepButton("rc-pg-prev", true, "Previous", -1),
        el("label", { "for": "rc-pg-step", "class": "rc-pg__step-label", text: "Step" }), this.stepInput, this.stepOutput,
        stepButton("rc-pg-next", false, "Next", 1)
      ]),
      el("div", { "class": "rc-pg__viewbar" }, [
        el("span", { "class": "rc-pg__speed" }, [el("label", { "for": "rc-pg-speed", text: "Speed" }), this.speedSelect]),
        this.zoomButton
      ])
    ]);
    this.stepInput.addEventListener("input", function () { self.pause(false); self.setStep(Number(self.stepInput.value)); });
    this.contourWrap.addEventListener("keydown", function (ev) {
      var d = { ArrowLeft: -1, ArrowRight: 1, ArrowDown: -1, ArrowUp: 1, PageDown: -10, PageUp: 10 }[ev.key];
      if (ev.key === " " || ev.key === "Spacebar") { self.togglePlay(); ev.preventDefault(); return; }
      if (d || ev.key === "Home" || ev.key === "End") self.pause(false);
      if (ev.key === "Home") { self.setStep(0); ev.preventDefault(); }
      else if (ev.key === "End") { self.setStep(self.settings.steps); ev.preventDefault(); }
      else if (d) { self.setStep(self.settings.t + d); ev.preventDefault(); }
    });
    this.overlay.addEventListener("click", function (ev) { self.onContourClick(ev); });
    // A click or tap on the contour's picture (plotly.js not drawn yet, so no overlay): kept, as
    // a point in the contour's box, and applied once the contour is drawn in that same box.
    this.contourWrap.addEventListener("click", function (ev) {
      if (ev.target === self.overlay || !self.overlay.hidden) return;
      var r = self.contourWrap.getBoundingClientRect();
      self.pendingClick = { dx: ev.clientX - r.left, dy: ev.clientY - r.top };
      self.wakeUp();
    });

    this.summary = el("ul", { "class": "rc-pg__summary", id: "rc-pg-summary", "aria-label": "Outcome of each method" });
    this.tableCaption = el("caption", {});
    this.tableBody = el("tbody", {});
    var head = el("tr", {}, ["Method", "x\u209c", "g = \u2207f(x\u209c)", "S (second moment)", "V (velocity)", "step u\u209c", "|u\u209c|", "f(x\u209c)"]
      .map(function (h) { return el("th", { scope: "col", text: h }); }));
    this.gradHeader = head.children[2];   // names the noise when it is on (drawTable)
    this.tableHeads = [].slice.call(head.children, 1);   // each cell's label when the table stacks
    var table = el("table", { "class": "rc-pg__table", id: "rc-pg-table" }, [this.tableCaption, el("thead", {}, [head]), this.tableBody]);

    // Layout (playground.css): wide screens put the plots beside the settings; narrower ones show
    // the contour and its stepper first (kept in view while the settings scroll), then the
    // settings, then the loss. The DOM order is the reading and tab order: plots, settings, numbers.
    this.syncPlay();
    this.stage = el("div", { "class": "rc-pg__stage" }, [el("div", { "class": "rc-pg__view" }, [this.contourWrap]), stepper]);
    root.appendChild(this.status);
    root.appendChild(el("div", { "class": "rc-pg__layout" }, [
      el("div", { "class": "rc-pg__plots" }, [
        this.stage,
        el("div", { "class": "rc-pg__view rc-pg__view--loss" }, [this.lossWrap])
      ]),
      el("div", { "class": "rc-pg__settings" }, [form]),
      el("div", { "class": "rc-pg__numbers" }, [
        this.summary,
        el("div", { "class": "rc-pg__table-wrap md-typeset__scrollwrap" }, [table])
      ])
    ]));

    this.fnSelect.addEventListener("change", function () { self.onSurface(); });
    this.angleInput.addEventListener("change", function () { self.onAngle(); });
    this.kappaInput.addEventListener("change", function () { self.onKappa(); });
    this.noiseInput.addEventListener("change", function () { self.onNoise(); });
    this.seedInput.addEventListener("change", function () { self.onSeed(); });
    this.stepsInput.addEventListener("change", function () { self.onSteps(); });
    this.xInput.addEventListener("change", function () { self.onStartTyped(); });
    this.yInput.addEventListener("change", function () { self.onStartTyped(); });
  };

  /** Put the settings into the form fields. */
  Playground.prototype.syncForm = function () {
    var s = this.settings, Q = window.rcQuery, self = this;
    this.fnSelect.value = s.fn;
    this.angleInput.value = String(s.angle);
    this.angleRow.hidden = s.fn !== "rotated";
    this.kappaInput.value = String(s.kappa);
    this.kappaRow.hidden = Q.KAPPA_SURFACES.indexOf(s.fn) < 0;
    this.stepsInput.value = String(s.steps);
    this.noiseInput.value = String(s.noise);
    this.seedInput.value = String(s.seed);
    this.xInput.value = String(s.start[0]);
    this.yInput.value = String(s.start[1]);
    this.syncZoom();
    this.speedSelect.value = String(s.speed);
    if (window.rcCustom) window.rcCustom.sync(this);
    [this.angleInput, this.kappaInput, this.noiseInput, this.seedInput, this.stepsInput, this.xInput, this.yInput].forEach(function (i) { i.removeAttribute("aria-invalid"); });
    window.rcEngine.METHOD_IDS.forEach(function (id) {
      var inputs = self.methodInputs[id], on = s.methods.indexOf(id) >= 0;
      inputs.on.checked = on;
      document.getElementById("rc-pg-params-" + id).hidden = !on;
      Q.METHOD_PARAMS[id].forEach(function (p) {
        var c = inputs.params[p], v = s.params[id][p];
        if (Q.PARAMS[p].kind === "bool") c.checked = !!v; else c.value = String(v);
        c.removeAttribute("aria-invalid");
      });
    });
  };

  // ----- reacting to the controls ------------------------------------------------------------

  /** Validate a typed number; on rejection restore the field and flag it. */
  Playground.prototype.typedNumber = function (input, what, lo, hi, integer, previous) {
    var v = window.rcQuery.parseNumber(input.value);
    if (isNaN(v) || (integer && Math.floor(v) !== v)) {
      this.say([what + ": " + JSON.stringify(input.value.slice(0, 40)) + " is not a " + (integer ? "whole number" : "number") + "; kept " + previous + "."], true);
      input.value = String(previous);
      input.setAttribute("aria-invalid", "true");
      return undefined;
    }
    input.removeAttribute("aria-invalid");
    var c = Math.min(hi, Math.max(lo, v));
    if (c !== v) this.say([what + ": " + v + " is outside [" + lo + ", " + hi + "]; clamped to " + c + "."], true);
    else this.say([], false);
    input.value = String(c);
    return c;
  };

  Playground.prototype.onSurface = function () {
    var fn = this.fnSelect.value;
    if (window.rcEngine.SURFACE_IDS.indexOf(fn) < 0 && fn !== window.rcQuery.CUSTOM) return;
    this.settings.fn = fn;
    this.settings.start = window.rcQuery.clampStart(fn, this.settings.start, window.rcQuery.viewOf(this.settings));
    this.grid = null;
    this.say([], false);
    this.update();
  };

  /** A typed surface setting (angle, kappa): validated like any number; a new surface redraws. */
  Playground.prototype.onSurfaceNumber = function (input, label, range, key) {
    var v = this.typedNumber(input, label, range.min, range.max, false, this.settings[key]);
    if (v === undefined) return;
    this.settings[key] = v;
    this.grid = null;
    this.update();
  };

  Playground.prototype.onAngle = function () {
    this.onSurfaceNumber(this.angleInput, "Angle", window.rcQuery.ANGLE, "angle");
  };

  Playground.prototype.onKappa = function () {
    this.onSurfaceNumber(this.kappaInput, "Condition number \u03ba", window.rcQuery.KAPPA, "kappa");
  };

  /** The noise's sigma, typed: validated like kappa; the surface (and its contour) stay. */
  Playground.prototype.onNoise = function () {
    var N = window.rcQuery.NOISE;
    var v = this.typedNumber(this.noiseInput, "Noise \u03c3", N.min, N.max, false, this.settings.noise);
    if (v === undefined) return;
    this.settings.noise = v;
    this.update();
  };

  /** A typed seed: the URL's check (a whole number in [0, 2^32)); a refused one is restored. */
  Playground.prototype.onSeed = function () {
    var r = window.rcQuery.checkSeed(this.seedInput.value, "Seed", this.settings.seed);
    if (r.value === undefined) {
      this.seedInput.value = String(this.settings.seed);
      this.seedInput.setAttribute("aria-invalid", "true");
      this.say([r.message], true);
      return;
    }
    this.settings.seed = r.value;
    this.say([], false);
    this.update();
  };

  /** "New noise": another seed, drawn at random (only the link has to reproduce it). */
  Playground.prototype.newNoise = function () {
    var seed = this.settings.seed;
    while (seed === this.settings.seed) seed = randomSeed();
    this.settings.seed = seed;
    this.say(["New noise: seed " + seed + "." + (this.settings.noise > 0 ? "" : " The noise is off: set \u03c3 above 0 to see it.")], false);
    this.update();
  };

  function randomSeed() {
    var max = window.rcQuery.SEED.max;
    if (window.crypto && window.crypto.getRandomValues) return window.crypto.getRandomValues(new Uint32Array(1))[0];
    return Math.floor(Math.random() * (max + 1));
  }

  Playground.prototype.onSteps = function () {
    var S = window.rcQuery.STEPS;
    var v = this.typedNumber(this.stepsInput, "Steps", S.min, S.max, true, this.settings.steps);
    if (v === undefined) return;
    this.settings.steps = v;
    this.settings.t = Math.min(this.settings.t, v);
    this.update();
  };

  Playground.prototype.onStartTyped = function () {
    var view = window.rcQuery.viewOf(this.settings);
    var x = this.typedNumber(this.xInput, "Start x", view[0][0], view[0][1], false, this.settings.start[0]);
    if (x === undefined) return;
    var y = this.typedNumber(this.yInput, "Start y", view[1][0], view[1][1], false, this.settings.start[1]);
    if (y === undefined) return;
    this.setStart(x, y);
  };

  Playground.prototype.setStart = function (x, y) {
    this.settings.start = [x, y];
    this.settings.t = 0;
    this.update();
  };

  Playground.prototype.onMethods = function () {
    var self = this;
    this.settings.methods = window.rcEngine.METHOD_IDS.filter(function (id) { return self.methodInputs[id].on.checked; });
    this.say(this.settings.methods.length ? [] : ["No method selected: tick at least one to see a trajectory."], !this.settings.methods.length);
    this.update();
  };

  Playground.prototype.onParam = function (id, p, control) {
    var Q = window.rcQuery, spec = Q.PARAMS[p];
    var raw = spec.kind === "bool" ? (control.checked ? "1" : "0") : control.value;
    var name = window.rcEngine.METHOD_NAMES[id] + " " + spec.label;
    var r = Q.checkParam(p, raw, name);
    if (r.value === undefined) {
      control.value = String(this.settings.params[id][p]);
      control.setAttribute("aria-invalid", "true");
      this.say([r.message.replace(/; ignored\.$/, "; kept the previous value.")], true);
      return;
    }
    control.removeAttribute("aria-invalid");
    this.settings.params[id][p] = r.value;
    if (spec.kind === "number") control.value = String(r.value);
    this.say(r.message ? [r.message] : [], !!r.message);
    this.update();
  };

  Playground.prototype.onContourClick = function (ev) {
    var r = this.overlay.getBoundingClientRect();
    if (!r.width || !r.height) return;
    if (ev.clientX < r.left || ev.clientX > r.right || ev.clientY < r.top || ev.clientY > r.bottom) return;
    var view = this.box || this.surface().view;   // the box on screen (zoom)
    var x = view[0][0] + (ev.clientX - r.left) / r.width * (view[0][1] - view[0][0]);
    var y = view[1][1] - (ev.clientY - r.top) / r.height * (view[1][1] - view[1][0]);
    // Three significant decimals keep the shared URL short; the view box is a few units wide.
    x = Number(x.toFixed(3)); y = Number(y.toFixed(3));
    var c = window.rcQuery.clampStart(this.settings.fn, [x, y], window.rcQuery.viewOf(this.settings));
    this.say(["Start set to (" + c[0] + ", " + c[1] + ")."], false);
    this.setStart(c[0], c[1]);
    // As in the simulator the thread links to, the methods then run from there (not when the
    // reader asked the system for reduced motion: Play still works).
    if (!P.media(REDUCED_MOTION)) this.play();
  };

  Playground.prototype.reset = function () {
    // The view and the play speed the reader chose are not settings of the run.
    var zoom = this.settings.zoom, speed = this.settings.speed;
    this.settings = window.rcQuery.lectureSettings();
    this.settings.zoom = zoom;
    this.settings.speed = speed;
    this.grid = null;
    this.say(["Reset to the lecture's settings: the course bowl, GD, Momentum and RMSprop with the course's hyperparameters."], false);
    this.update();
  };

  Playground.prototype.loadTuned = function () {
    var self = this;
    var p = this.tuned ? Promise.resolve(this.tuned) : fetch(TUNED_URL).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
    p.then(function (data) {
      self.tuned = data;
      var entry = data.surfaces && data.surfaces[self.settings.fn];
      if (!entry) {
        self.say([self.settings.fn === window.rcQuery.CUSTOM ? "No tuned rates for your own formula: rates are tuned for the built-in surfaces only."
                  : "No tuned rates for " + window.rcEngine.SURFACE_INFO[self.settings.fn].name + ": it has no minimum to reach."], true);
        return;
      }
      var set = [], none = [];
      window.rcEngine.METHOD_IDS.forEach(function (id) {
        var m = entry.methods[id];
        if (m && typeof m.lr === "number" && isFinite(m.lr) && m.lr > 0) {
          self.settings.params[id].lr = m.lr;
          set.push(window.rcEngine.METHOD_NAMES[id] + " " + m.lr);
        } else none.push(window.rcEngine.METHOD_NAMES[id]);
      });
      var msg = ["Tuned learning rates loaded: " + set.join(", ") + "."];
      if (none.length) msg.push("No rate reached the tolerance for " + none.join(", ") + "; their rates are unchanged.");
      if (self.settings.fn === "rotated") msg.push("The rotated bowl was tuned at 45 degrees.");
      if (window.rcQuery.KAPPA_SURFACES.indexOf(self.settings.fn) >= 0 && self.settings.kappa !== window.rcQuery.KAPPA.fallback) {
        msg.push("The rates were tuned at \u03ba = " + window.rcQuery.KAPPA.fallback + ", not " + self.settings.kappa + ".");
      }
      if (self.settings.noise > 0) msg.push("The rates were tuned without noise.");
      self.say(msg, false);
      self.update();
    }).catch(function () {
      self.say(["Could not load the tuned rates (" + TUNED_URL + ")."], true);
    });
  };

  Playground.prototype.copyLink = function () {
    var self = this, url = this.shareUrl();
    this.linkInput.value = url;
    function fallback() {
      self.linkInput.focus();
      self.linkInput.select();
      self.say(["The link is selected in the box: copy it with Ctrl+C (\u2318C)."], false);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(function () { self.say(["Link copied."], false); }, fallback);
    } else fallback();
  };

  Playground.prototype.setStep = function (t) {
    t = Math.max(0, Math.min(this.settings.steps, Math.round(t)));
    if (!isFinite(t)) return;
    this.settings.t = t;
    if (!this.playing) this.writeUrl();   // while playing the link is written once, on pause
    this.drawStep();
  };

  // ----- Play / Pause ------------------------------------------------------------------------

  /** Play from the step shown (from 0 at the last step) at the chosen speed, up to the last step. */
  Playground.prototype.play = function () {
    var self = this;
    if (this.timer) window.cancelAnimationFrame(this.timer);
    if (this.settings.t >= this.settings.steps) this.settings.t = 0;
    this.playing = true;
    this.syncPlay();
    // Once in play mode (no arrows, no step line: they come back on pause), then frame by frame
    // only the step markers move (drawPlayFrame), which does not redraw the contour.
    var speed = this.settings.speed, t0 = this.settings.t, start = null, busy = true;
    Promise.resolve(this.drawStep()).then(function () { busy = false; }, function () { busy = false; });
    function tick(now) {
      self.timer = null;
      if (!self.playing) return;
      if (!document.body.contains(self.root)) { self.playing = false; return; }   // navigated away
      if (start === null) start = now;
      var s = self.settings, t = Math.min(s.steps, t0 + Math.floor((now - start) * speed / 1000));
      // A frame that is still drawing is not queued behind: the clock moves on and steps are skipped.
      if (t !== s.t && !busy) {
        s.t = t;
        busy = true;
        Promise.resolve(self.drawPlayFrame()).then(function () { busy = false; }, function () { busy = false; });
      }
      if (s.t >= s.steps && !busy) { self.pause(); return; }
      self.timer = window.requestAnimationFrame(tick);
    }
    this.timer = window.requestAnimationFrame(tick);
  };

  /** Stop playing; the step shown goes into the link (t=) and gets its arrows back (unless the
   *  caller redraws anyway: redraw === false). */
  Playground.prototype.pause = function (redraw) {
    if (!this.playing) return;
    this.playing = false;
    if (this.timer) window.cancelAnimationFrame(this.timer);
    this.timer = null;
    this.syncPlay();
    this.writeUrl();
    if (redraw !== false) this.drawStep();
  };

  /** A speed chosen in the menu: playing goes on at it; the link has it (written on pause). */
  Playground.prototype.onSpeed = function () {
    var v = Number(this.speedSelect.value);
    if (window.rcQuery.SPEED.choices.indexOf(v) < 0) return;
    this.settings.speed = v;
    if (this.playing) this.play(); else this.writeUrl();
  };

  Playground.prototype.togglePlay = function () {
    if (this.playing) this.pause(); else this.play();
  };

  /** The Play button names what a press does (Play or Pause); the root tells tests and CSS. */
  Playground.prototype.syncPlay = function () {
    var b = this.playButton, on = this.playing;
    while (b.firstChild) b.removeChild(b.firstChild);
    b.appendChild(el("span", { "class": "rc-pg__icon", "aria-hidden": "true", text: on ? "\u275a\u275a" : "\u25b6" }));
    b.appendChild(document.createTextNode(on ? " Pause" : " Play"));
    this.root.setAttribute("data-rc-playing", on ? "true" : "false");
  };

  // ----- zoom ----------------------------------------------------------------------------------

  /** The zoom in effect: the link's, else the paths' box on phones and the whole surface elsewhere. */
  Playground.prototype.zoom = function () {
    return this.settings.zoom || (P.media(P.NARROW) ? "fit" : "full");
  };

  Playground.prototype.setZoom = function (z) {
    this.settings.zoom = z;
    this.syncZoom();
    if (!this.playing) this.writeUrl();
    this.rerender();
  };

  Playground.prototype.syncZoom = function () {
    this.zoomButton.setAttribute("aria-pressed", this.zoom() === "fit" ? "true" : "false");
  };

  // ----- computing and drawing ----------------------------------------------------------

  Playground.prototype.update = function () {
    this.pause(false);
    this.syncForm();
    this.compute();
    this.writeUrl();
    this.draw();
  };

  Playground.prototype.compute = function () {
    var s = this.settings, surf = this.surface(), E = window.rcEngine, Q = window.rcQuery;
    // With noise every method gets the same z(seed, t): their paths differ by the method alone.
    var options = { noise: Q.noiseOption(s) };
    this.runs = s.methods.map(function (id) {
      return { id: id, run: E.run(surf, id, Q.engineParams(s, id), s.start, s.steps, options) };
    });
    this.frame();
  };

  /** The full link to this view (every setting explicit). */
  Playground.prototype.shareUrl = function () {
    var l = window.location;
    return l.origin + l.pathname + "?" + window.rcQuery.serialize(this.settings) + l.hash;
  };

  Playground.prototype.writeUrl = function () {
    var q = window.rcQuery.serialize(this.settings);
    var url = window.location.pathname + "?" + q + window.location.hash;
    try { window.history.replaceState(window.history.state, "", url); } catch (e) { /* file:// */ }
    this.linkInput.value = this.shareUrl();
    this.syncPictured();
  };

  /** Whether the build's pictures show what is on screen (the default state, unchanged): then
   *  print shows them (playground.css); after any change, the drawn plots. */
  Playground.prototype.syncPictured = function () {
    var same = this.pictureQuery !== null && this.pictureQuery !== undefined &&
               window.rcQuery.serialize(this.settings) === this.pictureQuery;
    this.root.classList.toggle("rc-playground--pictured", same);
  };

  // ----- static first: plotly.js on the first interaction or when idle -------------------
  // The same rule as figures.js for its figures: the pointer entering a plot, a press, a key, a
  // focus, a touch or an input inside the Playground, or else UPGRADE_DELAY_MS after the load
  // event, in an idle moment, with the Playground in view.

  var WAKE_EVENTS = ["pointerdown", "keydown", "focusin", "touchstart", "input"];
  var UPGRADE_DELAY_MS = 3000;

  Playground.prototype.armWakeUp = function () {
    var self = this, opts = { capture: true, passive: true };
    function go() { self.wakeUp(); }
    this.disarm = function () {
      WAKE_EVENTS.forEach(function (type) { self.root.removeEventListener(type, go, opts); });
      [self.contourWrap, self.lossWrap].forEach(function (n) { n.removeEventListener("pointerenter", go, opts); });
      if (self.idleObserver) self.idleObserver.disconnect();
      self.idleObserver = null;
    };
    WAKE_EVENTS.forEach(function (type) { self.root.addEventListener(type, go, opts); });
    [this.contourWrap, this.lossWrap].forEach(function (n) { n.addEventListener("pointerenter", go, opts); });
    function idle(fn) {
      if ("requestIdleCallback" in window) window.requestIdleCallback(fn, { timeout: 2000 });
      else window.setTimeout(fn, 0);
    }
    function start() {
      if (!self.disarm || !document.body.contains(self.root)) return;
      if (!("IntersectionObserver" in window)) { go(); return; }
      self.idleObserver = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) idle(go);
      });
      self.idleObserver.observe(self.root);
    }
    function later() { window.setTimeout(function () { idle(start); }, UPGRADE_DELAY_MS); }
    if (document.readyState === "complete") later();
    else window.addEventListener("load", later, { once: true });
  };

  /** Draw the plots in place of the pictures (once; a press that needs them waits for it). */
  Playground.prototype.wakeUp = function () {
    if (this.disarm) { this.disarm(); this.disarm = null; }
    if (!this.plotsPromise) this.plotsPromise = this.drawPlots();
    return this.plotsPromise;
  };

  Playground.prototype.showStep = function () {
    this.stepInput.value = String(this.settings.t);
    this.stepOutput.textContent = this.settings.t + " of " + this.settings.steps;
    this.stepInput.setAttribute("aria-valuetext", "step " + this.settings.t + " of " + this.settings.steps);
  };

  Playground.prototype.drawStep = function () {
    this.showStep();
    this.drawTable();
    return Promise.all([this.drawContour(), this.drawLoss()]);
  };

  Playground.prototype.drawSummary = function () {
    var s = this.settings, surf = this.surface(), box = this.summary;
    while (box.firstChild) box.removeChild(box.firstChild);
    this.stepInput.max = String(s.steps);
    this.stepInput.value = String(s.t);
    this.stepOutput.textContent = s.t + " of " + s.steps;
    this.stepInput.setAttribute("aria-valuetext", "step " + s.t + " of " + s.steps);
    this.runs.forEach(function (r) {
      var name = window.rcEngine.METHOD_NAMES[r.id], li;
      if (r.run.diverged) {
        li = el("li", { "class": "rc-pg__diverged", "data-method": r.id, "data-diverged-at": String(r.run.divergedAt),
                        text: name + ": diverged at step " + r.run.divergedAt + " (a coordinate left |x| \u2264 " + powerOfTen(window.rcEngine.BOUND) + "); the path stops at its last finite point." });
      } else {
        var f = r.run.loss[r.run.loss.length - 1];
        var gap = isFinite(surf.minValue) ? "f(x) \u2212 f(x*) = " + fmt(f - surf.minValue) : "f(x) = " + fmt(f);   // custom: no f(x*)
        li = el("li", { "data-method": r.id, text: name + ": after " + s.steps + " steps " + gap + " at " + fmtVec(r.run.positions[r.run.positions.length - 1]) + "." });
      }
      box.appendChild(li);
    });
  };

  Playground.prototype.drawTable = function () {
    var t = this.settings.t, body = this.tableBody, s = this.settings, heads = this.tableHeads;
    var noise = s.noise > 0 ? " (with noise \u03c3 = " + s.noise + ", seed " + s.seed + ": the gradient the method was given; the loss is the noise-free f)" : "";
    this.tableCaption.textContent = "At step " + t + ": position, gradient g" + noise + ", states S and V, the update u (x\u209c\u208a\u2081 \u2212 x\u209c) and its length, and the loss.";
    this.gradHeader.textContent = s.noise > 0 ? "g = \u2207f(x\u209c) + \u03c3z\u209c" : "g = \u2207f(x\u209c)";
    while (body.firstChild) body.removeChild(body.firstChild);
    this.runs.forEach(function (r) {
      var run = r.run, k = Math.min(t, run.positions.length - 1);
      var frozen = run.diverged && k >= run.divergedAt - 1;
      var g = k < run.grads.length ? run.grads[k] : null;
      var u = k < run.updates.length ? run.updates[k] : null;
      var cells = [
        fmtVec(run.positions[k]), fmtVec(g), run.S ? fmtVec(run.S[k]) : "\u2014", run.V ? fmtVec(run.V[k]) : "\u2014",
        frozen ? "diverged at step " + run.divergedAt : fmtVec(u),
        frozen || !u ? "\u2014" : fmt(Math.sqrt(u[0] * u[0] + u[1] * u[1])), fmt(run.loss[k])
      ];
      var row = el("tr", { "data-method": r.id }, [el("th", { scope: "row", text: window.rcEngine.METHOD_NAMES[r.id] })]
        .concat(cells.map(function (c, i) { return el("td", { text: c, "data-label": heads[i].textContent }); })));
      body.appendChild(row);
    });
  };

  // ----- lifecycle (instant navigation) ---------------------------------------------------

  function setUp() {
    // Free the graphs of a Playground that instant navigation took off the page.
    if (current && !document.body.contains(current.root) && current.plotly) {
      current.plotly.purge(current.contour);
      current.plotly.purge(current.lossPlot);
      current = null;
    }
    var root = document.getElementById("rc-playground");
    if (!root) { current = null; return; }
    if (root.getAttribute("data-rc-ready")) return;
    if (!window.rcEngine || !window.rcQuery || !P) {
      root.textContent = "The Playground could not start: its scripts did not load.";
      return;
    }
    current = new Playground(root);
  }

  if (P) P.install(Playground);

  document.addEventListener("rc:themechange", function () {
    if (current && document.body.contains(current.root)) current.rerender();
  });
  window.addEventListener("resize", function () {
    if (current && document.body.contains(current.root)) current.rerender();
  });

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(setUp);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();

/*
 * query.js — the Playground's settings <-> URL query string, with validation.
 *
 * Every setting lives in the query so that a copied link reproduces the view. Parsing never
 * trusts the URL: unknown keys are ignored, non-numeric values are rejected (the default is
 * kept), out-of-range values are clamped, and each such correction yields a plain-text message
 * for the page to show (with textContent, never as HTML).
 *
 * Format (documented on the page):
 *   fn=bowl|rotated|rosenbrock|beale|saddle|two-wells|custom   angle=<degrees> (rotated only)
 *   f=<formula in x and y> (fn=custom: the reader's own surface, URL-encoded; formula.js)
 *   view=xmin,xmax,ymin,ymax (fn=custom's view box; written only when not [-4, 4] x [-4, 4])
 *   kappa=<condition number> (bowl and rotated; written only when it is not the course's 20)
 *   noise=<sigma> (gradient noise, 0 = off; written only when on)
 *   seed=<integer in [0, 2^32)> (the noise's seed; written when the noise is on or it is not 0)
 *   start=x,y   steps=N   methods=gd,momentum,rmsprop,adam,ngd,sign   t=<step shown>
 *   lr.<id>   decay.<momentum|rmsprop>   form.momentum=ema|heavy_ball
 *   eps.<rmsprop|adam>   epsmode.rmsprop=inside|outside   init.rmsprop=0|1
 *   bias.<rmsprop|adam>=0|1   b1.adam   b2.adam
 *   zoom=fit|full (the contour's view: the paths' box or the whole surface; written only when
 *   chosen, so that without it a phone fits the paths and a wide screen shows the surface)
 *   speed=<steps per second of Play, one of SPEED.choices> (written only when not the default)
 *
 * Browser global window.rcQuery; Node: module.exports (needs engine.js beside it).
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = factory(require("./engine.js"));
  else root.rcQuery = factory(root.rcEngine);
})(typeof self !== "undefined" ? self : this, function (engine) {
  "use strict";

  var METHOD_IDS = engine.METHOD_IDS;
  var STEPS = { min: 1, max: 2000, fallback: 150 };
  // Degrees in the URL and the form; the default is the core's (engine.DEFAULT_ANGLE, radians).
  var ANGLE = { min: -180, max: 180, fallback: Number((engine.DEFAULT_ANGLE * 180 / Math.PI).toPrecision(12)) };
  // The bowls' eigenvalues are [1, kappa]. Up to 10^4: GD's stable rate 2/kappa stays above the
  // smallest learning rate the form accepts, and the contour still resolves the valley.
  var KAPPA = { min: 1, max: 1e4, fallback: engine.DEFAULT_KAPPA };
  // Gradient noise sigma (per coordinate, every surface): 0 is off. Up to 100, the size of
  // Rosenbrock's gradients across its view; on the course bowl a few units already swamp the
  // shallow coordinate's gradient.
  var NOISE = { min: 0, max: 100, fallback: 0 };
  // The noise's seed is a 32-bit counter, as rmsprop_core.objectives.noisy takes it. It names a
  // noise sequence, so a seed out of range is refused rather than clamped onto another one.
  var SEED = { min: 0, max: 4294967295, fallback: 0 };
  /** The contour's zoom: "fit" (the paths' box) or "full" (the surface's whole view box). */
  var ZOOMS = ["fit", "full"];
  // Play's speeds in steps per second (the page's menu); a slow frame skips steps rather than
  // slowing the clock.
  var SPEED = { choices: [5, 15, 40, 120], fallback: 15 };
  /** Surfaces whose eigenvalues kappa sets. */
  var KAPPA_SURFACES = ["bowl", "rotated"];
  // The reader's own surface, fn=custom: a formula f (formula.js parses it) over a view box.
  var CUSTOM = engine.CUSTOM_ID;
  // The formula offered when "Your own formula" is first chosen: the course bowl, written out.
  var DEFAULT_FORMULA = "x^2/2 + 10*y^2";
  // A view box: coordinates inside the divergence bound (a start is clamped into the box), sides
  // of at least `side`, and neither side more than `aspect` times the other (the contour is drawn
  // at equal aspect, so a longer box would shrink to a sliver); by default the core's.
  var VIEW = { min: -engine.BOUND, max: engine.BOUND, side: 1e-3, aspect: 10, fallback: engine.CUSTOM_VIEW };

  /** Per-method parameters: kind, range (numbers are clamped into [min, max]) and label. */
  var PARAMS = {
    lr: { kind: "number", min: 1e-6, max: 1e4, label: "learning rate \u03b1" },
    decay: { kind: "number", min: 0, max: 0.9999, label: "decay \u03b2" },
    eps: { kind: "number", min: 0, max: 1, label: "\u03b5" },
    b1: { kind: "number", min: 0, max: 0.9999, label: "\u03b21" },
    b2: { kind: "number", min: 0, max: 0.9999, label: "\u03b22" },
    epsmode: { kind: "choice", choices: ["outside", "inside"], label: "\u03b5 goes" },
    init: { kind: "choice", choices: [0, 1], label: "initial S" },
    bias: { kind: "bool", label: "bias correction" },
    form: { kind: "choice", choices: ["ema", "heavy_ball"], label: "momentum form" }
  };
  /** Which parameters each method has, in display order. */
  var METHOD_PARAMS = {
    gd: ["lr"],
    momentum: ["lr", "decay", "form"],
    rmsprop: ["lr", "decay", "eps", "epsmode", "init", "bias"],
    adam: ["lr", "b1", "b2", "eps", "bias"],
    ngd: ["lr"],
    sign: ["lr"]
  };

  var NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

  /** A finite number from a string, or NaN (rejects "", "0x10", "Infinity", "1,5", spaces). */
  function parseNumber(text) {
    if (typeof text !== "string") return NaN;
    var s = text.trim();
    if (s.length > 40 || !NUMBER.test(s)) return NaN;
    var v = Number(s);
    return isFinite(v) ? v : NaN;
  }

  function clamp(v, lo, hi) { return v < lo ? lo : v > hi ? hi : v; }

  /** Shorten a value for a message (a hostile URL may carry anything). */
  function shown(raw) {
    var s = String(raw);
    return JSON.stringify(s.length > 40 ? s.slice(0, 40) + "\u2026" : s);
  }

  /** The lecture's settings: the course bowl, GD vs Momentum vs RMSprop with the course's defaults. */
  function lectureSettings() {
    var params = {};
    METHOD_IDS.forEach(function (id) {
      params[id] = {};
      var d = engine.METHOD_DEFAULTS[id];
      for (var k in d) params[id][k] = d[k];
    });
    return { fn: engine.LECTURE.fn, angle: ANGLE.fallback, kappa: KAPPA.fallback, noise: NOISE.fallback, seed: SEED.fallback,
             start: engine.LECTURE.start.slice(), steps: STEPS.fallback, methods: ["gd", "momentum", "rmsprop"], params: params, t: 0,
             zoom: null,     // null: the page picks by screen width
             speed: SPEED.fallback,
             f: DEFAULT_FORMULA, view: [VIEW.fallback[0].slice(), VIEW.fallback[1].slice()] };
  }

  function copySettings(s) { return JSON.parse(JSON.stringify(s)); }

  /** The view box of the surface of settings s (fn=custom: its own, s.view). */
  function viewOf(s) {
    return s.fn === CUSTOM ? s.view : engine.SURFACE_INFO[s.fn].view;
  }

  /** Clamp a start point into the surface's view box (where it can be seen and clicked): the
   *  registered surface fn's, or `view` when given (fn=custom's is in the settings: viewOf). */
  function clampStart(fn, start, view) {
    view = view || (fn === CUSTOM ? VIEW.fallback : engine.SURFACE_INFO[fn].view);
    return [clamp(start[0], view[0][0], view[0][1]), clamp(start[1], view[1][0], view[1][1])];
  }

  /**
   * Validate a formula (from the URL or the form) with formula.js's parser. Returns {value,
   * message} as checkParam does: value is the formula, trimmed, or undefined with the parser's
   * message (it names the position and what was expected there).
   */
  function checkFormula(raw, where) {
    var F = engine.formula;
    if (!F) return { value: undefined, message: where + ": formulas are unavailable (formula.js did not load)." };
    var problem = F.check(String(raw));
    if (problem) return { value: undefined, message: where + ": " + problem.message + "." };
    return { value: F.strip(String(raw)), message: null };
  }

  /**
   * Validate a view box "xmin,xmax,ymin,ymax" (from the URL or the form). Returns {value:
   * [[xmin, xmax], [ymin, ymax]], message} or value undefined with a message naming `previous`.
   */
  function checkView(raw, where, previous) {
    var parts = String(raw).split(","), v = parts.map(parseNumber);
    var keep = "; using " + formatView(previous) + ".";
    if (parts.length !== 4 || v.some(isNaN)) {
      return { value: undefined, message: where + ": " + shown(raw) + " is not four numbers \"xmin,xmax,ymin,ymax\"" + keep };
    }
    v = v.map(function (c) { return c + 0; });   // "-0" reads as 0
    var w = v[1] - v[0], h = v[3] - v[2];
    var problem = v.some(function (c) { return c < VIEW.min || c > VIEW.max; }) ? "has a coordinate outside [" + VIEW.min + ", " + VIEW.max + "]"
      : !(w > 0 && h > 0) ? "needs xmin < xmax and ymin < ymax"
      : w < VIEW.side || h < VIEW.side ? "has a side shorter than " + VIEW.side
      : w > VIEW.aspect * h || h > VIEW.aspect * w ? "has one side more than " + VIEW.aspect + " times the other"
      : null;
    if (problem) return { value: undefined, message: where + ": " + shown(raw) + " " + problem + keep };
    return { value: [[v[0], v[1]], [v[2], v[3]]], message: null };
  }

  /** A view box as the URL writes it: "xmin,xmax,ymin,ymax". */
  function formatView(view) { return [view[0][0], view[0][1], view[1][0], view[1][1]].map(num).join(","); }

  function isDefaultView(view) { return formatView(view) === formatView(VIEW.fallback); }

  /**
   * Validate one parameter value given as a string (from the URL or a form field).
   * Returns {value, message}: value undefined means rejected (keep the current one).
   */
  function checkParam(name, raw, where) {
    var spec = PARAMS[name];
    if (spec.kind === "number") {
      var v = parseNumber(raw);
      if (isNaN(v)) return { value: undefined, message: where + ": " + shown(raw) + " is not a number; kept the previous value." };
      var c = clamp(v, spec.min, spec.max);
      return { value: c, message: c !== v ? where + ": " + String(v) + " is outside [" + spec.min + ", " + spec.max + "]; clamped to " + c + "." : null };
    }
    if (spec.kind === "bool") {
      var t = String(raw).trim().toLowerCase();
      if (t === "1" || t === "true" || t === "on") return { value: true, message: null };
      if (t === "0" || t === "false" || t === "off") return { value: false, message: null };
      return { value: undefined, message: where + ": " + shown(raw) + " must be 0 or 1; ignored." };
    }
    var choice = spec.choices.filter(function (c) { return String(c) === String(raw).trim(); })[0];
    if (choice === undefined) {
      return { value: undefined, message: where + ": " + shown(raw) + " must be one of " + spec.choices.join(", ") + "; ignored." };
    }
    return { value: choice, message: null };
  }

  /**
   * Validate a noise seed given as a string (from the URL or the form): a whole number in
   * [0, 2^32). Returns {value, message} as checkParam does; `previous` is named in the message.
   */
  function checkSeed(raw, where, previous) {
    var v = parseNumber(raw);
    if (isNaN(v) || Math.floor(v) !== v || v < SEED.min || v > SEED.max) {
      return { value: undefined, message: where + ": " + shown(raw) + " is not a whole number from " + SEED.min +
               " to " + SEED.max + "; using " + previous + "." };
    }
    return { value: v + 0, message: null };   // + 0: a typed "-0" is the seed 0
  }

  /**
   * Parse a query string ("?fn=bowl&..." or a URLSearchParams) into settings.
   * Returns {settings, messages}: messages are plain strings describing every correction.
   */
  function parse(search) {
    var q = typeof search === "string" ? new URLSearchParams(search) : search;
    var s = lectureSettings(), messages = [];
    var seen = Object.create(null);   // no prototype: keys such as "__proto__" are plain keys
    q.forEach(function (value, key) { seen[key] = value; });   // the last value of a repeated key wins

    if ("fn" in seen) {
      if (engine.SURFACE_IDS.indexOf(seen.fn) >= 0 || seen.fn === CUSTOM) s.fn = seen.fn;
      else messages.push("fn: " + shown(seen.fn) + " is not a surface (" + engine.SURFACE_IDS.join(", ") + ", " + CUSTOM + "); showing the course bowl.");
    }
    // The reader's formula: kept when it parses (whatever fn is); fn=custom without a valid one
    // falls back to the course bowl, so the page never shows half a surface.
    var fallback = "; showing the course bowl.";
    if ("f" in seen) {
      var f = checkFormula(seen.f, "f");
      if (f.value !== undefined) s.f = f.value;
      else {
        // A bare "+" in a query string reads as a space: say so when one was there.
        var plus = typeof search === "string" && /(?:^|[?&])f=[^&]*\+/.test(search);
        messages.push(f.message.replace(/\.$/, "") + (plus ? " (in a link, write + as %2B: a bare + reads as a space)" : "") +
                      (s.fn === CUSTOM ? fallback : "."));
        if (s.fn === CUSTOM) s.fn = "bowl";
      }
    } else if (s.fn === CUSTOM) {
      messages.push("fn: custom needs a formula f in x and y, e.g. " + DEFAULT_FORMULA + fallback);
      s.fn = "bowl";
    }
    if ("view" in seen) {
      var box = checkView(seen.view, "view", s.view);
      if (box.value !== undefined) s.view = box.value;
      else messages.push(box.message);
    }
    // A number in a range: rejected (the default stays) or clamped, with a message either way.
    function ranged(key, range, unit) {
      if (!(key in seen)) return;
      var v = parseNumber(seen[key]);
      if (isNaN(v)) messages.push(key + ": " + shown(seen[key]) + " is not a number" + (unit ? " of " + unit : "") + "; using " + s[key] + ".");
      else {
        s[key] = clamp(v, range.min, range.max) + 0;   // + 0: "-0" reads as 0
        if (s[key] !== v) messages.push(key + ": " + v + " is outside [" + range.min + ", " + range.max + "]" + (unit ? " " + unit : "") + "; clamped to " + s[key] + ".");
      }
    }
    ranged("angle", ANGLE, "degrees");
    ranged("kappa", KAPPA, "");
    ranged("noise", NOISE, "");
    if ("seed" in seen) {
      var seed = checkSeed(seen.seed, "seed", s.seed);
      if (seed.value !== undefined) s.seed = seed.value;
      else messages.push(seed.message);
    }
    if ("steps" in seen) {
      var n = parseNumber(seen.steps);
      if (isNaN(n) || Math.floor(n) !== n) messages.push("steps: " + shown(seen.steps) + " is not a whole number; using " + s.steps + ".");
      else {
        s.steps = clamp(n, STEPS.min, STEPS.max);
        if (s.steps !== n) messages.push("steps: " + n + " is outside [" + STEPS.min + ", " + STEPS.max + "]; clamped to " + s.steps + ".");
      }
    }
    if ("methods" in seen) {
      var wanted = [], unknown = [];
      seen.methods.split(",").forEach(function (m) {
        m = m.trim();
        if (!m) return;
        if (METHOD_IDS.indexOf(m) >= 0) { if (wanted.indexOf(m) < 0) wanted.push(m); }
        else unknown.push(m);
      });
      if (unknown.length) messages.push("methods: unknown " + unknown.map(shown).join(", ") + " ignored (ids: " + METHOD_IDS.join(", ") + ").");
      // Keep the page's order so that colours and the table stay stable.
      s.methods = METHOD_IDS.filter(function (m) { return wanted.indexOf(m) >= 0; });
      if (!s.methods.length && seen.methods.trim()) {
        s.methods = lectureSettings().methods;
        messages.push("methods: no known method given; showing " + s.methods.join(", ") + ".");
      }
    }
    if ("zoom" in seen) {
      if (ZOOMS.indexOf(seen.zoom) >= 0) s.zoom = seen.zoom;
      else messages.push("zoom: " + shown(seen.zoom) + " must be one of " + ZOOMS.join(", ") + "; ignored.");
    }
    if ("speed" in seen) {
      var speed = parseNumber(seen.speed);
      if (SPEED.choices.indexOf(speed) >= 0) s.speed = speed;
      else messages.push("speed: " + shown(seen.speed) + " must be one of " + SPEED.choices.join(", ") + " (steps per second); using " + s.speed + ".");
    }
    if ("start" in seen) {
      var parts = String(seen.start).split(",");
      var x = parts.length === 2 ? parseNumber(parts[0]) : NaN;
      var y = parts.length === 2 ? parseNumber(parts[1]) : NaN;
      if (isNaN(x) || isNaN(y)) messages.push("start: " + shown(seen.start) + " is not \"x,y\" with two numbers; using " + s.start.join(",") + ".");
      else {
        var c = clampStart(s.fn, [x, y], viewOf(s));
        if (c[0] !== x || c[1] !== y) messages.push("start: (" + x + ", " + y + ") is outside the view; moved to (" + c.join(", ") + ").");
        s.start = c;
      }
    } else {
      s.start = clampStart(s.fn, s.start, viewOf(s));
    }
    Object.keys(seen).forEach(function (key) {
      var dot = key.indexOf(".");
      if (dot < 0) {
        if (["fn", "f", "view", "angle", "kappa", "noise", "seed", "steps", "methods", "start", "t", "zoom", "speed"].indexOf(key) < 0) messages.push("Unknown setting " + shown(key) + " ignored.");
        return;
      }
      var name = key.slice(0, dot), id = key.slice(dot + 1);
      if (!METHOD_PARAMS[id] || METHOD_PARAMS[id].indexOf(name) < 0) {
        messages.push("Unknown setting " + shown(key) + " ignored.");
        return;
      }
      var r = checkParam(name, seen[key], key);
      if (r.value !== undefined) s.params[id][name] = r.value;
      if (r.message) messages.push(r.message);
    });
    if ("t" in seen) {
      var t = parseNumber(seen.t);
      if (isNaN(t) || Math.floor(t) !== t) messages.push("t: " + shown(seen.t) + " is not a whole step number; showing step 0.");
      else {
        s.t = clamp(t, 0, s.steps);
        if (s.t !== t) messages.push("t: " + t + " is outside [0, " + s.steps + "]; clamped to " + s.t + ".");
      }
    }
    return { settings: s, messages: messages };
  }

  /** Format a number for the URL: the shortest text that reads back to the same double. */
  function num(v) { return String(v); }

  /** The query string (without "?") for settings: every setting of every shown method. */
  function serialize(s) {
    var parts = [["fn", s.fn]];
    if (s.fn === CUSTOM) {
      parts.push(["f", s.f]);
      if (!isDefaultView(s.view)) parts.push(["view", formatView(s.view)]);
    }
    if (s.fn === "rotated") parts.push(["angle", num(s.angle)]);
    // Only when it differs from the course's bowl, so that every existing link stays as it was.
    if (KAPPA_SURFACES.indexOf(s.fn) >= 0 && s.kappa !== KAPPA.fallback) parts.push(["kappa", num(s.kappa)]);
    // Noise off (the default) leaves the link as it was; a seed is kept once it matters or was set.
    if (s.noise > 0) parts.push(["noise", num(s.noise)]);
    if (s.noise > 0 || s.seed !== SEED.fallback) parts.push(["seed", num(s.seed)]);
    parts.push(["start", num(s.start[0]) + "," + num(s.start[1])]);
    parts.push(["steps", num(s.steps)]);
    parts.push(["methods", s.methods.join(",")]);
    s.methods.forEach(function (id) {
      METHOD_PARAMS[id].forEach(function (name) {
        var v = s.params[id][name];
        var text = PARAMS[name].kind === "bool" ? (v ? "1" : "0") : String(v);
        parts.push([name + "." + id, text]);
      });
    });
    if (ZOOMS.indexOf(s.zoom) >= 0) parts.push(["zoom", s.zoom]);   // only when chosen
    if (s.speed !== SPEED.fallback) parts.push(["speed", num(s.speed)]);   // existing links stay as they were
    if (s.t) parts.push(["t", num(s.t)]);
    return parts.map(function (p) {
      // Commas and dots stay readable in a forum post; everything else is percent-encoded.
      return p[0] + "=" + encodeURIComponent(p[1]).replace(/%2C/g, ",");
    }).join("&");
  }

  /** The options engine.surface expects for settings s (angle in radians, kappa; fn=custom:
   *  formula and view). */
  function surfaceOptions(s) {
    var o = {};
    if (s.fn === CUSTOM) return { formula: s.f, view: s.view };
    if (s.fn === "rotated") o.angle = s.angle * Math.PI / 180;
    if (KAPPA_SURFACES.indexOf(s.fn) >= 0) o.kappa = s.kappa;
    return o;
  }

  /** The noise option engine.run expects for settings s ({sigma, seed}), or null when it is off. */
  function noiseOption(s) {
    return s.noise > 0 ? { sigma: s.noise, seed: s.seed } : null;
  }

  /** Engine hyperparameters for method id from settings (the names engine.run expects). */
  function engineParams(s, id) {
    var p = s.params[id], out = {};
    METHOD_PARAMS[id].forEach(function (name) { out[name] = p[name]; });
    return out;
  }

  return {
    PARAMS: PARAMS, METHOD_PARAMS: METHOD_PARAMS, STEPS: STEPS, ANGLE: ANGLE,
    KAPPA: KAPPA, KAPPA_SURFACES: KAPPA_SURFACES, ZOOMS: ZOOMS, SPEED: SPEED, NOISE: NOISE, SEED: SEED, surfaceOptions: surfaceOptions,
    noiseOption: noiseOption, parseNumber: parseNumber, checkParam: checkParam, checkSeed: checkSeed,
    clampStart: clampStart, CUSTOM: CUSTOM, DEFAULT_FORMULA: DEFAULT_FORMULA, VIEW: VIEW, viewOf: viewOf,
    checkFormula: checkFormula, checkView: checkView, formatView: formatView,
    lectureSettings: lectureSettings, copySettings: copySettings,
    parse: parse, serialize: serialize, engineParams: engineParams
  };
});

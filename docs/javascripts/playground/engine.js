/*
 * engine.js — the Playground's optimizers and surfaces, in plain JavaScript.
 *
 * A second implementation of what rmsprop_core (Python) computes, small enough to run in the
 * reader's browser. It mirrors the core's formulas AND their order of floating-point
 * operations, so that tests/playground/test_parity.py can check every trajectory against the
 * Python library to 1e-9. If you change a formula here, change it in rmsprop_core too (or the
 * parity test fails): the core is the source of truth for every surface (its objectives) and
 * every update rule (its transforms).
 *
 * The numbers around the formulas are not typed here: each surface's view box and minimum, each
 * method's default hyperparameters, the divergence bound, the bowls' kappa and angle and the
 * lecture's start and alpha come from rmsprop_core through gen/playground/defaults.py
 * (tests/playground/test_defaults.py checks them against the core). The browser loads them
 * first, as generated/data/playground-defaults.js (window.rcPlaygroundDefaults, written by
 * hooks/playground_defaults.py); Node reads docs/generated/data/playground-defaults.json
 * (or globalThis.rcPlaygroundDefaults when a caller sets it: gen/playground/num_playground.py).
 *
 * Usable as a browser global (window.rcEngine) and as a Node module (module.exports); the
 * surface "custom" (the reader's own formula) needs formula.js (window.rcFormula) loaded first.
 *
 * Notation (the course's): g is the gradient (dW, db), S the second-moment average (S_dW, S_db),
 * V the first-moment average / velocity (V_dW, V_db). One trajectory at a time, any dimension d
 * (the surfaces are 2-D).
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory(require("./formula.js"), (typeof globalThis !== "undefined" && globalThis.rcPlaygroundDefaults) ||
                                                      require("../../generated/data/playground-defaults.json"));
  } else root.rcEngine = factory(root.rcFormula, root.rcPlaygroundDefaults);
})(typeof self !== "undefined" ? self : this, function (formulaLib, defaults) {
  "use strict";

  if (!defaults || !defaults.surfaces || !defaults.methods) {
    throw new Error("engine.js: the Playground's constants (generated/data/playground-defaults.js) did not load");
  }
  function copyBox(v) { return [v[0].slice(), v[1].slice()]; }

  // ----- small vector helpers (plain arrays of doubles) -------------------------------------

  function zeros(d) { var z = new Array(d); for (var i = 0; i < d; i++) z[i] = 0; return z; }
  function filled(d, v) { var z = new Array(d); for (var i = 0; i < d; i++) z[i] = v; return z; }
  function allFinite(v) { for (var i = 0; i < v.length; i++) if (!isFinite(v[i])) return false; return true; }

  // ----- surfaces (rmsprop_core/objectives.py) ----------------------------------------------

  /**
   * Quadratic f(x) = 1/2 sum_i lambda_i (R^T x)_i^2 with R the rotation by `angle` (radians) of
   * axes 0 and 1, i.e. f = 1/2 x^T H x with H = R diag(lambda) R^T. As in the core: on the
   * axes (angle 0) g = x * lambda; otherwise g = x @ H with H computed once.
   */
  function quadratic(eigenvalues, angle) {
    var l0 = eigenvalues[0], l1 = eigenvalues[1];
    if (angle === 0) {
      return {
        value: function (x) { return 0.5 * ((x[0] * l0) * x[0] + (x[1] * l1) * x[1]); },
        grad: function (x) { return [x[0] * l0, x[1] * l1]; }
      };
    }
    var c = Math.cos(angle), s = Math.sin(angle);
    // H = R diag(lambda) R^T, entry by entry in the core's order (plain products and sums).
    var h00 = (c * l0) * c + (s * l1) * s;
    var h01 = (c * l0) * s - (s * l1) * c;
    var h11 = (s * l0) * s + (c * l1) * c;
    var H = [[h00, h01], [h01, h11]];
    function grad(x) {                 // x @ H (H is symmetric)
      return [x[0] * H[0][0] + x[1] * H[1][0], x[0] * H[0][1] + x[1] * H[1][1]];
    }
    return {
      value: function (x) { var g = grad(x); return 0.5 * (g[0] * x[0] + g[1] * x[1]); },
      grad: grad,
      hessian: H
    };
  }

  function rosenbrock(a, b) {
    return {
      value: function (p) {
        var x = p[0], y = p[1], u = a - x, w = y - x * x;
        return u * u + b * (w * w);
      },
      grad: function (p) {
        var x = p[0], y = p[1], r = y - x * x;
        return [-2.0 * (a - x) - 4.0 * b * x * r, 2.0 * b * r];
      }
    };
  }

  // Beale's three terms c_k - x + x y^k, k = 1, 2, 3. numpy computes y**1 as y, y**2 as y*y and
  // y**3 with pow(); the same here.
  var BEALE_C = [1.5, 2.25, 2.625];
  function ypow(y, k) { var out = k === 0 ? 1.0 : y; for (var i = 1; i < k; i++) out = out * y; return out; }
  function beale() {
    return {
      value: function (p) {
        var x = p[0], y = p[1], f = 0;
        for (var i = 0; i < 3; i++) {
          var r = BEALE_C[i] - x + x * ypow(y, i + 1);
          f = f + r * r;
        }
        return f;
      },
      grad: function (p) {
        var x = p[0], y = p[1], gx = 0, gy = 0;
        for (var i = 0; i < 3; i++) {
          var k = i + 1, yk = ypow(y, k);
          var r = BEALE_C[i] - x + x * yk;
          gx = gx + 2.0 * r * (yk - 1.0);
          gy = gy + 2.0 * r * (k * x * ypow(y, k - 1));
        }
        return [gx, gy];
      }
    };
  }

  function saddle() {
    return {
      value: function (p) { return 0.5 * (p[0] * p[0] - p[1] * p[1]); },
      grad: function (p) { return [p[0], -p[1]]; }
    };
  }

  var WELL_WIDTH = 0.2;
  function twoWells() {
    return {
      value: function (p) {
        var x = p[0], y = p[1], y2 = y * y;
        return x * x + y2
          - 2.0 * Math.exp(-((x - 1.0) * (x - 1.0) + y2) / WELL_WIDTH)
          - 3.0 * Math.exp(-((x + 1.0) * (x + 1.0) + y2) / WELL_WIDTH);
      },
      grad: function (p) {
        var x = p[0], y = p[1], y2 = y * y;
        var e1 = 2.0 * Math.exp(-((x - 1.0) * (x - 1.0) + y2) / WELL_WIDTH) * (2.0 / WELL_WIDTH);
        var e2 = 3.0 * Math.exp(-((x + 1.0) * (x + 1.0) + y2) / WELL_WIDTH) * (2.0 / WELL_WIDTH);
        return [2.0 * x + e1 * (x - 1.0) + e2 * (x + 1.0), 2.0 * y + (e1 + e2) * y];
      }
    };
  }

  // The surfaces in the menu's order, with the names the page shows (the parity test checks
  // them against the core's); minima, values there and view boxes are the core's (defaults).
  var SURFACE_IDS = ["bowl", "rotated", "rosenbrock", "beale", "saddle", "two-wells"];
  var SURFACE_NAMES = {
    "bowl": "Course bowl (elongated quadratic)", "rotated": "Rotated bowl", "rosenbrock": "Rosenbrock valley",
    "beale": "Beale function", "saddle": "Saddle (x\u00b2 \u2212 y\u00b2)/2", "two-wells": "Two wells (simulator surface)"
  };
  /** Surface metadata: names, minima and view boxes, as in rmsprop_core.objectives. */
  var SURFACE_INFO = {};
  SURFACE_IDS.forEach(function (id) {
    var d = defaults.surfaces[id];
    if (!d) throw new Error("engine.js: no constants for the surface " + id);
    SURFACE_INFO[id] = { name: SURFACE_NAMES[id], minimum: d.minimum.slice(), minValue: d.min_value, view: copyBox(d.view) };
  });
  /** The rotated bowl's default angle (radians): rc.objectives.rotated()'s. */
  var DEFAULT_ANGLE = defaults.angle;
  // The bowls' eigenvalues are [1, kappa]: kappa is the condition number (the course bowl's).
  var DEFAULT_KAPPA = defaults.kappa;
  /** A run stops where a coordinate leaves [-BOUND, BOUND]: rc.run's default bound. */
  var BOUND = defaults.bound;
  /** The view box of the reader's own formula when none is given: rc.objectives.formula's. */
  var CUSTOM_VIEW = copyBox(defaults.custom_view);

  /** Python's "%g" for the angle in the rotated bowl's name (enough for the names we make). */
  function formatG(v) {
    var t = Number(v.toPrecision(6));
    return String(t);
  }

  /** The id of the reader's own surface: surface(CUSTOM_ID, {formula, view}). */
  var CUSTOM_ID = "custom";

  /** A view box [[xmin, xmax], [ymin, ymax]] checked as the core's formula() checks it. */
  function checkedView(view) {
    var ok = Array.isArray(view) && view.length === 2 && view.every(function (r) {
      return Array.isArray(r) && r.length === 2 && typeof r[0] === "number" && typeof r[1] === "number" &&
             isFinite(r[0]) && isFinite(r[1]) && r[0] < r[1];
    });
    if (!ok) throw new Error("view must be [[xmin, xmax], [ymin, ymax]], finite, with xmin < xmax and ymin < ymax");
    return [view[0].slice(), view[1].slice()];
  }

  /**
   * The reader's formula as a surface: the core's rc.objectives.formula(text, view). Its value
   * and exact gradient (forward-mode automatic differentiation) come from formula.js; its
   * minimum is not known (NaN, as in the core). Throws the parser's FormulaError for a bad one.
   */
  function customSurface(options) {
    if (!formulaLib) throw new Error("formula.js is not loaded: the custom surface is unavailable");
    var f = formulaLib.compile(options.formula === undefined ? "" : options.formula);
    var view = checkedView(options.view === undefined ? CUSTOM_VIEW : options.view);
    return { id: CUSTOM_ID, name: f.text, value: f.value, grad: f.grad, minimum: [NaN, NaN], minValue: NaN,
             view: view, dim: 2, formula: f.text };
  }

  /**
   * The surface with this id. options.angle (radians) applies to "rotated" only;
   * options.kappa (default DEFAULT_KAPPA, the course's) to "bowl" and "rotated", whose
   * eigenvalues become [1, kappa]: the core's quadratic([1.0, kappa], angle) (at the default,
   * its bowl() and rotated(angle)). "custom" takes options.formula (the text) and options.view
   * (default CUSTOM_VIEW).
   * Returns {id, name, value(x), grad(x), minimum, minValue, view, dim}.
   */
  function surface(id, options) {
    options = options || {};
    if (id === CUSTOM_ID) return customSurface(options);
    var info = SURFACE_INFO[id];
    if (!info) throw new Error("unknown surface " + JSON.stringify(String(id)) + "; one of " + SURFACE_IDS.join(", "));
    var fns, name = info.name;
    var kappa = options.kappa === undefined ? DEFAULT_KAPPA : Number(options.kappa);
    if ((id === "bowl" || id === "rotated") && !(isFinite(kappa) && kappa > 0)) {
      throw new Error("kappa must be a finite positive number");
    }
    // The same view box for every kappa, so that a link's start point means the same place.
    var shownKappa = kappa === DEFAULT_KAPPA ? "" : "\u03ba = " + formatG(kappa);
    if (id === "bowl") {
      fns = quadratic([1.0, kappa], 0.0);
      if (shownKappa) name = "Quadratic bowl (" + shownKappa + ")";
    }
    else if (id === "rotated") {
      var angle = options.angle === undefined ? DEFAULT_ANGLE : Number(options.angle);
      if (!isFinite(angle)) throw new Error("angle must be a finite number of radians");
      fns = quadratic([1.0, kappa], angle);
      name = "Rotated bowl (" + formatG(angle * 180 / Math.PI) + "\u00b0" + (shownKappa ? ", " + shownKappa : "") + ")";
    }
    else if (id === "rosenbrock") fns = rosenbrock(1.0, 100.0);
    else if (id === "beale") fns = beale();
    else if (id === "saddle") fns = saddle();
    else fns = twoWells();
    return { id: id, name: name, value: fns.value, grad: fns.grad,
             minimum: info.minimum.slice(), minValue: info.minValue,
             view: [info.view[0].slice(), info.view[1].slice()], dim: 2 };
  }

  // ----- transforms (rmsprop_core/transforms.py) --------------------------------------------

  // Smallest positive normal double: with eps = 0 a zero denominator (only when g = 0 too) is
  // raised to it, so the update is 0 / tiny = 0 rather than NaN, as in the core.
  var TINY = 2.2250738585072014e-308;
  // Each transform is {init(x) -> state, update(u, state) -> [u, state]}; states are plain objects
  // with the core's field names (nu = S, trace / mu = V, count).

  function scaleByRms(decay, eps, epsInside, initialScale, biasCorrection) {
    return {
      init: function (x) { return { nu: filled(x.length, initialScale), count: 0 }; },
      update: function (g, st) {
        var d = g.length, nu = new Array(d), out = new Array(d);
        var count = st.count + 1;
        var correction = biasCorrection ? 1 - Math.pow(decay, count) : 1;
        for (var i = 0; i < d; i++) {
          nu[i] = decay * st.nu[i] + (1 - decay) * (g[i] * g[i]);
          var s = biasCorrection ? nu[i] / correction : nu[i];
          var den = epsInside ? Math.sqrt(s + eps) : Math.sqrt(s) + eps;
          if (eps === 0) den = Math.max(den, TINY);
          out[i] = g[i] / den;
        }
        return [out, { nu: nu, count: count }];
      }
    };
  }

  function trace(decay, form) {
    return {
      init: function (x) { return { trace: zeros(x.length) }; },
      update: function (g, st) {
        var d = g.length, v = new Array(d);
        for (var i = 0; i < d; i++) {
          v[i] = form === "heavy_ball" ? decay * st.trace[i] + g[i]
                                       : decay * st.trace[i] + (1 - decay) * g[i];
        }
        return [v.slice(), { trace: v }];
      }
    };
  }

  function scaleByAdam(b1, b2, eps, biasCorrection) {
    return {
      init: function (x) { return { mu: zeros(x.length), nu: zeros(x.length), count: 0 }; },
      update: function (g, st) {
        var d = g.length, mu = new Array(d), nu = new Array(d), out = new Array(d);
        var count = st.count + 1;
        var c1 = 1 - Math.pow(b1, count), c2 = 1 - Math.pow(b2, count);
        for (var i = 0; i < d; i++) {
          mu[i] = b1 * st.mu[i] + (1 - b1) * g[i];
          nu[i] = b2 * st.nu[i] + (1 - b2) * (g[i] * g[i]);
          var m = biasCorrection ? mu[i] / c1 : mu[i];
          var s = biasCorrection ? nu[i] / c2 : nu[i];
          var den = Math.sqrt(s) + eps;
          if (eps === 0) den = Math.max(den, TINY);
          out[i] = m / den;
        }
        return [out, { mu: mu, nu: nu, count: count }];
      }
    };
  }

  function scaleBySign() {
    return {
      init: function () { return {}; },
      update: function (g, st) {
        return [g.map(function (v) { return v > 0 ? 1 : (v < 0 ? -1 : (v === 0 ? 0 : NaN)); }), st];
      }
    };
  }

  function normalizeByNorm(eps) {
    return {
      init: function () { return {}; },
      update: function (g, st) {
        var sq = 0;
        for (var i = 0; i < g.length; i++) sq = sq + g[i] * g[i];
        // A zero gradient gives a zero step (0 / tiny), not 0/0.
        var norm = Math.max(Math.sqrt(sq) + eps, TINY);
        return [g.map(function (v) { return v / norm; }), st];
      }
    };
  }

  function scaleByLearningRate(lr) {
    return {
      init: function () { return {}; },
      update: function (u, st) { return [u.map(function (v) { return v * -lr; }), st]; }
    };
  }

  function chain(transforms) {
    return {
      init: function (x) { return transforms.map(function (t) { return t.init(x); }); },
      update: function (g, states) {
        var u = g, next = new Array(transforms.length);
        for (var k = 0; k < transforms.length; k++) {
          var r = transforms[k].update(u, states[k]);
          u = r[0]; next[k] = r[1];
        }
        return [u, next];
      }
    };
  }

  // ----- methods (rmsprop_core/optimizers.py) -----------------------------------------------

  var METHOD_IDS = ["gd", "momentum", "rmsprop", "adam", "ngd", "sign"];
  var METHOD_NAMES = { gd: "GD", momentum: "Momentum", rmsprop: "RMSprop", adam: "Adam",
                       ngd: "Normalized GD", sign: "Sign descent" };
  /** The lecture's settings: its surface (fn), start and the essay's "lecture α" (lr), which
   *  every page quotes: 2 / (lambda_w + lambda_b) on the course's bowl, rounded as the pages
   *  print it (gen/settings.py lecture_lr()). At this rate 1 - 20 alpha < 0, so gradient
   *  descent zig-zags across b as in the lecture. */
  var LECTURE = { fn: defaults.lecture.fn, start: defaults.lecture.start.slice(), lr: defaults.lecture.lr };
  /** Every hyperparameter's default: the core's keyword defaults, the learning rate the lecture's. */
  var METHOD_DEFAULTS = {};
  METHOD_IDS.forEach(function (id) {
    var d = defaults.methods[id], copy = {};
    if (!d) throw new Error("engine.js: no defaults for the method " + id);
    for (var k in d) copy[k] = d[k];
    METHOD_DEFAULTS[id] = copy;
  });

  /** An optimizer for method id with hyperparameters p (missing ones take the defaults). */
  function optimizer(id, p) {
    var q = {}, k, defaults = METHOD_DEFAULTS[id];
    if (!defaults) throw new Error("unknown method " + JSON.stringify(String(id)) + "; one of " + METHOD_IDS.join(", "));
    for (k in defaults) q[k] = defaults[k];
    for (k in (p || {})) if (p[k] !== undefined) q[k] = p[k];
    var lr = scaleByLearningRate(q.lr);
    switch (id) {
      case "gd": return chain([lr]);
      case "momentum": return chain([trace(q.decay, q.form), lr]);
      case "rmsprop": return chain([scaleByRms(q.decay, q.eps, q.epsmode === "inside", q.init, !!q.bias), lr]);
      case "adam": return chain([scaleByAdam(q.b1, q.b2, q.eps, !!q.bias), lr]);
      case "ngd": return chain([normalizeByNorm(q.eps), lr]);
      default: return chain([scaleBySign(), lr]);
    }
  }

  /** The V and S of a chain state (for the step-through table), or null where a method has none. */
  function stateVS(id, states) {
    var first = states[0] || {};
    if (id === "momentum") return { V: first.trace.slice(), S: null };
    if (id === "rmsprop") return { V: null, S: first.nu.slice() };
    if (id === "adam") return { V: first.mu.slice(), S: first.nu.slice() };
    return { V: null, S: null };
  }

  // ----- gradient noise (rmsprop_core/objectives.py, gaussian_noise and noisy) --------------
  //
  // A counter-based generator: z(seed, t, i) is a pure function of its arguments, so the page
  // and the core draw the same noise without sharing a stream. Only 32-bit integer operations
  // and double +, -, *, / and sqrt, each rounded once in the core's order, are used: library
  // log, cos and sin differ in the last bit between V8 and numpy, these polynomials do not.

  var U32 = 4294967296;                  // 2^32: seeds and steps are 32-bit counters
  var PHILOX_M0 = 0xD2511F53, PHILOX_M1 = 0xCD9E8D57;
  var PHILOX_W0 = 0x9E3779B9, PHILOX_W1 = 0xBB67AE85;
  var PHILOX_ROUNDS = 10;
  var SQRT_HALF = 0.7071067811865476;    // the core's _SQRT_HALF (= Math.SQRT1_2)
  var LN2 = 0.6931471805599453;          // Math.LN2
  var HALF_PI = 1.5707963267948966;      // Math.PI / 2
  var TWO_M53 = 1.1102230246251565e-16;  // 2^-53
  var TWO_M51 = 4.440892098500626e-16;   // 2^-51

  /** c_0 = 1, c_k = c_{k-1} / divisor(k): each coefficient one division, as the core's _series. */
  function series(n, divisor) {
    var out = [1.0];
    for (var k = 1; k < n; k++) out.push(out[k - 1] / divisor(k));
    return out;
  }
  var LOG_COEFFS = [];                   // 1 / (2k + 1), k = 0..10: log m = 2s(1 + s^2/3 + ...)
  for (var kLog = 0; kLog < 11; kLog++) LOG_COEFFS.push(1.0 / (2 * kLog + 1));
  var COS_COEFFS = series(12, function (k) { return -(2 * k - 1) * (2 * k); });
  var SIN_COEFFS = series(12, function (k) { return -(2 * k) * (2 * k + 1); });

  /** The upper 32 bits of the 64-bit product a*b of two 32-bit words, from 16-bit halves of b
   *  (every partial product < 2^48, so exact in a double). */
  function mulhi(a, b) {
    var bh = Math.floor(b / 65536), bl = b % 65536;
    return Math.floor((a * bh + Math.floor(a * bl / 65536)) / 65536);
  }

  /** Philox4x32-10 of the counter (c0, c1, c2, c3) with key (k0, 0); words as unsigned ints. */
  function philox(c0, c1, c2, c3, k0) {
    for (var r = 0; r < PHILOX_ROUNDS; r++) {
      var key0 = (k0 + r * PHILOX_W0) % U32, key1 = (r * PHILOX_W1) % U32;
      var hi0 = mulhi(PHILOX_M0, c0), lo0 = Math.imul(PHILOX_M0, c0) >>> 0;
      var hi1 = mulhi(PHILOX_M1, c2), lo1 = Math.imul(PHILOX_M1, c2) >>> 0;
      c0 = (hi1 ^ c1 ^ key0) >>> 0;
      c1 = lo1;
      c2 = (hi0 ^ c3 ^ key1) >>> 0;
      c3 = lo0;
    }
    return [c0, c1, c2, c3];
  }

  // frexp through the float's bits (exact): u = m 2^e with m in [1/2, 1). u is in (0, 1] and at
  // least 2^-53, a normal double, so the exponent field is never 0.
  var FREXP_VIEW = new DataView(new ArrayBuffer(8));
  function frexp(u) {
    FREXP_VIEW.setFloat64(0, u);
    var high = FREXP_VIEW.getUint32(0);
    var e = ((high >>> 20) & 0x7FF) - 1022;
    FREXP_VIEW.setUint32(0, (high & 0x800FFFFF) | (1022 << 20));
    return [FREXP_VIEW.getFloat64(0), e];
  }

  /** ln u for u in (0, 1]: u = m 2^e with sqrt(1/2) <= m < sqrt(2), ln u = e ln 2 + ln m. */
  function log01(u) {
    var me = frexp(u), m = me[0], e = me[1];
    if (m < SQRT_HALF) { m = m + m; e = e - 1; }
    var s = (m - 1.0) / (m + 1.0), s2 = s * s, p = LOG_COEFFS[LOG_COEFFS.length - 1];
    for (var k = LOG_COEFFS.length - 2; k >= 0; k--) p = p * s2 + LOG_COEFFS[k];
    return e * LN2 + (s + s) * p;
  }

  /** [cos psi, sin psi] for 0 <= psi < pi/2 by Horner's rule in psi^2. */
  function cosSin(psi) {
    var y = psi * psi, n = COS_COEFFS.length, c = COS_COEFFS[n - 1], s = SIN_COEFFS[n - 1];
    for (var k = n - 2; k >= 0; k--) c = c * y + COS_COEFFS[k];
    for (k = n - 2; k >= 0; k--) s = s * y + SIN_COEFFS[k];
    return [c, s * psi];
  }

  /** Box-Muller: two N(0, 1) numbers from the four words of one Philox block. */
  function normalPair(w) {
    var u = ((w[0] >>> 5) * 67108864 + (w[1] >>> 6) + 1.0) * TWO_M53;            // (a + 1) 2^-53
    var quadrant = w[2] >>> 30;
    var frac = ((w[2] >>> 5) & 0x1FFFFFF) * 67108864 + (w[3] >>> 6);               // 51 bits
    var psi = (frac * TWO_M51) * HALF_PI;
    var radius = Math.sqrt(-2.0 * log01(u));
    var cs = cosSin(psi), c = cs[0], s = cs[1];
    // quadrant q = 0, 1, 2, 3: (cos theta, sin theta) = (c, s), (-s, c), (-c, -s), (s, -c)
    var swap = quadrant & 1;
    var cosSign = 1.0 - 2.0 * ((quadrant ^ (quadrant >>> 1)) & 1);
    var sinSign = 1.0 - 2.0 * (quadrant >>> 1);
    return [radius * ((swap ? s : c) * cosSign), radius * ((swap ? c : s) * sinSign)];
  }

  function checkCounter(name, v) {
    if (typeof v !== "number" || !(v >= 0 && v < U32) || Math.floor(v) !== v) {
      throw new Error(name + " must be an integer in [0, 2**32), got " + String(v));
    }
  }

  /**
   * The standard normal numbers z(seed, step, i), i = 0..dim-1, that a noisy run adds to the
   * gradient at iterate x_step: bit for bit rmsprop_core.objectives.gaussian_noise(seed, step,
   * dim). Coordinates 2j and 2j+1 are the Box-Muller pair of the Philox block of counter
   * (step, j, 0, 0) and key (seed, 0).
   */
  function gaussianNoise(seed, step, dim) {
    checkCounter("seed", seed);
    checkCounter("step", step);
    if (!(dim >= 1 && Math.floor(dim) === dim)) throw new Error("dim must be a positive integer");
    var z = new Array(dim);
    for (var j = 0; 2 * j < dim; j++) {
      var pair = normalPair(philox(step, j, 0, 0, seed));
      z[2 * j] = pair[0];
      if (2 * j + 1 < dim) z[2 * j + 1] = pair[1];
    }
    return z;
  }

  /** The gradient a run uses at iterate x_t: grad f(x_t) + sigma z(seed, t) (the core's
   *  noisy(...).grad(x, t), in its order: sigma * z first, then the sum); sigma 0 adds nothing. */
  function noisyGrad(surf, noise, x, t) {
    var g = surf.grad(x);
    if (!noise || noise.sigma === 0) return g;
    var z = gaussianNoise(noise.seed, t, g.length);
    for (var i = 0; i < g.length; i++) g[i] = g[i] + noise.sigma * z[i];
    return g;
  }

  /** options.noise as {sigma, seed} checked, or null for a noise-free run. */
  function noiseOption(noise) {
    if (noise === undefined || noise === null) return null;
    var sigma = Number(noise.sigma), seed = noise.seed === undefined ? 0 : noise.seed;
    if (!(isFinite(sigma) && sigma >= 0)) throw new Error("noise sigma must be a finite number >= 0");
    checkCounter("noise seed", seed);
    return { sigma: sigma, seed: seed };
  }

  // ----- running (rmsprop_core/run.py) -------------------------------------------------------

  /**
   * Run method `id` with hyperparameters `params` on surface `surf` from `start` for `steps` steps:
   * g_t = grad f(x_t), (u_t, s_{t+1}) = update(g_t, s_t), x_{t+1} = x_t + u_t.
   *
   * options.noise = {sigma, seed} adds gradient noise as the core's
   * rc.run(opt, rc.objectives.noisy(surface, sigma, seed), x0, steps): g_t = grad f(x_t) +
   * sigma z(seed, t), t = 0 at the start. The loss stays the noise-free f(x_t); grads are the
   * noisy gradients used (as the core's Trajectory.grads).
   *
   * Returns {positions (steps+1)×d, loss (steps+1), grads steps×d, updates steps×d,
   * V, S ((steps+1)×d arrays, or null for a method without that state), diverged, divergedAt}.
   *
   * Divergence as in the core: the first step t whose iterate x_t is non-finite or has a
   * coordinate |x_i| > bound is divergedAt; from there on the trajectory (and its state) repeats
   * x_{t-1}, so positions[t:] equal positions[t-1] and the updates are 0. As in the core,
   * updates are differences of recorded positions and grads/loss are evaluated at them.
   */
  function run(surf, id, params, start, steps, options) {
    var bound = (options && options.bound !== undefined) ? options.bound : BOUND;
    var noise = noiseOption(options && options.noise);
    var opt = optimizer(id, params);
    var x = start.slice(), d = x.length, t, i;
    if (!allFinite(x)) throw new Error("start must be finite");
    if (!inside(x, bound)) throw new Error("start must lie inside the bound (every |x0_i| <= " + bound + ")");
    var state = opt.init(x);
    var positions = [x.slice()], vs = stateVS(id, state);
    var V = vs.V ? [vs.V] : null, S = vs.S ? [vs.S] : null;
    var divergedAt = -1;
    for (t = 1; t <= steps; t++) {
      if (divergedAt < 0) {
        var r = opt.update(noisyGrad(surf, noise, x, t - 1), state);
        var xn = new Array(d);
        for (i = 0; i < d; i++) xn[i] = x[i] + r[0][i];
        if (!inside(xn, bound)) {
          divergedAt = t;
        } else {
          x = xn;
          state = r[1];
          vs = stateVS(id, state);
        }
      }
      positions.push(x.slice());
      if (V) V.push(vs.V.slice());
      if (S) S.push(vs.S.slice());
    }
    var loss = positions.map(function (p) { return finiteOr(surf.value(p), Number.MAX_VALUE); });
    var grads = [], updates = [];
    for (t = 0; t < steps; t++) {
      grads.push(noisyGrad(surf, noise, positions[t], t).map(function (v) { return finiteOr(v, 0); }));
      var u = new Array(d);
      for (i = 0; i < d; i++) u[i] = positions[t + 1][i] - positions[t][i];
      updates.push(u);
    }
    return { positions: positions, loss: loss, grads: grads, updates: updates, V: V, S: S,
             diverged: divergedAt >= 0, divergedAt: divergedAt };
  }

  // `!(|v_i| <= bound)` is true for NaN and infinities as well as for large values.
  function inside(v, bound) {
    for (var i = 0; i < v.length; i++) if (!(Math.abs(v[i]) <= bound)) return false;
    return true;
  }
  // The core's nan_to_num for loss (NaN -> largest double) and gradients (NaN -> 0); only a
  // surface steeper than any registered one can overflow inside the bound.
  function finiteOr(v, nanValue) {
    if (v !== v) return nanValue;
    if (v === Infinity) return Number.MAX_VALUE;
    if (v === -Infinity) return -Number.MAX_VALUE;
    return v;
  }

  return {
    SURFACE_IDS: SURFACE_IDS, SURFACE_INFO: SURFACE_INFO, DEFAULT_ANGLE: DEFAULT_ANGLE,
    DEFAULT_KAPPA: DEFAULT_KAPPA, CUSTOM_ID: CUSTOM_ID, CUSTOM_VIEW: CUSTOM_VIEW, BOUND: BOUND, formula: formulaLib || null,
    METHOD_IDS: METHOD_IDS, METHOD_NAMES: METHOD_NAMES, METHOD_DEFAULTS: METHOD_DEFAULTS, LECTURE: LECTURE,
    surface: surface, optimizer: optimizer, run: run, gaussianNoise: gaussianNoise,
    transforms: { scaleByRms: scaleByRms, trace: trace, scaleByAdam: scaleByAdam,
                  scaleBySign: scaleBySign, normalizeByNorm: normalizeByNorm,
                  scaleByLearningRate: scaleByLearningRate, chain: chain },
    allFinite: allFinite
  };
});

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
 * Usable as a browser global (window.rcEngine) and as a Node module (module.exports).
 *
 * Notation (the course's): g is the gradient (dW, db), S the second-moment average (S_dW, S_db),
 * V the first-moment average / velocity (V_dW, V_db). One trajectory at a time, any dimension d
 * (the surfaces are 2-D).
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.rcEngine = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // ----- small vector helpers (plain arrays of doubles) -------------------------------------

  function zeros(d) { var z = new Array(d); for (var i = 0; i < d; i++) z[i] = 0; return z; }
  function filled(d, v) { var z = new Array(d); for (var i = 0; i < d; i++) z[i] = v; return z; }
  function allFinite(v) { for (var i = 0; i < v.length; i++) if (!isFinite(v[i])) return false; return true; }

  // ----- surfaces (rmsprop_core/objectives.py) ----------------------------------------------

  /**
   * Quadratic f(x) = 1/2 sum_i lambda_i (R^T x)_i^2 with R the rotation by `angle` (radians)
   * of axes 0 and 1. Written out for d = 2 in the core's operation order.
   */
  function quadratic(eigenvalues, angle) {
    var l0 = eigenvalues[0], l1 = eigenvalues[1];
    var c = Math.cos(angle), s = Math.sin(angle);
    function rotated(x) {           // z = R^T x
      return [c * x[0] + s * x[1], -s * x[0] + c * x[1]];
    }
    return {
      value: function (x) {
        var z = rotated(x);
        return 0.5 * (l0 * (z[0] * z[0]) + l1 * (z[1] * z[1]));
      },
      grad: function (x) {           // R diag(lambda) R^T x
        var z = rotated(x);
        var a = l0 * z[0], b = l1 * z[1];
        return [c * a - s * b, s * a + c * b];
      }
    };
  }

  function rosenbrock(a, b) {
    return {
      value: function (x) {
        var u = a - x[0], w = x[1] - x[0] * x[0];
        return u * u + b * (w * w);
      },
      grad: function (x) {
        var u = a - x[0], w = x[1] - x[0] * x[0];
        return [-2 * u - 4 * b * x[0] * w, 2 * b * w];
      }
    };
  }

  var BEALE_C = [1.5, 2.25, 2.625];
  function beale() {
    return {
      value: function (x) {
        var X = x[0], Y = x[1], f = 0, yk = 1;
        for (var k = 0; k < 3; k++) {
          yk = yk * Y;
          var r = BEALE_C[k] - X + X * yk;
          f = f + r * r;
        }
        return f;
      },
      grad: function (x) {
        var X = x[0], Y = x[1], gx = 0, gy = 0, yk = 1, ykm1;
        for (var k = 0; k < 3; k++) {
          ykm1 = yk; yk = yk * Y;
          var r = BEALE_C[k] - X + X * yk;
          gx = gx + 2 * r * (yk - 1);
          gy = gy + 2 * r * ((k + 1) * X * ykm1);
        }
        return [gx, gy];
      }
    };
  }

  function saddle() {
    return {
      value: function (x) { return 0.5 * (x[0] * x[0] - x[1] * x[1]); },
      grad: function (x) { return [x[0], -x[1]]; }
    };
  }

  function twoWells() {
    return {
      value: function (x) {
        var X = x[0], Y = x[1];
        var e1 = Math.exp(-((X - 1) * (X - 1) + Y * Y) / 0.2);
        var e2 = Math.exp(-((X + 1) * (X + 1) + Y * Y) / 0.2);
        return X * X + Y * Y - 2 * e1 - 3 * e2;
      },
      grad: function (x) {
        var X = x[0], Y = x[1];
        var e1 = Math.exp(-((X - 1) * (X - 1) + Y * Y) / 0.2);
        var e2 = Math.exp(-((X + 1) * (X + 1) + Y * Y) / 0.2);
        return [2 * X + 2 * e1 * 2 * (X - 1) / 0.2 + 3 * e2 * 2 * (X + 1) / 0.2,
                2 * Y + 2 * e1 * 2 * Y / 0.2 + 3 * e2 * 2 * Y / 0.2];
      }
    };
  }

  /** Surface metadata: names, minima and view boxes as in rmsprop_core.objectives. */
  var SURFACE_INFO = {
    "bowl": { name: "Course bowl (elongated quadratic)", minimum: [0, 0], minValue: 0,
              view: [[-10, 10], [-3, 3]] },
    "rotated": { name: "Rotated bowl", minimum: [0, 0], minValue: 0,
                 view: [[-10, 10], [-10, 10]] },
    "rosenbrock": { name: "Rosenbrock", minimum: [1, 1], minValue: 0,
                    view: [[-2, 2], [-1, 3]] },
    "beale": { name: "Beale", minimum: [3, 0.5], minValue: 0, view: [[-4.5, 4.5], [-4.5, 4.5]] },
    "saddle": { name: "Saddle", minimum: [0, 0], minValue: 0, view: [[-2, 2], [-2, 2]] },
    "two-wells": { name: "Two wells", minimum: [-1, 0], minValue: -3, view: [[-2, 2], [-1.5, 1.5]] }
  };
  var SURFACE_IDS = ["bowl", "rotated", "rosenbrock", "beale", "saddle", "two-wells"];
  var DEFAULT_ANGLE = Math.PI / 4;

  /**
   * The surface with this id. options.angle (radians) applies to "rotated" only.
   * Returns {id, name, value(x), grad(x), minimum, minValue, view, dim}.
   */
  function surface(id, options) {
    options = options || {};
    var info = SURFACE_INFO[id];
    if (!info) throw new Error("unknown surface " + JSON.stringify(String(id)) + "; one of " + SURFACE_IDS.join(", "));
    var fns;
    if (id === "bowl") fns = quadratic([1.0, 20.0], 0.0);
    else if (id === "rotated") fns = quadratic([1.0, 20.0], options.angle === undefined ? DEFAULT_ANGLE : options.angle);
    else if (id === "rosenbrock") fns = rosenbrock(1.0, 100.0);
    else if (id === "beale") fns = beale();
    else if (id === "saddle") fns = saddle();
    else fns = twoWells();
    return { id: id, name: info.name, value: fns.value, grad: fns.grad,
             minimum: info.minimum.slice(), minValue: info.minValue,
             view: [info.view[0].slice(), info.view[1].slice()], dim: 2 };
  }

  // ----- transforms (rmsprop_core/transforms.py) --------------------------------------------
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
          out[i] = epsInside ? g[i] / Math.sqrt(s + eps) : g[i] / (Math.sqrt(s) + eps);
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
          out[i] = m / (Math.sqrt(s) + eps);
        }
        return [out, { mu: mu, nu: nu, count: count }];
      }
    };
  }

  function scaleBySign() {
    return {
      init: function () { return {}; },
      update: function (g, st) {
        return [g.map(function (v) { return v > 0 ? 1 : (v < 0 ? -1 : 0); }), st];
      }
    };
  }

  function normalizeByNorm(eps) {
    return {
      init: function () { return {}; },
      update: function (g, st) {
        var sq = 0;
        for (var i = 0; i < g.length; i++) sq = sq + g[i] * g[i];
        var norm = Math.sqrt(sq) + eps;
        // A zero gradient gives a zero step (not 0/0).
        return [g.map(function (v) { return norm > 0 ? v / norm : 0; }), st];
      }
    };
  }

  function scaleByLearningRate(lr) {
    return {
      init: function () { return {}; },
      update: function (u, st) { return [u.map(function (v) { return -lr * v; }), st]; }
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
  /** The course's (lecture) defaults for every hyperparameter. */
  var METHOD_DEFAULTS = {
    gd: { lr: 0.05 },
    momentum: { lr: 0.05, decay: 0.9, form: "ema" },
    rmsprop: { lr: 0.05, decay: 0.9, eps: 1e-8, epsmode: "outside", init: 0, bias: false },
    adam: { lr: 0.05, b1: 0.9, b2: 0.999, eps: 1e-8, bias: true },
    ngd: { lr: 0.05 },
    sign: { lr: 0.05 }
  };

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
      case "ngd": return chain([normalizeByNorm(0.0), lr]);
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

  // ----- running (rmsprop_core/run.py) -------------------------------------------------------

  /**
   * Run method `id` with hyperparameters `params` on surface `surf` from `start` for `steps` steps.
   *
   * Returns {positions (steps+1)×d, loss (steps+1), grads steps×d, updates steps×d,
   * V, S ((steps+1)×d or null), diverged, divergedAt (-1 if never)}. As in the core, an iterate
   * that becomes non-finite or leaves |x_i| <= bound is not taken: the trajectory stays frozen at
   * its last finite position, later updates are 0 and divergedAt is the step that left.
   */
  function run(surf, id, params, start, steps, options) {
    var bound = (options && options.bound !== undefined) ? options.bound : 1e6;
    var opt = optimizer(id, params);
    var x = start.slice(), d = x.length;
    var state = opt.init(x);
    var positions = [x.slice()], loss = [surf.value(x)], grads = [], updates = [];
    var vs0 = stateVS(id, state);
    var V = vs0.V ? [vs0.V] : null, S = vs0.S ? [vs0.S] : null;
    var diverged = false, divergedAt = -1;
    for (var t = 0; t < steps; t++) {
      var g = surf.grad(x);
      grads.push(g.slice());
      if (diverged) {
        updates.push(zeros(d));
      } else {
        var r = opt.update(g, state);
        var u = r[0];
        var xn = new Array(d), ok = true;
        for (var i = 0; i < d; i++) {
          xn[i] = x[i] + u[i];
          if (!isFinite(xn[i]) || Math.abs(xn[i]) > bound) ok = false;
        }
        if (ok && !isFinite(surf.value(xn))) ok = false;
        if (ok) {
          updates.push(u.slice());
          x = xn;
          state = r[1];
        } else {
          diverged = true;
          divergedAt = t;
          updates.push(zeros(d));
        }
      }
      positions.push(x.slice());
      loss.push(surf.value(x));
      var vs = stateVS(id, state);
      if (V) V.push(vs.V);
      if (S) S.push(vs.S);
    }
    return { positions: positions, loss: loss, grads: grads, updates: updates, V: V, S: S,
             diverged: diverged, divergedAt: divergedAt };
  }

  return {
    SURFACE_IDS: SURFACE_IDS, SURFACE_INFO: SURFACE_INFO, DEFAULT_ANGLE: DEFAULT_ANGLE,
    METHOD_IDS: METHOD_IDS, METHOD_NAMES: METHOD_NAMES, METHOD_DEFAULTS: METHOD_DEFAULTS,
    surface: surface, optimizer: optimizer, run: run,
    transforms: { scaleByRms: scaleByRms, trace: trace, scaleByAdam: scaleByAdam,
                  scaleBySign: scaleBySign, normalizeByNorm: normalizeByNorm,
                  scaleByLearningRate: scaleByLearningRate, chain: chain },
    allFinite: allFinite
  };
});

#!/usr/bin/env node
/*
 * Runs the Playground's JavaScript engine on cases read as JSON from stdin and writes the
 * trajectories as JSON to stdout; used by tests/playground/test_parity.py.
 *
 * stdin:  {"cases": [{"surface": id, "angle": radians|null, "kappa": number|null, "method": id,
 *                     "params": {...}, "start": [x, y], "steps": n,
 *                     "noise": {"sigma": s, "seed": k}|null}, ...],
 *          "surfaces": [{"surface": id, "angle": radians|null, "kappa": number|null}, ...],
 *          "noise": [[seed, step, dim], ...], "parse": [formula text, ...]}
 *          (metadata requests; a null or missing angle or kappa takes the engine's default;
 *          surface "custom" takes "formula" and an optional "view" [[x0, x1], [y0, y1]])
 *          Runs are given no bound: each takes the engine's default, as the core's run() does,
 *          so a drifted default shows in the diverging cases. An optional "defaults" replaces
 *          the generated constants (docs/generated/data/playground-defaults.json) for this
 *          process, to show that a drifted one is caught (tests/playground/test_defaults.py).
 * stdout: {"results": [{positions, loss, grads, updates, S, V, diverged, divergedAt}, ...],
 *          "surfaces": [{name, minimum, minValue, view, values: [...], grads: [...]}, ...],
 *          "noise": [[z_0, ..., z_{dim-1}], ...],   (engine.gaussianNoise; JSON keeps doubles exact)
 *          "parse": [{tree} or {error, position}, ...]}   (formula.js's parse trees and errors)
 */
"use strict";
const path = require("path");
const PLAYGROUND = path.join(__dirname, "..", "..", "docs", "javascripts", "playground");
const formula = require(path.join(PLAYGROUND, "formula.js"));
let engine = null;   // loaded once the request is read (it may carry its own "defaults")

function surfaceOf(spec) {
  if (spec.surface === "custom") {
    return engine.surface("custom", { formula: spec.formula, view: spec.view === null ? undefined : spec.view });
  }
  const options = {};
  if (spec.angle !== null && spec.angle !== undefined) options.angle = spec.angle;
  if (spec.kappa !== null && spec.kappa !== undefined) options.kappa = spec.kappa;
  return engine.surface(spec.surface, options);
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const request = JSON.parse(input);
  if (request.defaults) globalThis.rcPlaygroundDefaults = request.defaults;
  engine = require(path.join(PLAYGROUND, "engine.js"));
  const results = (request.cases || []).map((c) =>
    engine.run(surfaceOf(c), c.method, c.params, c.start, c.steps, { noise: c.noise || null }));
  const surfaces = (request.surfaces || []).map((spec) => {
    const s = surfaceOf(spec);
    const points = spec.points || [];
    return { id: s.id, name: s.name, minimum: s.minimum, minValue: s.minValue, view: s.view,
             values: points.map((p) => s.value(p)), grads: points.map((p) => s.grad(p)) };
  });
  const noise = (request.noise || []).map((c) => engine.gaussianNoise(c[0], c[1], c[2]));
  const parsed = (request.parse || []).map((text) => {
    try { return { tree: formula.parse(text) }; } catch (e) { return { error: e.message, position: e.position }; }
  });
  process.stdout.write(JSON.stringify({ results: results, surfaces: surfaces, noise: noise, parse: parsed }));
});

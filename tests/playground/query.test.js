/* node --test tests/playground/query.test.js — the Playground's URL parser and validator. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("path");
const Q = require(path.join(__dirname, "..", "..", "docs", "javascripts", "playground", "query.js"));

test("an empty query gives the lecture settings and no message", () => {
  const { settings, messages } = Q.parse("");
  assert.deepEqual(messages, []);
  assert.equal(settings.fn, "bowl");
  assert.deepEqual(settings.methods, ["gd", "momentum", "rmsprop"]);
  assert.equal(settings.params.rmsprop.decay, 0.9);
  assert.equal(settings.params.adam.b2, 0.999);
});

test("a full query round-trips through serialize", () => {
  const q = "fn=rotated&angle=30&start=-2.5,1.25&steps=300&methods=rmsprop,gd,adam&lr.gd=0.01" +
            "&lr.rmsprop=0.02&decay.rmsprop=0.99&eps.rmsprop=1e-7&epsmode.rmsprop=inside&init.rmsprop=1" +
            "&bias.rmsprop=1&lr.adam=0.1&b1.adam=0.8&b2.adam=0.99&eps.adam=0&bias.adam=0&t=12";
  const { settings, messages } = Q.parse(q);
  assert.deepEqual(messages, []);
  assert.equal(settings.fn, "rotated");
  assert.equal(settings.angle, 30);
  assert.deepEqual(settings.start, [-2.5, 1.25]);
  assert.deepEqual(settings.methods, ["gd", "rmsprop", "adam"]);   // page order
  assert.equal(settings.params.rmsprop.epsmode, "inside");
  assert.equal(settings.params.rmsprop.init, 1);
  assert.equal(settings.params.rmsprop.bias, true);
  assert.equal(settings.params.adam.bias, false);
  assert.equal(settings.params.adam.eps, 0);
  assert.equal(settings.t, 12);
  const again = Q.parse(Q.serialize(settings));
  assert.deepEqual(again.messages, []);
  assert.deepEqual(again.settings, settings);
});

test("non-numeric values are rejected with a message and the default is kept", () => {
  for (const bad of ["abc", "", "0x10", "Infinity", "NaN", "1,5", "1e999", "<script>alert(1)</script>"]) {
    const { settings, messages } = Q.parse("lr.gd=" + encodeURIComponent(bad));
    assert.equal(settings.params.gd.lr, 0.0952, bad);
    assert.equal(messages.length, 1, bad);
    assert.match(messages[0], /lr\.gd/);
  }
});

test("out-of-range values are clamped with a message", () => {
  const { settings, messages } = Q.parse("lr.gd=-3&decay.rmsprop=1.5&steps=999999&angle=720&start=50,-1e300&t=5000");
  assert.equal(settings.params.gd.lr, Q.PARAMS.lr.min);
  assert.equal(settings.params.rmsprop.decay, Q.PARAMS.decay.max);
  assert.equal(settings.steps, Q.STEPS.max);
  assert.equal(settings.angle, 180);
  assert.deepEqual(settings.start, [4, -2]);          // the bowl's view box
  assert.equal(settings.t, Q.STEPS.max);
  assert.equal(messages.length, 6);
});

test("unknown surfaces, methods and keys are reported, never used", () => {
  const { settings, messages } = Q.parse("fn=%3Cimg%20src%3Dx%3E&methods=gd,evil,sign&foo=1&lr.evil=2&decay.gd=0.5");
  assert.equal(settings.fn, "bowl");
  assert.deepEqual(settings.methods, ["gd", "sign"]);
  assert.equal(messages.length, 5);
  assert.ok(messages.some((m) => m.includes("\"<img src=x>\"")));   // quoted as text, for textContent
  assert.equal(settings.params.gd.decay, undefined);
});

test("choices and booleans are validated", () => {
  const { settings, messages } = Q.parse("epsmode.rmsprop=middle&bias.adam=maybe&init.rmsprop=2&form.momentum=heavy_ball");
  assert.equal(settings.params.rmsprop.epsmode, "outside");
  assert.equal(settings.params.adam.bias, true);
  assert.equal(settings.params.rmsprop.init, 0);
  assert.equal(settings.params.momentum.form, "heavy_ball");
  assert.equal(messages.length, 3);
});

test("bad start strings are rejected", () => {
  for (const bad of ["1", "1,2,3", "a,b", ",", "1;2"]) {
    const { settings, messages } = Q.parse("start=" + encodeURIComponent(bad));
    assert.deepEqual(settings.start, [-3.5, 1.5], bad);
    assert.equal(messages.length, 1, bad);
  }
});

test("serialize writes only known characters", () => {
  const s = Q.lectureSettings();
  const text = Q.serialize(s);
  assert.match(text, /^[A-Za-z0-9_.,=&%-]+$/);
  assert.ok(text.startsWith("fn=bowl&start=-3.5,1.5&steps=150&methods=gd,momentum,rmsprop&lr.gd=0.0952"));
});

test("kappa: parsed, clamped, rejected and written back only when it is not 20", () => {
  // Absent: the course's bowl, and the serialized link is exactly what it was before kappa.
  const lecture = Q.parse("fn=rotated&angle=30");
  assert.equal(lecture.settings.kappa, 20);
  assert.ok(!Q.serialize(lecture.settings).includes("kappa"));
  assert.ok(!Q.serialize(Q.parse("kappa=20").settings).includes("kappa"));   // 20 is the default
  // Given: bowl and rotated keep it, in the order fn, angle, kappa, start.
  for (const q of ["fn=bowl&kappa=1000", "fn=rotated&angle=45&kappa=2.5", "fn=bowl&kappa=1", "fn=bowl&kappa=10000"]) {
    const { settings, messages } = Q.parse(q);
    assert.deepEqual(messages, [], q);
    const text = Q.serialize(settings);
    assert.ok(text.startsWith(q + "&start="), text);
    assert.deepEqual(Q.parse(text).settings, settings, q);
  }
  assert.equal(Q.parse("kappa=1e3").settings.kappa, 1000);
  assert.ok(Q.serialize(Q.parse("kappa=1e3").settings).startsWith("fn=bowl&kappa=1000&"));
  // Out of range: clamped to [1, 10000] with a message, as angle is.
  for (const [raw, clamped] of [["0.5", 1], ["0", 1], ["-7", 1], ["1e5", 10000], ["10001", 10000]]) {
    const { settings, messages } = Q.parse("fn=bowl&kappa=" + raw);
    assert.equal(settings.kappa, clamped, raw);
    assert.equal(messages.length, 1, raw);
    assert.match(messages[0], /^kappa: .* is outside \[1, 10000\]; clamped to /);
  }
  // Not a number: rejected with a message, the default kept.
  for (const bad of ["abc", "", "Infinity", "NaN", "1,5", "0x10", "<b>x</b>"]) {
    const { settings, messages } = Q.parse("fn=rotated&kappa=" + encodeURIComponent(bad));
    assert.equal(settings.kappa, 20, bad);
    assert.equal(messages.length, 1, bad);
    assert.match(messages[0], /^kappa: .* is not a number; using 20\.$/);
  }
  // Other surfaces: accepted (a later switch to a bowl uses it) but not written.
  const saddle = Q.parse("fn=saddle&kappa=1000");
  assert.deepEqual(saddle.messages, []);
  assert.ok(!Q.serialize(saddle.settings).includes("kappa"));
  assert.deepEqual(Q.surfaceOptions(saddle.settings), {});
  // What the engine is given.
  assert.deepEqual(Q.surfaceOptions(Q.parse("fn=bowl&kappa=1000").settings), { kappa: 1000 });
  assert.deepEqual(Q.surfaceOptions(Q.parse("fn=rotated&angle=90&kappa=3").settings), { angle: Math.PI / 2, kappa: 3 });
  assert.deepEqual(Q.lectureSettings().kappa, 20);
});

test("the page's table of URL keys takes kappa's range from query.js (gen/playground/num_playground.py)", () => {
  const fs = require("fs");
  const page = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "playground.md"), "utf8");
  const row = page.split("\n").find((line) => line.startsWith("| `kappa` |"));
  assert.ok(row, "docs/playground.md has no kappa row");
  assert.ok(row.includes("{{ playground.kappa_range }}"), row);
  assert.ok(row.includes("{{ playground.kappa_default }}"), row);
});

test("noise and seed: parsed, validated and written back only when the noise is on or the seed set", () => {
  // Absent: no noise, seed 0, and the link is exactly what it was before noise existed.
  const lecture = Q.parse("");
  assert.equal(lecture.settings.noise, 0);
  assert.equal(lecture.settings.seed, 0);
  assert.equal(Q.noiseOption(lecture.settings), null);
  for (const q of ["", "noise=0", "noise=0&seed=0", "seed=0", "noise=-0"]) {
    const text = Q.serialize(Q.parse(q).settings);
    assert.ok(!text.includes("noise") && !text.includes("seed"), q + " -> " + text);
  }
  // Given: kept, written after fn (and kappa), in the order noise, seed; the round trip is exact.
  for (const q of ["fn=bowl&noise=0.5&seed=3", "fn=rosenbrock&noise=100&seed=4294967295", "fn=bowl&kappa=1000&noise=2.5&seed=0",
                   "fn=saddle&seed=12", "fn=rotated&angle=30&noise=1e-7&seed=1"]) {
    const { settings, messages } = Q.parse(q);
    assert.deepEqual(messages, [], q);
    const text = Q.serialize(settings);
    assert.ok(text.startsWith(q + "&start="), text);
    assert.deepEqual(Q.parse(text), { settings: settings, messages: [] }, q);
  }
  // The noise on with the default seed writes the seed, so the link names the noise it shows.
  assert.ok(Q.serialize(Q.parse("noise=0.5").settings).startsWith("fn=bowl&noise=0.5&seed=0&start="));
  assert.deepEqual(Q.noiseOption(Q.parse("noise=0.5&seed=3").settings), { sigma: 0.5, seed: 3 });
  assert.equal(Q.noiseOption(Q.parse("noise=0&seed=3").settings), null);
  // noise out of range: clamped to [0, 100] with a message, as kappa is.
  for (const [raw, clamped] of [["-1", 0], ["-1e300", 0], ["1000", 100], ["100.5", 100]]) {
    const { settings, messages } = Q.parse("noise=" + raw + "&seed=5");
    assert.equal(settings.noise, clamped, raw);
    assert.equal(settings.seed, 5, raw);
    assert.deepEqual(messages, ["noise: " + Number(raw) + " is outside [0, 100]; clamped to " + clamped + "."], raw);
  }
  // noise not a number: rejected, noise stays off.
  for (const bad of ["abc", "", "Infinity", "NaN", "1,5", "0x10", "1e999", "<img src=x onerror=alert(1)>"]) {
    const { settings, messages } = Q.parse("noise=" + encodeURIComponent(bad));
    assert.equal(settings.noise, 0, bad);
    assert.equal(messages.length, 1, bad);
    assert.match(messages[0], /^noise: ".*" is not a number; using 0\.$/, bad);
  }
  // seed: a whole number in [0, 2^32) or refused with a message (not clamped: a seed names a
  // noise sequence, and a neighbouring one is not "closer").
  for (const bad of ["1e20", "4294967296", "-1", "1.5", "abc", "", "NaN", "0x10", "<b>x</b>", "9".repeat(60)]) {
    const { settings, messages } = Q.parse("noise=1&seed=" + encodeURIComponent(bad));
    assert.equal(settings.seed, 0, bad);
    assert.equal(settings.noise, 1, bad);
    assert.equal(messages.length, 1, bad);
    assert.match(messages[0], /^seed: ".*" is not a whole number from 0 to 4294967295; using 0\.$/, bad);
    assert.ok(messages[0].length < 120, messages[0]);   // a long value is shortened for the message
  }
  for (const [raw, seed] of [["4294967295", 4294967295], ["0", 0], ["-0", 0], ["1e3", 1000], ["+7", 7]]) {
    const r = Q.parse("seed=" + raw);
    assert.deepEqual(r.messages, [], raw);
    assert.ok(Object.is(r.settings.seed, seed), raw);
  }
  // The form's check is the URL's.
  assert.deepEqual(Q.checkSeed("42", "Seed", 7), { value: 42, message: null });
  assert.deepEqual(Q.checkSeed("x", "Seed", 7), { value: undefined, message: "Seed: \"x\" is not a whole number from 0 to 4294967295; using 7." });
  assert.equal(Q.NOISE.max, 100);
  assert.equal(Q.SEED.max, 2 ** 32 - 1);
});

test("the page's table of URL keys takes the noise's and the seed's ranges from query.js", () => {
  const fs = require("fs");
  const page = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "playground.md"), "utf8");
  const lines = page.split("\n");
  const noise = lines.find((line) => line.startsWith("| `noise` |"));
  const seed = lines.find((line) => line.startsWith("| `seed` |"));
  assert.ok(noise && seed, "docs/playground.md has no noise or seed row");
  assert.ok(noise.includes("{{ playground.noise_range }}"), noise);
  assert.ok(seed.includes("{{ playground.seed_range }}"), seed);
});

test("fn=custom: the formula f and the view box round-trip; the link writes view only when it is not the default", () => {
  const formula = "x^2 + 10*y^2";
  const q = "fn=custom&f=" + encodeURIComponent(formula);
  const { settings, messages } = Q.parse(q);
  assert.deepEqual(messages, []);
  assert.equal(settings.fn, "custom");
  assert.equal(settings.f, formula);
  assert.deepEqual(settings.view, [[-4, 4], [-4, 4]]);
  const text = Q.serialize(settings);
  assert.ok(text.startsWith("fn=custom&f=x%5E2%20%2B%2010*y%5E2&start=-3.5,1.5&steps=150&"), text);
  assert.deepEqual(Q.parse(text), { settings: settings, messages: [] });
  assert.deepEqual(Q.surfaceOptions(settings), { formula: formula, view: [[-4, 4], [-4, 4]] });
  // A view box: kept, clamps the start, and is written after f; commas stay readable.
  const boxed = Q.parse("fn=custom&f=min(x,y)%5E2&view=-1,2,-0.5,1.5&start=5,-5");
  assert.deepEqual(boxed.settings.view, [[-1, 2], [-0.5, 1.5]]);
  assert.deepEqual(boxed.settings.start, [2, -0.5]);
  assert.deepEqual(boxed.messages, ["start: (5, -5) is outside the view; moved to (2, -0.5)."]);
  const boxedText = Q.serialize(boxed.settings);
  assert.ok(boxedText.startsWith("fn=custom&f=min(x,y)%5E2&view=-1,2,-0.5,1.5&start=2,-0.5&"), boxedText);
  assert.deepEqual(Q.parse(boxedText), { settings: boxed.settings, messages: [] });
  assert.ok(!Q.serialize(Q.parse(q + "&view=-4,4,-4,4").settings).includes("view"));
  // Other surfaces keep their own view and never write f or view (every existing link stays).
  const bowl = Q.parse("fn=bowl&f=x&view=0,1,0,1&start=3,1");
  assert.deepEqual(bowl.messages, []);
  assert.deepEqual(bowl.settings.start, [3, 1]);
  assert.ok(!/(^|&)(f|view)=/.test(Q.serialize(bowl.settings)));
  assert.deepEqual(Q.viewOf(bowl.settings), [[-4, 4], [-2, 2]]);
  assert.deepEqual(Q.viewOf(boxed.settings), [[-1, 2], [-0.5, 1.5]]);
  assert.deepEqual(Q.clampStart("custom", [9, 9], [[0, 1], [0, 2]]), [1, 2]);
  assert.equal(Q.lectureSettings().f, Q.DEFAULT_FORMULA);
});

test("fn=custom without a valid formula: the parser's message, and the course bowl instead", () => {
  const cases = [
    ["fn=custom", /^fn: custom needs a formula f in x and y, e\.g\. x\^2\/2 \+ 10\*y\^2; showing the course bowl\.$/],
    ["fn=custom&f=", /^f: the formula is empty/],
    ["fn=custom&f=2x", /^f: expected an operator .* at position 2, found the name "x"; showing the course bowl\.$/],
    ["fn=custom&f=x^2+10*y^2", /at position 5, found the number "10" \(in a link, write \+ as %2B: a bare \+ reads as a space\); showing/],
    ["fn=custom&f=constructor", /^f: unknown name "constructor" at position 1/],
    ["fn=custom&f=__proto__", /^f: unknown name "__proto__" at position 1/],
    ["fn=custom&f=alert(1)", /^f: unknown name "alert" at position 1/],
    ["fn=custom&f=" + encodeURIComponent("<script>alert(1)</script>"), /^f: unexpected character "<" at position 1; showing/],
    ["fn=custom&f=" + encodeURIComponent("<img src=x onerror=alert(1)>"), /^f: unexpected character "<" at position 1; showing/],
    ["fn=custom&f=" + "x".repeat(10000), /^f: the formula has 10000 characters; at most 500 are allowed; showing/],
    ["fn=custom&f=" + "(".repeat(1000) + "x" + ")".repeat(1000), /^f: the formula has 2001 characters/],
    ["fn=custom&f=" + "(".repeat(100) + "x" + ")".repeat(100), /^f: the formula is nested too deeply at position 65/]
  ];
  for (const [q, pattern] of cases) {
    const { settings, messages } = Q.parse(q);
    assert.equal(settings.fn, "bowl", q.slice(0, 40));
    assert.equal(settings.f, Q.DEFAULT_FORMULA, q.slice(0, 40));
    assert.equal(messages.length, 1, q.slice(0, 40));
    assert.match(messages[0], pattern, q.slice(0, 40));
    assert.ok(messages[0].length < 300, messages[0].slice(0, 80));
    assert.ok(Q.serialize(settings).startsWith("fn=bowl&start=-3.5,1.5&"));
  }
  // A bad formula with another surface is reported too, and changes nothing else.
  const other = Q.parse("fn=saddle&f=sin(");
  assert.equal(other.settings.fn, "saddle");
  assert.match(other.messages[0], /^f: expected a number, x, y, pi, e, a function or "\(" at position 5, found the end of the formula\.$/);
  // The form's check is the URL's.
  assert.deepEqual(Q.checkFormula("  x*y ", "Formula"), { value: "x*y", message: null });
  assert.match(Q.checkFormula("x*", "Formula").message, /^Formula: expected .* at position 3/);
});

test("view: four numbers, inside the bound, xmin < xmax, ymin < ymax, sides at least 0.001 and at most 10:1", () => {
  for (const bad of ["1,2,3", "a,b,c,d", "", "1,2,3,4,5", "0,1,0,Infinity", "<b>,1,2,3", "4,-4,-4,4", "0,0,0,1",
                     "0,1e-4,0,1e-4", "-100,100,-1,1", "0,1,0,11", "-2e6,0,0,1e6", "0,1,2,1"]) {
    const { settings, messages } = Q.parse("fn=custom&f=x*y&view=" + encodeURIComponent(bad));
    assert.equal(settings.fn, "custom", bad);
    assert.deepEqual(settings.view, [[-4, 4], [-4, 4]], bad);
    assert.equal(messages.length, 1, bad);
    assert.match(messages[0], /^view: ".*" (is not four numbers|has|needs).*; using -4,4,-4,4\.$/, bad);
  }
  for (const [raw, box] of [["-1,1,-1,1", [[-1, 1], [-1, 1]]], [" 0 , 10 , -0 , 1 ", [[0, 10], [0, 1]]],
                            ["-1e6,1e6,-1e6,1e6", [[-1e6, 1e6], [-1e6, 1e6]]], ["0,0.001,0,0.01", [[0, 0.001], [0, 0.01]]]]) {
    const r = Q.parse("fn=custom&f=x&view=" + encodeURIComponent(raw));
    assert.deepEqual(r.messages, [], raw);
    assert.deepEqual(r.settings.view, box, raw);
    assert.ok(Object.is(r.settings.view[1][0], box[1][0]), raw);
  }
  assert.deepEqual(Q.checkView("0,1,0,1", "View box", [[-4, 4], [-4, 4]]), { value: [[0, 1], [0, 1]], message: null });
  assert.equal(Q.checkView("x", "View box", [[0, 1], [0, 2]]).message, "View box: \"x\" is not four numbers \"xmin,xmax,ymin,ymax\"; using 0,1,0,2.");
});

test("keys that name Object.prototype's members are unknown settings, not lookups", () => {
  const { settings, messages } = Q.parse("__proto__=1&constructor=2&toString=3&hasOwnProperty=4");
  assert.equal(settings.fn, "bowl");
  assert.deepEqual(messages, ["__proto__", "constructor", "toString", "hasOwnProperty"].map((k) => "Unknown setting \"" + k + "\" ignored."));
  assert.equal({}.polluted, undefined);
});

test("speed: one of the menu's speeds, written back only when it is not the default; anything else reported", () => {
  assert.equal(Q.parse("").settings.speed, Q.SPEED.fallback);
  assert.ok(Q.SPEED.choices.indexOf(Q.SPEED.fallback) >= 0);
  assert.ok(!Q.serialize(Q.parse("").settings).includes("speed"));
  for (const v of Q.SPEED.choices) {
    const { settings, messages } = Q.parse("speed=" + v);
    assert.deepEqual(messages, []);
    assert.equal(settings.speed, v);
    assert.equal(Q.serialize(settings).includes("speed=" + v), v !== Q.SPEED.fallback);
    assert.deepEqual(Q.parse(Q.serialize(settings)).settings, settings);
  }
  for (const bad of ["7", "fast", "", "1e999", "-15", "<b>x</b>"]) {
    const { settings, messages } = Q.parse("speed=" + encodeURIComponent(bad));
    assert.equal(settings.speed, Q.SPEED.fallback, bad);
    assert.equal(messages.length, 1, bad);
    assert.ok(messages[0].startsWith("speed: " + JSON.stringify(bad) + " must be one of " + Q.SPEED.choices.join(", ")), messages[0]);
  }
});

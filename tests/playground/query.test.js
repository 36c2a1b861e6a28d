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

test("the page's table of URL keys takes kappa's range from query.js (gen/num_playground.py)", () => {
  const fs = require("fs");
  const page = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "playground.md"), "utf8");
  const row = page.split("\n").find((line) => line.startsWith("| `kappa` |"));
  assert.ok(row, "docs/playground.md has no kappa row");
  assert.ok(row.includes("{{ playground.kappa_range }}"), row);
  assert.ok(row.includes("{{ playground.kappa_default }}"), row);
});

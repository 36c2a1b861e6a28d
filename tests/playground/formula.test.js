/* node --test tests/playground/formula.test.js — the Playground's formula parser (formula.js):
 * precedence, associativity, errors with positions, hostile inputs, and exact gradients. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const path = require("path");
const FILE = path.join(__dirname, "..", "..", "docs", "javascripts", "playground", "formula.js");
const F = require(FILE);

function value(text, x, y) { return F.compile(text).value([x, y]); }
function errorOf(text) {
  try { F.parse(text); } catch (e) { return e; }
  assert.fail("expected an error for " + JSON.stringify(String(text).slice(0, 40)));
}

test("precedence and associativity", () => {
  const cases = [
    ["-x^2", -9], ["(-x)^2", 9], ["-2^2", -4], ["2^3^2", 512], ["(2^3)^2", 64], ["2^-1", 0.5],
    ["2^-2^2", 1 / 16], ["x - y - 1", 0], ["8/4/2", 1], ["2*3^2", 18], ["1 + 2*3", 7], ["(1 + 2)*3", 9],
    ["x*-y", -6], ["x--y", 5], ["--x", 3], ["1e-3", 0.001], ["2.5E+2", 250], [".5 + 1.", 1.5],
    ["pi", Math.PI], ["e", Math.E], ["min(x, y) + max(x, y)", 5], ["min(-x, y)", -3], ["  x\t*\ny ", 6]
  ];
  for (const [text, want] of cases) assert.equal(value(text, 3, 2), want, text);
  assert.deepEqual(F.parse("-x^2"), ["neg", ["pow", ["var", 0], ["num", 2]]]);
  assert.deepEqual(F.parse("x - y + 1"), ["sum", ["var", 0], [["-", ["var", 1]], ["+", ["num", 1]]]]);
  assert.deepEqual(F.parse("2^3^2"), ["pow", ["num", 2], ["pow", ["num", 3], ["num", 2]]]);
});

test("functions, constants and the conventions shared with the core", () => {
  assert.equal(value("sin(pi/2) + cos(0) + tan(0)", 0, 0), 2);
  assert.equal(value("exp(0) + log(e) + sqrt(16) + abs(-3) + tanh(0)", 0, 0), 9);
  const abs = F.compile("abs(x)");
  assert.deepEqual(abs.grad([0, 1]), [0, 0]);                      // abs'(0) = 0
  assert.deepEqual(abs.grad([-2, 1]).map((v) => v + 0), [-1, 0]);   // (-1 * 0 is -0, as in numpy)
  assert.deepEqual(F.compile("min(x, y)").grad([1, 1]), [1, 0]);    // ties: the first argument
  assert.deepEqual(F.compile("max(y, x)").grad([1, 1]), [0, 1]);
  assert.ok(Number.isNaN(value("min(sqrt(x), y)", -1, 2)));         // NaN propagates
  assert.equal(value("x^3", 1.1, 0), 1.1 * 1.1 * 1.1);              // integer powers are products
  assert.equal(value("x^-2", 3, 0), 1 / (3 * 3));
  assert.equal(value("x^0", NaN, 0), 1);
  assert.ok(Number.isNaN(value("(-8)^(1/3)", 0, 0)));
  assert.equal(value("1^y", 0, NaN), 1);                            // C's pow, as numpy's
  assert.equal(value("1/x", 0, 0), Infinity);
  assert.equal(F.compile(" x^2 ").text, "x^2");
});

function centralDifference(f, p, h) {
  return [0, 1].map((i) => {
    const a = p.slice(), b = p.slice();
    a[i] += h; b[i] -= h;
    return (f.value(a) - f.value(b)) / (2 * h);
  });
}

test("gradients are exact: they match central differences", () => {
  const formulas = [
    "x^2 + 10*y^2", "(1 - x)^2 + 100*(y - x^2)^2", "sin(3*x) * cos(2*y) + x/4", "tan(x/3) - tanh(y)",
    "exp(-(x^2 + y^2)/2) * log(2 + x*y)", "sqrt(5 + x^2 + y) / (2 + y^2)", "abs(x - 0.3) + abs(y + 0.1)",
    "min(x, y)^2 + max(x^2, y)", "x^y", "(2 + x)^(1 + y/3)", "2^x - e^(-y)", "x^0.5 + y^-3 + x^2.5",
    "-x^2 - -y^3", "pi*x + e*y"
  ];
  let seed = 7;
  const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  for (const text of formulas) {
    const f = F.compile(text);
    for (let k = 0; k < 40; k++) {
      const p = [0.5 + random(), 0.5 + random()];
      if (Math.abs(p[0] - p[1]) < 0.01 || Math.abs(p[0] * p[0] - p[1]) < 0.01) continue;
      const g = f.grad(p), fd = centralDifference(f, p, 1e-6);
      for (let i = 0; i < 2; i++) {
        assert.ok(Math.abs(g[i] - fd[i]) <= 1e-6 * (1 + Math.abs(fd[i])), `${text} at ${p}: ${g} vs ${fd}`);
      }
      assert.equal(f.dual(p)[0], f.value(p), text);                  // the dual's value is the value
    }
  }
});

test("errors name the position and what was expected", () => {
  const cases = [
    ["2x", 2, "expected an operator (+, -, *, / or ^) or the end of the formula at position 2, found the name \"x\""],
    ["x + ", 5, "at position 5, found the end of the formula"],
    ["sqrt(x", 7, "(sqrt takes 1 argument) at position 7"],
    ["sin(x, y)", 6, "(sin takes 1 argument) at position 6, found \",\""],
    ["min(x)", 6, "(min takes 2 arguments) at position 6, found \")\""],
    ["sin x", 5, "expected \"(\" after sin at position 5"],
    ["x # y", 3, "unexpected character \"#\" at position 3"],
    ["x\u00a0+ y", 2, "unexpected character U+00A0 at position 2"],
    ["1e999", 1, "the number \"1e999\" at position 1 is too large"],
    ["X", 1, "unknown name \"X\" at position 1"]
  ];
  for (const [text, position, words] of cases) {
    const e = errorOf(text);
    assert.equal(e.name, "FormulaError", text);
    assert.equal(e.position, position, text);
    assert.ok(e.message.includes(words), `${text}: ${e.message}`);
  }
  assert.match(errorOf("").message, /empty/);
  assert.match(errorOf("   ").message, /empty/);
  assert.deepEqual(F.check("x^2"), null);
  assert.deepEqual(F.check("2x"), { message: errorOf("2x").message, position: 2 });
});

test("hostile formulas are errors: no prototype lookups, no code, bounded length and depth", () => {
  const before = Object.getOwnPropertyNames(Object.prototype).sort();
  for (const text of ["constructor", "__proto__", "toString(x)", "hasOwnProperty(x)", "valueOf", "prototype",
                      "constructor.constructor", "__proto__(x)", "alert(1)", "eval(x)", "Function(x)"]) {
    const e = errorOf(text);
    assert.equal(e.name, "FormulaError", text);
    assert.equal(e.position, 1, text);
    assert.match(e.message, /^unknown name "/, text);
  }
  for (const text of ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "x'", "`x`", "x; y", "${x}"]) {
    assert.match(errorOf(text).message, /unexpected character/, text);
  }
  assert.match(errorOf("x".repeat(10000)).message, /^the formula has 10000 characters; at most 500 are allowed$/);
  assert.match(errorOf("(".repeat(1000) + "x" + ")".repeat(1000)).message, /has 2001 characters/);
  const deep = errorOf("(".repeat(65) + "x" + ")".repeat(65));
  assert.equal(deep.position, 65);
  assert.match(deep.message, /nested too deeply/);
  assert.equal(value("(".repeat(64) + "x" + ")".repeat(64), 2, 0), 2);
  assert.match(errorOf("-".repeat(65) + "x").message, /nested too deeply/);
  assert.match(errorOf("x" + "^x".repeat(65)).message, /nested too deeply/);
  const longest = "x" + "+x".repeat(249) + " ";
  assert.equal(longest.length, 500);
  assert.equal(value(longest, 1, 0), 250);
  for (const bad of [null, undefined, 3, {}, ["x"]]) assert.match(errorOf(bad).message, /must be a string/);
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), before);
  assert.equal({}.polluted, undefined);
});

test("the parser runs no code: eval, Function and timers are never used", () => {
  const source = fs.readFileSync(FILE, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
  for (const word of ["eval", "Function(", "setTimeout", "setInterval", "innerHTML", "document", "new Function"]) {
    assert.ok(!source.includes(word), word);
  }
  const saved = { eval: global.eval, Function: global.Function };
  global.eval = () => { throw new Error("eval called"); };
  try {
    const s = Math.sin(0.3), c = Math.cos(0.3);
    assert.equal(F.compile("sin(x)^2 + cos(x)^2").value([0.3, 0]), s * s + c * c);
  } finally {
    global.eval = saved.eval;
  }
});

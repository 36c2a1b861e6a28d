/*
 * formula.js — "your own formula": a surface f(x, y) typed by the reader, parsed and
 * differentiated in the browser.
 *
 * A small hand-written recursive-descent parser (never eval, Function, setTimeout(string) or
 * HTML) turns the text into a tree, and the tree into closures that compute f and its exact
 * gradient by forward-mode automatic differentiation: every node returns [f, df/dx, df/dy]
 * (dual numbers), not a finite difference. It is a second implementation of
 * rmsprop_core/formula.py, with the same grammar, the same error messages and the same
 * operations in the same order, so that the Playground's trajectories on a formula equal the
 * core's rc.run(opt, rc.objectives.formula(text), x0, steps) to 1e-9
 * (tests/playground/test_parity.py). Change one, change the other.
 *
 * Language: numbers (2, 0.5, .5, 1e-3), x, y, pi, e, + - * / ^, parentheses, unary minus,
 * sin cos tan exp log sqrt abs tanh (one argument), min max (two).
 *   expr  := term (("+" | "-") term)*
 *   term  := unary (("*" | "/") unary)*
 *   unary := "-" unary | power              so -x^2 is -(x^2), as in mathematics
 *   power := atom ("^" unary)?              right-associative: 2^3^2 = 2^9
 *   atom  := number | x | y | pi | e | name "(" expr ["," expr] ")" | "(" expr ")"
 * At most MAX_LENGTH characters and MAX_DEPTH nested parentheses, calls, minus signs and
 * powers (so no input can exhaust the stack). Conventions (as in the core): a constant
 * integer exponent |k| <= 64 is a product of k factors; abs'(0) = 0; min/max take the first
 * argument at a tie and are NaN if either argument is; a variable exponent needs a positive
 * base (a^b = exp(b ln a)).
 *
 * Browser global window.rcFormula; Node: module.exports.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.rcFormula = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var MAX_LENGTH = 500;
  var MAX_DEPTH = 64;
  var MAX_INTEGER_POWER = 64;
  var FUNCTION_NAMES = ["sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "min", "max"];
  var ARITY = { sin: 1, cos: 1, tan: 1, exp: 1, log: 1, sqrt: 1, abs: 1, tanh: 1, min: 2, max: 2 };
  var CONSTANTS = { pi: Math.PI, e: Math.E };

  // Own properties only: "constructor", "__proto__" and "toString" are not names here.
  function own(table, key) { return Object.prototype.hasOwnProperty.call(table, key); }

  var NUMBER = /(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/y;
  var NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
  var SPACE = " \t\r\n";
  var OPERATORS = "+-*/^(),";

  function FormulaError(message, position) {
    var e = new Error(message);
    e.name = "FormulaError";
    e.position = position === undefined ? null : position;
    return e;
  }

  // ----- tokens ------------------------------------------------------------------------------

  function char(text, i) {
    var code = text.codePointAt(i);
    if (code >= 0x21 && code <= 0x7E) return "\"" + text[i] + "\"";
    var hex = code.toString(16).toUpperCase();
    while (hex.length < 4) hex = "0" + hex;
    return "U+" + hex;
  }

  function short(text) { return text.length <= 20 ? text : text.slice(0, 20) + "\u2026"; }

  /**
   * The token at or after index i (after spaces): [[kind, text, position], next index]; kind
   * "num", "name", an operator character, or "end". Read one at a time as the parser asks, so
   * the first error from the left is the one reported.
   */
  function scan(text, i) {
    var n = text.length, m;
    while (i < n && SPACE.indexOf(text[i]) >= 0) i++;
    if (i === n) return [["end", "", n + 1], n];
    NUMBER.lastIndex = i;
    m = NUMBER.exec(text);
    if (m && m[0].length > 0) return [["num", m[0], i + 1], i + m[0].length];
    NAME.lastIndex = i;
    m = NAME.exec(text);
    if (m) return [["name", m[0], i + 1], i + m[0].length];
    var ch = text[i];
    if (OPERATORS.indexOf(ch) >= 0) return [[ch, ch, i + 1], i + 1];
    throw FormulaError("unexpected character " + char(text, i) + " at position " + (i + 1), i + 1);
  }

  function found(token) {
    if (token[0] === "end") return "the end of the formula";
    if (token[0] === "num") return "the number \"" + short(token[1]) + "\"";
    if (token[0] === "name") return "the name \"" + short(token[1]) + "\"";
    return "\"" + token[1] + "\"";
  }

  // ----- parsing: text -> tree ---------------------------------------------------------------
  //
  // ["num", v] | ["var", 0 or 1] | ["neg", a] | ["sum", a, [["+" or "-", b], ...]]
  // | ["prod", a, [["*" or "/", b], ...]] | ["pow", a, b] | ["call", name, [args]]
  // (the core's tuples, as JSON: the parity test compares the two trees)

  var ATOM = "a number, x, y, pi, e, a function or \"(\"";
  var OPERATOR = "an operator (+, -, *, / or ^)";

  function Parser(text) {
    var first = scan(text, 0);
    this.text = text; this.tok = first[0]; this.next = first[1]; this.depth = 0;
  }
  Parser.prototype.peek = function () { return this.tok; };
  Parser.prototype.take = function () {
    var tok = this.tok, r = scan(this.text, this.next);
    this.tok = r[0]; this.next = r[1];
    return tok;
  };
  Parser.prototype.fail = function (what) {
    var t = this.peek();
    throw FormulaError("expected " + what + " at position " + t[2] + ", found " + found(t), t[2]);
  };
  Parser.prototype.enter = function (token) {
    this.depth++;
    if (this.depth > MAX_DEPTH) {
      throw FormulaError("the formula is nested too deeply at position " + token[2] + ": at most " + MAX_DEPTH +
                         " levels of parentheses, functions, minus signs and powers", token[2]);
    }
  };
  Parser.prototype.leave = function () { this.depth--; };
  Parser.prototype.parse = function () {
    var tree = this.expr();
    if (this.peek()[0] !== "end") this.fail(OPERATOR + " or the end of the formula");
    return tree;
  };
  Parser.prototype.expr = function () {
    var first = this.term(), rest = [];
    while (this.peek()[0] === "+" || this.peek()[0] === "-") {
      var op = this.take()[0];
      rest.push([op, this.term()]);
    }
    return rest.length ? ["sum", first, rest] : first;
  };
  Parser.prototype.term = function () {
    var first = this.unary(), rest = [];
    while (this.peek()[0] === "*" || this.peek()[0] === "/") {
      var op = this.take()[0];
      rest.push([op, this.unary()]);
    }
    return rest.length ? ["prod", first, rest] : first;
  };
  Parser.prototype.unary = function () {
    if (this.peek()[0] === "-") {
      this.enter(this.take());
      var inner = this.unary();
      this.leave();
      return ["neg", inner];
    }
    return this.power();
  };
  Parser.prototype.power = function () {
    var base = this.atom();
    if (this.peek()[0] === "^") {
      this.enter(this.take());
      var exponent = this.unary();
      this.leave();
      return ["pow", base, exponent];
    }
    return base;
  };
  Parser.prototype.atom = function () {
    var tok = this.peek(), kind = tok[0], text = tok[1], pos = tok[2];
    // A token is checked before the next one is read: the leftmost error is reported.
    if (kind === "num") {
      var v = Number(text);
      if (!isFinite(v)) throw FormulaError("the number \"" + short(text) + "\" at position " + pos + " is too large", pos);
      this.take();
      return ["num", v];
    }
    if (kind === "name") {
      if (text !== "x" && text !== "y" && !own(CONSTANTS, text) && !own(ARITY, text)) {
        throw FormulaError("unknown name \"" + short(text) + "\" at position " + pos + ": use x, y, pi, e or a function (" +
                           FUNCTION_NAMES.join(", ") + ")", pos);
      }
      this.take();
      if (text === "x" || text === "y") return ["var", text === "x" ? 0 : 1];
      if (own(CONSTANTS, text)) return ["num", CONSTANTS[text]];
      return this.call(text);
    }
    if (kind === "(") {
      this.enter(this.take());
      var inner = this.expr();
      if (this.peek()[0] !== ")") this.fail(OPERATOR + " or \")\"");
      this.take();
      this.leave();
      return inner;
    }
    return this.fail(ATOM);
  };
  Parser.prototype.call = function (name) {
    var arity = ARITY[name];
    if (this.peek()[0] !== "(") this.fail("\"(\" after " + name);
    this.enter(this.take());
    var args = [this.expr()];
    while (args.length < arity) {
      if (this.peek()[0] !== ",") this.fail(OPERATOR + " or \",\" (" + name + " takes " + arity + " arguments)");
      this.take();
      args.push(this.expr());
    }
    if (this.peek()[0] !== ")") this.fail(OPERATOR + " or \")\" (" + name + " takes " + arity + " argument" + (arity > 1 ? "s" : "") + ")");
    this.take();
    this.leave();
    return ["call", name, args];
  };

  function strip(text) { return text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ""); }

  /** The parse tree of text; throws a FormulaError (err.position counts from 1). */
  function parse(text) {
    if (typeof text !== "string") throw FormulaError("the formula must be a string, got " + typeof text);
    if (text.length > MAX_LENGTH) {
      throw FormulaError("the formula has " + text.length + " characters; at most " + MAX_LENGTH + " are allowed");
    }
    if (!strip(text)) throw FormulaError("the formula is empty: write an expression in x and y, e.g. x^2 + 10*y^2");
    return new Parser(text).parse();
  }

  // ----- compiling: tree -> closures ---------------------------------------------------------
  //
  // Each node becomes val(x, y) -> f and dual(x, y) -> [f, df/dx, df/dy], doing the same
  // operations on the value, in the core's order.

  /** C's pow (what numpy calls): pow(1, y) = 1 and pow(-1, +-inf) = 1, where Math.pow gives NaN. */
  function cpow(a, b) {
    if (a === 1 || (a === -1 && (b === Infinity || b === -Infinity))) return 1;
    return Math.pow(a, b);
  }
  function sign(a) { return a > 0 ? 1 : a < 0 ? -1 : a === 0 ? 0 : NaN; }

  function hasVar(node) {
    switch (node[0]) {
      case "var": return true;
      case "num": return false;
      case "neg": return hasVar(node[1]);
      case "sum": case "prod":
        return hasVar(node[1]) || node[2].some(function (r) { return hasVar(r[1]); });
      case "pow": return hasVar(node[1]) || hasVar(node[2]);
      default: return node[2].some(hasVar);
    }
  }

  function compileNode(node) {
    switch (node[0]) {
      case "num": {
        var c = node[1];
        return { val: function () { return c; }, dual: function () { return [c, 0, 0]; } };
      }
      case "var":
        return node[1] === 0
          ? { val: function (x) { return x; }, dual: function (x) { return [x, 1, 0]; } }
          : { val: function (x, y) { return y; }, dual: function (x, y) { return [y, 0, 1]; } };
      case "neg": {
        var a = compileNode(node[1]);
        return {
          val: function (x, y) { return -a.val(x, y); },
          dual: function (x, y) { var d = a.dual(x, y); return [-d[0], -d[1], -d[2]]; }
        };
      }
      case "sum": return chainSum(compileNode(node[1]), node[2].map(function (r) { return [r[0] === "+", compileNode(r[1])]; }));
      case "prod": return chainProd(compileNode(node[1]), node[2].map(function (r) { return [r[0] === "*", compileNode(r[1])]; }));
      case "pow": return power(node[1], node[2]);
      default: return call(node[1], node[2].map(compileNode));
    }
  }

  function chainSum(first, rest) {
    return {
      val: function (x, y) {
        var acc = first.val(x, y);
        for (var k = 0; k < rest.length; k++) acc = rest[k][0] ? acc + rest[k][1].val(x, y) : acc - rest[k][1].val(x, y);
        return acc;
      },
      dual: function (x, y) {
        var d = first.dual(x, y), a = d[0], ax = d[1], ay = d[2];
        for (var k = 0; k < rest.length; k++) {
          var e = rest[k][1].dual(x, y);
          if (rest[k][0]) { a = a + e[0]; ax = ax + e[1]; ay = ay + e[2]; }
          else { a = a - e[0]; ax = ax - e[1]; ay = ay - e[2]; }
        }
        return [a, ax, ay];
      }
    };
  }

  function chainProd(first, rest) {
    return {
      val: function (x, y) {
        var acc = first.val(x, y);
        for (var k = 0; k < rest.length; k++) acc = rest[k][0] ? acc * rest[k][1].val(x, y) : acc / rest[k][1].val(x, y);
        return acc;
      },
      dual: function (x, y) {
        var d = first.dual(x, y), a = d[0], ax = d[1], ay = d[2];
        for (var k = 0; k < rest.length; k++) {
          var e = rest[k][1].dual(x, y), b = e[0], bx = e[1], by = e[2];
          if (rest[k][0]) {            // (ab)' = a'b + ab'
            var nx = ax * b + a * bx, ny = ay * b + a * by;
            a = a * b; ax = nx; ay = ny;
          } else {                     // (a/b)' = (a' - (a/b) b') / b
            var q = a / b;
            a = q; ax = (ax - q * bx) / b; ay = (ay - q * by) / b;
          }
        }
        return [a, ax, ay];
      }
    };
  }

  /** a^m for an integer m >= 0 as m - 1 products (a*a*a for m = 3), 1 for m = 0. */
  function ipow(a, m) {
    if (m === 0) return 1;
    var out = a;
    for (var k = 1; k < m; k++) out = out * a;
    return out;
  }

  function power(baseNode, exponentNode) {
    var a = compileNode(baseNode), b = compileNode(exponentNode);
    if (!hasVar(exponentNode)) {
      var c = b.val(0, 0);
      if (isFinite(c) && Math.floor(c) === c && Math.abs(c) <= MAX_INTEGER_POWER) return integerPower(a, c + 0);
      return constantPower(a, c);
    }
    return {
      val: function (x, y) { return cpow(a.val(x, y), b.val(x, y)); },
      dual: function (x, y) {          // (a^b)' = a^b (b' ln a + b a'/a)
        var d = a.dual(x, y), e = b.dual(x, y);
        var v = cpow(d[0], e[0]), la = Math.log(d[0]);
        return [v, v * (e[1] * la + e[0] * (d[1] / d[0])), v * (e[2] * la + e[0] * (d[2] / d[0]))];
      }
    };
  }

  function integerPower(a, k) {
    if (k === 0) {
      return { val: function () { return 1; },
               dual: function (x, y) { var d = a.dual(x, y); return [1, 0 * d[1], 0 * d[2]]; } };
    }
    var m = Math.abs(k);
    if (k > 0) {
      return {
        val: function (x, y) { var v = a.val(x, y); return ipow(v, m - 1) * v; },
        dual: function (x, y) {        // (a^k)' = k a^(k-1) a'
          var d = a.dual(x, y), p = ipow(d[0], m - 1), coef = k * p;
          return [p * d[0], coef * d[1], coef * d[2]];
        }
      };
    }
    return {
      val: function (x, y) { var v = a.val(x, y); return 1 / (ipow(v, m - 1) * v); },
      dual: function (x, y) {          // (a^-m)' = -m / a^(m+1) a'
        var d = a.dual(x, y), full = ipow(d[0], m - 1) * d[0], coef = k / (full * d[0]);
        return [1 / full, coef * d[1], coef * d[2]];
      }
    };
  }

  function constantPower(a, c) {
    var c1 = c - 1;
    return {
      val: function (x, y) { return cpow(a.val(x, y), c); },
      dual: function (x, y) {          // (a^c)' = c a^(c-1) a'
        var d = a.dual(x, y), coef = c * cpow(d[0], c1);
        return [cpow(d[0], c), coef * d[1], coef * d[2]];
      }
    };
  }

  /** f(a) with (f(a))' = slope(a, f(a)) a'. */
  function chainRule(a, f, slope) {
    return {
      val: function (x, y) { return f(a.val(x, y)); },
      dual: function (x, y) {
        var d = a.dual(x, y), v = f(d[0]), s = slope(d[0], v);
        return [v, s * d[1], s * d[2]];
      }
    };
  }

  function call(name, args) {
    var a = args[0];
    switch (name) {
      case "min": return extremum(true, args[0], args[1]);
      case "max": return extremum(false, args[0], args[1]);
      case "sin": return chainRule(a, Math.sin, function (u) { return Math.cos(u); });
      case "cos": return chainRule(a, Math.cos, function (u) { return -Math.sin(u); });
      case "tan": return chainRule(a, Math.tan, function (u, v) { return 1 + v * v; });
      case "exp": return chainRule(a, Math.exp, function (u, v) { return v; });
      case "log":
        return { val: function (x, y) { return Math.log(a.val(x, y)); },
                 dual: function (x, y) { var d = a.dual(x, y); return [Math.log(d[0]), d[1] / d[0], d[2] / d[0]]; } };
      case "sqrt":
        return { val: function (x, y) { return Math.sqrt(a.val(x, y)); },
                 dual: function (x, y) {
                   var d = a.dual(x, y), v = Math.sqrt(d[0]);
                   return [v, d[1] / (v + v), d[2] / (v + v)];
                 } };
      case "abs": return chainRule(a, Math.abs, function (u) { return sign(u); });
      case "tanh": return chainRule(a, Math.tanh, function (u, v) { return 1 - v * v; });
      default: throw new Error("unknown function " + name);   // the parser knows no other names
    }
  }

  function extremum(isMin, first, second) {
    function pick(a, b) {                // 0: the first, 1: the second, -1: NaN
      if (isMin ? a <= b : a >= b) return 0;
      if (isMin ? b < a : b > a) return 1;
      return -1;
    }
    return {
      val: function (x, y) {
        var a = first.val(x, y), b = second.val(x, y), p = pick(a, b);
        return p === 0 ? a : p === 1 ? b : NaN;
      },
      dual: function (x, y) {
        var d = first.dual(x, y), e = second.dual(x, y), p = pick(d[0], e[0]);
        return p === 0 ? d : p === 1 ? e : [NaN, NaN, NaN];
      }
    };
  }

  /**
   * The surface in `text`: {text, tree, value([x, y]), grad([x, y]) -> [df/dx, df/dy],
   * dual([x, y]) -> [f, df/dx, df/dy]}. Throws a FormulaError for a formula that does not parse.
   */
  function compile(text) {
    var tree = parse(text), c = compileNode(tree);
    return {
      text: strip(text), tree: tree,
      value: function (p) { return c.val(p[0], p[1]); },
      grad: function (p) { var d = c.dual(p[0], p[1]); return [d[1], d[2]]; },
      dual: function (p) { return c.dual(p[0], p[1]); }
    };
  }

  /** null if text parses, else {message, position}. Never throws. */
  function check(text) {
    try { parse(text); return null; }
    catch (e) {
      if (e && e.name === "FormulaError") return { message: e.message, position: e.position };
      // Anything else (a stack overflow cannot happen: depth and length are bounded) is a bug,
      // reported as text rather than thrown into the page.
      return { message: "the formula could not be read (" + String(e && e.message) + ")", position: null };
    }
  }

  return {
    MAX_LENGTH: MAX_LENGTH, MAX_DEPTH: MAX_DEPTH, MAX_INTEGER_POWER: MAX_INTEGER_POWER,
    FUNCTIONS: FUNCTION_NAMES.slice(),
    parse: parse, compile: compile, check: check, strip: strip
  };
});

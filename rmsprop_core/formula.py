r"""Surfaces written as formulas in x and y: the Playground's "your own formula" in the core.

:func:`formula` turns a text such as ``"x^2 + 10*y^2"`` into an
:class:`~rmsprop_core.objectives.Objective` whose value and gradient are evaluated with
numpy over any number of points at once. The gradient is exact (forward-mode automatic
differentiation: every operation carries the value and its two partial derivatives, the
dual numbers of the chain rule), not a finite difference:

>>> import rmsprop_core as rc
>>> f = rc.objectives.formula("x^2 + 10*y^2")
>>> f.value([[1.0, 1.0], [2.0, 0.0]])
array([11.,  4.])
>>> f.grad([1.0, 1.0])
array([ 2., 20.])
>>> f.id, f.name, f.view
('custom', 'x^2 + 10*y^2', ((-4.0, 4.0), (-4.0, 4.0)))

The language is described in :func:`formula`. The Playground implements it a second time
(docs/javascripts/playground/formula.js) with the same grammar, the same error messages and
the same operations in the same order, so that the page's trajectories on a formula equal
the core's to 1e-9 (tests/playground/test_parity.py). A formula that does not parse raises
:class:`FormulaError`, a ``ValueError`` that names the position (counted from 1) and what
was expected there:

>>> rc.objectives.formula("2x")
Traceback (most recent call last):
...
rmsprop_core.formula.FormulaError: expected an operator (+, -, *, / or ^) or the end of the formula at position 2, found the name "x"
"""

from __future__ import annotations

import math
import re

import numpy as np

from .objectives import Objective

__all__ = ["formula", "FormulaError", "MAX_LENGTH", "MAX_DEPTH", "FUNCTIONS", "DEFAULT_VIEW"]

#: The longest formula accepted, in characters.
MAX_LENGTH = 500
#: The deepest nesting accepted (parentheses, function calls, minus signs and powers).
MAX_DEPTH = 64
#: A constant integer exponent up to this size is a product of factors (exact, as the page).
MAX_INTEGER_POWER = 64
#: The functions and how many arguments each takes.
FUNCTIONS = {"sin": 1, "cos": 1, "tan": 1, "exp": 1, "log": 1, "sqrt": 1, "abs": 1, "tanh": 1,
             "min": 2, "max": 2}
CONSTANTS = {"pi": math.pi, "e": math.e}
#: The view box when none is given: x and y in [-4, 4].
DEFAULT_VIEW = ((-4.0, 4.0), (-4.0, 4.0))

# The library functions the compiled formulas call, looked up at every call (a test nudges
# them by one ulp to measure how far a last-bit difference moves a trajectory).
_LIB = {"sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp, "log": np.log,
        "sqrt": np.sqrt, "tanh": np.tanh, "pow": np.power}

_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SPACE = " \t\r\n"
_OPERATORS = "+-*/^(),"
_ONE = np.float64(1.0)
_ZERO = np.float64(0.0)
_NAN = np.float64(np.nan)


class FormulaError(ValueError):
    """A formula that does not parse. ``position`` is where (counted from 1; one past the
    end for a formula that stops too early), ``message`` what was wrong there."""

    def __init__(self, message, position=None):
        super().__init__(message)
        self.message = message
        self.position = position


# ----- tokens ------------------------------------------------------------------------------

def _scan(text, i):
    """The token starting at or after index i (after spaces): ((kind, text, position), next
    index); kind "num", "name", an operator character, or "end". Tokens are read one at a
    time as the parser asks for them, so the first error from the left is the one reported."""
    n = len(text)
    while i < n and text[i] in _SPACE:
        i += 1
    if i == n:
        return ("end", "", n + 1), n
    m = _NUMBER.match(text, i)
    if m and m.end() > i:
        return ("num", m.group(), i + 1), m.end()
    m = _NAME.match(text, i)
    if m:
        return ("name", m.group(), i + 1), m.end()
    ch = text[i]
    if ch in _OPERATORS:
        return (ch, ch, i + 1), i + 1
    raise FormulaError(f"unexpected character {_char(ch)} at position {i + 1}", i + 1)


def _char(ch):
    """A character for a message: "<" if printable ASCII, else its code point (U+0007)."""
    code = ord(ch)
    return f'"{ch}"' if 0x21 <= code <= 0x7E else f"U+{code:04X}"


def _short(text):
    return text if len(text) <= 20 else text[:20] + "\u2026"


def _found(token):
    kind, text, _ = token
    if kind == "end":
        return "the end of the formula"
    if kind == "num":
        return f'the number "{_short(text)}"'
    if kind == "name":
        return f'the name "{_short(text)}"'
    return f'"{text}"'


# ----- parsing: text -> tree of tuples ------------------------------------------------------
#
# ("num", value) | ("var", 0 or 1) | ("neg", a) | ("sum", a, [("+" or "-", b), ...])
# | ("prod", a, [("*" or "/", b), ...]) | ("pow", a, b) | ("call", name, [args])

_ATOM = 'a number, x, y, pi, e, a function or "("'
_OPERATOR = "an operator (+, -, *, / or ^)"


class _Parser:
    def __init__(self, text):
        self.text = text
        self.tok, self.next = _scan(text, 0)
        self.depth = 0

    def peek(self):
        return self.tok

    def take(self):
        tok = self.tok
        self.tok, self.next = _scan(self.text, self.next)
        return tok

    def fail(self, what, token=None):
        token = token or self.peek()
        raise FormulaError(f"expected {what} at position {token[2]}, found {_found(token)}", token[2])

    def enter(self, token):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(
                f"the formula is nested too deeply at position {token[2]}: at most {MAX_DEPTH} "
                f"levels of parentheses, functions, minus signs and powers", token[2])

    def leave(self):
        self.depth -= 1

    def parse(self):
        tree = self.expr()
        if self.peek()[0] != "end":
            self.fail(_OPERATOR + " or the end of the formula")
        return tree

    def expr(self):
        first = self.term()
        rest = []
        while self.peek()[0] in ("+", "-"):
            op = self.take()[0]
            rest.append((op, self.term()))
        return ("sum", first, rest) if rest else first

    def term(self):
        first = self.unary()
        rest = []
        while self.peek()[0] in ("*", "/"):
            op = self.take()[0]
            rest.append((op, self.unary()))
        return ("prod", first, rest) if rest else first

    def unary(self):
        if self.peek()[0] == "-":
            self.enter(self.take())
            inner = self.unary()
            self.leave()
            return ("neg", inner)
        return self.power()

    def power(self):
        base = self.atom()
        if self.peek()[0] == "^":
            self.enter(self.take())
            exponent = self.unary()
            self.leave()
            return ("pow", base, exponent)
        return base

    def atom(self):
        tok = self.peek()
        kind, text, pos = tok
        # A token is checked before the next one is read: the leftmost error is reported.
        if kind == "num":
            value = float(text)
            if not math.isfinite(value):
                raise FormulaError(f'the number "{_short(text)}" at position {pos} is too large', pos)
            self.take()
            return ("num", value)
        if kind == "name":
            if text not in ("x", "y") and text not in CONSTANTS and text not in FUNCTIONS:
                raise FormulaError(
                    f'unknown name "{_short(text)}" at position {pos}: use x, y, pi, e or a function '
                    f"({', '.join(FUNCTIONS)})", pos)
            self.take()
            if text == "x" or text == "y":
                return ("var", 0 if text == "x" else 1)
            if text in CONSTANTS:
                return ("num", CONSTANTS[text])
            return self.call(text, tok)
        if kind == "(":
            self.enter(self.take())
            inner = self.expr()
            if self.peek()[0] != ")":
                self.fail(_OPERATOR + ' or ")"')
            self.take()
            self.leave()
            return inner
        self.fail(_ATOM)

    def call(self, name, tok):
        arity = FUNCTIONS[name]
        if self.peek()[0] != "(":
            self.fail(f'"(" after {name}')
        self.enter(self.take())
        args = [self.expr()]
        while len(args) < arity:
            if self.peek()[0] != ",":
                self.fail(f'{_OPERATOR} or "," ({name} takes {arity} arguments)')
            self.take()
            args.append(self.expr())
        if self.peek()[0] != ")":
            self.fail(f'{_OPERATOR} or ")" ({name} takes {arity} argument{"s" if arity > 1 else ""})')
        self.take()
        self.leave()
        return ("call", name, args)


def parse(text):
    """The parse tree of ``text`` (nested tuples); raises :class:`FormulaError`.

    >>> parse("-x^2")
    ('neg', ('pow', ('var', 0), ('num', 2.0)))
    """
    if not isinstance(text, str):
        raise FormulaError(f"the formula must be a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"the formula has {len(text)} characters; at most {MAX_LENGTH} are allowed")
    if not text.strip(_SPACE):
        raise FormulaError("the formula is empty: write an expression in x and y, e.g. x^2 + 10*y^2")
    return _Parser(text).parse()


# ----- compiling: tree -> closures ----------------------------------------------------------
#
# Each node becomes two closures of (x, y): val -> f and dual -> (f, df/dx, df/dy). Both do
# the same operations on the value, so dual(x, y)[0] is val(x, y) bit for bit. x and y are
# float64 arrays (or numpy scalars); constants are np.float64, so 1/0 is inf, not an error.

def _has_var(node):
    kind = node[0]
    if kind == "var":
        return True
    if kind == "num":
        return False
    if kind == "neg":
        return _has_var(node[1])
    if kind in ("sum", "prod"):
        return _has_var(node[1]) or any(_has_var(b) for _, b in node[2])
    if kind == "pow":
        return _has_var(node[1]) or _has_var(node[2])
    return any(_has_var(a) for a in node[2])


def _compile(node):
    kind = node[0]
    if kind == "num":
        c = np.float64(node[1])
        return (lambda x, y: c), (lambda x, y: (c, _ZERO, _ZERO))
    if kind == "var":
        if node[1] == 0:
            return (lambda x, y: x), (lambda x, y: (x, _ONE, _ZERO))
        return (lambda x, y: y), (lambda x, y: (y, _ZERO, _ONE))
    if kind == "neg":
        av, ad = _compile(node[1])

        def neg_dual(x, y):
            a, ax, ay = ad(x, y)
            return -a, -ax, -ay

        return (lambda x, y: -av(x, y)), neg_dual
    if kind == "sum":
        return _sum(_compile(node[1]), [(op == "+",) + _compile(b) for op, b in node[2]])
    if kind == "prod":
        return _prod(_compile(node[1]), [(op == "*",) + _compile(b) for op, b in node[2]])
    if kind == "pow":
        return _pow(node[1], node[2])
    return _call(node[1], [_compile(a) for a in node[2]])


def _sum(first, rest):
    fv, fd = first

    def val(x, y):
        acc = fv(x, y)
        for plus, v, _ in rest:
            acc = acc + v(x, y) if plus else acc - v(x, y)
        return acc

    def dual(x, y):
        a, ax, ay = fd(x, y)
        for plus, _, d in rest:
            b, bx, by = d(x, y)
            if plus:
                a, ax, ay = a + b, ax + bx, ay + by
            else:
                a, ax, ay = a - b, ax - bx, ay - by
        return a, ax, ay

    return val, dual


def _prod(first, rest):
    fv, fd = first

    def val(x, y):
        acc = fv(x, y)
        for times, v, _ in rest:
            acc = acc * v(x, y) if times else acc / v(x, y)
        return acc

    def dual(x, y):
        a, ax, ay = fd(x, y)
        for times, _, d in rest:
            b, bx, by = d(x, y)
            if times:       # (ab)' = a'b + ab'
                a, ax, ay = a * b, ax * b + a * bx, ay * b + a * by
            else:           # (a/b)' = (a' - (a/b) b') / b
                q = a / b
                a, ax, ay = q, (ax - q * bx) / b, (ay - q * by) / b
        return a, ax, ay

    return val, dual


def _ipow(a, m):
    """a^m for an integer m >= 0 as m - 1 products (a*a*a for m = 3), 1 for m = 0."""
    if m == 0:
        return _ONE
    out = a
    for _ in range(m - 1):
        out = out * a
    return out


def _pow(base_node, exponent_node):
    av, ad = _compile(base_node)
    bv, bd = _compile(exponent_node)
    if not _has_var(exponent_node):
        with np.errstate(all="ignore"):
            c = float(bv(_ZERO, _ZERO))
        if c.is_integer() and abs(c) <= MAX_INTEGER_POWER:
            return _integer_pow(av, ad, int(c))
        return _constant_pow(av, ad, np.float64(c))

    def val(x, y):
        return _LIB["pow"](av(x, y), bv(x, y))

    def dual(x, y):   # (a^b)' = a^b (b' ln a + b a'/a)
        a, ax, ay = ad(x, y)
        b, bx, by = bd(x, y)
        v = _LIB["pow"](a, b)
        la = _LIB["log"](a)
        return v, v * (bx * la + b * (ax / a)), v * (by * la + b * (ay / a))

    return val, dual


def _integer_pow(av, ad, k):
    if k == 0:
        return (lambda x, y: _ONE), (lambda x, y: (_ONE,) + tuple(_ZERO * d for d in ad(x, y)[1:]))
    m = abs(k)
    kf = np.float64(k)
    if k > 0:
        def val(x, y):
            a = av(x, y)
            return _ipow(a, m - 1) * a

        def dual(x, y):   # (a^k)' = k a^(k-1) a'
            a, ax, ay = ad(x, y)
            p = _ipow(a, m - 1)
            coef = kf * p
            return p * a, coef * ax, coef * ay

        return val, dual

    def val(x, y):
        a = av(x, y)
        return _ONE / (_ipow(a, m - 1) * a)

    def dual(x, y):       # (a^-m)' = -m / a^(m+1) a'
        a, ax, ay = ad(x, y)
        full = _ipow(a, m - 1) * a
        coef = kf / (full * a)
        return _ONE / full, coef * ax, coef * ay

    return val, dual


def _constant_pow(av, ad, c):
    c1 = c - _ONE

    def val(x, y):
        return _LIB["pow"](av(x, y), c)

    def dual(x, y):       # (a^c)' = c a^(c-1) a'
        a, ax, ay = ad(x, y)
        coef = c * _LIB["pow"](a, c1)
        return _LIB["pow"](a, c), coef * ax, coef * ay

    return val, dual


def _sign(a):
    """1, -1, 0 or NaN, as the page computes it (sign(0) = 0)."""
    return np.where(a > 0, _ONE, np.where(a < 0, -_ONE, np.where(a == 0, _ZERO, _NAN)))


def _chain(av, ad, f, slope):
    """f(a) with (f(a))' = slope(a, f(a)) a'."""
    def val(x, y):
        return f(av(x, y))

    def dual(x, y):
        a, ax, ay = ad(x, y)
        v = f(a)
        s = slope(a, v)
        return v, s * ax, s * ay

    return val, dual


def _call(name, args):
    if name in ("min", "max"):
        return _extremum(name == "min", args[0], args[1])
    av, ad = args[0]
    if name == "sin":
        return _chain(av, ad, lambda a: _LIB["sin"](a), lambda a, v: _LIB["cos"](a))
    if name == "cos":
        return _chain(av, ad, lambda a: _LIB["cos"](a), lambda a, v: -_LIB["sin"](a))
    if name == "tan":
        return _chain(av, ad, lambda a: _LIB["tan"](a), lambda a, v: _ONE + v * v)
    if name == "exp":
        return _chain(av, ad, lambda a: _LIB["exp"](a), lambda a, v: v)
    if name == "log":
        def log_dual(x, y):
            a, ax, ay = ad(x, y)
            return _LIB["log"](a), ax / a, ay / a
        return (lambda x, y: _LIB["log"](av(x, y))), log_dual
    if name == "sqrt":
        def sqrt_dual(x, y):
            a, ax, ay = ad(x, y)
            v = _LIB["sqrt"](a)
            return v, ax / (v + v), ay / (v + v)
        return (lambda x, y: _LIB["sqrt"](av(x, y))), sqrt_dual
    if name == "abs":
        return _chain(av, ad, np.abs, lambda a, v: _sign(a))
    if name == "tanh":
        return _chain(av, ad, lambda a: _LIB["tanh"](a), lambda a, v: _ONE - v * v)
    raise AssertionError(name)   # the parser knows no other names


def _extremum(is_min, first, second):
    av, ad = first
    bv, bd = second

    def picks(a, b):
        return (a <= b, b < a) if is_min else (a >= b, b > a)

    def val(x, y):
        a, b = av(x, y), bv(x, y)
        pa, pb = picks(a, b)
        return np.where(pa, a, np.where(pb, b, _NAN))

    def dual(x, y):
        a, ax, ay = ad(x, y)
        b, bx, by = bd(x, y)
        pa, pb = picks(a, b)
        return tuple(np.where(pa, u, np.where(pb, w, _NAN)) for u, w in ((a, b), (ax, bx), (ay, by)))

    return val, dual


# ----- the objective ------------------------------------------------------------------------

def _checked_view(view):
    try:
        (x0, x1), (y0, y1) = view
        box = ((float(x0), float(x1)), (float(y0), float(y1)))
    except (TypeError, ValueError):
        raise ValueError(f"view must be ((xmin, xmax), (ymin, ymax)), got {view!r}") from None
    (x0, x1), (y0, y1) = box
    if not all(math.isfinite(v) for v in (x0, x1, y0, y1)) or not (x0 < x1 and y0 < y1):
        raise ValueError(f"view must be finite with xmin < xmax and ymin < ymax, got {view!r}")
    return box


def formula(text, view=DEFAULT_VIEW):
    r"""The surface :math:`f(x, y)` written in ``text``, with its exact gradient.

    **The language** (the Playground's "Your own formula" too):

    - numbers: ``2``, ``0.5``, ``.5``, ``1e-3``, ``2.5E+2`` (no implicit multiplication:
      ``2x`` is an error, write ``2*x``); the variables ``x`` and ``y``; the constants ``pi``
      and ``e``;
    - ``+``, ``-``, ``*``, ``/``, ``^`` (power) and parentheses; unary minus;
    - the functions ``sin``, ``cos``, ``tan``, ``exp``, ``log`` (natural), ``sqrt``, ``abs``,
      ``tanh`` of one argument and ``min``, ``max`` of two: ``min(x, y)``.

    The grammar, loosest first:

        expr  := term (("+" | "-") term)*          left-associative
        term  := unary (("*" | "/") unary)*        left-associative
        unary := "-" unary | power
        power := atom ("^" unary)?                 right-associative: 2^3^2 = 2^9
        atom  := number | x | y | pi | e | name "(" expr ["," expr] ")" | "(" expr ")"

    So ``-x^2`` is :math:`-(x^2)`, as in mathematics, ``2^-x`` is :math:`2^{-x}`, and
    ``x*-y`` is :math:`x\cdot(-y)`. Names are lower case. A formula has at most 500
    characters (:data:`MAX_LENGTH`) and at most 64 nested parentheses, function calls, minus
    signs and powers (:data:`MAX_DEPTH`), so that no formula can exhaust the stack; the first
    error from the left is the one reported.

    **Derivatives and domains.**

    - ``a^b``: with an exponent that is a constant integer k (``x^2``, ``x^-1``,
      ``x^(2*3)``; \|k\| <= 64) the value is a product of k factors (``x^3`` is ``x*x*x``,
      exactly as in the Playground; ``x^-k`` is ``1/x^k``) and the derivative
      :math:`k a^{k-1} a'`, for any base; with another constant exponent c, ``pow(a, c)``
      and :math:`c\, a^{c-1} a'` (NaN for a negative base, as ``pow`` is); with an exponent
      that depends on x or y, :math:`a^b = e^{b \ln a}`, with the derivative
      :math:`a^b (b' \ln a + b\, a'/a)`, defined for a positive base only (NaN elsewhere).
    - ``abs``: the derivative is sign(a) a', with sign(0) = 0, so abs'(0) = 0.
    - ``min(a, b)`` is a where a <= b, else b (``max``: a where a >= b); at a tie both take
      the first argument's value and derivative; if either argument is NaN, the result is NaN.
    - ``log`` and ``sqrt`` of a negative number, ``log(0)``, ``1/0`` and overflow give NaN or
      infinities, never an exception: a run that reaches them is stopped as diverged (the
      runners treat non-finite iterates so), and the loss records them as the runners do.

    The surface's minimum is not known: ``minimum`` is (NaN, NaN) and ``min_value`` NaN.

    Parameters
    ----------
    text : str
        The formula, e.g. ``"x^2 + 10*y^2"`` or ``"(1 - x)^2 + 100*(y - x^2)^2"``.
    view : ((xmin, xmax), (ymin, ymax)), optional
        The view box for contour plots (default x and y in [-4, 4]).

    Returns
    -------
    Objective
        ``id`` ``"custom"``, ``name`` the formula, ``dim`` 2; ``value`` and ``grad`` take
        points of shape ``(..., 2)``; the gradient by forward-mode automatic differentiation.
        ``minimum`` is (NaN, NaN) and ``min_value`` NaN: a formula's minimum is not known.

    Raises
    ------
    FormulaError
        (a ``ValueError``) for a formula that does not parse, naming the position.

    >>> import numpy as np, rmsprop_core as rc
    >>> f = rc.objectives.formula("sin(x) * y^2 - min(x, y)")
    >>> f.grad([0.0, 2.0])                  # (cos(0)·4 − 1, 2·sin(0)·2 − 0): min picks x
    array([3., 0.])
    >>> traj = rc.run(rc.rmsprop(0.01), f, [[1.0, 1.0]], steps=3)
    >>> traj.positions.shape
    (4, 1, 2)
    >>> rc.objectives.formula("sqrt(x")
    Traceback (most recent call last):
    ...
    rmsprop_core.formula.FormulaError: expected an operator (+, -, *, / or ^) or ")" (sqrt takes 1 argument) at position 7, found the end of the formula
    """
    tree = parse(text)
    box = _checked_view(view)
    val, dual = _compile(tree)

    def value(p):
        x, y = p[..., 0], p[..., 1]
        with np.errstate(all="ignore"):
            v = val(x, y)
        return np.array(np.broadcast_to(v, x.shape), dtype=np.float64)

    def grad(p):
        x, y = p[..., 0], p[..., 1]
        with np.errstate(all="ignore"):
            _, dx, dy = dual(x, y)
        out = np.empty(p.shape, dtype=np.float64)
        out[..., 0] = dx
        out[..., 1] = dy
        return out

    return Objective("custom", text.strip(_SPACE), 2, value, grad, [math.nan, math.nan], math.nan, box)

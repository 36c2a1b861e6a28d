"""rc.objectives.formula: the formula language (precedence, associativity, numbers, names),
its errors (positions, hostile inputs, length and depth limits), its exact gradients (forward
mode, checked against central differences) and the conventions the Playground shares."""

import math
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rmsprop_core as rc
from rmsprop_core.formula import MAX_DEPTH, MAX_LENGTH, FormulaError, parse

formula = rc.objectives.formula
RNG = np.random.default_rng(14)


def value(text, x, y):
    return float(formula(text).value([x, y]))


def central_difference(obj, p, h=1e-6):
    p = np.asarray(p, dtype=np.float64)
    out = np.empty_like(p)
    for i in range(2):
        e = np.zeros(2)
        e[i] = h
        out[..., i] = (obj.value(p + e) - obj.value(p - e)) / (2 * h)
    return out


# ----- the language --------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("-x^2", -9.0),              # -(x^2), as in mathematics
    ("(-x)^2", 9.0),
    ("-2^2", -4.0),
    ("2^3^2", 512.0),            # right-associative: 2^(3^2)
    ("(2^3)^2", 64.0),
    ("2^-1", 0.5),
    ("2^-2^2", 1 / 16),          # 2^(-(2^2))
    ("x - y - 1", 3 - 2 - 1),    # left-associative
    ("8/4/2", 1.0),
    ("2*3^2", 18.0),
    ("1 + 2*3", 7.0),
    ("(1 + 2)*3", 9.0),
    ("x*-y", -6.0),
    ("x--y", 5.0),
    ("--x", 3.0),
    ("1e-3", 0.001),
    ("2.5E+2", 250.0),
    (".5 + 1.", 1.5),
    ("1.e2", 100.0),
    ("pi", math.pi),
    ("e", math.e),
    ("e^1", math.e),
    ("sin(pi/2) + cos(0) + tan(0)", 2.0),
    ("exp(0) + log(e) + sqrt(16) + abs(-3) + tanh(0)", 1 + 1 + 4 + 3 + 0),
    ("min(x, y) + max(x, y)", 5.0),
    ("min(-x, y)", -3.0),
    ("  x\t*\ny ", 6.0),
])
def test_values_precedence_and_associativity(text, expected):
    assert value(text, 3.0, 2.0) == pytest.approx(expected, rel=1e-15, abs=1e-15)


def test_trees():
    assert parse("-x^2") == ("neg", ("pow", ("var", 0), ("num", 2.0)))
    assert parse("2^3^2") == ("pow", ("num", 2.0), ("pow", ("num", 3.0), ("num", 2.0)))
    assert parse("x - y + 1") == ("sum", ("var", 0), [("-", ("var", 1)), ("+", ("num", 1.0))])
    assert parse("x / y * 2") == ("prod", ("var", 0), [("/", ("var", 1)), ("*", ("num", 2.0))])
    assert parse("max(x, (y))") == ("call", "max", [("var", 0), ("var", 1)])
    assert parse("pi") == ("num", math.pi)


def test_matches_numpy_on_many_points():
    p = RNG.uniform(0.1, 3.0, (200, 2))
    x, y = p[:, 0], p[:, 1]
    table = {
        "x^2 + 10*y^2": x**2 + 10 * y**2,
        "(1 - x)^2 + 100*(y - x^2)^2": (1 - x) ** 2 + 100 * (y - x**2) ** 2,
        "sin(x)*cos(y) - tan(x/4)": np.sin(x) * np.cos(y) - np.tan(x / 4),
        "exp(-x^2 - y^2) + log(x*y)": np.exp(-x**2 - y**2) + np.log(x * y),
        "sqrt(x) + abs(x - y) + tanh(y)": np.sqrt(x) + np.abs(x - y) + np.tanh(y),
        "min(x, y)^2 - max(x, 2*y)": np.minimum(x, y) ** 2 - np.maximum(x, 2 * y),
        "x^y + y^0.5 + x^-2": x**y + y**0.5 + x**-2.0,
        "2^x + e^y": 2.0**x + np.e**y,
    }
    for text, expected in table.items():
        np.testing.assert_allclose(formula(text).value(p), expected, rtol=1e-13, err_msg=text)


def test_integer_powers_are_products():
    """x^k for a constant integer k is k - 1 products (what the page computes, bit for bit),
    for any base; x^-k is 1 / x^k; x^0 is 1."""
    p = RNG.normal(0, 3, (500, 2))
    x = p[:, 0]
    assert np.array_equal(formula("x^3").value(p), x * x * x)
    assert np.array_equal(formula("x^(1+2)").value(p), x * x * x)
    assert np.array_equal(formula("x^-2").value(p), 1.0 / (x * x))
    assert np.array_equal(formula("x^0").value(p), np.ones(500))
    assert value("(-2)^3", 0, 0) == -8.0 and value("x^64", 1.0, 0) == 1.0
    assert math.isnan(value("(-8)^(1/3)", 0, 0))     # a real exponent needs a base >= 0
    assert value("x^65", 2.0, 0) == 2.0**65          # beyond 64: pow()


def test_gradient_is_exact_for_polynomials():
    f = formula("x^3*y - 2*x*y^2 + 7")
    p = RNG.normal(0, 2, (100, 2))
    x, y = p[:, 0], p[:, 1]
    np.testing.assert_allclose(f.grad(p), np.column_stack([3 * x**2 * y - 2 * y**2, x**3 - 4 * x * y]),
                               rtol=1e-13, atol=1e-12)


GRADIENT_FORMULAS = [
    "x^2 + 10*y^2",
    "(1 - x)^2 + 100*(y - x^2)^2",
    "sin(3*x) * cos(2*y) + x/4",
    "tan(x/3) - tanh(y)",
    "exp(-(x^2 + y^2)/2) * log(2 + x*y)",
    "sqrt(5 + x^2 + y) / (2 + y^2)",
    "abs(x - 0.3) + abs(y + 0.1)",
    "min(x, y)^2 + max(x^2, y)",
    "x^y",
    "(2 + x)^(1 + y/3)",
    "2^x - e^(-y)",
    "x^0.5 + y^-3 + x^2.5",
    "-x^2 - -y^3",
    "pi*x + e*y",
]


@pytest.mark.parametrize("text", GRADIENT_FORMULAS)
def test_gradient_matches_central_differences(text):
    f = formula(text)
    # points where every formula above is smooth: x, y in [0.5, 1.5] (bases > 0, away from
    # the kinks of abs at 0.3 / -0.1 and of min/max on x = y and y = x^2)
    p = RNG.uniform(0.5, 1.5, (60, 2))
    p = p[(np.abs(p[:, 0] - p[:, 1]) > 0.01) & (np.abs(p[:, 0] ** 2 - p[:, 1]) > 0.01)]
    g = f.grad(p)
    fd = central_difference(f, p)
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-6, err_msg=text)


SMOOTH = st.recursive(
    st.sampled_from(["x", "y", "0.5", "2", "pi"]),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["sin", "cos", "tanh"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(inner, st.integers(-3, 4)).map(lambda t: f"({t[0]})^{t[1]}" if t[1] >= 0 else f"1/(1 + ({t[0]})^2)"),
        inner.map(lambda t: f"exp(tanh({t}))"),
        inner.map(lambda t: f"-{t}"),
    ),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None)
@given(SMOOTH, st.floats(-1.5, 1.5), st.floats(-1.5, 1.5))
def test_random_smooth_formulas_differentiate_exactly(text, x, y):
    f = formula(text)
    p = np.array([x, y])
    g = f.grad(p)
    fd = central_difference(f, p, h=1e-5)
    scale = 1.0 + np.abs(g).max() + abs(float(f.value(p)))
    assert np.all(np.abs(g - fd) <= 1e-5 * scale), (text, g, fd)


def test_conventions_abs_min_max_and_nan():
    # abs'(0) = 0
    assert formula("abs(x)").grad([0.0, 1.0]).tolist() == [0.0, 0.0]
    assert formula("abs(x)").grad([[-2.0, 0.0], [3.0, 0.0]]).tolist() == [[-1.0, 0.0], [1.0, 0.0]]
    # ties: the first argument's derivative
    assert formula("min(x, y)").grad([1.0, 1.0]).tolist() == [1.0, 0.0]
    assert formula("max(y, x)").grad([1.0, 1.0]).tolist() == [0.0, 1.0]
    assert formula("min(2*x, y)").grad([1.0, 3.0]).tolist() == [2.0, 0.0]
    assert formula("max(2*x, y)").grad([1.0, 3.0]).tolist() == [0.0, 1.0]
    # NaN propagates through min/max; domains give NaN or infinities, never an exception
    assert math.isnan(value("min(sqrt(x), y)", -1.0, 2.0))
    assert math.isnan(value("max(y, log(x))", -1.0, 2.0))
    assert value("1/x", 0.0, 0.0) == math.inf and value("log(x)", 0.0, 0.0) == -math.inf
    assert value("exp(x)", 1000.0, 0.0) == math.inf


def test_objective_attributes_and_shapes():
    f = formula("  x^2 + 10*y^2  ", view=((-1, 2), (-3, 4)))
    assert isinstance(f, rc.objectives.Objective)
    assert (f.id, f.name, f.dim, f.view) == ("custom", "x^2 + 10*y^2", 2, ((-1.0, 2.0), (-3.0, 4.0)))
    assert np.all(np.isnan(f.minimum)) and f.minimum.shape == (2,) and math.isnan(f.min_value)
    assert not f.stochastic
    p = RNG.normal(size=(3, 4, 2))
    assert f.value(p).shape == (3, 4) and f.grad(p).shape == (3, 4, 2)
    assert isinstance(f.value([1.0, 2.0]), float)
    # a formula without x or y is constant: the shapes still follow the points
    c = formula("3*pi")
    assert c.value(p).shape == (3, 4) and np.all(c.value(p) == 3 * math.pi)
    assert np.all(c.grad(p) == 0.0) and c.grad(p).shape == (3, 4, 2)
    assert formula("x").grad(p[0]).tolist() == [[1.0, 0.0]] * 4


def test_rows_equal_single_points_bit_for_bit():
    f = formula("sin(x)*y^3 - min(x, y) + exp(x/5)^y")
    p = RNG.normal(0, 2, (50, 2))
    many = f.grad(p)
    assert all(np.array_equal(many[i], f.grad(p[i])) for i in range(50))


def test_runs_and_diverges_like_any_objective():
    f = formula("x^2 + 10*y^2")
    bowl = rc.objectives.quadratic([2.0, 20.0])
    a = rc.run(rc.rmsprop(0.05), f, [[-3.0, 1.0], [2.0, 0.5]], steps=100)
    b = rc.run(rc.rmsprop(0.05), bowl, [[-3.0, 1.0], [2.0, 0.5]], steps=100)
    np.testing.assert_allclose(a.positions, b.positions, rtol=0, atol=1e-12)
    # sqrt of a negative number is NaN: the run stops there, as at any non-finite iterate
    t = rc.run(rc.gd(1.0), formula("sqrt(x) + y^2"), [[0.1, 0.0]], steps=10)
    assert t.diverged[0]


def test_bad_views():
    for bad in [((1, -1), (0, 1)), ((0, 1), (0, 0)), ((0, math.inf), (0, 1)), (0, 1), "box", ((0, 1),)]:
        with pytest.raises(ValueError, match="view"):
            formula("x", view=bad)


# ----- errors --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, position, words", [
    ("2x", 2, 'expected an operator (+, -, *, / or ^) or the end of the formula at position 2, found the name "x"'),
    ("x + ", 5, "expected a number, x, y, pi, e, a function or \"(\" at position 5, found the end of the formula"),
    ("sqrt(x", 7, 'or ")" (sqrt takes 1 argument) at position 7'),
    ("sin(x, y)", 6, '(sin takes 1 argument) at position 6, found ","'),
    ("min(x)", 6, '"," (min takes 2 arguments) at position 6, found ")"'),
    ("sin x", 5, 'expected "(" after sin at position 5, found the name "x"'),
    ("(x", 3, 'or ")" at position 3, found the end of the formula'),
    ("x)", 2, 'found ")"'),
    ("x ** 2", 4, 'at position 4, found "*"'),
    ("x^", 3, "at position 3, found the end of the formula"),
    ("X + 1", 1, 'unknown name "X" at position 1'),
    ("sinh(x)", 1, 'unknown name "sinh" at position 1'),
    ("x # y", 3, 'unexpected character "#" at position 3'),
    ("x\u00a0+ y", 2, "unexpected character U+00A0 at position 2"),
    ("1e999 * x", 1, 'the number "1e999" at position 1 is too large'),
    ("2e", 2, 'found the name "e"'),
    ("()", 2, 'found ")"'),
    ("x, y", 2, 'found ","'),
])
def test_errors_name_the_position(text, position, words):
    with pytest.raises(FormulaError) as info:
        formula(text)
    assert info.value.position == position
    assert words in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_empty(text):
    with pytest.raises(FormulaError, match="empty"):
        formula(text)


@pytest.mark.parametrize("text, words", [
    ("constructor", 'unknown name "constructor"'),
    ("__proto__", 'unknown name "__proto__"'),
    ("constructor.constructor", 'unknown name "constructor" at position 1'),   # the leftmost error
    ("toString(x)", 'unknown name "toString"'),
    ("alert(1)", 'unknown name "alert"'),
    ("<script>alert(1)</script>", 'unexpected character "<" at position 1'),
    ("<img src=x onerror=alert(1)>", 'unexpected character "<"'),
    ("x; import os", 'unexpected character ";"'),
    ("__import__('os')", 'unknown name "__import__" at position 1'),
    ("x if y else 1", 'found the name "if"'),
    ("x" * 10_000, "the formula has 10000 characters; at most 500 are allowed"),
    ("(" * 1000 + "x" + ")" * 1000, "the formula has 2001 characters"),
    (None, "must be a string"),
    (3.0, "must be a string"),
])
def test_hostile_inputs_are_errors(text, words):
    with pytest.raises(FormulaError) as info:
        formula(text)
    assert words in str(info.value)


def test_x_dot_constructor_error():
    # "x.constructor": the tokenizer reads x, then "." is not a number and not an operator
    with pytest.raises(FormulaError, match=r'unexpected character "\." at position 2'):
        formula("x.constructor")


def test_nesting_is_bounded_without_recursion_errors():
    limit = sys.getrecursionlimit()
    ok = "(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH
    assert value(ok, 2.0, 0.0) == 2.0
    for deep, where in [("(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1), MAX_DEPTH + 1),
                        ("-" * (MAX_DEPTH + 1) + "x", MAX_DEPTH + 1),
                        ("sin(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1), 4 * MAX_DEPTH + 4),
                        ("x" + "^x" * (MAX_DEPTH + 1), 2 * MAX_DEPTH + 2),
                        ("(" * 200 + "x" + ")" * 200, MAX_DEPTH + 1)]:
        with pytest.raises(FormulaError, match="nested too deeply") as info:
            formula(deep)
        assert info.value.position == where
    assert value("-" * MAX_DEPTH + "x", 1.0, 0.0) == 1.0
    # The longest formula is fine, however it is built: chains of + and * are loops, not recursion.
    terms = MAX_LENGTH // 2
    longest = "x" + "+x" * (terms - 1) + " "
    assert len(longest) == MAX_LENGTH
    assert value(longest, 1.0, 0.0) == terms
    assert formula(longest).grad([1.0, 0.0]).tolist() == [terms, 0.0]
    with pytest.raises(FormulaError, match="501 characters"):
        formula(longest + " ")
    assert sys.getrecursionlimit() == limit

"""The Playground's constants, read from the core: one source for Python and JavaScript
(not a registered module: data_playground_defaults writes them, num_playground reads them).

The page's engine (docs/javascripts/playground/engine.js) mirrors the core's formulas; the
numbers around them -- each surface's view box and minimum, each method's default
hyperparameters (the core's keyword defaults, ``inspect.signature``), the divergence bound
(``rc.run``'s ``bound``), the bowls' condition number and the rotated bowl's angle, the default
view of a typed formula, the lecture's start (gen/settings.py's start A) and its α (the
pages' "lecture α", ``settings.lecture_lr()`` rounded as the pages print it) -- are taken from
here instead of being typed a second time.

Written to ``docs/generated/data/playground-defaults.json`` (a DataSpec, unrounded apart from
the lecture α). The browser gets it as a script, ``generated/data/playground-defaults.js``
(``window.rcPlaygroundDefaults``), which hooks/playground_defaults.py wraps from this file at
``mkdocs build`` time, so the engine has its constants before it runs (no fetch, no
half-initialised page); Node (the parity tests, gen/playground/num_playground.py) reads the JSON.
tests/playground/test_defaults.py checks the engine's values against the core's.
"""
from __future__ import annotations

import inspect

import rmsprop_core as rc
from gen import settings as S
from gen.text import fmt

#: The page's method ids, each with the core function it builds and, per page parameter, the
#: core keyword it is and how the core's default becomes the page's value.
METHODS = {
    "gd": (rc.gd, {}),
    "momentum": (rc.momentum, {"decay": ("decay", float), "form": ("form", str)}),
    "rmsprop": (rc.rmsprop, {
        "decay": ("decay", float), "eps": ("eps", float),
        "epsmode": ("eps_inside", lambda inside: "inside" if inside else "outside"),
        "init": ("initial_scale", lambda s: int(s) if float(s).is_integer() else float(s)),
        "bias": ("bias_correction", bool),
    }),
    "adam": (rc.adam, {"b1": ("b1", float), "b2": ("b2", float), "eps": ("eps", float),
                       "bias": ("bias_correction", bool)}),
    "ngd": (rc.normalized_gd, {"eps": ("eps", float)}),
    "sign": (rc.sign_descent, {}),
}

#: Core keywords the engine does not implement, with the value its formulas assume (the core's
#: default must be that value, or the page would run another method than the core's default).
NOT_IN_THE_PAGE = {"rmsprop": {"momentum": 0.0, "centered": False}}


def keyword_default(function, name):
    """The core function's default for keyword ``name`` (ValueError if it has none)."""
    parameter = inspect.signature(function).parameters[name]
    if parameter.default is inspect.Parameter.empty:
        raise ValueError(f"{function.__name__}({name}) has no default")
    return parameter.default


def method_defaults(lecture_lr: float) -> dict:
    """{page method id: {page parameter: default}}: the core's keyword defaults, lr the lecture's."""
    out = {}
    for method, (function, mapping) in METHODS.items():
        defaults = {"lr": lecture_lr}
        for page_name, (core_name, convert) in mapping.items():
            defaults[page_name] = convert(keyword_default(function, core_name))
        for core_name, assumed in NOT_IN_THE_PAGE.get(method, {}).items():
            if keyword_default(function, core_name) != assumed:
                raise ValueError(f"{function.__name__}({core_name}) defaults to "
                                 f"{keyword_default(function, core_name)!r}; the page's engine assumes {assumed!r}")
        out[method] = defaults
    return out


def _box(view) -> list:
    return [[float(view[0][0]), float(view[0][1])], [float(view[1][0]), float(view[1][1])]]


def surfaces() -> dict:
    """Each registered surface's view box, minimum and value there (the core's objects)."""
    out = {}
    for surface_id in rc.objectives.ids():
        obj = rc.objectives.get(surface_id)
        out[surface_id] = {"view": _box(obj.view), "minimum": [float(v) for v in obj.minimum],
                           "min_value": float(obj.min_value)}
    return out


def build_data() -> dict:
    bowl = S.bowl()
    lam = sorted(float(v) for v in bowl.eigenvalues)
    if lam[0] != 1.0:
        raise ValueError(f"the page's bowls have eigenvalues [1, kappa]; the course bowl's are {lam}")
    lecture_lr = float(fmt(S.lecture_lr()))
    return {
        "generated_by": "gen/playground/data_playground_defaults.py from rmsprop_core (do not edit by hand)",
        "bound": float(keyword_default(rc.run, "bound")),
        "kappa": lam[1],
        "angle": float(keyword_default(rc.objectives.rotated, "angle")),
        "custom_view": _box(keyword_default(rc.objectives.formula, "view")),
        "surfaces": surfaces(),
        "lecture": {"fn": bowl.id, "start": [float(v) for v in S.START_A], "lr": lecture_lr},
        "methods": method_defaults(lecture_lr),
    }

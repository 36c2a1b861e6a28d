"""Numbers for the Playground page: the ranges its URL accepts and the divergence bound.

The ranges are defined once, in the Playground's own parser (docs/javascripts/playground/
query.js, which clamps what a hand-edited link asks for); this module reads them from there by
loading that file under Node, so the page's table of query keys cannot drift from what the
parser does. The divergence bound is the library's (``rmsprop_core.run``'s default ``bound``),
which the JavaScript engine takes from gen/playground/defaults.py, as it takes every
default: query.js is loaded with those constants, computed here (the generated file may not be
written yet when this module is built).
"""
from __future__ import annotations

import inspect
import json
import subprocess
from pathlib import Path

import rmsprop_core as rc
from gen.playground.defaults import build_data as playground_defaults
from gen.spec import NumbersSpec
from gen.text import fmt

PLAYGROUND_JS = Path(__file__).resolve().parents[2] / "docs" / "javascripts" / "playground"
QUERY_JS = PLAYGROUND_JS / "query.js"
#: Files outside gen/ and rmsprop_core/ that this module reads (part of its build checksum):
#: query.js and the engine it loads (the kappa default is the engine's).
INPUTS = (QUERY_JS, PLAYGROUND_JS / "engine.js", PLAYGROUND_JS / "formula.js")

_DUMP = """
globalThis.rcPlaygroundDefaults = JSON.parse(process.argv[2]);   // engine.js's constants
const q = require(process.argv[1]);
process.stdout.write(JSON.stringify({steps: q.STEPS, angle: q.ANGLE, kappa: q.KAPPA, noise: q.NOISE,
                                     seed: q.SEED, speed: q.SPEED, params: q.PARAMS}));
"""


def query_limits() -> dict:
    """The Playground parser's ranges, as query.js defines them."""
    out = subprocess.run(["node", "-e", _DUMP, str(QUERY_JS), json.dumps(playground_defaults())], check=True,
                         capture_output=True, text=True, timeout=60)
    return json.loads(out.stdout)


def _range(spec: dict) -> str:
    # six significant digits: a bound such as 0.9999 must not round to 1
    return f"{fmt(spec['min'], 6)} to {fmt(spec['max'], 6)}"


def build() -> NumbersSpec:
    limits = query_limits()
    params = limits["params"]
    bound = inspect.signature(rc.run).parameters["bound"].default
    return NumbersSpec({
        "steps_range": _range(limits["steps"]),
        "angle_range": _range(limits["angle"]),
        "kappa_range": _range(limits["kappa"]),
        "kappa_default": fmt(limits["kappa"]["fallback"]),
        "noise_range": _range(limits["noise"]),
        # every digit of 2^32 - 1: a seed is a whole number, not a rounded one
        "seed_range": f"{limits['seed']['min']} to {limits['seed']['max']}",
        "lr_range": _range(params["lr"]),
        "decay_range": _range(params["decay"]),
        "eps_range": _range(params["eps"]),
        "b1_range": _range(params["b1"]),
        "b2_range": _range(params["b2"]),
        "bound": fmt(bound),
        # Play's speeds, as the link writes them (code: the values a reader types)
        "speed_choices": ", ".join(f"`{fmt(v)}`" for v in limits["speed"]["choices"]),
        "speed_default": fmt(limits["speed"]["fallback"]),
    })

"""The Playground's JavaScript constants are the core's.

engine.js and query.js take their view boxes, minima, method defaults, bound, kappa, angle and the
lecture's start and α from gen/playground/defaults.py (docs/generated/data/
playground-defaults.json; in the browser the script hooks/playground_defaults.py wraps from it).
These tests load the JavaScript under Node, as the parity test does, and compare what it holds
with the core itself: ``inspect.signature`` of each optimizer (and of ``rc.run``,
``rc.objectives.rotated`` and ``rc.objectives.formula``), each objective's view box and minimum,
gen/settings.py's start A and lecture α. They also check that the generated file is the one the
core gives now, that the browser script carries the same object, and that a drifted default
makes the parity comparison fail.
"""
from __future__ import annotations

import inspect
import json
import math
import shutil
import subprocess
from pathlib import Path

import pytest

import rmsprop_core as rc
from gen import settings as S
from gen.playground import defaults as D
from gen.text import fmt

ROOT = Path(__file__).resolve().parents[2]
PLAYGROUND = ROOT / "docs" / "javascripts" / "playground"
GENERATED = ROOT / "docs" / "generated" / "data" / "playground-defaults.json"
NODE = shutil.which("node") or "/usr/bin/node"

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")

#: The page's parameter names -> the core's keyword and how the core's value reads on the page.
PAGE_KEYWORDS = {
    "decay": ("decay", float), "form": ("form", str), "eps": ("eps", float),
    "epsmode": ("eps_inside", lambda inside: "inside" if inside else "outside"),
    "init": ("initial_scale", float), "bias": ("bias_correction", bool),
    "b1": ("b1", float), "b2": ("b2", float),
}
CORE_FUNCTIONS = {"gd": rc.gd, "momentum": rc.momentum, "rmsprop": rc.rmsprop, "adam": rc.adam,
                  "ngd": rc.normalized_gd, "sign": rc.sign_descent}
#: Core keywords the engine does not implement: their default must be what its formulas do.
NOT_IMPLEMENTED = {("rmsprop", "momentum"): 0.0, ("rmsprop", "centered"): False}

_DUMP = """
const path = require("path");
const E = require(path.join(process.argv[1], "engine.js"));
const Q = require(path.join(process.argv[1], "query.js"));
process.stdout.write(JSON.stringify({
  methods: E.METHOD_DEFAULTS, methodIds: E.METHOD_IDS, surfaces: E.SURFACE_INFO, surfaceIds: E.SURFACE_IDS,
  bound: E.BOUND, angle: E.DEFAULT_ANGLE, kappa: E.DEFAULT_KAPPA, customView: E.CUSTOM_VIEW,
  lecture: E.LECTURE, lectureSettings: Q.lectureSettings(), angleDegrees: Q.ANGLE.fallback,
  kappaFallback: Q.KAPPA.fallback, view: Q.VIEW,
  custom: (function () { const s = E.surface("custom", {formula: "x^2"}); return s.view; })()
}));
"""


@pytest.fixture(scope="module")
def js():
    out = subprocess.run([NODE, "-e", _DUMP, str(PLAYGROUND)], check=True, capture_output=True,
                         text=True, timeout=60)
    return json.loads(out.stdout)


def core_default(function, name):
    return inspect.signature(function).parameters[name].default


def test_the_generated_constants_are_the_cores_now():
    """A stale docs/generated file (the core changed, `python -m gen` not run) fails here."""
    assert json.loads(GENERATED.read_text(encoding="utf-8")) == D.build_data()


def test_every_method_default_is_the_core_keyword_default(js):
    assert js["methodIds"] == list(CORE_FUNCTIONS)
    for method, function in CORE_FUNCTIONS.items():
        page = dict(js["methods"][method])
        assert page.pop("lr") == float(fmt(S.lecture_lr())), method
        for name, parameter in inspect.signature(function).parameters.items():
            if name == "lr":
                assert parameter.default is inspect.Parameter.empty   # the core asks for a rate
                continue
            if (method, name) in NOT_IMPLEMENTED:
                assert parameter.default == NOT_IMPLEMENTED[method, name], (method, name)
                continue
            page_name = next(p for p, (core, _) in PAGE_KEYWORDS.items() if core == name)
            convert = PAGE_KEYWORDS[page_name][1]
            assert page_name in page, f"{method}: the engine has no default for {name}"
            value = page.pop(page_name)
            assert value == convert(parameter.default), (method, name, value, parameter.default)
        assert page == {}, f"{method}: the engine has defaults the core does not know: {page}"


def test_every_surface_has_the_cores_view_box_and_minimum(js):
    assert js["surfaceIds"] == list(rc.objectives.ids())
    for surface_id in rc.objectives.ids():
        obj, page = rc.objectives.get(surface_id), js["surfaces"][surface_id]
        assert page["view"] == [list(obj.view[0]), list(obj.view[1])], surface_id
        assert page["minimum"] == obj.minimum.tolist(), surface_id   # exact: the core's doubles
        assert page["minValue"] == obj.min_value, surface_id


def test_bound_angle_kappa_view_and_the_lecture_are_the_cores(js):
    assert js["bound"] == core_default(rc.run, "bound")
    assert js["angle"] == core_default(rc.objectives.rotated, "angle")
    assert js["angleDegrees"] == pytest.approx(math.degrees(js["angle"]), abs=1e-9)
    lam = S.bowl().eigenvalues
    assert js["kappa"] == js["kappaFallback"] == lam.max() / lam.min()
    assert js["customView"] == js["custom"] == [list(v) for v in core_default(rc.objectives.formula, "view")]
    assert js["view"]["fallback"] == js["customView"]
    assert js["view"]["min"] == -js["bound"] and js["view"]["max"] == js["bound"]
    assert js["lecture"] == {"fn": "bowl", "start": list(S.START_A), "lr": float(fmt(S.lecture_lr()))}
    lecture = js["lectureSettings"]
    assert lecture["fn"] == "bowl" and lecture["start"] == list(S.START_A)
    assert lecture["params"] == js["methods"]


def test_the_browser_script_carries_the_same_constants(tmp_path):
    """hooks/playground_defaults.py's script sets window.rcPlaygroundDefaults in a browser and
    exports the object under Node; both are the generated JSON."""
    import sys
    sys.path.insert(0, str(ROOT / "hooks"))
    try:
        import playground_defaults as hook
    finally:
        sys.path.pop(0)
    data = json.loads(GENERATED.read_text(encoding="utf-8"))
    script = tmp_path / "playground-defaults.js"
    script.write_text(hook.script(data), encoding="utf-8")
    check = """
const fs = require("fs"), vm = require("vm");
const text = fs.readFileSync(process.argv[1], "utf8");
const browser = { self: undefined }; browser.self = browser;      // a window: no module
vm.runInNewContext(text, browser);
process.stdout.write(JSON.stringify({ node: require(process.argv[1]), browser: browser.rcPlaygroundDefaults }));
"""
    out = json.loads(subprocess.run([NODE, "-e", check, str(script)], check=True, capture_output=True,
                                    text=True, timeout=60).stdout)
    assert out["node"] == data and out["browser"] == data


def test_a_drifted_default_fails_the_parity_comparison():
    """The parity test passes no bound: with an engine whose bound drifted (here 10x smaller),
    a diverging run leaves at another step than the core's, so test_divergence_agrees fails."""
    data = D.build_data()
    drifted = dict(data, bound=data["bound"] / 10)
    case = {"surface": "bowl", "angle": None, "kappa": None, "method": "gd", "params": {"lr": 0.11},
            "start": [-3.5, 1.2], "steps": 400}
    core = rc.run(rc.gd(0.11), rc.objectives.get("bowl"), case["start"], case["steps"])
    at = {}
    for name, defaults in (("generated", None), ("drifted", drifted)):
        request = {"cases": [case]} | ({"defaults": defaults} if defaults else {})
        proc = subprocess.run([NODE, str(ROOT / "tests" / "playground" / "run_engine.js")],
                              input=json.dumps(request), capture_output=True, text=True, timeout=60, check=True)
        at[name] = json.loads(proc.stdout)["results"][0]["divergedAt"]
    assert bool(core.diverged[0])
    assert at["generated"] == int(core.diverged_at[0])
    assert at["drifted"] != int(core.diverged_at[0])

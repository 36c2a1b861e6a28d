"""The Playground's JavaScript engine agrees with rmsprop_core to 1e-9.

The page runs its optimizers in the reader's browser (docs/javascripts/playground/engine.js),
a second implementation of the core. These tests generate reference trajectories with the
Python library — every method (with its hyperparameter variants), every surface, several
starts, and cases that diverge — run the same cases through the JS engine under Node
(tests/playground/run_engine.js) and compare positions, loss, gradients, updates, the states
S and V, the diverged flags and the step at which a run diverged.

Agreement means |js - py| <= 1e-9 * max(1, |py|) for positions and loss (absolute below 1,
relative above: a diverging run reaches |x| ~ 1e6, where one rounding step of a double is
already ~1e-10), and the same with 1e-7 for the quantities derived from positions (gradients,
updates, S, V): a gradient inherits a position's difference multiplied by the curvature,
which reaches ~1e2 in the two-well surface's narrow wells.

Neither side is given a divergence bound: each run takes its side's default (``rc.run``'s and
the engine's, which gen/playground/defaults.py generates from it), so a drifted default
shows as a different step of divergence in the diverging cases below.

Custom surfaces (the page's ``fn=custom&f=<formula>``) are compared the same way: the core's
``rc.run(opt, rc.objectives.formula(f), x0, steps)`` against the engine on
``surface("custom", {formula: f})``, for formulas of every kind the language has, every method
and variant; the two parsers must build the same trees and give the same error messages, and
the two formulas the same values and gradients point by point. See "Custom surfaces" below for
the one allowance made there (library functions).

The bowls are also run with other condition numbers (the page's ``kappa=``: eigenvalues
[1, kappa], the core's ``quadratic([1.0, kappa], angle)``), and on every bowl the two
trajectories must be bit-identical wherever no pow is involved.

Noisy runs (the page's ``noise=`` and ``seed=``) are compared the same way, at the same
tolerances, for every method and variant on every surface: the core's
``rc.run(opt, rc.objectives.noisy(surface, sigma, seed), x0, steps)``, whose gradient at x_t is
grad f(x_t) + sigma z(seed, t), against the engine's ``run(..., {noise: {sigma, seed}})``. The
noise itself, ``engine.gaussianNoise``, must equal ``rc.objectives.gaussian_noise`` bit for bit:
the generator uses only 32-bit integer operations and correctly rounded double arithmetic in
a fixed order (no library log, cos or sin), so no tolerance is needed there.

Both sides use only IEEE-754 basic operations in the same order, except exp (two-wells) and
pow (bias corrections), where V8 and the C library may differ in the last bit; on the two-well
surface the tolerance is therefore the deviation a one-ulp nudge of exp causes in the core
itself (exp_floor), a noise floor measured per case. The largest deviation observed is
printed (run pytest with -s to see it). Constant-rate RMSprop and normalised GD
hover chaotically around a minimum, so one differently rounded bit grows by orders of
magnitude within a hundred steps: agreement to 1e-9 therefore needs the same operations in
the same order, not merely the same formulas.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import rmsprop_core as rc

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "tests" / "playground" / "run_engine.js"
NODE = shutil.which("node") or "/usr/bin/node"
TOL = 1e-9          # positions and loss
TOL_DERIVED = 1e-7  # gradients, updates, S and V (see the module docstring)
STEPS = 150

# Hyperparameter variants per method id (the page's ids). Each dict is passed to the JS engine
# as is and mapped to the core's keyword arguments by `python_optimizer`.
VARIANTS = {
    "gd": [{"lr": 0.05}, {"lr": 0.002}],
    "momentum": [
        {"lr": 0.05, "decay": 0.9, "form": "ema"},
        {"lr": 0.005, "decay": 0.8, "form": "heavy_ball"},
    ],
    "rmsprop": [
        {"lr": 0.05, "decay": 0.9, "eps": 1e-8, "epsmode": "outside", "init": 0, "bias": False},
        {"lr": 0.02, "decay": 0.99, "eps": 1e-7, "epsmode": "inside", "init": 0, "bias": False},
        {"lr": 0.05, "decay": 0.9, "eps": 1e-10, "epsmode": "inside", "init": 1, "bias": False},
        {"lr": 0.03, "decay": 0.95, "eps": 1e-8, "epsmode": "outside", "init": 0, "bias": True},
        {"lr": 0.05, "decay": 0.0, "eps": 0.0, "epsmode": "outside", "init": 0, "bias": False},
    ],
    "adam": [
        {"lr": 0.05, "b1": 0.9, "b2": 0.999, "eps": 1e-8, "bias": True},
        {"lr": 0.02, "b1": 0.8, "b2": 0.99, "eps": 1e-6, "bias": False},
        {"lr": 0.05, "b1": 0.0, "b2": 0.0, "eps": 0.0, "bias": True},
    ],
    "ngd": [{"lr": 0.05}, {"lr": 0.3}],
    "sign": [{"lr": 0.05}, {"lr": 0.013}],
}

# (surface id, angle in radians or None, kappa or None, starts). Starts avoid the exact axes of
# symmetry of a surface so that every coordinate of the gradient is non-zero. kappa (the page's
# `kappa=` key) gives the two bowls the eigenvalues [1, kappa] instead of the course's [1, 20]:
# steep (1000, 10^4, where most constant rates diverge) and round (1).
SURFACES = [
    ("bowl", None, None, [[-3.5, 1.2], [-1.0, -1.9], [3.0, 0.05]]),
    ("rotated", None, None, [[-3.0, 1.0], [2.5, 3.1]]),
    ("rotated", 0.3, None, [[-3.0, 1.0], [1.5, -2.0]]),
    ("rotated", 0.0, None, [[-3.0, 1.0]]),
    ("bowl", None, 1000.0, [[-3.5, 1.2], [3.0, 0.05]]),
    ("bowl", None, 1.0, [[-3.5, 1.2]]),
    ("rotated", None, 1000.0, [[-3.0, 1.0], [2.5, 3.1]]),
    ("rotated", 0.3, 10000.0, [[-3.0, 1.0]]),
    ("rosenbrock", None, None, [[-1.5, 2.0], [0.5, -0.5]]),
    ("beale", None, None, [[1.0, 1.5], [-2.0, -1.0]]),
    ("saddle", None, None, [[1.5, 0.01], [-1.0, -0.3]]),
    ("two-wells", None, None, [[1.5, 0.7], [0.2, -1.2]]),
]

# Cases that must diverge in the core (checked below), so the divergence path is exercised:
# GD above 2/λ_max on the bowl (λ_max = 20, and 1000 with kappa = 1000), GD on the saddle's unstable axis, heavy ball with a large rate
# on Rosenbrock, RMSprop's 1/√(1−β) first step on the bowl with a big rate.
DIVERGING = [
    ("bowl", None, None, "gd", {"lr": 0.11}, [-3.5, 1.2], 400),
    ("bowl", None, 1000.0, "gd", {"lr": 0.0021}, [-3.5, 1.2], 400),
    ("saddle", None, None, "gd", {"lr": 0.5}, [1.0, 0.01], 150),
    ("saddle", None, None, "sign", {"lr": 20000.0}, [1.0, 0.01], 150),
    ("rosenbrock", None, None, "momentum", {"lr": 0.01, "decay": 0.9, "form": "heavy_ball"}, [-1.5, 2.0], 150),
    ("rotated", 0.3, None, "momentum", {"lr": 0.3, "decay": 0.5, "form": "heavy_ball"}, [1.0, 1.0], 200),
    ("beale", None, None, "gd", {"lr": 0.01}, [4.0, 4.0], 150),
    ("two-wells", None, None, "gd", {"lr": 3.0}, [1.5, 0.7], 150),
    ("bowl", None, None, "adam", {"lr": 2e6, "b1": 0.9, "b2": 0.999, "eps": 1e-8, "bias": True}, [-3.5, 1.2], 50),
    ("bowl", None, None, "rmsprop", {"lr": 4e5, "decay": 0.9, "eps": 1e-8, "epsmode": "outside", "init": 0,
                                     "bias": False}, [-3.5, 1.2], 50),
]

# Noisy runs: every method and variant on one start of each of these surfaces (the steep
# rotated bowl too), with each of these (sigma, seed) pairs: no noise through the noisy path,
# noise small against the gradients, comparable to them, and large (the page's maximum is
# 100), with seeds at both ends of [0, 2**32).
NOISY_SURFACES = [
    ("bowl", None, None, [-3.5, 1.2]),
    ("rotated", 0.3, 1000.0, [-3.0, 1.0]),
    ("rosenbrock", None, None, [-1.5, 2.0]),
    ("beale", None, None, [1.0, 1.5]),
    ("saddle", None, None, [1.5, 0.01]),
    ("two-wells", None, None, [1.5, 0.7]),
]
NOISE = [(0.0, 7), (0.1, 0), (1.0, 3), (5.0, 2**32 - 1), (100.0, 123456789)]
# Noisy cases that diverge, so that the frozen tail is checked with noise (its gradients still
# carry the noise of their own step).
NOISY_DIVERGING = [
    ("bowl", None, None, "gd", {"lr": 0.11}, [-3.5, 1.2], 400, (1.0, 3)),
    ("rosenbrock", None, None, "momentum", {"lr": 0.01, "decay": 0.9, "form": "heavy_ball"},
     [-1.5, 2.0], 150, (5.0, 2**32 - 1)),
    ("saddle", None, None, "sign", {"lr": 20000.0}, [1.0, 0.01], 150, (0.1, 0)),
]


def python_surface(surface_id, angle, kappa=None, formula=None, view=None):
    """The core's surface for a page surface id, angle (radians, rotated only) and kappa; for
    "custom", the core's rc.objectives.formula(formula, view)."""
    if surface_id == "custom":
        return rc.objectives.formula(formula) if view is None else rc.objectives.formula(formula, view)
    if kappa is not None:
        # What the page's kappa= means: the bowl's eigenvalues [1, 20] become [1, kappa].
        assert surface_id in ("bowl", "rotated")
        if surface_id == "bowl":
            return rc.objectives.quadratic([1.0, kappa], 0.0)
        return rc.objectives.quadratic([1.0, kappa], math.pi / 4 if angle is None else angle)
    if surface_id == "rotated" and angle is not None:
        return rc.objectives.rotated(angle)
    return rc.objectives.get(surface_id)


def label_of(surface_id, angle, kappa):
    return (surface_id + ("" if angle is None else f"@{angle:g}")
            + ("" if kappa is None else f"-kappa{kappa:g}"))


def python_optimizer(method, p):
    """The core's optimizer for a page method id and its (JS-side) hyperparameters."""
    if method == "gd":
        return rc.gd(p["lr"])
    if method == "momentum":
        return rc.momentum(p["lr"], decay=p["decay"], form=p["form"])
    if method == "rmsprop":
        return rc.rmsprop(
            p["lr"], decay=p["decay"], eps=p["eps"], eps_inside=p["epsmode"] == "inside",
            initial_scale=float(p["init"]), bias_correction=bool(p["bias"]),
        )
    if method == "adam":
        return rc.adam(p["lr"], b1=p["b1"], b2=p["b2"], eps=p["eps"], bias_correction=bool(p["bias"]))
    if method == "ngd":
        return rc.normalized_gd(p["lr"])
    if method == "sign":
        return rc.sign_descent(p["lr"])
    raise ValueError(f"unknown method {method!r}")


def all_cases():
    cases = []
    for surface_id, angle, kappa, starts in SURFACES:
        for method, variants in VARIANTS.items():
            for k, params in enumerate(variants):
                for start in starts:
                    cases.append(dict(surface=surface_id, angle=angle, kappa=kappa, method=method,
                                      params=params, start=start, steps=STEPS,
                                      label=f"{label_of(surface_id, angle, kappa)}-{method}{k}-{start}"))
    for surface_id, angle, kappa, method, params, start, steps in DIVERGING:
        cases.append(dict(surface=surface_id, angle=angle, kappa=kappa, method=method, params=params,
                          start=start, steps=steps,
                          label=f"diverging-{label_of(surface_id, angle, kappa)}-{method}-{params['lr']:g}",
                          diverging=True))
    return cases


def noisy_cases():
    cases = []
    for surface_id, angle, kappa, start in NOISY_SURFACES:
        for method, variants in VARIANTS.items():
            for k, params in enumerate(variants):
                for sigma, seed in NOISE:
                    cases.append(dict(surface=surface_id, angle=angle, kappa=kappa, method=method,
                                      params=params, start=start, steps=STEPS,
                                      noise={"sigma": sigma, "seed": seed},
                                      label=f"noisy-{label_of(surface_id, angle, kappa)}-{method}{k}"
                                            f"-sigma{sigma:g}-seed{seed}"))
    for surface_id, angle, kappa, method, params, start, steps, (sigma, seed) in NOISY_DIVERGING:
        cases.append(dict(surface=surface_id, angle=angle, kappa=kappa, method=method, params=params,
                          start=start, steps=steps, noise={"sigma": sigma, "seed": seed},
                          label=f"noisy-diverging-{label_of(surface_id, angle, kappa)}-{method}"
                                f"-sigma{sigma:g}-seed{seed}",
                          diverging=True))
    return cases


def reference(case):
    """The core's trajectory for one case, as plain arrays for one trajectory."""
    surface = python_surface(case["surface"], case["angle"], case["kappa"], case.get("formula"), case.get("view"))
    if case.get("noise"):
        surface = rc.objectives.noisy(surface, case["noise"]["sigma"], case["noise"]["seed"])
    traj = rc.run(python_optimizer(case["method"], case["params"]), surface,
                  np.array(case["start"], dtype=np.float64), case["steps"], record_state=True)
    fields = traj.state_fields()
    out = dict(positions=traj.positions[:, 0], loss=traj.loss[:, 0], grads=traj.grads[:, 0],
               updates=traj.updates[:, 0], diverged=bool(traj.diverged[0]),
               divergedAt=int(traj.diverged_at[0]), S=None, V=None)
    if case["method"] in ("rmsprop", "adam"):
        out["S"] = traj.state_history("nu")[:, 0]
    if case["method"] == "momentum":
        out["V"] = traj.state_history("trace")[:, 0]
    if case["method"] == "adam":
        out["V"] = traj.state_history("mu")[:, 0]
    assert "nu" in fields or out["S"] is None
    return out


def run_js(request):
    proc = subprocess.run([NODE, str(RUNNER)], input=json.dumps(request), capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def deviation(js, py):
    """Largest |js - py| / max(1, |py|) over the arrays (shapes must agree)."""
    js = np.asarray(js, dtype=np.float64)
    py = np.asarray(py, dtype=np.float64)
    assert js.shape == py.shape, (js.shape, py.shape)
    if py.size == 0:
        return 0.0
    assert np.all(np.isfinite(js)), "the JS engine produced a non-finite number"
    return float(np.max(np.abs(js - py) / np.maximum(1.0, np.abs(py))))


def exp_floor(case):
    """How far a one-ulp difference in exp moves the core's own trajectory (two-wells only).

    V8's exp and the C library's may differ in the last bit, and on the two-well surface
    RMSprop drives a coordinate to ~1e-17 and then amplifies it (the tiny offset of the essay's
    start B): one differently rounded bit can grow to a visible difference. The core is run
    with exp nudged one ulp up and one ulp down; the larger deviation, per quantity, is the
    noise floor the JS engine is held to there (elsewhere the floor is 0).
    """
    if case["surface"] != "two-wells":
        return {}
    exact = reference(case)
    real = np.exp
    floor = {}
    for direction in (np.inf, -np.inf):
        np.exp = lambda z, d=direction: np.nextafter(real(z), d)   # noqa: E731
        try:
            nudged = reference(case)
        finally:
            np.exp = real
        for key, value in exact.items():
            if isinstance(value, np.ndarray):
                floor[key] = max(floor.get(key, 0.0), deviation(nudged[key], value))
    return floor


def compare_cases(cases):
    """[(case, core's trajectory, engine's trajectory, exp noise floor)] for the cases."""
    request = {"cases": [{k: v for k, v in c.items() if k not in ("label", "diverging")} for c in cases]}
    js = run_js(request)["results"]
    assert len(js) == len(cases)
    return [(case, reference(case), j, exp_floor(case)) for case, j in zip(cases, js)]


@pytest.fixture(scope="module")
def compared():
    return compare_cases(all_cases())


@pytest.fixture(scope="module")
def compared_noisy():
    return compare_cases(noisy_cases())


def test_every_method_and_surface_is_covered(compared):
    methods = {c["method"] for c, *_ in compared}
    surfaces = {c["surface"] for c, *_ in compared}
    assert methods == {"gd", "momentum", "rmsprop", "adam", "ngd", "sign"}
    assert surfaces == set(rc.objectives.ids())
    assert len(compared) >= 200


def _compare(compared, keys, tol):
    worst = (0.0, None, None)
    failures = []
    exact = 0
    for case, py, js, floor in compared:
        same = True
        for key in keys:
            if py[key] is None:
                assert js[key] is None, f"{case['label']}: JS has {key} but the core has none"
                continue
            dev = deviation(js[key], py[key])
            same = same and dev == 0.0
            if dev > worst[0]:
                worst = (dev, case["label"], key)
            if dev > max(tol, floor.get(key, 0.0)):
                failures.append(f"{case['label']} {key}: {dev:.3g}")
        exact += same
    print(f"\nparity of {'/'.join(keys)}: {len(compared)} cases ({exact} bit-identical), "
          f"largest deviation {worst[0]:.3g} ({worst[1]}, {worst[2]})")
    assert not failures, "JS and Python disagree:\n" + "\n".join(failures[:20])


def test_positions_and_loss_agree_to_1e_9(compared):
    _compare(compared, ("positions", "loss"), TOL)


def test_gradients_updates_and_states_agree(compared):
    _compare(compared, ("grads", "updates", "S", "V"), TOL_DERIVED)


def _bit_identical(compared, surfaces):
    """Assert that the cases on `surfaces` without a bias correction are identical doubles in
    every quantity; returns (cases checked, of which with a kappa)."""
    checked = kappas = 0
    for case, py, js, _ in compared:
        if case["surface"] not in surfaces or case["params"].get("bias"):
            continue
        for key in ("positions", "loss", "grads", "updates", "S", "V"):
            if py[key] is not None:
                assert deviation(js[key], py[key]) == 0.0, f"{case['label']} {key}"
        assert js["divergedAt"] == py["divergedAt"], case["label"]
        checked += 1
        kappas += case["kappa"] is not None
    return checked, kappas


def test_quadratic_bowls_agree_bit_for_bit(compared):
    """On the bowls, at every kappa, the JS engine and the core do the same IEEE-754 operations
    in the same order: identical doubles, not merely close ones. Only a bias correction's
    pow(decay, t) may differ in the last bit between V8 and the C library, so those are left
    to the tolerance tests above."""
    checked, kappas = _bit_identical(compared, ("bowl", "rotated"))
    assert checked >= 150 and kappas >= 75, (checked, kappas)


def test_divergence_agrees(compared):
    for case, py, js, _ in compared:
        assert js["diverged"] == py["diverged"], case["label"]
        assert js["divergedAt"] == py["divergedAt"], case["label"]


def _check_diverging(compared, expected):
    diverging = [(c, py) for c, py, *_ in compared if c.get("diverging")]
    assert len(diverging) == expected
    for case, py in diverging:
        assert py["diverged"], f"{case['label']} was meant to diverge in the core"
        t = py["divergedAt"]
        assert 1 <= t <= case["steps"]
        # Frozen at the last position inside the bound, with zero updates from there on.
        assert np.all(py["positions"][t:] == py["positions"][t - 1])
        assert np.all(py["updates"][t - 1:] == 0)


def test_diverging_cases_really_diverge(compared):
    _check_diverging(compared, len(DIVERGING))


# ----- noisy runs ------------------------------------------------------------------------------

def test_noisy_runs_cover_every_method_on_several_surfaces(compared_noisy):
    methods = {c["method"] for c, *_ in compared_noisy}
    assert methods == {"gd", "momentum", "rmsprop", "adam", "ngd", "sign"}
    per_method = {}
    for c, *_ in compared_noisy:
        if c["noise"]["sigma"] > 0:
            per_method.setdefault(c["method"], set()).add(c["surface"])
    assert all(len(s) >= 2 for s in per_method.values()), per_method
    assert {c["surface"] for c, *_ in compared_noisy} == set(rc.objectives.ids())
    assert len(compared_noisy) >= 480


def test_noisy_positions_and_loss_agree_to_1e_9(compared_noisy):
    _compare(compared_noisy, ("positions", "loss"), TOL)


def test_noisy_gradients_updates_and_states_agree(compared_noisy):
    _compare(compared_noisy, ("grads", "updates", "S", "V"), TOL_DERIVED)


def test_noisy_runs_agree_bit_for_bit_without_exp_or_pow(compared_noisy):
    """With noise as without, every surface but the two wells (exp) is computed with basic
    operations only: without a bias correction (pow) the engine's doubles are the core's."""
    surfaces = tuple(i for i in rc.objectives.ids() if i != "two-wells")
    checked, kappas = _bit_identical(compared_noisy, surfaces)
    assert checked >= 300 and kappas >= 50, (checked, kappas)


def test_noisy_divergence_agrees(compared_noisy):
    for case, py, js, _ in compared_noisy:
        assert js["diverged"] == py["diverged"], case["label"]
        assert js["divergedAt"] == py["divergedAt"], case["label"]


def test_noisy_diverging_cases_really_diverge(compared_noisy):
    _check_diverging(compared_noisy, len(NOISY_DIVERGING))


def test_noise_moves_the_runs_and_sigma_0_does_not(compared_noisy):
    """The comparison is not vacuous: with sigma > 0 the core's gradients differ from the
    noise-free ones at every step and its path differs in almost every case (a method that only
    sees signs, such as RMSprop with decay 0 and eps 0, ignores noise too small to flip one), and
    with sigma = 0 each side's noisy path is its noise-free one exactly."""
    silent, moved, noisy = [], 0, 0
    for case, py, js, _ in compared_noisy:
        if case.get("diverging"):
            continue
        plain = reference({k: v for k, v in case.items() if k != "noise"})
        if case["noise"]["sigma"] == 0:
            assert np.array_equal(py["positions"], plain["positions"]), case["label"]
            silent.append((case, js))
            continue
        assert np.all(np.any(py["grads"] != plain["grads"], axis=-1)), case["label"]
        noisy += 1
        moved += not np.array_equal(py["positions"], plain["positions"])
    assert moved >= 0.95 * noisy, (moved, noisy)
    request = {"cases": [{k: v for k, v in c.items() if k not in ("label", "diverging", "noise")}
                         for c, _ in silent]}
    for (case, js), plain in zip(silent, run_js(request)["results"]):
        assert js["positions"] == plain["positions"] and js["grads"] == plain["grads"], case["label"]
    assert len(silent) >= 90


def test_gaussian_noise_is_bit_identical():
    """engine.gaussianNoise(seed, step, dim) == rc.objectives.gaussian_noise(seed, step, dim),
    as doubles (JSON carries a double exactly both ways), over random and extreme counters."""
    rng = np.random.default_rng(12)
    top = 2**32 - 1
    requests = [[int(s), int(t), int(d)] for s, t, d in zip(
        rng.integers(0, 2**32, 3000, dtype=np.uint64), rng.integers(0, 2**32, 3000, dtype=np.uint64),
        rng.integers(1, 8, 3000))]
    for seed in (0, 1, 2, 2**31 - 1, 2**31, top - 1, top):
        for step in (0, 1, 2, 149, 150, 1999, 2000, 2**16, 2**31, top - 1, top):
            requests.append([seed, step, 5])
    requests += [[seed, step, 2] for seed in range(8) for step in range(300)]
    js = run_js({"noise": requests})["noise"]
    assert len(js) == len(requests)
    differ = []
    for (seed, step, dim), z in zip(requests, js):
        py = rc.objectives.gaussian_noise(seed, step, dim)
        if not (len(z) == dim and all(a == b for a, b in zip(z, py.tolist()))):
            differ.append((seed, step, dim, z, py.tolist()))
    assert not differ, f"{len(differ)} of {len(requests)} differ, e.g. {differ[:3]}"
    # the numbers are the distribution's: mean 0, variance 1 (over 2 × 300 × 8 + ... draws)
    every = np.concatenate([np.asarray(z) for z in js])
    assert abs(every.mean()) < 0.05 and abs(every.var() - 1) < 0.05


def test_surface_metadata_matches_the_core():
    specs = []
    rng = np.random.default_rng(7)
    for surface_id, angle, kappa, _ in SURFACES:
        obj = python_surface(surface_id, angle, kappa)
        # With kappa the core's quadratic has its own generic name and view; the page keeps the
        # registered bowl's view box (the same start means the same place for every kappa).
        registered = python_surface(surface_id, angle)
        (x0, x1), (y0, y1) = registered.view
        points = np.column_stack([rng.uniform(x0, x1, 25), rng.uniform(y0, y1, 25)])
        spec = {"surface": surface_id, "angle": angle, "kappa": kappa, "points": points.tolist()}
        specs.append((obj, registered, kappa, spec, points))
    js = run_js({"surfaces": [s for *_, s, _ in specs]})["surfaces"]
    for (obj, registered, kappa, _, points), meta in zip(specs, js):
        assert meta["id"] == registered.id
        if kappa is None:
            assert meta["name"] == obj.name
        else:
            assert meta["name"].endswith(f"\u03ba = {kappa:g})"), meta["name"]
        assert meta["view"] == [list(registered.view[0]), list(registered.view[1])]
        assert deviation(meta["minimum"], obj.minimum) <= TOL
        assert math.isclose(meta["minValue"], obj.min_value, rel_tol=0, abs_tol=TOL)
        assert deviation(meta["values"], obj.value(points)) <= TOL
        assert deviation(meta["grads"], obj.grad(points)) <= TOL


# ----- custom surfaces (the page's fn=custom&f=...) --------------------------------------------
#
# A formula is computed by the same closures in the same order on both sides (rmsprop_core/
# formula.py and docs/javascripts/playground/formula.js), so formulas built from + - * /, integer
# powers, abs, min and max give bit-identical trajectories. The library functions (sin, cos, tan,
# exp, log, sqrt, tanh, pow) are V8's and the C library's / numpy's, which differ in the last bit
# for a few per cent of arguments (sqrt never: it is correctly rounded). Where a run hovers
# chaotically around a minimum (constant-rate RMSprop), a one-ulp difference grows, so those
# runs are held, as the two wells are, to a noise floor measured in the core itself: its own
# deviation when every library function the formula uses is nudged one ulp up or down (one at a
# time and all together), times FLOOR_FACTOR (the engine's differences fall at other steps and
# with other signs than one systematic nudge; the factor covers that). Only cases that miss the
# plain tolerance get a floor; the test prints how many needed one.

import rmsprop_core.formula as core_formula  # noqa: E402

FLOOR_FACTOR = 10.0

# (family, formula, view or None, starts): every operation, function and constant, integer,
# negative, real and variable exponents, unary minus; starts inside the default view [-4, 4]^2.
FORMULAS = [
    ("polynomial", "x^2 + 10*y^2", None, [[-3.0, 1.5], [2.0, -0.4]]),
    ("polynomial", "(1 - x)^2 + 100*(y - x^2)^2", ((-2.0, 2.0), (-1.0, 3.0)), [[-1.5, 2.0]]),
    ("polynomial", "x^4/4 - x^2 + y^2/2 + x*y/5", None, [[2.5, -1.3]]),
    ("trig", "sin(x)*cos(y) + (x^2 + y^2)/10", None, [[2.2, -1.7]]),
    ("trig", "tan(x/4)^2 + y^2 - cos(pi*y)/2", None, [[3.1, 0.7]]),
    ("exp-log", "log(1 + x^2 + 2*y^2) + exp(-(x - 1)^2 - y^2)", None, [[-2.5, 2.0]]),
    ("abs", "abs(x) + 5*abs(y - 0.2)", None, [[3.0, -2.1]]),
    ("min-max", "max(x^2, 4*y^2) + min(x, y)/10", None, [[-3.3, 1.1]]),
    ("tanh", "x*tanh(x) + 4*y*tanh(2*y)", None, [[2.7, -1.9]]),
    ("real-power", "(x^2 + y^2 + 1)^0.75 + sqrt(1 + (x - y)^2)", None, [[-2.9, 3.2]]),
    ("variable-power", "(1.5 + sin(x))^(1 + y^2/4) + 2^(x/3)", None, [[1.2, -2.4]]),
    ("negative-power", "x^2 + y^2 - 2*(1 + x^2 + (y - 1)^2)^-1", None, [[2.0, 3.0]]),
    ("minus-pi-e", "-exp(-(x^2 + y^2)/e) + (x/pi)^2 - -y^2/2", ((-5.0, 5.0), (-3.0, 3.0)), [[-3.6, 2.4]]),
]
# Custom runs that must diverge: a saddle's unstable axis, sqrt of a negative number (a NaN
# iterate), exp overflowing to an infinite gradient, a plane with sign descent.
CUSTOM_DIVERGING = [
    ("x^2 - y^2", "gd", {"lr": 0.5}, [1.0, 0.01], 150),
    ("sqrt(x) + y^2", "gd", {"lr": 1.0}, [0.1, 0.5], 20),
    ("exp(x^2) + y^2", "gd", {"lr": 1.0}, [2.0, 1.0], 20),
    ("x + 2*y", "sign", {"lr": 20000.0}, [1.0, 1.0], 150),
]
# Texts for the parsers: trees must be equal, and errors equal word for word, position too.
PARSER_TEXTS = [f for _, f, _, _ in FORMULAS] + [
    "-x^2", "2^3^2", "2^-x^2", "x*-y", "x--y", "x - y - 1", "8/4/2*3", "1e-3 + .5 + 1. + 2.5E+2",
    "min(x, max(y, pi))", "((x))", "sin(cos(tan(exp(log(sqrt(abs(tanh(x))))))))", "x^(1/3)",
    "", "  ", "2x", "x +", "sqrt(x", "sin(x, y)", "min(x)", "sin x", "(x", "x)", "x ** 2", "x^",
    "X", "sinh(x)", "x # y", "x\u00a0+ y", "1e999", "2e", "()", "x, y", "x.y",
    "constructor", "constructor.constructor", "x.__proto__", "__proto__", "toString(x)", "hasOwnProperty(x)", "valueOf", "alert(1)",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "x'", "`x`", "x; y",
    "x" * 10_000, "(" * 1000 + "x" + ")" * 1000, "(" * 65 + "x" + ")" * 65, "(" * 64 + "x" + ")" * 64,
    "-" * 65 + "x", "x" + "^x" * 65, "x" + "+x" * 249, "x" + "+x" * 250,
]


def formula_floor(case):
    """The core's own deviation, per quantity, when the library functions its formula uses are
    nudged one ulp (see above), times FLOOR_FACTOR; {} for a formula without them."""
    names = [n for n in core_formula._LIB if n in case["formula"]]
    if "^" in case["formula"]:
        names.append("pow")
    if not names:
        return {}
    exact = reference(case)
    real = dict(core_formula._LIB)
    floor = {}
    patterns = [{n: d} for n in names for d in (np.inf, -np.inf)]
    patterns += [{n: d for n in real} for d in (np.inf, -np.inf)]
    for pattern in patterns:
        try:
            for name, direction in pattern.items():
                core_formula._LIB[name] = (lambda f, d: lambda *a: np.nextafter(f(*a), d))(real[name], direction)
            nudged = reference(case)
        finally:
            core_formula._LIB.update(real)
        for key, value in exact.items():
            if isinstance(value, np.ndarray):
                floor[key] = max(floor.get(key, 0.0), FLOOR_FACTOR * deviation(nudged[key], value))
    return floor


def custom_cases():
    cases = []
    for family, text, view, starts in FORMULAS:
        for method, variants in VARIANTS.items():
            for k, params in enumerate(variants):
                for start in starts:
                    cases.append(dict(surface="custom", formula=text, view=view, angle=None, kappa=None,
                                      method=method, params=params, start=start, steps=STEPS,
                                      family=family, label=f"custom[{text}]-{method}{k}-{start}"))
    for text, method, params, start, steps in CUSTOM_DIVERGING:
        cases.append(dict(surface="custom", formula=text, view=None, angle=None, kappa=None, method=method,
                          params=params, start=start, steps=steps, family="diverging",
                          label=f"custom-diverging[{text}]-{method}", diverging=True))
    return cases


@pytest.fixture(scope="module")
def compared_custom():
    cases = custom_cases()
    request = {"cases": [{k: v for k, v in c.items() if k not in ("label", "diverging", "family")} for c in cases]}
    js = run_js(request)["results"]
    assert len(js) == len(cases)
    out = []
    for case, j in zip(cases, js):
        py = reference(case)
        plain = all(py[k] is None or deviation(j[k], py[k]) <= tol
                    for keys, tol in ((("positions", "loss"), TOL), (("grads", "updates", "S", "V"), TOL_DERIVED))
                    for k in keys)
        out.append((case, py, j, {} if plain else formula_floor(case)))
    return out


def test_custom_surfaces_cover_every_method_and_the_language(compared_custom):
    assert {c["method"] for c, *_ in compared_custom} == {"gd", "momentum", "rmsprop", "adam", "ngd", "sign"}
    assert len(FORMULAS) >= 10 and len(compared_custom) >= 16 * len(FORMULAS)
    text = " ".join(f for _, f, _, _ in FORMULAS)
    for word in core_formula.FUNCTIONS:
        assert word + "(" in text, word
    for piece in ("pi", "e)", "^-1", "^0.75", ")^(", "-exp", "- -", "/", "*"):
        assert piece in text, piece


def test_custom_positions_and_loss_agree_to_1e_9(compared_custom):
    _compare(compared_custom, ("positions", "loss"), TOL)
    families = {}
    for case, py, js, floor in compared_custom:
        dev = max(deviation(js[k], py[k]) for k in ("positions", "loss"))
        worst, count, floored = families.get(case["family"], (0.0, 0, 0))
        families[case["family"]] = (max(worst, dev), count + 1, floored + bool(floor))
    print("custom surfaces, largest deviation of positions/loss per family (cases, of which held to "
          "the library-function floor):")
    for family, (worst, count, floored) in families.items():
        print(f"  {family:15s} {worst:.3g} ({count} cases, {floored} with a floor)")
    # The floor is the exception: most cases meet 1e-9 outright.
    assert sum(bool(f) for *_, f in compared_custom) <= 0.1 * len(compared_custom)


def test_custom_gradients_updates_and_states_agree(compared_custom):
    _compare(compared_custom, ("grads", "updates", "S", "V"), TOL_DERIVED)


def test_custom_surfaces_without_library_functions_agree_bit_for_bit(compared_custom):
    """+ - * /, integer powers, abs, min and max are the same IEEE operations in the same order on
    both sides: without a bias correction (pow) the engine's doubles are the core's."""
    checked = 0
    for case, py, js, _ in compared_custom:
        if any(n in case["formula"] for n in core_formula._LIB) or case["params"].get("bias"):
            continue
        if any(not float(v).is_integer() for v in _exponents(case["formula"])):
            continue
        for key in ("positions", "loss", "grads", "updates", "S", "V"):
            if py[key] is not None:
                assert deviation(js[key], py[key]) == 0.0, f"{case['label']} {key}"
        checked += 1
    assert checked >= 60, checked


def _exponents(text):
    """The literal numbers after a "^" in text (enough for the formulas above)."""
    import re
    return [float(m) for m in re.findall(r"\^-?\(?([0-9.]+)", text)]


def test_custom_divergence_agrees(compared_custom):
    for case, py, js, _ in compared_custom:
        assert js["diverged"] == py["diverged"], case["label"]
        assert js["divergedAt"] == py["divergedAt"], case["label"]
    _check_diverging(compared_custom, len(CUSTOM_DIVERGING))


def test_custom_values_and_gradients_agree_point_by_point():
    """Not a trajectory, so nothing is amplified: the two implementations' f and grad f at 200
    points of each formula's view agree to a few ulps (library functions' last bits)."""
    rng = np.random.default_rng(14)
    specs, objectives = [], []
    for _, text, view, _ in FORMULAS:
        obj = python_surface("custom", None, None, text, view)
        (x0, x1), (y0, y1) = obj.view
        points = np.column_stack([rng.uniform(x0, x1, 200), rng.uniform(y0, y1, 200)])
        specs.append({"surface": "custom", "formula": text, "view": view, "points": points.tolist()})
        objectives.append((obj, points))
    js = run_js({"surfaces": specs})["surfaces"]
    worst = 0.0
    for (obj, points), meta, spec in zip(objectives, js, specs):
        assert meta["id"] == "custom" and meta["name"] == obj.name == spec["formula"]
        assert meta["view"] == [list(obj.view[0]), list(obj.view[1])]
        assert meta["minimum"] == [None, None] and meta["minValue"] is None     # NaN in JSON
        assert np.all(np.isnan(obj.minimum)) and math.isnan(obj.min_value)
        for key, py in (("values", obj.value(points)), ("grads", obj.grad(points))):
            dev = deviation(meta[key], py)
            worst = max(worst, dev)
            assert dev <= 1e-13, (spec["formula"], key, dev)
    print(f"\ncustom surfaces point by point: largest deviation {worst:.3g}")


def test_the_parsers_agree_on_trees_and_errors():
    """Python's parse() and formula.js's parse() give the same tree (JSON) for every formula and
    the same error message and position for every bad one, hostile ones included."""
    js = run_js({"parse": PARSER_TEXTS})["parse"]
    errors = 0
    for text, got in zip(PARSER_TEXTS, js):
        try:
            want = {"tree": json.loads(json.dumps(core_formula.parse(text)))}
        except core_formula.FormulaError as e:
            want = {"error": e.message, "position": e.position}
            errors += 1
        assert got == want, (text[:60], got, want)
    assert errors >= 35, errors

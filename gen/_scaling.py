"""Shared runs for the "Scaling vs momentum" page (Q2): four methods on the course bowl from
the hero's start A, each at its tuned learning rate and all at the lecture's settings.

Not a registered gen module: the page's figure and table modules (``fig_scaling_*``,
``tab_scaling``) import it, so they all quote the same runs. The build's checksum follows
these imports (gen/build.py), so editing this file rebuilds them.

Settings (stated on the page):

* start: the hero's start A (the lecture's picture, where gradient descent zig-zags in b);
  tolerance, horizon, RMSprop's β and ε: the hero's (imported, never copied);
* the lecture's settings: the course's β = 0.9 for momentum and RMSprop, Adam's
  β1 = 0.9, β2 = 0.999, ε = 1e-8, and, because the lecture gives no learning rate, one α
  for all four methods: gradient descent's best constant step on a quadratic,
  2/(λ_min + λ_max), where gradient descent zig-zags in b as in the lecture's picture
  (1 − αλ_b < 0);
* tuned: each method's own best α from :data:`LR_GRID` (rc.tune_lr, criterion "mean" over
  the one start A, i.e. its steps to tolerance). The grid reaches far above the hero's because
  momentum and Adam stay stable (and near their best) at learning rates where gradient
  descent diverges.
"""
from __future__ import annotations

import functools

import numpy as np

import rmsprop_core as rc
from gen.fig_hero import DECAY, EPS, START_A, STEPS, TOL

METHODS = ("gd", "momentum", "rmsprop", "adam")
NAMES = {"gd": "Gradient descent", "momentum": "Momentum", "rmsprop": "RMSprop", "adam": "Adam"}
COLOURS = {"gd": "#1f77b4", "momentum": "#2ca02c", "rmsprop": "#d62728", "adam": "#9467bd"}
ADAM_B1, ADAM_B2 = 0.9, 0.999      # the course's Adam defaults
MOMENTUM_DECAY = DECAY              # the course's β for momentum is the same 0.9
LR_GRID = np.geomspace(1e-3, 2.0, 61)
CRITERION = "mean"
SETTINGS = ("tuned", "lecture")
B = 1                               # index of the b coordinate (w is 0)


def bowl():
    return rc.objectives.get("bowl")


def lecture_lr() -> float:
    """One α for every method: 2/(λ_min + λ_max) of the bowl (gradient descent's best)."""
    lam = bowl().eigenvalues
    return float(2.0 / (lam.min() + lam.max()))


def make(method: str):
    """lr (scalar or array) -> optimizer, with the course's other hyperparameters."""
    return {
        "gd": lambda lr: rc.gd(lr),
        "momentum": lambda lr: rc.momentum(lr, decay=MOMENTUM_DECAY, form="ema"),
        "rmsprop": lambda lr: rc.rmsprop(lr, decay=DECAY, eps=EPS),
        "adam": lambda lr: rc.adam(lr, b1=ADAM_B1, b2=ADAM_B2, eps=EPS),
    }[method]


def start() -> np.ndarray:
    return np.array([START_A], dtype=float)


@functools.lru_cache(maxsize=None)
def tuned(method: str) -> rc.TuningResult:
    res = rc.tune_lr(make(method), bowl(), start(), LR_GRID, STEPS, TOL, criterion=CRITERION)
    if res.best_lr is None:
        raise ValueError(f"{method}: no learning rate on the grid reaches tolerance {TOL}")
    return res


def lr(method: str, setting: str) -> float:
    if setting not in SETTINGS:
        raise ValueError(f"setting must be one of {SETTINGS}, got {setting!r}")
    return tuned(method).best_lr if setting == "tuned" else lecture_lr()


@functools.lru_cache(maxsize=None)
def trajectory(method: str, setting: str) -> rc.Trajectory:
    """One run from start A over the hero's horizon, with the optimizer state recorded."""
    return rc.run(make(method)(lr(method, setting)), bowl(), start(), STEPS, record_state=True)


def steps_to_tolerance(method: str, setting: str) -> int:
    return int(rc.metrics.steps_to_tolerance(trajectory(method, setting), TOL)[0])


def b_sign_flips(method: str, setting: str) -> int:
    """How often the b-step changes sign over the whole horizon (the zig-zag count)."""
    return int(rc.metrics.sign_flips(trajectory(method, setting), axis=B)[0])


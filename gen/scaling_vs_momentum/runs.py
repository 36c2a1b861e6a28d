"""Shared runs for the "Scaling vs momentum" page (Q2): four methods on the course bowl from
start A, each at its canonical tuned learning rate and all at the lecture's settings.

Not a registered gen module: the page's figure and table modules (``fig_scaling_*``,
``tab_scaling``) import it, so they all quote the same runs. The build's checksum follows
these imports (gen/build.py), so editing this file rebuilds them.

Settings (stated on the page), all from gen/settings.py, the canonical experiment:

* start: start A (the lecture's picture, where gradient descent zig-zags in b); tolerance,
  budget, check horizon, β and ε;
* the lecture's settings: one α for all four methods, 2/(λ_min + λ_max), where gradient
  descent zig-zags in b as in the lecture's picture (1 − αλ_b < 0);
* tuned: each method's canonical rate (tuned over starts A and B, the same rates as on every
  other page). Adam has no rate that keeps it within the tolerance; it runs at the rate a
  budget-only tuner picks, and its count says when it leaves again.
"""
from __future__ import annotations

import functools

import numpy as np

import rmsprop_core as rc
from gen import settings as _settings
from gen.settings import BUDGET, DECAY, EPS, START_A, TOL  # noqa: F401  EPS, TOL: the page reads them as S.EPS, S.TOL
from gen.text import count_text, counted

STEPS = BUDGET
METHODS = ("gd", "momentum", "rmsprop", "adam")
NAMES = {m: _settings.METHODS[m].name for m in METHODS}
COLOURS = {m: _settings.METHODS[m].colour for m in METHODS}
ADAM_B1, ADAM_B2 = _settings.ADAM_B1, _settings.ADAM_B2
MOMENTUM_DECAY = DECAY
LR_GRID = _settings.LR_GRID
SETTINGS = ("tuned", "lecture")
B = 1                               # index of the b coordinate (w is 0)
#: a flip or swing smaller than this is a wobble, not a zig-zag (sign changes alone count both)
LARGE = 1e-3
#: the zig-zag's late envelope is measured from this step on (half the budget: every method is near the minimum by then)
LATE_FROM = BUDGET // 2


def bowl():
    return _settings.bowl()


def lecture_lr() -> float:
    return _settings.lecture_lr()


def make(method: str):
    """lr (scalar or array) -> optimizer, with the course's other hyperparameters."""
    return _settings.METHODS[method].make


def start() -> np.ndarray:
    return np.array([START_A], dtype=float)


def tuned(method: str) -> rc.TuningResult:
    return _settings.tuning(method)


def lr(method: str, setting: str) -> float:
    if setting not in SETTINGS:
        raise ValueError(f"setting must be one of {SETTINGS}, got {setting!r}")
    return _settings.tuned_lr(method) if setting == "tuned" else lecture_lr()


@functools.lru_cache(maxsize=None)
def trajectory(method: str, setting: str) -> rc.Trajectory:
    """One run from start A over the budget, with the optimizer state recorded."""
    return rc.run(make(method)(lr(method, setting)), bowl(), start(), STEPS, record_state=True)


def settling(method: str, setting: str) -> rc.Settling:
    """Start A's row of the canonical settling (row 0), checked to the horizon."""
    return _settings.settling(method, lr(method, setting))


def count(method: str, setting: str) -> str:
    return count_text(settling(method, setting), 0)


def counted_steps(method: str, setting: str) -> int:
    """For arithmetic and drawing: not settling counts as budget + 1."""
    return counted(settling(method, setting), 0)


def b_sign_flips(method: str, setting: str, min_size: float = 0.0) -> int:
    """How often the b-step changes sign over the budget (with ``min_size``: only flips
    whose two steps are both at least that long)."""
    return int(rc.metrics.sign_flips(trajectory(method, setting), axis=B, min_size=min_size)[0])


def b_travel(method: str, setting: str) -> float:
    """Total distance travelled in b over the budget (the straight line needs |b_0|)."""
    return float(rc.metrics.travel(trajectory(method, setting), axis=B)[0])


def b_swing_late(method: str, setting: str) -> float:
    """The zig-zag's envelope late in the run: max |b_t| for t >= LATE_FROM."""
    return float(rc.metrics.swing(trajectory(method, setting), B, start=LATE_FROM)[0])

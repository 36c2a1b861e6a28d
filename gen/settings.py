"""The essay's canonical experiment, named once: the course bowl, starts A and B, the
tolerance, the step budget, the check horizon, the learning-rate grid, the course's
hyperparameters, the method table and the tuned rates every page quotes.

Every page that compares methods on the course bowl imports this module, so a learner who
quotes one page is never contradicted by the next. A page that must differ (per-problem tuning
in the ablation, a longer budget on a steeper bowl) says so where it quotes the number.

Counts are horizon-stable (rmsprop_core.settle): "steps to tolerance" within the 300-step
budget, and the loss checked to stay within the tolerance until step max(4 × budget,
20 × the method's longest memory): 1,200 steps for gradient descent, momentum and RMSprop
(β = 0.9 remembers about 10 steps), 20,000 for Adam's family (1/(1 − β₂) = 1,000 steps: Adam at
a large constant rate settles, then leaves the tolerance again thousands of steps later).
The tests re-check every canonical count at 40,000 steps.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

import rmsprop_core as rc

START_A = (-3.5, 1.5)     # the lecture's picture: gradient descent zig-zags in b
START_B = (0.05, 1.8)     # just off the b axis: the gradient points (almost) at the minimum
STARTS = {"A": START_A, "B": START_B}
#: Start B's view, zoomed on the first steps so that RMSprop's sideways steps (a few
#: hundredths of a unit) are well over ten pixels wide; double-click shows the whole bowl
B_VIEW = ((-0.45, 0.55), (0.85, 1.95))
TOL = 1e-3                # "converged": the loss stays within TOL of the minimum
BUDGET = 300              # steps a count is quoted for
HORIZON = 4 * BUDGET      # steps a count is checked to hold for (short-memory methods) ...
MEMORY_FACTOR = 20        # ... or this many times the method's longest memory, if longer
LR_GRID = np.geomspace(1e-3, 2.0, 67)   # 20 rates per decade, wide enough for every method
DECAY = 0.9               # the course's β for RMSprop and momentum
EPS = 1e-8
ADAM_B1, ADAM_B2 = 0.9, 0.999


def bowl() -> rc.objectives.Objective:
    """The course's elongated bowl f = (w² + 20 b²)/2."""
    return rc.objectives.get("bowl")


def lecture_lr() -> float:
    """One α for every method where the page keeps "the lecture's settings": gradient
    descent's best worst-case constant step 2/(λ_w + λ_b), where 1 − αλ_b < 0 and gradient
    descent zig-zags across b as in the lecture's picture."""
    lam = bowl().eigenvalues
    return float(2.0 / (lam.min() + lam.max()))


class Method(NamedTuple):
    name: str
    colour: str
    dash: str
    make: Callable   # lr (scalar or per row) -> optimizer, the course's other settings
    memory: float = 1.0   # steps its state remembers, 1/(1 − β) for its longest β


METHODS: dict[str, Method] = {
    "gd": Method("Gradient descent", "#1f77b4", "solid", lambda lr: rc.gd(lr)),
    "momentum": Method("Momentum", "#2ca02c", "dot",
                       lambda lr: rc.momentum(lr, decay=DECAY, form="ema"), 1 / (1 - DECAY)),
    "rmsprop": Method("RMSprop", "#d62728", "solid",
                      lambda lr: rc.rmsprop(lr, decay=DECAY, eps=EPS), 1 / (1 - DECAY)),
    "adam": Method("Adam", "#9467bd", "dash",
                   lambda lr: rc.adam(lr, b1=ADAM_B1, b2=ADAM_B2, eps=EPS), 1 / (1 - ADAM_B2)),
    "ngd": Method("Normalised GD", "#17becf", "solid", lambda lr: rc.normalized_gd(lr)),
    "sign": Method("Sign descent", "#ff7f0e", "solid", lambda lr: rc.sign_descent(lr)),
}


#: Variants of the canonical methods that pages tune on the same setup (the ladder from RMSprop
#: to Adam on favourable starts, the step-length figure): named here so they are tuned once.
VARIANTS: dict[str, Method] = {
    "rmsprop_bc": Method("RMSprop with bias correction", "#d62728", "dash",
                         lambda lr: rc.rmsprop(lr, decay=DECAY, eps=EPS, bias_correction=True),
                         1 / (1 - DECAY)),
    "adam_b1_0": Method("Adam without momentum", "#9467bd", "dot",
                        lambda lr: rc.adam(lr, b1=0.0, b2=ADAM_B2, eps=EPS), 1 / (1 - ADAM_B2)),
    "adam_no_bc": Method("Adam without bias correction", "#9467bd", "dashdot",
                         lambda lr: rc.adam(lr, b1=ADAM_B1, b2=ADAM_B2, eps=EPS, bias_correction=False),
                         1 / (1 - ADAM_B2)),
}


def method(key: str) -> Method:
    if key in METHODS:
        return METHODS[key]
    if key in VARIANTS:
        return VARIANTS[key]
    raise ValueError(f"unknown method {key!r}; expected one of {sorted(METHODS) + sorted(VARIANTS)}")


def horizon(key: str) -> int:
    """The step a method's counts are checked to: max(4 × budget, 20 × its memory)."""
    return max(HORIZON, int(round(MEMORY_FACTOR * method(key).memory)))


#: The longest check, Adam's (quoted on the pages beside HORIZON).
LONG_HORIZON = max(int(round(MEMORY_FACTOR * 1 / (1 - ADAM_B2))), HORIZON)


def starts() -> np.ndarray:
    return np.array([START_A, START_B], dtype=float)


_TUNINGS: dict[str, rc.TuningResult] = {}
_SETTLINGS: dict[tuple[str, float], rc.Settling] = {}


def _tune(key: str) -> rc.TuningResult:
    return rc.tune_lr(method(key).make, bowl(), starts(), LR_GRID, BUDGET, TOL, horizon=horizon(key))


def tuning(key: str) -> rc.TuningResult:
    """The method's canonical tuning: mean horizon-stable steps over starts A and B."""
    if key not in _TUNINGS:
        _TUNINGS[key] = _tune(key)
    return _TUNINGS[key]


def tuned_lr(key: str) -> float:
    """The canonical tuned rate; for a method no rate of which stays within the tolerance
    (Adam), the rate a budget-only tuner picks, which the pages label as leaving again."""
    res = tuning(key)
    return res.best_lr if res.best_lr is not None else float(res.lrs[res.fastest_unchecked()])


def is_stable(key: str) -> bool:
    return tuning(key).best_lr is not None


def settling(key: str, lr: float) -> rc.Settling:
    """Both starts (rows A, B) at one rate, checked to the horizon (a grid rate reuses the
    tuning's runs)."""
    if (key, lr) not in _SETTLINGS:
        res = tuning(key)
        hit = np.flatnonzero(res.lrs == lr)
        if hit.size and res.checked[hit[0]]:
            _SETTLINGS[key, lr] = res.settling_at(int(hit[0]))
        else:
            _SETTLINGS[key, lr] = _settle(key, lr)
    return _SETTLINGS[key, lr]


def _settle(key: str, lr: float) -> rc.Settling:
    return rc.settle(method(key).make(lr), bowl(), starts(), TOL, BUDGET, horizon(key))


#: The pages' "lecture's settings" runs, computed by warm().
LECTURE_RUNS = ("gd", "momentum", "rmsprop", "adam")


def tuned_settling(key: str) -> rc.Settling:
    return settling(key, tuned_lr(key))


def row(start: str) -> int:
    return ("A", "B").index(start)


def warm(jobs: int = 1) -> None:
    """Compute every canonical tuning now (the build calls this before it forks workers, so
    they share one set of tunings instead of each computing its own). With ``jobs`` > 1 the
    tunings run in that many forked processes, longest (longest memory) first; the results are
    the same bytes either way (each is one deterministic computation)."""
    keys = sorted((*METHODS, *VARIANTS), key=lambda k: -horizon(k))
    todo = [k for k in keys if k not in _TUNINGS]
    if jobs > 1 and len(todo) > 1:
        import multiprocessing
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for key, res in zip(todo, pool.map(_tune, todo, chunksize=1)):
                _TUNINGS[key] = res
    for key in todo:
        tuning(key)
    lr = lecture_lr()
    for key in LECTURE_RUNS:
        settling(key, lr)

r"""Fair learning rates: each method at its own best constant learning rate.

:func:`tune_lr` runs a method for every (learning rate, start) pair in one vectorised
:func:`~rmsprop_core.run` and scores each learning rate by how many steps it needs to get,
and stay, within a tolerance of the minimum. It returns the whole steps-vs-learning-rate
curve and the criterion as a sentence, so a page can show both.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import _validate
from .metrics import steps_to_tolerance
from .run import run

__all__ = ["tune_lr", "TuningResult", "CRITERIA"]

CRITERIA = ("mean", "median", "max")


class TuningResult(NamedTuple):
    """Result of :func:`tune_lr`.

    ``lrs`` (k,); ``steps`` (k, n_starts) steps to tolerance (-1 = never); ``score`` (k,)
    the criterion per learning rate (never counted as ``steps + 1``); ``converged`` (k,) the
    fraction of starts that got there; ``best_lr``/``best_score`` (``None`` when no learning
    rate converges from any start); ``criterion`` a sentence saying how lrs were compared.
    """

    lrs: np.ndarray
    steps: np.ndarray
    score: np.ndarray
    converged: np.ndarray
    best_lr: float | None
    best_score: float | None
    criterion: str


def tune_lr(make_opt, obj, starts, lrs, steps, tol, criterion="mean", **run_kwargs):
    r"""Pick the constant learning rate that reaches the minimum fastest from ``starts``.

    Every pair (lr, start) is one row of a single batched run: ``make_opt`` receives the
    array of ``k × n_starts`` learning rates (one per trajectory) and returns an optimizer.

    The score of a learning rate is the ``criterion`` ("mean", "median" or "max") over
    starts of :func:`~rmsprop_core.metrics.steps_to_tolerance`, a start that never stays
    within ``tol`` counting as ``steps + 1``. The best learning rate has the lowest score;
    ties go to the smallest learning rate.

    >>> import numpy as np, rmsprop_core as rc
    >>> res = rc.tune_lr(rc.gd, rc.objectives.bowl(), [[2.0, 1.0]], np.geomspace(1e-3, 0.1, 9),
    ...                  steps=300, tol=1e-6)
    >>> round(res.best_lr, 4), res.steps.ravel().tolist()   # 0.1 = 2/λ_b: b never settles
    (0.0562, [-1, -1, -1, -1, -1, -1, 226, 126, -1])
    """
    starts = _validate.positions("starts", starts, obj.dim)
    lrs = np.asarray(lrs, dtype=np.float64)
    if lrs.ndim != 1 or lrs.size == 0:
        raise ValueError(f"lrs must be a non-empty 1-D array of learning rates, got shape {lrs.shape}")
    _validate.hyperparameter("lrs", lrs, low=0.0, low_open=True)
    steps = _validate.steps(steps)
    tol = _validate.finite_positive("tol", tol)
    _validate.choice("criterion", criterion, CRITERIA)

    k, n_starts = lrs.size, starts.shape[0]
    x0 = np.tile(starts, (k, 1))  # row i * n_starts + j: lr i, start j
    lr_per_row = np.repeat(lrs, n_starts)
    traj = run(make_opt(lr_per_row), obj, x0, steps, **run_kwargs)
    reached = steps_to_tolerance(traj, tol).reshape(k, n_starts)

    counted = np.where(reached < 0, steps + 1, reached).astype(np.float64)
    reduce = {"mean": np.mean, "median": np.median, "max": np.max}[criterion]
    score = reduce(counted, axis=1)
    converged = (reached >= 0).mean(axis=1)
    if converged.any():
        best = int(np.argmin(score))  # first minimum: the smallest lr among ties
        best_lr, best_score = float(lrs[best]), float(score[best])
    else:
        best_lr = best_score = None

    word = {"mean": "mean", "median": "median", "max": "largest (worst-case)"}[criterion]
    sentence = (
        f"the {word} over {n_starts} start{'s' if n_starts != 1 else ''} of the number of steps "
        f"after which the loss stays within {tol:g} of the minimum for the rest of a "
        f"{steps}-step run; a start that never gets there counts as {steps + 1} steps. "
        f"The best learning rate is the one with the lowest score among {k} candidates "
        f"from {lrs.min():.3g} to {lrs.max():.3g}."
    )
    return TuningResult(lrs, reached, score, converged, best_lr, best_score, sentence)

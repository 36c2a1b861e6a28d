r"""Fair learning rates: each method at its own best constant learning rate.

:func:`tune_lr` scores every learning rate of a grid by how many steps it needs to get, and
stay, within a tolerance of the minimum from a set of starts, and picks the lowest score.
Every count it scores with is horizon-stable (:func:`~rmsprop_core.settle`): a rate whose run
settles within the budget but leaves the tolerance again before the check horizon counts as
never settling. The result says whether the best rate sits at an edge of the grid or at the
edge of the range of rates that settle, so a page can say so.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import _validate
from .settling import Settling, _checked_horizon, _finite_min_value, _measure

__all__ = ["tune_lr", "TuningResult", "CRITERIA", "EDGES", "VERIFY"]

CRITERIA = ("mean", "median", "max")
"""How :func:`tune_lr` reduces the steps over starts to one score per learning rate."""

VERIFY = ("all", "best")
"""Which learning rates :func:`tune_lr` runs to the check horizon: every one (one batched run,
cheapest for small grids × few starts), or only as many as it takes to find the best."""

EDGES = (None, "grid-low", "grid-high", "settling-range")
"""Where the best rate sits: inside the grid and the settling range (None), at the grid's
smallest or largest rate, or just below a rate that fails to settle from some start."""


class TuningResult(NamedTuple):
    """Result of :func:`tune_lr`.

    ``lrs`` (k,); ``steps`` (k, n_starts) horizon-stable steps to tolerance (-1 = does not
    settle: never within the budget, leaves again before the horizon, or diverges);
    ``first_settled`` (k, n_starts) the counts a budget-only run gives (what a tuner that
    does not check would see); ``left_at`` (k, n_starts) the first step after the budget
    outside the tolerance (-1 if none, or unchecked);
    ``status`` (k, n_starts) :func:`~rmsprop_core.settle`'s word for each run ("unchecked"
    for rates never run to the horizon, whose ``steps`` are then the budget-only counts, a
    lower bound of the score); ``checked`` (k,) bool; ``score`` (k,) the criterion per
    learning rate (not settling counts as ``steps + 1``); ``converged`` (k,) the fraction of
    starts that settle; ``best_lr``/``best_score``/``best_index`` (``None`` when no rate
    settles from any start); ``edge`` one of :data:`EDGES`; ``budget`` and ``horizon`` the
    run lengths; ``criterion`` a sentence saying how rates were compared.
    """

    lrs: np.ndarray
    steps: np.ndarray
    first_settled: np.ndarray
    left_at: np.ndarray
    status: np.ndarray
    checked: np.ndarray
    score: np.ndarray
    converged: np.ndarray
    best_lr: float | None
    best_score: float | None
    best_index: int | None
    edge: str | None
    budget: int
    horizon: int
    tol: float
    criterion: str

    def fastest_unchecked(self) -> int:
        """Index of the rate a budget-only tuner would pick (lowest mean of ``first_settled``,
        not settling counting as ``budget + 1``): what a page shows for a method no rate of
        which stays within the tolerance."""
        counted = np.where(self.first_settled < 0, self.budget + 1, self.first_settled)
        return int(np.argmin(counted.mean(axis=1)))

    def settling_at(self, i: int) -> Settling:
        """The :class:`~rmsprop_core.Settling` of rate ``i`` over the starts (the rate must have
        been checked); its ``at_horizon`` is known only for settled runs (else -1)."""
        if not self.checked[i]:
            raise ValueError(f"rate {i} ({self.lrs[i]:.3g}) was not run to the horizon")
        at_horizon = np.where(self.status[i] == "settled", self.first_settled[i], -1)
        return Settling(self.steps[i].copy(), self.status[i].copy(), self.first_settled[i].copy(),
                        self.left_at[i].copy(), at_horizon, self.budget, self.horizon, self.tol)

    def edge_text(self) -> str:
        """The edge in words for a page ("" when the best rate is inside both ranges)."""
        return {
            None: "",
            "grid-low": "the smallest rate on the grid",
            "grid-high": "the largest rate on the grid",
            "settling-range": "the largest rate on the grid that settles from every start; "
                              "the next one does not",
        }[self.edge]


def tune_lr(make_opt, obj, starts, lrs, steps, tol, criterion="mean", *, horizon=None,
            verify="all", bound=1e6):
    r"""Pick the constant learning rate that settles within ``tol`` fastest from ``starts``.

    Every pair (lr, start) is one row of a batched run: ``make_opt`` receives the array of
    learning rates (one per trajectory) and returns an optimizer. The score of a learning
    rate is the ``criterion`` ("mean", "median" or "max") over starts of the horizon-stable
    steps to tolerance within ``steps`` (:func:`~rmsprop_core.settle`, checked to
    ``horizon``, default ``max(10 · steps, 10 000)``); a start that does not settle counts
    as ``steps + 1``. The best learning rate is the one with the lowest score among those that
    settle from the most starts (from all of them, where any rate does); ties go to the smallest.

    With ``verify="best"`` all rates are first screened over the budget alone (a cheap run
    whose counts are lower bounds of the certified ones), then certified in order of their
    screened score, in chunks of 1, 2, 4, … rates, until no unchecked rate can beat the best
    certified one that settles from every start;
    the rate above the best is certified too, to report the settling-range edge.

    >>> import numpy as np, rmsprop_core as rc
    >>> res = rc.tune_lr(rc.gd, rc.objectives.bowl(), [[2.0, 1.0]], np.geomspace(1e-3, 0.1, 9),
    ...                  steps=300, tol=1e-6)
    >>> round(res.best_lr, 4), res.steps.ravel().tolist(), res.edge   # 0.1 = 2/λ_b: b never settles
    (0.0562, [-1, -1, -1, -1, -1, -1, 226, 126, -1], 'settling-range')
    """
    starts = _validate.positions("starts", starts, obj.dim)
    lrs = np.asarray(lrs, dtype=np.float64)
    if lrs.ndim != 1 or lrs.size == 0:
        raise ValueError(f"lrs must be a non-empty 1-D array of learning rates, got shape {lrs.shape}")
    _validate.hyperparameter("lrs", lrs, low=0.0, low_open=True)
    if np.any(np.diff(lrs) <= 0):
        raise ValueError("lrs must be strictly increasing (the edges of the grid are reported)")
    steps = _validate.steps(steps)
    horizon = _checked_horizon(steps, horizon, budget_name="steps")
    tol = _validate.finite_positive("tol", tol)
    _validate.choice("criterion", criterion, CRITERIA)
    _validate.choice("verify", verify, VERIFY)
    f_star = _finite_min_value(obj)

    k, n_starts = lrs.size, starts.shape[0]
    reduce = {"mean": np.mean, "median": np.median, "max": np.max}[criterion]

    def measure(indices, until):
        x0 = np.tile(starts, (len(indices), 1))  # row i * n_starts + j: lr indices[i], start j
        lr_rows = np.repeat(lrs[indices], n_starts)
        s = _measure(make_opt(lr_rows), obj, x0, tol, f_star, steps, until, bound)
        shape = (len(indices), n_starts)
        return (s.steps.reshape(shape), s.status.reshape(shape), s.first_settled.reshape(shape),
                s.left_at.reshape(shape))

    counts = np.empty((k, n_starts), dtype=np.int64)
    first = np.empty((k, n_starts), dtype=np.int64)
    left = np.full((k, n_starts), -1, dtype=np.int64)
    status = np.full((k, n_starts), "unchecked", dtype=object)
    checked = np.zeros(k, dtype=bool)

    def certify(indices):
        indices = [i for i in indices if not checked[i]]
        if indices:
            c, st, f, lt = measure(np.array(indices), horizon)
            counts[indices], status[indices], checked[indices], first[indices] = c, st, True, f
            left[indices] = lt

    def scores():
        counted = np.where(counts < 0, steps + 1, counts).astype(np.float64)
        return reduce(counted, axis=1)

    if verify == "all":
        certify(range(k))
    else:
        _, screen_status, screened, _ = measure(np.arange(k), steps)   # lower bounds
        counts[:] = screened
        first[:] = screened
        # a rate that settles from no start within the budget cannot settle when checked longer
        hopeless = (screened < 0).all(axis=1)
        status[hopeless], checked[hopeless] = screen_status[hopeless], True
        # certify in order of screened score (then smallest lr), in chunks that double, so
        # that a method no rate of which settles costs a few runs, not one per rate
        order = [int(i) for i in np.lexsort((np.arange(k), scores())) if not checked[i]]
        chunk = 1
        while order:
            lead = scores()[order[0]]                      # a lower bound for all of `order`
            # only a rate that settles from every start bounds the search (it ranks first)
            settled_best = np.where(checked & ((counts >= 0).all(axis=1)), scores(), np.inf).min()
            if settled_best <= lead:
                break                                      # nothing unchecked can do better
            certify(order[:chunk])
            order, chunk = order[chunk:], 2 * chunk
    score = scores()
    converged = np.where(checked, (counts >= 0).mean(axis=1), np.nan)
    # the fastest among the rates that settle from the most starts
    most = np.nanmax(converged) if checked.any() else 0.0
    candidates = np.flatnonzero(checked & (converged > 0) & (converged == most))
    if candidates.size:
        best = int(candidates[np.lexsort((candidates, score[candidates]))[0]])
        if best + 1 < k:
            certify([best + 1])
            converged = np.where(checked, (counts >= 0).mean(axis=1), np.nan)
            score = scores()
        if best == k - 1:
            edge = "grid-high"
        elif best == 0:
            edge = "grid-low"
        elif converged[best + 1] < converged[best]:
            edge = "settling-range"
        else:
            edge = None
        best_lr, best_score = float(lrs[best]), float(score[best])
    else:
        best = best_lr = best_score = edge = None

    word = {"mean": "mean", "median": "median", "max": "largest (worst-case)"}[criterion]
    sentence = (
        f"the {word} over {n_starts} start{'s' if n_starts != 1 else ''} of the number of steps "
        f"after which the loss stays within {tol:g} of the minimum, counted within {steps} steps "
        f"and checked to hold until step {horizon:,}; a start that does not settle counts as "
        f"{steps + 1} steps. The best learning rate is the one with the lowest score among the "
        f"{k} candidates from {lrs.min():.3g} to {lrs.max():.3g} that settle from the most starts."
    )
    return TuningResult(lrs, counts, first, left, status, checked, score, converged, best_lr, best_score,
                        best, edge, steps, horizon, tol, sentence)

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
from .objectives import Objective
from .settling import (Settling, _checked_horizon, _checked_tols, _finite_min_value, _measure,
                       _measure_each)

__all__ = ["tune_lr", "TuningResult", "tune_grid", "GridTuning", "CRITERIA", "EDGES", "VERIFY"]

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

    ``obj`` is an Objective, or a function ``make_objective(start)`` that receives the start
    index of every row (an int array) and returns the objective of those rows: e.g.
    ``lambda j: rc.objectives.noisy(bowl, 0.1, seed=seeds[j])`` gives each start its own
    noise seed, the same for every rate (so that rates are compared on common noise), and
    ``starts`` may then repeat one point, once per seed.

    >>> import numpy as np, rmsprop_core as rc
    >>> res = rc.tune_lr(rc.gd, rc.objectives.bowl(), [[2.0, 1.0]], np.geomspace(1e-3, 0.1, 9),
    ...                  steps=300, tol=1e-6)
    >>> round(res.best_lr, 4), res.steps.ravel().tolist(), res.edge   # 0.1 = 2/λ_b: b never settles
    (0.0562, [-1, -1, -1, -1, -1, -1, 226, 126, -1], 'settling-range')
    """
    make_objective = None
    if not isinstance(obj, Objective):
        if not callable(obj):
            raise ValueError(f"obj must be an Objective or a function of the start indices "
                             f"returning one, got {type(obj).__name__}")
        make_objective = obj
        n_starts = _validate.positions("starts", starts).shape[0]
        obj = make_objective(np.arange(n_starts))
        if not isinstance(obj, Objective):
            raise ValueError(f"obj(start) must return an Objective, got {type(obj).__name__}")
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
        objective = obj if make_objective is None else make_objective(np.tile(np.arange(n_starts), len(indices)))
        s = _measure(make_opt(lr_rows), objective, x0, tol, f_star, steps, until, bound)
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


class GridTuning(NamedTuple):
    """Result of :func:`tune_grid`: for each cell c and tolerance j, the tuned rate and the
    certified counts from every start.

    ``best`` (cells, tols) index into ``lrs`` (-1 when no rate settles from any start);
    ``steps`` (cells, tols, starts) horizon-stable steps to tolerance at the best rate (-1 =
    does not settle); ``touch_best`` and ``touch`` the same for the "first touch" criterion
    (the first step within the tolerance, whether or not the loss stays: no check horizon);
    ``edge`` (cells, tols) one of :data:`EDGES` per cell; ``runs`` the trajectory-steps run.
    """

    lrs: np.ndarray
    tols: np.ndarray
    best: np.ndarray
    steps: np.ndarray
    touch_best: np.ndarray
    touch: np.ndarray
    edge: np.ndarray
    budget: int
    horizon: int
    criterion: str
    runs: int

    def best_lr(self) -> np.ndarray:
        """(cells, tols) tuned learning rates (NaN where nothing settles)."""
        return np.where(self.best >= 0, self.lrs[np.maximum(self.best, 0)], np.nan)


def tune_grid(make_opt, make_objective, cells, starts, lrs, budget, tols, *, horizon=None,
              criterion="median", verify="best", bound=1e6):
    r""":func:`tune_lr` for many problems and tolerances at once: the rate is tuned per cell
    and per tolerance, with every cell's rows in one batched run.

    ``cells`` problems (e.g. bowls of different condition numbers); every trajectory is a
    row (cell c, rate i, start j). ``make_objective(cell)`` receives the cell index of every
    row and returns the objective (typically one bowl per row,
    ``rc.objectives.quadratic(eigenvalues[cell])``); ``make_opt(lr, cell)`` the optimizer.
    ``starts`` (n_starts, d), or (cells, n_starts, d) for starts per cell.

    As in :func:`tune_lr` with ``verify="best"``: every rate is screened over the budget
    for every tolerance in one run (:func:`~rmsprop_core.settle_each`); then, per cell and
    tolerance, rates are certified to the ``horizon`` in order of their screened score, in
    chunks of 1, 2, 4, … until no unchecked rate can beat the best certified one. The best
    rate settles from the most starts and, among those, has the lowest ``criterion`` over
    starts (not settling counts as ``budget + 1``).

    ``verify="all"`` certifies every rate that the screen lets settle from some start in one
    run instead. The result is the same (ties are broken in the same order); it is faster
    where most rates would be certified anyway — with noisy gradients most rates touch the
    tolerance within the budget and leave it later, and certifying them in chunks of 1, 2,
    4, … would run log₂(rates) runs to the horizon one after another.

    >>> import numpy as np, rmsprop_core as rc
    >>> kappas = np.array([1.0, 100.0])
    >>> g = rc.tune_grid(lambda lr, c: rc.gd(lr),
    ...                  lambda c: rc.objectives.quadratic(np.stack([np.ones(c.size), kappas[c]], 1)),
    ...                  2, [[1.0, 1.0]], np.geomspace(1e-3, 1.5, 30), 500, [1e-2, 1e-4])
    >>> g.steps[:, :, 0].tolist()
    [[1, 2], [122, 264]]
    """
    starts = np.asarray(starts, dtype=np.float64)
    per_cell_starts = starts.ndim == 3
    if starts.ndim not in (2, 3) or (per_cell_starts and starts.shape[0] != cells):
        raise ValueError("starts must have shape (n_starts, d) or (cells, n_starts, d)")
    cells = _validate.steps(cells, name="cells")
    lrs = np.asarray(lrs, dtype=np.float64)
    _validate.hyperparameter("lrs", lrs, low=0.0, low_open=True)
    if lrs.ndim != 1 or np.any(np.diff(lrs) <= 0):
        raise ValueError("lrs must be a strictly increasing 1-D array")
    tols = _checked_tols(tols)
    budget = _validate.steps(budget, name="budget")
    horizon = _checked_horizon(budget, horizon)
    _validate.choice("criterion", criterion, CRITERIA)
    _validate.choice("verify", verify, VERIFY)
    reduce = {"mean": np.mean, "median": np.median, "max": np.max}[criterion]
    k, nt = lrs.size, tols.size
    ns = starts.shape[-2]
    runs = 0

    def measure(cell_of, lr_of, until, loosest=None):
        """Rows (cell_of[r], lr_of[r], start j) -> tuple of Settling per tolerance. ``loosest``
        (per (cell, rate) pair): the loosest tolerance whose counts will be read."""
        nonlocal runs
        cell_rows = np.repeat(cell_of, ns)
        x0 = (starts[cell_of].reshape(-1, starts.shape[-1]) if per_cell_starts
              else np.tile(starts, (len(cell_of), 1)))
        obj = make_objective(cell_rows)
        f_star = _finite_min_value(obj)
        runs += x0.shape[0] * until
        return _measure_each(make_opt(np.repeat(lrs[lr_of], ns), cell_rows), obj, x0, tols,
                             f_star, budget, until, bound, compact=True,
                             loosest=None if loosest is None else np.repeat(loosest, ns))

    def score(counts):
        conv = (counts >= 0).mean(axis=-1)
        return conv, reduce(np.where(counts < 0, budget + 1, counts), axis=-1)

    # screen: every (cell, rate) over the budget, all tolerances
    cc, ll = np.meshgrid(np.arange(cells), np.arange(k), indexing="ij")
    screened = measure(cc.ravel(), ll.ravel(), budget)
    first = np.stack([s.first_settled for s in screened], -1).reshape(cells, k, ns, nt)
    touch_all = np.stack([s.first_touch for s in screened], -1).reshape(cells, k, ns, nt)
    first = np.moveaxis(first, 3, 1)          # (cells, tols, rates, starts)
    touch_all = np.moveaxis(touch_all, 3, 1)
    conv, sc = score(first)                   # optimistic: certification can only lose
    rate_index = np.broadcast_to(np.arange(k), conv.shape)
    order = np.lexsort((rate_index, sc, -conv), axis=-1)

    steps = np.full((cells, nt, ns), -1, dtype=np.int64)
    best = np.full((cells, nt), -1, dtype=np.int64)
    best_key = np.full((cells, nt, 2), np.inf)   # (-converged, score) of the best certified
    checked = np.zeros((cells, nt, k), dtype=bool)
    cert_conv = np.full((cells, nt, k), np.nan)
    pos = np.zeros((cells, nt), dtype=np.int64)
    done = conv.max(axis=-1) == 0             # nothing settles within the budget at all
    chunk = 1 if verify == "best" else k

    def run_pairs(pairs):
        """Certify (cell, tol, rate) triples to the horizon in one run over their distinct
        (cell, rate) rows; yields (cell, tol, rate, counts from every start)."""
        if not pairs:
            return
        distinct = sorted({(c, i) for c, _, i in pairs})
        index = {p: r for r, p in enumerate(distinct)}
        loosest = np.zeros(len(distinct))
        for c, j, i in pairs:
            loosest[index[(c, i)]] = max(loosest[index[(c, i)]], tols[j])
        result = measure(np.array([c for c, _ in distinct]), np.array([i for _, i in distinct]),
                         horizon, loosest)
        for c, j, i in pairs:
            r = index[(c, i)]
            checked[c, j, i] = True
            yield c, j, i, result[j].steps[r * ns:(r + 1) * ns]

    def certify(pairs):
        for c, j, i, counts in run_pairs(pairs):
            cv, s = score(counts)
            cert_conv[c, j, i] = cv
            if cv > 0 and (-cv, s) < tuple(best_key[c, j]):
                best_key[c, j] = (-cv, s)
                best[c, j] = i
                steps[c, j] = counts

    while not done.all():
        pairs = []
        for c, j in np.argwhere(~done):
            for i in order[c, j, pos[c, j]:pos[c, j] + chunk]:
                if conv[c, j, i] > 0:
                    pairs.append((int(c), int(j), int(i)))
            pos[c, j] += chunk
        certify(pairs)
        for c, j in np.argwhere(~done):
            p = pos[c, j]
            if p >= k or conv[c, j, order[c, j, p]] == 0:
                done[c, j] = True
            elif tuple(best_key[c, j]) <= (-conv[c, j, order[c, j, p]], sc[c, j, order[c, j, p]]):
                done[c, j] = True
        chunk *= 2

    # the edge of each best rate: grid ends, or the next rate up settles from fewer starts
    above = [(int(c), int(j), int(best[c, j] + 1)) for c, j in np.argwhere(best >= 0)
             if best[c, j] + 1 < k and not checked[c, j, best[c, j] + 1]
             and conv[c, j, best[c, j] + 1] > 0]
    for c, j, i, counts in run_pairs(above):   # checked for the edge only: best stays
        cert_conv[c, j, i] = (counts >= 0).mean()
    edge = np.full((cells, nt), None, dtype=object)
    for c, j in np.argwhere(best >= 0):
        i = best[c, j]
        if i == k - 1:
            edge[c, j] = "grid-high"
        elif i == 0:
            edge[c, j] = "grid-low"
        else:
            above_conv = cert_conv[c, j, i + 1] if checked[c, j, i + 1] else conv[c, j, i + 1]
            if above_conv < -best_key[c, j, 0]:
                edge[c, j] = "settling-range"

    # first touch: no certificate needed; the best rate by the same rule on touch counts
    tconv, tsc = score(touch_all)
    tbest = np.lexsort((rate_index, tsc, -tconv), axis=-1)[..., 0]
    touch = np.take_along_axis(touch_all, tbest[..., None, None], axis=2)[:, :, 0]
    tbest = np.where(tconv.max(axis=-1) > 0, tbest, -1)

    word = {"mean": "mean", "median": "median", "max": "largest"}[criterion]
    sentence = (f"for each problem and tolerance, the rate among {k} from {lrs.min():.3g} to "
                f"{lrs.max():.3g} that settles from the most of the {ns} starts and, among those, "
                f"has the lowest {word} steps to tolerance, counted within {budget:,} steps and "
                f"checked to hold until step {horizon:,}")
    return GridTuning(lrs, tols, best, steps, tbest, touch, edge, budget, horizon, sentence, runs)

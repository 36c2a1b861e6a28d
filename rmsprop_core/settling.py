r"""Horizon-stable steps to tolerance: a count that does not change when the run is longer.

"Steps to tolerance" is the first step after which the loss *stays* within ``tol`` of the
minimum. Read off a run of ``budget`` steps, "stays" only means "until the run was cut off":
Adam at a large rate settles, then leaves the tolerance again thousands of steps later;
RMSprop at the largest rate that "converges" within the budget is often still hovering in
and out. :func:`settle` therefore measures the count within the ``budget`` and then keeps
running, without recording positions, to a much longer ``horizon`` (by default
``max(10 · budget, 10 000)`` steps, so at least 4 × any count it reports) and certifies the
count only if the loss never leaves the tolerance again before the horizon.

This is an empirical certificate, not a proof: for gradient descent and heavy-ball momentum
on a quadratic (linear iterations that contract) a settled loss can only keep shrinking, but
RMSprop and Adam are nonlinear, and a departure later than the horizon cannot be excluded.
The horizon is stated wherever a count is quoted.

Memory is bounded: only the current iterate, the optimizer state and five integers per
trajectory are kept, so a sweep of 10⁵ trajectories × 10⁴ steps fits in a few megabytes.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import _validate
from .objectives import Objective
from .objectives import restrict as restrict_objective
from .run import _checked_inputs, _leaves, _rebuild, _rows_per_block
from .transforms import GradientTransformation, StackState, restrict, take_stack_rows

__all__ = ["settle", "settle_each", "Settling", "STATUSES", "default_horizon"]

#: What :func:`settle` says of each trajectory.
STATUSES = ("settled", "left", "never", "diverged")

def default_horizon(budget: int) -> int:
    """The check horizon used when none is given: ``max(10 · budget, 10 000)`` steps."""
    return max(10 * budget, 10_000)


def _checked_horizon(budget: int, horizon, budget_name: str = "budget") -> int:
    """``horizon`` (default :func:`default_horizon`), at least 4 × the (checked) budget."""
    horizon = default_horizon(budget) if horizon is None else _validate.steps(horizon, name="horizon")
    if horizon < 4 * budget:
        raise ValueError(
            f"horizon must be at least 4 × {budget_name} = {4 * budget} steps (a count is "
            f"certified only by a run at least four times as long), got {horizon}"
        )
    return horizon


def _checked_tols(tols) -> np.ndarray:
    """Tolerances as a non-empty 1-D float array of finite numbers > 0."""
    tols = np.asarray(tols, dtype=np.float64)
    if tols.ndim != 1 or tols.size == 0:
        raise ValueError(f"tols must be a non-empty 1-D array of tolerances, got shape {tols.shape}")
    for t in tols:
        _validate.finite_positive("tols", t)
    return tols


def _finite_min_value(objective, min_value=None) -> float:
    """:math:`f^\\star`: ``min_value`` or the objective's, which must be finite."""
    f_star = objective.min_value if min_value is None else float(min_value)
    if not np.isfinite(f_star):
        raise ValueError(f"the objective {objective.id!r} has no finite minimum value to measure against")
    return f_star


class Settling(NamedTuple):
    """Result of :func:`settle`; every array has one entry per trajectory, shape (n,).

    ``steps``: the certified steps to tolerance within the budget, -1 unless the status is
    "settled". ``status``: "settled" (within the tolerance from ``steps`` to the horizon),
    "left" (within it from ``first_settled`` to the end of the budget, outside again at step
    ``left_at``), "never" (outside the tolerance at the end of the budget) or "diverged".
    ``first_settled``: the uncertified count a ``budget``-step run gives (-1 if none).
    ``left_at``: the first step after the budget with the loss outside the tolerance (-1 if
    none). ``at_horizon``: the count over the whole horizon (-1 if outside at its end).
    ``first_touch``: the first step within the budget at which the loss is within the
    tolerance, whether or not it stays (-1 if none; None where not measured).
    """

    steps: np.ndarray
    status: np.ndarray
    first_settled: np.ndarray
    left_at: np.ndarray
    at_horizon: np.ndarray
    budget: int
    horizon: int
    tol: float
    first_touch: np.ndarray | None = None

    @property
    def n(self) -> int:
        return self.steps.shape[0]

    def certified(self, i: int = 0) -> int:
        """Trajectory ``i``'s count; ValueError if it is not horizon-stable."""
        if self.status[i] != "settled":
            raise ValueError(
                f"trajectory {i} is {self.status[i]!r}, not settled: its count "
                f"({self.first_settled[i]} within {self.budget} steps) is not horizon-stable"
            )
        return int(self.steps[i])

    def describe(self, i: int = 0) -> str:
        """Trajectory ``i`` in words, e.g. "58 steps", "more than 300 steps", or
        "within the tolerance from step 91, but leaves it again at step 1,459"."""
        s = self.status[i]
        if s == "settled":
            return f"{int(self.steps[i])} steps"
        if s == "left":
            return (f"within the tolerance from step {int(self.first_settled[i])}, but leaves it "
                    f"again at step {int(self.left_at[i]):,}")
        if s == "diverged":
            return "diverges"
        return f"more than {self.budget} steps"


def settle(
    optimizer: GradientTransformation,
    objective: Objective,
    x0,
    tol: float,
    budget: int,
    horizon: int | None = None,
    *,
    min_value: float | None = None,
    bound: float = 1e6,
    block_rows: int | None = None,
) -> Settling:
    r"""Steps to tolerance within ``budget``, certified over a run to ``horizon``.

    .. math::

        \tau = \min\{\, t \le B : f(x_s) - f^\star < \texttt{tol}\ \text{for all}\
        t \le s \le H \,\}

    with :math:`B` = ``budget`` and :math:`H` = ``horizon`` (default
    :func:`default_horizon`, at least ``4 * budget``). The iteration is exactly
    :func:`~rmsprop_core.run`'s (same blocks, same arithmetic, same divergence rule), so
    ``first_settled`` equals ``metrics.steps_to_tolerance(run(..., budget), tol)``.

    Parameters
    ----------
    optimizer, objective, x0 : as for :func:`~rmsprop_core.run`
    tol : float > 0
    budget : int >= 1
        The step budget the count is quoted for.
    horizon : int >= 4 * budget, optional
    min_value : float, optional
        :math:`f^\star` (default: the objective's ``min_value``).

    >>> import rmsprop_core as rc
    >>> bowl = rc.objectives.bowl()
    >>> s = rc.settle(rc.gd(0.09), bowl, [[-3.5, 1.5]], tol=1e-3, budget=300)
    >>> s.status[0], int(s.steps[0]), s.horizon
    ('settled', 47, 10000)
    """
    x, bound = _checked_inputs(optimizer, objective, x0, bound)
    tol = _validate.finite_positive("tol", tol)
    budget = _validate.steps(budget, name="budget")
    horizon = _checked_horizon(budget, horizon)
    f_star = _finite_min_value(objective, min_value)
    return _measure(optimizer, objective, x, tol, f_star, budget, horizon, bound, block_rows)


def settle_each(
    optimizer: GradientTransformation,
    objective: Objective,
    x0,
    tols,
    budget: int,
    horizon: int | None = None,
    *,
    min_value: float | None = None,
    bound: float = 1e6,
    block_rows: int | None = None,
) -> tuple[Settling, ...]:
    """:func:`settle` for several tolerances from one run: one :class:`Settling` per entry of
    ``tols``, each equal to ``settle(..., tol)``. A map over tolerances costs one run.

    >>> import rmsprop_core as rc
    >>> loose, tight = rc.settle_each(rc.gd(0.09), rc.objectives.bowl(), [[-3.5, 1.5]],
    ...                               [1e-1, 1e-6], budget=300)
    >>> int(loose.steps[0]), int(tight.steps[0]), int(tight.first_touch[0])
    (22, 83, 83)
    """
    x, bound = _checked_inputs(optimizer, objective, x0, bound)
    tols = _checked_tols(tols)
    budget = _validate.steps(budget, name="budget")
    horizon = _checked_horizon(budget, horizon)
    f_star = _finite_min_value(objective, min_value)
    return _measure_each(optimizer, objective, x, tols, f_star, budget, horizon, bound, block_rows)


def _measure(optimizer, objective, x, tol, f_star, budget, horizon, bound=1e6, block_rows=None):
    """:func:`settle` on checked inputs, without the 4 × budget rule (``horizon`` may equal
    ``budget``: then nothing is certified beyond the budget; the tuner screens this way)."""
    return _measure_each(optimizer, objective, x, np.array([tol]), f_star, budget, horizon,
                         bound, block_rows)[0]


def _measure_each(optimizer, objective, x, tols, f_star, budget, horizon, bound=1e6,
                  block_rows=None, compact=False, loosest=None):
    """settle_each on checked inputs. ``compact=True`` (the tuners') stops iterating rows whose
    status is decided for every tolerance (diverged; or, after the budget, outside even the
    loosest tolerance): their ``at_horizon`` is then -1, every other field is unchanged.
    ``loosest`` (n,), with ``compact``: the loosest tolerance each row is asked about; a row is
    decided once it is outside that one after the budget (its counts for looser tolerances are
    then not certified: the caller must not read them)."""
    n, d = x.shape
    k = tols.size
    rows_per_block = _rows_per_block(d, block_rows)
    last_out_budget = np.empty((n, k), dtype=np.int64)
    last_out = np.empty((n, k), dtype=np.int64)
    left_at = np.full((n, k), -1, dtype=np.int64)
    touch = np.empty((n, k), dtype=np.int64)
    diverged = np.zeros(n, dtype=bool)
    for r0 in range(0, n, rows_per_block):
        rows = slice(r0, min(n, r0 + rows_per_block))
        if compact and k > 1:
            def restrict_to(index, r0=r0):
                index = index + r0
                return restrict(optimizer, n, index), restrict_objective(objective, n, index)
            need = None
            if loosest is not None:   # levels: a row is outside `loosest` at level >= need
                need = np.searchsorted(np.sort(tols), np.asarray(loosest, dtype=np.float64)[rows],
                                       side="right")
            out = _settle_block_many(restrict(optimizer, n, rows),
                                     restrict_objective(objective, n, rows), x[rows], tols, f_star,
                                     budget, horizon, bound, restrict_to, need)
        else:
            out = _settle_block(restrict(optimizer, n, rows), restrict_objective(objective, n, rows),
                                x[rows], tols, f_star, budget, horizon, bound)
        last_out_budget[rows], last_out[rows], left_at[rows], touch[rows], diverged[rows] = out

    result = []
    for j in range(k):
        first_settled = np.where(last_out_budget[:, j] >= budget, -1, last_out_budget[:, j] + 1)
        at_horizon = np.where(last_out[:, j] >= horizon, -1, last_out[:, j] + 1)
        first_settled[diverged] = -1
        at_horizon[diverged] = -1
        status = np.where(diverged, "diverged",
                          np.where(first_settled < 0, "never",
                                   np.where(left_at[:, j] >= 0, "left", "settled"))).astype(object)
        steps = np.where(status == "settled", first_settled, -1)
        result.append(Settling(steps, status, first_settled, left_at[:, j].copy(), at_horizon,
                               budget, horizon, float(tols[j]), touch[:, j].copy()))
    return tuple(result)


def _settle_block(opt, objective, x, tols, f_star, budget, horizon, bound):
    """One block of rows: iterate to ``horizon`` keeping only counters (see :func:`settle`),
    for every tolerance in ``tols`` at once (outputs have shape (rows, tolerances)).

    A row is "outside" at step t when not f(x_t) − f* < tol (NaN is outside); a row whose
    iterate leaves the bound or becomes non-finite is diverged and outside from then on.
    """
    b = x.shape[0]
    k = tols.size
    if k > 1:
        return _settle_block_many(opt, objective, x, tols, f_star, budget, horizon, bound)
    grad, value, update = objective._grad, objective._value, opt.update
    stochastic = objective.stochastic   # then x_{t-1}'s gradient is grad(x, t - 1), as in run()
    state = opt.init(x)
    last_out_budget = np.full((b, k), -1, dtype=np.int64)
    left_at = np.full((b, k), -1, dtype=np.int64)
    touch = np.full((b, k), -1, dtype=np.int64)
    diverged = np.zeros(b, dtype=bool)
    limit = min(bound * bound, np.finfo(np.float64).max)
    any_diverged = False
    tol0 = float(tols[0])
    with np.errstate(all="ignore"):
        excess = value(x) - f_star
        outside = ~(excess[:, None] < tols)
        last_out = np.where(outside, 0, -1)
        last_out_budget[:] = last_out
        np.copyto(touch, 0, where=~outside)
        current = previous = x
        for t in range(1, horizon + 1):
            u, state = update(grad(current, t - 1) if stochastic else grad(current), state, current)
            current = current + u
            # one BLAS sum of squares flags every non-finite or out-of-bound row (as in run())
            if any_diverged or not np.vdot(current, current) <= limit:
                diverged |= ~(np.abs(current) <= bound).all(axis=1)
                any_diverged = bool(diverged.any())
                # frozen at the last good position, as run() does; the row stays outside
                current = np.where(diverged[:, None], previous, current)
                if diverged.all():
                    last_out[:] = horizon
                    if t <= budget:
                        last_out_budget[:] = t
                    break
            excess = value(current) - f_star
            # a finite iterate inside the bound has a finite loss: NaN only on diverged rows
            outside = (excess >= tol0)[:, None]
            if any_diverged:
                outside |= diverged[:, None]
            np.copyto(last_out, t, where=outside)
            if t <= budget:
                np.copyto(last_out_budget, t, where=outside)
                np.copyto(touch, t, where=~outside & (touch < 0))
            elif outside.any():
                np.copyto(left_at, t, where=outside & (left_at < 0))
            previous = current
    return last_out_budget, last_out, left_at, touch, diverged


def _settle_block_many(opt, objective, x, tols, f_star, budget, horizon, bound, restrict_to=None,
                       need=None):
    """:func:`_settle_block` for k > 1 tolerances at O(rows) cost per step, not O(rows × k).

    Each step a row's *level* is the number of tolerances it is outside of (a binary search
    in the sorted tolerances; a diverged row is outside all k). The row is outside tolerance
    j (sorted ascending) exactly when its level exceeds j, so it is enough to note, per
    level, the last step the row was at it, the step its lowest level so far was first
    reached within the budget, and the step its highest level after the budget was first
    reached. Levels change rarely, so a step costs a binary search and a few comparisons;
    the counters per tolerance follow at the end as running maxima and minima over levels.

    With ``restrict_to(index) -> (optimizer, objective)`` for a subset of the block's rows,
    rows whose status is decided for every tolerance are dropped from the iteration (see
    :func:`_measure_each`'s ``compact``).
    """
    b, k = x.shape[0], tols.size
    order = np.argsort(tols, kind="stable")
    ts = tols[order]
    grad, value, update = objective._grad, objective._value, opt.update
    stochastic = objective.stochastic
    state = opt.init(x)
    never = np.iinfo(np.int64).max
    last_seen = np.full((b, k + 1), -1, dtype=np.int64)          # last step at each level
    first_seen = np.full((b, k + 1), never, dtype=np.int64)      # a new lowest level, <= budget
    first_after = np.full((b, k + 1), never, dtype=np.int64)     # a new highest level, > budget
    active = np.arange(b, dtype=np.int64)        # the block's rows still iterated
    last_budget = None
    diverged_all = np.zeros(b, dtype=bool)
    diverged = diverged_all                      # over the active rows
    decided = np.zeros(b, dtype=bool)            # over the active rows (compaction only)
    need = np.full(b, k) if need is None else need   # decided once at this level after the budget
    limit = min(bound * bound, np.finfo(np.float64).max)
    any_diverged = False

    def levels(excess):
        level = np.searchsorted(ts, excess, side="right")   # NaN sorts last: level k
        if any_diverged:
            level[diverged] = k
        return level

    with np.errstate(all="ignore"):
        prev = levels(value(x) - f_star)
        lowest = prev.copy()
        first_seen[active, prev] = 0
        highest = np.full(b, -1, dtype=np.intp)
        current = previous = x
        t_end = horizon
        for t in range(1, horizon + 1):
            u, state = update(grad(current, t - 1) if stochastic else grad(current), state, current)
            current = current + u
            if any_diverged or not np.vdot(current, current) <= limit:
                diverged = diverged | ~(np.abs(current) <= bound).all(axis=1)
                any_diverged = bool(diverged.any())
                current = np.where(diverged[:, None], previous, current)
                if diverged.all():
                    last_seen[active, prev] = t - 1
                    last_seen[active, k] = horizon
                    if last_budget is None:
                        last_budget = last_seen.copy()
                    diverged_all[active] = True
                    active, diverged = active[:0], diverged[:0]
                    break
            level = levels(value(current) - f_star)
            changed = level != prev
            if changed.any():
                r = np.flatnonzero(changed)
                last_seen[active[r], prev[r]] = t - 1
                prev = level
            if t <= budget:
                new = level < lowest
                if new.any():
                    r = np.flatnonzero(new)
                    first_seen[active[r], level[r]] = t
                    lowest[r] = level[r]
                if t == budget:
                    last_budget = last_seen.copy()
                    last_budget[active, prev] = budget
            else:
                new = level > highest
                if new.any():
                    r = np.flatnonzero(new)
                    first_after[active[r], level[r]] = t
                    highest[r] = level[r]
            previous = current
            if restrict_to is None:
                continue
            if t >= budget:
                decided |= level >= need       # outside the loosest tolerance asked about
            if t % 128 == 0 and t < horizon:
                done = decided | diverged
                if done.sum() * 5 >= done.size:
                    # the decided rows: outside from here to the horizon, as far as counts go
                    gone = active[done]
                    last_seen[gone, prev[done]] = t
                    last_seen[gone, k] = horizon
                    diverged_all[active[diverged]] = True
                    keep = ~done
                    active = active[keep]
                    prev, lowest, highest = prev[keep], lowest[keep], highest[keep]
                    diverged, decided, need = diverged[keep], decided[keep], need[keep]
                    if active.size == 0:
                        break
                    opt, objective = restrict_to(active)
                    grad, value, update = objective._grad, objective._value, opt.update
                    state = _take_rows(state, keep, done.size)
                    current, previous = current[keep], previous[keep]
                    any_diverged = bool(diverged.any())
        if active.size:
            last_seen[active, prev] = t_end
            diverged_all[active[diverged]] = True
    if last_budget is None:   # every row stopped before the budget (all diverged)
        last_budget = last_seen.copy()

    # outside tolerance j <=> level > j: running maxima/minima over the levels above j
    def above(a, reduce):
        return reduce.accumulate(a[:, ::-1], axis=1)[:, ::-1][:, 1:]   # over levels j+1..k

    def at_or_below(a, reduce):
        return reduce.accumulate(a, axis=1)[:, :k]                      # over levels 0..j

    last_out = above(last_seen, np.maximum)
    last_out_budget = above(last_budget, np.maximum)
    left = above(first_after, np.minimum)
    touch = at_or_below(first_seen, np.minimum)
    left_at = np.where(left == never, -1, left)
    touch = np.where(touch == never, -1, touch)
    back = np.argsort(order, kind="stable")   # sorted columns -> the caller's order
    return last_out_budget[:, back], last_out[:, back], left_at[:, back], touch[:, back], diverged_all


def _take_rows(state, keep, b):
    """The optimizer state of the rows ``keep`` (a mask over b rows): per-row leaves sliced,
    shared ones (step counters) kept; a stack's blocks each by their own rows."""
    if isinstance(state, StackState):
        return take_stack_rows(state, keep, _take_rows)
    leaves = [leaf[keep] if isinstance(leaf, np.ndarray) and leaf.ndim >= 1 and leaf.shape[0] == b
              else leaf for _, leaf in _leaves(state)]
    return _rebuild(state, iter(leaves))

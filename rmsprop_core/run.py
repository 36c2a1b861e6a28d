r"""Run an optimizer on an objective from many starting points at once.

:func:`run` iterates :math:`x_{t+1} = x_t + u_t` where :math:`(u_t, s_{t+1}) =
\texttt{update}(\nabla f(x_t), s_t, x_t)`, for every row of ``x0`` at once, and returns a
:class:`Trajectory`. An iterate that becomes non-finite or has a coordinate with
:math:`|x_i| > \texttt{bound}` is marked diverged and frozen at its last good position:
no NaN or inf ever leaves :func:`run`.

Speed: trajectories are processed in blocks of rows small enough for the CPU cache, and the
new position is written straight into the preallocated record. Divergence costs one BLAS
sum of squares per step while the block is hot in cache; only when it flags a problem is the
record searched, after the block, row by row (rows are independent, so a diverged row cannot
affect the others before it is frozen).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from . import _validate
from .objectives import Objective
from .objectives import restrict as restrict_objective
from .transforms import GradientTransformation, StackState, restrict

__all__ = ["run", "Trajectory", "RECORDS"]

#: What :func:`run` keeps: every position (the default), or only the loss per step and the
#: final positions (bounded memory for sweeps of 10⁵–10⁶ trajectories).
RECORDS = ("positions", "loss")

# Rows per block times coordinates: arrays of this many float64 (128 KiB) keep a step's
# dozen temporaries inside a 2 MiB L2 cache.
_BLOCK_ELEMENTS = 16384
# Divergence is checked on the record in chunks of this many steps (bounded temporaries).
_CHECK_STEPS = 64
# Once a block has a diverged row, test this often whether all its rows have diverged.
_ALL_DIVERGED_EVERY = 16


# --------------------------------------------------------------------------- state trees


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(x, "_fields")


def _leaves(tree, path=()):
    """Yield ``(path, leaf)`` pairs of a state tree of tuples/NamedTuples; paths name fields."""
    if _is_namedtuple(tree):
        for field, child in zip(tree._fields, tree):
            yield from _leaves(child, path + (field,))
    elif isinstance(tree, tuple):
        for i, child in enumerate(tree):
            yield from _leaves(child, path + (i,))
    else:
        yield path, tree


def _rebuild(template, values):
    """A tree shaped like ``template`` whose leaves come, in order, from iterator ``values``."""
    if _is_namedtuple(template):
        return type(template)(*(_rebuild(child, values) for child in template))
    if isinstance(template, tuple):
        return tuple(_rebuild(child, values) for child in template)
    return next(values)


# --------------------------------------------------------------------------- trajectory


class Trajectory:
    """The result of :func:`run`.

    Attributes
    ----------
    positions : (steps+1, n, d) array, or None
        :math:`x_0, \\dots, x_T` for every trajectory (frozen after divergence); None for a
        run with ``record="loss"``.
    final : (n, d) array
        :math:`x_T`.
    loss : (steps+1, n) array
        :math:`f(x_t)` (computed on first access, or recorded with ``record="loss"``; with
        ``loss_every=k``, shape ``(steps/k + 1, n)``: the loss at steps 0, k, 2k, …).
    loss_every : int
        The steps between two rows of ``loss`` (1 unless ``run(..., loss_every=k)``).
    updates : (steps, n, d) array
        The applied step :math:`x_{t+1} - x_t` (0 after divergence; computed on first access).
    grads : (steps, n, d) array
        The gradients the optimizer was given, :math:`g_t` at :math:`x_t` (recomputed on first
        access): :math:`\\nabla f(x_t)`, or for a stochastic objective ``grad(x_t, t)`` with
        its noise, which is exactly the noise the run used (:func:`~rmsprop_core.objectives.noisy`
        draws it as a pure function of seed, step and coordinate).
    diverged : (n,) bool
    diverged_at : (n,) int
        The first step t whose iterate was non-finite or outside the bound (so
        ``positions[t:]`` repeat ``positions[t-1]``); -1 if never.
    states : list or None
        With ``record_state=True``, the optimizer state after each step (``states[0]`` is
        the initial state), one tree of NamedTuples per step, frozen after divergence (a step
        counter is there an array with one count per trajectory).
    """

    def __init__(self, objective, positions, diverged_at, state_template=None, state_history=None,
                 *, loss=None, final=None, loss_every=1):
        self.objective = objective
        self.positions = positions
        self.diverged_at = diverged_at
        self.diverged = diverged_at >= 0
        self.loss_every = loss_every
        self._state_template = state_template
        self._state_history = state_history  # list of (path, array) in leaf order
        if positions is None:  # record="loss"
            self.__dict__["loss"] = loss
            self.final = final
            self._shape = ((loss.shape[0] - 1) * loss_every + 1, loss.shape[1], final.shape[1])
        else:
            self.final = positions[-1]
            self._shape = positions.shape

    @property
    def steps(self) -> int:
        return self._shape[0] - 1

    @property
    def n(self) -> int:
        return self._shape[1]

    @property
    def d(self) -> int:
        return self._shape[2]

    def _needs_positions(self, what):
        if self.positions is None:
            raise ValueError(f"{what} needs the positions: run(..., record='positions')")

    @functools.cached_property
    def loss(self) -> np.ndarray:
        with np.errstate(all="ignore"):
            loss = self.objective._value(self.positions.astype(np.float64, copy=False))
        big = np.finfo(self.positions.dtype).max
        # Only a surface steeper than any registered one can overflow inside the bound.
        loss = np.nan_to_num(loss, nan=big, posinf=big, neginf=-big)
        return loss.astype(self.positions.dtype, copy=False)

    @functools.cached_property
    def updates(self) -> np.ndarray:
        self._needs_positions("updates")
        return np.diff(self.positions, axis=0)

    @functools.cached_property
    def grads(self) -> np.ndarray:
        self._needs_positions("grads")
        x = self.positions[:-1].astype(np.float64, copy=False)
        with np.errstate(all="ignore"):
            if self.objective.stochastic:   # step t of every row: t broadcast over (n,)
                g = self.objective._grad(x, np.arange(self.steps, dtype=np.uint64)[:, None])
            else:
                g = self.objective._grad(x)
        big = np.finfo(self.positions.dtype).max
        return np.nan_to_num(g, nan=0.0, posinf=big, neginf=-big).astype(self.positions.dtype, copy=False)

    @functools.cached_property
    def states(self) -> list | None:
        if self._state_history is None:
            return None
        arrays = [a for _, a in self._state_history]
        return [
            _rebuild(self._state_template, iter([a[t] for a in arrays]))
            for t in range(self.steps + 1)
        ]

    def state_fields(self) -> tuple[str, ...]:
        """The names of the recorded state fields (e.g. ``('nu', 'count')``)."""
        if self._state_history is None:
            return ()
        return tuple(str(p[-1]) for p, _ in self._state_history if p)

    def state_history(self, name: str) -> np.ndarray:
        """The recorded state field ``name`` over time, shape ``(steps+1, n, d)`` (or
        ``(steps+1, n)`` for a step counter: each trajectory's, frozen after divergence).
        ``nu`` is RMSprop's :math:`S` (``S_dW, S_db``), ``trace``/``mu`` the momentum :math:`V`.
        The first field with that name is returned.

        Needs ``run(..., record_state=True)``.
        """
        if self._state_history is None:
            raise ValueError("state_history needs run(..., record_state=True)")
        for path, array in self._state_history:
            if path and path[-1] == name:
                return array
        raise ValueError(
            f"name must be one of the state fields {self.state_fields()}, got {name!r}"
        )

    def __repr__(self):
        return (
            f"<Trajectory {self.objective.id!r}: {self.n} trajectories × {self.steps} steps, "
            f"d = {self.d}, {int(self.diverged.sum())} diverged>"
        )


# --------------------------------------------------------------------------- run


def run(
    optimizer: GradientTransformation,
    objective: Objective,
    x0,
    steps: int,
    *,
    bound: float = 1e6,
    record_state: bool = False,
    dtype=np.float64,
    block_rows: int | None = None,
    record: str = "positions",
    loss_every: int = 1,
) -> Trajectory:
    r"""Run ``optimizer`` on ``objective`` for ``steps`` steps from every row of ``x0``.

    .. math::

        g_t = \nabla f(x_t), \qquad (u_t, s_{t+1}) = \texttt{update}(g_t, s_t, x_t), \qquad
        x_{t+1} = x_t + u_t

    (for a stochastic objective, e.g. :func:`~rmsprop_core.objectives.noisy`, :math:`g_t` is
    its ``grad(x_t, t)``, the step index t = 0 at the start).

    Parameters
    ----------
    optimizer : GradientTransformation
        e.g. ``rc.rmsprop(lr=0.05)``; per-trajectory hyperparameters must have ``n`` values.
    objective : Objective
        e.g. ``rc.objectives.get("bowl")``.
    x0 : array (n, d) or (d,)
        Finite starting points; never modified.
    steps : int >= 1
    bound : float > 0
        An iterate with a coordinate :math:`|x_i| >` ``bound`` (or non-finite) counts as diverged.
    record_state : bool
        Keep the optimizer state after every step (``Trajectory.states``, ``state_history``).
    dtype : numpy float dtype
        Storage type of the record (float64 by default); the computation is float64.
    block_rows : int, optional
        Trajectories per block (default: about 16k numbers per array, cache-sized).
    record : "positions" or "loss"
        ``"loss"`` keeps only :math:`f(x_t)` (``(steps+1, n)``) and the final positions, for
        sweeps too large to keep every position; the loss is the one ``"positions"`` gives.
    loss_every : int >= 1
        With ``record="loss"``, evaluate and keep the loss only at steps 0, k, 2k, …
        (``steps`` must be a multiple of k; ``Trajectory.loss`` then has ``steps/k + 1``
        rows). For objectives whose loss costs more than their gradient, e.g. the course's
        network, whose full-data cost is evaluated once per epoch instead of once per
        mini-batch. Divergence is still checked at every step.

    >>> import rmsprop_core as rc
    >>> traj = rc.run(rc.gd(0.1), rc.objectives.get("bowl"), [[1.0, 0.5], [2.0, 0.0]], steps=3)
    >>> traj.positions.shape, traj.loss.shape, bool(traj.diverged.any())
    ((4, 2, 2), (4, 2), False)
    """
    x, bound = _checked_inputs(optimizer, objective, x0, bound)
    steps = _validate.steps(steps)
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise ValueError(f"dtype must be a floating-point type, got {dtype}")
    _validate.choice("record", record, RECORDS)
    loss_every = _validate.steps(loss_every, name="loss_every")
    if loss_every > 1 and (record != "loss" or steps % loss_every):
        raise ValueError(f"loss_every={loss_every} needs record='loss' and steps a multiple of it "
                         f"(got record={record!r}, steps={steps})")
    n, d = x.shape
    block_rows = _rows_per_block(d, block_rows)
    if record == "loss":
        if record_state:
            raise ValueError("record_state=True needs record='positions'")
        return _run_loss_only(optimizer, objective, x, steps, dtype, block_rows, bound, loss_every)

    positions = np.empty((steps + 1, n, d), dtype=dtype)
    diverged_at = np.full(n, -1, dtype=np.int64)
    template = None
    history = None  # list of [path, array] in leaf order

    for r0 in range(0, n, block_rows):
        rows = slice(r0, min(n, r0 + block_rows))
        opt = restrict(optimizer, n, rows)
        obj = restrict_objective(objective, n, rows)
        xb = x[rows]
        record = positions[:, rows]
        record[0] = xb
        state = opt.init(xb)
        if record_state:
            if isinstance(state, StackState):
                raise ValueError("record_state=True is not available for a stack of transformations")
            if history is None:
                template = state
                history = [
                    [path, _history_array(leaf, steps, n)] for path, leaf in _leaves(state)
                ]
            _store_state(history, state, 0, rows)
        with np.errstate(all="ignore"):  # diverging rows overflow; they are handled below
            suspect, last = _iterate(opt, obj, xb, state, record, steps, dtype, history, rows, bound)
            first_bad = _first_bad_step(record[: last + 1], bound, start=suspect)
        _freeze(record, first_bad, history, rows)
        diverged_at[rows] = first_bad

    if history is not None:
        history = [(tuple(path), array) for path, array in history]
    return Trajectory(objective, positions, diverged_at, template, history)


def _run_loss_only(optimizer, objective, x, steps, dtype, block_rows, bound, every=1):
    """run() keeping only the loss (at every ``every``-th step): each block is iterated with
    divergence checked every step (as settle() does), a diverged row frozen at its last good
    position at once."""
    n, d = x.shape
    loss = np.empty((steps // every + 1, n), dtype=dtype)
    final = np.empty((n, d), dtype=dtype)
    diverged_at = np.full(n, -1, dtype=np.int64)
    limit = min(bound * bound, np.finfo(np.float64).max)
    big = np.finfo(dtype).max
    for r0 in range(0, n, block_rows):
        rows = slice(r0, min(n, r0 + block_rows))
        opt = restrict(optimizer, n, rows)
        obj = restrict_objective(objective, n, rows)
        grad, value, update = obj._grad, obj._value, opt.update
        stochastic = obj.stochastic
        current = previous = x[rows]
        state = opt.init(current)
        first_bad = np.full(current.shape[0], -1, dtype=np.int64)
        with np.errstate(all="ignore"):
            loss[0, rows] = value(current)
            for t in range(1, steps + 1):
                u, state = update(grad(current, t - 1) if stochastic else grad(current), state, current)
                current = current + u
                if not np.vdot(current, current) <= limit or (first_bad >= 0).any():
                    bad = ~(np.abs(current) <= bound).all(axis=1)
                    np.copyto(first_bad, t, where=bad & (first_bad < 0))
                    current = np.where((first_bad >= 0)[:, None], previous, current)
                if t % every == 0:
                    loss[t // every, rows] = value(current)
                previous = current
        final[rows] = current
        diverged_at[rows] = first_bad
    np.nan_to_num(loss, copy=False, nan=big, posinf=big, neginf=-big)
    return Trajectory(objective, None, diverged_at, loss=loss, final=final, loss_every=every)


def _checked_inputs(optimizer, objective, x0, bound):
    """The checks every runner makes (run(), settle()): types, starts inside the bound.
    Returns the starts as a float64 (n, d) array and the bound as a float."""
    if not isinstance(optimizer, GradientTransformation):
        raise ValueError(
            f"optimizer must be a GradientTransformation (e.g. rc.rmsprop(lr=0.01)), got "
            f"{type(optimizer).__name__}"
        )
    if not isinstance(objective, Objective):
        raise ValueError(
            f"objective must be an Objective (e.g. rc.objectives.get('bowl')), got "
            f"{type(objective).__name__}"
        )
    x = _validate.positions("x0", x0, objective.dim)
    bound = _validate.finite_positive("bound", bound)
    if np.any(np.abs(x) > bound):
        raise ValueError(f"x0 must lie inside the bound (every |x0_i| <= bound = {bound:g})")
    return x, bound


def _rows_per_block(d, block_rows=None):
    """Trajectories per block: about ``_BLOCK_ELEMENTS`` numbers per array, or as given."""
    if block_rows is None:
        return max(1, _BLOCK_ELEMENTS // d)
    return _validate.steps(block_rows, name="block_rows")


def _iterate(opt, objective, x, state, record, steps, dtype, history, rows, bound):
    """The hot loop for one block of rows: writes x_1..x_T into ``record``.

    Returns ``(suspect, last)``: ``suspect`` is the first step at which some row *may* have
    diverged (``steps + 1`` if none): a per-step sum of squares of the whole block, one BLAS
    call on cache-hot data, exceeds ``bound²`` (or is NaN) whenever any coordinate is
    non-finite or beyond the bound. ``last`` is the last step computed: once every row of the
    block has diverged the loop stops early (the rest of the record, and of the recorded
    state, is filled by freezing).
    """
    grad = objective._grad
    stochastic = objective.stochastic  # then the gradient of x_{t-1} is grad(x, t - 1)
    update = opt.update
    vdot = np.vdot
    # capped so that an infinite sum of squares is always flagged, even for a huge bound
    limit = min(bound * bound, np.finfo(np.float64).max)
    suspect = steps + 1
    direct = dtype == np.float64 and history is None
    current = x
    for t in range(1, steps + 1):
        u, state = update(grad(current, t - 1) if stochastic else grad(current), state, current)
        if direct:
            # the new position goes straight into the record; that row is the next x
            nxt = record[t]
            np.add(current, u, out=nxt)
            current = nxt
        else:
            current = current + u
            record[t] = current
            if history is not None:
                _store_state(history, state, t, rows)
        if suspect > steps:
            if not vdot(current, current) <= limit:
                suspect = t
        elif (t - suspect) % _ALL_DIVERGED_EVERY == 0 and _any_coordinate(~(np.abs(current) <= bound)).all():
            return suspect, t
    return suspect, steps


def _history_array(leaf, steps, n):
    """One leaf's history, one entry per trajectory: a step counter shared by the rows of a
    block is recorded per row, so that a diverged row's counter can be frozen with the rest."""
    if isinstance(leaf, np.ndarray) and leaf.ndim >= 1:
        return np.empty((steps + 1, n) + leaf.shape[1:], dtype=np.float64)
    return np.empty((steps + 1, n), dtype=np.asarray(leaf).dtype)


def _store_state(history, state, t, rows):
    for (path, array), (_, leaf) in zip(history, _leaves(state)):
        array[t, rows] = leaf


def _first_bad_step(record, bound, start=1):
    """Per row, the first step (>= ``start``) whose position is non-finite or has a
    coordinate beyond ``bound``; -1 if none."""
    steps_plus_one, b, d = record.shape
    first_bad = np.full(b, -1, dtype=np.int64)
    for t0 in range(start, steps_plus_one, _CHECK_STEPS):
        chunk = record[t0 : t0 + _CHECK_STEPS]
        # Fast path: two SIMD reductions; NaN makes both comparisons False.
        if chunk.max() <= bound and chunk.min() >= -bound:
            continue
        bad = ~(np.abs(chunk) <= bound)  # True for NaN too
        bad_row = _any_coordinate(bad)  # (t, b)
        hit = bad_row.any(axis=0) & (first_bad < 0)
        if hit.any():
            first_bad[hit] = t0 + bad_row[:, hit].argmax(axis=0)
    return first_bad


def _any_coordinate(bad):
    """``bad.any(axis=-1)`` for a C-contiguous bool array, fast for d in (1, 2, 4, 8)."""
    d = bad.shape[-1]
    wide = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}.get(d)
    if wide is None:
        return bad.any(axis=-1)
    return bad.view(wide)[..., 0] != 0


def _freeze(record, first_bad, history, rows):
    """Repeat each diverged row's last good position (and state) from its first bad step on."""
    # Rows are grouped by their first bad step v: one broadcast assignment per group.
    for v in np.unique(first_bad[first_bad >= 0]):
        group = np.flatnonzero(first_bad == v)
        record[v:, group] = record[v - 1, group]
        if history is None:
            continue
        for _, array in history:
            block = array[:, rows]
            block[v:, group] = block[v - 1, group]

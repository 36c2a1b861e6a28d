r"""Measurements on trajectories: convergence, path length, oscillation, direction, scale.

All functions take a :class:`~rmsprop_core.run.Trajectory` (``steps_to_tolerance`` also
takes a loss array) and return one number per trajectory (or per step and trajectory).
"""

from __future__ import annotations

import numpy as np

from . import _validate
from .run import Trajectory

__all__ = [
    "steps_to_tolerance",
    "path_length",
    "sign_flips",
    "travel",
    "swing",
    "step_angle_to_minimum",
    "effective_lr",
]


def steps_to_tolerance(traj_or_loss, tol, min_value=None):
    r"""The first step after which the loss stays within ``tol`` of ``min_value`` for the
    rest of the run, per trajectory; -1 if it is not within ``tol`` at the end.

    .. math::

        \tau = \min\{\, t : f(x_s) - f^\star < \texttt{tol} \ \text{for all}\ s \ge t \,\}

    "First touch" would be wrong here: with a constant learning rate RMSprop does not settle
    on a deterministic problem, it hovers around the minimum, so the loss can dip below the
    tolerance and come back above it.

    Parameters
    ----------
    traj_or_loss : Trajectory or array (steps+1, n) (or (steps+1,))
    tol : float > 0
    min_value : float, optional
        :math:`f^\star`. Default: the trajectory's ``objective.min_value``, or 0 for an array.
        Diverged trajectories count as never (-1).

    >>> import numpy as np
    >>> loss = np.array([5.0, 0.5, 2.0, 0.5, 0.1, 0.05])
    >>> int(steps_to_tolerance(loss, tol=1.0))   # below 1 from step 3 on (step 1 was a touch)
    3
    """
    tol = _validate.finite_positive("tol", tol)
    diverged = None
    if isinstance(traj_or_loss, Trajectory):
        loss = traj_or_loss.loss
        diverged = traj_or_loss.diverged
        if min_value is None:
            min_value = traj_or_loss.objective.min_value
    else:
        loss = np.asarray(traj_or_loss, dtype=np.float64)
        if loss.ndim not in (1, 2) or loss.shape[0] == 0:
            raise ValueError(f"loss must have shape (steps+1, n) or (steps+1,), got {loss.shape}")
    if min_value is None:
        min_value = 0.0
    squeeze = loss.ndim == 1
    if squeeze:
        loss = loss[:, None]
    last = loss.shape[0] - 1
    outside = ~((loss - min_value) < tol)  # NaN counts as outside
    ever_outside = outside.any(axis=0)
    last_outside = last - outside[::-1].argmax(axis=0)
    result = np.where(ever_outside, last_outside + 1, 0)
    result[result > last] = -1
    if diverged is not None:
        result[diverged] = -1
    return int(result[0]) if squeeze else result


def path_length(traj):
    r"""Total length :math:`\sum_t \lVert x_{t+1} - x_t \rVert_2` of each path, shape (n,).

    >>> import rmsprop_core as rc
    >>> traj = rc.run(rc.sign_descent(0.5), rc.objectives.quadratic([1.0]), [2.0], steps=3)
    >>> path_length(traj)
    array([1.5])
    """
    u = traj.updates
    return np.sqrt(np.einsum("tnd,tnd->tn", u, u)).sum(axis=0)


def _check_axis(axis, d):
    if axis is None:
        return None
    if not isinstance(axis, (int, np.integer)) or not -d <= axis < d:
        raise ValueError(f"axis must be None or an integer in [0, {d}), got {axis!r}")
    return int(axis)


def travel(traj, axis=None):
    r"""Total distance travelled along each coordinate, :math:`\sum_t |u_{t,i}|`, shape
    (n, d), or (n,) for one coordinate ``axis``: oscillation by size.

    A path that goes straight from :math:`b_0` to :math:`b^\star` travels :math:`|b_0 - b^\star|`
    in b; every zig-zag adds twice its swing, so a 1e-6 wobble adds almost nothing and a
    1.0 swing adds 2.

    >>> import rmsprop_core as rc
    >>> traj = rc.run(rc.gd(0.075), rc.objectives.quadratic([20.0]), [1.0], steps=60)
    >>> round(float(travel(traj)[0, 0]), 6)   # b_t = (-0.5)^t: 1.5 + 0.75 + ... = 3
    3.0
    """
    axis = _check_axis(axis, traj.d)
    total = np.abs(traj.updates.astype(np.float64, copy=False)).sum(axis=0)
    return total if axis is None else total[:, axis]


def swing(traj, axis, start=0, minimum=None):
    r"""The largest distance from the minimum along coordinate ``axis`` from step ``start`` on,
    :math:`\max_{t \ge \texttt{start}} |x_{t,i} - x^\star_i|`, shape (n,): the envelope of
    the zig-zag late in a run (a decaying zig-zag shrinks it, a persistent one does not).

    >>> import rmsprop_core as rc
    >>> traj = rc.run(rc.gd(0.075), rc.objectives.quadratic([20.0]), [1.0], steps=10)
    >>> float(swing(traj, 0, start=3)[0])    # |(-0.5)^3|
    0.125
    """
    axis = _check_axis(axis, traj.d)
    if axis is None:
        raise ValueError("swing needs one coordinate axis")
    if isinstance(start, bool) or not isinstance(start, (int, np.integer)) or not 0 <= start <= traj.steps:
        raise ValueError(f"start must be an integer step in [0, {traj.steps}], got {start!r}")
    if minimum is None:
        minimum = traj.objective.minimum
    dist = np.abs(traj.positions[start:, :, axis].astype(np.float64) - float(np.asarray(minimum)[axis]))
    return dist.max(axis=0)


def sign_flips(traj, axis=None, min_size=0.0):
    r"""How often each coordinate's step changes sign (oscillation by sign), shape (n, d), or
    (n,) for one coordinate ``axis``.

    Counts the steps t with :math:`u_{t,i}\,u_{t+1,i} < 0`; a zero step (e.g. after
    divergence) neither flips nor breaks a flip. With ``min_size`` > 0 only flips whose two
    steps are both at least ``min_size`` long count: a sign change alone counts a 1e-6
    wobble like a 1.0 swing.

    >>> import rmsprop_core as rc
    >>> traj = rc.run(rc.gd(0.09), rc.objectives.bowl(), [1.0, 1.0], steps=4)
    >>> sign_flips(traj)        # b overshoots every step (1 - 0.09·20 < 0); w does not
    array([[0, 3]])
    """
    axis = _check_axis(axis, traj.d)
    min_size = _validate.hyperparameter("min_size", min_size, low=0.0)
    u = traj.updates
    s = np.sign(u)
    flips = np.zeros(s.shape[1:], dtype=np.int64)
    if s.shape[0] >= 2:
        # carry the last non-zero step forward so that zeros do not break a count
        last = u[0].copy()
        for t in range(1, s.shape[0]):
            cur = u[t]
            flip = (cur * last) < 0
            if min_size > 0:
                flip &= (np.abs(cur) >= min_size) & (np.abs(last) >= min_size)
            flips += flip
            np.copyto(last, cur, where=cur != 0)
    return flips if axis is None else flips[:, axis]


def step_angle_to_minimum(traj, minimum=None):
    r"""Angle in degrees between each step :math:`u_t` and the direction :math:`x^\star - x_t`
    to the minimum, shape (steps, n). 0° points straight at the minimum; NaN where either
    vector is zero (the angle is undefined).

    ``minimum`` defaults to the trajectory's ``objective.minimum``.

    >>> import rmsprop_core as rc
    >>> traj = rc.run(rc.gd(0.1), rc.objectives.quadratic([1.0, 1.0]), [1.0, 1.0], steps=1)
    >>> step_angle_to_minimum(traj).round(6)
    array([[0.]])
    """
    if minimum is None:
        minimum = traj.objective.minimum
    minimum = np.asarray(minimum, dtype=np.float64)
    if minimum.shape != (traj.d,):
        raise ValueError(f"minimum must have shape ({traj.d},), got {minimum.shape}")
    u = traj.updates.astype(np.float64, copy=False)
    to_min = minimum - traj.positions[:-1]
    dot = np.einsum("tnd,tnd->tn", u, to_min)
    norms = np.sqrt(np.einsum("tnd,tnd->tn", u, u) * np.einsum("tnd,tnd->tn", to_min, to_min))
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.where(norms > 0, dot / norms, np.nan)
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def effective_lr(traj):
    r"""Per-coordinate effective learning rate :math:`|u_{t,i}| / |g_{t,i}|`, shape
    (steps, n, d): the learning rate plain gradient descent would need to take the same step.
    NaN where the gradient is zero.

    >>> import rmsprop_core as rc
    >>> traj = rc.run(rc.gd(0.02), rc.objectives.bowl(), [1.0, 1.0], steps=2)
    >>> effective_lr(traj).round(12).tolist()
    [[[0.02, 0.02]], [[0.02, 0.02]]]
    """
    g = np.abs(traj.grads)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(g > 0, np.abs(traj.updates) / g, np.nan)

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


def sign_flips(traj, axis=None):
    r"""How often each coordinate's step changes sign (oscillation), shape (n, d), or (n,)
    for one coordinate ``axis``.

    Counts the steps t with :math:`u_{t,i}\,u_{t+1,i} < 0`; a zero step (e.g. after
    divergence) neither flips nor breaks a flip.

    >>> import rmsprop_core as rc
    >>> traj = rc.run(rc.gd(0.09), rc.objectives.bowl(), [1.0, 1.0], steps=4)
    >>> sign_flips(traj)        # b overshoots every step (1 - 0.09·20 < 0); w does not
    array([[0, 3]])
    """
    s = np.sign(traj.updates)
    flips = np.zeros(s.shape[1:], dtype=np.int64)
    if s.shape[0] >= 2:
        # carry the last non-zero sign forward so that zeros do not break a count
        last = s[0].copy()
        for t in range(1, s.shape[0]):
            cur = s[t]
            flips += (cur * last) < 0
            np.copyto(last, cur, where=cur != 0)
    if axis is None:
        return flips
    if not isinstance(axis, (int, np.integer)) or not -flips.shape[1] <= axis < flips.shape[1]:
        raise ValueError(f"axis must be None or an integer in [0, {flips.shape[1]}), got {axis!r}")
    return flips[:, axis]


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

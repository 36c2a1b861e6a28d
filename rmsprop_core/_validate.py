"""Input checks shared by the whole package.

Every check raises ``ValueError`` with a message that names the argument and states the
allowed range, so that a reader who mistypes a hyperparameter learns what to type instead.
Hyperparameters are accepted as a Python scalar or as an array broadcastable to ``(n,)``
(one value per trajectory); array values are returned as a column ``(m, 1)`` so that they
broadcast against positions of shape ``(n, d)``.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = ["hyperparameter", "choice", "steps", "positions", "take_rows"]


def _describe_range(low, high, low_open, high_open):
    if high is None:
        return f"{'>' if low_open else '>='} {low:g}"
    left = "(" if low_open else "["
    right = ")" if high_open else "]"
    return f"in {left}{low:g}, {high:g}{right}"


def hyperparameter(name, value, *, low=0.0, high=None, low_open=False, high_open=True):
    """Check a hyperparameter and return it as a float or a float64 column ``(m, 1)``.

    ``low``/``high`` bound the allowed range; ``low_open``/``high_open`` say whether the
    bound itself is excluded. ``high=None`` means no upper bound (but the value must be finite).
    """
    allowed = _describe_range(low, high, low_open, high_open)
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number {allowed}, got the boolean {value!r}")
    if isinstance(value, numbers.Real):
        arr = np.asarray(float(value))
    else:
        try:
            arr = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(
                f"{name} must be a number {allowed} or an array of them, got {value!r}"
            ) from None
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim > 1:
        raise ValueError(
            f"{name} must be a scalar or a 1-D array with one value per trajectory "
            f"(shape (n,)), got shape {arr.shape}"
        )
    if arr.ndim == 1 and arr.size == 0:
        raise ValueError(f"{name} must not be an empty array")
    bad = ~np.isfinite(arr)
    if low is not None:
        bad |= (arr <= low) if low_open else (arr < low)
    if high is not None:
        bad |= (arr >= high) if high_open else (arr > high)
    if np.any(bad):
        shown = float(arr[bad].ravel()[0]) if arr.ndim else float(arr)
        raise ValueError(f"{name} must be {allowed}, got {shown!r}")
    if arr.ndim == 0:
        return float(arr)
    return np.ascontiguousarray(arr.reshape(-1, 1))


def choice(name, value, allowed):
    """Check that ``value`` is one of ``allowed`` (a tuple of strings)."""
    if value not in allowed:
        listed = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name} must be one of {listed}, got {value!r}")
    return value


def steps(value, name="steps"):
    """Check a step count: an integer >= 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, numbers.Real) and float(value).is_integer() and value >= 1:
            return int(value)
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def positions(name, value, dim=None):
    """Check starting points; return a float64 array ``(n, d)`` (a fresh copy).

    ``value`` may be ``(d,)`` (one start) or ``(n, d)``. ``dim`` is the dimension the
    objective expects (``None``: any).
    """
    try:
        arr = np.array(value, dtype=np.float64)  # a copy: never alias the caller's array
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of numbers of shape (n, d) or (d,)") from None
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(
            f"{name} must have shape (n, d) or (d,) with n >= 1 and d >= 1, got shape "
            f"{np.shape(value)}"
        )
    if dim is not None and arr.shape[1] != dim:
        raise ValueError(
            f"{name} has dimension d = {arr.shape[1]} but the objective is {dim}-dimensional"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return arr


def take_rows(name, value, n, rows):
    """Restrict a per-trajectory hyperparameter to the trajectories ``rows`` (a slice).

    A scalar or a single value applies to every trajectory; otherwise the array must have
    exactly ``n`` values.
    """
    if not isinstance(value, np.ndarray) or value.shape[0] == 1:
        return value
    if value.shape[0] != n:
        raise ValueError(
            f"{name} has {value.shape[0]} values but there are {n} trajectories: give a "
            f"scalar or exactly {n} values"
        )
    return value[rows]


def finite_positive(name, value):
    """A finite float > 0 (used for ``bound`` and ``tol``)."""
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}") from None
    if not math.isfinite(f) or f <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return f

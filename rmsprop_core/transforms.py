r"""Gradient transformations: small pure building blocks that optimizers chain together.

Modelled on optax. A :class:`GradientTransformation` is a pair of pure functions

* ``init(params) -> state``
* ``update(grads, state, params=None) -> (updates, new_state)``

with a small ``NamedTuple`` state. Nothing is mutated: ``update`` never writes into
``grads``, ``state`` or ``params`` (it may return fresh arrays, and an update may share
memory with the *new* state it returns). Arrays are batched: ``params`` and ``grads`` have
shape ``(n, d)``, one row per trajectory.

The minus sign and the learning rate live in exactly one place,
:func:`scale_by_learning_rate`. Every other transform only reshapes the direction and size
of the gradient, which is the essay's point in code: RMSprop is per-coordinate *scaling*
(:func:`scale_by_rms`), momentum is *averaging over time* (:func:`trace`), Adam does both
(:func:`scale_by_adam`).

Hyperparameters are a Python scalar or an array with one value per trajectory (shape
``(n,)``); arrays are held as columns ``(n, 1)`` so they broadcast over coordinates.
``GradientTransformation.for_rows(n, rows)`` returns the same transformation restricted to
the trajectories ``rows`` (a slice), which is how :func:`rmsprop_core.run` processes
trajectories in cache-sized blocks.

Division by zero: where a denominator is exactly zero the gradient is zero too (possible
only with ``eps = 0``); the update is then 0, following :math:`\operatorname{sign}(0) = 0`,
rather than NaN.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

import numpy as np

from . import _validate
from .schedules import Schedule

__all__ = [
    "GradientTransformation",
    "EmptyState",
    "ScaleByRmsState",
    "ScaleByStddevState",
    "ScaleByAdamState",
    "ScaleByRssState",
    "TraceState",
    "scale_by_rms",
    "scale_by_stddev",
    "scale_by_adam",
    "scale_by_rss",
    "trace",
    "scale_by_sign",
    "normalize_by_norm",
    "scale_by_learning_rate",
    "scale_by_schedule",
    "ScheduleState",
    "direction_with_length_of",
    "stack",
    "StackState",
    "chain",
    "identity",
]

# Smallest positive normal float64. Raising a zero denominator to it turns 0/0 into 0/tiny = 0
# without touching any denominator that can actually occur (those are >= ~1e-162).
_TINY = np.finfo(np.float64).tiny


class GradientTransformation(NamedTuple):
    """A pair of pure functions ``init(params) -> state`` and
    ``update(grads, state, params=None) -> (updates, state)``.

    ``for_rows(n, rows)`` (optional) returns the transformation restricted to the
    trajectories ``rows`` of ``n``; ``None`` means it has no per-trajectory hyperparameters.
    """

    init: Callable[[np.ndarray], Any]
    update: Callable[..., tuple[np.ndarray, Any]]
    for_rows: Callable[[int, slice], "GradientTransformation"] | None = None


def restrict(transform: GradientTransformation, n: int, rows: slice) -> GradientTransformation:
    """``transform`` restricted to trajectories ``rows`` out of ``n`` (checks array lengths)."""
    if transform.for_rows is None:
        return transform
    return transform.for_rows(n, rows)


def _with_hyperparameters(factory, hyper, **static):
    """Build a transformation from ``factory(**hyper, **static) -> (init, update)``.

    ``hyper`` maps names to validated hyperparameters (floats or ``(m, 1)`` columns); they
    are the values that ``for_rows`` slices.
    """
    init, update = factory(**hyper, **static)
    per_row = any(isinstance(v, np.ndarray) and v.shape[0] > 1 for v in hyper.values())
    if not per_row:
        return GradientTransformation(init, update, None)

    def for_rows(n, rows):
        sliced = {k: _validate.take_rows(k, v, n, rows) for k, v in hyper.items()}
        return _with_hyperparameters(factory, sliced, **static)

    return GradientTransformation(init, update, for_rows)


def _may_be_zero(x):
    return np.any(np.asarray(x) == 0)


def _per_coordinate(value):
    """``shape -> value`` broadcast to ``shape``: a float stays a float; a column ``(n, 1)``
    becomes a full contiguous ``(n, d)`` array, built once per shape and cached.

    Why: numpy broadcasting a column over d = 2 coordinates runs an inner loop of length 2,
    several times slower than a plain elementwise operation on full arrays.
    """
    if not isinstance(value, np.ndarray):
        return lambda shape: value
    cache = {}

    def full(shape):
        arr = cache.get(shape)
        if arr is None:
            arr = np.ascontiguousarray(np.broadcast_to(value, shape))
            cache.clear()
            cache[shape] = arr
        return arr

    return full


# --------------------------------------------------------------------------- states


class EmptyState(NamedTuple):
    """State of a transformation that keeps none."""


class ScaleByRmsState(NamedTuple):
    """``nu``: the running second moment :math:`S` (the course's ``S_dW``, ``S_db``);
    ``count``: steps taken (for bias correction)."""

    nu: np.ndarray
    count: int


class ScaleByStddevState(NamedTuple):
    """``mu``: running mean of the gradient; ``nu``: running second moment; ``count``."""

    mu: np.ndarray
    nu: np.ndarray
    count: int


class ScaleByAdamState(NamedTuple):
    """``mu``: first moment :math:`V` (the course's ``V_dW``); ``nu``: second moment
    :math:`S`; ``count``: steps taken."""

    mu: np.ndarray
    nu: np.ndarray
    count: int


class ScaleByRssState(NamedTuple):
    """``sum_of_squares``: Adagrad's running sum :math:`G` of squared gradients."""

    sum_of_squares: np.ndarray


class TraceState(NamedTuple):
    """``trace``: the momentum buffer :math:`V` (the course's ``V_dW``, ``V_db``)."""

    trace: np.ndarray


# --------------------------------------------------------------------------- transforms


def _rms_factory(decay, eps, initial_scale, *, eps_inside, bias_correction):
    guard_zero = _may_be_zero(eps)
    decay_of = _per_coordinate(decay)
    one_minus_decay_of = _per_coordinate(1.0 - decay)
    eps_of = _per_coordinate(eps)

    def init(params):
        # initial_scale may be a column (n, 1): np.full broadcasts it over coordinates.
        return ScaleByRmsState(nu=np.full(np.shape(params), initial_scale, dtype=np.float64), count=0)

    def update(grads, state, params=None):
        shape = grads.shape
        count = state.count + 1
        nu = decay_of(shape) * state.nu
        sq = grads * grads
        sq *= one_minus_decay_of(shape)
        nu += sq
        nu_hat = nu / (1.0 - decay_of(shape) ** count) if bias_correction else nu
        if eps_inside:
            den = nu_hat + eps_of(shape)
            np.sqrt(den, out=den)
        else:
            den = np.sqrt(nu_hat)
            den += eps_of(shape)
        if guard_zero:
            np.maximum(den, _TINY, out=den)
        np.divide(grads, den, out=den)
        return den, ScaleByRmsState(nu=nu, count=count)

    return init, update


def scale_by_rms(decay=0.9, eps=1e-8, eps_inside=False, initial_scale=0.0, bias_correction=False):
    r"""Divide the gradient by the root of a running average of its square, per coordinate.

    .. math::

        S \leftarrow \beta S + (1-\beta)\, g^2, \qquad
        u = \frac{g}{\sqrt{\hat S} + \varepsilon}
        \quad\text{or, with } \texttt{eps\_inside}, \quad
        u = \frac{g}{\sqrt{\hat S + \varepsilon}}

    where :math:`\hat S = S / (1-\beta^t)` with ``bias_correction`` and :math:`\hat S = S`
    otherwise, and :math:`S_0` is ``initial_scale`` (0 in PyTorch, Keras and the course; 1 in
    TF1). Symbols: :math:`\beta` is ``decay``, :math:`\varepsilon` is ``eps``, :math:`t` is the
    step count (``state.count``), :math:`S` is ``state.nu``.

    With :math:`S_0 = 0` and no bias correction the first update is
    :math:`g/\sqrt{(1-\beta) g^2} = \operatorname{sign}(g)/\sqrt{1-\beta}` per coordinate
    (3.16 at :math:`\beta = 0.9`), up to :math:`\varepsilon`.

    >>> import numpy as np
    >>> t = scale_by_rms(decay=0.9, eps=0.0)
    >>> g = np.array([[3.0, -0.001]])
    >>> u, state = t.update(g, t.init(g))
    >>> np.round(u, 4)
    array([[ 3.1623, -3.1623]])
    """
    hyper = dict(
        decay=_validate.hyperparameter("decay", decay, low=0.0, high=1.0),
        eps=_validate.hyperparameter("eps", eps, low=0.0),
        initial_scale=_validate.hyperparameter("initial_scale", initial_scale, low=0.0),
    )
    return _with_hyperparameters(
        _rms_factory, hyper, eps_inside=bool(eps_inside), bias_correction=bool(bias_correction)
    )


def _stddev_factory(decay, eps, initial_scale, *, eps_inside, bias_correction):
    decay_of = _per_coordinate(decay)
    one_minus_decay_of = _per_coordinate(1.0 - decay)
    eps_of = _per_coordinate(eps)
    guard_zero = _may_be_zero(eps)

    def init(params):
        shape = np.shape(params)
        return ScaleByStddevState(
            mu=np.zeros(shape, dtype=np.float64),
            nu=np.full(shape, initial_scale, dtype=np.float64),
            count=0,
        )

    def update(grads, state, params=None):
        shape = grads.shape
        decay, one_minus_decay, eps = decay_of(shape), one_minus_decay_of(shape), eps_of(shape)
        count = state.count + 1
        mu = decay * state.mu
        mu += one_minus_decay * grads
        nu = decay * state.nu
        sq = grads * grads
        sq *= one_minus_decay
        nu += sq
        if bias_correction:
            correction = 1.0 - decay**count
            var = nu / correction - (mu / correction) ** 2
        else:
            var = nu - mu * mu
        # Mathematically var >= 0 (it is a weighted variance); clip rounding below zero.
        np.maximum(var, 0.0, out=var)
        if eps_inside:
            var += eps
            den = np.sqrt(var, out=var)
        else:
            den = np.sqrt(var, out=var)
            den += eps
        if guard_zero:
            np.maximum(den, _TINY, out=den)
        np.divide(grads, den, out=den)
        return den, ScaleByStddevState(mu=mu, nu=nu, count=count)

    return init, update


def scale_by_stddev(decay=0.9, eps=1e-8, eps_inside=False, initial_scale=0.0, bias_correction=False):
    r"""Centered RMSprop: divide the gradient by a running estimate of its standard deviation.

    .. math::

        M \leftarrow \beta M + (1-\beta) g, \quad
        S \leftarrow \beta S + (1-\beta) g^2, \quad
        u = \frac{g}{\sqrt{S - M^2} + \varepsilon}
        \ \ \Bigl(\texttt{eps\_inside}:\ \frac{g}{\sqrt{S - M^2 + \varepsilon}}\Bigr)

    :math:`\beta` is ``decay``, :math:`\varepsilon` is ``eps``, :math:`M` is ``state.mu``,
    :math:`S` is ``state.nu`` (starting at ``initial_scale``). ``bias_correction`` divides
    both averages by :math:`1-\beta^t`. :math:`S - M^2` is clipped at 0 against rounding.

    >>> import numpy as np
    >>> t = scale_by_stddev(decay=0.5, eps=0.0)
    >>> g = np.array([[2.0]])
    >>> u, s = t.update(g, t.init(g))   # M = 1, S = 2, S - M^2 = 1
    >>> u
    array([[2.]])
    """
    hyper = dict(
        decay=_validate.hyperparameter("decay", decay, low=0.0, high=1.0),
        eps=_validate.hyperparameter("eps", eps, low=0.0),
        initial_scale=_validate.hyperparameter("initial_scale", initial_scale, low=0.0),
    )
    return _with_hyperparameters(
        _stddev_factory, hyper, eps_inside=bool(eps_inside), bias_correction=bool(bias_correction)
    )


def _adam_factory(b1, b2, eps, *, bias_correction):
    b1_of, b2_of = _per_coordinate(b1), _per_coordinate(b2)
    one_minus_b1_of, one_minus_b2_of = _per_coordinate(1.0 - b1), _per_coordinate(1.0 - b2)
    eps_of = _per_coordinate(eps)
    guard_zero = _may_be_zero(eps)

    def init(params):
        shape = np.shape(params)
        return ScaleByAdamState(
            mu=np.zeros(shape, dtype=np.float64), nu=np.zeros(shape, dtype=np.float64), count=0
        )

    def update(grads, state, params=None):
        shape = grads.shape
        count = state.count + 1
        mu = b1_of(shape) * state.mu
        mu += one_minus_b1_of(shape) * grads
        nu = b2_of(shape) * state.nu
        sq = grads * grads
        sq *= one_minus_b2_of(shape)
        nu += sq
        if bias_correction:
            mu_hat = mu / (1.0 - b1_of(shape) ** count)
            nu_hat = nu / (1.0 - b2_of(shape) ** count)
        else:
            mu_hat, nu_hat = mu, nu
        den = np.sqrt(nu_hat)
        den += eps_of(shape)
        if guard_zero:
            np.maximum(den, _TINY, out=den)
        np.divide(mu_hat, den, out=den)
        return den, ScaleByAdamState(mu=mu, nu=nu, count=count)

    return init, update


def scale_by_adam(b1=0.9, b2=0.999, eps=1e-8, bias_correction=True):
    r"""Adam's scaling: a running mean of the gradient divided by the root of a running mean
    of its square.

    .. math::

        V \leftarrow \beta_1 V + (1-\beta_1) g, \quad
        S \leftarrow \beta_2 S + (1-\beta_2) g^2, \quad
        u = \frac{\hat V}{\sqrt{\hat S} + \varepsilon}, \quad
        \hat V = \frac{V}{1-\beta_1^t},\ \hat S = \frac{S}{1-\beta_2^t}

    :math:`\beta_1` is ``b1``, :math:`\beta_2` is ``b2``, :math:`\varepsilon` is ``eps``,
    :math:`V` is ``state.mu`` (``V_dW``), :math:`S` is ``state.nu`` (``S_dW``). Without
    ``bias_correction``, :math:`\hat V = V` and :math:`\hat S = S`. With it, the first update
    is exactly :math:`\operatorname{sign}(g)` (for :math:`\varepsilon = 0`).

    >>> import numpy as np
    >>> t = scale_by_adam(eps=0.0)
    >>> g = np.array([[5.0, -0.01]])
    >>> u, s = t.update(g, t.init(g))
    >>> u
    array([[ 1., -1.]])
    """
    hyper = dict(
        b1=_validate.hyperparameter("b1", b1, low=0.0, high=1.0),
        b2=_validate.hyperparameter("b2", b2, low=0.0, high=1.0),
        eps=_validate.hyperparameter("eps", eps, low=0.0),
    )
    return _with_hyperparameters(_adam_factory, hyper, bias_correction=bool(bias_correction))


def _rss_factory(eps, initial_accumulator):
    guard_zero = _may_be_zero(eps)
    eps_of = _per_coordinate(eps)

    def init(params):
        return ScaleByRssState(
            sum_of_squares=np.full(np.shape(params), initial_accumulator, dtype=np.float64)
        )

    def update(grads, state, params=None):
        total = grads * grads
        total += state.sum_of_squares
        den = np.sqrt(total)
        den += eps_of(grads.shape)
        if guard_zero:
            np.maximum(den, _TINY, out=den)
        np.divide(grads, den, out=den)
        return den, ScaleByRssState(sum_of_squares=total)

    return init, update


def scale_by_rss(eps=1e-8, initial_accumulator=0.0):
    r"""Adagrad's scaling: divide by the root of the running *sum* of squared gradients.

    .. math::

        G \leftarrow G + g^2, \qquad u = \frac{g}{\sqrt{G} + \varepsilon}

    :math:`\varepsilon` is ``eps``, :math:`G` is ``state.sum_of_squares`` starting at
    ``initial_accumulator``.

    >>> import numpy as np
    >>> t = scale_by_rss(eps=0.0)
    >>> g = np.array([[4.0]])
    >>> u, s = t.update(g, t.init(g))
    >>> u, s.sum_of_squares
    (array([[1.]]), array([[16.]]))
    """
    hyper = dict(
        eps=_validate.hyperparameter("eps", eps, low=0.0),
        initial_accumulator=_validate.hyperparameter(
            "initial_accumulator", initial_accumulator, low=0.0
        ),
    )
    return _with_hyperparameters(_rss_factory, hyper)


_TRACE_FORMS = ("ema", "heavy_ball")


def _trace_factory(decay, *, form):
    decay_of = _per_coordinate(decay)
    one_minus_decay_of = _per_coordinate(1.0 - decay)

    def init(params):
        return TraceState(trace=np.zeros(np.shape(params), dtype=np.float64))

    def update(grads, state, params=None):
        v = decay_of(grads.shape) * state.trace
        if form == "ema":
            v += one_minus_decay_of(grads.shape) * grads
        else:
            v += grads
        return v, TraceState(trace=v)

    return init, update


def trace(decay=0.9, form="ema"):
    r"""Momentum: a running combination of past updates.

    .. math::

        \text{ema:}\quad V \leftarrow \beta V + (1-\beta) g, \qquad
        \text{heavy\_ball:}\quad V \leftarrow \beta V + g, \qquad u = V

    :math:`\beta` is ``decay``, :math:`V` is ``state.trace`` (``V_dW``). ``form="ema"`` is the
    course's exponentially weighted average; ``form="heavy_ball"`` is PyTorch's
    ``SGD(momentum=...)`` and Polyak's heavy ball. With a learning rate :math:`\alpha` after
    it, ema equals heavy ball with learning rate :math:`\alpha(1-\beta)`.

    >>> import numpy as np
    >>> t = trace(decay=0.5, form="heavy_ball")
    >>> g = np.array([[1.0]])
    >>> u1, s = t.update(g, t.init(g)); u2, s = t.update(g, s)
    >>> u2
    array([[1.5]])
    """
    _validate.choice("form", form, _TRACE_FORMS)
    hyper = dict(decay=_validate.hyperparameter("decay", decay, low=0.0, high=1.0))
    return _with_hyperparameters(_trace_factory, hyper, form=form)


def scale_by_sign():
    r"""Keep only the sign of each coordinate: :math:`u = \operatorname{sign}(g)`
    (with :math:`\operatorname{sign}(0) = 0`).

    >>> import numpy as np
    >>> u, _ = scale_by_sign().update(np.array([[2.0, -0.1, 0.0]]), EmptyState())
    >>> u
    array([[ 1., -1.,  0.]])
    """

    def init(params):
        return EmptyState()

    def update(grads, state, params=None):
        return np.sign(grads), state

    return GradientTransformation(init, update, None)


def _normalize_factory(eps):
    def init(params):
        return EmptyState()

    def update(grads, state, params=None):
        norm = np.sqrt(np.einsum("ij,ij->i", grads, grads))[:, None]
        norm += eps
        np.maximum(norm, _TINY, out=norm)  # a zero gradient row gives a zero update
        return grads / norm, state

    return init, update


def normalize_by_norm(eps=0.0):
    r"""Divide each trajectory's gradient by its own Euclidean norm.

    .. math::

        u = \frac{g}{\lVert g \rVert_2 + \varepsilon}

    :math:`\varepsilon` is ``eps``; the norm is over the coordinates of one row (one
    trajectory). A zero gradient gives a zero update. Rotation-equivariant, unlike the
    per-coordinate transforms.

    >>> import numpy as np
    >>> u, _ = normalize_by_norm().update(np.array([[3.0, 4.0]]), EmptyState())
    >>> u
    array([[0.6, 0.8]])
    """
    hyper = dict(eps=_validate.hyperparameter("eps", eps, low=0.0))
    return _with_hyperparameters(_normalize_factory, hyper)


def _lr_factory(lr):
    minus_lr_of = _per_coordinate(-lr)

    def init(params):
        return EmptyState()

    def update(updates, state, params=None):
        return np.multiply(updates, minus_lr_of(updates.shape)), state

    return init, update


class ScheduleState(NamedTuple):
    """``count``: steps taken so far (the schedule's t)."""

    count: int


def scale_by_learning_rate(lr):
    r"""Multiply by the negative learning rate: :math:`u \leftarrow -\alpha\, u`.

    The only place in the package with the minus sign and the learning rate :math:`\alpha`
    (``lr``); the caller then applies :math:`x \leftarrow x + u`. ``lr`` may be a
    :class:`~rmsprop_core.schedules.Schedule`: then this is :func:`scale_by_schedule`.

    >>> import numpy as np
    >>> u, _ = scale_by_learning_rate(0.1).update(np.array([[1.0, -2.0]]), EmptyState())
    >>> u
    array([[-0.1,  0.2]])
    """
    if isinstance(lr, Schedule):
        return scale_by_schedule(lr)
    hyper = dict(lr=_validate.hyperparameter("lr", lr, low=0.0, low_open=True))
    return _with_hyperparameters(_lr_factory, hyper)


def _schedule_factory(*, kind, **params):
    schedule = Schedule(kind, params)

    def init(params):
        return ScheduleState(count=0)

    def update(updates, state, params=None):
        return np.multiply(updates, -schedule(state.count)), ScheduleState(count=state.count + 1)

    return init, update


def scale_by_schedule(schedule):
    r"""Multiply by the negative scheduled learning rate: :math:`u \leftarrow -\alpha_t\, u`,
    t the number of steps already taken (see :mod:`~rmsprop_core.schedules`).

    >>> import numpy as np
    >>> from rmsprop_core import schedules
    >>> t = scale_by_schedule(schedules.exponential_decay(0.1, 0.5))
    >>> s = t.init(None)
    >>> u1, s = t.update(np.ones((1, 2)), s)
    >>> u2, s = t.update(np.ones((1, 2)), s)
    >>> u1[0, 0], u2[0, 0]
    (np.float64(-0.1), np.float64(-0.05))
    """
    if not isinstance(schedule, Schedule):
        raise ValueError(f"schedule must be an rc.schedules.Schedule (e.g. "
                         f"rc.schedules.exponential_decay(0.01, 0.99)), got {type(schedule).__name__}")
    return _with_hyperparameters(_schedule_factory, dict(schedule.params), kind=schedule.kind)


def _row_norm(u):
    return np.sqrt(np.einsum("ij,ij->i", u, u))[:, None]


def direction_with_length_of(direction, length):
    r"""One transformation's direction at another's step length (the direction × magnitude
    ablation): both run on the same gradient, each with its own state, and

    .. math::

        u = \lVert u_L \rVert \, \frac{u_D}{\lVert u_D \rVert}

    where :math:`u_D` is the update of ``direction`` and :math:`u_L` the update of
    ``length`` (Euclidean norms over one trajectory's coordinates). A zero :math:`u_D` gives a
    zero update. ``direction_with_length_of(identity(), scale_by_rms())`` is gradient
    descent's direction with RMSprop's step length; swap the arguments for RMSprop's direction
    with gradient descent's step length. Chain :func:`scale_by_learning_rate` after it.
    The state is the pair ``(direction_state, length_state)``.

    >>> import numpy as np
    >>> t = direction_with_length_of(identity(), scale_by_sign())
    >>> u, _ = t.update(np.array([[3.0, 4.0]]), t.init(np.zeros((1, 2))))
    >>> u.round(4)     # the gradient's direction (0.6, 0.8), sign descent's length sqrt(2)
    array([[0.8485, 1.1314]])
    """
    for name, t in (("direction", direction), ("length", length)):
        if not isinstance(t, GradientTransformation):
            raise ValueError(
                f"{name} must be a GradientTransformation (e.g. identity() or scale_by_rms()), "
                f"got {type(t).__name__}"
            )
    direction_update, length_update = direction.update, length.update

    def init(params):
        return (direction.init(params), length.init(params))

    def update(grads, state, params=None):
        u_dir, s_dir = direction_update(grads, state[0], params)
        u_len, s_len = length_update(grads, state[1], params)
        norm_dir = _row_norm(u_dir)
        np.maximum(norm_dir, _TINY, out=norm_dir)  # zero direction -> zero update
        return u_dir * (_row_norm(u_len) / norm_dir), (s_dir, s_len)

    if direction.for_rows is None and length.for_rows is None:
        return GradientTransformation(init, update, None)

    def for_rows(n, rows):
        return direction_with_length_of(restrict(direction, n, rows), restrict(length, n, rows))

    return GradientTransformation(init, update, for_rows)


class StackState(NamedTuple):
    """State of :func:`stack`: each block's state, and the number of trajectories in each."""

    blocks: tuple
    sizes: tuple


def _block_index(sizes, n, rows):
    """For the trajectories ``rows`` (a slice or an increasing index array) of ``n``, the
    (block, rows within the block) pairs they cover, in order."""
    index = np.arange(n)[rows] if isinstance(rows, slice) else np.asarray(rows)
    if index.dtype == bool:
        index = np.flatnonzero(index)
    if index.size > 1 and np.any(np.diff(index) <= 0):
        raise ValueError("a stack of transformations can only be restricted to rows in increasing order")
    out, start = [], 0
    for b, size in enumerate(sizes):
        inside = index[(index >= start) & (index < start + size)] - start
        if inside.size:
            out.append((b, inside))
        start += size
    return out


def stack(*blocks):
    r"""Different transformations for consecutive blocks of trajectories in one run.

    ``blocks`` are ``(transform, rows)`` pairs: the first ``rows`` trajectories follow the
    first transform, the next ``rows`` the second, and so on; a run's number of trajectories
    must be their sum. One batched run then compares several methods with a single gradient
    evaluation per step for all of them — what matters when the objective's cost per call,
    not per trajectory, dominates (the course's network: about 0.2 ms a call however few rows).
    Each block's hyperparameters may be per trajectory of that block.

    >>> import numpy as np
    >>> from rmsprop_core import optimizers
    >>> opt = stack((optimizers.gd(0.1), 1), (optimizers.sign_descent(0.1), 2))
    >>> g = np.array([[2.0, -4.0], [2.0, -4.0], [0.5, 1.0]])
    >>> u, _ = opt.update(g, opt.init(np.zeros((3, 2))))
    >>> u
    array([[-0.2,  0.4],
           [-0.1,  0.1],
           [-0.1, -0.1]])
    """
    if not blocks:
        raise ValueError("stack needs at least one (transform, rows) pair")
    for block in blocks:
        if (not isinstance(block, tuple) or len(block) != 2
                or not isinstance(block[0], GradientTransformation)):
            raise ValueError(f"stack takes (GradientTransformation, rows) pairs, got {block!r}")
        _validate.steps(block[1], name="rows")
    transforms = tuple(t for t, _ in blocks)
    sizes = tuple(int(r) for _, r in blocks)
    total = sum(sizes)
    bounds = np.cumsum((0,) + sizes)

    def init(params):
        params = np.asarray(params)
        if params.shape[0] != total:
            raise ValueError(f"the stack's blocks have {total} trajectories in all, the run has "
                             f"{params.shape[0]}")
        return StackState(tuple(t.init(params[a:b]) for t, a, b in zip(transforms, bounds[:-1], bounds[1:])),
                          sizes)

    def update(grads, state, params=None):
        parts, states = [], []
        for t, s, a, b in zip(transforms, state.blocks, bounds[:-1], bounds[1:]):
            u, s = t.update(grads[a:b], s, None if params is None else params[a:b])
            parts.append(u)
            states.append(s)
        return np.concatenate(parts, axis=0), StackState(tuple(states), sizes)

    def for_rows(n, rows):
        if n != total:
            raise ValueError(f"the stack's blocks have {total} trajectories in all, the run has {n}")
        return stack(*((restrict(transforms[b], sizes[b], inside), int(inside.size))
                       for b, inside in _block_index(sizes, n, rows)))

    return GradientTransformation(init, update, for_rows)


def take_stack_rows(state, keep, take):
    """The state of a :func:`stack` for the trajectories ``keep`` (a boolean mask over all of
    them): ``take(block_state, block_mask, block_rows)`` restricts one block's state."""
    parts, sizes, start = [], [], 0
    for s, size in zip(state.blocks, state.sizes):
        mask = keep[start:start + size]
        if mask.any():
            parts.append(take(s, mask, size))
            sizes.append(int(mask.sum()))
        start += size
    return StackState(tuple(parts), tuple(sizes))


def identity():
    """The transformation that returns the gradient unchanged (:math:`u = g`)."""

    def init(params):
        return EmptyState()

    def update(grads, state, params=None):
        return grads, state

    return GradientTransformation(init, update, None)


def chain(*transforms):
    r"""Apply ``transforms`` one after the other; the state is the tuple of their states.

    >>> import numpy as np
    >>> opt = chain(scale_by_sign(), scale_by_learning_rate(0.5))
    >>> x = np.array([[1.0, -3.0]])
    >>> u, s = opt.update(x, opt.init(x))
    >>> u
    array([[-0.5,  0.5]])
    """
    if not transforms:
        raise ValueError("chain needs at least one transformation")
    for t in transforms:
        if not isinstance(t, GradientTransformation):
            raise ValueError(f"chain takes GradientTransformation objects, got {type(t).__name__}")
    inits = tuple(t.init for t in transforms)
    updates = tuple(t.update for t in transforms)

    def init(params):
        return tuple(fn(params) for fn in inits)

    if len(updates) == 2:
        # The common case (scaling, then the learning rate), unrolled: it runs every step.
        first, second = updates

        def update(grads, state, params=None):
            u, s0 = first(grads, state[0], params)
            u, s1 = second(u, state[1], params)
            return u, (s0, s1)

    else:

        def update(grads, state, params=None):
            new_state = []
            u = grads
            for fn, s in zip(updates, state):
                u, s = fn(u, s, params)
                new_state.append(s)
            return u, tuple(new_state)

    if all(t.for_rows is None for t in transforms):
        return GradientTransformation(init, update, None)

    def for_rows(n, rows):
        return chain(*(restrict(t, n, rows) for t in transforms))

    return GradientTransformation(init, update, for_rows)

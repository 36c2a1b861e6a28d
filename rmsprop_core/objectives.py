r"""Test surfaces with analytic gradients, known minima and a suggested view box.

Each objective is registered under a short id (``bowl``, ``rotated``, ``rosenbrock``,
``beale``, ``saddle``, ``two-wells``); pages and the playground name surfaces only by
these ids:

>>> import rmsprop_core as rc
>>> rc.objectives.ids()
('bowl', 'rotated', 'rosenbrock', 'beale', 'saddle', 'two-wells')
>>> bowl = rc.objectives.get("bowl")
>>> bowl.value([[1.0, 1.0]])      # 1/2 (1·1² + 20·1²)
array([10.5])

``value`` and ``grad`` take points of shape ``(..., d)`` (e.g. ``(n, d)`` or ``(d,)``) and
return shapes ``(...)`` and ``(..., d)``.

A gradient may depend on the step t: :func:`noisy` wraps any objective in reproducible
Gaussian gradient noise (mini-batch noise without the mini-batches), drawn by
:func:`gaussian_noise`, a counter-based generator whose numbers are a pure function of
(seed, step, coordinate).
"""

from __future__ import annotations

import math

import numpy as np

from . import _validate

__all__ = [
    "Objective",
    "Quadratic",
    "quadratic",
    "random_rotation",
    "bowl",
    "rotated",
    "rosenbrock",
    "beale",
    "saddle",
    "two_wells",
    "linear",
    "noisy",
    "Noisy",
    "gaussian_noise",
    "get",
    "ids",
]


class Objective:
    """A differentiable surface :math:`f: \\mathbb{R}^d \\to \\mathbb{R}`.

    Attributes: ``id`` (registry id), ``name`` (human-readable), ``dim`` (d), ``minimum``
    (``(d,)`` global minimiser; for the saddle its stationary point), ``min_value``
    (:math:`f` there), ``view`` (``((xmin, xmax), (ymin, ymax))`` for contour plots),
    ``stochastic`` (whether the gradient depends on the step: then ``grad_fn`` takes
    ``(x, t)``, and the runners pass the index t of the iterate :math:`x_t`, 0 for the first
    step, as an int; :attr:`Trajectory.grads <rmsprop_core.Trajectory>` passes an integer
    array broadcastable to ``x.shape[:-1]``, and ``t=None`` asks for the noise-free
    gradient; a deterministic ``grad_fn`` takes ``x`` only and is called exactly as before).
    """

    def __init__(self, id, name, dim, value_fn, grad_fn, minimum, min_value, view, *,
                 stochastic=False):
        self.id = id
        self.name = name
        self.dim = dim
        self.stochastic = bool(stochastic)
        self._value = value_fn  # fast paths: float64 (..., d) in, no checks
        self._grad = grad_fn  # (x) or, if stochastic, (x, t)
        self.minimum = np.asarray(minimum, dtype=np.float64)
        self.minimum.setflags(write=False)
        self.min_value = float(min_value)
        self.view = view
        # Per-trajectory surfaces (e.g. one bowl per row) give run() their rows' part:
        # ``_for_rows(n, rows) -> Objective``; None means every row shares this surface.
        self._for_rows = None

    def _as_points(self, x):
        arr = np.asarray(x, dtype=np.float64)
        if arr.ndim == 0 or arr.shape[-1] != self.dim:
            raise ValueError(
                f"x must have shape (..., {self.dim}) for the {self.dim}-dimensional "
                f"objective {self.id!r}, got shape {arr.shape}"
            )
        return arr

    def value(self, x):
        """:math:`f(x)` for points ``x`` of shape ``(..., d)``; returns shape ``(...)``."""
        out = self._value(self._as_points(x))
        return float(out) if np.ndim(out) == 0 else out

    def grad(self, x, step=None):
        """:math:`\\nabla f(x)` for points of shape ``(..., d)``; returns ``(..., d)``.

        ``step`` is the index t of the iterate (0 for the starting point), an integer or an
        integer array broadcastable to ``x.shape[:-1]``. A deterministic objective ignores
        it; a stochastic one (:func:`noisy`) returns the gradient it gives at step t, and
        with ``step=None`` its noise-free gradient.
        """
        x = self._as_points(x)
        if not self.stochastic:
            return self._grad(x)
        return self._grad(x, None if step is None else _checked_step(step))

    def __repr__(self):
        return f"<Objective {self.id!r}: {self.name}>"


def _rotation(d, angle):
    """Identity in d dimensions, with axes 0 and 1 rotated by ``angle`` radians."""
    r = np.eye(d)
    if d >= 2:
        c, s = math.cos(angle), math.sin(angle)
        r[:2, :2] = [[c, -s], [s, c]]
    return r


def restrict(objective, n, rows):
    """``objective`` as seen by the trajectories ``rows`` out of ``n`` (checks the count)."""
    if objective._for_rows is None:
        return objective
    return objective._for_rows(n, rows)


def random_rotation(d, seed=0):
    """A Haar-random orthogonal ``d × d`` matrix (QR of a Gaussian matrix, signs fixed so
    that the distribution is uniform), reproducible from ``seed``.

    >>> r = random_rotation(5, seed=1)
    >>> bool(np.allclose(r @ r.T, np.eye(5)))
    True
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    g = np.random.default_rng(int(seed)).standard_normal((d, d))
    q, r = np.linalg.qr(g)
    return q * np.sign(np.diag(r))


def _checked_rotation(rotation, d, seed):
    if isinstance(rotation, str):
        _validate.choice("rotation", rotation, ("random",))
        return random_rotation(d, seed)
    r = np.asarray(rotation, dtype=np.float64)
    if r.shape != (d, d) or not np.all(np.isfinite(r)):
        raise ValueError(f"rotation must be 'random' or a finite orthogonal {d} × {d} matrix, "
                         f"got shape {r.shape}")
    if not np.allclose(r.T @ r, np.eye(d), atol=1e-9 * max(1, d)):
        raise ValueError("rotation must be orthogonal (R^T R = I)")
    return r


def _per_row_eigenvalues(lam):
    """Eigenvalues as given: ``(d,)`` shared, or ``(n, d)`` one row per trajectory."""
    lam = np.asarray(lam, dtype=np.float64)
    if lam.ndim not in (1, 2) or lam.size == 0 or not np.all(np.isfinite(lam)):
        raise ValueError("eigenvalues must be a non-empty list of finite numbers (d,), or one "
                         "such row per trajectory (n, d)")
    return lam


class Quadratic(Objective):
    r""":math:`f(x) = \tfrac12 \sum_i \lambda_i (R^\top x)_i^2 = \tfrac12 x^\top H x`,
    :math:`H = R\,\mathrm{diag}(\lambda) R^\top`.

    Extra attributes: ``eigenvalues`` (λ), ``angle``, ``rotation`` (R), ``hessian`` (H).
    With per-trajectory eigenvalues ``(n, d)`` or angles ``(n,)`` these carry a leading
    axis of length n, and a batched run gives row i its own bowl.
    """

    def __init__(self, eigenvalues, angle=0.0, id="quadratic", name=None, view=None, *,
                 rotation=None, seed=0):
        lam = _per_row_eigenvalues(eigenvalues)
        d = lam.shape[-1]
        angle_arr = np.asarray(angle, dtype=np.float64)
        if angle_arr.ndim > 1 or not np.all(np.isfinite(angle_arr)):
            raise ValueError(f"angle must be a finite number of radians (or one per trajectory), "
                             f"got {angle!r}")
        if d == 1 and np.any(angle_arr != 0.0):
            raise ValueError("angle rotates axes 0 and 1, so it needs at least 2 eigenvalues")
        per_row = lam.ndim == 2 or angle_arr.ndim == 1
        if rotation is not None and (per_row or np.any(angle_arr != 0.0)):
            raise ValueError("give either rotation= or angle=, and rotation= only with one "
                             "set of eigenvalues (d,)")
        if per_row and angle_arr.ndim == 1 and np.any(angle_arr != 0.0) and d != 2:
            raise ValueError("per-trajectory angles need d = 2")
        self.eigenvalues = lam
        self.angle = float(angle_arr) if angle_arr.ndim == 0 else angle_arr
        self._rows = max(lam.shape[0] if lam.ndim == 2 else 1,
                         angle_arr.size if angle_arr.ndim == 1 else 1)

        if rotation is not None:
            r = _checked_rotation(rotation, d, seed)
            self.rotation = r
            self.hessian = (r * lam) @ r.T
            hessian = self.hessian.copy()

            def grad(x):
                return x @ hessian  # H is symmetric

            def value(x):
                return 0.5 * np.einsum("...i,...i->...", grad(x), x)

        elif per_row:
            grad, value = self._per_row_functions(lam, angle_arr)
        else:
            grad, value = self._shared_functions(lam, float(angle_arr))

        lo = float(lam.min())
        if name is None:
            if per_row:
                name = f"Quadratic ({self._rows} per-trajectory bowls, d = {d})"
            else:
                shown = ", ".join(f"{v:g}" for v in lam) if d <= 8 else f"{d} values from {lo:g} to {lam.max():g}"
                rot = "random rotation" if isinstance(rotation, str) else (
                    "rotated" if rotation is not None else f"angle {float(angle_arr):g}")
                name = f"Quadratic (eigenvalues {shown}, {rot})"
        if view is None:
            view = ((-3.0, 3.0), (-3.0, 3.0))
        min_value = 0.0 if lo >= 0 else -math.inf
        super().__init__(id, name, d, value, grad, np.zeros(d), min_value, view)
        if per_row:
            self._for_rows = self._restricted

    def _shared_functions(self, lam, angle):
        d = lam.size
        self.rotation = _rotation(d, angle)
        self.hessian = self.rotation @ np.diag(lam) @ self.rotation.T
        lam_row = lam.copy()
        hessian = self.hessian.copy()
        if angle == 0.0:
            # λ tiled to the full shape of x, cached: broadcasting a length-d row over many
            # short rows is several times slower than a plain elementwise product.
            tiled = {}

            def grad(x):
                full = tiled.get(x.shape)
                if full is None:
                    full = np.ascontiguousarray(np.broadcast_to(lam_row, x.shape))
                    if x.size <= 1 << 20:  # keep the cache small
                        tiled.clear()
                        tiled[x.shape] = full
                return x * full

            def value(x):
                return 0.5 * np.einsum("...i,...i->...", x * lam_row, x)

            return grad, value

        def grad(x):
            return x @ hessian  # H is symmetric

        if d == 2:
            # Plain IEEE products and sums in a fixed order, not x @ H: BLAS kernels fuse
            # multiply-adds depending on the CPU, and constant-rate RMSprop hovering around
            # the minimum turns one differently rounded bit into visibly different paths.
            # This way the result is bit-reproducible and the playground's JavaScript
            # engine (docs/javascripts/playground/engine.js) mirrors it exactly.
            grad = _planar_grad(*_planar_hessian(lam[0], lam[1], angle))

        def value(x):
            return 0.5 * np.einsum("...i,...i->...", grad(x), x)

        return grad, value

    def _per_row_functions(self, lam, angle):
        """Row i of a batch has eigenvalues ``lam[i]`` (and angle ``angle[i]``, d = 2)."""
        lam2 = lam if lam.ndim == 2 else lam[None, :]
        if angle.ndim == 1 and np.any(angle != 0.0):
            ang = np.broadcast_to(angle, (self._rows,)) if angle.size > 1 else np.full(self._rows, float(angle[0]))
            lam2 = np.broadcast_to(lam2, (self._rows, 2))
            c, s = np.cos(ang), np.sin(ang)
            self.rotation = np.stack([np.stack([c, -s], -1), np.stack([s, c], -1)], -2)
            h = _planar_hessian(lam2[:, 0], lam2[:, 1], ang)
            self.hessian = np.stack([np.stack([h[0], h[1]], -1), np.stack([h[1], h[2]], -1)], -2)
            grad = _planar_grad(*h)

            def value(x):
                return 0.5 * np.einsum("...i,...i->...", grad(x), x)

            return grad, value

        self.rotation = np.eye(lam2.shape[1])
        self.hessian = None  # n diagonal matrices: use ``eigenvalues``
        full = np.ascontiguousarray(lam2)

        def grad(x):
            return x * full

        def value(x):
            return 0.5 * np.einsum("...i,...i->...", x * full, x)

        return grad, value

    def _restricted(self, n, rows):
        """The bowls of trajectories ``rows`` out of ``n`` (a run's block of rows)."""
        if self._rows not in (1, n):
            raise ValueError(
                f"the objective has {self._rows} per-trajectory bowls but there are {n} "
                f"trajectories: give one bowl or exactly {n}"
            )
        lam = self.eigenvalues[rows] if self.eigenvalues.ndim == 2 and self._rows > 1 else self.eigenvalues
        angle = self.angle[rows] if isinstance(self.angle, np.ndarray) and self.angle.size > 1 else self.angle
        return Quadratic(lam, angle, id=self.id, name=self.name, view=self.view)


def _planar_hessian(l0, l1, angle):
    """(h00, h01, h11) of R diag(l0, l1) R^T, R the rotation by ``angle``, in a fixed order
    of IEEE operations (scalars or arrays of per-row values)."""
    c, s = (math.cos(angle), math.sin(angle)) if np.ndim(angle) == 0 else (np.cos(angle), np.sin(angle))
    h00 = (c * l0) * c + (s * l1) * s
    h01 = (c * l0) * s - (s * l1) * c
    h11 = (s * l0) * s + (c * l1) * c
    return h00, h01, h11


def _planar_grad(h00, h01, h11):
    def grad(x):
        out = np.empty_like(x)
        x0, x1 = x[..., 0], x[..., 1]
        out[..., 0] = x0 * h00 + x1 * h01
        out[..., 1] = x0 * h01 + x1 * h11
        return out

    return grad


def quadratic(eigenvalues, angle=0.0, rotation=None, seed=0):
    r"""The quadratic :math:`f(x) = \tfrac12 \sum_i \lambda_i (R^\top x)_i^2`.

    ``eigenvalues`` are :math:`\lambda_i` (one per dimension, any d), or one row of them per
    trajectory ``(n, d)``. :math:`R` is the identity, or rotates axes 0 and 1 by ``angle``
    radians (a scalar, or one per trajectory in 2-D), or is ``rotation``: ``"random"``
    (Haar-random, from ``seed``) or a given orthogonal matrix. Minimum 0 at the origin.

    >>> q = quadratic([1.0, 4.0])
    >>> q.grad([1.0, 1.0])
    array([1., 4.])
    >>> q50 = quadratic(np.geomspace(1, 100, 50), rotation="random", seed=3)
    >>> bool(np.allclose(np.linalg.eigvalsh(q50.hessian), np.geomspace(1, 100, 50)))
    True
    """
    return Quadratic(eigenvalues, angle, rotation=rotation, seed=seed)


def bowl():
    r"""The course's elongated bowl: ``quadratic([1, 20])``, :math:`f = \tfrac12(w^2 + 20 b^2)`.

    w is horizontal (:math:`\lambda_w = 1`), b vertical (:math:`\lambda_b = 20`): the
    gradient is 20 times steeper along b, so gradient descent oscillates vertically.

    >>> bowl().grad([1.0, 1.0])
    array([ 1., 20.])
    """
    return Quadratic(
        [1.0, 20.0],
        0.0,
        id="bowl",
        name="Course bowl (elongated quadratic)",
        view=((-4.0, 4.0), (-2.0, 2.0)),
    )


def rotated(angle=math.pi / 4):
    r"""The course bowl rotated by ``angle`` radians (default π/4): the same eigenvalues
    (1 and 20), its axes no longer aligned with the coordinates.

    >>> import numpy as np
    >>> np.round(rotated().hessian, 6)
    array([[10.5, -9.5],
           [-9.5, 10.5]])
    """
    return Quadratic(
        [1.0, 20.0],
        angle,
        id="rotated",
        name=f"Rotated bowl ({math.degrees(angle):g}°)",
        view=((-4.0, 4.0), (-4.0, 4.0)),
    )


def rosenbrock(a=1.0, b=100.0):
    r"""Rosenbrock's valley :math:`f(x, y) = (a-x)^2 + b\,(y-x^2)^2`, minimum 0 at
    :math:`(a, a^2)`.

    >>> rosenbrock().value([1.0, 1.0])
    0.0
    """
    a, b = float(a), float(b)

    def value(p):
        x, y = p[..., 0], p[..., 1]
        return (a - x) ** 2 + b * (y - x * x) ** 2

    def grad(p):
        x, y = p[..., 0], p[..., 1]
        r = y - x * x
        out = np.empty_like(p)
        out[..., 0] = -2.0 * (a - x) - 4.0 * b * x * r
        out[..., 1] = 2.0 * b * r
        return out

    return Objective(
        "rosenbrock",
        "Rosenbrock valley",
        2,
        value,
        grad,
        [a, a * a],
        0.0,
        ((-2.0, 2.0), (-1.0, 3.0)),
    )


def _ipow(y, k):
    """``y**k`` for a small integer k by repeated multiplication: numpy computes ``y**3`` with a
    SIMD pow whose last bit depends on the CPU; products are exact IEEE operations (and what
    the playground's JavaScript engine does)."""
    out = np.ones_like(y) if k == 0 else y
    for _ in range(k - 1):
        out = out * y
    return out


def beale():
    r"""Beale's function
    :math:`f = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2`, minimum 0 at
    (3, 0.5).

    >>> beale().value([3.0, 0.5])
    0.0
    """
    c = (1.5, 2.25, 2.625)

    def value(p):
        x, y = p[..., 0], p[..., 1]
        return sum((ci - x + x * _ipow(y, i + 1)) ** 2 for i, ci in enumerate(c))

    def grad(p):
        x, y = p[..., 0], p[..., 1]
        gx = np.zeros_like(x)
        gy = np.zeros_like(x)
        for i, ci in enumerate(c):
            k = i + 1
            r = ci - x + x * _ipow(y, k)
            gx = gx + 2.0 * r * (_ipow(y, k) - 1.0)
            gy = gy + 2.0 * r * (k * x * _ipow(y, k - 1))
        return np.stack([gx, gy], axis=-1)

    return Objective("beale", "Beale function", 2, value, grad, [3.0, 0.5], 0.0, ((-4.5, 4.5), (-4.5, 4.5)))


def saddle():
    r"""The saddle :math:`f(x, y) = (x^2 - y^2)/2`; ``minimum`` is its stationary point (0, 0)
    (unbounded below along y: a run from off the x-axis diverges).

    >>> saddle().grad([1.0, 2.0])
    array([ 1., -2.])
    """

    def value(p):
        return 0.5 * (p[..., 0] ** 2 - p[..., 1] ** 2)

    def grad(p):
        out = p.copy()
        out[..., 1] *= -1.0
        return out

    return Objective("saddle", "Saddle (x² − y²)/2", 2, value, grad, [0.0, 0.0], 0.0, ((-2.0, 2.0), (-2.0, 2.0)))


def linear(slope):
    r"""The plane :math:`f(x) = c^\top x`: the same gradient :math:`c` (``slope``) everywhere.

    Not a test surface for convergence (it has no minimum: ``min_value`` is :math:`-\infty`,
    ``minimum`` is the origin as a reference point) and not in the registry of ids. It isolates
    what an optimizer does to a gradient that does not change, e.g. RMSprop's first-step
    multiplier :math:`1/\sqrt{1-\beta^t}` with no confounding change of the gradient itself.

    >>> plane = linear([1.0, 0.001])
    >>> plane.grad([[5.0, -2.0], [0.0, 0.0]])
    array([[1.   , 0.001],
           [1.   , 0.001]])
    >>> plane.value([2.0, 1000.0])
    3.0
    """
    c = np.asarray(slope, dtype=np.float64)
    if c.ndim != 1 or c.size == 0 or not np.all(np.isfinite(c)):
        raise ValueError("slope must be a non-empty 1-D list of finite numbers (the constant gradient)")
    c = c.copy()
    c.setflags(write=False)
    d = c.size

    def value(p):
        return p @ c

    def grad(p):
        return np.broadcast_to(c, p.shape).copy()

    span = 3.0
    return Objective(
        "linear",
        f"Plane with constant gradient ({', '.join(f'{v:g}' for v in c)})",
        d,
        value,
        grad,
        np.zeros(d),
        -math.inf,
        ((-span, span), (-span, span)),
    )


_WELL_WIDTH = 0.2


def _two_wells_value(p):
    x, y = p[..., 0], p[..., 1]
    y2 = y * y
    return (
        x * x
        + y2
        - 2.0 * np.exp(-((x - 1.0) ** 2 + y2) / _WELL_WIDTH)
        - 3.0 * np.exp(-((x + 1.0) ** 2 + y2) / _WELL_WIDTH)
    )


def _two_wells_grad(p):
    x, y = p[..., 0], p[..., 1]
    y2 = y * y
    e1 = 2.0 * np.exp(-((x - 1.0) ** 2 + y2) / _WELL_WIDTH) * (2.0 / _WELL_WIDTH)
    e2 = 3.0 * np.exp(-((x + 1.0) ** 2 + y2) / _WELL_WIDTH) * (2.0 / _WELL_WIDTH)
    out = np.empty_like(p)
    out[..., 0] = 2.0 * x + e1 * (x - 1.0) + e2 * (x + 1.0)
    out[..., 1] = 2.0 * y + (e1 + e2) * y
    return out


def _two_wells_minimum():
    """Newton's method on y = 0 (the surface is symmetric in y) from the deeper well, x = -1."""
    x = -1.0
    h = 1e-6
    for _ in range(50):
        g = float(_two_wells_grad(np.array([x, 0.0]))[0])
        gp = float(_two_wells_grad(np.array([x + h, 0.0]))[0])
        gm = float(_two_wells_grad(np.array([x - h, 0.0]))[0])
        step = g / ((gp - gm) / (2 * h))
        x -= step
        if abs(step) < 1e-15:
            break
    return np.array([x, 0.0])


def two_wells():
    r"""Two Gaussian wells in a paraboloid (the surface of the simulator linked in the forum
    thread):

    .. math::

        f = x^2 + y^2 - 2 e^{-((x-1)^2 + y^2)/0.2} - 3 e^{-((x+1)^2 + y^2)/0.2}

    The global minimum (found numerically at import, by Newton's method) is near (-1, 0);
    the shallower well near (1, 0) is a local minimum.

    >>> import numpy as np
    >>> np.round(two_wells().minimum, 3)
    array([-0.936,  0.   ])
    """
    minimum = _TWO_WELLS_MINIMUM
    return Objective(
        "two-wells",
        "Two wells (simulator surface)",
        2,
        _two_wells_value,
        _two_wells_grad,
        minimum,
        float(_two_wells_value(minimum)),
        ((-2.0, 2.0), (-2.0, 2.0)),
    )


_TWO_WELLS_MINIMUM = _two_wells_minimum()

_REGISTRY = {
    "bowl": bowl,
    "rotated": rotated,
    "rosenbrock": rosenbrock,
    "beale": beale,
    "saddle": saddle,
    "two-wells": two_wells,
}


def ids():
    """The registered ids, in a fixed order."""
    return tuple(_REGISTRY)


def get(id):
    """The objective registered under ``id`` (with its default parameters).

    >>> get("rosenbrock").minimum
    array([1., 1.])
    """
    _validate.choice("objective id", id, ids())
    return _REGISTRY[id]()


# --------------------------------------------------------------------------- gradient noise
#
# A counter-based generator: every number is a pure function of (seed, step, coordinate), so
# a batched run, a single run, any block size and the playground's JavaScript engine draw the
# same noise. Only operations that are exact, or correctly rounded by IEEE 754 in numpy and
# in JavaScript alike, are used: 32-bit integer arithmetic, and float64 +, −, ×, ÷ and √ in a
# fixed order (numpy's log, cos and sin are SIMD code whose last bit depends on the CPU).

_MASK32 = np.uint64(0xFFFFFFFF)
_PHILOX_M0 = np.uint64(0xD2511F53)
_PHILOX_M1 = np.uint64(0xCD9E8D57)
_PHILOX_W0 = 0x9E3779B9
_PHILOX_W1 = 0xBB67AE85
_PHILOX_ROUNDS = 10
_U32 = 2**32  # seeds and steps are 32-bit counters
_SQRT_HALF = 0.7071067811865476  # the double nearest √½ (JavaScript: Math.SQRT1_2)
_LN2 = 0.6931471805599453  # Math.LN2
_HALF_PI = 1.5707963267948966  # Math.PI / 2
_NOISE_CHUNK = 16384  # numbers drawn per call when a run asks for the noise step by step


def _series(n, divisor):
    """Coefficients c_0 = 1, c_k = c_{k-1} / divisor(k), each one IEEE division."""
    out = [1.0]
    for k in range(1, n):
        out.append(out[-1] / float(divisor(k)))
    return tuple(out)


# log m = 2s (1 + s²/3 + s⁴/5 + …), s = (m − 1)/(m + 1), |s| <= 0.1716: 11 terms
_LOG_COEFFS = tuple(1.0 / float(2 * k + 1) for k in range(11))
# cos ψ and sin ψ / ψ as Taylor polynomials in ψ², 0 <= ψ < π/2: 12 terms each
_COS_COEFFS = _series(12, lambda k: -(2 * k - 1) * (2 * k))
_SIN_COEFFS = _series(12, lambda k: -(2 * k) * (2 * k + 1))


def _philox_round_keys(seed):
    """The 10 round keys (k0, k1) of Philox4x32-10 for key (seed, 0): k0 = seed + r·W0,
    k1 = r·W1 (mod 2³²), r = 0..9. ``seed`` an int or a uint64 array."""
    keys = []
    for r in range(_PHILOX_ROUNDS):
        k0 = (seed + np.uint64(r * _PHILOX_W0)) & _MASK32
        keys.append((k0, np.uint64((r * _PHILOX_W1) % _U32)))
    return keys


def _philox4x32(c0, c1, c2, c3, keys):
    """Philox4x32-10 (Salmon et al. 2011, Random123) of the counter (c0, c1, c2, c3), 32-bit
    values held in uint64 (a 32 × 32-bit product is exact in 64 bits). Broadcasts."""
    for k0, k1 in keys:
        p0 = c0 * _PHILOX_M0
        p1 = c2 * _PHILOX_M1
        c0, c1, c2, c3 = (p1 >> np.uint64(32)) ^ c1 ^ k0, p1 & _MASK32, (p0 >> np.uint64(32)) ^ c3 ^ k1, p0 & _MASK32
    return c0, c1, c2, c3


def _log(u):
    """ln u for u in (0, 1]: u = m·2^e with √½ <= m < √2 (exact), ln u = e·ln 2 + ln m."""
    m, e = np.frexp(u)  # m in [0.5, 1)
    low = m < _SQRT_HALF
    m = np.where(low, m + m, m)
    e = e - low
    s = (m - 1.0) / (m + 1.0)
    s2 = s * s
    p = _LOG_COEFFS[-1]
    for c in _LOG_COEFFS[-2::-1]:
        p = p * s2 + c
    return e * _LN2 + (s + s) * p


def _cos_sin(psi):
    """(cos ψ, sin ψ) for 0 <= ψ < π/2 by Horner's rule in ψ²."""
    y = psi * psi
    c = _COS_COEFFS[-1]
    for k in _COS_COEFFS[-2::-1]:
        c = c * y + k
    s = _SIN_COEFFS[-1]
    for k in _SIN_COEFFS[-2::-1]:
        s = s * y + k
    return c, s * psi


def _normal_pairs(w0, w1, w2, w3):
    """Box–Muller: two independent N(0, 1) from the four 32-bit words of one Philox block."""
    u1 = ((((w0 >> np.uint64(5)) << np.uint64(26)) | (w1 >> np.uint64(6))).astype(np.float64) + 1.0) * 2.0**-53
    quadrant = w2 >> np.uint64(30)
    frac = (((w2 >> np.uint64(5)) & np.uint64(0x1FFFFFF)) << np.uint64(26)) | (w3 >> np.uint64(6))
    psi = (frac.astype(np.float64) * 2.0**-51) * _HALF_PI
    radius = np.sqrt(-2.0 * _log(u1))
    c, s = _cos_sin(psi)
    # quadrant q = 0, 1, 2, 3: (cos θ, sin θ) = (c, s), (−s, c), (−c, −s), (s, −c)
    one = np.uint64(1)
    swap = (quadrant & one).astype(bool)
    cos_sign = 1.0 - 2.0 * ((quadrant ^ (quadrant >> one)) & one).astype(np.float64)
    sin_sign = 1.0 - 2.0 * (quadrant >> one).astype(np.float64)
    cos_theta = np.where(swap, s, c) * cos_sign
    sin_theta = np.where(swap, c, s) * sin_sign
    return radius * cos_theta, radius * sin_theta


def _noise(keys, step, dim):
    """z of shape broadcast(key, step) + (dim,): ``keys`` from :func:`_philox_round_keys` (k0
    a scalar or an array with a trailing axis of 1), ``step`` an int or a uint64 array with a
    trailing axis of 1."""
    pairs = np.arange((dim + 1) // 2, dtype=np.uint64)
    zero = np.uint64(0)
    t = np.uint64(step) if isinstance(step, int) else step
    z0, z1 = _normal_pairs(*_philox4x32(t, pairs, zero, zero, keys))
    z = np.stack([z0, z1], axis=-1).reshape(z0.shape[:-1] + (2 * pairs.size,))
    return z if z.shape[-1] == dim else z[..., :dim]


def _checked_counter(name, value, what):
    """A non-negative integer < 2³², or an array of them (numbers with integer values):
    returns an int or a uint64 array."""
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be an integer in [0, 2**32) {what}, got {value!r}")
    if isinstance(value, (int, np.integer)):
        if not 0 <= int(value) < _U32:
            raise ValueError(f"{name} must be an integer in [0, 2**32) {what}, got {value!r}")
        return int(value)
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        arr = np.asarray(None, dtype=object)
    if arr.dtype.kind == "f":
        ok = np.isfinite(arr) & (arr == np.floor(arr)) & (arr >= 0) & (arr < _U32)
    elif arr.dtype.kind in "iu":
        ok = (arr >= 0) & (arr < _U32)
    else:
        raise ValueError(f"{name} must be an integer in [0, 2**32) {what}, got {value!r}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be an empty array")
    if not np.all(ok):
        bad = arr[~ok].ravel()[0] if arr.ndim else arr
        raise ValueError(f"{name} must be an integer in [0, 2**32) {what}, got {bad!r}")
    if arr.ndim == 0:
        return int(arr)
    return arr.astype(np.uint64)


def _checked_step(step):
    return _checked_counter("step", step, "(the index of the iterate, 0 for the start)")


def gaussian_noise(seed, step, dim):
    r"""The standard normal numbers :math:`z_{s,t,i}` that :func:`noisy` adds to gradients:
    coordinates :math:`i = 0, \dots, d-1` at step ``step`` for ``seed``.

    ``seed`` and ``step`` are integers in :math:`[0, 2^{32})` or arrays of them; the result
    has shape ``broadcast(seed, step) + (dim,)``. It is a pure function of (seed, step,
    coordinate), exactly reproducible on any machine and in JavaScript (the algorithm is
    spelled out in :func:`noisy`).

    >>> gaussian_noise(0, 0, 4).round(6)
    array([-0.121518, -1.350033, -1.261822,  0.39491 ])
    >>> gaussian_noise([0, 1], 3, 2).shape
    (2, 2)
    """
    keys = _philox_round_keys(_as_key(_checked_counter("seed", seed, "(or an array of them)")))
    step = _checked_step(step)
    if not isinstance(step, int):
        step = step[..., None]
    dim = _validate.steps(dim, name="dim")
    return _noise(keys, step, dim)


def _as_key(seed):
    """A checked seed as the Philox key word: np.uint64, or a uint64 column over the rows."""
    return np.uint64(seed) if isinstance(seed, int) else seed[..., None]


class Noisy(Objective):
    r"""An objective whose gradient at step t carries Gaussian noise; made by :func:`noisy`.

    Extra attributes: ``objective`` (the noise-free surface), ``sigma`` (a float, or an
    ``(n,)`` array), ``seed`` (an int, or an ``(n,)`` array).
    """

    def __init__(self, objective, sigma, seed=0):
        if not isinstance(objective, Objective):
            raise ValueError(
                f"objective must be an Objective (e.g. rc.objectives.bowl()), got "
                f"{type(objective).__name__}"
            )
        sigma = _validate.hyperparameter("sigma", sigma, low=0.0)
        if isinstance(sigma, np.ndarray):
            sigma = sigma[:, 0] if sigma.shape[0] > 1 else float(sigma[0, 0])
        seed = _checked_counter("seed", seed, "(or one per trajectory, shape (n,))")
        if not isinstance(seed, int):
            if seed.ndim != 1:
                raise ValueError(f"seed must be an integer or one per trajectory (shape (n,)), "
                                 f"got shape {seed.shape}")
            seed = seed.astype(np.int64) if seed.size > 1 else int(seed[0])
        counts = {np.size(v) for v in (sigma, seed)} - {1}
        if len(counts) > 1:
            raise ValueError(f"sigma has {np.size(sigma)} values and seed {np.size(seed)}: give "
                             f"one value, or one per trajectory, for each")
        self.objective = objective
        self.sigma = sigma
        self.seed = seed
        self._noise_rows = counts.pop() if counts else 1

        base_grad, base_stochastic = objective._grad, objective.stochastic
        scale = sigma if isinstance(sigma, float) else np.ascontiguousarray(sigma[:, None])
        silent = isinstance(sigma, float) and sigma == 0.0
        dim = objective.dim
        # Rows that share a seed share the noise: draw it once per distinct seed (e.g. 100
        # seeds × 40 learning rates cost 100 draws a step, not 4,000), then spread it.
        spread = None
        if isinstance(seed, int):
            keys, draws = _philox_round_keys(np.uint64(seed)), 1
        else:
            distinct, spread = np.unique(seed, return_inverse=True)
            if distinct.size == seed.size:
                distinct, spread = seed, None
            keys, draws = _philox_round_keys(_as_key(distinct.astype(np.uint64))), distinct.size
        # The runners ask for steps 0, 1, 2, … in turn: draw the noise of a chunk of steps
        # in one call (about 16k numbers), so that numpy's per-call cost is not paid at
        # every step of a small batch.
        chunk_steps = int(min(256, max(1, _NOISE_CHUNK // (draws * dim))))
        step_axes = (1,) if isinstance(seed, int) else (1, 1)
        cache = [-_U32, None]   # first step of the chunk, its noise (steps, [draws,] d)

        def noise_at(t):
            if not 0 <= t - cache[0] < chunk_steps:
                steps = np.arange(t, min(t + chunk_steps, _U32), dtype=np.uint64)
                cache[:] = t, _noise(keys, steps.reshape((-1,) + step_axes), dim)
            z = cache[1][t - cache[0]]
            return z if spread is None else z[spread]

        def grad(x, t=None):
            g = base_grad(x, t) if base_stochastic else base_grad(x)
            if t is None or silent:
                return g
            if isinstance(t, int):
                return g + scale * noise_at(t)
            z = _noise(keys, np.asarray(t, dtype=np.uint64)[..., None], dim)
            if spread is not None:
                z = z[..., spread, :]
            return g + scale * z

        shown = f"σ = {sigma:g}" if isinstance(sigma, float) else "σ per trajectory"
        super().__init__(f"noisy-{objective.id}", f"{objective.name} with gradient noise ({shown})",
                         dim, objective._value, grad, objective.minimum, objective.min_value,
                         objective.view, stochastic=True)
        if self._noise_rows > 1 or objective._for_rows is not None:
            self._for_rows = self._restricted

    def _restricted(self, n, rows):
        """The noise (and surface) of trajectories ``rows`` out of ``n``."""
        if self._noise_rows not in (1, n):
            raise ValueError(
                f"the noisy objective has {self._noise_rows} per-trajectory noise levels or "
                f"seeds but there are {n} trajectories: give one value or exactly {n}"
            )
        sigma = self.sigma if isinstance(self.sigma, float) else self.sigma[rows]
        seed = self.seed if isinstance(self.seed, int) else self.seed[rows]
        return Noisy(restrict(self.objective, n, rows), sigma, seed)


def noisy(objective, sigma, seed=0):
    r"""``objective`` with Gaussian gradient noise: at step t the gradient is

    .. math::

        g_t = \nabla f(x_t) + \sigma\, z_t, \qquad z_t \sim \mathcal N(0, I)

    (``grad(x, t) + sigma * z``, in that order of operations), while ``value`` stays the
    noise-free :math:`f` (what the figures plot), with the same ``dim``, ``minimum``,
    ``min_value`` and ``view``; the id is ``noisy-<id>``. ``grad(x)`` without a step is the
    noise-free gradient. :math:`\sigma` (``sigma`` >= 0) and the ``seed`` (an integer in
    :math:`[0, 2^{32})`) are each a scalar or one value per trajectory, shape ``(n,)``.

    The noise is a pure function of (seed, t, coordinate i), not a stateful generator, so
    row i of a batched run equals the single run with ``seed[i]`` whatever the block size,
    and :func:`~rmsprop_core.Trajectory.grads` recomputes exactly the noisy gradients used.
    Rows that share a seed (a scalar seed: all of them) see the same :math:`z_t`: common
    random numbers, so two methods or two learning rates run with the same seed are compared
    on the same noise, which makes the comparison far less noisy than independent draws.

    **The generator** (port it exactly; :func:`gaussian_noise` exposes it). Coordinates come
    in pairs: :math:`z_{2j}` and :math:`z_{2j+1}` (the last one dropped for odd d) are the
    Box–Muller pair of one Philox4x32-10 block (Salmon, Moraes, Dror & Shaw 2011, "Parallel
    random numbers: as easy as 1, 2, 3"; Random123's known answers are a test):

    1. Counter :math:`(t, j, 0, 0)`, key :math:`(s, 0)`, all 32-bit words. Ten rounds, the
       round-r key :math:`(k_0, k_1) = (s + r\,W_0, r\,W_1) \bmod 2^{32}` with
       :math:`W_0` = 0x9E3779B9, :math:`W_1` = 0xBB67AE85. A round maps
       :math:`(c_0, c_1, c_2, c_3)` to :math:`(\mathrm{hi}(M_1 c_2) \oplus c_1 \oplus k_0,\
       \mathrm{lo}(M_1 c_2),\ \mathrm{hi}(M_0 c_0) \oplus c_3 \oplus k_1,\ \mathrm{lo}(M_0 c_0))`,
       hi/lo the upper and lower 32 bits of the 64-bit product, :math:`M_0` = 0xD2511F53,
       :math:`M_1` = 0xCD9E8D57. (In JavaScript: lo = ``Math.imul(M, c) >>> 0``; hi from
       16-bit halves, ``c = 65536·ch + cl``: ``hi = floor((M·ch + floor(M·cl / 65536)) /
       65536)``, every product below 2⁴⁸ and so exact in a double.)
    2. From the output words :math:`(w_0, w_1, w_2, w_3)`: the integers
       :math:`a = 2^{26}(w_0 \gg 5) + (w_1 \gg 6)` (53 bits), :math:`q = w_2 \gg 30` and
       :math:`f = 2^{26}((w_2 \gg 5) \mathbin{\&} (2^{25} - 1)) + (w_3 \gg 6)` (51 bits);
       :math:`u = (a + 1)\,2^{-53} \in (0, 1]` and :math:`\psi = (f\,2^{-51}) \cdot \pi/2 \in
       [0, \pi/2)`, so that :math:`\theta = q\pi/2 + \psi` is :math:`2\pi` times a second
       53-bit uniform. Every step here is exact except the one product with π/2.
    3. :math:`\ln u`: :math:`u = m\,2^e` with :math:`m \in [\tfrac12, 1)` (exact: frexp, or
       the exponent bits); if :math:`m <` 0.7071067811865476 then :math:`m \leftarrow 2m,\
       e \leftarrow e - 1`; :math:`s = (m - 1)/(m + 1)`, :math:`p` = Horner's rule in
       :math:`s^2` over the coefficients :math:`1/(2k + 1)`, k = 10 down to 0 (each
       ``p = p * s2 + c``), and :math:`\ln u = e \cdot \ln 2 + (s + s)\,p` with
       :math:`\ln 2` = 0.6931471805599453. Then :math:`r = \sqrt{-2 \ln u}`.
    4. :math:`\cos\psi` and :math:`\sin\psi/\psi` by Horner's rule in :math:`\psi^2` over
       :math:`c_k` and :math:`s_k`, k = 11 down to 0, with :math:`c_0 = s_0 = 1`,
       :math:`c_k = c_{k-1} / (-(2k-1)(2k))`, :math:`s_k = s_{k-1} / (-(2k)(2k+1))` (each one
       division, computed once), :math:`\sin\psi = (\sin\psi/\psi)\cdot\psi`. The quadrant
       q turns :math:`(\cos\psi, \sin\psi) = (c, s)` into :math:`(\cos\theta, \sin\theta)` =
       (c, s), (−s, c), (−c, −s), (s, −c) for q = 0, 1, 2, 3.
    5. :math:`z_{2j} = r\cos\theta`, :math:`z_{2j+1} = r\sin\theta`.

    Only 32-bit integer operations and IEEE-754 double +, −, ×, ÷ and √, each rounded once in
    the order written, are used (no library log, cos or sin, whose last bit differs between
    CPUs and between numpy and JavaScript), so the numbers are bit-for-bit the same
    everywhere. The polynomials are accurate to a few units in the last place; the largest
    possible :math:`|z|` is :math:`\sqrt{2 \cdot 53 \ln 2} \approx 8.57`.

    Parameters
    ----------
    objective : Objective
        The noise-free surface (per-trajectory bowls allowed).
    sigma : float >= 0, or (n,) array
        :math:`\sigma`, the noise's standard deviation per coordinate.
    seed : int in [0, 2**32), or (n,) array of them

    >>> import numpy as np, rmsprop_core as rc
    >>> f = rc.objectives.noisy(rc.objectives.bowl(), sigma=0.5, seed=7)
    >>> f.id, f.value([1.0, 1.0])
    ('noisy-bowl', 10.5)
    >>> f.grad([1.0, 1.0])                    # no step: the noise-free gradient
    array([ 1., 20.])
    >>> f.grad([1.0, 1.0], step=0).round(6)   # the gradient a run uses at x_0
    array([ 1.114854, 20.100207])
    >>> many = rc.objectives.noisy(rc.objectives.bowl(), 0.5, seed=np.arange(100))
    >>> traj = rc.run(rc.gd(0.05), many, np.tile([2.0, 1.0], (100, 1)), steps=50)
    >>> single = rc.run(rc.gd(0.05), f, [2.0, 1.0], steps=50)            # seed 7 alone
    >>> bool(np.array_equal(traj.positions[:, 7], single.positions[:, 0]))
    True
    """
    return Noisy(objective, sigma, seed)


# The course's own network (rmsprop_core.network) under the objectives' roof; imported last,
# since that module builds on Objective above.
from .network import course_network, make_moons  # noqa: E402

# Surfaces written as formulas in x and y (rmsprop_core.formula, the Playground's "your own
# formula"); imported last, since that module builds on Objective above.
from .formula import FormulaError, formula  # noqa: E402

__all__ += ["formula", "FormulaError"]

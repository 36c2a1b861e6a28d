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
    "get",
    "ids",
]


class Objective:
    """A differentiable surface :math:`f: \\mathbb{R}^d \\to \\mathbb{R}`.

    Attributes: ``id`` (registry id), ``name`` (human-readable), ``dim`` (d), ``minimum``
    (``(d,)`` global minimiser; for the saddle its stationary point), ``min_value``
    (:math:`f` there), ``view`` (``((xmin, xmax), (ymin, ymax))`` for contour plots).
    """

    def __init__(self, id, name, dim, value_fn, grad_fn, minimum, min_value, view):
        self.id = id
        self.name = name
        self.dim = dim
        self._value = value_fn  # fast paths: float64 (..., d) in, no checks
        self._grad = grad_fn
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

    def grad(self, x):
        """:math:`\\nabla f(x)` for points of shape ``(..., d)``; returns ``(..., d)``."""
        return self._grad(self._as_points(x))

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

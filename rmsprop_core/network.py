r"""The course's own network as an objective: the [2, 5, 2, 1] classifier of the Deep
Learning Specialization's "Optimization Methods" assignment (Course 2, Week 2), trained on
its moons, with the assignment's mini-batches.

The assignment (``opt_utils.py`` / ``opt_utils_v1a.py`` and its notebook) draws 300 points
with ``sklearn.datasets.make_moons(n_samples=300, noise=.2)`` after ``np.random.seed(3)``
(:func:`make_moons`, :func:`course_data`), initialises LINEAR → RELU → LINEAR → RELU →
LINEAR → SIGMOID with He scaling after ``np.random.seed(3)`` (:func:`initial_parameters`),
and before each epoch reshuffles the data with ``np.random.seed(seed); np.random.permutation(m)``,
``seed = 10`` incremented by one before every epoch, cutting mini-batches of 64 (the last
one of an epoch smaller: 44 of 300). :class:`Network` is that network as an
:class:`~rmsprop_core.objectives.Objective` over its 30 parameters, batched over rows, so
that :func:`rmsprop_core.run` trains 64 initialisations (or learning rates, or shuffles) at
once:

>>> import rmsprop_core as rc
>>> net = rc.objectives.course_network()
>>> net.dim, net.m, net.batch_size, net.steps_per_epoch
(30, 300, 64, 5)
>>> x0 = rc.network.initial_parameters()             # the assignment's initialisation
>>> round(float(net.value(x0)), 6)                     # full-data cost at the start
0.702414
>>> traj = rc.run(rc.gd(0.0007), net, x0, steps=net.steps_for(2), record="loss")
>>> traj.loss.shape                                    # cost at x_0 .. x_10: two epochs
(11, 1)

**Flattening.** A parameter vector is ``W1, b1, W2, b2, W3, b3`` concatenated, each matrix
row-major as the assignment stores it (``W1`` is (5, 2): hidden unit × input, ``b1`` (5,),
``W2`` (2, 5), ``b2`` (2,), ``W3`` (1, 2), ``b3`` (1,)): 10 + 5 + 10 + 2 + 2 + 1 = 30
numbers (:func:`unflatten` gives the assignment's dictionary back).

**Steps and epochs.** The step t (the index that :func:`~rmsprop_core.run` passes to a
stochastic gradient) is mini-batch ``k = t % steps_per_epoch`` of epoch
``e = t // steps_per_epoch``, whose permutation is
``np.random.RandomState(shuffle_seed + e + 1).permutation(m)`` (which is what
``np.random.seed(seed)`` followed by ``np.random.permutation(m)`` draws): the gradient is a
pure function of (parameters, shuffle seed, t). ``grad(x)`` without a step is the
full-batch gradient; ``value(x)`` is always the noise-free full-data cost, the mean
cross-entropy over all m points, so ``traj.loss[::steps_per_epoch]`` is the full-data cost
at the start of every epoch. (The assignment prints a different number, the average of the
mini-batch costs met during the epoch, each before its update: :meth:`Network.epoch_costs`.)
"""

from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import numpy as np

from .objectives import Objective

__all__ = [
    "LAYERS",
    "make_moons",
    "course_data",
    "initial_parameters",
    "unflatten",
    "parameter_count",
    "Network",
    "course_network",
    "steps_per_epoch",
    "accuracy",
    "cost",
    "probabilities",
    "decision_grid",
    "CourseSetting",
    "COURSE_SETTINGS",
]

#: The assignment's layer sizes: 2 inputs, hidden layers of 5 and 2 ReLU units, 1 sigmoid output.
LAYERS = (2, 5, 2, 1)

_U32 = 2**32
# The full-data cost is evaluated over chunks of at most this many examples and rows, to
# bound the temporaries (rows × units × examples) when it is asked for many rows at once
# (Trajectory.loss); the course's 300 points are one chunk (measured fastest: three chunks
# of 100 cost a quarter more).
_EXAMPLES_CHUNK = 512
_ROWS_CHUNK = 256


# --------------------------------------------------------------------------- data


def _check_random_state(random_state):
    """sklearn.utils.check_random_state: None is numpy's global legacy RandomState."""
    if random_state is None:
        return np.random.mtrand._rand
    if isinstance(random_state, np.random.RandomState):
        return random_state
    if isinstance(random_state, (numbers.Integral, np.integer)) and not isinstance(random_state, bool):
        if not 0 <= int(random_state) < _U32:
            raise ValueError(f"random_state must be None, an integer in [0, 2**32) or a "
                             f"numpy RandomState, got {random_state!r}")
        return np.random.RandomState(int(random_state))
    raise ValueError(f"random_state must be None, an integer in [0, 2**32) or a numpy "
                     f"RandomState, got {random_state!r}")


def make_moons(n_samples=100, noise=None, random_state=None, *, shuffle=True):
    r"""Two interleaving half circles, exactly as ``sklearn.datasets.make_moons`` draws them.

    The outer moon is :math:`(\cos\theta, \sin\theta)` at ``n_samples // 2`` angles
    ``np.linspace(0, pi, ·)``, the inner one :math:`(1 - \cos\theta, \tfrac12 - \sin\theta)`
    at the remaining ``n_samples - n_samples // 2``, labelled 0 and 1, stacked outer first.
    Then, as scikit-learn does (its ``make_moons`` and ``utils.shuffle``/``resample``,
    unchanged from 0.19 to 1.x): with ``shuffle``, ``indices = np.arange(n);
    generator.shuffle(indices)`` reorders points and labels; with ``noise``,
    ``generator.normal(scale=noise, size=X.shape)`` is added. ``random_state`` is None (numpy's
    global legacy state, which ``np.random.seed`` sets: what the assignment relies on), an
    integer seed or a ``np.random.RandomState``.

    Returns ``X`` (n_samples, 2) float64 and ``y`` (n_samples,) integers in {0, 1}.

    >>> X, y = make_moons(6, random_state=0, shuffle=False)
    >>> X.round(3)
    array([[ 1. ,  0. ],
           [ 0. ,  1. ],
           [-1. ,  0. ],
           [ 0. ,  0.5],
           [ 1. , -0.5],
           [ 2. ,  0.5]])
    >>> y
    array([0, 0, 0, 1, 1, 1])
    """
    if isinstance(n_samples, bool) or not isinstance(n_samples, (numbers.Integral, np.integer)) \
            or n_samples < 1:
        raise ValueError(f"n_samples must be an integer >= 1, got {n_samples!r}")
    if noise is not None:
        if isinstance(noise, bool) or not isinstance(noise, numbers.Real) \
                or not math.isfinite(noise) or noise < 0:
            raise ValueError(f"noise must be None or a finite number >= 0, got {noise!r}")
    generator = _check_random_state(random_state)
    n_out = int(n_samples) // 2
    n_in = int(n_samples) - n_out
    outer_x = np.cos(np.linspace(0, np.pi, n_out))
    outer_y = np.sin(np.linspace(0, np.pi, n_out))
    inner_x = 1 - np.cos(np.linspace(0, np.pi, n_in))
    inner_y = 1 - np.sin(np.linspace(0, np.pi, n_in)) - 0.5
    X = np.vstack([np.append(outer_x, inner_x), np.append(outer_y, inner_y)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    if shuffle:
        indices = np.arange(int(n_samples))
        generator.shuffle(indices)
        X, y = X[indices], y[indices]
    if noise is not None:
        X += generator.normal(scale=noise, size=X.shape)
    return X, y


def course_data():
    """The assignment's training set in its layout: ``train_X`` (2, 300) and ``train_Y``
    (1, 300), what ``load_dataset()`` returns: ``np.random.seed(3)`` then
    ``make_moons(n_samples=300, noise=.2)`` on the global state, transposed. numpy's global
    random state is saved and restored, so calling this changes nothing else.

    >>> train_X, train_Y = course_data()
    >>> train_X.shape, train_Y.shape, int(train_Y.sum())
    ((2, 300), (1, 300), 150)
    """
    saved = np.random.get_state()
    try:
        np.random.seed(3)
        X, y = make_moons(n_samples=300, noise=0.2)
    finally:
        np.random.set_state(saved)
    return X.T, y.reshape(1, -1)


# --------------------------------------------------------------------------- parameters


def _checked_layers(layers):
    try:
        sizes = tuple(int(s) for s in layers)
        ok = len(sizes) >= 2 and all(isinstance(s, (numbers.Integral, np.integer))
                                     and not isinstance(s, bool) for s in layers)
    except (TypeError, ValueError):
        ok = False
    if not ok or any(s < 1 for s in sizes) or sizes[-1] != 1:
        raise ValueError(f"layers must be a sequence of at least two positive integers ending "
                         f"in 1 (one sigmoid output), e.g. (2, 5, 2, 1), got {layers!r}")
    return sizes


def parameter_count(layers=LAYERS):
    """The number d of parameters of a network with these layer sizes (30 for the course's).

    >>> parameter_count((2, 5, 2, 1))
    30
    """
    sizes = _checked_layers(layers)
    return sum(o * i + o for i, o in zip(sizes[:-1], sizes[1:]))


def _checked_seed(name, seed, what):
    """An integer in [0, 2**32) or a 1-D array of them; returns an int or an int64 array."""
    if isinstance(seed, (bool, np.bool_)):
        raise ValueError(f"{name} must be an integer in [0, 2**32) {what}, got {seed!r}")
    if isinstance(seed, (numbers.Integral, np.integer)):
        if not 0 <= int(seed) < _U32:
            raise ValueError(f"{name} must be an integer in [0, 2**32) {what}, got {seed!r}")
        return int(seed)
    try:
        arr = np.asarray(seed)
    except (TypeError, ValueError):
        arr = np.asarray(None, dtype=object)
    if arr.dtype.kind not in "iu" or arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be an integer in [0, 2**32) {what}, got {seed!r}")
    if np.any(arr < 0) or np.any(arr >= _U32):
        raise ValueError(f"{name} must be an integer in [0, 2**32) {what}, got "
                         f"{arr[(arr < 0) | (arr >= _U32)][0]!r}")
    return arr.astype(np.int64)


def initial_parameters(layers=LAYERS, seed=3):
    r"""The assignment's He initialisation, flattened: after ``np.random.seed(seed)``, for
    each layer l ``W = np.random.randn(n_l, n_{l-1}) * np.sqrt(2 / n_{l-1})`` and ``b = 0``
    (``initialize_parameters`` in ``opt_utils``; the assignment always uses seed 3). Drawn
    from a fresh ``np.random.RandomState(seed)``, the same numbers, so the global state is
    untouched.

    ``seed`` is an integer in [0, 2**32) (returns shape (d,)) or an array of them (returns
    (n, d), row i from ``seed[i]``).

    >>> p = initial_parameters()
    >>> p.shape, p[:3].round(6)
    ((30,), array([1.788628, 0.43651 , 0.096497]))
    >>> initial_parameters(seed=[3, 4]).shape
    (2, 30)
    """
    sizes = _checked_layers(layers)
    seeds = _checked_seed("seed", seed, "(or a 1-D array of them, one per parameter vector)")

    def draw(s):
        rs = np.random.RandomState(s)
        parts = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            parts.append((rs.randn(n_out, n_in) * np.sqrt(2 / n_in)).ravel())
            parts.append(np.zeros(n_out))
        return np.concatenate(parts)

    if isinstance(seeds, int):
        return draw(seeds)
    return np.stack([draw(int(s)) for s in seeds])


def unflatten(params, layers=LAYERS):
    """The assignment's dictionary ``{"W1": (5, 2), "b1": (5, 1), ...}`` of one flat
    parameter vector (copies, biases as columns as the assignment keeps them).

    >>> {k: v.shape for k, v in unflatten(initial_parameters()).items()}
    {'W1': (5, 2), 'b1': (5, 1), 'W2': (2, 5), 'b2': (2, 1), 'W3': (1, 2), 'b3': (1, 1)}
    """
    sizes = _checked_layers(layers)
    p = np.asarray(params, dtype=np.float64)
    d = parameter_count(sizes)
    if p.shape != (d,):
        raise ValueError(f"params must be one flat vector of shape ({d},) for layers {sizes}, "
                         f"got shape {p.shape}")
    out, off = {}, 0
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        out[f"W{l}"] = p[off:off + n_out * n_in].reshape(n_out, n_in).copy()
        off += n_out * n_in
        out[f"b{l}"] = p[off:off + n_out].reshape(n_out, 1).copy()
        off += n_out
    return out


# --------------------------------------------------------------------------- the numerics
#
# N parameter vectors at once: a layer's weights are an (N, out, in) stack and its
# activations (N, units, B), the B examples innermost; an input shared by every network is
# (units, B). Every contraction is numpy's stacked matmul, one small GEMM per network with
# the same shapes whatever N is, so a row of a batched run equals the single run bit for
# bit; sums over a batch run along the contiguous last axis (pairwise, in an order that
# depends on B only).


def _unpack(flat, sizes):
    """[(W (N, out, in), b (N, out, 1)), ...] of parameter vectors flat (N, d), contiguous."""
    layers, off = [], 0
    N = flat.shape[0]
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W = np.ascontiguousarray(flat[:, off:off + n_out * n_in]).reshape(N, n_out, n_in)
        off += n_out * n_in
        layers.append((W, np.ascontiguousarray(flat[:, off:off + n_out])[:, :, None]))
        off += n_out
    return layers


def _forward(layers, A):
    """Activations [A0, A1, ...] ((N, units, B); the input A0 may be a shared (n_in, B))
    and the output pre-activation z (N, B)."""
    acts = [A]
    last = len(layers) - 1
    for l, (W, b) in enumerate(layers):
        Z = np.matmul(W, A)
        Z += b
        if l < last:
            A = np.maximum(Z, 0.0, out=Z)
            acts.append(A)
    return acts, Z[:, 0, :]


def _gradient(layers, acts, z, y, inv_batch):
    """Backpropagation of the mean cross-entropy; returns the gradient (N, d).

    The assignment's ``backward_propagation``: dz = (a - y) / m with a = 1 / (1 + exp(-z))
    and m the batch size, dW = dz · a_prevᵀ, db = Σ dz, da_prev = Wᵀ dz, and the ReLU's
    derivative taken as (a > 0)."""
    with np.errstate(over="ignore"):
        a = 1.0 / (1.0 + np.exp(-z))
    dZ = ((a - y) * inv_batch)[:, None, :]           # (N, 1, B)
    N = dZ.shape[0]
    grads = []
    for l in range(len(layers) - 1, -1, -1):
        W, _ = layers[l]
        A = acts[l]
        grads.append(np.add.reduce(dZ, axis=-1))                         # db (N, out)
        grads.append(np.matmul(dZ, np.swapaxes(A, -1, -2)).reshape(N, -1))  # dW (N, out·in)
        if l:
            dZ = np.matmul(np.swapaxes(W, -1, -2), dZ)                   # da_prev
            dZ *= A > 0.0
    return np.concatenate(grads[::-1], axis=1)


def _ce_sum(z, y):
    """Σ over the last axis of the cross-entropy -y log σ(z) - (1-y) log(1-σ(z)), computed
    stably as Σ max(v, 0) + log Π (1 + exp(-|v|)) with v = (1 - 2y) z: every factor is in
    (1, 2], so the product of up to 1000 of them is a finite double, and one log per sum
    replaces a log1p per example (absolute error below 1e-15 per 100 examples)."""
    v = (1.0 - 2.0 * y) * z
    e = np.abs(v)
    np.negative(e, out=e)
    np.exp(e, out=e)
    e += 1.0
    np.maximum(v, 0.0, out=v)
    out = np.add.reduce(v, axis=-1)
    for k0 in range(0, z.shape[-1], 1000):
        out += np.log(np.multiply.reduce(e[..., k0:k0 + 1000], axis=-1))
    return out


def _example_chunks(m):
    """Slices of about _EXAMPLES_CHUNK examples covering range(m)."""
    k = -(-m // _EXAMPLES_CHUNK)
    size = -(-m // k)
    return [slice(c0, min(c0 + size, m)) for c0 in range(0, m, size)]


def _mean_cost(flat, sizes, XT, y):
    """The mean cross-entropy over points XT (n_in, m), labels y (m,), of every row of flat
    (N, d): (N,). Summed chunk by chunk of examples, in an order that depends on m only."""
    out = np.empty(flat.shape[0])
    chunks = _example_chunks(XT.shape[1])
    for r0 in range(0, flat.shape[0], _ROWS_CHUNK):
        layers = _unpack(flat[r0:r0 + _ROWS_CHUNK], sizes)
        total = 0.0
        for c in chunks:
            _, z = _forward(layers, XT[:, c])
            total = total + _ce_sum(z, y[c])
        out[r0:r0 + _ROWS_CHUNK] = total / XT.shape[1]
    return out


def _as_flat(x, d):
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim == 0 or arr.shape[-1] != d:
        raise ValueError(f"params must have shape (..., {d}), got shape {arr.shape}")
    return arr, arr.reshape(-1, d)


def _probabilities_flat(flat, sizes, X):
    """σ(z) for parameter vectors flat (N, d) at points X (m, n_in): (N, m)."""
    out = np.empty((flat.shape[0], X.shape[0]))
    XT = np.ascontiguousarray(X.T)
    for r0 in range(0, flat.shape[0], _ROWS_CHUNK):
        layers = _unpack(flat[r0:r0 + _ROWS_CHUNK], sizes)
        for c in _example_chunks(X.shape[0]):
            _, z = _forward(layers, XT[:, c])
            with np.errstate(over="ignore"):
                out[r0:r0 + _ROWS_CHUNK, c] = 1.0 / (1.0 + np.exp(-z))
    return out


def _checked_points(X, y, n_in):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != n_in or X.shape[0] == 0 or not np.all(np.isfinite(X)):
        raise ValueError(f"X must be finite points of shape (m, {n_in}) (one row per example, "
                         f"as make_moons returns them), got shape {X.shape}")
    if y is None:
        return X, None
    y = np.asarray(y)
    if y.shape != (X.shape[0],) or not np.all((y == 0) | (y == 1)):
        raise ValueError(f"y must be {X.shape[0]} labels in {{0, 1}} (shape ({X.shape[0]},)), "
                         f"got shape {y.shape}")
    return X, y.astype(np.float64)


# --------------------------------------------------------------------------- the objective


def steps_per_epoch(n_samples=300, batch_size=64):
    """Mini-batches (optimizer steps) per epoch: ``ceil(n_samples / batch_size)``, the last
    batch holding the remainder (the assignment: 300 points, 64 a batch: 5 steps, the fifth
    of 44).

    >>> steps_per_epoch(300, 64), steps_per_epoch(300, 300), steps_per_epoch(256, 64)
    (5, 1, 4)
    """
    for name, v in (("n_samples", n_samples), ("batch_size", batch_size)):
        if isinstance(v, bool) or not isinstance(v, (numbers.Integral, np.integer)) or v < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {v!r}")
    return -(-int(n_samples) // int(batch_size))


class Network(Objective):
    r"""A fully connected ReLU network with one sigmoid output, trained on mean cross-entropy,
    as an :class:`~rmsprop_core.objectives.Objective` over its flattened parameters (see the
    module's description for the order); made by :func:`course_network` for the assignment.

    ``value(x)`` is the full-data mean cross-entropy (shape ``x.shape[:-1]``), ``grad(x)``
    the full-batch gradient and ``grad(x, t)`` the gradient on the mini-batch of step t
    (:meth:`batch`), as the assignment's ``backward_propagation`` computes it (divided by
    that batch's size). Extra attributes: ``X``, ``y``, ``m``, ``layers``, ``batch_size``,
    ``steps_per_epoch``, ``shuffle_seed``. ``minimum`` is unknown (NaN) and ``min_value`` 0,
    the infimum of a cross-entropy.

    Parameters
    ----------
    X : (m, n_in) array
        The training points, one row per example.
    y : (m,) array of 0/1
        Their labels.
    layers : sequence of ints
        Layer sizes, ``layers[0] == n_in`` and ``layers[-1] == 1``.
    batch_size : int >= 1
        Examples per mini-batch (>= m: full batch, one step per epoch).
    shuffle_seed : int in [0, 2**32), or (n,) array of them
        The assignment's ``seed`` before its first increment (10): epoch e is shuffled by
        ``np.random.RandomState(shuffle_seed + e + 1).permutation(m)``. One per trajectory
        gives every row of a batched run its own sequence of mini-batches.

    >>> import numpy as np
    >>> net = course_network()
    >>> x = initial_parameters()
    >>> net.batch(7)[:4]                        # step 7: batch 2 of epoch 1 (seed 12)
    array([ 55, 129, 192,  98])
    >>> g = net.grad(x, step=7)                 # gradient on those 64 points
    >>> bool(np.allclose(g, net.grad_on(x, net.batch(7))))
    True
    """

    def __init__(self, X, y, layers=LAYERS, batch_size=64, shuffle_seed=10, *, id="network",
                 name=None):
        sizes = _checked_layers(layers)
        X, y = _checked_points(X, y, sizes[0])
        if isinstance(batch_size, bool) or not isinstance(batch_size, (numbers.Integral, np.integer)) \
                or batch_size < 1:
            raise ValueError(f"batch_size must be an integer >= 1, got {batch_size!r}")
        seed = _checked_seed("shuffle_seed", shuffle_seed,
                             "(or one per trajectory, a 1-D array of shape (n,))")
        if not isinstance(seed, int) and seed.size == 1:
            seed = int(seed[0])
        self.layers = sizes
        self.X = X.copy()                         # never alias (or freeze) the caller's array
        self.X.setflags(write=False)
        self.y = y
        self.y.setflags(write=False)
        self.m = X.shape[0]
        self.batch_size = min(int(batch_size), self.m)
        self.steps_per_epoch = steps_per_epoch(self.m, self.batch_size)
        self.shuffle_seed = seed
        self._rows = 1 if isinstance(seed, int) else seed.size
        d = parameter_count(sizes)
        if isinstance(seed, int):
            self._distinct, self._spread = np.array([seed], dtype=np.int64), None
        else:
            distinct, spread = np.unique(seed, return_inverse=True)
            self._distinct, self._spread = distinct, (None if distinct.size == seed.size and
                                                      np.array_equal(distinct, seed) else spread)
            if self._spread is None:
                self._distinct = seed
        self._perm_epoch = -1
        self._perm = None                       # (distinct seeds, m) of the cached epoch
        self._rs = np.random.RandomState(0)      # reseeded for every permutation
        self._XT = np.ascontiguousarray(X.T)      # (n_in, m): every point, one row per input
        if name is None:
            shown = "-".join(str(s) for s in sizes)
            name = f"Network [{shown}] on {self.m} points, mini-batches of {self.batch_size}"
        super().__init__(id, name, d, self._value_fn, self._grad_fn, np.full(d, np.nan), 0.0,
                         ((-1.0, 1.0), (-1.0, 1.0)), stochastic=True)
        if self._rows > 1:
            self._for_rows = self._restricted

    # ----------------------------------------------------------------- batches

    def steps_for(self, epochs):
        """The number of steps in ``epochs`` epochs (``epochs * steps_per_epoch``)."""
        if isinstance(epochs, bool) or not isinstance(epochs, (numbers.Integral, np.integer)) \
                or epochs < 1:
            raise ValueError(f"epochs must be an integer >= 1, got {epochs!r}")
        return int(epochs) * self.steps_per_epoch

    def _permutations(self, epoch):
        """(distinct seeds, m) permutations of ``epoch``, cached (the runners go in order)."""
        if epoch != self._perm_epoch:
            top = int(self._distinct.max()) + epoch + 1
            if top >= _U32:
                raise ValueError(f"shuffle_seed + epoch + 1 must stay below 2**32 (a numpy seed), "
                                 f"got {top} at epoch {epoch}")
            rs = self._rs
            perm = np.tile(np.arange(self.m, dtype=np.intp), (self._distinct.size, 1))
            for i, s in enumerate(self._distinct.tolist()):
                rs.seed(s + epoch + 1)
                rs.shuffle(perm[i])       # what permutation(m) does to arange(m)
            self._perm, self._perm_epoch = perm, epoch
        return self._perm

    def permutation(self, epoch):
        """The order of the m points in ``epoch`` (0-based): (m,), or (n, m) with one shuffle
        seed per trajectory."""
        if isinstance(epoch, bool) or not isinstance(epoch, (numbers.Integral, np.integer)) \
                or epoch < 0:
            raise ValueError(f"epoch must be an integer >= 0, got {epoch!r}")
        perm = self._permutations(int(epoch))
        if self._rows == 1:
            return perm[0].copy()
        return (perm if self._spread is None else perm[self._spread]).copy()

    def _slice(self, t):
        k = t % self.steps_per_epoch
        return t // self.steps_per_epoch, slice(k * self.batch_size, min((k + 1) * self.batch_size, self.m))

    def batch(self, step):
        """The indices of the points in the mini-batch of step ``step``: (B,), or (n, B) with
        one shuffle seed per trajectory (B = batch_size, or the remainder for the last batch
        of an epoch)."""
        if isinstance(step, bool) or not isinstance(step, (numbers.Integral, np.integer)) or step < 0:
            raise ValueError(f"step must be an integer >= 0, got {step!r}")
        epoch, part = self._slice(int(step))
        return self.permutation(epoch)[..., part]

    # ----------------------------------------------------------------- numerics

    def _value_fn(self, x):
        return _mean_cost(x.reshape(-1, self.dim), self.layers, self._XT, self.y).reshape(x.shape[:-1])

    def _grad_rows(self, flat, A, y, inv_batch):
        """Gradient (N, d) of N parameter vectors on inputs A ((n_in, B) shared, or
        (N, n_in, B)), labels y (B,) or (N, B)."""
        layers = _unpack(flat, self.layers)
        acts, z = _forward(layers, A)
        return _gradient(layers, acts, z, y, inv_batch)

    def _grad_fn(self, x, t=None):
        flat = x.reshape(-1, self.dim)
        if t is None:
            g = self._grad_rows(flat, self._XT, self.y, 1.0 / self.m)
        elif isinstance(t, int):
            g = self._grad_step(flat, t, x.shape[:-1])
        else:
            g = self._grad_steps(flat, t, x.shape[:-1])
        return g.reshape(x.shape)

    def _grad_step(self, flat, t, lead):
        epoch, part = self._slice(t)
        perm = self._permutations(epoch)
        inv = 1.0 / (part.stop - part.start)
        if self._rows == 1:
            idx = perm[0, part]
            return self._grad_rows(flat, self._XT[:, idx], self.y[idx], inv)
        idx = perm[self._row_index(lead), part]   # (N, B)
        return self._grad_rows(flat, self._inputs(idx), self.y[idx], inv)

    def _row_index(self, lead):
        """Per flattened point, the row of ``self._distinct`` holding its shuffle seed."""
        which = np.arange(self._rows) if self._spread is None else self._spread
        if not lead or lead[-1] != self._rows:
            raise ValueError(f"the network has {self._rows} per-trajectory shuffle seeds but the "
                             f"points have shape {lead + (self.dim,)}: give x of shape (..., "
                             f"{self._rows}, {self.dim})")
        return np.broadcast_to(which, lead).ravel()

    def _inputs(self, idx):
        """The inputs of per-network batches idx (N, B) as (N, n_in, B), contiguous."""
        return np.ascontiguousarray(np.swapaxes(self._XT[:, idx], 0, 1))

    def _grad_steps(self, flat, t, lead):
        """grad(x, t) for an integer array t broadcastable to x.shape[:-1] (as
        Trajectory.grads asks): grouped by step."""
        steps = np.broadcast_to(np.asarray(t, dtype=np.int64), lead).ravel()
        rows = np.zeros(steps.size, dtype=np.intp) if self._rows == 1 else self._row_index(lead)
        out = np.empty_like(flat)
        order = np.argsort(steps, kind="stable")
        bounds = np.flatnonzero(np.diff(steps[order])) + 1
        for group in np.split(order, bounds):
            t0 = int(steps[group[0]])
            epoch, part = self._slice(t0)
            perm = self._permutations(epoch)
            inv = 1.0 / (part.stop - part.start)
            if self._rows == 1:
                idx = perm[0, part]
                out[group] = self._grad_rows(flat[group], self._XT[:, idx], self.y[idx], inv)
            else:
                idx = perm[rows[group], part]      # (len(group), B)
                out[group] = self._grad_rows(flat[group], self._inputs(idx), self.y[idx], inv)
        return out

    def grad_on(self, x, indices):
        """The gradient of the mean cross-entropy over the points ``indices`` (shared by all
        rows of ``x``), e.g. a batch the caller chose: shape ``x.shape``."""
        arr, flat = _as_flat(x, self.dim)
        idx = np.asarray(indices)
        if idx.ndim != 1 or idx.size == 0 or idx.dtype.kind not in "iu" \
                or np.any(idx < 0) or np.any(idx >= self.m):
            raise ValueError(f"indices must be a non-empty 1-D array of point indices in "
                             f"[0, {self.m}), got {indices!r}")
        return self._grad_rows(flat, self._XT[:, idx], self.y[idx], 1.0 / idx.size).reshape(arr.shape)

    def batch_cost(self, x, step):
        """The assignment's ``compute_cost`` on the mini-batch of step ``step``: the cross-
        entropy *summed* over that batch (shape ``x.shape[:-1]``)."""
        arr, flat = _as_flat(x, self.dim)
        idx = self.batch(step)
        if idx.ndim == 2:
            raise ValueError("batch_cost takes one shuffle seed; restrict the network to a row "
                             "first (rc.objectives.restrict)")
        _, z = _forward(_unpack(flat, self.layers), self._XT[:, idx])
        return _ce_sum(z, self.y[idx]).reshape(arr.shape[:-1])

    def epoch_costs(self, positions):
        """The cost the assignment prints per epoch, from a run's positions ``(steps+1, n, d)``
        (a shared shuffle seed): for each complete epoch e, the sum over its mini-batches k of
        ``batch_cost(x_t, t)`` at t = e·S + k (each before its update), divided by m.
        Returns (epochs, n)."""
        pos = np.asarray(positions, dtype=np.float64)
        if pos.ndim != 3 or pos.shape[2] != self.dim:
            raise ValueError(f"positions must have shape (steps+1, n, {self.dim}), got {pos.shape}")
        S = self.steps_per_epoch
        epochs = (pos.shape[0] - 1) // S
        out = np.zeros((epochs, pos.shape[1]))
        for e in range(epochs):
            for k in range(S):
                t = e * S + k
                out[e] += self.batch_cost(pos[t], t)
        return out / self.m

    def _restricted(self, n, rows):
        """The network of trajectories ``rows`` out of ``n`` (their shuffle seeds)."""
        if self._rows not in (1, n):
            raise ValueError(f"the network has {self._rows} per-trajectory shuffle seeds but there "
                             f"are {n} trajectories: give one seed or exactly {n}")
        seed = self.shuffle_seed[rows]
        return Network(self.X, self.y, self.layers, self.batch_size,
                       int(seed[0]) if seed.size == 1 else seed, id=self.id, name=self.name)


def course_network(batch_size=64, shuffle_seed=10):
    """The assignment's network on the assignment's data (:func:`course_data`): layers
    (2, 5, 2, 1), mini-batches of 64, shuffled as its ``model()`` does with ``seed = 10``.
    ``shuffle_seed`` may be one seed per trajectory (shape (n,)); ``batch_size=300`` is
    full-batch gradient descent on the same cost.

    >>> net = course_network()
    >>> net.id, net.dim, net.steps_per_epoch
    ('course-network', 30, 5)
    """
    X, Y = course_data()
    return Network(X.T, Y[0], LAYERS, batch_size, shuffle_seed, id="course-network")


# --------------------------------------------------------------------------- metrics


def probabilities(params, X, layers=LAYERS):
    """The network's output σ(z) at points ``X`` (m, n_in) for parameters (..., d): shape
    ``params.shape[:-1] + (m,)``."""
    sizes = _checked_layers(layers)
    arr, flat = _as_flat(params, parameter_count(sizes))
    X, _ = _checked_points(X, None, sizes[0])
    return _probabilities_flat(flat, sizes, X).reshape(arr.shape[:-1] + (X.shape[0],))


def accuracy(params, X, y, layers=LAYERS):
    """Percent of the points ``X`` (m, n_in) classified as their labels ``y`` (m,), the
    prediction being 1 where σ(z) > 0.5 (the assignment's ``predict``); shape
    ``params.shape[:-1]``.

    >>> X, Y = course_data()
    >>> float(accuracy(initial_parameters(), X.T, Y[0]))   # before training
    50.0
    """
    sizes = _checked_layers(layers)
    X, y = _checked_points(X, y, sizes[0])
    p = probabilities(params, X, sizes)
    return 100.0 * np.mean((p > 0.5) == (y == 1.0), axis=-1)


def cost(params, X, y, layers=LAYERS):
    """The mean cross-entropy at points ``X`` with labels ``y``; shape ``params.shape[:-1]``
    (``Network.value`` on its own data)."""
    sizes = _checked_layers(layers)
    X, y = _checked_points(X, y, sizes[0])
    arr, flat = _as_flat(params, parameter_count(sizes))
    return _mean_cost(flat, sizes, np.ascontiguousarray(X.T), y).reshape(arr.shape[:-1])


def decision_grid(params, xlim=(-1.5, 2.5), ylim=(-1.0, 1.5), n=200, layers=LAYERS):
    """σ(z) on an n × n grid for a figure of the decision boundary (the assignment plots
    x1 in [-1.5, 2.5], x2 in [-1, 1.5]). Returns ``(xs, ys, P)``: the grid's coordinates
    (n,) and (n,), and ``P`` of shape ``params.shape[:-1] + (n, n)`` with ``P[..., j, i]``
    at ``(xs[i], ys[j])`` (rows along x2, as ``contour`` expects).

    >>> xs, ys, P = decision_grid(initial_parameters(), n=4)
    >>> xs.shape, ys.shape, P.shape
    ((4,), (4,), (4, 4))
    """
    if isinstance(n, bool) or not isinstance(n, (numbers.Integral, np.integer)) or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    for name, lim in (("xlim", xlim), ("ylim", ylim)):
        try:
            lo, hi = (float(v) for v in lim)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be a pair (low, high) of numbers, got {lim!r}") from None
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            raise ValueError(f"{name} must be a finite pair with low < high, got {lim!r}")
    sizes = _checked_layers(layers)
    if sizes[0] != 2:
        raise ValueError(f"decision_grid needs a network with 2 inputs, got layers {sizes}")
    xs = np.linspace(float(xlim[0]), float(xlim[1]), int(n))
    ys = np.linspace(float(ylim[0]), float(ylim[1]), int(n))
    gx, gy = np.meshgrid(xs, ys)
    P = probabilities(params, np.column_stack([gx.ravel(), gy.ravel()]), sizes)
    return xs, ys, P.reshape(P.shape[:-1] + (int(n), int(n)))


# --------------------------------------------------------------------------- the assignment


class CourseSetting(NamedTuple):
    """One training run of the assignment: its optimizer and hyperparameters, and the
    training accuracy its notebook prints.

    ``optimizer`` is "gd", "momentum" or "adam"; ``lr`` the learning rate (for a decayed run
    the initial rate); ``epochs``; ``decay`` None, "update_lr" (decay_rate 1, every epoch) or
    "schedule_lr_decay" (decay_rate 1, time_interval 1000); ``version`` the notebook
    ("v1b": 10,000 epochs, or "2021": 5,000 epochs and the decay section); ``accuracy`` the
    printed training accuracy in percent (None where no published output was found);
    ``source`` where that output is published."""

    label: str
    optimizer: str
    lr: float
    epochs: int
    decay: str | None
    version: str
    accuracy: float | None
    source: str

    def make_optimizer(self, steps_per_epoch=5):
        """This run's optimizer for :func:`rmsprop_core.run` (steps, not epochs: ``decay`` as
        a schedule with ``steps_per_epoch`` and the assignment's lag of one epoch).

        >>> s = COURSE_SETTINGS[-1]
        >>> s.label, type(s.make_optimizer()).__name__
        ('adam, schedule_lr_decay', 'GradientTransformation')
        """
        from . import optimizers, schedules

        lr = self.lr
        if self.decay == "update_lr":
            lr = schedules.update_lr(lr, 1.0, steps_per_epoch=steps_per_epoch, lag=1)
        elif self.decay == "schedule_lr_decay":
            lr = schedules.schedule_lr_decay(lr, 1.0, 1000, steps_per_epoch=steps_per_epoch, lag=1)
        if self.optimizer == "gd":
            return optimizers.gd(lr)
        if self.optimizer == "momentum":
            return optimizers.momentum(lr, 0.9)
        return optimizers.adam(lr, 0.9, 0.999, 1e-8)


_V1B = ("github.com/amanchadha/coursera-deep-learning-specialization, commit 3f055e4a, "
        "C2 - Improving Deep Neural Networks .../Week 2/Optimization_methods_v1b.ipynb, "
        "cell output 'Accuracy: ...'")
_V2021 = ("github.com/aniket414/improving-deep-neural-network, commit 1847e327, "
          "W2A1/Optimization_methods.ipynb, cell output 'Accuracy: ...'")
_V2021_BLOG = ("Jongwon0280.github.io, post 'Improving NN - 최적화' (2023-12-11), the 2021 "
               "notebook's outputs copied: 'Accuracy: 0.7166666666666667'")

#: The assignment's runs (β = 0.9 for momentum, β1 = 0.9, β2 = 0.999, ε = 1e-8 for Adam,
#: mini-batches of 64, ``seed = 10``) and their published training accuracies.
COURSE_SETTINGS = (
    CourseSetting("gd (v1b)", "gd", 0.0007, 10_000, None, "v1b", 100 * 239 / 300, _V1B),
    CourseSetting("momentum (v1b)", "momentum", 0.0007, 10_000, None, "v1b", 100 * 239 / 300, _V1B),
    CourseSetting("adam (v1b)", "adam", 0.0007, 10_000, None, "v1b", 94.0, _V1B),
    CourseSetting("gd", "gd", 0.0007, 5_000, None, "2021", 100 * 215 / 300, _V2021_BLOG),
    CourseSetting("momentum", "momentum", 0.0007, 5_000, None, "2021", 100 * 215 / 300, _V2021_BLOG),
    CourseSetting("adam", "adam", 0.0007, 5_000, None, "2021", None,
                  "no cell output found (the notebook's summary table 6.4 gives gd and momentum "
                  "'>71%'); the v1b run's first 5,000 epochs are this run"),
    CourseSetting("gd, update_lr", "gd", 0.1, 5_000, "update_lr", "2021", 100 * 196 / 300, _V2021),
    CourseSetting("gd, schedule_lr_decay", "gd", 0.1, 5_000, "schedule_lr_decay", "2021",
                  100 * 283 / 300, _V2021),
    CourseSetting("momentum, schedule_lr_decay", "momentum", 0.1, 5_000, "schedule_lr_decay",
                  "2021", 100 * 286 / 300, _V2021),
    CourseSetting("adam, schedule_lr_decay", "adam", 0.01, 5_000, "schedule_lr_decay", "2021",
                  94.0, _V2021),
)

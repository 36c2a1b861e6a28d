r"""Optimizers: chains of :mod:`~rmsprop_core.transforms`, ending in the learning rate.

Every optimizer returns a :class:`~rmsprop_core.transforms.GradientTransformation`; apply it
with :func:`rmsprop_core.run`. Every hyperparameter is a Python scalar or an array with one
value per trajectory (shape ``(n,)``), so one run can sweep starts × learning rates.
Throughout, :math:`g` is the gradient at the current point :math:`x`, and :math:`\alpha` is
``lr``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import _validate
from . import transforms as T

__all__ = [
    "gd",
    "momentum",
    "rmsprop",
    "adam",
    "adagrad",
    "normalized_gd",
    "sign_descent",
    "direction_with_length_of",
    "Preset",
    "RMSPROP_PRESETS",
    "rmsprop_preset",
]


def gd(lr):
    r"""Gradient descent: :math:`x \leftarrow x - \alpha g`.

    ``lr`` is :math:`\alpha` (> 0). On a quadratic with Hessian eigenvalue :math:`\lambda`
    each eigen-direction is multiplied by :math:`1 - \alpha\lambda` per step.

    >>> import numpy as np, rmsprop_core as rc
    >>> rc.run(rc.gd(0.1), rc.objectives.bowl(), [1.0, 1.0], steps=1).positions[-1]
    array([[ 0.9, -1. ]])
    """
    return T.chain(T.identity(), T.scale_by_learning_rate(lr))


def momentum(lr, decay=0.9, form="ema"):
    r"""Gradient descent with momentum.

    .. math::

        \text{ema (course):}\quad V \leftarrow \beta V + (1-\beta) g, \qquad
        \text{heavy\_ball (PyTorch):}\quad V \leftarrow \beta V + g, \qquad
        x \leftarrow x - \alpha V

    ``lr`` is :math:`\alpha`, ``decay`` is :math:`\beta` in [0, 1), :math:`V` is ``V_dW``
    (state field ``trace``). ema with :math:`\alpha` equals heavy ball with
    :math:`\alpha(1-\beta)`.

    >>> import rmsprop_core as rc
    >>> traj = rc.run(rc.momentum(0.1, decay=0.9), rc.objectives.bowl(), [1.0, 0.0], steps=2)
    >>> round(float(traj.positions[-1, 0, 0]), 6)   # 1 - 0.01 - 0.1*(0.9*0.1 + 0.1*0.99)
    0.9711
    """
    return T.chain(T.trace(decay=decay, form=form), T.scale_by_learning_rate(lr))


def rmsprop(
    lr,
    decay=0.9,
    eps=1e-8,
    eps_inside=False,
    initial_scale=0.0,
    bias_correction=False,
    momentum=0.0,
    centered=False,
):
    r"""RMSprop: divide each coordinate of the gradient by the root of a running average of
    its square.

    .. math::

        S \leftarrow \beta S + (1-\beta)\, g^2, \qquad
        x \leftarrow x - \alpha \frac{g}{\sqrt{S} + \varepsilon}
        \quad\Bigl(\texttt{eps\_inside}:\ x \leftarrow x - \alpha \frac{g}{\sqrt{S+\varepsilon}}\Bigr)

    Symbols: :math:`\alpha` is ``lr``, :math:`\beta` is ``decay``, :math:`\varepsilon` is
    ``eps``, :math:`S` is the course's ``S_dW``/``S_db`` (state field ``nu``), starting at
    ``initial_scale`` (0 everywhere except TF1, which starts at 1).

    Options, covering every framework's convention (see :data:`RMSPROP_PRESETS`):

    * ``bias_correction``: use :math:`S/(1-\beta^t)` in place of :math:`S` (as Adam does).
    * ``momentum`` :math:`\mu` in [0, 1): heavy-ball momentum on the scaled gradient, as in
      PyTorch, Keras and TF1: :math:`B \leftarrow \mu B + g/(\sqrt S+\varepsilon)`,
      :math:`x \leftarrow x - \alpha B`.
    * ``centered``: divide by :math:`\sqrt{S - M^2}` where :math:`M` is the running mean of
      :math:`g` (an estimate of the standard deviation rather than the RMS).

    With :math:`S_0 = 0` the first step is :math:`\alpha\,\operatorname{sign}(g)/\sqrt{1-\beta}`
    per coordinate (up to :math:`\varepsilon`): 3.16 α at β = 0.9, 10 α at β = 0.99,
    whatever the size of :math:`g`.

    >>> import rmsprop_core as rc
    >>> traj = rc.run(rc.rmsprop(0.1, decay=0.9, eps=0.0), rc.objectives.bowl(), [1.0, 0.01], steps=1)
    >>> traj.updates.round(4)   # both coordinates move by lr / sqrt(1 - 0.9)
    array([[[-0.3162, -0.3162]]])
    """
    momentum_value = _validate.hyperparameter("momentum", momentum, low=0.0, high=1.0)
    scale = T.scale_by_stddev if centered else T.scale_by_rms
    parts = [
        scale(
            decay=decay,
            eps=eps,
            eps_inside=eps_inside,
            initial_scale=initial_scale,
            bias_correction=bias_correction,
        )
    ]
    if np.any(np.asarray(momentum_value) != 0):
        parts.append(T.trace(decay=momentum_value, form="heavy_ball"))
    parts.append(T.scale_by_learning_rate(lr))
    return T.chain(*parts)


def adam(lr, b1=0.9, b2=0.999, eps=1e-8, bias_correction=True):
    r"""Adam: momentum (averaging over time) and RMS scaling (per coordinate) together.

    .. math::

        V \leftarrow \beta_1 V + (1-\beta_1) g, \quad
        S \leftarrow \beta_2 S + (1-\beta_2) g^2, \quad
        x \leftarrow x - \alpha \frac{V/(1-\beta_1^t)}{\sqrt{S/(1-\beta_2^t)} + \varepsilon}

    ``lr`` is :math:`\alpha`, ``b1`` is :math:`\beta_1`, ``b2`` is :math:`\beta_2`, ``eps`` is
    :math:`\varepsilon`; :math:`V` is ``V_dW`` (state ``mu``), :math:`S` is ``S_dW`` (state
    ``nu``). Thanks to the bias correction the first step is exactly
    :math:`\alpha\,\operatorname{sign}(g)` (for :math:`\varepsilon \to 0`).

    >>> import rmsprop_core as rc
    >>> traj = rc.run(rc.adam(0.1, eps=0.0), rc.objectives.bowl(), [1.0, 0.01], steps=1)
    >>> traj.updates
    array([[[-0.1, -0.1]]])
    """
    return T.chain(
        T.scale_by_adam(b1=b1, b2=b2, eps=eps, bias_correction=bias_correction),
        T.scale_by_learning_rate(lr),
    )


def adagrad(lr, eps=1e-8, initial_accumulator=0.0):
    r"""Adagrad: divide by the root of the running *sum* of squared gradients.

    .. math::

        G \leftarrow G + g^2, \qquad x \leftarrow x - \alpha \frac{g}{\sqrt{G} + \varepsilon}

    ``lr`` is :math:`\alpha`, ``eps`` is :math:`\varepsilon`, :math:`G` starts at
    ``initial_accumulator`` (state ``sum_of_squares``).

    >>> import rmsprop_core as rc
    >>> traj = rc.run(rc.adagrad(0.5, eps=0.0), rc.objectives.bowl(), [2.0, 1.0], steps=1)
    >>> traj.updates
    array([[[-0.5, -0.5]]])
    """
    return T.chain(
        T.scale_by_rss(eps=eps, initial_accumulator=initial_accumulator),
        T.scale_by_learning_rate(lr),
    )


def normalized_gd(lr, eps=0.0):
    r"""Normalised gradient descent: :math:`x \leftarrow x - \alpha\, g / (\lVert g \rVert + \varepsilon)`.

    Every step has length :math:`\alpha` (``lr``) in the gradient's direction: the fair
    "same magnitude, GD direction" baseline of the essay. ``eps`` is :math:`\varepsilon`.

    >>> import rmsprop_core as rc
    >>> traj = rc.run(rc.normalized_gd(0.5), rc.objectives.quadratic([1.0, 1.0]), [3.0, 4.0], steps=1)
    >>> traj.updates
    array([[[-0.3, -0.4]]])
    """
    return T.chain(T.normalize_by_norm(eps=eps), T.scale_by_learning_rate(lr))


def sign_descent(lr):
    r"""Sign descent: :math:`x \leftarrow x - \alpha\,\operatorname{sign}(g)` per coordinate.

    RMSprop with :math:`\beta = 0, \varepsilon = 0` is exactly this. ``lr`` is :math:`\alpha`.

    >>> import rmsprop_core as rc
    >>> traj = rc.run(rc.sign_descent(0.1), rc.objectives.bowl(), [2.0, -0.001], steps=1)
    >>> traj.updates
    array([[[-0.1,  0.1]]])
    """
    return T.chain(T.scale_by_sign(), T.scale_by_learning_rate(lr))


def direction_with_length_of(lr, direction, length):
    r"""An ablation optimizer: the direction of one method, the step length of another.

    .. math::

        x \leftarrow x - \alpha \, \lVert u_L \rVert \frac{u_D}{\lVert u_D \rVert}

    ``direction`` and ``length`` are transformations *without* the learning rate (e.g.
    :func:`~rmsprop_core.transforms.identity` for gradient descent,
    :func:`~rmsprop_core.transforms.scale_by_rms` for RMSprop); ``lr`` is :math:`\alpha`.
    Gradient descent's direction at RMSprop's step length asks whether RMSprop's lead comes
    from the size of its steps; RMSprop's direction at gradient descent's length asks whether
    it comes from where they point.

    >>> import rmsprop_core as rc
    >>> from rmsprop_core import transforms as T
    >>> opt = rc.direction_with_length_of(0.1, T.identity(), T.scale_by_rms(decay=0.9, eps=0.0))
    >>> traj = rc.run(opt, rc.objectives.bowl(), [1.0, 0.05], steps=1)  # g = (1, 1): 45 degrees
    >>> traj.updates.round(4)  # RMSprop's first step is 0.1*sqrt(10)*(1, 1), length 0.4472
    array([[[-0.3162, -0.3162]]])
    """
    return T.chain(T.direction_with_length_of(direction, length), T.scale_by_learning_rate(lr))


# --------------------------------------------------------------------------- presets


class Preset(NamedTuple):
    """One framework's RMSprop convention.

    ``kwargs`` are the :func:`rmsprop` keywords that reproduce it (without ``lr``);
    ``default_lr`` is the framework's default learning rate (``None`` if it has none);
    ``formula`` is the update rule in the framework's own notation (LaTeX);
    ``source`` says where the rule and defaults are published.
    """

    name: str
    label: str
    kwargs: dict
    default_lr: float | None
    formula: str
    source: str


RMSPROP_PRESETS = {
    "course": Preset(
        name="course",
        label="Deep Learning Specialization (course)",
        kwargs=dict(decay=0.9, eps=1e-8, eps_inside=False, initial_scale=0.0),
        default_lr=None,
        formula=(
            r"S_{dW} \leftarrow \beta S_{dW} + (1-\beta)\, dW^2,\quad "
            r"W \leftarrow W - \alpha \frac{dW}{\sqrt{S_{dW}} + \varepsilon}"
        ),
        source=(
            "Andrew Ng, Deep Learning Specialization, Course 2 (Improving Deep Neural "
            "Networks), week 2, lecture 'RMSprop': S starts at 0, beta = 0.9, epsilon = 1e-8 "
            "added to the square root in the denominator. The course gives no default "
            "learning rate."
        ),
    ),
    "pytorch": Preset(
        name="pytorch",
        label="PyTorch torch.optim.RMSprop",
        kwargs=dict(decay=0.99, eps=1e-8, eps_inside=False, initial_scale=0.0),
        default_lr=1e-2,
        formula=(
            r"v_t = \alpha v_{t-1} + (1-\alpha) g_t^2,\quad "
            r"\theta_t = \theta_{t-1} - \gamma \frac{g_t}{\sqrt{v_t} + \epsilon}"
        ),
        source=(
            "PyTorch documentation, torch.optim.RMSprop (algorithm box): "
            "RMSprop(params, lr=0.01, alpha=0.99, eps=1e-08, weight_decay=0, momentum=0, "
            "centered=False); square_avg starts at 0 and eps is added after the square root."
        ),
    ),
    "keras": Preset(
        name="keras",
        label="Keras keras.optimizers.RMSprop",
        kwargs=dict(decay=0.9, eps=1e-7, eps_inside=True, initial_scale=0.0),
        default_lr=1e-3,
        formula=(
            r"v \leftarrow \rho v + (1-\rho) g^2,\quad "
            r"\theta \leftarrow \theta - \eta \frac{g}{\sqrt{v + \epsilon}}"
        ),
        source=(
            "Keras 3, keras/src/optimizers/rmsprop.py (keras.optimizers.RMSprop): "
            "learning_rate=0.001, rho=0.9, epsilon=1e-7; velocity starts at 0 and "
            "update_step computes lr * g / sqrt(velocity + epsilon), i.e. epsilon inside "
            "the square root (the same as tf.keras in TF 2)."
        ),
    ),
    "tf1": Preset(
        name="tf1",
        label="TensorFlow 1 tf.compat.v1.train.RMSPropOptimizer",
        kwargs=dict(decay=0.9, eps=1e-10, eps_inside=True, initial_scale=1.0),
        default_lr=None,
        formula=(
            r"ms \leftarrow \rho\, ms + (1-\rho) g^2,\quad "
            r"var \leftarrow var - lr \frac{g}{\sqrt{ms + \epsilon}},\quad ms_0 = 1"
        ),
        source=(
            "TensorFlow, tf.compat.v1.train.RMSPropOptimizer(learning_rate, decay=0.9, "
            "momentum=0.0, epsilon=1e-10): the 'rms' slot is created with ones_initializer "
            "(tensorflow/python/training/rmsprop.py) and the ApplyRMSProp kernel computes "
            "lr * grad / sqrt(ms + epsilon). learning_rate has no default."
        ),
    ),
}
"""Every framework's RMSprop convention, by name (``course``, ``pytorch``, ``keras``, ``tf1``):
a :class:`Preset` each, with the :func:`rmsprop` keywords, default learning rate, update rule
and source. :func:`rmsprop_preset` builds the optimizer."""


def rmsprop_preset(name, lr=None, **overrides):
    r"""RMSprop with one framework's defaults (see :data:`RMSPROP_PRESETS`).

    ``lr`` defaults to the framework's default learning rate; the course and TF1 have none,
    so for them ``lr`` is required. ``overrides`` replace any of the preset's keywords
    (e.g. ``momentum=0.9``).

    >>> import rmsprop_core as rc
    >>> traj = rc.run(rc.rmsprop_preset("keras", lr=0.1), rc.objectives.quadratic([1.0]), [10.0], steps=1)
    >>> round(float(traj.positions[-1, 0, 0]), 6)   # Keras's own docstring example: 9.683772
    9.683772
    """
    _validate.choice("name", name, tuple(RMSPROP_PRESETS))
    preset = RMSPROP_PRESETS[name]
    if lr is None:
        lr = preset.default_lr
        if lr is None:
            raise ValueError(
                f"lr is required for the {name!r} preset ({preset.label} has no default "
                "learning rate): pass a number > 0"
            )
    kwargs = {**preset.kwargs, **overrides}
    return rmsprop(lr, **kwargs)

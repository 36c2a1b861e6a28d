r"""Learning-rate schedules: :math:`\alpha_t` as a function of the step count t = 0, 1, 2, …

A :class:`Schedule` is accepted wherever an optimizer takes ``lr`` (``rc.rmsprop(
rc.schedules.exponential_decay(0.02, 0.995))``): the chain then ends in
:func:`~rmsprop_core.transforms.scale_by_schedule` instead of a constant learning rate (as
optax's ``scale_by_schedule``). t counts the steps already taken, so the first step uses
:math:`\alpha_0`. Every parameter is a scalar or one value per trajectory (shape ``(n,)``),
so one :func:`~rmsprop_core.run` can tune the learning rate and a schedule parameter jointly.

The course's two decay formulas (DLS Course 2, Week 2, "Optimization Methods") are here
under the course's names, :func:`update_lr` and :func:`schedule_lr_decay`; the course
counts epochs: on a full-batch problem one step is one epoch, and with mini-batches their
``steps_per_epoch`` and ``lag`` turn the step into the assignment's epoch number.

>>> import numpy as np
>>> s = exponential_decay(0.1, 0.5)
>>> [float(s(t)) for t in range(3)]
[0.1, 0.05, 0.025]
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from . import _validate

__all__ = [
    "Schedule",
    "KINDS",
    "constant",
    "exponential_decay",
    "step_decay",
    "inverse_sqrt",
    "cosine",
    "update_lr",
    "schedule_lr_decay",
    "product",
]


def _constant(t, lr):
    return lr


# Powers go through np.power even for a scalar base: Python's float ** int calls the C
# library's pow, numpy's arrays may use a SIMD pow (AVX-512 machines), and the two differ in
# the last bit (0.99**100), so a batched run would not equal its single runs bit for bit.
def _exponential(t, lr, rate):
    return lr * np.power(rate, t)


def _step(t, lr, factor, every):
    return lr * np.power(factor, np.floor(t / every))


def _inverse_sqrt(t, lr, timescale):
    return lr / np.sqrt(1.0 + t / timescale)


def _cosine(t, lr, steps, floor):
    progress = np.minimum(t, steps) / steps
    return lr * (floor + (1.0 - floor) * 0.5 * (1.0 + np.cos(math.pi * progress)))


def _epoch(t, steps_per_epoch, lag):
    """The course's epoch_num at step t: floor(t / steps_per_epoch) - lag, at least 0 (t
    itself when neither is given, as before they existed)."""
    if steps_per_epoch is not None:
        t = np.floor(t / steps_per_epoch)
    if lag is not None:
        t = np.maximum(t - lag, 0.0)
    return t


def _inverse_time(t, lr, decay_rate, steps_per_epoch=None, lag=None):
    return lr / (1.0 + decay_rate * _epoch(t, steps_per_epoch, lag))


def _inverse_time_stepped(t, lr, decay_rate, time_interval, steps_per_epoch=None, lag=None):
    return lr / (1.0 + decay_rate * np.floor(_epoch(t, steps_per_epoch, lag) / time_interval))


_FORMULAS = {
    "constant": _constant,
    "exponential_decay": _exponential,
    "step_decay": _step,
    "inverse_sqrt": _inverse_sqrt,
    "cosine": _cosine,
    "update_lr": _inverse_time,
    "schedule_lr_decay": _inverse_time_stepped,
}

#: The schedule kinds, by name.
KINDS = tuple(_FORMULAS)
_PRODUCT = "product:"


class Schedule(NamedTuple):
    """A learning-rate schedule: ``kind`` (one of :data:`KINDS`) and its checked parameters
    ``params`` (floats or ``(n, 1)`` columns, one value per trajectory). ``schedule(t)`` is
    :math:`\\alpha_t` (a float, or a column when a parameter has one value per trajectory)."""

    kind: str
    params: dict[str, Any]

    def __call__(self, t):
        if self.kind.startswith(_PRODUCT):
            value = 1.0
            for i, kind in enumerate(self.kind[len(_PRODUCT):].split(",")):
                prefix = f"p{i}_"
                part = {k[len(prefix):]: v for k, v in self.params.items() if k.startswith(prefix)}
                value = value * _FORMULAS[kind](t, **part)
            return value
        return _FORMULAS[self.kind](t, **self.params)

    def describe(self) -> str:
        """The schedule in words with its parameters (scalars only), for captions."""
        shown = ", ".join(f"{k} = {v:g}" for k, v in self.params.items() if not isinstance(v, np.ndarray))
        return f"{self.kind.replace('_', ' ')} ({shown})" if shown else self.kind.replace("_", " ")


def _lr(value, name="lr"):
    return _validate.hyperparameter(name, value, low=0.0, low_open=True)


def constant(lr) -> Schedule:
    r""":math:`\alpha_t = \alpha`."""
    return Schedule("constant", {"lr": _lr(lr)})


def exponential_decay(lr, rate) -> Schedule:
    r""":math:`\alpha_t = \alpha\, r^t`, ``rate`` :math:`r` in (0, 1] (1 is constant).

    >>> round(float(exponential_decay(1.0, 0.99)(100)), 4)
    0.366
    """
    return Schedule("exponential_decay", {
        "lr": _lr(lr), "rate": _validate.hyperparameter("rate", rate, low=0.0, high=1.0,
                                                         low_open=True, high_open=False)})


def step_decay(lr, factor, every) -> Schedule:
    r""":math:`\alpha_t = \alpha\, \gamma^{\lfloor t / k \rfloor}`: multiplied by ``factor``
    :math:`\gamma` in (0, 1] every ``every`` :math:`k \ge 1` steps."""
    return Schedule("step_decay", {
        "lr": _lr(lr),
        "factor": _validate.hyperparameter("factor", factor, low=0.0, high=1.0, low_open=True,
                                           high_open=False),
        "every": _validate.hyperparameter("every", every, low=1.0)})


def inverse_sqrt(lr, timescale) -> Schedule:
    r""":math:`\alpha_t = \alpha / \sqrt{1 + t/\tau}`, ``timescale`` :math:`\tau > 0`."""
    return Schedule("inverse_sqrt", {
        "lr": _lr(lr), "timescale": _validate.hyperparameter("timescale", timescale, low=0.0,
                                                              low_open=True)})


def cosine(lr, steps, floor=0.0) -> Schedule:
    r"""Cosine decay to a floor: :math:`\alpha_t = \alpha\,\bigl(f + (1-f)\,\tfrac12
    (1 + \cos(\pi \min(t, T)/T))\bigr)`, reaching :math:`f\alpha` at step ``steps``
    :math:`T` and staying there; ``floor`` :math:`f` in [0, 1].

    >>> s = cosine(1.0, steps=10, floor=0.1)
    >>> float(s(0)), round(float(s(5)), 3), round(float(s(50)), 3)
    (1.0, 0.55, 0.1)
    """
    return Schedule("cosine", {
        "lr": _lr(lr), "steps": _validate.hyperparameter("steps", steps, low=1.0),
        "floor": _validate.hyperparameter("floor", floor, low=0.0, high=1.0, high_open=False)})


def _whole(name, value, low):
    """A count (>= low, integer-valued), as a float or a column like any parameter."""
    checked = _validate.hyperparameter(name, value, low=low)
    if np.any(np.floor(checked) != checked):
        raise ValueError(f"{name} must be an integer >= {low:g} (or one per trajectory), "
                         f"got {value!r}")
    return checked


def _epoch_params(steps_per_epoch, lag):
    """The optional epoch parameters, kept out of ``params`` when not given, so that a
    schedule without them has exactly the parameters (and caption) it always had."""
    params = {}
    if steps_per_epoch is not None:
        params["steps_per_epoch"] = _whole("steps_per_epoch", steps_per_epoch, 1.0)
    if lag is not None:
        params["lag"] = _whole("lag", lag, 0.0)
    return params


def update_lr(learning_rate0, decay_rate, *, steps_per_epoch=None, lag=None) -> Schedule:
    r"""The course's decay: :math:`\alpha = \alpha_0 / (1 + \text{decay\_rate} \cdot
    \text{epoch\_num})` (its ``update_lr``), decay_rate >= 0.

    By default epoch_num is the step t (one step per epoch: full batch). With mini-batches,
    ``steps_per_epoch`` S makes it :math:`\lfloor t/S \rfloor`, and ``lag`` L (default 0)
    :math:`\max(\lfloor t/S \rfloor - L, 0)`: the course's ``model()`` updates the rate at the
    *end* of epoch i from i, so epoch e >= 1 runs at the rate of epoch_num e - 1 (L = 1; epochs
    0 and 1 both at :math:`\alpha_0`). Both are integers, scalars or one per trajectory.

    >>> s = update_lr(0.1, 1.0, steps_per_epoch=5, lag=1)   # the assignment's timing
    >>> [round(float(s(t)), 4) for t in (0, 9, 10, 14, 15)]
    [0.1, 0.1, 0.05, 0.05, 0.0333]
    """
    return Schedule("update_lr", {
        "lr": _lr(learning_rate0, "learning_rate0"),
        "decay_rate": _validate.hyperparameter("decay_rate", decay_rate, low=0.0),
        **_epoch_params(steps_per_epoch, lag)})


def schedule_lr_decay(learning_rate0, decay_rate, time_interval=1000, *, steps_per_epoch=None,
                      lag=None) -> Schedule:
    r"""The course's "scheduled" decay: :math:`\alpha = \alpha_0 / (1 + \text{decay\_rate}
    \cdot \lfloor \text{epoch\_num} / \text{time\_interval} \rfloor)` (its
    ``schedule_lr_decay``, default interval 1000); epoch_num from the step t as in
    :func:`update_lr` (``steps_per_epoch``, ``lag``).

    >>> s = schedule_lr_decay(0.1, 1.0, time_interval=10)
    >>> float(s(9)), float(s(10))
    (0.1, 0.05)
    >>> s = schedule_lr_decay(0.1, 1.0, 1000, steps_per_epoch=5, lag=1)
    >>> float(s(5 * 1000)), float(s(5 * 1001))           # epoch 1000 still at 0.1
    (0.1, 0.05)
    """
    return Schedule("schedule_lr_decay", {
        "lr": _lr(learning_rate0, "learning_rate0"),
        "decay_rate": _validate.hyperparameter("decay_rate", decay_rate, low=0.0),
        "time_interval": _validate.hyperparameter("time_interval", time_interval, low=1.0),
        **_epoch_params(steps_per_epoch, lag)})


def product(*parts: Schedule) -> Schedule:
    r""":math:`\alpha_t = \prod_i \alpha^{(i)}_t`: schedules multiplied, e.g. an exponential decay
    and the course's decay in one, so that rows of one run can follow different families
    (a factor with rate 1 or decay_rate 0 is constant).

    >>> s = product(exponential_decay(0.1, 0.5), update_lr(1.0, 1.0))
    >>> [round(float(s(t)), 4) for t in range(3)]      # 0.1·0.5ᵗ/(1 + t)
    [0.1, 0.025, 0.0083]
    """
    if not parts or not all(isinstance(p, Schedule) and not p.kind.startswith(_PRODUCT) for p in parts):
        raise ValueError("product needs one or more schedules (not products)")
    params = {f"p{i}_{k}": v for i, p in enumerate(parts) for k, v in p.params.items()}
    return Schedule(_PRODUCT + ",".join(p.kind for p in parts), params)

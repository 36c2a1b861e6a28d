"""rmsprop_core: a small batched numpy library of optimizers as composable gradient
transformations, the numbers behind the essay "RMSprop in a favourable setting".

>>> import rmsprop_core as rc
>>> bowl = rc.objectives.get("bowl")
>>> traj = rc.run(rc.rmsprop(lr=0.05), bowl, [[-3.0, 1.0], [2.0, 0.01]], steps=200)
>>> traj.positions.shape
(201, 2, 2)

Modules: :mod:`~rmsprop_core.objectives` (surfaces, and reproducible gradient noise), :mod:`~rmsprop_core.transforms`
(building blocks), :mod:`~rmsprop_core.optimizers` (chains of them), :mod:`~rmsprop_core.run`
(trajectories), :mod:`~rmsprop_core.metrics`, :mod:`~rmsprop_core.settling` (horizon-stable counts),
:mod:`~rmsprop_core.tuning`, :mod:`~rmsprop_core.schedules` (learning rates that change over time),
:mod:`~rmsprop_core.network` (the course assignment's network and data), :mod:`~rmsprop_core.formula`
(surfaces typed as formulas).
"""

from . import metrics, objectives, schedules, settling, transforms, tuning
from .optimizers import (
    RMSPROP_PRESETS,
    Preset,
    adagrad,
    adam,
    direction_with_length_of,
    gd,
    momentum,
    normalized_gd,
    rmsprop,
    rmsprop_preset,
    sign_descent,
)
from .run import Trajectory, run
from .settling import Settling, settle, settle_each
from .transforms import GradientTransformation, chain, stack
from .tuning import GridTuning, TuningResult, tune_grid, tune_lr

__all__ = [
    "objectives",
    "schedules",
    "transforms",
    "metrics",
    "tuning",
    "settling",
    "GradientTransformation",
    "chain",
    "stack",
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
    "run",
    "Trajectory",
    "settle",
    "settle_each",
    "Settling",
    "tune_lr",
    "TuningResult",
    "tune_grid",
    "GridTuning",
]

from . import network  # noqa: E402  (after objectives: rc.network, the course's network)

__all__.append("network")

"""Bad input: a ValueError that names the argument and the allowed range."""

import numpy as np
import pytest

import rmsprop_core as rc
from rmsprop_core import transforms as T

BOWL = rc.objectives.bowl()

BAD_HYPERPARAMETERS = [
    # (call, expected message fragment)
    (lambda: rc.gd(0.0), r"lr must be > 0"),
    (lambda: rc.gd(-0.1), r"lr must be > 0"),
    (lambda: rc.gd(float("nan")), r"lr must be > 0"),
    (lambda: rc.gd(float("inf")), r"lr must be > 0"),
    (lambda: rc.gd([0.1, -0.1]), r"lr must be > 0, got -0.1"),
    (lambda: rc.gd(True), r"lr must be a number"),
    (lambda: rc.gd("fast"), r"lr must be a number"),
    (lambda: rc.gd(np.ones((2, 2))), r"lr must be a scalar or a 1-D array"),
    (lambda: rc.momentum(0.1, decay=1.0), r"decay must be in \[0, 1\)"),
    (lambda: rc.momentum(0.1, decay=-0.1), r"decay must be in \[0, 1\)"),
    (lambda: rc.momentum(0.1, form="nesterov"), r"form must be one of 'ema', 'heavy_ball'"),
    (lambda: rc.rmsprop(0.1, decay=1.0), r"decay must be in \[0, 1\)"),
    (lambda: rc.rmsprop(0.1, decay=[0.5, 1.2]), r"decay must be in \[0, 1\)"),
    (lambda: rc.rmsprop(0.1, eps=-1e-8), r"eps must be >= 0"),
    (lambda: rc.rmsprop(0.1, momentum=1.0), r"momentum must be in \[0, 1\)"),
    (lambda: rc.rmsprop(0.1, initial_scale=-1.0), r"initial_scale must be >= 0"),
    (lambda: rc.adam(0.1, b1=1.0), r"b1 must be in \[0, 1\)"),
    (lambda: rc.adam(0.1, b2=-0.5), r"b2 must be in \[0, 1\)"),
    (lambda: rc.adam(0.1, eps=-1.0), r"eps must be >= 0"),
    (lambda: rc.adam(-1.0), r"lr must be > 0"),
    (lambda: rc.adagrad(0.1, eps=-1.0), r"eps must be >= 0"),
    (lambda: rc.adagrad(0.1, initial_accumulator=-1.0), r"initial_accumulator must be >= 0"),
    (lambda: rc.normalized_gd(0.0), r"lr must be > 0"),
    (lambda: rc.sign_descent(-2), r"lr must be > 0"),
    (lambda: T.trace(1.5), r"decay must be in \[0, 1\)"),
    (lambda: rc.rmsprop_preset("jax"), r"name must be one of 'course', 'pytorch', 'keras', 'tf1'"),
    (lambda: rc.rmsprop_preset("pytorch", lr=0.0), r"lr must be > 0"),
    (lambda: rc.objectives.get("banana"), r"objective id must be one of"),
]


@pytest.mark.parametrize(
    "call, message", BAD_HYPERPARAMETERS, ids=[m for _, m in BAD_HYPERPARAMETERS]
)
def test_bad_hyperparameter(call, message):
    with pytest.raises(ValueError, match=message):
        call()


BAD_RUNS = [
    (lambda: rc.run(rc.gd(0.1), BOWL, [1.0, 1.0], steps=0), r"steps must be an integer >= 1"),
    (lambda: rc.run(rc.gd(0.1), BOWL, [1.0, 1.0], steps=-3), r"steps must be an integer >= 1"),
    (lambda: rc.run(rc.gd(0.1), BOWL, [1.0, 1.0], steps=2.5), r"steps must be an integer >= 1"),
    (lambda: rc.run(rc.gd(0.1), BOWL, [1.0, np.nan], steps=5), r"x0 must be finite"),
    (lambda: rc.run(rc.gd(0.1), BOWL, [[1.0, np.inf]], steps=5), r"x0 must be finite"),
    (lambda: rc.run(rc.gd(0.1), BOWL, [1.0, 2.0, 3.0], steps=5), r"x0 has dimension d = 3 but the objective is 2-dimensional"),
    (lambda: rc.run(rc.gd(0.1), BOWL, np.ones((2, 2, 2)), steps=5), r"x0 must have shape \(n, d\)"),
    (lambda: rc.run(rc.gd(0.1), BOWL, np.ones((0, 2)), steps=5), r"x0 must have shape \(n, d\)"),
    (lambda: rc.run(rc.gd(0.1), BOWL, [["a", "b"]], steps=5), r"x0 must be an array of numbers"),
    (lambda: rc.run(rc.gd(0.1), BOWL, [1e7, 0.0], steps=5), r"x0 must lie inside the bound"),
    (lambda: rc.run(rc.gd(0.1), BOWL, [1.0, 1.0], steps=5, bound=0), r"bound must be a finite number > 0"),
    (lambda: rc.run(rc.gd(0.1), BOWL, [1.0, 1.0], steps=5, dtype=np.int32), r"dtype must be a floating-point type"),
    (lambda: rc.run(rc.gd([0.1, 0.2, 0.3]), BOWL, np.ones((4, 2)), steps=5), r"lr has 3 values but there are 4 trajectories"),
    (lambda: rc.run(lambda g: g, BOWL, [1.0, 1.0], steps=5), r"optimizer must be a GradientTransformation"),
    (lambda: rc.run(rc.gd(0.1), "bowl", [1.0, 1.0], steps=5), r"objective must be an Objective"),
]


@pytest.mark.parametrize("call, message", BAD_RUNS, ids=[m for _, m in BAD_RUNS])
def test_bad_run_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_bad_metric_and_tuning_input():
    traj = rc.run(rc.gd(0.01), BOWL, [1.0, 1.0], steps=3)
    with pytest.raises(ValueError, match="tol must be a finite number > 0"):
        rc.metrics.steps_to_tolerance(traj, 0.0)
    with pytest.raises(ValueError, match="axis must be None or an integer"):
        rc.metrics.sign_flips(traj, axis=2)
    with pytest.raises(ValueError, match="minimum must have shape"):
        rc.metrics.step_angle_to_minimum(traj, [0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="criterion must be one of 'mean', 'median', 'max'"):
        rc.tune_lr(rc.gd, BOWL, [[1.0, 1.0]], [0.1], 10, 1e-3, criterion="best")
    with pytest.raises(ValueError, match="lrs must be > 0"):
        rc.tune_lr(rc.gd, BOWL, [[1.0, 1.0]], [0.1, -0.1], 10, 1e-3)
    with pytest.raises(ValueError, match="starts has dimension d = 3"):
        rc.tune_lr(rc.gd, BOWL, [[1.0, 1.0, 1.0]], [0.1], 10, 1e-3)

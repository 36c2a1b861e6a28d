"""Metrics on hand-made sequences and on known trajectories."""

import math

import numpy as np
import pytest

import rmsprop_core as rc
from rmsprop_core.run import Trajectory

BOWL = rc.objectives.bowl()


def hand_trajectory(points, objective=BOWL, diverged_at=None):
    positions = np.asarray(points, dtype=np.float64)
    if positions.ndim == 2:
        positions = positions[:, None, :]
    n = positions.shape[1]
    if diverged_at is None:
        diverged_at = np.full(n, -1)
    return Trajectory(objective, positions, np.asarray(diverged_at))


@pytest.mark.parametrize(
    "loss, tol, expected",
    [
        ([5.0, 0.5, 2.0, 0.5, 0.1, 0.05], 1.0, 3),  # touches at 1, leaves, stays from 3
        ([5.0, 0.5, 0.4, 0.3], 1.0, 1),
        ([0.1, 0.1], 1.0, 0),  # below from the start
        ([5.0, 0.5, 2.0], 1.0, -1),  # above at the end: never
        ([5.0, 4.0, 3.0], 1.0, -1),
        ([1.0, 0.999], 1.0, 1),  # strictly below the tolerance
    ],
    ids=["touch-then-stay", "stays-at-once", "always-below", "leaves-at-end", "never", "strict"],
)
def test_steps_to_tolerance_means_stays_below(loss, tol, expected):
    assert rc.metrics.steps_to_tolerance(np.array(loss), tol) == expected


def test_steps_to_tolerance_batched_and_min_value():
    loss = np.array([[3.0, -1.0], [0.5, -1.95], [0.2, -1.99]])  # columns: two trajectories
    result = rc.metrics.steps_to_tolerance(loss, tol=1.0, min_value=-2.0)
    assert result.tolist() == [-1, 1]
    assert rc.metrics.steps_to_tolerance(loss, tol=1.0).tolist() == [1, 0]


def test_steps_to_tolerance_uses_objective_minimum_and_diverged_rows_never_converge():
    wells = rc.objectives.get("two-wells")
    m = wells.minimum
    near = m + np.array([0.001, 0.0])
    # row 0 gets within tol of the (negative) min_value at step 1; row 1 sits at the
    # minimum but is marked diverged
    traj = hand_trajectory(np.stack([np.stack([m + 0.5, m]), np.stack([near, m]), np.stack([m, m])]),
                           wells, diverged_at=[-1, 2])
    assert wells.min_value < -2
    result = rc.metrics.steps_to_tolerance(traj, tol=1e-3)
    assert result.tolist() == [1, -1]


def test_path_length_of_hand_made_path():
    traj = hand_trajectory([[0.0, 0.0], [3.0, 4.0], [3.0, 4.0], [0.0, 0.0]])
    assert rc.metrics.path_length(traj).tolist() == [10.0]


def test_sign_flips_of_hand_made_path():
    # w steps: +1, -1, +1, 0, -1 -> flips 3 (the zero step neither flips nor breaks)
    # b steps: +1, +1, +1, +1, +1 -> 0
    w = np.cumsum([0.0, 1, -1, 1, 0, -1])
    b = np.arange(6.0)
    traj = hand_trajectory(np.column_stack([w, b]))
    assert rc.metrics.sign_flips(traj).tolist() == [[3, 0]]
    assert rc.metrics.sign_flips(traj, axis=0).tolist() == [3]
    assert rc.metrics.sign_flips(traj, axis=1).tolist() == [0]


def test_gd_on_the_bowl_oscillates_vertically_only():
    traj = rc.run(rc.gd(0.09), BOWL, [3.0, 1.0], steps=50)
    flips = rc.metrics.sign_flips(traj)
    assert flips[0, 0] == 0 and flips[0, 1] == 49


def test_step_angle_to_minimum_of_hand_made_steps():
    quad = rc.objectives.quadratic([1.0, 1.0])
    # from (1, 0): towards the minimum, then perpendicular, then straight away, then no step
    traj = hand_trajectory([[1.0, 0.0], [0.5, 0.0], [0.5, 0.5], [1.0, 1.0], [1.0, 1.0]], quad)
    angles = rc.metrics.step_angle_to_minimum(traj)
    assert angles[:3, 0] == pytest.approx([0.0, 90.0, 180.0])
    assert math.isnan(angles[3, 0])


def test_effective_lr_of_gd_is_lr_and_of_rmsprop_is_per_coordinate():
    gd = rc.run(rc.gd(0.02), BOWL, [3.0, 1.0], steps=10)
    np.testing.assert_allclose(rc.metrics.effective_lr(gd), 0.02)
    rms = rc.run(rc.rmsprop(0.02, decay=0.9, eps=0.0), BOWL, [3.0, 1.0], steps=1)
    # first step: |u| = lr·√10 per coordinate, so effective lr = lr·√10 / |g|
    np.testing.assert_allclose(rc.metrics.effective_lr(rms)[0, 0], 0.02 * math.sqrt(10) / np.array([3.0, 20.0]))

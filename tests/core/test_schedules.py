"""Learning-rate schedules: each against its written formula, per trajectory, and in a run."""

import math

import numpy as np
import pytest

import rmsprop_core as rc
from rmsprop_core import schedules as S

T = np.arange(0, 50)

FORMULAS = [
    (S.constant(0.3), lambda t: 0.3 + 0 * t),
    (S.exponential_decay(0.3, 0.9), lambda t: 0.3 * 0.9**t),
    (S.step_decay(0.3, 0.5, 7), lambda t: 0.3 * 0.5 ** (t // 7)),
    (S.inverse_sqrt(0.3, 4.0), lambda t: 0.3 / np.sqrt(1 + t / 4.0)),
    (S.cosine(0.3, 20, 0.1), lambda t: np.array([0.3 * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(s, 20) / 20))) for s in t])),
    (S.update_lr(0.3, 0.25), lambda t: 0.3 / (1 + 0.25 * t)),
    (S.schedule_lr_decay(0.3, 0.25, 10), lambda t: 0.3 / (1 + 0.25 * (t // 10))),
]


@pytest.mark.parametrize("schedule, formula", FORMULAS, ids=[s.kind for s, _ in FORMULAS])
def test_schedule_matches_its_formula(schedule, formula):
    got = np.array([float(schedule(t)) for t in T])
    np.testing.assert_allclose(got, formula(T), rtol=1e-14)


def test_every_kind_is_tested():
    assert {s.kind for s, _ in FORMULAS} == set(S.KINDS)


@pytest.mark.parametrize("schedule, formula", FORMULAS, ids=[s.kind for s, _ in FORMULAS])
def test_gd_with_a_schedule_takes_the_scheduled_steps(schedule, formula):
    # on a linear slope the gradient is constant, so each step is -alpha_t * slope
    slope = rc.objectives.linear([1.0, 2.0])
    traj = rc.run(rc.gd(schedule), slope, [[0.0, 0.0]], steps=30)
    np.testing.assert_allclose(traj.updates[:, 0, 1], -2.0 * formula(np.arange(30)), rtol=1e-13)


def test_per_trajectory_parameters_equal_single_runs():
    bowl = rc.objectives.bowl()
    rates = np.array([1.0, 0.99, 0.95])
    lrs = np.array([0.02, 0.05, 0.01])
    x0 = np.tile([[-3.5, 1.5]], (3, 1))
    batched = rc.run(rc.rmsprop(S.exponential_decay(lrs, rates)), bowl, x0, steps=200, block_rows=2)
    for i in range(3):
        single = rc.run(rc.rmsprop(S.exponential_decay(lrs[i], rates[i])), bowl, x0[i], steps=200)
        np.testing.assert_array_equal(batched.positions[:, i], single.positions[:, 0])


def test_constant_schedule_equals_constant_rate():
    bowl = rc.objectives.bowl()
    a = rc.run(rc.adam(S.constant(0.05)), bowl, [[-3.5, 1.5]], steps=100)
    b = rc.run(rc.adam(0.05), bowl, [[-3.5, 1.5]], steps=100)
    np.testing.assert_array_equal(a.positions, b.positions)


@pytest.mark.parametrize("make, message", [
    (lambda: S.exponential_decay(0.1, 1.5), "rate"),
    (lambda: S.exponential_decay(-0.1, 0.9), "lr"),
    (lambda: S.step_decay(0.1, 0.5, 0.5), "every"),
    (lambda: S.cosine(0.1, 10, 2.0), "floor"),
    (lambda: S.update_lr(0.1, -1.0), "decay_rate"),
    (lambda: S.schedule_lr_decay(0.0, 1.0), "learning_rate0"),
])
def test_bad_parameters_name_the_argument(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_scale_by_schedule_rejects_a_number():
    with pytest.raises(ValueError, match="Schedule"):
        rc.transforms.scale_by_schedule(0.1)


def test_describe_names_the_parameters():
    assert S.update_lr(0.1, 0.5).describe() == "update lr (lr = 0.1, decay_rate = 0.5)"


def test_product_multiplies_its_parts_per_row():
    lr = np.array([0.1, 0.2, 0.3])
    s = S.product(S.exponential_decay(lr, np.array([1.0, 0.9, 0.99])), S.update_lr(1.0, np.array([0.0, 0.0, 0.5])))
    for t in (0, 1, 7):
        np.testing.assert_allclose(s(t)[:, 0], lr * np.array([1.0, 0.9, 0.99]) ** t / (1 + np.array([0, 0, 0.5]) * t))
    bowl = rc.objectives.bowl()
    x0 = np.tile([[-3.5, 1.5]], (3, 1))
    batched = rc.run(rc.rmsprop(s), bowl, x0, steps=50, block_rows=2)
    single = rc.run(rc.rmsprop(S.product(S.exponential_decay(0.3, 0.99), S.update_lr(1.0, 0.5))), bowl, x0[2], steps=50)
    np.testing.assert_array_equal(batched.positions[:, 2], single.positions[:, 0])
    with pytest.raises(ValueError, match="product"):
        S.product()

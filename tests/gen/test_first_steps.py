"""The first-step multiplier page's claims hold for what the build computes."""
from __future__ import annotations

import math

import numpy as np
import pytest

import rmsprop_core as rc
from gen.update_rules import fig_first_steps as fig


@pytest.fixture(scope="module")
def computed():
    return fig.compute()


def test_rmsprop_follows_one_over_sqrt_one_minus_beta_to_the_t(computed):
    rms, _ = computed
    t = np.arange(1, fig.STEPS + 1)
    for i, beta in enumerate(fig.DECAYS):
        expected = 1 / np.sqrt(1 - beta**t)
        # ε = 1e-8 against a gradient component of 0.05: agreement to ~1e-6.
        np.testing.assert_allclose(rms[:, i, 0], expected, rtol=1e-5)
        np.testing.assert_allclose(rms[:, i, 1], expected, rtol=1e-5)


def test_first_step_numbers_match_an_actual_run_and_the_formula():
    numbers = fig.build().numbers
    bowl = rc.objectives.get("bowl")
    for beta in fig.DECAYS:
        key = fig.fmt(beta).replace(".", "")
        # A real first step on the course bowl from start B (not the frozen gradient).
        lr = 0.02
        traj = rc.run(rc.rmsprop(lr, decay=beta, eps=fig.EPS), bowl, np.array(fig.START_B), steps=1)
        measured = np.abs(traj.updates[0, 0]) / lr
        assert numbers[f"first_{key}"] == fig.fmt(float(measured[0])) == fig.fmt(float(measured[1]))
        assert numbers[f"first_{key}"] == numbers[f"formula_{key}"] == fig.fmt(1 / math.sqrt(1 - beta))
    assert [numbers[f"first_{k}"] for k in ("09", "099", "0999")] == ["3.16", "10", "31.6"]


def test_adam_bias_correction_removes_the_multiplier(computed):
    _, adam = computed
    np.testing.assert_allclose(adam, 1.0, atol=1e-6)
    # And without it Adam's first step is not α: the correction is what does it.
    plane = rc.objectives.linear(fig.frozen_gradient())
    raw = rc.run(rc.adam(fig.LR, b1=fig.ADAM_B1, b2=fig.ADAM_B2, eps=0.0, bias_correction=False), plane,
                 np.zeros(2), steps=1)
    ratio = abs(raw.updates[0, 0, 0]) / fig.LR
    assert math.isclose(ratio, (1 - fig.ADAM_B1) / math.sqrt(1 - fig.ADAM_B2), rel_tol=1e-12)


def test_multiplier_decays_and_larger_beta_settles_later(computed):
    rms, _ = computed
    assert np.all(np.diff(rms[:, :, 0], axis=0) < 0), "the multiplier must shrink every step"
    assert np.all(np.diff(rms[0, :, 0]) > 0) and np.all(np.diff(rms[-1, :, 0]) > 0)
    numbers = fig.build().numbers
    settle = [int(numbers[f"settle_{k}"]) for k in ("09", "099", "0999")]
    assert settle[0] < fig.STEPS < settle[1] < settle[2]
    # "proportional to 1/(1−β)": the settle step over 1/(1−β) is the same constant ±1 step.
    for s, beta in zip(settle, fig.DECAYS):
        assert abs(s * (1 - beta) - math.log(1 - 1 / fig.SETTLED**2) / math.log(beta) * (1 - beta)) <= 1 - beta + 1e-9


def test_settle_step_definition():
    m = np.array([[3.0, 1.0], [1.2, 1.05], [1.05, 1.3], [1.0, 1.0]])
    assert fig.settle_step(m).tolist() == [3, 4]

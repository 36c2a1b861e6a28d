"""run(): batching, blocking, divergence handling, state recording, record dtype."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rmsprop_core as rc
from tests.core.helpers import OBJECTIVE_IDS, starts_in_view

BOWL = rc.objectives.bowl()

OPTIMIZER_FACTORIES = {
    "gd": lambda lr: rc.gd(lr),
    "momentum": lambda lr: rc.momentum(lr, decay=0.9),
    "rmsprop": lambda lr: rc.rmsprop(lr),
    "rmsprop-centered-momentum": lambda lr: rc.rmsprop(lr, momentum=0.5, centered=True),
    "adam": lambda lr: rc.adam(lr),
    "adagrad": lambda lr: rc.adagrad(lr),
    "normalized_gd": lambda lr: rc.normalized_gd(lr),
    "sign_descent": lambda lr: rc.sign_descent(lr),
}


def test_shapes_of_a_trajectory():
    traj = rc.run(rc.rmsprop(0.05), BOWL, np.ones((5, 2)), steps=7)
    assert traj.positions.shape == (8, 5, 2)
    assert traj.loss.shape == (8, 5)
    assert traj.updates.shape == (7, 5, 2)
    assert traj.grads.shape == (7, 5, 2)
    assert traj.diverged.shape == (5,) and traj.diverged.dtype == bool
    assert traj.diverged_at.shape == (5,)
    assert traj.states is None


def test_single_start_of_shape_d_gives_n_equal_1():
    traj = rc.run(rc.gd(0.01), BOWL, [1.0, 2.0], steps=3)
    assert traj.positions.shape == (4, 1, 2)


def test_updates_grads_and_loss_are_consistent():
    traj = rc.run(rc.adam(0.1), BOWL, [[3.0, 1.0], [-1.0, 0.5]], steps=20)
    np.testing.assert_allclose(traj.positions[1:], traj.positions[:-1] + traj.updates, atol=1e-15)
    np.testing.assert_array_equal(traj.grads, BOWL.grad(traj.positions[:-1]))
    np.testing.assert_allclose(traj.loss, BOWL.value(traj.positions))


def test_x0_is_not_modified():
    x0 = np.array([[3.0, 1.0], [-1.0, 0.5]])
    before = x0.copy()
    traj = rc.run(rc.rmsprop(0.1), BOWL, x0, steps=5)
    np.testing.assert_array_equal(x0, before)
    np.testing.assert_array_equal(traj.positions[0], before)


@pytest.mark.parametrize("name", OPTIMIZER_FACTORIES)
def test_batched_run_equals_per_start_runs(name, rng):
    make = OPTIMIZER_FACTORIES[name]
    x0 = rng.uniform(-3, 3, (7, 2))
    lrs = np.geomspace(0.001, 0.3, 7)
    batched = rc.run(make(lrs), BOWL, x0, steps=30, block_rows=3)  # blocks of 3, 3, 1 rows
    for i in range(7):
        single = rc.run(make(float(lrs[i])), BOWL, x0[i], steps=30)
        np.testing.assert_array_equal(batched.positions[:, i], single.positions[:, 0])
        assert batched.diverged_at[i] == single.diverged_at[0]


@pytest.mark.parametrize("block_rows", [1, 2, 5, 64])
def test_block_size_does_not_change_results(block_rows, rng):
    x0 = rng.uniform(-3, 3, (9, 2))
    opt = rc.rmsprop(np.geomspace(0.01, 3.0, 9), decay=np.linspace(0.0, 0.99, 9))
    reference = rc.run(opt, BOWL, x0, steps=25)
    other = rc.run(opt, BOWL, x0, steps=25, block_rows=block_rows)
    np.testing.assert_array_equal(other.positions, reference.positions)


def test_any_dimension(rng):
    q = rc.objectives.quadratic(np.linspace(1, 10, 6), angle=0.4)
    traj = rc.run(rc.adam(0.05), q, rng.normal(size=(4, 6)), steps=400)
    assert traj.positions.shape == (401, 4, 6)
    assert np.all(traj.loss[-1] < 1e-2 * traj.loss[0])


# --------------------------------------------------------------------------- divergence


def _assert_clean(traj):
    for array in (traj.positions, traj.loss, traj.updates, traj.grads):
        assert np.all(np.isfinite(array))


def test_divergent_gd_is_frozen_at_its_last_good_position():
    # b is multiplied by (1 - 0.15·20) = -2 each step: |b| = 2^t, so the bound 1e3 is
    # crossed at t = 10 (2^10 = 1024)
    traj = rc.run(rc.gd(0.15), BOWL, [[0.0, 1.0], [1.0, 0.0]], steps=30, bound=1e3)
    _assert_clean(traj)
    assert traj.diverged.tolist() == [True, False]
    assert traj.diverged_at.tolist() == [10, -1]
    np.testing.assert_array_equal(traj.positions[10:, 0], np.broadcast_to(traj.positions[9, 0], (21, 2)))
    assert abs(traj.positions[9, 0, 1]) == 2.0**9
    np.testing.assert_array_equal(traj.updates[9:, 0], 0.0)
    assert np.abs(traj.positions).max() <= 1e3


def test_overflow_to_nan_never_leaves_run():
    rosen = rc.objectives.get("rosenbrock")
    traj = rc.run(rc.gd(1.0), rosen, [[-1.5, 2.0], [1.0, 1.0]], steps=50, bound=1e300)
    _assert_clean(traj)
    assert traj.diverged.tolist() == [True, False]


def test_saddle_run_diverges_along_y_and_is_clean():
    traj = rc.run(rc.rmsprop(0.1), rc.objectives.get("saddle"), [[1.0, 0.1], [1.0, 0.0]], steps=2000, bound=50.0)
    _assert_clean(traj)
    assert traj.diverged.tolist() == [True, False]


@settings(max_examples=25, deadline=None)
@given(
    obj_id=st.sampled_from(OBJECTIVE_IDS),
    name=st.sampled_from(sorted(OPTIMIZER_FACTORIES)),
    log_lr=st.floats(-3, 2),
    seed=st.integers(0, 2**16),
)
def test_no_nan_or_inf_ever_leaves_run(obj_id, name, log_lr, seed):
    obj = rc.objectives.get(obj_id)
    x0 = starts_in_view(obj, 4, np.random.default_rng(seed))
    traj = rc.run(OPTIMIZER_FACTORIES[name](10.0**log_lr), obj, x0, steps=60, bound=1e4, record_state=True)
    _assert_clean(traj)
    assert np.abs(traj.positions).max() <= 1e4
    for state in (traj.states[0], traj.states[-1]):
        for leaf in np.atleast_1d(*[np.asarray(x) for x in _flat(state)]):
            assert np.all(np.isfinite(leaf))


def _flat(tree):
    if isinstance(tree, tuple):
        out = []
        for child in tree:
            out.extend(_flat(child))
        return out
    return [tree]


# --------------------------------------------------------------------------- state recording


def test_record_state_gives_the_second_moment_over_time():
    x0 = np.array([[2.0, 0.5], [-1.0, 1.0]])
    traj = rc.run(rc.rmsprop(0.01, decay=0.9), BOWL, x0, steps=5, record_state=True)
    nu = traj.state_history("nu")
    assert nu.shape == (6, 2, 2)
    np.testing.assert_array_equal(nu[0], 0.0)
    np.testing.assert_allclose(nu[1], 0.1 * BOWL.grad(x0) ** 2)
    expected = 0.9 * nu[4] + 0.1 * traj.grads[4] ** 2
    np.testing.assert_allclose(nu[5], expected)
    assert traj.state_history("count").tolist() == [[t, t] for t in range(6)]
    assert len(traj.states) == 6
    np.testing.assert_array_equal(traj.states[3][0].nu, nu[3])


def test_state_history_of_momentum_and_adam():
    m = rc.run(rc.momentum(0.01, 0.9), BOWL, [1.0, 1.0], steps=3, record_state=True)
    assert m.state_history("trace").shape == (4, 1, 2)
    a = rc.run(rc.adam(0.01), BOWL, [1.0, 1.0], steps=3, record_state=True)
    assert set(a.state_fields()) >= {"mu", "nu", "count"}
    with pytest.raises(ValueError, match="state fields"):
        a.state_history("velocity")
    with pytest.raises(ValueError, match="record_state=True"):
        rc.run(rc.adam(0.01), BOWL, [1.0, 1.0], steps=3).state_history("nu")


def test_recorded_state_is_frozen_after_divergence():
    saddle = rc.objectives.get("saddle")
    traj = rc.run(rc.rmsprop(0.5), saddle, [[0.0, 1.0]], steps=50, bound=5.0, record_state=True)
    assert traj.diverged[0]
    t = traj.diverged_at[0]
    nu = traj.state_history("nu")
    np.testing.assert_array_equal(nu[t:, 0], np.broadcast_to(nu[t - 1, 0], nu[t:, 0].shape))


def test_recorded_count_is_frozen_after_divergence_like_the_rest_of_the_state():
    saddle = rc.objectives.get("saddle")
    traj = rc.run(rc.rmsprop(0.5), saddle, [[0.0, 1.0], [0.0, 0.0]], steps=50, bound=5.0,
                  record_state=True)
    assert traj.diverged.tolist() == [True, False]
    t = traj.diverged_at[0]
    count = traj.state_history("count")
    assert count.shape == (51, 2)
    assert count[:, 0].tolist() == list(range(t)) + [t - 1] * (51 - t)
    assert count[:, 1].tolist() == list(range(51))
    assert traj.states[-1][0].count.tolist() == [t - 1, 50]


def test_recorded_count_is_defined_when_every_row_of_a_block_diverges():
    # every row diverges at step 1: the loop may stop early, but the whole record is filled
    traj = rc.run(rc.rmsprop(np.array([10.0, 20.0])), BOWL, [[1.0, 1.0], [1.0, 1.0]], steps=200,
                  bound=5.0, record_state=True)
    assert traj.diverged.all()
    count = traj.state_history("count")
    assert 0 <= count.min() and count.max() <= 200


def test_record_state_does_not_change_positions(rng):
    x0 = rng.uniform(-3, 3, (6, 2))
    a = rc.run(rc.adam(0.1), BOWL, x0, steps=40, record_state=True, block_rows=4)
    b = rc.run(rc.adam(0.1), BOWL, x0, steps=40)
    np.testing.assert_array_equal(a.positions, b.positions)


def test_float32_record_dtype(rng):
    x0 = rng.uniform(-3, 3, (6, 2))
    a = rc.run(rc.rmsprop(0.05), BOWL, x0, steps=40, dtype=np.float32)
    b = rc.run(rc.rmsprop(0.05), BOWL, x0, steps=40)
    assert a.positions.dtype == np.float32 and a.loss.dtype == np.float32
    np.testing.assert_allclose(a.positions, b.positions, rtol=1e-6, atol=1e-6)

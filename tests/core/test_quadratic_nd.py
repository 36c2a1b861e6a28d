"""Quadratics in any dimension, randomly rotated or one bowl per trajectory; loss-only runs;
several tolerances from one run."""

import math

import numpy as np
import pytest

import rmsprop_core as rc


def _fd_grad(obj, x, h=1e-6):
    g = np.empty_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (obj.value(x + e) - obj.value(x - e)) / (2 * h)
    return g


def test_rotated_quadratic_gradient_matches_finite_differences():
    q = rc.objectives.quadratic(np.geomspace(1, 100, 12), rotation="random", seed=5)
    x = np.random.default_rng(0).standard_normal(12)
    np.testing.assert_allclose(q.grad(x), _fd_grad(q, x), rtol=1e-6, atol=1e-6)


def test_random_rotation_keeps_the_eigenvalues_and_is_reproducible():
    lam = np.geomspace(1, 1000, 30)
    a = rc.objectives.quadratic(lam, rotation="random", seed=2)
    b = rc.objectives.quadratic(lam, rotation="random", seed=2)
    c = rc.objectives.quadratic(lam, rotation="random", seed=3)
    np.testing.assert_allclose(np.linalg.eigvalsh(a.hessian), lam, rtol=1e-10)
    np.testing.assert_array_equal(a.hessian, b.hessian)
    assert not np.allclose(a.hessian, c.hessian)


def test_gd_is_rotation_equivariant_in_50_dimensions():
    lam = np.geomspace(1, 50, 50)
    aligned = rc.objectives.quadratic(lam)
    rotated = rc.objectives.quadratic(lam, rotation="random", seed=7)
    r = rotated.rotation
    z0 = np.random.default_rng(1).standard_normal((4, 50))
    ta = rc.run(rc.gd(0.03), aligned, z0, steps=60)
    tr = rc.run(rc.gd(0.03), rotated, z0 @ r.T, steps=60)   # x = R z
    np.testing.assert_allclose(tr.positions @ r, ta.positions, atol=1e-10)
    np.testing.assert_allclose(tr.loss, ta.loss, rtol=1e-9)


def test_rmsprop_is_not_rotation_equivariant():
    lam = np.geomspace(1, 50, 10)
    rotated = rc.objectives.quadratic(lam, rotation="random", seed=7)
    aligned = rc.objectives.quadratic(lam)
    z0 = np.ones((1, 10))
    ta = rc.run(rc.rmsprop(0.01), aligned, z0, steps=50)
    tr = rc.run(rc.rmsprop(0.01), rotated, z0 @ rotated.rotation.T, steps=50)
    assert abs(tr.loss[-1, 0] - ta.loss[-1, 0]) > 1e-3 * ta.loss[-1, 0]


def test_given_rotation_matrix_and_bad_ones():
    r = rc.objectives.random_rotation(3, seed=0)
    q = rc.objectives.quadratic([1.0, 2.0, 3.0], rotation=r)
    np.testing.assert_allclose(q.hessian, r @ np.diag([1, 2, 3]) @ r.T)
    with pytest.raises(ValueError, match="orthogonal"):
        rc.objectives.quadratic([1.0, 2.0], rotation=[[1.0, 1.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="rotation"):
        rc.objectives.quadratic([1.0, 2.0], rotation="spin")
    with pytest.raises(ValueError, match="either rotation"):
        rc.objectives.quadratic([1.0, 2.0], angle=0.3, rotation="random")
    with pytest.raises(ValueError, match="seed"):
        rc.objectives.random_rotation(3, seed=-1)


@pytest.mark.parametrize("angles", [None, np.array([0.0, 0.3, math.pi / 4, 1.0, 0.0])])
def test_one_bowl_per_trajectory_equals_separate_runs(angles):
    kappas = np.array([1.0, 5.0, 20.0, 300.0, 1e4])
    lam = np.stack([np.ones(5), kappas], axis=1)
    obj = rc.objectives.quadratic(lam, 0.0 if angles is None else angles)
    x0 = np.tile([[-3.5, 1.5]], (5, 1))
    lr = np.array([0.01, 0.02, 0.03, 0.01, 0.005])
    batched = rc.run(rc.rmsprop(lr), obj, x0, steps=150, block_rows=2)
    for i in range(5):
        single_obj = rc.objectives.quadratic(lam[i], 0.0 if angles is None else angles[i])
        single = rc.run(rc.rmsprop(lr[i]), single_obj, x0[i], steps=150)
        np.testing.assert_array_equal(batched.positions[:, i], single.positions[:, 0])
        np.testing.assert_allclose(batched.loss[:, i], single.loss[:, 0], rtol=1e-15)
    s = rc.settle(rc.rmsprop(lr), obj, x0, tol=1e-3, budget=150, block_rows=3)
    assert s.n == 5


def test_per_trajectory_bowls_must_match_the_number_of_starts():
    obj = rc.objectives.quadratic([[1.0, 2.0], [1.0, 3.0]])
    with pytest.raises(ValueError, match="2 per-trajectory bowls but there are 3"):
        rc.run(rc.gd(0.1), obj, np.ones((3, 2)), steps=2)


@pytest.mark.parametrize("d, make", [
    (2, lambda: rc.rmsprop(0.05)),
    (2, lambda: rc.gd(np.array([0.05, 0.2, 0.11]))),   # 0.2 diverges on λ = 20
    (40, lambda: rc.adam(0.05)),
])
def test_loss_only_run_equals_the_recorded_loss(d, make):
    obj = rc.objectives.bowl() if d == 2 else rc.objectives.quadratic(np.geomspace(1, 20, d), rotation="random")
    x0 = np.random.default_rng(3).uniform(-2, 2, (3, d))
    full = rc.run(make(), obj, x0, steps=120)
    lean = rc.run(make(), obj, x0, steps=120, record="loss", block_rows=2)
    assert lean.positions is None and lean.loss.shape == full.loss.shape
    np.testing.assert_allclose(lean.loss, full.loss, rtol=1e-12)
    np.testing.assert_array_equal(lean.diverged_at, full.diverged_at)
    np.testing.assert_allclose(lean.final, full.positions[-1], rtol=1e-12)
    with pytest.raises(ValueError, match="record='positions'"):
        lean.updates


def test_loss_only_diverging_row_is_frozen_like_run():
    full = rc.run(rc.gd(0.2), rc.objectives.bowl(), [[1.0, 1.0]], steps=400)
    lean = rc.run(rc.gd(0.2), rc.objectives.bowl(), [[1.0, 1.0]], steps=400, record="loss")
    assert full.diverged[0] and lean.diverged_at[0] == full.diverged_at[0]
    np.testing.assert_array_equal(lean.loss, full.loss)


def test_record_must_be_known():
    with pytest.raises(ValueError, match="record"):
        rc.run(rc.gd(0.1), rc.objectives.bowl(), [[1.0, 1.0]], steps=2, record="grads")


@pytest.mark.parametrize("make, lr, tols", [
    (rc.rmsprop, [0.0141, 0.05, 0.3], [1e-1, 1e-3, 1e-6]),
    (rc.gd, [0.05, 0.2, 0.09], [1e-3, 1e-1, 1e-6, 1e-3]),    # 0.2 diverges; unsorted, repeated
    (rc.adam, [0.1, 0.02, 0.5], [1e-2, 1e-4]),               # Adam at 0.1 leaves again
])
def test_settle_each_equals_settle_per_tolerance(make, lr, tols):
    bowl = rc.objectives.bowl()
    x0 = np.array([[-3.5, 1.5], [0.05, 1.8], [2.0, -1.0]])
    lr, tols = np.array(lr), np.array(tols)
    each = rc.settle_each(make(lr), bowl, x0, tols, budget=300, horizon=1200)
    assert [s.tol for s in each] == list(tols)
    for tol, s in zip(tols, each):
        one = rc.settle(make(lr), bowl, x0, tol=tol, budget=300, horizon=1200)
        for field in ("steps", "status", "first_settled", "left_at", "at_horizon"):
            np.testing.assert_array_equal(getattr(s, field), getattr(one, field))
        # first touch: the first step within the tolerance in a recorded run
        loss = rc.run(make(lr), bowl, x0, steps=300).loss
        inside = loss < tol
        expect = np.where(inside.any(axis=0), inside.argmax(axis=0), -1)
        np.testing.assert_array_equal(s.first_touch, expect)


@pytest.mark.parametrize("make", [rc.gd, rc.adam, lambda lr: rc.rmsprop(lr)])
def test_compacted_measurement_keeps_every_count(make):
    # the tuners drop rows whose status is decided; every field but at_horizon is unchanged
    from rmsprop_core.settling import _measure_each
    kappas = np.repeat([1.0, 20.0, 500.0], 60)
    obj = rc.objectives.quadratic(np.stack([np.ones(kappas.size), kappas], 1))
    lr = np.tile(np.geomspace(1e-3, 3.0, 20), 9)
    x0 = np.random.default_rng(4).uniform(-3, 3, (kappas.size, 2))
    tols = np.array([1e-1, 1e-2, 1e-4, 1e-6])
    plain = _measure_each(make(lr), obj, x0, tols, 0.0, 300, 1200)
    lean = _measure_each(make(lr), obj, x0, tols, 0.0, 300, 1200, compact=True)
    for a, b in zip(plain, lean):
        for field in ("steps", "status", "first_settled", "first_touch"):
            np.testing.assert_array_equal(getattr(a, field), getattr(b, field), err_msg=field)
        left = a.status == "left"     # left_at means something only for these
        np.testing.assert_array_equal(a.left_at[left], b.left_at[left])


def test_compaction_when_every_row_is_decided():
    # every row leaves the loosest tolerance after the budget: all are dropped, none is lost
    from rmsprop_core.settling import _measure_each
    x0 = np.tile([[3.0, 1.0]], (300, 1))
    lean = _measure_each(rc.gd(np.full(300, 0.105)), rc.objectives.bowl(), x0,
                         np.array([1e-3, 1e-1]), 0.0, 130, 600, compact=True)
    plain = _measure_each(rc.gd(np.full(300, 0.105)), rc.objectives.bowl(), x0,
                          np.array([1e-3, 1e-1]), 0.0, 130, 600)
    for a, b in zip(plain, lean):
        np.testing.assert_array_equal(a.status, b.status)
        np.testing.assert_array_equal(a.first_settled, b.first_settled)

"""Noisy gradients: the counter-based generator, reproducibility across batches and blocks,
common random numbers, GD's stationary variance, the runners on a noisy objective, bad input."""

from typing import NamedTuple

import numpy as np
import pytest

import rmsprop_core as rc
from rmsprop_core import objectives as O

BOWL = rc.objectives.bowl()
N = 10**6


# --------------------------------------------------------------------------- the generator


@pytest.mark.parametrize("counter, key, expected", [
    # Random123's tests/kat_vectors, the three "philox4x32 10" lines: counter, key -> output
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((0xFFFFFFFF,) * 4, (0xFFFFFFFF,) * 2, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
     (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
], ids=["zeros", "ones", "pi"])
def test_philox_matches_the_random123_known_answers(counter, key, expected):
    keys = [((np.uint64(key[0]) + np.uint64(r * O._PHILOX_W0)) & O._MASK32,
             (np.uint64(key[1]) + np.uint64(r * O._PHILOX_W1)) & O._MASK32) for r in range(10)]
    out = O._philox4x32(*(np.uint64(c) for c in counter), keys)
    assert tuple(int(w) for w in out) == expected


def test_the_arithmetic_log_cos_and_sin_are_accurate():
    rng = np.random.default_rng(0)
    u = np.concatenate([rng.uniform(0, 1, 10**5), np.arange(1, 4097) * 2.0**-53,
                        1 - np.arange(4096) * 2.0**-53, [1.0]])
    np.testing.assert_allclose(O._log(u), np.log(u), rtol=5e-16, atol=5e-16)
    psi = np.concatenate([rng.uniform(0, np.pi / 2, 10**5), [0.0, np.nextafter(np.pi / 2, 0)]])
    c, s = O._cos_sin(psi)
    np.testing.assert_allclose(c, np.cos(psi), rtol=0, atol=5e-16)
    np.testing.assert_allclose(s, np.sin(psi), rtol=0, atol=5e-16)


def test_box_muller_equals_the_textbook_formula_with_library_functions():
    seeds = np.arange(2000)
    z = O.gaussian_noise(seeds, 11, 4)
    keys = O._philox_round_keys(seeds.astype(np.uint64)[:, None])
    w = O._philox4x32(np.uint64(11), np.arange(2, dtype=np.uint64), np.uint64(0), np.uint64(0), keys)

    def uniform53(hi, lo):
        return ((hi >> np.uint64(5)).astype(float) * 2.0**26 + (lo >> np.uint64(6)).astype(float)) * 2.0**-53

    r = np.sqrt(-2 * np.log(uniform53(w[0], w[1]) + 2.0**-53))
    theta = 2 * np.pi * uniform53(w[2], w[3])
    textbook = np.stack([r * np.cos(theta), r * np.sin(theta)], -1).reshape(2000, 4)
    np.testing.assert_allclose(z, textbook, rtol=0, atol=1e-14)


def test_a_million_draws_have_mean_0_variance_1_and_normal_tails():
    z = O.gaussian_noise(12345, np.arange(N // 2), 2).ravel()
    assert z.size == N
    se = 1 / np.sqrt(N)
    assert abs(z.mean()) < 5 * se
    assert abs(z.var() - 1) < 5 * np.sqrt(2) * se   # Var of the sample variance: 2/N
    # P(z < q) at a few normal quantiles (Φ(q) to 6 digits)
    for q, p in [(-2.0, 0.022750), (-1.0, 0.158655), (0.0, 0.5), (1.0, 0.841345), (3.0, 0.998650)]:
        assert abs((z < q).mean() - p) < 5 * np.sqrt(p * (1 - p) / N) + 1e-6, q
    assert np.abs(z).max() < np.sqrt(2 * 53 * np.log(2))


def _corr(a, b):
    return float(np.corrcoef(a, b)[0, 1])


@pytest.mark.parametrize("neighbours", ["step", "coordinate in a pair", "coordinate across pairs",
                                        "seed"])
def test_neighbouring_counters_are_uncorrelated(neighbours):
    if neighbours == "step":
        z = O.gaussian_noise(3, np.arange(N + 1), 1)[:, 0]
        a, b = z[:-1], z[1:]
    elif neighbours == "seed":
        z = O.gaussian_noise(np.arange(N + 1), 5, 1)[:, 0]
        a, b = z[:-1], z[1:]
    else:
        z = O.gaussian_noise(3, np.arange(N), 3)
        a, b = (z[:, 0], z[:, 1]) if neighbours == "coordinate in a pair" else (z[:, 1], z[:, 2])
    assert abs(_corr(a, b)) < 0.01
    assert abs(_corr(a * a, b * b)) < 0.01   # not just uncorrelated: no shared magnitude


def test_noise_is_a_pure_function_of_seed_step_and_coordinate():
    seeds = np.array([0, 1, 2**32 - 1, 7, 7])
    steps = np.array([[0], [1], [2**32 - 1]])
    z = O.gaussian_noise(seeds, steps, 5)
    assert z.shape == (3, 5, 5)
    for i, t in enumerate(steps[:, 0]):
        for j, s in enumerate(seeds):
            np.testing.assert_array_equal(z[i, j], O.gaussian_noise(int(s), int(t), 5))
    # coordinate i does not depend on the dimension asked for
    np.testing.assert_array_equal(O.gaussian_noise(9, 4, 6)[:5], O.gaussian_noise(9, 4, 5))
    np.testing.assert_array_equal(z[:, 3], z[:, 4])   # the same seed, the same noise


# --------------------------------------------------------------------------- the objective


def test_noisy_objective_keeps_the_surface_and_adds_noise_to_the_gradient():
    f = rc.objectives.noisy(BOWL, 0.3, seed=4)
    assert (f.id, f.dim, f.view, f.min_value) == ("noisy-bowl", 2, BOWL.view, BOWL.min_value)
    np.testing.assert_array_equal(f.minimum, BOWL.minimum)
    assert f.stochastic and not BOWL.stochastic
    assert not any(rc.objectives.get(i).stochastic for i in rc.objectives.ids())
    x = np.array([[1.0, -2.0], [0.5, 0.5]])
    np.testing.assert_array_equal(f.value(x), BOWL.value(x))
    np.testing.assert_array_equal(f.grad(x), BOWL.grad(x))   # no step: noise-free
    np.testing.assert_array_equal(f.grad(x, step=3), BOWL.grad(x) + 0.3 * O.gaussian_noise(4, 3, 2))
    assert BOWL.grad(x, step=3).tolist() == BOWL.grad(x).tolist()   # deterministic: ignored
    assert "noisy-bowl" not in rc.objectives.ids()


class Seen(NamedTuple):
    grad: np.ndarray


def _recording(opt):
    """``opt`` with a first link that keeps, in its state, the gradient it was given."""
    record = rc.GradientTransformation(lambda x: Seen(np.zeros_like(x)),
                                       lambda g, state, x=None: (g, Seen(g)))
    return rc.chain(record, opt)


@pytest.mark.parametrize("name, make", [("gd", rc.gd), ("rmsprop", rc.rmsprop), ("adam", rc.adam)])
def test_trajectory_grads_are_the_noisy_gradients_the_optimizer_used(name, make):
    f = rc.objectives.noisy(BOWL, 0.5, seed=np.arange(3))
    traj = rc.run(_recording(make(0.02)), f, np.tile([[-3.0, 1.0]], (3, 1)), 40, record_state=True)
    np.testing.assert_array_equal(traj.grads, traj.state_history("grad")[1:])
    assert not np.allclose(traj.grads, BOWL.grad(traj.positions[:-1]))


def test_common_random_numbers_two_methods_with_one_seed_see_the_same_noise():
    f = rc.objectives.noisy(BOWL, 0.5, seed=21)
    starts = [[-3.0, 1.0], [2.0, -1.5]]
    runs = [rc.run(_recording(opt), f, starts, 60, record_state=True)
            for opt in (rc.gd(0.05), rc.rmsprop(0.02), rc.momentum(0.03))]
    expected = 0.5 * O.gaussian_noise(21, np.arange(60), 2)[:, None, :]   # (t, rows, d)
    for traj in runs:
        seen = traj.state_history("grad")[1:]
        noise = seen - BOWL.grad(traj.positions[:-1])
        np.testing.assert_allclose(noise, np.broadcast_to(expected, noise.shape), rtol=0, atol=1e-13)
    # and two paths do differ: the noise, not the path, is shared
    assert not np.allclose(runs[0].positions, runs[1].positions)


def _per_row_setting(n=7):
    rng = np.random.default_rng(3)
    x0 = rng.uniform(-3, 3, (n, 2))
    lrs = np.geomspace(0.005, 0.05, n)
    seeds = np.array([5, 6, 5, 9, 10, 11, 6][:n])   # repeats: rows that share a seed
    sigmas = np.linspace(0.1, 1.0, n)
    return x0, lrs, seeds, sigmas


@pytest.mark.parametrize("make", [rc.gd, rc.rmsprop, rc.adam, rc.sign_descent], ids=["gd", "rmsprop", "adam", "sign"])
def test_batched_equals_single_runs_for_per_row_seeds_and_sigmas(make):
    x0, lrs, seeds, sigmas = _per_row_setting()
    batch = rc.run(make(lrs), rc.objectives.noisy(BOWL, sigmas, seed=seeds), x0, 80)
    for i in range(len(x0)):
        single = rc.run(make(lrs[i]), rc.objectives.noisy(BOWL, sigmas[i], seed=int(seeds[i])), x0[i], 80)
        np.testing.assert_array_equal(batch.positions[:, i], single.positions[:, 0])


def test_per_row_bowls_and_per_row_seeds_are_sliced_together():
    x0, lrs, seeds, _ = _per_row_setting()
    kappas = np.geomspace(2, 200, len(x0))
    bowls = rc.objectives.quadratic(np.stack([np.ones(len(x0)), kappas], 1))
    batch = rc.run(rc.rmsprop(0.01), rc.objectives.noisy(bowls, 0.2, seed=seeds), x0, 60, block_rows=3)
    for i in range(len(x0)):
        f = rc.objectives.noisy(rc.objectives.quadratic([1.0, kappas[i]]), 0.2, seed=int(seeds[i]))
        np.testing.assert_array_equal(batch.positions[:, i], rc.run(rc.rmsprop(0.01), f, x0[i], 60).positions[:, 0])


@pytest.mark.parametrize("seed", ["shared", "per row"])
def test_block_size_does_not_change_results(seed):
    x0, lrs, seeds, sigmas = _per_row_setting()
    f = rc.objectives.noisy(BOWL, sigmas, seed=3 if seed == "shared" else seeds)
    runs = [rc.run(rc.rmsprop(lrs), f, x0, 300, block_rows=b) for b in (1, 3, None)]
    for other in runs[1:]:
        np.testing.assert_array_equal(other.positions, runs[0].positions)
    loss_only = rc.run(rc.rmsprop(lrs), f, x0, 300, block_rows=3, record="loss")
    np.testing.assert_array_equal(loss_only.loss, runs[0].loss)
    np.testing.assert_array_equal(loss_only.final, runs[0].final)


@pytest.mark.parametrize("make", [rc.gd, rc.rmsprop, rc.adam, rc.normalized_gd],
                         ids=["gd", "rmsprop", "adam", "ngd"])
@pytest.mark.parametrize("sigma", ["scalar", "per row"])
def test_sigma_zero_reproduces_the_deterministic_run_exactly(make, sigma):
    x0, lrs, seeds, _ = _per_row_setting()
    zero = 0.0 if sigma == "scalar" else np.zeros(len(x0))
    quiet = rc.run(make(lrs), rc.objectives.noisy(BOWL, zero, seed=seeds), x0, 150)
    plain = rc.run(make(lrs), BOWL, x0, 150)
    np.testing.assert_array_equal(quiet.positions, plain.positions)
    np.testing.assert_array_equal(quiet.grads, plain.grads)


def test_shared_seed_gives_rows_that_differ_only_in_learning_rate_the_same_noise():
    lrs = np.array([0.01, 0.02])
    f = rc.objectives.noisy(BOWL, 0.5, seed=8)
    traj = rc.run(rc.gd(lrs), f, [[1.0, 1.0], [1.0, 1.0]], 20)
    noise = traj.grads - BOWL.grad(traj.positions[:-1])
    np.testing.assert_allclose(noise[:, 0], noise[:, 1], rtol=0, atol=1e-13)


def test_noise_on_noise_adds_up():
    inner = rc.objectives.noisy(BOWL, 0.3, seed=1)
    outer = rc.objectives.noisy(inner, 0.4, seed=2)
    x = np.array([[1.0, 1.0]])
    expected = (BOWL.grad(x) + 0.3 * O.gaussian_noise(1, 5, 2)) + 0.4 * O.gaussian_noise(2, 5, 2)
    np.testing.assert_array_equal(outer.grad(x, step=5), expected)
    np.testing.assert_array_equal(outer.grad(x), BOWL.grad(x))


# --------------------------------------------------------------------------- GD's stationary variance


def test_gradient_descent_stationary_variance_matches_the_closed_form():
    r"""x_{t+1} = (1 − αλ) x_t − ασ z_t along each eigenvector, so
    Var = α²σ² / (1 − (1 − αλ)²) = ασ² / (λ (2 − αλ)). Rotated bowl, 2,000 seeds."""
    lam, alpha, sigma, seeds = np.array([1.0, 10.0]), 0.05, 0.3, 2000
    bowl = rc.objectives.quadratic(lam, angle=0.5)
    f = rc.objectives.noisy(bowl, sigma, seed=np.arange(seeds))
    burn_in, steps = 300, 1300   # 0.95^(2·300) ~ 1e-13: the transient is gone
    traj = rc.run(rc.gd(alpha), f, np.zeros((seeds, 2)), steps)
    eig = traj.positions[burn_in:] @ bowl.rotation   # eigen-coordinates R^T x, (t, seeds, 2)
    per_seed = (eig ** 2).mean(axis=0)               # time-average of each seed: independent
    estimate = per_seed.mean(axis=0)
    se = per_seed.std(axis=0, ddof=1) / np.sqrt(seeds)
    theory = alpha * sigma**2 / (lam * (2 - alpha * lam))
    assert (se < 0.03 * theory).all()                # the test can tell
    assert (np.abs(estimate - theory) < 5 * se).all(), (estimate, theory, se)


# --------------------------------------------------------------------------- runners


NOISY = rc.objectives.noisy(BOWL, 0.05, seed=np.arange(6))
STARTS6 = np.array([[-3.5, 1.5], [0.05, 1.8], [2.0, -0.5], [1.0, 1.0], [-0.3, -2.0], [3.0, 0.2]])
LRS6 = np.array([0.01, 0.02, 0.04, 0.05, 0.08, 0.09])


@pytest.mark.parametrize("make", [rc.gd, rc.rmsprop, rc.adam], ids=["gd", "rmsprop", "adam"])
def test_settle_rows_agree_with_single_runs_and_with_run(make):
    tol, budget, horizon = 1e-2, 150, 600
    s = rc.settle(make(LRS6), NOISY, STARTS6, tol, budget, horizon, block_rows=4)
    traj = rc.run(make(LRS6), NOISY, STARTS6, budget)
    assert s.first_settled.tolist() == rc.metrics.steps_to_tolerance(traj, tol).tolist()
    for i in range(6):
        one = rc.settle(make(LRS6[i]), rc.objectives.noisy(BOWL, 0.05, seed=i), STARTS6[i], tol,
                        budget, horizon)
        for field in ("steps", "status", "first_settled", "left_at", "at_horizon", "first_touch"):
            assert getattr(s, field)[i] == getattr(one, field)[0], (i, field)


def test_settle_each_equals_settle_per_tolerance_on_noise():
    tols = [1e-1, 1e-2, 3e-3]
    each = rc.settle_each(rc.rmsprop(LRS6), NOISY, STARTS6, tols, 150, 600)
    for tol, s in zip(tols, each):
        one = rc.settle(rc.rmsprop(LRS6), NOISY, STARTS6, tol, 150, 600)
        for field in ("steps", "status", "first_settled", "left_at", "at_horizon", "first_touch"):
            assert getattr(s, field).tolist() == getattr(one, field).tolist(), (tol, field)


@pytest.mark.parametrize("verify", ["all", "best"])
def test_tune_lr_on_a_noisy_objective_agrees_with_settle(verify):
    f = rc.objectives.noisy(BOWL, 0.05, seed=17)   # one seed: every rate sees the same noise
    lrs = np.geomspace(0.005, 0.1, 10)
    res = rc.tune_lr(rc.rmsprop, f, STARTS6[:3], lrs, steps=150, tol=1e-2, horizon=600, verify=verify)
    assert res.best_index is not None
    for i in np.flatnonzero(res.checked):
        s = rc.settle(rc.rmsprop(lrs[i]), f, STARTS6[:3], 1e-2, 150, 600)
        assert res.steps[i].tolist() == s.steps.tolist(), i


def test_tune_lr_with_a_noise_seed_per_start():
    """One start repeated with 8 seeds: each seed is a start, shared by every rate."""
    seeds = np.arange(40, 48)
    starts = np.tile([-3.5, 1.5], (8, 1))
    lrs = np.geomspace(0.005, 0.1, 8)
    res = rc.tune_lr(rc.rmsprop, lambda j: rc.objectives.noisy(BOWL, 0.05, seed=seeds[j]), starts,
                     lrs, steps=150, tol=1e-2, horizon=600, verify="best")
    assert res.best_index is not None
    per_seed = rc.objectives.noisy(BOWL, 0.05, seed=seeds)
    for i in np.flatnonzero(res.checked):
        s = rc.settle(rc.rmsprop(lrs[i]), per_seed, starts, 1e-2, 150, 600)
        assert res.steps[i].tolist() == s.steps.tolist(), i
    assert len(set(map(tuple, res.steps[res.checked].tolist()))) > 1
    with pytest.raises(ValueError, match="obj must be an Objective"):
        rc.tune_lr(rc.gd, "bowl", starts, lrs, 150, 1e-2)


def test_tune_grid_on_noisy_cells_agrees_with_settle():
    kappas = np.array([1.0, 20.0, 200.0])
    tols = np.array([1e-1, 1e-2])
    lrs = np.geomspace(1e-3, 1.0, 16)

    def objective(cell):   # one noise seed per cell, shared by its rates and starts
        bowls = rc.objectives.quadratic(np.stack([np.ones(cell.size), kappas[cell]], 1))
        return rc.objectives.noisy(bowls, 0.05, seed=100 + cell)

    g = rc.tune_grid(lambda lr, c: rc.rmsprop(lr), objective, 3, STARTS6[:4], lrs, 150, tols,
                     horizon=600)
    assert (g.best >= 0).all()
    for c in range(3):
        f = rc.objectives.noisy(rc.objectives.quadratic([1.0, kappas[c]]), 0.05, seed=100 + c)
        for j, tol in enumerate(tols):
            s = rc.settle(rc.rmsprop(lrs[g.best[c, j]]), f, STARTS6[:4], tol, 150, 600)
            assert g.steps[c, j].tolist() == s.steps.tolist(), (c, j)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("sigma", [-0.1, np.inf, np.nan, [0.1, -1.0], "loud", True])
def test_bad_sigma_is_refused(sigma):
    with pytest.raises(ValueError, match="sigma"):
        rc.objectives.noisy(BOWL, sigma)


@pytest.mark.parametrize("seed", [-1, 2**32, 1.5, np.nan, True, "x", [0, -3], [[1, 2]], [], None])
def test_bad_seed_is_refused(seed):
    with pytest.raises(ValueError, match="seed"):
        rc.objectives.noisy(BOWL, 0.1, seed=seed)


def test_integer_valued_seeds_are_accepted():
    a = rc.objectives.noisy(BOWL, 0.1, seed=np.array([3.0, 4.0]))
    b = rc.objectives.noisy(BOWL, 0.1, seed=np.array([3, 4], dtype=np.uint32))
    assert a.seed.tolist() == b.seed.tolist() == [3, 4]
    assert rc.objectives.noisy(BOWL, 0.1, seed=2**32 - 1).seed == 2**32 - 1


def test_noisy_needs_an_objective():
    with pytest.raises(ValueError, match="objective must be an Objective"):
        rc.objectives.noisy("bowl", 0.1)


def test_per_row_counts_must_agree():
    with pytest.raises(ValueError, match="sigma has 2 values and seed 3"):
        rc.objectives.noisy(BOWL, [0.1, 0.2], seed=[1, 2, 3])
    f = rc.objectives.noisy(BOWL, 0.1, seed=[1, 2, 3])
    with pytest.raises(ValueError, match="3 per-trajectory noise levels or seeds but there are 2"):
        rc.run(rc.gd(0.1), f, [[1.0, 1.0], [2.0, 2.0]], 5)


@pytest.mark.parametrize("step", [-1, 2**32, 0.5, True, "0"])
def test_bad_step_is_refused(step):
    f = rc.objectives.noisy(BOWL, 0.1)
    with pytest.raises(ValueError, match="step"):
        f.grad([1.0, 1.0], step=step)
    with pytest.raises(ValueError, match="step"):
        rc.objectives.gaussian_noise(0, step, 2)

"""Optimizers: closed forms on quadratics, exact equivalences, framework presets."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rmsprop_core as rc

BOWL = rc.objectives.bowl()


# --------------------------------------------------------------------------- closed forms


@settings(max_examples=40, deadline=None)
@given(
    eigenvalues=st.lists(st.floats(0.1, 10.0), min_size=2, max_size=4),
    angle=st.floats(-3.0, 3.0),
    lr=st.floats(0.01, 0.15),
    steps=st.integers(1, 30),
    seed=st.integers(0, 2**16),
)
def test_gd_multiplies_each_eigen_direction_by_one_minus_a_lambda(eigenvalues, angle, lr, steps, seed):
    q = rc.objectives.quadratic(eigenvalues, angle=angle)
    x0 = np.random.default_rng(seed).uniform(-2, 2, (3, len(eigenvalues)))
    traj = rc.run(rc.gd(lr), q, x0, steps)
    lam = np.array(eigenvalues)
    for t in (1, steps):
        z_t = (x0 @ q.rotation) * (1 - lr * lam) ** t  # eigen-coordinates R^T x
        np.testing.assert_allclose(traj.positions[t], z_t @ q.rotation.T, rtol=1e-9, atol=1e-12)


def _empirical_rate(positions, k0, k1):
    norms = np.linalg.norm(positions, axis=-1)[:, 0]
    return (norms[k1] / norms[k0]) ** (1.0 / (k1 - k0))


def test_heavy_ball_at_polyak_parameters_converges_at_sqrt_kappa_rate():
    lam_min, lam_max = 1.0, 20.0
    kappa = lam_max / lam_min
    alpha = (2.0 / (math.sqrt(lam_max) + math.sqrt(lam_min))) ** 2
    beta = ((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ** 2
    rate = (math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)
    traj = rc.run(rc.momentum(alpha, decay=beta, form="heavy_ball"), BOWL, [3.0, 1.0], steps=600)
    # At these parameters the iteration matrix has a double eigenvalue: error ~ k·rate^k,
    # so the ratio over steps 300 -> 600 is rate·2^(1/300).
    measured = _empirical_rate(traj.positions, 300, 600)
    assert measured == pytest.approx(rate * 2 ** (1 / 300), rel=2e-3)
    # ... and it beats the best constant-step GD, whose rate is (κ-1)/(κ+1)
    gd = rc.run(rc.gd(2.0 / (lam_min + lam_max)), BOWL, [3.0, 1.0], steps=600)
    gd_rate = _empirical_rate(gd.positions, 300, 600)
    assert gd_rate == pytest.approx((kappa - 1) / (kappa + 1), rel=1e-6)
    assert measured < gd_rate


@pytest.mark.parametrize("decay, multiplier", [(0.9, math.sqrt(10)), (0.99, 10.0), (0.5, math.sqrt(2))])
def test_rmsprop_first_step_is_lr_over_sqrt_one_minus_beta_times_sign(decay, multiplier):
    x0 = np.array([[2.0, 0.001], [-0.5, -1.5]])
    traj = rc.run(rc.rmsprop(0.01, decay=decay, eps=0.0), BOWL, x0, steps=1)
    np.testing.assert_allclose(traj.updates[0], -0.01 * multiplier * np.sign(x0), rtol=1e-12)


def test_adam_first_step_is_exactly_lr_times_sign():
    x0 = np.array([[2.0, 0.001], [-0.5, -1.5]])
    traj = rc.run(rc.adam(0.01, eps=0.0), BOWL, x0, steps=1)
    np.testing.assert_allclose(traj.updates[0], -0.01 * np.sign(x0), rtol=1e-12)


def test_adagrad_accumulates_a_sum_not_an_average():
    # on a 1-D quadratic with lam = 1: g0 = x0, x1 = x0 - lr·sign(x0), g1 = x1, G = x0² + x1²
    traj = rc.run(rc.adagrad(0.5, eps=0.0), rc.objectives.quadratic([1.0]), [2.0], steps=2)
    x1 = 1.5
    assert traj.positions[2, 0, 0] == pytest.approx(x1 - 0.5 * x1 / math.sqrt(4.0 + x1**2))


def test_normalized_gd_steps_have_length_lr():
    traj = rc.run(rc.normalized_gd(0.05), BOWL, [[3.0, 1.0], [-1.0, 0.2]], steps=20)
    np.testing.assert_allclose(np.linalg.norm(traj.updates, axis=-1), 0.05, rtol=1e-12)


# --------------------------------------------------------------------------- equivalences

STARTS = np.array([[3.0, 1.0], [-2.0, 0.3], [0.7, -1.9], [-3.5, -0.05]])


def test_rmsprop_with_decay_0_and_eps_0_is_sign_descent():
    a = rc.run(rc.rmsprop(0.03, decay=0.0, eps=0.0), BOWL, STARTS, steps=60)
    b = rc.run(rc.sign_descent(0.03), BOWL, STARTS, steps=60)
    np.testing.assert_array_equal(a.positions, b.positions)


def test_adam_with_b1_b2_0_and_eps_0_is_sign_descent():
    a = rc.run(rc.adam(0.03, b1=0.0, b2=0.0, eps=0.0), BOWL, STARTS, steps=60)
    b = rc.run(rc.sign_descent(0.03), BOWL, STARTS, steps=60)
    np.testing.assert_array_equal(a.positions, b.positions)


@pytest.mark.parametrize("decay", [0.5, 0.9, 0.99])
def test_ema_momentum_is_heavy_ball_with_lr_times_one_minus_beta(decay):
    lr = 0.08
    ema = rc.run(rc.momentum(lr, decay=decay, form="ema"), BOWL, STARTS, steps=150)
    hb = rc.run(rc.momentum(lr * (1 - decay), decay=decay, form="heavy_ball"), BOWL, STARTS, steps=150)
    np.testing.assert_allclose(ema.positions, hb.positions, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("eps", [0.0, 1e-8, 0.1])
def test_adam_with_b1_0_is_bias_corrected_rmsprop(eps):
    adam = rc.run(rc.adam(0.02, b1=0.0, b2=0.95, eps=eps), BOWL, STARTS, steps=100)
    rms = rc.run(rc.rmsprop(0.02, decay=0.95, eps=eps, bias_correction=True), BOWL, STARTS, steps=100)
    np.testing.assert_allclose(adam.positions, rms.positions, rtol=1e-13, atol=1e-15)


def test_rmsprop_is_not_rotation_equivariant_but_gd_and_normalized_gd_are():
    rotated = rc.objectives.get("rotated")
    r = rotated.rotation
    for make, equivariant in [(rc.gd, True), (rc.normalized_gd, True), (rc.rmsprop, False)]:
        plain = rc.run(make(0.02), BOWL, STARTS, steps=40)
        turned = rc.run(make(0.02), rotated, STARTS @ r.T, steps=40)
        back = turned.positions @ r
        assert np.allclose(back, plain.positions, atol=1e-9) == equivariant, make.__name__


# --------------------------------------------------------------------------- presets
# Each reference below is the framework's published update rule written out per scalar
# coordinate, independently of the library's transforms.


def reference_pytorch(x0, grad, lr, steps, alpha=0.99, eps=1e-8, momentum=0.0, centered=False):
    """torch.optim.RMSprop, algorithm box of its documentation."""
    theta = [float(v) for v in x0]
    v = [0.0] * len(theta)
    g_ave = [0.0] * len(theta)
    buf = [0.0] * len(theta)
    for _ in range(steps):
        g = grad(np.array(theta))
        for i in range(len(theta)):
            v[i] = alpha * v[i] + (1 - alpha) * g[i] ** 2
            v_tilde = v[i]
            if centered:
                g_ave[i] = alpha * g_ave[i] + (1 - alpha) * g[i]
                v_tilde = v_tilde - g_ave[i] ** 2
            if momentum > 0:
                buf[i] = momentum * buf[i] + g[i] / (math.sqrt(v_tilde) + eps)
                theta[i] -= lr * buf[i]
            else:
                theta[i] -= lr * g[i] / (math.sqrt(v_tilde) + eps)
    return np.array(theta)


def reference_keras(x0, grad, lr, steps, rho=0.9, eps=1e-7, momentum=0.0, centered=False):
    """keras.optimizers.RMSprop.update_step (Keras 3)."""
    var = [float(v) for v in x0]
    velocity = [0.0] * len(var)
    average_grad = [0.0] * len(var)
    mom = [0.0] * len(var)
    for _ in range(steps):
        g = grad(np.array(var))
        for i in range(len(var)):
            velocity[i] = rho * velocity[i] + (1 - rho) * g[i] ** 2
            if centered:
                average_grad[i] = rho * average_grad[i] + (1 - rho) * g[i]
                denominator = velocity[i] - average_grad[i] ** 2 + eps
            else:
                denominator = velocity[i] + eps
            increment = lr * g[i] / math.sqrt(denominator)
            if momentum > 0:
                mom[i] = momentum * mom[i] + increment
                var[i] -= mom[i]
            else:
                var[i] -= increment
    return np.array(var)


def reference_tf1(x0, grad, lr, steps, decay=0.9, eps=1e-10, momentum=0.0, centered=False):
    """tf.compat.v1.train.RMSPropOptimizer: 'rms' slot initialised to ones, ApplyRMSProp."""
    var = [float(v) for v in x0]
    ms = [1.0] * len(var)
    mg = [0.0] * len(var)
    mom = [0.0] * len(var)
    for _ in range(steps):
        g = grad(np.array(var))
        for i in range(len(var)):
            ms[i] = decay * ms[i] + (1 - decay) * g[i] * g[i]
            if centered:
                mg[i] = decay * mg[i] + (1 - decay) * g[i]
                denominator = ms[i] - mg[i] * mg[i] + eps
            else:
                denominator = ms[i] + eps
            mom[i] = momentum * mom[i] + lr * g[i] / math.sqrt(denominator)
            var[i] -= mom[i]
    return np.array(var)


def reference_course(x0, grad, lr, steps, beta=0.9, eps=1e-8):
    """Deep Learning Specialization, course 2 week 2: S = βS + (1-β)dW², W -= α dW/(√S + ε)."""
    w = [float(v) for v in x0]
    s = [0.0] * len(w)
    for _ in range(steps):
        dw = grad(np.array(w))
        for i in range(len(w)):
            s[i] = beta * s[i] + (1 - beta) * dw[i] ** 2
            w[i] -= lr * dw[i] / (math.sqrt(s[i]) + eps)
    return np.array(w)


PRESET_CASES = [
    ("course", {}, lambda x0, lr, n: reference_course(x0, BOWL.grad, lr, n)),
    ("pytorch", {}, lambda x0, lr, n: reference_pytorch(x0, BOWL.grad, lr, n)),
    ("pytorch", {"momentum": 0.9}, lambda x0, lr, n: reference_pytorch(x0, BOWL.grad, lr, n, momentum=0.9)),
    ("pytorch", {"centered": True}, lambda x0, lr, n: reference_pytorch(x0, BOWL.grad, lr, n, centered=True)),
    ("keras", {}, lambda x0, lr, n: reference_keras(x0, BOWL.grad, lr, n)),
    ("keras", {"momentum": 0.5, "centered": True},
     lambda x0, lr, n: reference_keras(x0, BOWL.grad, lr, n, momentum=0.5, centered=True)),
    ("tf1", {}, lambda x0, lr, n: reference_tf1(x0, BOWL.grad, lr, n)),
    ("tf1", {"momentum": 0.9, "centered": True},
     lambda x0, lr, n: reference_tf1(x0, BOWL.grad, lr, n, momentum=0.9, centered=True)),
]


@pytest.mark.parametrize(
    "name, overrides, reference",
    PRESET_CASES,
    ids=[f"{name}-{'-'.join(f'{k}={v}' for k, v in o.items()) or 'defaults'}" for name, o, _ in PRESET_CASES],
)
def test_preset_matches_framework_formula(name, overrides, reference):
    lr, steps = 0.01, 40
    traj = rc.run(rc.rmsprop_preset(name, lr=lr, **overrides), BOWL, STARTS, steps)
    for row, x0 in enumerate(STARTS):
        np.testing.assert_allclose(traj.positions[-1, row], reference(x0, lr, steps), rtol=1e-9, atol=1e-12)


def test_keras_preset_reproduces_the_keras_docstring_example():
    # keras.optimizers.RMSprop(learning_rate=0.1) on loss = var²/2 from var = 10 -> 9.683772
    traj = rc.run(rc.rmsprop_preset("keras", lr=0.1), rc.objectives.quadratic([1.0]), [10.0], steps=1)
    assert traj.positions[-1, 0, 0] == pytest.approx(9.683772, abs=5e-7)


def test_tf1_preset_starts_its_accumulator_at_one():
    # with S0 = 1 the first step of a tiny gradient is about lr·g, not lr·sign(g)/sqrt(1-β)
    traj = rc.run(rc.rmsprop_preset("tf1", lr=0.1), BOWL, [0.01, 0.0], steps=1)
    assert traj.updates[0, 0, 0] == pytest.approx(-0.1 * 0.01 / math.sqrt(0.9 + 0.1 * 1e-4 + 1e-10))


@pytest.mark.parametrize("name, lr", [("pytorch", 1e-2), ("keras", 1e-3)])
def test_preset_default_learning_rates(name, lr):
    assert rc.RMSPROP_PRESETS[name].default_lr == lr
    a = rc.run(rc.rmsprop_preset(name), BOWL, STARTS, 5)
    b = rc.run(rc.rmsprop_preset(name, lr=lr), BOWL, STARTS, 5)
    np.testing.assert_array_equal(a.positions, b.positions)


@pytest.mark.parametrize("name", ["course", "tf1"])
def test_presets_without_default_lr_require_one(name):
    with pytest.raises(ValueError, match="lr is required"):
        rc.rmsprop_preset(name)


def test_presets_table_is_complete_and_documented():
    assert set(rc.RMSPROP_PRESETS) == {"course", "pytorch", "keras", "tf1"}
    for name, preset in rc.RMSPROP_PRESETS.items():
        assert preset.name == name
        assert "\\" in preset.formula and preset.source and preset.label
    assert rc.RMSPROP_PRESETS["keras"].kwargs["eps_inside"] is True
    assert rc.RMSPROP_PRESETS["pytorch"].kwargs["eps_inside"] is False
    assert rc.RMSPROP_PRESETS["tf1"].kwargs["initial_scale"] == 1.0

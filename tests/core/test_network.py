"""The course's network (rmsprop_core.network) against the assignment it reproduces.

The reference below is the assignment's own code path in its own style (a dict of W1..b3,
np.dot, a loop over mini-batches), written from the public copies of ``opt_utils_v1a.py``
and the "Optimization Methods" notebook (DLS Course 2, Week 2). Published numbers are the
notebook outputs: the v1b notebook (amanchadha/coursera-deep-learning-specialization,
Week 2/Optimization_methods_v1b.ipynb) and the 2021 one (W2A1/Optimization_methods.ipynb,
e.g. aniket414/improving-deep-neural-network).
"""

import doctest
import hashlib
import math

import numpy as np
import pytest

import rmsprop_core as rc
from rmsprop_core import network as N
from rmsprop_core import schedules as S

LAYERS = [2, 5, 2, 1]


# --------------------------------------------------------------------------- the assignment


def assignment_initialize_parameters(layer_dims):
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * np.sqrt(2 / layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


def assignment_forward(X, p):
    z1 = np.dot(p["W1"], X) + p["b1"]
    a1 = np.maximum(0, z1)
    z2 = np.dot(p["W2"], a1) + p["b2"]
    a2 = np.maximum(0, z2)
    z3 = np.dot(p["W3"], a2) + p["b3"]
    a3 = 1 / (1 + np.exp(-z3))
    return a3, (a1, a2)


def assignment_backward(X, Y, a3, cache, p):
    m = X.shape[1]
    a1, a2 = cache
    dz3 = 1.0 / m * (a3 - Y)
    dW3, db3 = np.dot(dz3, a2.T), np.sum(dz3, axis=1, keepdims=True)
    dz2 = np.multiply(np.dot(p["W3"].T, dz3), np.int64(a2 > 0))
    dW2, db2 = np.dot(dz2, a1.T), np.sum(dz2, axis=1, keepdims=True)
    dz1 = np.multiply(np.dot(p["W2"].T, dz2), np.int64(a1 > 0))
    dW1, db1 = np.dot(dz1, X.T), np.sum(dz1, axis=1, keepdims=True)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}


def assignment_mini_batches(X, Y, mini_batch_size, seed):
    np.random.seed(seed)
    m = X.shape[1]
    permutation = list(np.random.permutation(m))
    shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation].reshape((1, m))
    batches = []
    full = math.floor(m / mini_batch_size)
    for k in range(full):
        batches.append((shuffled_X[:, k * mini_batch_size:(k + 1) * mini_batch_size],
                        shuffled_Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]))
    if m % mini_batch_size != 0:
        batches.append((shuffled_X[:, full * mini_batch_size:], shuffled_Y[:, full * mini_batch_size:]))
    return batches


def flatten(p):
    return np.concatenate([p[k].ravel() for k in ("W1", "b1", "W2", "b2", "W3", "b3")])


@pytest.fixture(autouse=True)
def keep_numpy_global_state():
    """The reference seeds numpy's global state, as the assignment does: put it back."""
    saved = np.random.get_state()
    yield
    np.random.set_state(saved)


@pytest.fixture(scope="module")
def data():
    return N.course_data()


@pytest.fixture(scope="module")
def net():
    return N.course_network()


# --------------------------------------------------------------------------- data


def test_course_data_checksum_and_first_points(data):
    X, Y = data
    assert X.shape == (2, 300) and Y.shape == (1, 300) and int(Y.sum()) == 150
    assert hashlib.sha256(np.round(X, 12).tobytes()).hexdigest() == \
        "3f232cda3740e141c678542cb096998a57d2786a1722f77a2db0f2df846ccf0c"
    np.testing.assert_allclose(X[:, :3].T, [[-0.21687013, 1.01544937], [0.80505015, -0.5579734],
                                           [0.71127451, -0.41006024]], atol=5e-9)
    assert Y[0, :10].tolist() == [0, 1, 1, 1, 0, 0, 1, 1, 0, 1]


def test_course_data_is_the_global_state_after_seed_3_and_leaves_it_alone():
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    X, Y = N.course_data()
    assert np.array_equal(np.random.get_state()[1], before)
    np.random.seed(3)
    Xg, yg = N.make_moons(n_samples=300, noise=0.2)        # random_state=None: the global state
    assert np.array_equal(X, Xg.T) and np.array_equal(Y[0], yg)


def test_make_moons_construction_without_noise_or_shuffle():
    X, y = N.make_moons(7, shuffle=False)
    t_out, t_in = np.linspace(0, np.pi, 3), np.linspace(0, np.pi, 4)
    np.testing.assert_array_equal(X[:3], np.column_stack([np.cos(t_out), np.sin(t_out)]))
    np.testing.assert_array_equal(X[3:], np.column_stack([1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5]))
    assert y.tolist() == [0, 0, 0, 1, 1, 1, 1] and y.dtype == np.intp


def test_make_moons_shuffles_then_adds_noise_from_one_generator():
    rs = np.random.RandomState(5)
    X, y = N.make_moons(20, noise=0.3, random_state=rs)
    X0, y0 = N.make_moons(20, shuffle=False)
    ref = np.random.RandomState(5)
    idx = np.arange(20)
    ref.shuffle(idx)
    np.testing.assert_array_equal(X, X0[idx] + ref.normal(scale=0.3, size=(20, 2)))
    np.testing.assert_array_equal(y, y0[idx])
    a, b = N.make_moons(50, noise=0.1, random_state=9), N.make_moons(50, noise=0.1, random_state=9)
    assert np.array_equal(a[0], b[0])


@pytest.mark.parametrize("kwargs, name", [
    (dict(n_samples=0), "n_samples"), (dict(n_samples=2.5), "n_samples"), (dict(n_samples=True), "n_samples"),
    (dict(noise=-0.1), "noise"), (dict(noise=float("nan")), "noise"), (dict(noise="a"), "noise"),
    (dict(random_state=-1), "random_state"), (dict(random_state=np.random.default_rng(0)), "random_state"),
    (dict(random_state=1.5), "random_state"),
])
def test_make_moons_rejects_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        N.make_moons(**kwargs)


# --------------------------------------------------------------------------- parameters


def test_initial_parameters_are_the_assignments_and_leave_the_global_state_alone():
    np.random.seed(7)
    before = np.random.get_state()[1].copy()
    x = N.initial_parameters()
    assert np.array_equal(np.random.get_state()[1], before)
    p = assignment_initialize_parameters(LAYERS)
    assert np.array_equal(x, flatten(p))
    assert x.shape == (30,) and N.parameter_count(LAYERS) == 30
    for k, v in N.unflatten(x).items():
        assert np.array_equal(v, p[k])


def test_initial_parameters_one_row_per_seed():
    rows = N.initial_parameters(seed=np.array([3, 4, 3]))
    assert rows.shape == (3, 30)
    assert np.array_equal(rows[0], N.initial_parameters(seed=3))
    assert np.array_equal(rows[1], N.initial_parameters(seed=4))
    assert np.array_equal(rows[2], rows[0])


@pytest.mark.parametrize("seed", [-1, 2**32, 1.5, True, "3", [[3]], []])
def test_initial_parameters_rejects_bad_seeds(seed):
    with pytest.raises(ValueError, match="seed"):
        N.initial_parameters(seed=seed)


@pytest.mark.parametrize("layers", [(2,), (2, 5, 2), (2, 0, 1), (2.5, 1), "ab"])
def test_bad_layers_are_rejected(layers):
    with pytest.raises(ValueError, match="layers"):
        N.initial_parameters(layers=layers)


# --------------------------------------------------------------------------- seeding


def test_epoch_permutations_are_the_assignments_seeding(net):
    for epoch in (0, 1, 2, 99, 4999):
        np.random.seed(10 + epoch + 1)                     # seed = 10; seed = seed + 1 per epoch
        assert np.array_equal(net.permutation(epoch), np.random.permutation(300))


def test_batches_of_an_epoch_and_the_short_last_one(net, data):
    X, Y = data
    assert net.steps_per_epoch == 5 and net.steps_for(3) == 15
    for epoch in (0, 7):
        batches = assignment_mini_batches(X, Y, 64, 10 + epoch + 1)
        assert [b[0].shape[1] for b in batches] == [64, 64, 64, 64, 44]
        for k, (bx, by) in enumerate(batches):
            idx = net.batch(5 * epoch + k)
            assert np.array_equal(X[:, idx], bx) and np.array_equal(Y[:, idx], by)


def test_per_row_shuffle_seeds_give_per_row_batches():
    many = N.course_network(shuffle_seed=np.array([10, 20, 10]))
    assert many.permutation(4).shape == (3, 300)
    assert np.array_equal(many.batch(6)[0], N.course_network(shuffle_seed=10).batch(6))
    assert np.array_equal(many.batch(6)[1], N.course_network(shuffle_seed=20).batch(6))
    assert np.array_equal(many.batch(6)[2], many.batch(6)[0])


# --------------------------------------------------------------------------- gradients


def central_differences(f, x, h=1e-6):
    g = np.empty_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def relative_error(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_full_batch_gradient_against_central_differences(net, seed):
    x = np.random.default_rng(seed).normal(0, 0.8, 30)
    fd = central_differences(lambda p: float(net.value(p)), x)
    assert relative_error(net.grad(x), fd) < 1e-6


@pytest.mark.parametrize("step", [0, 4, 12])           # step 4: the 44-point batch
def test_mini_batch_gradient_against_central_differences(net, step):
    x = np.random.default_rng(step).normal(0, 0.8, 30)
    size = net.batch(step).size
    fd = central_differences(lambda p: float(net.batch_cost(p, step)) / size, x)
    assert relative_error(net.grad(x, step), fd) < 1e-6


def test_gradient_is_the_assignments_backward_propagation(net, data):
    X, Y = data
    p = assignment_initialize_parameters(LAYERS)
    x = flatten(p)
    for step in (0, 4, 7):
        bx, by = assignment_mini_batches(X, Y, 64, 10 + step // 5 + 1)[step % 5]
        a3, cache = assignment_forward(bx, p)
        g = assignment_backward(bx, by, a3, cache, p)
        np.testing.assert_allclose(net.grad(x, step), flatten({k[1:]: v for k, v in g.items()}),
                                   rtol=1e-12, atol=1e-15)
    a3, cache = assignment_forward(X, p)
    g = assignment_backward(X, Y, a3, cache, p)
    np.testing.assert_allclose(net.grad(x), flatten({k[1:]: v for k, v in g.items()}), rtol=1e-12, atol=1e-15)


def test_value_is_the_mean_cross_entropy(net, data):
    X, Y = data
    x = N.initial_parameters()
    a3, _ = assignment_forward(X, assignment_initialize_parameters(LAYERS))
    expected = np.sum(-np.log(a3) * Y - np.log(1 - a3) * (1 - Y)) / 300
    assert net.value(x) == pytest.approx(expected, rel=1e-14)
    assert N.cost(x, X.T, Y[0]) == net.value(x)


def test_shapes_of_batched_and_stacked_calls(net):
    x = N.initial_parameters(seed=np.arange(6)).reshape(2, 3, 30)
    assert net.value(x).shape == (2, 3)
    assert net.grad(x).shape == net.grad(x, 3).shape == (2, 3, 30)
    np.testing.assert_array_equal(net.grad(x, 3)[1, 2], net.grad(x[1, 2], 3))
    steps = np.array([[0], [9]])                         # one step per leading row, as Trajectory.grads asks
    g = net.grad(x, steps)
    np.testing.assert_array_equal(g[0], net.grad(x[0], 0))
    np.testing.assert_array_equal(g[1], net.grad(x[1], 9))


# --------------------------------------------------------------------------- runs


def test_one_epoch_of_gd_equals_the_assignments_loop(net, data):
    X, Y = data
    lr = 0.05
    p = assignment_initialize_parameters(LAYERS)
    for bx, by in assignment_mini_batches(X, Y, 64, 11):
        a3, cache = assignment_forward(bx, p)
        grads = assignment_backward(bx, by, a3, cache, p)
        for l in range(1, 4):
            p["W" + str(l)] = p["W" + str(l)] - lr * grads["dW" + str(l)]
            p["b" + str(l)] = p["b" + str(l)] - lr * grads["db" + str(l)]
    traj = rc.run(rc.gd(lr), net, N.initial_parameters(), steps=net.steps_per_epoch)
    np.testing.assert_allclose(traj.final[0], flatten(p), rtol=1e-12, atol=1e-15)


def assignment_epochs(X, Y, optimizer, epochs, lr=0.0007, beta=0.9, beta1=0.9, beta2=0.999, eps=1e-8):
    """The assignment's model() loop: its printed cost per epoch and the final parameters."""
    p = assignment_initialize_parameters(LAYERS)
    keys = list(p)
    v = {k: np.zeros_like(p[k]) for k in keys}
    s = {k: np.zeros_like(p[k]) for k in keys}
    seed, t, costs = 10, 0, []
    for _ in range(epochs):
        seed = seed + 1
        total = 0.0
        for bx, by in assignment_mini_batches(X, Y, 64, seed):
            a3, cache = assignment_forward(bx, p)
            total += np.sum(-np.log(a3) * by - np.log(1 - a3) * (1 - by))
            g = assignment_backward(bx, by, a3, cache, p)
            t += 1
            for k in keys:
                d = g["d" + k]
                if optimizer == "gd":
                    p[k] = p[k] - lr * d
                elif optimizer == "momentum":
                    v[k] = beta * v[k] + (1 - beta) * d
                    p[k] = p[k] - lr * v[k]
                else:
                    v[k] = beta1 * v[k] + (1 - beta1) * d
                    s[k] = beta2 * s[k] + (1 - beta2) * d**2
                    vc, sc = v[k] / (1 - beta1**t), s[k] / (1 - beta2**t)
                    p[k] = p[k] - lr * vc / (np.sqrt(sc) + eps)
        costs.append(total / X.shape[1])
    return np.array(costs), flatten(p)


@pytest.mark.parametrize("name, optimizer", [("gd", rc.gd(0.0007)), ("momentum", rc.momentum(0.0007, 0.9)),
                                             ("adam", rc.adam(0.0007, 0.9, 0.999, 1e-8))])
def test_the_optimizers_are_the_assignments_update_formulas(net, data, name, optimizer):
    X, Y = data
    costs, final = assignment_epochs(X, Y, name, epochs=4)
    traj = rc.run(optimizer, net, N.initial_parameters(), steps=net.steps_for(4))
    np.testing.assert_allclose(traj.final[0], final, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(net.epoch_costs(traj.positions)[:, 0], costs, rtol=1e-12)


# The costs the notebooks print ("Cost after epoch i: ...", the mean of the epoch's mini-batch
# costs, each before its update): v1b and 2021 agree on the first 5,000 epochs.
PUBLISHED_COSTS = {
    "gd": (rc.gd(0.0007), {0: 0.702405, 1000: 0.668101}),
    "momentum": (rc.momentum(0.0007, 0.9), {0: 0.702413, 1000: 0.668167}),
    "adam": (rc.adam(0.0007), {0: 0.702166, 1000: 0.167845}),
}


@pytest.mark.parametrize("name", PUBLISHED_COSTS)
def test_the_published_costs_after_0_and_1000_epochs(net, name):
    optimizer, printed = PUBLISHED_COSTS[name]
    traj = rc.run(optimizer, net, N.initial_parameters(), steps=net.steps_for(1001))
    costs = net.epoch_costs(traj.positions)[:, 0]
    for epoch, value in printed.items():
        assert round(float(costs[epoch]), 6) == value


@pytest.mark.parametrize("label, printed", [("gd, update_lr", {0: 0.701091, 1000: 0.661884}),
                                            ("momentum, schedule_lr_decay", {0: 0.702226, 1000: 0.128974})])
def test_the_published_costs_of_the_decayed_runs(net, label, printed):
    setting = {s.label: s for s in N.COURSE_SETTINGS}[label]
    traj = rc.run(setting.make_optimizer(), net, N.initial_parameters(), steps=net.steps_for(1001))
    costs = net.epoch_costs(traj.positions)[:, 0]
    for epoch, value in printed.items():
        assert round(float(costs[epoch]), 6) == value


def test_the_assignments_decayed_rate_per_epoch():
    # model(): after epoch i the rate becomes decay(lr0, i), so epoch e runs at decay(lr0, e - 1)
    # (the notebook prints "learning rate after epoch 1000: 0.000100" for update_lr, lr0 = 0.1).
    per_epoch = S.update_lr(0.1, 1.0, steps_per_epoch=5, lag=1)
    interval = S.schedule_lr_decay(0.1, 1.0, 1000, steps_per_epoch=5, lag=1)
    for epoch in (0, 1, 2, 999, 1000, 1001, 2001, 4999):
        rate0 = 0.1 if epoch == 0 else 0.1 / (1 + 1.0 * (epoch - 1))
        rate1 = 0.1 if epoch == 0 else 0.1 / (1 + 1.0 * np.floor((epoch - 1) / 1000))
        for k in range(5):
            assert float(per_epoch(5 * epoch + k)) == pytest.approx(rate0, rel=1e-15)
            assert float(interval(5 * epoch + k)) == pytest.approx(rate1, rel=1e-15)
    assert f"{float(per_epoch(5 * 1001)):f}" == "0.000100"
    assert f"{float(interval(5 * 4001)):f}" == "0.020000"


def test_schedules_without_the_epoch_parameters_are_unchanged():
    for old, kind in ((S.update_lr(0.3, 0.25), "update_lr"), (S.schedule_lr_decay(0.3, 0.25, 10), "schedule_lr_decay")):
        assert set(old.params) <= {"lr", "decay_rate", "time_interval"} and old.kind == kind
    assert S.update_lr(0.3, 0.25).describe() == "update lr (lr = 0.3, decay_rate = 0.25)"
    plain, spelled = S.update_lr(0.3, 0.25), S.update_lr(0.3, 0.25, steps_per_epoch=1, lag=0)
    for t in range(20):
        assert float(plain(t)) == float(spelled(t)) == 0.3 / (1 + 0.25 * t)


def test_epoch_parameters_per_trajectory_and_checked():
    s = S.update_lr(0.1, 1.0, steps_per_epoch=np.array([1, 5]), lag=np.array([0, 1]))
    np.testing.assert_allclose(np.ravel(s(10)), [0.1 / 11, 0.1 / 2])
    for kwargs, name in ((dict(steps_per_epoch=0), "steps_per_epoch"), (dict(steps_per_epoch=2.5), "steps_per_epoch"),
                         (dict(lag=-1), "lag"), (dict(lag=0.5), "lag")):
        with pytest.raises(ValueError, match=name):
            S.update_lr(0.1, 1.0, **kwargs)
        with pytest.raises(ValueError, match=name):
            S.schedule_lr_decay(0.1, 1.0, 1000, **kwargs)


def test_batched_runs_equal_single_runs_per_row_seeds():
    seeds = np.array([10, 11, 12, 10])
    starts = N.initial_parameters(seed=np.array([3, 4, 5, 6]))
    many = N.course_network(shuffle_seed=seeds)
    for opt in (rc.adam(0.01), rc.rmsprop(0.005)):
        batched = rc.run(opt, many, starts, steps=23, block_rows=3)   # two blocks: restricted seeds
        for i, s in enumerate(seeds):
            single = rc.run(opt, N.course_network(shuffle_seed=int(s)), starts[i], steps=23)
            np.testing.assert_array_equal(batched.positions[:, i], single.positions[:, 0])


def test_batched_runs_equal_single_runs_shared_seed(net):
    starts = N.initial_parameters(seed=np.arange(5))
    batched = rc.run(rc.momentum(0.05), net, starts, steps=12)
    for i in range(5):
        single = rc.run(rc.momentum(0.05), net, starts[i], steps=12)
        np.testing.assert_array_equal(batched.positions[:, i], single.positions[:, 0])
        assert np.array_equal(batched.loss[:, i], single.loss[:, 0])


def test_record_loss_is_the_full_data_cost_per_step(net):
    starts = N.initial_parameters(seed=np.arange(4))
    full = rc.run(rc.adam(0.01), net, starts, steps=net.steps_for(3))
    lean = rc.run(rc.adam(0.01), net, starts, steps=net.steps_for(3), record="loss")
    assert lean.positions is None and lean.loss.shape == (16, 4)
    np.testing.assert_array_equal(lean.loss, full.loss)
    np.testing.assert_array_equal(lean.final, full.final)
    np.testing.assert_array_equal(lean.loss[::net.steps_per_epoch][1], net.value(full.positions[5]))


def test_trajectory_grads_recompute_the_mini_batch_gradients():
    many = N.course_network(shuffle_seed=np.array([10, 30]))
    traj = rc.run(rc.gd(0.1), many, N.initial_parameters(seed=np.array([3, 4])), steps=8)
    for t in (0, 5, 7):
        np.testing.assert_array_equal(traj.grads[t], many.grad(traj.positions[t], t))
    np.testing.assert_allclose(traj.updates, -0.1 * traj.grads, rtol=0, atol=1e-15)   # x_{t+1} - x_t rounds


# --------------------------------------------------------------------------- metrics


def test_accuracy_is_the_assignments_predict(data):
    X, Y = data
    rng = np.random.default_rng(4)
    for x in rng.normal(0, 1.0, (3, 30)):
        a3, _ = assignment_forward(X, N.unflatten(x))
        expected = 100 * np.mean((a3 > 0.5)[0] == Y[0])
        assert N.accuracy(x, X.T, Y[0]) == pytest.approx(expected)
    many = rng.normal(0, 1.0, (2, 4, 30))
    assert N.accuracy(many, X.T, Y[0]).shape == (2, 4)


def test_probabilities_and_decision_grid(data):
    X, Y = data
    x = N.initial_parameters()
    a3, _ = assignment_forward(X, N.unflatten(x))
    np.testing.assert_allclose(N.probabilities(x, X.T), a3[0], rtol=1e-13)
    xs, ys, P = N.decision_grid(np.stack([x, x]), n=5)
    np.testing.assert_array_equal(xs, np.linspace(-1.5, 2.5, 5))
    np.testing.assert_array_equal(ys, np.linspace(-1.0, 1.5, 5))
    assert P.shape == (2, 5, 5)
    np.testing.assert_allclose(P[0, 3, 1], N.probabilities(x, [[xs[1], ys[3]]])[0], rtol=1e-14)


def test_course_settings_table():
    assert len(N.COURSE_SETTINGS) == 10
    by_label = {s.label: s for s in N.COURSE_SETTINGS}
    assert by_label["gd (v1b)"].accuracy == pytest.approx(79.6666666667)
    assert by_label["adam (v1b)"].epochs == 10_000 and by_label["adam"].accuracy is None
    assert {s.decay for s in N.COURSE_SETTINGS} == {None, "update_lr", "schedule_lr_decay"}


# --------------------------------------------------------------------------- checks


def test_bad_points_and_steps_are_rejected(net):
    with pytest.raises(ValueError, match="shape"):
        net.value(np.zeros(29))
    with pytest.raises(ValueError, match="shape"):
        net.grad(np.zeros((3, 31)), 0)
    with pytest.raises(ValueError, match="step"):
        net.grad(np.zeros(30), -1)
    with pytest.raises(ValueError, match="step"):
        net.batch(1.5)
    with pytest.raises(ValueError, match="epoch"):
        net.permutation(-1)
    with pytest.raises(ValueError, match="indices"):
        net.grad_on(np.zeros(30), [300])
    with pytest.raises(ValueError, match="positions"):
        net.epoch_costs(np.zeros((6, 30)))


@pytest.mark.parametrize("seed", [-1, 2**32, 0.5, True, [[1, 2]], [], ["a"]])
def test_bad_shuffle_seeds_are_rejected(seed):
    with pytest.raises(ValueError, match="shuffle_seed"):
        N.course_network(shuffle_seed=seed)


def test_bad_network_arguments_are_rejected(data):
    X, Y = data
    with pytest.raises(ValueError, match="batch_size"):
        N.course_network(batch_size=0)
    with pytest.raises(ValueError, match="X must"):
        N.Network(X, Y[0])                                  # the assignment's (2, m) layout
    with pytest.raises(ValueError, match="y must"):
        N.Network(X.T, Y[0][:10])
    with pytest.raises(ValueError, match="y must"):
        N.Network(X.T, Y[0] * 2)


def test_per_row_seeds_need_that_many_rows():
    many = N.course_network(shuffle_seed=np.arange(3))
    with pytest.raises(ValueError, match="3"):
        many.grad(np.zeros((2, 30)), 0)
    with pytest.raises(ValueError, match="shuffle seeds"):
        rc.run(rc.gd(0.1), many, np.zeros((4, 30)), steps=2)


def test_seed_plus_epoch_must_stay_a_numpy_seed():
    edge = N.course_network(shuffle_seed=2**32 - 3)
    edge.grad(np.zeros(30), 5)                             # epoch 1: seed 2**32 - 1
    with pytest.raises(ValueError, match="2\\*\\*32"):
        edge.grad(np.zeros(30), 10)


def test_the_callers_data_is_neither_aliased_nor_frozen(data):
    X, Y = data
    points = X.T.copy()
    net = N.Network(points, Y[0])
    points[0, 0] = 99.0
    assert net.X[0, 0] != 99.0 and points.flags.writeable


def test_network_docstring_examples_run():
    # tests/core/test_doctests.py lists the core modules it runs; this one runs here.
    result = doctest.testmod(N, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0

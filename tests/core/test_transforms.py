"""Every transform: pure, finite, shape-preserving; the learning rate lives in one place."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import rmsprop_core as rc
from rmsprop_core import transforms as T

TRANSFORMS = {
    "scale_by_rms": lambda: T.scale_by_rms(),
    "scale_by_rms-eps_inside-bias": lambda: T.scale_by_rms(eps_inside=True, bias_correction=True),
    "scale_by_rms-eps0": lambda: T.scale_by_rms(eps=0.0),
    "scale_by_rms-tf1": lambda: T.scale_by_rms(decay=0.9, eps=1e-10, eps_inside=True, initial_scale=1.0),
    "scale_by_stddev": lambda: T.scale_by_stddev(),
    "scale_by_stddev-eps0": lambda: T.scale_by_stddev(eps=0.0),
    "scale_by_stddev-eps_inside-bias": lambda: T.scale_by_stddev(eps_inside=True, bias_correction=True),
    "scale_by_adam": lambda: T.scale_by_adam(),
    "scale_by_adam-eps0-nobias": lambda: T.scale_by_adam(eps=0.0, bias_correction=False),
    "scale_by_rss": lambda: T.scale_by_rss(),
    "trace-ema": lambda: T.trace(0.9, "ema"),
    "trace-heavy_ball": lambda: T.trace(0.9, "heavy_ball"),
    "scale_by_sign": T.scale_by_sign,
    "normalize_by_norm": lambda: T.normalize_by_norm(),
    "scale_by_learning_rate": lambda: T.scale_by_learning_rate(0.1),
    "identity": T.identity,
    "chain": lambda: T.chain(T.scale_by_rms(), T.trace(0.5, "heavy_ball"), T.scale_by_learning_rate(0.1)),
}

grads_strategy = hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=6),
    elements=st.one_of(st.just(0.0), st.floats(-1e6, 1e6), st.floats(-1e-6, 1e-6)),
)


def _copy_tree(state):
    if isinstance(state, np.ndarray):
        return state.copy()
    if isinstance(state, tuple):
        items = [_copy_tree(s) for s in state]
        return type(state)(*items) if hasattr(state, "_fields") else tuple(items)
    return state


def _assert_tree_equal(a, b):
    if isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b)
    elif isinstance(a, tuple):
        assert type(a) is type(b)
        for x, y in zip(a, b):
            _assert_tree_equal(x, y)
    else:
        assert a == b


@pytest.mark.parametrize("name", TRANSFORMS)
@settings(max_examples=30, deadline=None)
@given(grads=grads_strategy)
def test_transform_is_finite_shape_preserving_and_pure(name, grads):
    t = TRANSFORMS[name]()
    params = grads * 0.5
    state = t.init(params)
    for _ in range(3):
        grads_before, params_before, state_before = grads.copy(), params.copy(), _copy_tree(state)
        updates, new_state = t.update(grads, state, params)
        assert updates.shape == grads.shape
        assert np.all(np.isfinite(updates))
        # nothing the caller passed in was modified
        np.testing.assert_array_equal(grads, grads_before)
        np.testing.assert_array_equal(params, params_before)
        _assert_tree_equal(state, state_before)
        state = new_state


@pytest.mark.parametrize("name", [n for n in TRANSFORMS if n != "scale_by_learning_rate"])
def test_only_the_learning_rate_transform_flips_the_sign(name):
    # every other transform keeps the sign of a fresh gradient on its first step
    g = np.array([[2.0, -3.0, 0.5]])
    u, _ = TRANSFORMS[name]().update(g, TRANSFORMS[name]().init(g), g)
    if name == "chain":
        assert np.all(np.sign(u) == -np.sign(g))
    else:
        assert np.all(np.sign(u) == np.sign(g))


OPTIMIZERS = {
    "gd": rc.gd,
    "momentum-ema": lambda lr: rc.momentum(lr, 0.9, "ema"),
    "momentum-heavy_ball": lambda lr: rc.momentum(lr, 0.9, "heavy_ball"),
    "rmsprop": rc.rmsprop,
    "rmsprop-all-options": lambda lr: rc.rmsprop(lr, eps_inside=True, initial_scale=1.0,
                                                 bias_correction=True, momentum=0.9, centered=True),
    "adam": rc.adam,
    "adagrad": rc.adagrad,
    "normalized_gd": rc.normalized_gd,
    "sign_descent": rc.sign_descent,
}


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizer_ends_with_the_learning_rate(name):
    # lr is a final scaling by -lr: doubling lr doubles (and negates) the whole update
    g = np.array([[2.0, -3.0], [0.1, 0.0]])
    u1, _ = OPTIMIZERS[name](0.1).update(g, OPTIMIZERS[name](0.1).init(g), g)
    u2, _ = OPTIMIZERS[name](0.2).update(g, OPTIMIZERS[name](0.2).init(g), g)
    np.testing.assert_allclose(u2, 2 * u1, rtol=1e-15)
    assert np.all(u1 * g <= 0)  # a descent direction, coordinate by coordinate, on step one


def test_states_are_small_namedtuples():
    g = np.ones((2, 2))
    assert T.scale_by_rms().init(g)._fields == ("nu", "count")
    assert T.scale_by_adam().init(g)._fields == ("mu", "nu", "count")
    assert T.trace().init(g)._fields == ("trace",)
    assert T.scale_by_stddev().init(g)._fields == ("mu", "nu", "count")


def test_per_row_hyperparameters_equal_separate_scalar_transforms(rng):
    g = rng.normal(size=(3, 2))
    decays = np.array([0.0, 0.5, 0.9])
    batched = T.scale_by_rms(decay=decays, eps=[1e-8, 0.1, 0.0])
    ub, sb = batched.update(g, batched.init(g))
    ub, sb = batched.update(2 * g, sb)
    for i, (decay, eps) in enumerate(zip(decays, [1e-8, 0.1, 0.0])):
        single = T.scale_by_rms(decay=decay, eps=eps)
        u, s = single.update(g[i : i + 1], single.init(g[i : i + 1]))
        u, s = single.update(2 * g[i : i + 1], s)
        np.testing.assert_array_equal(ub[i : i + 1], u)


def test_for_rows_slices_per_trajectory_hyperparameters():
    opt = rc.rmsprop(lr=np.array([0.1, 0.2, 0.3, 0.4]), decay=0.9)
    part = T.restrict(opt, 4, slice(1, 3))
    g = np.ones((2, 1))
    u, _ = part.update(g, part.init(g))
    np.testing.assert_allclose(u[:, 0], -np.array([0.2, 0.3]) / (np.sqrt(0.1) + 1e-8))


def test_for_rows_rejects_a_wrong_number_of_values():
    opt = rc.gd(lr=np.array([0.1, 0.2, 0.3]))
    with pytest.raises(ValueError, match="lr has 3 values but there are 4 trajectories"):
        T.restrict(opt, 4, slice(0, 4))


def test_zero_denominator_gives_zero_update_not_nan():
    g = np.array([[0.0, 1.0]])
    for t in (T.scale_by_rms(eps=0.0), T.scale_by_adam(eps=0.0), T.scale_by_stddev(eps=0.0),
              T.scale_by_rss(eps=0.0), T.normalize_by_norm()):
        u, _ = t.update(g, t.init(g))
        assert u[0, 0] == 0.0 and np.isfinite(u).all()
    u, _ = T.normalize_by_norm().update(np.zeros((1, 2)), T.EmptyState())
    np.testing.assert_array_equal(u, 0.0)


def test_chain_rejects_non_transforms():
    with pytest.raises(ValueError, match="GradientTransformation"):
        T.chain(T.scale_by_sign(), lambda g: g)
    with pytest.raises(ValueError, match="at least one"):
        T.chain()

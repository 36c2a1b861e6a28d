"""direction_with_length_of: one method's direction at another's step length (the ablation)."""

import numpy as np
import pytest

import rmsprop_core as rc
from rmsprop_core import transforms as T


def starts_in_view(obj, n, rng):
    """n random points inside the middle of the objective's view box."""
    (x0, x1), (y0, y1) = obj.view
    return np.column_stack([rng.uniform(0.8 * x0, 0.8 * x1, n), rng.uniform(0.8 * y0, 0.8 * y1, n)])


def _rms():
    return T.scale_by_rms(decay=0.9, eps=1e-8)


@pytest.mark.parametrize("fn", ["bowl", "rotated", "rosenbrock", "two-wells"])
def test_same_direction_and_length_is_the_method_itself(fn, rng):
    obj = rc.objectives.get(fn)
    x0 = starts_in_view(obj, 5, rng)
    for inner, whole in [(T.identity, lambda lr: rc.gd(lr)),
                         (_rms, lambda lr: rc.rmsprop(lr, decay=0.9, eps=1e-8))]:
        swapped = rc.direction_with_length_of(0.01, inner(), inner())
        a = rc.run(swapped, obj, x0, 40).positions
        b = rc.run(whole(0.01), obj, x0, 40).positions
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_direction_of_one_length_of_the_other(rng):
    obj = rc.objectives.get("rotated")
    x0 = starts_in_view(obj, 6, rng)
    lr = 0.02
    gd = rc.run(rc.gd(lr), obj, x0, 1).updates[0]
    rms = rc.run(rc.rmsprop(lr, decay=0.9, eps=1e-8), obj, x0, 1).updates[0]
    mixed = rc.run(rc.direction_with_length_of(lr, T.identity(), _rms()), obj, x0, 1).updates[0]
    # length of RMSprop's step ...
    np.testing.assert_allclose(np.linalg.norm(mixed, axis=1), np.linalg.norm(rms, axis=1), rtol=1e-12)
    # ... pointing along gradient descent's step
    cos = np.einsum("ij,ij->i", mixed, gd) / np.linalg.norm(mixed, axis=1) / np.linalg.norm(gd, axis=1)
    np.testing.assert_allclose(cos, 1.0, rtol=1e-12)
    # and the other way round
    other = rc.run(rc.direction_with_length_of(lr, _rms(), T.identity()), obj, x0, 1).updates[0]
    np.testing.assert_allclose(np.linalg.norm(other, axis=1), np.linalg.norm(gd, axis=1), rtol=1e-12)
    cos = np.einsum("ij,ij->i", other, rms) / np.linalg.norm(other, axis=1) / np.linalg.norm(rms, axis=1)
    np.testing.assert_allclose(cos, 1.0, rtol=1e-12)


def test_gd_direction_with_constant_length_is_normalised_gd(rng):
    # sign(g) has length sqrt(d) wherever no coordinate is 0: normalised GD with lr*sqrt(2).
    obj = rc.objectives.get("rotated")
    x0 = starts_in_view(obj, 4, rng)
    a = rc.run(rc.direction_with_length_of(0.05, T.identity(), T.scale_by_sign()), obj, x0, 30).positions
    b = rc.run(rc.normalized_gd(0.05 * np.sqrt(2)), obj, x0, 30).positions
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_state_is_the_pair_and_update_is_pure():
    t = T.direction_with_length_of(_rms(), T.identity())
    g = np.array([[2.0, -1.0], [0.5, 0.0]])
    state = t.init(g)
    assert isinstance(state, tuple) and len(state) == 2
    g_copy = g.copy()
    u1, s1 = t.update(g, state)
    u2, _ = t.update(g, state)
    np.testing.assert_array_equal(g, g_copy)
    np.testing.assert_array_equal(u1, u2)  # the old state was not mutated
    assert s1[0].count == 1 and state[0].count == 0


def test_zero_direction_gives_zero_update():
    t = T.direction_with_length_of(T.identity(), T.scale_by_sign())
    u, _ = t.update(np.zeros((2, 3)), t.init(np.zeros((2, 3))))
    assert np.all(u == 0) and np.all(np.isfinite(u))


def test_per_trajectory_hyperparameters_batch_like_separate_runs(rng):
    obj = rc.objectives.get("bowl")
    x0 = starts_in_view(obj, 3, rng)
    lrs = np.array([0.01, 0.03, 0.1])
    decays = np.array([0.5, 0.9, 0.99])
    batched = rc.run(
        rc.direction_with_length_of(lrs, T.identity(), T.scale_by_rms(decay=decays)),
        obj, x0, 25, block_rows=2,
    ).positions
    for i in range(3):
        alone = rc.run(
            rc.direction_with_length_of(lrs[i], T.identity(), T.scale_by_rms(decay=decays[i])),
            obj, x0[i], 25,
        ).positions[:, 0]
        np.testing.assert_allclose(batched[:, i], alone, rtol=1e-12)


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError, match="direction"):
        T.direction_with_length_of("gd", T.identity())
    with pytest.raises(ValueError, match="length"):
        T.direction_with_length_of(T.identity(), rc.gd)
    with pytest.raises(ValueError, match="lr"):
        rc.direction_with_length_of(-1.0, T.identity(), T.identity())

"""The constant-gradient plane: exact gradients, clear errors, and the RMSprop multiplier it isolates."""
import math

import numpy as np
import pytest

import rmsprop_core as rc


def test_gradient_is_constant_everywhere():
    plane = rc.objectives.linear([2.0, -0.5])
    x = np.random.default_rng(0).normal(size=(7, 2)) * 100
    assert np.array_equal(plane.grad(x), np.tile([2.0, -0.5], (7, 1)))
    assert np.allclose(plane.value(x), x @ np.array([2.0, -0.5]))
    assert plane.min_value == -math.inf and plane.dim == 2


@pytest.mark.parametrize("bad", [[], [[1.0]], [1.0, float("nan")]])
def test_bad_slope_is_a_value_error(bad):
    with pytest.raises(ValueError, match="slope"):
        rc.objectives.linear(bad)


def test_rmsprop_on_a_plane_follows_the_bias_formula():
    # S_t = (1 - β^t) g², so the step is α / sqrt(1 - β^t) per coordinate (ε = 0).
    beta, lr, steps = 0.99, 0.1, 20
    traj = rc.run(rc.rmsprop(lr, decay=beta, eps=0.0), rc.objectives.linear([3.0, 1e-4]), [0.0, 0.0], steps)
    t = np.arange(1, steps + 1)
    expected = lr / np.sqrt(1 - beta**t)
    assert np.allclose(-traj.updates[:, 0, 0], expected, rtol=1e-12)
    assert np.allclose(-traj.updates[:, 0, 1], expected, rtol=1e-12)

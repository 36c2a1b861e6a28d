"""Objectives: analytic gradients, minima, shapes and the registry."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rmsprop_core as rc
from tests.core.helpers import OBJECTIVE_IDS, starts_in_view


def central_difference(f, x, h=1e-6):
    grad = np.zeros_like(x)
    for i in range(x.shape[-1]):
        e = np.zeros(x.shape[-1])
        e[i] = h
        grad[..., i] = (f(x + e) - f(x - e)) / (2 * h)
    return grad


def test_registry_ids_in_contract_order():
    assert rc.objectives.ids() == ("bowl", "rotated", "rosenbrock", "beale", "saddle", "two-wells")


@pytest.mark.parametrize("obj_id", OBJECTIVE_IDS)
def test_get_returns_objective_with_that_id(obj_id):
    obj = rc.objectives.get(obj_id)
    assert obj.id == obj_id
    assert isinstance(obj.name, str) and obj.name
    assert obj.dim == 2
    (x0, x1), (y0, y1) = obj.view
    assert x0 < x1 and y0 < y1


def test_unknown_id_is_a_value_error_listing_the_ids():
    with pytest.raises(ValueError, match="two-wells"):
        rc.objectives.get("bowl2")


@pytest.mark.parametrize("obj_id", OBJECTIVE_IDS)
def test_analytic_gradient_matches_finite_differences(obj_id, rng):
    obj = rc.objectives.get(obj_id)
    x = starts_in_view(obj, 50, rng)
    numeric = central_difference(obj.value, x)
    scale = np.maximum(1.0, np.abs(numeric))
    np.testing.assert_allclose(obj.grad(x) / scale, numeric / scale, atol=2e-6)


@pytest.mark.parametrize("obj_id", OBJECTIVE_IDS)
def test_minimum_has_zero_gradient_and_min_value(obj_id):
    obj = rc.objectives.get(obj_id)
    assert obj.minimum.shape == (2,)
    np.testing.assert_allclose(obj.grad(obj.minimum), 0.0, atol=1e-9)
    assert obj.value(obj.minimum) == pytest.approx(obj.min_value, abs=1e-12)


@pytest.mark.parametrize("obj_id", [i for i in OBJECTIVE_IDS if i != "saddle"])
def test_minimum_is_lowest_point_in_view(obj_id):
    obj = rc.objectives.get(obj_id)
    (x0, x1), (y0, y1) = obj.view
    gx, gy = np.meshgrid(np.linspace(x0, x1, 301), np.linspace(y0, y1, 301))
    values = obj.value(np.stack([gx, gy], axis=-1))
    assert values.min() >= obj.min_value - 1e-9


def test_two_wells_global_minimum_is_in_the_deeper_left_well():
    obj = rc.objectives.get("two-wells")
    assert -1.0 < obj.minimum[0] < -0.8 and obj.minimum[1] == 0.0
    right_well = np.array([0.9, 0.0])
    assert obj.value(right_well) > obj.min_value


@pytest.mark.parametrize("obj_id", OBJECTIVE_IDS)
def test_shapes_single_point_batch_and_grid(obj_id):
    obj = rc.objectives.get(obj_id)
    assert isinstance(obj.value([0.3, -0.2]), float)
    assert obj.grad([0.3, -0.2]).shape == (2,)
    assert obj.value(np.zeros((5, 2))).shape == (5,)
    assert obj.grad(np.zeros((5, 2))).shape == (5, 2)
    assert obj.value(np.zeros((4, 3, 2))).shape == (4, 3)


@pytest.mark.parametrize("obj_id", OBJECTIVE_IDS)
def test_wrong_dimension_is_a_value_error(obj_id):
    with pytest.raises(ValueError, match="shape"):
        rc.objectives.get(obj_id).grad(np.zeros((3, 3)))


def test_bowl_is_the_course_bowl():
    bowl = rc.objectives.bowl()
    assert bowl.id == "bowl"
    np.testing.assert_array_equal(bowl.eigenvalues, [1.0, 20.0])
    assert bowl.value([2.0, 1.0]) == pytest.approx(0.5 * (4.0 + 20.0))
    np.testing.assert_array_equal(bowl.grad([2.0, 1.0]), [2.0, 20.0])


def test_rotated_default_angle_is_a_quarter_turn():
    rot = rc.objectives.get("rotated")
    assert rot.angle == pytest.approx(math.pi / 4)
    np.testing.assert_allclose(np.linalg.eigvalsh(rot.hessian), [1.0, 20.0])


@settings(max_examples=40, deadline=None)
@given(
    eigenvalues=st.lists(st.floats(0.1, 50.0), min_size=2, max_size=5),
    angle=st.floats(-math.pi, math.pi),
    point=st.lists(st.floats(-5, 5), min_size=5, max_size=5),
)
def test_quadratic_matches_its_definition(eigenvalues, angle, point):
    q = rc.objectives.quadratic(eigenvalues, angle=angle)
    d = len(eigenvalues)
    x = np.array(point[:d])
    c, s = math.cos(angle), math.sin(angle)
    r = np.eye(d)
    r[:2, :2] = [[c, -s], [s, c]]
    z = r.T @ x
    expected = 0.5 * sum(lam * zi * zi for lam, zi in zip(eigenvalues, z))
    assert q.value(x) == pytest.approx(expected, rel=1e-10, abs=1e-12)
    np.testing.assert_allclose(q.grad(x), r @ (np.array(eigenvalues) * z), rtol=1e-10, atol=1e-10)


def test_quadratic_in_higher_dimension_and_one_dimension():
    q = rc.objectives.quadratic([1.0, 2.0, 3.0, 4.0], angle=0.3)
    assert q.dim == 4 and q.grad(np.ones((7, 4))).shape == (7, 4)
    q1 = rc.objectives.quadratic([2.0])
    assert q1.value([3.0]) == pytest.approx(9.0)


def test_quadratic_angle_needs_two_axes():
    with pytest.raises(ValueError, match="angle"):
        rc.objectives.quadratic([1.0], angle=0.5)

"""The dimension table (gen/when_rmsprop_helps/tab_dimension.py): its numbers are the runs' numbers, gradient
descent is rotation-equivariant, no tuned rate sits at a grid edge, and the verdict says what
was measured. One build (the module's cached compute) serves every test."""
from __future__ import annotations

import numpy as np
import pytest

import rmsprop_core as rc
from gen import registry
from gen import settings as S
from gen.when_rmsprop_helps import tab_dimension as T


@pytest.fixture(scope="module")
def spec():
    return T.build()


def test_registered():
    assert "gen.when_rmsprop_helps.tab_dimension" in registry.MODULES
    assert registry.namespace("gen.when_rmsprop_helps.tab_dimension") == "dimension"


def test_table_has_a_row_per_dimension_and_bowl(spec):
    rows = [line for line in spec.markdown.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) == len(T.DIMS) * len(T.BOWLS)
    assert spec.id == "tab-dimension"
    for name in ("verdict", "budget", "horizon", "tol", "rmsprop_ratio_1000_aligned",
                 "rmsprop_ratio_1000_rotated", "rho_diag_1000_rotated"):
        assert spec.numbers[name]
    assert f"within {spec.numbers['budget']} steps" in spec.markdown
    assert f"until step {spec.numbers['horizon']}" in spec.markdown


def test_starts_have_unit_loss_on_both_bowls():
    for d in T.DIMS:
        for rotated in (False, True):
            assert np.allclose(T.bowl(d, rotated).value(T.starts(d, rotated)), 1.0)


def test_kronecker_rotation_is_a_dense_rotation_of_the_same_spectrum():
    obj = T.bowl(1000, True)
    x = T.starts(1000, True)
    assert np.allclose(obj.grad(x), x @ obj.hessian, atol=1e-12)
    r = obj.rotation
    assert np.allclose(r.T @ r, np.eye(1000), atol=1e-10)
    assert np.allclose((r * T.eigenvalues(1000)) @ r.T, obj.hessian)
    # its diagonal concentration is close to a Haar rotation's (and far below the aligned 1)
    haar = rc.objectives.quadratic(T.eigenvalues(1000), rotation="random", seed=0).hessian
    rho_haar = np.abs(np.diag(haar)).sum() / np.abs(haar).sum()
    assert T.cell(1000, "rotated")["rho_diag"] < 1.5 * rho_haar


def test_a_cell_recomputed_independently():
    """RMSprop on the rotated d = 100 bowl at its tuned rate: rc.settle gives the table's counts."""
    m = T.cell(100, "rotated")["methods"]["rmsprop"]
    s = rc.settle(S.METHODS["rmsprop"].make(m["lr"]), T.bowl(100, True), T.starts(100, True),
                  T.TOL, T.BUDGET, T.HORIZON)
    assert s.steps.tolist() == m["counts"].tolist()
    gd = T.cell(100, "rotated")["methods"]["gd"]["median"]
    assert T.ratio_text(m) == T.fmt(np.median(s.steps) / gd, 2)


@pytest.mark.parametrize("d", T.DIMS)
def test_gradient_descent_is_rotation_equivariant(d):
    aligned = T.cell(d, "aligned")["methods"]["gd"]
    rotated = T.cell(d, "rotated")["methods"]["gd"]
    assert aligned["counts"].tolist() == rotated["counts"].tolist()
    assert aligned["median"] == rotated["median"]


def test_no_tuned_rate_at_a_grid_edge(spec):
    for row in T.compute()["rows"]:
        for key, m in row["methods"].items():
            assert m["lr"] is not None, (row["d"], row["bowl"], key)
            assert m["edge"] not in ("grid-low", "grid-high"), (row["d"], row["bowl"], key)
    assert spec.numbers["rates_at_grid_edge"] == "0"


def test_verdict_says_what_was_measured(spec):
    same = max(T.AS_SAME, T.compute()["floor"])
    for key in ("rmsprop", "sign", "adam"):
        for bowl in T.BOWLS:
            ratios = {r["d"]: r["methods"][key]["ratio"] for r in T.compute()["rows"] if r["bowl"] == bowl}
            won = [d for d, q in ratios.items() if q is not None and q < 1 - same]
            assert T.wins(key, bowl) == won
            phrase = spec.numbers[f"{key}_wins_{bowl}"]
            if len(won) == len(T.DIMS):
                assert phrase.startswith("in every dimension tested")
            elif not won:
                assert phrase.startswith("in no dimension tested")
            else:
                assert phrase.startswith(f"at d = {T._dims_text(won)} only")
            assert phrase in spec.numbers["verdict"]


def test_balles_condition_is_the_aligned_bowls_and_fails_rotated_in_high_dimension():
    rows = T.compute()["rows"]
    for r in rows:
        if r["bowl"] == "aligned":
            assert r["rho_diag"] == pytest.approx(1.0)
        elif r["d"] >= 100:
            assert r["bound_ratio"] < 1 and r["rho_diag"] < 0.2
    rotated = [r["rho_diag"] for r in rows if r["bowl"] == "rotated"]
    assert rotated == sorted(rotated, reverse=True)      # falls as d grows

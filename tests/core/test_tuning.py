"""tune_lr: one batched run, the same answer as tuning each learning rate separately."""

import numpy as np
import pytest

import rmsprop_core as rc

BOWL = rc.objectives.bowl()
STARTS = np.array([[3.0, 1.0], [-2.0, 0.5], [1.0, -1.5]])
LRS = np.geomspace(0.003, 0.03, 7)


@pytest.mark.parametrize("criterion", ["mean", "median", "max"])
def test_tune_lr_matches_separate_horizon_checked_runs(criterion):
    make = lambda lr: rc.rmsprop(lr, decay=0.9)
    res = rc.tune_lr(make, BOWL, STARTS, LRS, steps=300, tol=1e-3, criterion=criterion)
    assert res.lrs.tolist() == LRS.tolist()
    assert res.steps.shape == (7, 3) and res.score.shape == (7,)
    assert res.checked.all() and res.horizon == 10_000
    reduce = {"mean": np.mean, "median": np.median, "max": np.max}[criterion]
    for i, lr in enumerate(LRS):
        s = rc.settle(make(float(lr)), BOWL, STARTS, tol=1e-3, budget=300, horizon=res.horizon)
        assert res.steps[i].tolist() == s.steps.tolist()
        assert res.status[i].tolist() == s.status.tolist()
        assert res.score[i] == reduce(np.where(s.steps < 0, 301, s.steps))
    assert res.best_score == res.score.min()
    assert res.best_lr == LRS[np.argmin(res.score)]
    assert "stays within 0.001" in res.criterion and "301 steps" in res.criterion
    assert "until step 10,000" in res.criterion


def test_a_rate_that_leaves_the_tolerance_later_is_not_picked():
    """Adam on the course bowl: fast rates settle within 300 steps, then leave again."""
    lrs = np.geomspace(0.003, 0.3, 13)
    res = rc.tune_lr(rc.adam, BOWL, [[-3.5, 1.5], [0.05, 1.8]], lrs, steps=300, tol=1e-3,
                     horizon=20_000)
    assert (res.status == "left").any()
    assert res.best_lr is None          # no constant rate keeps Adam within 1e-3
    assert np.isnan(res.converged).sum() == 0 and (res.converged == 0).all()


@pytest.mark.parametrize("criterion", ["mean", "max"])
def test_lazy_verification_finds_the_same_best_rate(criterion):
    for make in (rc.gd, lambda lr: rc.rmsprop(lr, decay=0.9), rc.normalized_gd):
        lrs = np.geomspace(1e-3, 0.3, 25)
        full = rc.tune_lr(make, BOWL, STARTS, lrs, 200, 1e-3, criterion, verify="all")
        lazy = rc.tune_lr(make, BOWL, STARTS, lrs, 200, 1e-3, criterion, verify="best")
        assert (lazy.best_lr, lazy.best_score, lazy.edge) == (full.best_lr, full.best_score, full.edge)
        assert lazy.checked.sum() <= full.checked.sum()


def test_edges_are_reported():
    small = rc.tune_lr(rc.gd, BOWL, STARTS, np.geomspace(0.01, 0.05, 5), 400, 1e-3)
    assert small.edge == "grid-high" and "largest rate on the grid" in small.edge_text()
    fine = rc.tune_lr(rc.gd, BOWL, STARTS, np.geomspace(0.01, 0.099, 30), 400, 1e-3)
    assert fine.edge is None and fine.edge_text() == ""


def test_tuned_gd_on_the_bowl_is_near_the_classical_optimum():
    lrs = np.geomspace(0.01, 0.099, 40)
    res = rc.tune_lr(rc.gd, BOWL, STARTS, lrs, steps=400, tol=1e-8)
    # 2/(λmin + λmax) = 0.0952 minimises the worst contraction factor
    assert res.best_lr == pytest.approx(2 / 21, rel=0.06)
    assert res.converged[np.argmin(res.score)] == 1.0


def test_no_converging_lr_gives_no_best():
    res = rc.tune_lr(rc.gd, BOWL, STARTS, [1e-5, 2e-5], steps=10, tol=1e-9)
    assert res.best_lr is None and res.best_score is None
    assert res.converged.tolist() == [0.0, 0.0]
    assert res.score.tolist() == [11.0, 11.0]


@pytest.mark.parametrize("verify", rc.tuning.VERIFY)
def test_ties_go_to_the_smallest_learning_rate(verify):
    # the optimizer ignores the rate: every rate of the grid has the same certified score
    res = rc.tune_lr(lambda lr: rc.gd(0.05 + 0 * lr), BOWL, [[1.0, 0.5], [2.0, 1.0]],
                     [0.25, 0.5, 1.0], steps=100, tol=1e-3, verify=verify)
    assert res.best_lr == 0.25 and res.edge == "grid-low"
    with pytest.raises(ValueError, match="strictly increasing"):
        rc.tune_lr(rc.gd, BOWL, [[1.0, 0.5]], [0.5, 0.25], steps=100, tol=1e-3)

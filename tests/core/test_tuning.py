"""tune_lr: one batched run, the same answer as tuning each learning rate separately."""

import numpy as np
import pytest

import rmsprop_core as rc

BOWL = rc.objectives.bowl()
STARTS = np.array([[3.0, 1.0], [-2.0, 0.5], [1.0, -1.5]])
LRS = np.geomspace(0.003, 0.3, 7)


@pytest.mark.parametrize("criterion", ["mean", "median", "max"])
def test_tune_lr_matches_separate_runs(criterion):
    make = lambda lr: rc.rmsprop(lr, decay=0.9)
    res = rc.tune_lr(make, BOWL, STARTS, LRS, steps=150, tol=1e-3, criterion=criterion)
    assert res.lrs.tolist() == LRS.tolist()
    assert res.steps.shape == (7, 3) and res.score.shape == (7,)
    reduce = {"mean": np.mean, "median": np.median, "max": np.max}[criterion]
    for i, lr in enumerate(LRS):
        traj = rc.run(make(float(lr)), BOWL, STARTS, 150)
        reached = rc.metrics.steps_to_tolerance(traj, 1e-3)
        assert res.steps[i].tolist() == reached.tolist()
        assert res.score[i] == reduce(np.where(reached < 0, 151, reached))
    assert res.best_score == res.score.min()
    assert res.best_lr == LRS[np.argmin(res.score)]
    assert "stays within 0.001" in res.criterion and "151 steps" in res.criterion


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

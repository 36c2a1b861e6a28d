"""tune_grid: per-cell, per-tolerance tuning equals tune_lr run cell by cell."""

import numpy as np
import pytest

import rmsprop_core as rc

KAPPAS = np.array([1.0, 20.0, 400.0])
TOLS = np.array([1e-1, 1e-3, 1e-5])
LRS = np.geomspace(1e-4, 2.0, 24)
STARTS = np.array([[-3.5, 1.5], [0.05, 1.8], [2.0, -0.5], [1.0, 1.0], [-0.3, -2.0]])


def _bowls(c):
    return rc.objectives.quadratic(np.stack([np.ones(c.size), KAPPAS[c]], 1))


@pytest.mark.parametrize("key", ["gd", "rmsprop", "adam"])
def test_grid_equals_tune_lr_per_cell(key):
    make = {"gd": rc.gd, "rmsprop": lambda lr: rc.rmsprop(lr),
            "adam": lambda lr: rc.adam(lr)}[key]
    g = rc.tune_grid(lambda lr, c: make(lr), _bowls, len(KAPPAS), STARTS, LRS, 200, TOLS,
                     horizon=800)
    for c, kappa in enumerate(KAPPAS):
        obj = rc.objectives.quadratic([1.0, kappa])
        for j, tol in enumerate(TOLS):
            ref = rc.tune_lr(make, obj, STARTS, LRS, 200, tol, criterion="median", horizon=800)
            if ref.best_index is None:
                assert g.best[c, j] == -1
                continue
            assert g.best[c, j] == ref.best_index, (kappa, tol)
            np.testing.assert_array_equal(g.steps[c, j], ref.steps[ref.best_index])
            assert g.edge[c, j] == ref.edge


def test_first_touch_is_the_first_step_within_tolerance():
    g = rc.tune_grid(lambda lr, c: rc.rmsprop(lr), _bowls, len(KAPPAS), STARTS, LRS, 200, TOLS,
                     horizon=800)
    for c, kappa in enumerate(KAPPAS):
        for j, tol in enumerate(TOLS):
            i = g.touch_best[c, j]
            loss = rc.run(rc.rmsprop(LRS[i]), rc.objectives.quadratic([1.0, kappa]), STARTS, 200).loss
            inside = loss < tol
            expect = np.where(inside.any(axis=0), inside.argmax(axis=0), -1)
            np.testing.assert_array_equal(g.touch[c, j], expect)
            # first touch is never later than staying
            settled = g.steps[c, j] >= 0
            assert (g.touch[c, j][settled] <= g.steps[c, j][settled]).all()


def test_bad_input():
    with pytest.raises(ValueError, match="starts"):
        rc.tune_grid(lambda lr, c: rc.gd(lr), _bowls, 3, np.ones((2, 4, 2)), LRS, 100, TOLS)
    with pytest.raises(ValueError, match="horizon"):
        rc.tune_grid(lambda lr, c: rc.gd(lr), _bowls, 3, STARTS, LRS, 100, TOLS, horizon=200)


@pytest.mark.parametrize("noisy", [False, True])
@pytest.mark.parametrize("key", ["gd", "rmsprop", "adam"])
def test_verify_all_equals_verify_best(key, noisy):
    """Certifying every candidate rate in one run picks the same rates, counts and edges as
    certifying them in doubling chunks (with noise, where most rates must be certified, and
    without)."""
    make = {"gd": rc.gd, "rmsprop": lambda lr: rc.rmsprop(lr), "adam": lambda lr: rc.adam(lr)}[key]
    seeds = 16
    starts = np.tile([-3.5, 1.5], (seeds, 1))

    def objective(c):
        bowls = _bowls(c)
        return rc.objectives.noisy(bowls, 0.1, seed=np.arange(c.size) % seeds) if noisy else bowls

    runs = [rc.tune_grid(lambda lr, c: make(lr), objective, len(KAPPAS), starts, LRS, 200, TOLS,
                         horizon=800, verify=v) for v in ("best", "all")]
    best, every = runs
    assert np.array_equal(best.best, every.best)
    assert np.array_equal(best.steps, every.steps)
    assert np.array_equal(best.edge, every.edge)


def test_verify_must_be_known():
    with pytest.raises(ValueError, match="verify"):
        rc.tune_grid(lambda lr, c: rc.gd(lr), _bowls, 1, STARTS, LRS, 10, [1e-1], verify="some")

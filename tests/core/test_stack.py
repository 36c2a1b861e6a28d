"""stack: several optimizers side by side in one run, and run(record="loss", loss_every=k)."""

import numpy as np
import pytest

import rmsprop_core as rc

STARTS = np.array([[-3.5, 1.5], [0.05, 1.8], [2.0, -0.5], [1.0, 1.0], [-0.3, -2.0]])


def _blocks():
    return [(rc.gd(np.array([0.05, 0.08])), 2), (rc.rmsprop(0.01), 1), (rc.adam(np.array([0.1, 0.2])), 2)]


def test_stack_equals_each_block_run_alone():
    bowl = rc.objectives.get("bowl")
    together = rc.run(rc.stack(*_blocks()), bowl, STARTS, steps=50)
    start = 0
    for opt, rows in _blocks():
        alone = rc.run(opt, bowl, STARTS[start:start + rows], steps=50)
        assert np.array_equal(together.positions[:, start:start + rows], alone.positions)
        start += rows


@pytest.mark.parametrize("block_rows", [1, 2, 3])
def test_stack_is_the_same_whatever_the_block_size(block_rows):
    bowl = rc.objectives.get("rosenbrock")
    ref = rc.run(rc.stack(*_blocks()), bowl, STARTS, steps=40)
    got = rc.run(rc.stack(*_blocks()), bowl, STARTS, steps=40, block_rows=block_rows)
    assert np.array_equal(ref.positions, got.positions)


def test_stack_settles_like_its_blocks_with_compaction():
    """settle_each drops decided rows; a stack's blocks each keep their own rows."""
    bowl = rc.objectives.get("bowl")
    tols = [1e-1, 1e-3]
    together = rc.settle_each(rc.stack(*_blocks()), bowl, STARTS, tols, budget=100, horizon=400)
    start = 0
    for opt, rows in _blocks():
        alone = rc.settle_each(opt, bowl, STARTS[start:start + rows], tols, budget=100, horizon=400)
        for a, b in zip(together, alone):
            assert np.array_equal(a.steps[start:start + rows], b.steps)
        start += rows


def test_stack_with_noise_and_loss_only():
    noisy = rc.objectives.noisy(rc.objectives.get("bowl"), 0.1, seed=np.arange(5))
    full = rc.run(rc.stack(*_blocks()), noisy, STARTS, steps=60)
    lean = rc.run(rc.stack(*_blocks()), noisy, STARTS, steps=60, record="loss")
    np.testing.assert_array_equal(full.loss, lean.loss)


def test_stack_bad_input():
    with pytest.raises(ValueError, match="at least one"):
        rc.stack()
    with pytest.raises(ValueError, match="pairs"):
        rc.stack(rc.gd(0.1))
    with pytest.raises(ValueError, match="rows"):
        rc.stack((rc.gd(0.1), 0))
    with pytest.raises(ValueError, match="5 trajectories in all"):
        rc.run(rc.stack(*_blocks()), rc.objectives.get("bowl"), STARTS[:3], steps=2)
    with pytest.raises(ValueError, match="record_state"):
        rc.run(rc.stack(*_blocks()), rc.objectives.get("bowl"), STARTS, steps=2, record_state=True)


def test_loss_every_keeps_every_kth_loss():
    bowl = rc.objectives.get("bowl")
    full = rc.run(rc.rmsprop(0.02), bowl, STARTS, steps=60)
    sparse = rc.run(rc.rmsprop(0.02), bowl, STARTS, steps=60, record="loss", loss_every=5)
    assert sparse.steps == 60 and sparse.loss_every == 5 and sparse.loss.shape == (13, 5)
    np.testing.assert_array_equal(sparse.loss, full.loss[::5])
    np.testing.assert_array_equal(sparse.final, full.final)


def test_loss_every_bad_input():
    bowl = rc.objectives.get("bowl")
    with pytest.raises(ValueError, match="multiple"):
        rc.run(rc.gd(0.1), bowl, STARTS, steps=10, record="loss", loss_every=3)
    with pytest.raises(ValueError, match="record='loss'"):
        rc.run(rc.gd(0.1), bowl, STARTS, steps=10, loss_every=2)
    with pytest.raises(ValueError, match="loss_every"):
        rc.run(rc.gd(0.1), bowl, STARTS, steps=10, record="loss", loss_every=0)

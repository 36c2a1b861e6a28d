"""The equivalences the update-rules page states hold for the runs the build makes."""
import numpy as np

import rmsprop_core as rc
from gen.update_rules import num_rules


def test_ema_momentum_is_heavy_ball_with_scaled_lr():
    assert num_rules.momentum_gap() < 1e-12
    # Not vacuous: heavy ball with the *unscaled* α follows a different path.
    bowl = rc.objectives.get("bowl")
    ema = rc.run(rc.momentum(num_rules.LR, decay=num_rules.DECAY), bowl, num_rules.STARTS, 20)
    heavy = rc.run(rc.momentum(num_rules.LR, decay=num_rules.DECAY, form="heavy_ball"), bowl,
                   num_rules.STARTS, 20)
    assert np.max(np.abs(ema.positions - heavy.positions)) > 0.1


def test_rmsprop_without_averaging_is_sign_descent():
    assert num_rules.sign_gap() == 0.0
    numbers = num_rules.build().numbers
    assert numbers["sign_gap_bound"] == "0"
    assert numbers["momentum_gap_bound"].startswith("10⁻")


def test_large_eps_inside_damps_the_sideways_first_step():
    inside = num_rules.first_w_step_from_b(eps_inside=True)
    outside = num_rules.first_w_step_from_b(eps_inside=False)
    assert inside < outside / 3, (inside, outside)

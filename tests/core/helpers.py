"""Shared helpers for the core tests."""

import numpy as np

import rmsprop_core as rc

OBJECTIVE_IDS = rc.objectives.ids()


def starts_in_view(obj, n, rng, margin=0.1):
    """n random points inside the objective's suggested view box (shrunk by `margin`)."""
    (x0, x1), (y0, y1) = obj.view
    wx, wy = (x1 - x0) * margin, (y1 - y0) * margin
    return np.column_stack(
        [rng.uniform(x0 + wx, x1 - wx, n), rng.uniform(y0 + wy, y1 - wy, n)]
    )

"""The linked simulator's replay, shared by the page's figures on it (not a registered module):
its two-well surface, its settings, the start, the runs at its settings and at tuned rates, and
where the runs end from a grid of starts. ``fig_simulator`` (settings vs tuned rates) and
``fig_simulator_aspect`` (the simulator's stretched canvas vs equal aspect) draw the same runs.

The thread links a simulator on a two-well surface whose settings give SGD twice RMSprop's
learning rate and whose canvas stretches one axis: it draws its square view of the surface on a
canvas ``CANVAS`` = 180 wide by 125 tall, so a unit of y is drawn 125/180 as long as a unit of x
(a 45° step shows at about 35°). Its settings: SGD lr 2e-2; momentum 1e-2, β 0.8; RMSprop 1e-2,
decay 0.99, ε 1e-6 after the root, no bias correction; Adam 1e-2, β1 0.7, β2 0.999, ε 1e-6, no
bias correction. The start is just off the axis through the deep minimum, where steepest
descent points at the minimum.

Counts are horizon-stable (``rc.settle``, ``rc.tune_lr(..., horizon=HORIZON)``): within a
budget of ``STEPS`` = 2,000 steps, because RMSprop at the simulator's settings needs 1,236
(a 1,000-step run only catches its last iterate inside the tolerance, and it is outside
again at step 1,040), and checked to step ``HORIZON`` = 20,000, the default 10 × the budget
and 20 × Adam's memory 1/(1 − β₂) = 1,000 steps. Adam at the simulator's settings does not
stay: it is within the tolerance from step 23 and leaves it again, over and over; that is
quoted as a departure, not as a count.

Where the runs end is a step-size effect of its own: from a 20 × 20 grid of starts over the
simulator's whole view of the surface (cell centres), each method at the simulator's settings
runs the budget, and we count the starts from which it ends in the deeper well and those from
which it ends in the other.

Momentum is read as heavy ball (v ← βv + g, x ← x − αv), the usual form in code; the course's
averaged form would be the same with α(1−β) in place of α.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

import rmsprop_core as rc
from gen.text import count_text, counted

START = (-1.8, 0.05)        # just off the axis: the gradient points within about a degree of the minimum
TOL = 1e-3
STEPS = 2000                # budget: RMSprop at the simulator's settings settles at step 1,236
HORIZON = rc.settling.default_horizon(STEPS)   # 20,000: counts are checked to hold until here
SHOWN = 150                 # iterations drawn
LR_GRID = np.geomspace(1e-4, 1.0, 81)
GRID = 20                   # GRID × GRID starts over the surface's view, for where the runs end
WELL_RADIUS = 0.25          # a run "ends in a well" within this distance of the well's minimum
SIM_RMSPROP_DECAY = 0.99
SIM_MOMENTUM_DECAY = 0.8     # read as heavy ball (v = βv + g), as the page says
SIM_EPS = 1e-6               # RMSprop's and Adam's ε, after the square root
SIM_ADAM_B1, SIM_ADAM_B2 = 0.7, 0.999
CANVAS = (180, 125)          # the simulator's canvas, width × height, for its square view of the surface

#: key -> (label, colour, lr -> optimizer with the simulator's other settings, simulator lr)
METHODS = {
    "sgd": ("SGD", "#1f77b4", lambda lr: rc.gd(lr), 2e-2),
    "momentum": ("Momentum (β 0.8)", "#2ca02c",
                 lambda lr: rc.momentum(lr, decay=SIM_MOMENTUM_DECAY, form="heavy_ball"), 1e-2),
    "rmsprop": ("RMSprop (decay 0.99)", "#d62728",
                lambda lr: rc.rmsprop(lr, decay=SIM_RMSPROP_DECAY, eps=SIM_EPS, eps_inside=False,
                                      bias_correction=False), 1e-2),
    "adam": ("Adam (β₁ 0.7, β₂ 0.999)", "#9467bd",
             lambda lr: rc.adam(lr, b1=SIM_ADAM_B1, b2=SIM_ADAM_B2, eps=SIM_EPS, bias_correction=False), 1e-2),
}
#: the Playground's method ids for these methods
PLAYGROUND_IDS = {"sgd": "gd", "momentum": "momentum", "rmsprop": "rmsprop", "adam": "adam"}


def playground_query(lrs: dict[str, float]) -> str:
    """The Playground link's query for this replay with the given learning rates (same settings)."""
    ids = PLAYGROUND_IDS
    parts = ["fn=two-wells", f"start={START[0]!r},{START[1]!r}", f"steps={SHOWN}",
             "methods=" + ",".join(ids.values())]
    parts += [f"lr.{ids[k]}={lrs[k]!r}" for k in METHODS]
    parts += [f"decay.momentum={SIM_MOMENTUM_DECAY!r}", "form.momentum=heavy_ball",
              f"decay.rmsprop={SIM_RMSPROP_DECAY!r}", f"eps.rmsprop={SIM_EPS!r}",
              "epsmode.rmsprop=outside", "init.rmsprop=0", "bias.rmsprop=0",
              f"b1.adam={SIM_ADAM_B1!r}", f"b2.adam={SIM_ADAM_B2!r}", f"eps.adam={SIM_EPS!r}",
              "bias.adam=0"]
    return "&".join(parts)


def wells():
    return rc.objectives.get("two-wells")


def other_minimum() -> np.ndarray:
    """The shallower well's minimum (a local minimum near (0.91, 0)): Newton's method on the
    axis y = 0, where the surface is symmetric, from the well's centre x = 1."""
    grad = wells().grad
    x, h = 1.0, 1e-6
    for _ in range(50):
        g = float(grad(np.array([x, 0.0]))[0])
        slope = (float(grad(np.array([x + h, 0.0]))[0]) - float(grad(np.array([x - h, 0.0]))[0])) / (2 * h)
        step = g / slope
        x -= step
        if abs(step) < 1e-14:
            break
    return np.array([x, 0.0])


def grid_starts() -> np.ndarray:
    """GRID × GRID starts at the cell centres of the surface's view, row by row (y, then x)."""
    (x0, x1), (y0, y1) = wells().view
    xs = x0 + (np.arange(GRID) + 0.5) * (x1 - x0) / GRID
    ys = y0 + (np.arange(GRID) + 0.5) * (y1 - y0) / GRID
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def ends_in(final: np.ndarray) -> np.ndarray:
    """'deeper', 'other' or 'neither' for each final position (n, 2)."""
    deep = np.linalg.norm(final - wells().minimum, axis=1) < WELL_RADIUS
    other = np.linalg.norm(final - other_minimum(), axis=1) < WELL_RADIUS
    return np.where(deep, "deeper", np.where(other, "other", "neither"))


def basins(key: str, lr: float | None = None) -> np.ndarray:
    """Where the method's run of STEPS steps ends from every grid start (simulator lr by default)."""
    make, sim_lr = METHODS[key][2], METHODS[key][3]
    traj = rc.run(make(sim_lr if lr is None else lr), wells(), grid_starts(), STEPS)
    return ends_in(traj.positions[-1])


def _replay(key):
    """One method: tuned on the grid, checked at the simulator's rate, drawn, and run from the
    grid of starts."""
    _name, _colour, make, sim_lr = METHODS[key]
    obj, x0 = wells(), np.array([START])
    res = rc.tune_lr(make, obj, x0, LR_GRID, STEPS, TOL, horizon=HORIZON)
    if res.best_index is not None:
        tuned_index, tuned_lr = res.best_index, res.best_lr
    else:           # no rate stays: show the one a budget-only tuner picks, labelled as leaving
        tuned_index = res.fastest_unchecked()
        tuned_lr = float(res.lrs[tuned_index])
    hit = np.flatnonzero(res.lrs == sim_lr)
    sim = (res.settling_at(int(hit[0])) if hit.size and res.checked[hit[0]]
           else rc.settle(make(sim_lr), obj, x0, TOL, STEPS, HORIZON))
    lrs = np.array([sim_lr, tuned_lr])
    traj = rc.run(make(lrs), obj, np.repeat(x0, 2, axis=0), STEPS)
    ends = ends_in(traj.positions[-1])
    runs = {}
    for row, (setting, lr, settling) in enumerate((("simulator", sim_lr, sim),
                                                   ("tuned", tuned_lr, res.settling_at(tuned_index)))):
        runs[setting] = {"lr": float(lr), "settling": settling, "counted": counted(settling),
                         "text": count_text(settling), "positions": traj.positions[: SHOWN + 1, row, :],
                         "ends_in": str(ends[row])}
    return {"runs": runs, "res": res, "grid": basins(key)}


@lru_cache(maxsize=1)
def compute():
    """Per method: ``runs[setting]`` for "simulator" and "tuned", the tuning, and ``grid``, where
    the simulator-settings run ends from each of grid_starts()."""
    return wells(), {key: _replay(key) for key in METHODS}




# ----- drawing, shared by the figures of the replay ----------------------------------------

#: Paths are drawn bottom to top in this order: SGD's few long steps go last, over momentum's
#: path, which runs along the same line; legends keep METHODS' order (legendrank).
DRAW_ORDER = ("momentum", "rmsprop", "adam", "sgd")
PATH_STYLE = {
    "sgd": dict(line=dict(width=3), marker=dict(size=8, symbol="diamond")),
    "momentum": dict(line=dict(width=2, dash="dot"), marker=dict(size=3)),
    "rmsprop": dict(line=dict(width=2), marker=dict(size=3)),
    "adam": dict(line=dict(width=2, dash="dash"), marker=dict(size=3)),
}


def wells_contour(view, nx: int = 141, ny: int = 61):
    """Grey, line-only contours of the two-well surface over ``view``."""
    import plotly.graph_objects as go

    (xmin, xmax), (ymin, ymax) = view
    xs, ys = np.linspace(xmin, xmax, nx), np.linspace(ymin, ymax, ny)
    z = wells().value(np.stack(np.meshgrid(xs, ys), axis=-1))
    return go.Contour(
        x=xs, y=ys, z=np.round(z, 4), contours=dict(coloring="lines", start=-2, end=2, size=0.15),
        colorscale=[[0, "#9e9e9e"], [1, "#9e9e9e"]], showscale=False, line=dict(width=1),
        hoverinfo="skip", showlegend=False, name="loss contours")


def path_trace(key: str, run: dict, showlegend: bool):
    """One method's drawn path (the first SHOWN steps of ``run``) in its colour and style."""
    import plotly.graph_objects as go

    from gen.text import fmt

    name, colour = METHODS[key][0], METHODS[key][1]
    style = PATH_STYLE[key]
    p = np.round(run["positions"], 4)
    return go.Scatter(
        x=p[:, 0], y=p[:, 1], mode="lines+markers", name=name, legendgroup=key,
        legendrank=list(METHODS).index(key) + 1, showlegend=showlegend,
        line=dict(color=colour, **style["line"]), marker=dict(color=colour, **style["marker"]),
        hovertemplate=f"{name}, lr {fmt(run['lr'])}: " + "step %{pointNumber}<extra></extra>",
    )


def minimum_trace(showlegend: bool):
    import plotly.graph_objects as go

    m = wells().minimum
    return go.Scatter(x=[m[0]], y=[m[1]], mode="markers", showlegend=showlegend, legendrank=len(METHODS) + 1,
                      marker=dict(size=10, symbol="x", color="#616161"), name="global minimum",
                      hoverinfo="skip")

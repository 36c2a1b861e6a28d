"""The linked simulator, replayed (the thread's Q6): its surface and settings next to tuned rates.

The thread links a simulator on a two-well surface whose settings give SGD twice RMSprop's
learning rate and whose canvas stretches one axis. This figure replays its four methods with
its settings (SGD lr 2e-2; momentum 1e-2, β 0.8; RMSprop 1e-2, decay 0.99, ε 1e-6 after the
root, no bias correction; Adam 1e-2, β1 0.7, β2 0.999, ε 1e-6, no bias correction) from a start
just off the axis through the deep minimum, where steepest descent points at the minimum, and
next to them the same methods with only the learning rate tuned, both panels at equal aspect.
The share of the SGD–RMSprop gap that the settings explain is the part that tuning removes,
measured on a log scale of steps to tolerance.

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

import math
from functools import lru_cache

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import rmsprop_core as rc
from gen.spec import FigureSpec, count_text, counted, fmt

ID = "fig-simulator"

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
VIEW = ((-2.0, -0.4), (-0.4, 0.4))   # zoomed on the deep well, where all four paths run

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
    parts = [f"fn=two-wells", f"start={START[0]!r},{START[1]!r}", f"steps={SHOWN}",
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


def _steps_words(run) -> str:
    """A run's count_text with "steps" after a plain count ("58 steps", "more than 2000 steps",
    "91, then leaves at step 7,014")."""
    status = run["settling"].status[0]
    return run["text"] + (" steps" if status in ("settled", "never") else "")


def _ratio(r: float) -> str:
    return fmt(round(r)) if r >= 100 else fmt(r, 2)


def build() -> FigureSpec:
    wells_obj, results = compute()
    (xmin, xmax), (ymin, ymax) = VIEW
    xs, ys = np.linspace(xmin, xmax, 97), np.linspace(ymin, ymax, 49)
    z = wells_obj.value(np.stack(np.meshgrid(xs, ys), axis=-1))
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.08,
                        subplot_titles=("The simulator's settings", "Learning rates tuned"))
    for col, setting in ((1, "simulator"), (2, "tuned")):
        fig.add_trace(go.Contour(
            x=xs, y=ys, z=np.round(z, 4), contours=dict(coloring="lines", start=-2, end=2, size=0.15),
            colorscale=[[0, "#9e9e9e"], [1, "#9e9e9e"]], showscale=False, line=dict(width=1),
            hoverinfo="skip", showlegend=False, name="loss contours"), row=1, col=col)
        for key, (name, colour, _make, _lr) in METHODS.items():
            run = results[key]["runs"][setting]
            p = np.round(run["positions"], 4)
            fig.add_trace(go.Scatter(
                x=p[:, 0], y=p[:, 1], mode="lines+markers", name=name, legendgroup=key,
                showlegend=col == 1, line=dict(color=colour, width=2), marker=dict(size=3, color=colour),
                hovertemplate=f"{name}, lr {fmt(run['lr'])}: " + "step %{pointNumber}<extra></extra>",
            ), row=1, col=col)
        fig.add_trace(go.Scatter(
            x=[wells_obj.minimum[0]], y=[wells_obj.minimum[1]], mode="markers", showlegend=col == 1,
            marker=dict(size=10, symbol="x", color="#616161"), name="global minimum", hoverinfo="skip",
        ), row=1, col=col)
    for col, (xa, ya) in ((1, ("x", "y")), (2, ("x2", "y2"))):
        fig.update_xaxes(title=dict(text="x"), range=[xmin, xmax], constrain="domain", row=1, col=col)
        fig.update_yaxes(title=dict(text="y"), range=[ymin, ymax], scaleanchor=xa, scaleratio=1,
                         constrain="domain", row=1, col=col)
    fig.update_layout(height=460, margin=dict(l=50, r=20, t=40, b=40),
                      legend=dict(orientation="h", x=0, y=-0.14, xanchor="left", yanchor="top"))

    def gap(setting):
        runs = {k: results[k]["runs"][setting] for k in ("rmsprop", "sgd")}
        return math.log(runs["rmsprop"]["counted"] / runs["sgd"]["counted"])

    gap_sim, gap_tuned = gap("simulator"), gap("tuned")
    explained = (gap_sim - gap_tuned) / gap_sim if gap_sim != 0 else 0.0
    g = -wells_obj.grad(np.array(START))
    d = wells_obj.minimum - np.array(START)
    angle = math.degrees(math.acos(float(g @ d / np.linalg.norm(g) / np.linalg.norm(d))))
    numbers = {"start": f"({fmt(START[0])}, {fmt(START[1])})", "tol": fmt(TOL), "steps_budget": fmt(STEPS),
               "horizon": fmt(HORIZON),
               "start_angle": fmt(angle, 2), "shown": fmt(SHOWN),
               "well_width": fmt(rc.objectives._WELL_WIDTH),   # the surface's well width s
               "rmsprop_decay": fmt(SIM_RMSPROP_DECAY),
               "rmsprop_first_multiplier": fmt(1 / math.sqrt(1 - SIM_RMSPROP_DECAY), 3),
               "gap_sim": _ratio(math.exp(gap_sim)), "gap_tuned": _ratio(math.exp(gap_tuned)),
               "explained_percent": fmt(round(100 * explained)),
               "faster_sim": "SGD" if gap_sim > 0 else "RMSprop",
               "faster_tuned": "SGD" if gap_tuned > 0 else "RMSprop"}
    for key in METHODS:
        for setting in ("simulator", "tuned"):
            run = results[key]["runs"][setting]
            numbers[f"{key}_{setting}_steps"] = run["text"]
            numbers[f"{key}_{setting}_lr"] = fmt(run["lr"])
    for setting in ("simulator", "tuned"):
        numbers[f"playground_{setting}"] = playground_query(
            {key: float(results[key]["runs"][setting]["lr"]) for key in METHODS})
    # where the runs end, from a grid of starts over the whole surface (the simulator's settings)
    numbers["grid_starts"] = fmt(GRID * GRID)
    numbers["grid_size"] = fmt(GRID)
    for key in METHODS:
        grid = results[key]["grid"]
        numbers[f"deeper_well_{key}"] = fmt(int(np.sum(grid == "deeper")))
        numbers[f"other_well_{key}"] = fmt(int(np.sum(grid == "other")))
        numbers[f"neither_well_{key}"] = fmt(int(np.sum(grid == "neither")))
    numbers["deeper_well_rmsprop_minus_sgd"] = fmt(
        int(np.sum(results["rmsprop"]["grid"] == "deeper")) - int(np.sum(results["sgd"]["grid"] == "deeper")))

    # the drawn paths (setting "simulator" / "tuned", steps 0..SHOWN), then one row per grid start
    # (setting "grid": the simulator's settings from that start, step 0); ends_in: where the
    # run of STEPS steps ends
    rows = {"setting": [], "method": [], "step": [], "x": [], "y": [], "ends_in": []}

    def add(*values):
        for column, value in zip(rows, values):
            rows[column].append(value)

    for key in METHODS:
        for setting in ("simulator", "tuned"):
            run = results[key]["runs"][setting]
            for t, (x, y) in enumerate(np.round(run["positions"], 4)):
                add(setting, key, t, float(x), float(y), run["ends_in"])
    for key in METHODS:
        for (x, y), end in zip(np.round(grid_starts(), 4), results[key]["grid"]):
            add("grid", key, 0, float(x), float(y), str(end))
    grid_phrase = f"momentum {numbers['deeper_well_momentum']}, Adam {numbers['deeper_well_adam']}"
    adam_sim = results["adam"]["runs"]["simulator"]["settling"]
    adam_note = ("" if adam_sim.status[0] == "settled" else
                 f" At the simulator's settings Adam does not stay within the tolerance: "
                 f"{numbers['adam_simulator_steps']}.")
    caption = (
        "The simulator's two-well surface at equal aspect, from a start where steepest descent points at the "
        f"deep minimum (within {numbers['start_angle']}°). Left, the simulator's settings: SGD needs "
        f"{numbers['sgd_simulator_steps']} steps to stay within {numbers['tol']} of the minimum, RMSprop "
        f"{numbers['rmsprop_simulator_steps']}. Right, only the learning rates tuned: SGD "
        f"{numbers['sgd_tuned_steps']}, RMSprop {numbers['rmsprop_tuned_steps']}. Tuning removes "
        f"{numbers['explained_percent']}% of the gap on a log scale; the rest is the methods. Counts are "
        f"within {STEPS:,} steps and checked to hold until step {HORIZON:,}. Where a run ends does depend on "
        f"the step size: from a {GRID} × {GRID} grid of starts over the whole surface, at the simulator's "
        f"settings RMSprop ends in the deeper well from {numbers['deeper_well_rmsprop']} of "
        f"{numbers['grid_starts']} starts, SGD from {numbers['deeper_well_sgd']} ({grid_phrase})."
        + adam_note
    )
    alt = (f"Two contour plots of the two-well surface with four paths from {numbers['start']}. "
           + "; ".join(f"{METHODS[k][0]}: simulator lr {numbers[k + '_simulator_lr']} gives "
                       f"{_steps_words(results[k]['runs']['simulator'])}, tuned lr {numbers[k + '_tuned_lr']} "
                       f"gives {_steps_words(results[k]['runs']['tuned'])}" for k in METHODS)
           + f" (within {STEPS:,} steps, checked to step {HORIZON:,}). From {numbers['grid_starts']} starts "
           "on a grid over the surface, at the simulator's settings, the runs end in the deeper well from "
           + ", ".join(f"{numbers['deeper_well_' + k]} ({METHODS[k][0]})" for k in METHODS)
           + " starts and in the other well from the rest.")
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=rows, numbers=numbers,
                      title="The linked simulator, replayed")

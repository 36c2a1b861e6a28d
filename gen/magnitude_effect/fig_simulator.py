"""The linked simulator, replayed (the thread's Q6): its surface and settings next to tuned rates.

The figure replays the simulator's four methods with its settings from a start just off the
axis through the deep minimum, where steepest descent points at the minimum, and under them the
same methods with only the learning rate tuned, both panels at equal aspect and zoomed on the
strip where the paths run (the runs and settings are in gen/magnitude_effect/simulator.py). The share of the
SGD–RMSprop gap that the settings explain is the part that tuning removes, measured on a log
scale of steps to tolerance.
"""
from __future__ import annotations

import math

import numpy as np
from plotly.subplots import make_subplots

import rmsprop_core as rc
from gen.magnitude_effect.simulator import (
    DRAW_ORDER,
    GRID,
    HORIZON,
    METHODS,
    SHOWN,
    SIM_RMSPROP_DECAY,
    START,
    STEPS,
    TOL,
    compute,
    grid_starts,
    minimum_trace,
    path_trace,
    playground_query,
    wells_contour,
)
from gen.spec import FigureSpec
from gen.text import fmt, round_ratio

ID = "fig-simulator"
COST = 12   # rough seconds to build (gen/build.py starts the longest first)
VIEW = ((-1.9, -0.5), (-0.12, 0.12))   # the strip the paths run in (they stay within |y| ≤ 0.05)

def _steps_words(run) -> str:
    """A run's count_text with "steps" after a plain count ("58 steps", "more than 2000 steps",
    "91, then leaves at step 7,014")."""
    status = run["settling"].status[0]
    return run["text"] + (" steps" if status in ("settled", "never") else "")


def build() -> FigureSpec:
    wells_obj, results = compute()
    (xmin, xmax), (ymin, ymax) = VIEW
    fig = make_subplots(rows=2, cols=1, vertical_spacing=0.2,
                        subplot_titles=("The simulator's settings", "Learning rates tuned"))
    for row, setting in ((1, "simulator"), (2, "tuned")):
        fig.add_trace(wells_contour(VIEW), row=row, col=1)
        for key in DRAW_ORDER:
            fig.add_trace(path_trace(key, results[key]["runs"][setting], showlegend=row == 1),
                          row=row, col=1)
        fig.add_trace(minimum_trace(showlegend=row == 1), row=row, col=1)
    for row, xa in ((1, "x"), (2, "x2")):
        fig.update_xaxes(title=dict(text="x"), range=[xmin, xmax], constrain="domain", row=row, col=1)
        fig.update_yaxes(title=dict(text="y"), range=[ymin, ymax], scaleanchor=xa, scaleratio=1,
                         constrain="domain", nticks=4, row=row, col=1)
    fig.update_annotations(font=dict(size=14))
    fig.update_layout(height=520, margin=dict(l=50, r=20, t=40, b=40),
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
               "gap_sim": round_ratio(math.exp(gap_sim)), "gap_tuned": round_ratio(math.exp(gap_tuned)),
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
        "The simulator's two-well surface at equal aspect, zoomed on the strip around the axis where the "
        "paths run, from a start where steepest descent points at the "
        f"deep minimum (within {numbers['start_angle']}°). SGD's few long steps are the diamonds, drawn "
        "over momentum's path, which runs along the same line. Top, the simulator's settings: SGD needs "
        f"{numbers['sgd_simulator_steps']} steps to stay within {numbers['tol']} of the minimum, RMSprop "
        f"{numbers['rmsprop_simulator_steps']}. Bottom, only the learning rates tuned: SGD "
        f"{numbers['sgd_tuned_steps']}, RMSprop {numbers['rmsprop_tuned_steps']}. Tuning removes "
        f"{numbers['explained_percent']}% of the gap on a log scale; the rest is the methods. Counts are "
        f"within {STEPS:,} steps and checked to hold until step {HORIZON:,}. Where a run ends does depend on "
        f"the step size: from a {GRID} × {GRID} grid of starts over the whole surface, at the simulator's "
        f"settings RMSprop ends in the deeper well from {numbers['deeper_well_rmsprop']} of "
        f"{numbers['grid_starts']} starts, SGD from {numbers['deeper_well_sgd']} ({grid_phrase})."
        + adam_note
    )
    alt = (f"Two contour plots of the two-well surface, one above the other, with four paths from "
           f"{numbers['start']}. "
           + "; ".join(f"{METHODS[k][0]}: simulator lr {numbers[k + '_simulator_lr']} gives "
                       f"{_steps_words(results[k]['runs']['simulator'])}, tuned lr {numbers[k + '_tuned_lr']} "
                       f"gives {_steps_words(results[k]['runs']['tuned'])}" for k in METHODS)
           + f" (within {STEPS:,} steps, checked to step {HORIZON:,}). From {numbers['grid_starts']} starts "
           "on a grid over the surface, at the simulator's settings, the runs end in the deeper well from "
           + ", ".join(f"{numbers['deeper_well_' + k]} ({METHODS[k][0]})" for k in METHODS)
           + " starts and in the other well from the rest.")
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=rows, numbers=numbers,
                      title="The linked simulator, replayed")

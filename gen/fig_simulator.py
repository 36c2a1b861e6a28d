"""The linked simulator, replayed (the thread's Q6): its surface and settings next to tuned rates.

The thread links a simulator on a two-well surface whose settings give SGD twice RMSprop's
learning rate and whose canvas stretches one axis. This figure replays its four methods with
its settings (SGD lr 2e-2; momentum 1e-2, β 0.8; RMSprop 1e-2, decay 0.99, ε 1e-6 after the
root, no bias correction; Adam 1e-2, β1 0.7, β2 0.999, ε 1e-6, no bias correction) from a start
just off the axis through the deep minimum, where steepest descent points at the minimum, and
next to them the same methods with only the learning rate tuned, both panels at equal aspect.
The share of the SGD–RMSprop gap that the settings explain is the part that tuning removes,
measured on a log scale of steps to tolerance.

Momentum is read as heavy ball (v ← βv + g, x ← x − αv), the usual form in code; the course's
averaged form would be the same with α(1−β) in place of α.
"""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import rmsprop_core as rc
from gen.spec import FigureSpec, fmt, steps_text

ID = "fig-simulator"

START = (-1.8, 0.05)        # just off the axis: the gradient points within about a degree of the minimum
TOL = 1e-3
STEPS = 1000
SHOWN = 150                 # iterations drawn
LR_GRID = np.geomspace(1e-4, 1.0, 81)
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


def counted(steps: int) -> int:
    return STEPS + 1 if steps < 0 else steps


def compute():
    wells = rc.objectives.get("two-wells")
    x0 = np.array([START])
    out = {}
    for key, (_name, _colour, make, sim_lr) in METHODS.items():
        tuned_lr = rc.tune_lr(make, wells, x0, LR_GRID, STEPS, TOL).best_lr
        runs = {}
        for setting, lr in (("simulator", sim_lr), ("tuned", tuned_lr)):
            traj = rc.run(make(lr), wells, x0, STEPS)
            runs[setting] = {"lr": lr, "positions": traj.positions[: SHOWN + 1, 0, :],
                             "steps": int(rc.metrics.steps_to_tolerance(traj, TOL)[0])}
        out[key] = runs
    return wells, out


def _ratio(r: float) -> str:
    return fmt(round(r)) if r >= 100 else fmt(r, 2)


def build() -> FigureSpec:
    wells, results = compute()
    (xmin, xmax), (ymin, ymax) = VIEW
    xs, ys = np.linspace(xmin, xmax, 97), np.linspace(ymin, ymax, 49)
    z = wells.value(np.stack(np.meshgrid(xs, ys), axis=-1))
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.08,
                        subplot_titles=("The simulator's settings", "Learning rates tuned"))
    for col, setting in ((1, "simulator"), (2, "tuned")):
        fig.add_trace(go.Contour(
            x=xs, y=ys, z=np.round(z, 4), contours=dict(coloring="lines", start=-2, end=2, size=0.15),
            colorscale=[[0, "#9e9e9e"], [1, "#9e9e9e"]], showscale=False, line=dict(width=1),
            hoverinfo="skip", showlegend=False, name="loss contours"), row=1, col=col)
        for key, (name, colour, _make, _lr) in METHODS.items():
            run = results[key][setting]
            p = np.round(run["positions"], 4)
            fig.add_trace(go.Scatter(
                x=p[:, 0], y=p[:, 1], mode="lines+markers", name=name, legendgroup=key,
                showlegend=col == 1, line=dict(color=colour, width=2), marker=dict(size=3, color=colour),
                hovertemplate=f"{name}, lr {fmt(run['lr'])}: " + "step %{pointNumber}<extra></extra>",
            ), row=1, col=col)
        fig.add_trace(go.Scatter(
            x=[wells.minimum[0]], y=[wells.minimum[1]], mode="markers", showlegend=col == 1,
            marker=dict(size=10, symbol="x", color="#616161"), name="global minimum", hoverinfo="skip",
        ), row=1, col=col)
    for col, (xa, ya) in ((1, ("x", "y")), (2, ("x2", "y2"))):
        fig.update_xaxes(title=dict(text="x"), range=[xmin, xmax], constrain="domain", row=1, col=col)
        fig.update_yaxes(title=dict(text="y"), range=[ymin, ymax], scaleanchor=xa, scaleratio=1,
                         constrain="domain", row=1, col=col)
    fig.update_layout(height=460, margin=dict(l=50, r=20, t=40, b=40),
                      legend=dict(orientation="h", x=0, y=-0.14, xanchor="left", yanchor="top"))

    def gap(setting):
        return math.log(counted(results["rmsprop"][setting]["steps"]) / counted(results["sgd"][setting]["steps"]))

    gap_sim, gap_tuned = gap("simulator"), gap("tuned")
    explained = (gap_sim - gap_tuned) / gap_sim if gap_sim != 0 else 0.0
    g = -wells.grad(np.array(START))
    d = wells.minimum - np.array(START)
    angle = math.degrees(math.acos(float(g @ d / np.linalg.norm(g) / np.linalg.norm(d))))
    numbers = {"start": f"({fmt(START[0])}, {fmt(START[1])})", "tol": fmt(TOL), "steps_budget": fmt(STEPS),
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
            run = results[key][setting]
            numbers[f"{key}_{setting}_steps"] = steps_text(run["steps"], STEPS)
            numbers[f"{key}_{setting}_lr"] = fmt(run["lr"])
    for setting in ("simulator", "tuned"):
        numbers[f"playground_{setting}"] = playground_query(
            {key: float(results[key][setting]["lr"]) for key in METHODS})
    rows = {"setting": [], "method": [], "step": [], "x": [], "y": []}
    for key in METHODS:
        for setting in ("simulator", "tuned"):
            for t, (x, y) in enumerate(np.round(results[key][setting]["positions"], 4)):
                rows["setting"].append(setting)
                rows["method"].append(key)
                rows["step"].append(t)
                rows["x"].append(float(x))
                rows["y"].append(float(y))
    caption = (
        "The simulator's two-well surface at equal aspect, from a start where steepest descent points at the "
        f"deep minimum (within {numbers['start_angle']}°). Left, the simulator's settings: SGD needs "
        f"{numbers['sgd_simulator_steps']} steps to stay within {numbers['tol']} of the minimum, RMSprop "
        f"{numbers['rmsprop_simulator_steps']}. Right, only the learning rates tuned: SGD "
        f"{numbers['sgd_tuned_steps']}, RMSprop {numbers['rmsprop_tuned_steps']}. Tuning removes "
        f"{numbers['explained_percent']}% of the gap on a log scale; the rest is the methods."
    )
    alt = (f"Two contour plots of the two-well surface with four paths from {numbers['start']}. "
           + "; ".join(f"{METHODS[k][0]}: simulator lr {numbers[k + '_simulator_lr']} gives "
                       f"{numbers[k + '_simulator_steps']} steps, tuned lr {numbers[k + '_tuned_lr']} gives "
                       f"{numbers[k + '_tuned_steps']} steps" for k in METHODS) + ".")
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=rows, numbers=numbers,
                      title="The linked simulator, replayed")

"""Step length over time: how long each method's steps are, iteration by iteration.

Gradient descent's step is α‖g‖, so it shrinks with the gradient as the minimum nears.
Normalised gradient descent's is always α. RMSprop's is α‖g/(√S + ε)‖: with S starting at 0 its
first step is α/√(1−β) per coordinate (α√2/√(1−β) in 2-D), the early amplification the thread
noticed, and later it shrinks only as fast as the running average S forgets the larger gradients
of the past. Bias correction (and Adam) remove the early amplification. Each method runs at its
canonical tuned rate (gen/settings.py) on the course bowl from start A.
"""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

import rmsprop_core as rc
from gen import settings as S
from gen.spec import FigureSpec
from gen.text import fmt, round_ratio

ID = "fig-step-length"

START_A, START_B = S.START_A, S.START_B
SHOWN = 120                 # iterations drawn
DECAY = S.DECAY
KEYS = ("gd", "ngd", "rmsprop", "rmsprop_bc", "adam")
LABELS = {"rmsprop": "RMSprop, no bias correction", "rmsprop_bc": "RMSprop with bias correction"}
METHODS = {k: (LABELS.get(k, S.method(k).name), S.method(k).colour, S.method(k).dash, S.method(k).make)
           for k in KEYS}


def compute():
    """Each method at its canonical tuned rate (gen/settings.py), from start A."""
    out = {}
    for key, (*_, make) in METHODS.items():
        lr = S.tuned_lr(key)
        traj = rc.run(make(lr), S.bowl(), np.array([S.START_A]), SHOWN)
        length = np.linalg.norm(traj.updates[:, 0, :], axis=1)
        out[key] = {"lr": lr, "length": length}
    return out


def build() -> FigureSpec:
    results = compute()
    t = np.arange(1, SHOWN + 1)
    fig = go.Figure()
    for key, (name, colour, dash, _make) in METHODS.items():
        r = results[key]
        fig.add_trace(go.Scatter(
            x=t, y=np.round(r["length"], 6), mode="lines", name=f"{name} (lr {fmt(r['lr'])})",
            line=dict(color=colour, dash=dash, width=2),
            hovertemplate="step %{x}: ‖step‖ %{y:.3g}<extra>" + name + "</extra>",
        ))
    # per coordinate (the root mean square over w and b), in units of α: RMSprop's first step
    # is then 1/√(1−β), the number the page quotes, and a bias-corrected first step is 1
    in_lr = [list(np.round(results[k]["length"] / results[k]["lr"] / math.sqrt(2), 6)) for k in METHODS]
    actual = [list(np.round(results[k]["length"], 6)) for k in METHODS]
    fig.update_layout(
        height=460, margin=dict(l=60, r=20, t=50, b=50),
        xaxis=dict(title=dict(text="iteration"), range=[0, SHOWN]),
        yaxis=dict(type="log", title=dict(text="‖step‖")),
        legend=dict(orientation="h", x=0, y=-0.16, xanchor="left", yanchor="top"),
        updatemenus=[dict(
            type="buttons", direction="right", active=0, showactive=True, x=1, y=1.02,
            xanchor="right", yanchor="bottom",
            buttons=[dict(label="Step length", method="update",
                          args=[{"y": actual}, {"yaxis.title.text": "‖step‖"}]),
                     dict(label="Per coordinate, in units of α", method="update",
                          args=[{"y": in_lr}, {"yaxis.title.text": "‖step‖ / (α√2)"}])],
        )],
    )
    rms, bc, gd, adam = (results[k] for k in ("rmsprop", "rmsprop_bc", "gd", "adam"))
    # First step per coordinate, in units of lr: 1/sqrt(1-β) without bias correction.
    first_rms = rms["length"][0] / rms["lr"] / math.sqrt(2)
    first_bc = bc["length"][0] / bc["lr"] / math.sqrt(2)
    late = slice(SHOWN - 20, SHOWN)
    numbers = {
        "decay": fmt(DECAY), "shown": fmt(SHOWN),
        "first_multiplier": fmt(first_rms, 3),
        "first_multiplier_theory": fmt(1 / math.sqrt(1 - DECAY), 3),
        "first_multiplier_bc": fmt(first_bc, 3),
        "rmsprop_first_step": fmt(rms["length"][0]),
        "rmsprop_bc_first_step": fmt(bc["length"][0]),
        "gd_first_step": fmt(gd["length"][0]),
        "adam_first_step": fmt(adam["length"][0]),
        "gd_late_step": fmt(float(np.mean(gd["length"][late]))),
        "rmsprop_late_step": fmt(float(np.mean(rms["length"][late]))),
        "late_ratio": round_ratio(float(np.mean(rms["length"][late]) / np.mean(gd["length"][late]))),
        "first_ratio_gd_over_rmsprop": round_ratio(float(gd["length"][0] / rms["length"][0])),
        "late_from": fmt(SHOWN - 20 + 1),
    }
    for key in METHODS:
        numbers[f"{key}_lr"] = fmt(results[key]["lr"])
    rows = {"iteration": list(t)}
    for key in METHODS:
        rows[f"{key}_step_length"] = [round(float(v), 8) for v in results[key]["length"]]
    caption = (
        "Length of every step on the course bowl from start A, each method at its tuned rate. RMSprop "
        f"without bias correction starts with steps {numbers['first_multiplier']} times its learning rate per "
        "coordinate (1/√(1−β)); with bias correction, and Adam, the first step is the learning rate itself per coordinate. Gradient descent's steps shrink with the "
        f"gradient; over iterations {numbers['late_from']} to {numbers['shown']} RMSprop's average step is "
        f"{numbers['late_ratio']} times gradient descent's: its steps do not shrink as the gradient does. "
        "The second button shows the steps per coordinate in units of each method's learning rate."
    )
    alt = (f"Line chart, log scale, of the step length per iteration for {SHOWN} iterations. "
           f"First steps: gradient descent {numbers['gd_first_step']}, RMSprop {numbers['rmsprop_first_step']} "
           f"(lr {numbers['rmsprop_lr']}, {numbers['first_multiplier']} × lr per coordinate), RMSprop with bias "
           f"correction {numbers['rmsprop_bc_first_step']}, Adam {numbers['adam_first_step']}. Average over the "
           f"last 20 drawn iterations: gradient descent {numbers['gd_late_step']}, RMSprop {numbers['rmsprop_late_step']}.")
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=rows, numbers=numbers,
                      title="Step length over time")

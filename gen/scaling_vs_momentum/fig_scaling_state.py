"""Scaling vs momentum, the state: RMSprop's S_dW, S_db next to momentum's V_dW, V_db.

The argument: the two methods keep different running averages and use them differently.
RMSprop's S is a running mean of the *squared* gradient, one per coordinate: it sets the size
of that coordinate's step (space). S_db starts hundreds of times larger than S_dW, which is
exactly what evens the two steps out, and it shrinks as db shrinks, so the step never does:
late in the run RMSprop still moves about α per coordinate. Momentum's V is a running mean of
the gradient itself: it sets the step's direction over time. Where db flips sign from one
step to the next, V_db is already smoother. Both runs start at A with the lecture's settings
(one α for both), so the only difference is the rule.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from gen.scaling_vs_momentum import runs as S
from gen.settings import BUDGET as STEPS
from gen.spec import FigureSpec
from gen.text import fmt

ID = "fig-scaling-state"
SETTING = "lecture"
WINDOW = STEPS               # the whole horizon: RMSprop's S never dies out, momentum's V does
LOG_FLOOR = 1e-8             # lower end of the S axes: below it, differences are invisible steps
GREY = "#8c8c8c"


def late_half(values: np.ndarray) -> np.ndarray:
    """The second half of a per-step series (the run after it has had time to settle)."""
    return values[len(values) // 2:]


def compute():
    rms = S.trajectory("rmsprop", SETTING)
    mom = S.trajectory("momentum", SETTING)
    alpha = S.lecture_lr()
    s = rms.state_history("nu")[:, 0, :]          # (steps+1, 2): S after t steps
    v = mom.state_history("trace")[:, 0, :]       # (steps+1, 2): V after t steps
    rms_steps = np.abs(rms.updates[:, 0, :]) / alpha
    rms_dist = np.linalg.norm(rms.positions[1:, 0, :] - S.bowl().minimum, axis=1)
    return {
        "alpha": alpha,
        "s": s, "v": v,
        "rms_grads": rms.grads[:, 0, :], "mom_grads": mom.grads[:, 0, :],
        # After S has forgotten the start: per-coordinate step in units of α, distance left.
        "rms_late_step": np.median(late_half(rms_steps), axis=0),
        "rms_late_dist": float(np.median(late_half(rms_dist))),
        "s_ratio_first": float(s[1, S.B] / s[1, 0]),
    }


def build() -> FigureSpec:
    c = compute()
    t = np.arange(1, WINDOW + 1)
    fig = make_subplots(
        rows=2, cols=2, shared_xaxes=True, horizontal_spacing=0.12, vertical_spacing=0.12,
        subplot_titles=("RMSprop: S_dW (mean of dW²)", "Momentum: V_dW (mean of dW)",
                        "RMSprop: S_db (mean of db²)", "Momentum: V_db (mean of db)"),
    )
    for row, (k, label) in enumerate(((0, "W"), (S.B, "b")), start=1):
        d = "dW" if k == 0 else "db"
        fig.add_trace(go.Scatter(
            x=t, y=c["rms_grads"][:WINDOW, k] ** 2, mode="lines",
            name="the raw gradient being averaged: dW², db² under S, dW, db under V",
            line=dict(color=GREY, width=1, dash="dot"), legendgroup="raw", showlegend=row == 1,
            hovertemplate=f"step %{{x}}: {d}²=%{{y:.3g}}<extra></extra>",
        ), row=row, col=1)
        fig.add_trace(go.Scatter(
            x=t, y=c["s"][1:WINDOW + 1, k], mode="lines", name=f"S_d{label}",
            line=dict(color=S.COLOURS["rmsprop"], width=2), showlegend=False,
            hovertemplate=f"step %{{x}}: S_d{label}=%{{y:.3g}}<extra></extra>",
        ), row=row, col=1)
        fig.add_trace(go.Scatter(
            x=t, y=c["mom_grads"][:WINDOW, k], mode="lines", name=f"{d} (momentum's run)",
            line=dict(color=GREY, width=1, dash="dot"), legendgroup="raw", showlegend=False,
            hovertemplate=f"step %{{x}}: {d}=%{{y:.3g}}<extra></extra>",
        ), row=row, col=2)
        fig.add_trace(go.Scatter(
            x=t, y=c["v"][1:WINDOW + 1, k], mode="lines", name=f"V_d{label}",
            line=dict(color=S.COLOURS["momentum"], width=2), showlegend=False,
            hovertemplate=f"step %{{x}}: V_d{label}=%{{y:.3g}}<extra></extra>",
        ), row=row, col=2)
        top = np.log10(max(c["s"][1:WINDOW + 1, k].max(), (c["rms_grads"][:WINDOW, k] ** 2).max()))
        fig.update_yaxes(type="log", exponentformat="power", range=[np.log10(LOG_FLOOR), top + 0.3],
                         row=row, col=1)
        fig.update_yaxes(zeroline=True, row=row, col=2)
    fig.update_xaxes(title_text="step", row=2, col=1)
    fig.update_xaxes(title_text="step", row=2, col=2)
    fig.update_layout(
        height=560, margin=dict(l=60, r=20, t=50, b=50),
        legend=dict(orientation="h", x=0, y=-0.12, xanchor="left", yanchor="top"),
    )
    # Subplot titles are annotations: keep them legible on both palettes (figures.js themes fonts).
    for annotation in fig.layout.annotations:
        annotation.font = dict(size=13)

    late_w, late_b = (fmt(x, 2) for x in c["rms_late_step"])
    numbers = {
        "window": fmt(WINDOW),
        "s_ratio_first": fmt(c["s_ratio_first"]),
        "rms_late_step_w": late_w,
        "rms_late_step_b": late_b,
        "rms_late_dist": fmt(c["rms_late_dist"], 2),
        "late_from": fmt(STEPS // 2),
    }
    rows = {"step": [], "dW_rmsprop_run": [], "db_rmsprop_run": [], "S_dW": [], "S_db": [],
            "dW_momentum_run": [], "db_momentum_run": [], "V_dW": [], "V_db": []}
    for i in range(STEPS):
        rows["step"].append(i + 1)
        rows["dW_rmsprop_run"].append(float(c["rms_grads"][i, 0]))
        rows["db_rmsprop_run"].append(float(c["rms_grads"][i, S.B]))
        rows["S_dW"].append(float(c["s"][i + 1, 0]))
        rows["S_db"].append(float(c["s"][i + 1, S.B]))
        rows["dW_momentum_run"].append(float(c["mom_grads"][i, 0]))
        rows["db_momentum_run"].append(float(c["mom_grads"][i, S.B]))
        rows["V_dW"].append(float(c["v"][i + 1, 0]))
        rows["V_db"].append(float(c["v"][i + 1, S.B]))

    caption = (
        f"What each method remembers over {WINDOW} steps from start A, with one α for both "
        f"(the lecture's settings, α {fmt(c['alpha'])}). RMSprop's panels show S: a running mean of the "
        "squared gradient per coordinate (log scale, cut at 1e-8). S_db starts "
        f"{numbers['s_ratio_first']} times larger than S_dW, which is what evens the two steps "
        "out; as db shrinks S_db shrinks with it, so the step does not. Momentum's panels show V: a "
        "running mean of the gradient itself, smoother than the raw dW and db (dotted) it averages, "
        "and it dies out as the run settles; RMSprop's S does not."
    )
    alt = (
        f"Four panels over steps 1 to {WINDOW}. RMSprop's S_dW and S_db (log scale) follow dW² and "
        f"db² with a lag; after the first step S_db is {numbers['s_ratio_first']} times S_dW. "
        f"From step {numbers['late_from']} to {STEPS}, RMSprop's median step is {late_w} α in w and "
        f"{late_b} α in b while its median distance to the minimum is {numbers['rms_late_dist']}. "
        "Momentum's V_dW and V_db are smoothed versions of dW and db."
    )
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=rows, numbers=numbers,
                      title="RMSprop's S and momentum's V over time")

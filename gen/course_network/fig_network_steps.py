"""Q1/Q4 in the course's network, parameter by parameter: how much RMSprop's division scales
gradient descent's step in each of the 30 parameters at the assignment's settings
(α = 0.0007, its initialisation), over training.

RMSprop's step in parameter i is α g_i / (√S_i + ε); gradient descent's, at the same α and
the same gradient, α g_i. Their ratio 1/(√S_i + ε) is the factor by which RMSprop rescales
gradient descent in that parameter: the figure shows its median and 10–90% range over the
parameters (each one's mean over a window of EVERY epochs, over the steps where its gradient is
not zero), and the prose the angle between RMSprop's
step and −g (0°: it points where gradient descent points).
"""
from __future__ import annotations

import warnings

import numpy as np
import plotly.graph_objects as go

from gen.course_network import runs as W
from gen.spec import FigureSpec
from gen.text import fmt

ID = "fig-network-steps"
COST = 6
EVERY = 10                    # epochs between plotted points


def build() -> FigureSpec:
    m = W.parameter_measures()
    spe = W.steps_per_epoch()
    ratio = m["ratio"]
    width = spe * EVERY
    windows = ratio.shape[0] // width
    epochs = [w * EVERY for w in range(windows)]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)     # a window in which a parameter never moves
        # each parameter's mean factor over a window of EVERY epochs, then quantiles over parameters
        per_window = np.nanmean(ratio[: windows * width].reshape(windows, width, -1), axis=1)
        q = np.nanpercentile(per_window, [10, 50, 90], axis=1)
    q10, q50, q90 = ([round(float(v), 3) for v in row] for row in q)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=epochs, y=q90, mode="lines", line=dict(width=0), showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=epochs, y=q10, mode="lines", line=dict(width=0), fill="tonexty",
                             fillcolor="rgba(214,39,40,0.18)", name="10–90% of the parameters", hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=epochs, y=q50, mode="lines", line=dict(color="#d62728", width=2),
                             name="median parameter",
                             hovertemplate="epoch %{x}: ×%{y:.3g}<extra>RMSprop ÷ GD</extra>"))
    fig.add_trace(go.Scatter(x=[epochs[0], epochs[-1]], y=[1, 1], mode="lines", name="gradient descent's step (×1)",
                             line=dict(color="#1f77b4", width=1.5, dash="dot"), hoverinfo="skip"))
    fig.update_layout(
        height=420, margin=dict(l=70, r=20, t=30, b=60),
        xaxis=dict(title=dict(text="epoch")),
        yaxis=dict(title=dict(text="RMSprop's step ÷ gradient descent's"), type="log", exponentformat="power"),
        legend=dict(orientation="h", x=0, y=-0.2, xanchor="left", yanchor="top"),
    )
    angle = m["angle"]
    n_first = 10 * spe
    n = {"lr": fmt(W.LR), "params": fmt(m["ratio"].shape[1]),
         "scale_median_start": fmt(q50[0], 3), "scale_median_end": fmt(q50[-1], 3),
         "scale_p10_min": fmt(min(q10), 3), "scale_p90_max": fmt(max(q90), 3),
         "angle_start": fmt(float(np.nanmedian(angle[:n_first])), 2),
         "angle_end": fmt(float(np.nanmedian(angle[-n_first:])), 2),
         "never_moving": fmt(int((~m["moving"].any(axis=0)).sum())),
         "scale_min": fmt(float(np.nanmin(m["ratio"])), 3)}
    # the caption's "no parameter's step is below gradient descent's", as measured
    below = "and no parameter's is below gradient descent's" if np.nanmin(m["ratio"]) >= 1 else \
        f"though in some parameters it falls to {n['scale_min']} times"
    data = {"epoch": epochs, "ratio_p10": q10, "ratio_median": q50, "ratio_p90": q90,
            "note": f"RMSprop at alpha {W.LR} from the assignment's initialisation: its step in each parameter "
                    f"divided by gradient descent's at the same alpha and gradient, 1/(sqrt(S)+eps), quantiles over the "
                    f"parameters of each one's mean over {EVERY}-epoch windows (steps with a nonzero gradient)"}
    caption = (
        f"How much RMSprop scales up gradient descent's step in each of the network's {n['params']} parameters at "
        f"the assignment's α = {n['lr']}: 1/(√S + ε), the median and the 10–90% range over the parameters. "
        f"At the start the median parameter's step is {n['scale_median_start']} times gradient descent's, at the end "
        f"{n['scale_median_end']} times, {below}: RMSprop scales up the "
        f"whole step, by a different factor in each parameter. Its step points {n['angle_start']}° away from −g in "
        f"the first epochs and {n['angle_end']}° at the end."
    )
    alt = (
        f"Line chart, log scale, of RMSprop's per-parameter step divided by gradient descent's over 5,000 epochs of the "
        f"course's network at α = {n['lr']}: median {n['scale_median_start']} at the start and {n['scale_median_end']} "
        f"at the end; the band of the middle 80% of the parameters runs from at least {n['scale_p10_min']} to at most "
        f"{n['scale_p90_max']}; a dotted line at 1 marks gradient descent's own step."
    )
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=data, numbers=n,
                      title="RMSprop's step against gradient descent's, parameter by parameter")

"""The rotated bowl: RMSprop depends on the axes, gradient descent does not.

The argument: RMSprop divides each *coordinate* by its own running RMS, so what it does
depends on how the valley lines up with the coordinate axes. Rotate the course's bowl
(eigenvalues 1 and 20) by an angle θ and rotate starts A and B with it: the problem is the
same, only the axes differ. Gradient descent is rotation-equivariant (its path rotates with
the bowl), so its steps to tolerance do not change at all; RMSprop's do, worst when the
valley runs diagonally (θ = 45°), where per-coordinate scaling cannot tell the steep
direction from the shallow one. Each method is tuned anew at every angle (same grid,
tolerance and criterion as the hero, with a longer budget so that no run is cut off).
"""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import rmsprop_core as rc
from gen.fig_offset import sci as _sci
from gen.fig_hero import DECAY, EPS, LR_GRID, START_A, START_B, TOL
from gen.spec import FigureSpec, fmt

ID = "fig-rotated"

ANGLES_DEG = np.arange(0.0, 90.0 + 1e-9, 7.5)
EIGENVALUES = (1.0, 20.0)
STEPS = 1000          # long enough that RMSprop converges at every angle
DRAWN = 150           # steps drawn per path (the rest is RMSprop's small cycle at the minimum)
LEVELS = (0.5, 2.0, 8.0)   # loss levels of the drawn ellipses
VIEW = 4.0
COLOURS = {"gd": "#1f77b4", "rmsprop": "#d62728"}
NAMES = {"gd": "Gradient descent", "rmsprop": "RMSprop"}
MAKERS = {"gd": rc.gd, "rmsprop": lambda lr: rc.rmsprop(lr, decay=DECAY, eps=EPS)}


def rotation(theta: float) -> np.ndarray:
    c, s = math.cos(theta), math.sin(theta)
    return np.array([[c, -s], [s, c]])


def starts(theta: float) -> np.ndarray:
    """Starts A and B rotated with the bowl (same position relative to the valley)."""
    return np.array([START_A, START_B], dtype=float) @ rotation(theta).T


def compute():
    """Per angle: each method's tuned rate, its steps from both starts and its paths."""
    out = []
    for deg in ANGLES_DEG:
        theta = math.radians(deg)
        bowl = rc.objectives.quadratic(list(EIGENVALUES), angle=theta)
        x0 = starts(theta)
        per = {"deg": float(deg), "theta": theta}
        for key, make in MAKERS.items():
            tuned = rc.tune_lr(make, bowl, x0, LR_GRID, STEPS, TOL)
            best = int(np.argmin(tuned.score))
            traj = rc.run(make(tuned.best_lr), bowl, x0, DRAWN)
            per[key] = {"lr": float(tuned.best_lr), "steps": tuned.steps[best],
                        "mean": float(tuned.score[best]), "paths": traj.positions}
        out.append(per)
    return out


def ellipses(theta: float):
    """Level sets of the rotated bowl as one line with gaps (lighter than a contour grid)."""
    t = np.linspace(0, 2 * math.pi, 73)
    xs, ys = [], []
    for level in LEVELS:
        local = np.stack([np.sqrt(2 * level / EIGENVALUES[0]) * np.cos(t),
                          np.sqrt(2 * level / EIGENVALUES[1]) * np.sin(t)], axis=1)
        pts = local @ rotation(theta).T
        xs += list(pts[:, 0]) + [None]
        ys += list(pts[:, 1]) + [None]
    return xs, ys


def _path_xy(per, key):
    p = per[key]["paths"]          # (DRAWN+1, 2, 2)
    xs, ys = [], []
    for i in range(p.shape[1]):
        xs += list(p[:, i, 0]) + [None]
        ys += list(p[:, i, 1]) + [None]
    return xs, ys


def build() -> FigureSpec:
    results = compute()
    gd_mean = [r["gd"]["mean"] for r in results]
    rms_mean = [r["rmsprop"]["mean"] for r in results]

    fig = make_subplots(rows=1, cols=2, column_widths=[0.58, 0.42], horizontal_spacing=0.12,
                        subplot_titles=("Paths (first steps), starts A and B rotated with the bowl",
                                        "Mean steps to tolerance vs angle"))
    r0 = results[0]
    ex, ey = ellipses(r0["theta"])
    fig.add_trace(go.Scatter(x=ex, y=ey, mode="lines", line=dict(color="#9e9e9e", width=1),
                             hoverinfo="skip", showlegend=False, name="loss contours"), row=1, col=1)
    for key in MAKERS:
        x, y = _path_xy(r0, key)
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers", name=NAMES[key],
                                 line=dict(color=COLOURS[key], width=2), marker=dict(size=3),
                                 hoverinfo="skip", legendgroup=key), row=1, col=1)
    s0 = starts(r0["theta"])
    fig.add_trace(go.Scatter(x=s0[:, 0], y=s0[:, 1], mode="markers+text", text=["A", "B"],
                             textposition="top right", marker=dict(size=9, color="#2e7d32"),
                             showlegend=False, hoverinfo="skip", name="starts"), row=1, col=1)
    for key, series in (("gd", gd_mean), ("rmsprop", rms_mean)):
        fig.add_trace(go.Scatter(x=ANGLES_DEG, y=series, mode="lines+markers", name=NAMES[key],
                                 line=dict(color=COLOURS[key], width=2), showlegend=False,
                                 legendgroup=key,
                                 hovertemplate="θ %{x}°: %{y:.1f} steps<extra>" + NAMES[key] + "</extra>"),
                      row=1, col=2)
    fig.add_trace(go.Scatter(x=[ANGLES_DEG[0]] * 2, y=[gd_mean[0], rms_mean[0]], mode="markers",
                             marker=dict(size=12, symbol="circle-open", color="#212121", line=dict(width=2)),
                             showlegend=False, hoverinfo="skip", name="current angle"), row=1, col=2)

    moving = [0, 1, 2, 3, 6]   # trace indices the slider updates
    steps = []
    for r, g, m in zip(results, gd_mean, rms_mean):
        ex, ey = ellipses(r["theta"])
        gx, gy = _path_xy(r, "gd")
        rx, ry = _path_xy(r, "rmsprop")
        s = starts(r["theta"])
        steps.append(dict(
            label=f"{fmt(r['deg'])}°", method="restyle",
            args=[{"x": [ex, gx, rx, list(s[:, 0]), [r["deg"]] * 2],
                   "y": [ey, gy, ry, list(s[:, 1]), [g, m]]}, moving],
        ))
    fig.update_layout(
        height=470,
        margin=dict(l=50, r=20, t=50, b=50),
        legend=dict(orientation="h", x=0, y=-0.15, xanchor="left", yanchor="top"),
        sliders=[dict(active=0, name="Rotation angle θ", currentvalue=dict(prefix="θ = "),
                      steps=steps, pad=dict(t=40))],
    )
    fig.update_xaxes(title_text="x₁", range=[-VIEW, VIEW], constrain="domain", row=1, col=1)
    fig.update_yaxes(title_text="x₂", range=[-VIEW, VIEW], scaleanchor="x", scaleratio=1,
                     constrain="domain", row=1, col=1)
    fig.update_xaxes(title_text="rotation angle θ (degrees)", range=[-3, 93], tickvals=[0, 15, 30, 45, 60, 75, 90],
                     row=1, col=2)
    fig.update_yaxes(title_text="mean steps (starts A and B)", rangemode="tozero", row=1, col=2)

    worst = int(np.argmax(rms_mean))
    gd_steps = np.array([r["gd"]["steps"] for r in results])      # (angles, 2)
    numbers = {
        "budget": fmt(STEPS),
        "angle_step": fmt(float(ANGLES_DEG[1] - ANGLES_DEG[0])),
        "angle_min": fmt(float(ANGLES_DEG[0])),
        "angle_max": fmt(float(ANGLES_DEG[-1])),
        "gd_mean": fmt(gd_mean[0]),
        "gd_lr": fmt(results[0]["gd"]["lr"]),
        "gd_invariant": "exactly the same" if np.all(gd_steps == gd_steps[0]) else "nearly the same",
        "rmsprop_mean_0": fmt(rms_mean[0]),
        "rmsprop_mean_90": fmt(rms_mean[-1]),
        "rmsprop_worst_angle": fmt(float(ANGLES_DEG[worst])),
        "rmsprop_mean_worst": fmt(rms_mean[worst]),
        "rmsprop_worst_over_0": fmt(rms_mean[worst] / rms_mean[0], 2),
        "rmsprop_lr_0": fmt(results[0]["rmsprop"]["lr"]),
        "rmsprop_lr_worst": fmt(results[worst]["rmsprop"]["lr"]),
        "drawn": fmt(DRAWN),
        "worst_start_a_query": ",".join(fmt(float(v), 3) for v in starts(results[worst]["theta"])[0]),
        # At 90° the bowl is the 0° bowl with its axes swapped; in floating point the rotation
        # leaves a tiny coupling between the coordinates, which RMSprop's hovering notices.
        "coupling_90": _sci(abs(rc.objectives.quadratic(list(EIGENVALUES), angle=math.pi / 2).hessian[0, 1])),
    }
    data = {"angle_deg": [float(a) for a in ANGLES_DEG],
            "gd_lr": [r["gd"]["lr"] for r in results],
            "gd_steps_a": [int(r["gd"]["steps"][0]) for r in results],
            "gd_steps_b": [int(r["gd"]["steps"][1]) for r in results],
            "rmsprop_lr": [r["rmsprop"]["lr"] for r in results],
            "rmsprop_steps_a": [int(r["rmsprop"]["steps"][0]) for r in results],
            "rmsprop_steps_b": [int(r["rmsprop"]["steps"][1]) for r in results]}
    caption = (
        "The same valley, rotated by θ (slider), with starts A and B rotated along. Gradient "
        "descent's path simply rotates and its step count is the same at every angle (blue line, "
        "right). RMSprop scales each coordinate separately, so the angle matters: it needs the most "
        f"steps at θ = {numbers['rmsprop_worst_angle']}°, with the valley running diagonally. Each "
        "method is tuned anew at every angle."
    )
    alt = (
        f"Left: the rotated bowl with the first {numbers['drawn']} steps of gradient descent and RMSprop "
        f"from the rotated starts A and B. Right: mean steps to tolerance {fmt(TOL)} against the angle "
        f"from 0° to 90°. Gradient descent needs {numbers['gd_mean']} steps at every angle; RMSprop needs "
        f"{numbers['rmsprop_mean_0']} at 0°, {numbers['rmsprop_mean_worst']} at "
        f"{numbers['rmsprop_worst_angle']}°, and {numbers['rmsprop_mean_90']} at 90°."
    )
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=data, numbers=numbers,
                      title="The rotated bowl")

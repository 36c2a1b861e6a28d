"""Scaling vs momentum, one step taken apart: Adam's step as momentum's average, then RMS scaling.

The argument: at any point of Adam's path, four arrows from the same point show what each idea
does to the gradient. Gradient descent would step −α·(dW, db). RMS scaling divides each
component by its own running RMS: the arrow changes *shape* (the components become comparable)
and *length*. Momentum replaces the gradient by its running mean V: the arrow changes
*direction over time* (where db has just flipped sign, V_db has not). Adam's actual step is
both at once: −α·V/(√S + ε). All four use Adam's own (bias-corrected) running averages and one α
(the lecture's settings), so the only difference between arrows is the rule.

The slider starts at the first step where the gradient's b component and its running mean
point opposite ways: the step at which averaging over time visibly matters.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gen import _scaling as S
from gen._contours import bowl_contour
from gen.spec import FigureSpec, fmt

ID = "fig-scaling-arrows"
SETTING = "lecture"
ARROWS = ("gd", "rmsprop", "momentum", "adam")
LABELS = {
    "gd": "raw gradient step −α·dW",
    "rmsprop": "RMS-scaled −α·dW/(√S+ε)",
    "momentum": "momentum −α·V",
    "adam": "Adam −α·V/(√S+ε)",
}
PAD = 0.25   # margin around the arrows, as a fraction of their extent


def decompose():
    """Per step t of Adam's run: the point x_t and the four candidate steps (steps, 4, 2)."""
    traj = S.trajectory("adam", SETTING)
    alpha = S.lecture_lr()
    t = np.arange(1, traj.steps + 1)[:, None]
    # State after step t (index t) is what produced update t-1 from x_{t-1}.
    v_hat = traj.state_history("mu")[1:, 0, :] / (1 - S.ADAM_B1 ** t)
    s_hat = traj.state_history("nu")[1:, 0, :] / (1 - S.ADAM_B2 ** t)
    g = traj.grads[:, 0, :]
    rms = np.sqrt(s_hat) + S.EPS
    steps = np.stack([-alpha * g, -alpha * g / rms, -alpha * v_hat, -alpha * v_hat / rms], axis=1)
    return traj, steps


def first_disagreement(traj) -> int:
    """The first step where db and Adam's running mean V_db have opposite signs."""
    g_b = traj.grads[:, 0, S.B]
    v_b = traj.state_history("mu")[1:, 0, S.B]
    idx = np.flatnonzero(np.sign(g_b) * np.sign(v_b) < 0)
    return int(idx[0]) if idx.size else 0


def _box(point, vectors):
    ends = np.vstack([point, point + vectors])
    lo, hi = ends.min(axis=0), ends.max(axis=0)
    pad = np.maximum((hi - lo) * PAD, 1e-3)
    return (lo - pad).round(4).tolist(), (hi + pad).round(4).tolist()


def build() -> FigureSpec:
    traj, steps = decompose()
    n_shown = min(S.counted_steps("adam", SETTING), traj.steps)
    start_step = first_disagreement(traj)
    if start_step >= n_shown:
        raise ValueError("the slider's starting step lies beyond the steps shown")
    positions = traj.positions[:, 0, :]
    bowl = S.bowl()
    def arrow_data(t):
        p = positions[t]
        return [dict(x=[p[0], p[0] + steps[t, i, 0]], y=[p[1], p[1] + steps[t, i, 1]])
                for i in range(len(ARROWS))]

    def point_data(t):
        return dict(x=[positions[t, 0]], y=[positions[t, 1]])

    fig = go.Figure()
    fig.add_trace(bowl_contour(bowl, nx=161, ny=121, spacing=0.25, colour="#bdbdbd"))
    fig.add_trace(go.Scatter(
        x=positions[: n_shown + 1, 0], y=positions[: n_shown + 1, 1], mode="lines",
        line=dict(color=S.COLOURS["adam"], width=1, dash="dot"), name="Adam's path",
        hoverinfo="skip",
    ))
    # The point goes under the arrows, so that short arrows stay visible.
    fig.add_trace(go.Scatter(
        **point_data(start_step), mode="markers", name="Adam's point x_t",
        marker=dict(size=7, color="#424242"), hoverinfo="skip",
    ))
    arrows0 = arrow_data(start_step)
    for i, key in enumerate(ARROWS):
        fig.add_trace(go.Scatter(
            **arrows0[i], mode="lines+markers", name=LABELS[key],
            line=dict(color=S.COLOURS[key], width=3 if key != "adam" else 4),
            marker=dict(symbol="arrow", angleref="previous", size=[0, 11], color=S.COLOURS[key]),
            hovertemplate="%{x:.4f}, %{y:.4f}<extra>" + LABELS[key] + "</extra>",
        ))

    frames, slider_steps = [], []
    for t in range(n_shown):
        xr, yr = _box(positions[t], steps[t])
        frames.append(go.Frame(
            name=str(t), data=[go.Scatter(**point_data(t))] + [go.Scatter(**d) for d in arrow_data(t)],
            layout=dict(xaxis=dict(range=xr), yaxis=dict(range=yr)),
        ))
        slider_steps.append(dict(
            method="animate", label=f"step {t}",
            args=[[str(t)], dict(mode="immediate", frame=dict(duration=0, redraw=True),
                                 transition=dict(duration=0))],
        ))
    moving = list(range(2, 2 + 1 + len(ARROWS)))   # the point, then the arrows
    for frame in frames:
        frame.traces = moving
    fig.frames = frames
    xr, yr = _box(positions[start_step], steps[start_step])
    fig.update_layout(
        height=520, margin=dict(l=60, r=20, t=30, b=50),
        xaxis=dict(title=dict(text="w"), range=xr, zeroline=True, constrain="domain"),
        yaxis=dict(title=dict(text="b"), range=yr, zeroline=True, scaleanchor="x", scaleratio=1,
                   constrain="domain"),
        legend=dict(orientation="h", x=0, y=-0.14, xanchor="left", yanchor="top"),
        sliders=[dict(name="Step of Adam's run", active=start_step, steps=slider_steps,
                      currentvalue=dict(prefix="Step of Adam's run: "))],
    )

    norms = np.linalg.norm(steps[start_step], axis=1)
    s = steps[start_step]
    numbers = {
        "start_step": fmt(start_step),
        "last_step": fmt(n_shown - 1),
        "lr": fmt(S.lecture_lr()),
        # At the starting step: the raw gradient's b part and momentum's b part point opposite ways.
        "raw_b": fmt(s[0, S.B], 3),
        "momentum_b": fmt(s[2, S.B], 3),
        "raw_len": fmt(norms[0], 3),
        "rms_len": fmt(norms[1], 3),
        "momentum_len": fmt(norms[2], 3),
        "adam_len": fmt(norms[3], 3),
    }
    rows = {"step": [], "w": [], "b": []}
    for key in ARROWS:
        rows[f"{key}_dw"], rows[f"{key}_db"] = [], []
    for t in range(n_shown):
        rows["step"].append(t)
        rows["w"].append(float(positions[t, 0]))
        rows["b"].append(float(positions[t, 1]))
        for i, key in enumerate(ARROWS):
            rows[f"{key}_dw"].append(float(steps[t, i, 0]))
            rows[f"{key}_db"].append(float(steps[t, i, S.B]))

    caption = (
        "One step of Adam taken apart, drawn from the same point with equal aspect (the view "
        "zooms to the arrows). Dividing by the running RMS (red) changes the arrow's shape and "
        "length: the components become comparable. Averaging over time (green) changes its "
        f"direction: at step {numbers['start_step']}, where the slider starts, db has turned but its "
        "running mean has not. Adam's step (purple) does both. Every arrow uses the lecture's "
        f"α {numbers['lr']} and Adam's own running averages; drag the slider to move along the run."
    )
    alt = (
        f"Arrows from Adam's point at step {numbers['start_step']} of its run from start A "
        f"(α {numbers['lr']}): the raw gradient step has length {numbers['raw_len']} and b "
        f"component {numbers['raw_b']}; the RMS-scaled step has length {numbers['rms_len']}; the "
        f"momentum step has length {numbers['momentum_len']} and b component "
        f"{numbers['momentum_b']} (opposite sign); Adam's step has length {numbers['adam_len']}. "
        f"A slider moves through steps 0 to {numbers['last_step']}."
    )
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=rows, numbers=numbers,
                      title="Adam's step decomposed into RMS scaling and momentum")

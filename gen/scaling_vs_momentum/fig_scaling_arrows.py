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

The arrows differ in length by an order of magnitude (momentum's is long where db has just
turned), so the figure has two panels at equal aspect: every arrow at true scale, and the same
arrows magnified around the point, by the factor its title states, so that the short ones are
not hidden under the point; the longest runs off the magnified panel's edge.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from gen.plots import bowl_contour
from gen.scaling_vs_momentum import runs as S
from gen.spec import FigureSpec
from gen.text import fmt

ID = "fig-scaling-arrows"
SETTING = "lecture"
ARROWS = ("gd", "rmsprop", "momentum", "adam")
LABELS = {
    "gd": "raw gradient step −α·dW",
    "rmsprop": "RMS-scaled −α·dW/(√S+ε)",
    "momentum": "momentum −α·V",
    "adam": "Adam −α·V/(√S+ε)",
}
PAD = 0.15       # margin around the arrows in the true-scale panel, as a fraction of their extent
ZOOM_PAD = 1.25  # the zoomed panel's half-width, in units of the second-longest arrow
TRUE_PANEL, ZOOM_PANEL = "True scale", "Magnified"


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


def _sig(value: float) -> float:
    """Six significant digits: ranges stay exact enough for the tiny steps near the minimum."""
    return float(f"{value:.6g}")


def _square(centre, half):
    return ([_sig(centre[0] - half), _sig(centre[0] + half)],
            [_sig(centre[1] - half), _sig(centre[1] + half)])


def views(point, vectors):
    """The two panels' square views at one step: the true-scale view holds the point and every
    arrow; the zoomed view is centred on the point and holds every arrow but the longest (the
    longest runs off its edge). Returns (true_view, zoom_view, magnification)."""
    ends = np.vstack([point, point + vectors])
    lo, hi = ends.min(axis=0), ends.max(axis=0)
    half_true = max(float((hi - lo).max()) * (0.5 + PAD), 1e-12)
    true_view = _square((lo + hi) / 2, half_true)
    lengths = np.sort(np.linalg.norm(vectors, axis=1))
    half_zoom = max(float(lengths[-2]) * ZOOM_PAD, 1e-12)
    if half_zoom >= half_true:   # the arrows are all of a size: nothing to magnify
        return true_view, true_view, 1.0
    return true_view, _square(point, half_zoom), half_true / half_zoom


def _zoom_title(magnification: float) -> str:
    return f"{ZOOM_PANEL} × {fmt(magnification, 2)}"


def _layout_at(point, vectors, titles):
    """Ranges, the zoom square drawn in the true-scale panel and the zoomed panel's title."""
    (xr, yr), (zx, zy), mag = views(point, vectors)
    annotations = [dict(a) for a in titles]
    annotations[1]["text"] = _zoom_title(mag)
    return dict(
        xaxis=dict(range=xr), yaxis=dict(range=yr), xaxis2=dict(range=zx), yaxis2=dict(range=zy),
        shapes=[dict(type="rect", xref="x", yref="y", x0=zx[0], x1=zx[1], y0=zy[0], y1=zy[1],
                     line=dict(color="#757575", width=1, dash="dash"), layer="above")],
        annotations=annotations,
    )


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

    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1,
                        subplot_titles=(TRUE_PANEL, _zoom_title(1.0)))
    moving = []   # indices of the traces the slider moves: per panel, the point then the arrows
    for col in (1, 2):
        fig.add_trace(bowl_contour(bowl, nx=161, ny=121, spacing=0.25, colour="#bdbdbd"), row=1, col=col)
        fig.add_trace(go.Scatter(
            x=positions[: n_shown + 1, 0], y=positions[: n_shown + 1, 1], mode="lines",
            line=dict(color=S.COLOURS["adam"], width=1, dash="dot"), name="Adam's path",
            hoverinfo="skip", legendgroup="path", showlegend=col == 1,
        ), row=1, col=col)
        # The point goes under the arrows, so that short arrows stay visible.
        moving.append(len(fig.data))
        fig.add_trace(go.Scatter(
            **point_data(start_step), mode="markers", name="Adam's point x_t", legendgroup="point",
            showlegend=col == 1, marker=dict(size=6, color="#757575"), hoverinfo="skip",
        ), row=1, col=col)
        arrows0 = arrow_data(start_step)
        for i, key in enumerate(ARROWS):
            moving.append(len(fig.data))
            fig.add_trace(go.Scatter(
                **arrows0[i], mode="lines+markers", name=LABELS[key], legendgroup=key,
                showlegend=col == 1,
                line=dict(color=S.COLOURS[key], width=3 if key != "adam" else 4),
                marker=dict(symbol="arrow", angleref="previous", size=[0, 10], color=S.COLOURS[key]),
                hovertemplate="%{x:.4f}, %{y:.4f}<extra>" + LABELS[key] + "</extra>",
            ), row=1, col=col)
    fig.update_annotations(font=dict(size=13))
    titles = [a.to_plotly_json() for a in fig.layout.annotations]

    frames, slider_steps = [], []
    for t in range(n_shown):
        per_panel = [go.Scatter(**point_data(t))] + [go.Scatter(**d) for d in arrow_data(t)]
        frames.append(go.Frame(name=str(t), data=per_panel + per_panel, traces=moving,
                               layout=_layout_at(positions[t], steps[t], titles)))
        slider_steps.append(dict(
            method="animate", label=f"step {t}",
            args=[[str(t)], dict(mode="immediate", frame=dict(duration=0, redraw=True),
                                 transition=dict(duration=0))],
        ))
    fig.frames = frames
    fig.update_layout(**_layout_at(positions[start_step], steps[start_step], titles))
    for col, x_name in ((1, "x"), (2, "x2")):
        fig.update_xaxes(title=dict(text="w"), zeroline=True, constrain="domain", nticks=5, row=1, col=col)
        fig.update_yaxes(title=dict(text="b"), zeroline=True, scaleanchor=x_name, scaleratio=1,
                         constrain="domain", row=1, col=col)
    fig.update_layout(
        height=470, margin=dict(l=55, r=15, t=40, b=50),
        legend=dict(orientation="h", x=0, y=-0.16, xanchor="left", yanchor="top"),
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
        "zoom": fmt(views(positions[start_step], s)[2], 2),
        "longest": LABELS[ARROWS[int(np.argmax(norms))]].split(" −")[0],
    }
    rows = {"step": [], "w": [], "b": [], "zoom": []}
    for key in ARROWS:
        rows[f"{key}_dw"], rows[f"{key}_db"] = [], []
    for t in range(n_shown):
        rows["step"].append(t)
        rows["w"].append(float(positions[t, 0]))
        rows["b"].append(float(positions[t, 1]))
        rows["zoom"].append(float(views(positions[t], steps[t])[2]))
        for i, key in enumerate(ARROWS):
            rows[f"{key}_dw"].append(float(steps[t, i, 0]))
            rows[f"{key}_db"].append(float(steps[t, i, S.B]))

    caption = (
        "One step of Adam taken apart: four arrows from the same point, drawn with equal aspect. "
        "In the first panel, all four at true scale (the view fits the arrows); in the second, the "
        f"same arrows magnified {numbers['zoom']} times around the point (the dashed square in the "
        "first), so "
        f"the short ones show; the longest, the {numbers['longest']} step, runs off its edge. "
        "Dividing by the running RMS (red) changes the arrow's shape and length: the components "
        "become comparable. Averaging over time (green) changes its direction: at step "
        f"{numbers['start_step']}, where the slider starts, db has turned but its running mean has "
        "not. Adam's step (purple) does both. Every arrow uses the lecture's "
        f"α {numbers['lr']} and Adam's own running averages; drag the slider to move along the "
        "run (the magnified panel's title follows it)."
    )
    alt = (
        f"Two panels of arrows from Adam's point at step {numbers['start_step']} of its run from "
        f"start A (α {numbers['lr']}), at true scale and magnified {numbers['zoom']} times: the raw "
        f"gradient step has length {numbers['raw_len']} and b component {numbers['raw_b']}; the "
        f"RMS-scaled step has length {numbers['rms_len']}; the momentum step has length "
        f"{numbers['momentum_len']} and b component {numbers['momentum_b']} (opposite sign); "
        f"Adam's step has length {numbers['adam_len']}. A slider moves through steps 0 to "
        f"{numbers['last_step']}."
    )
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=rows, numbers=numbers,
                      title="Adam's step decomposed into RMS scaling and momentum")

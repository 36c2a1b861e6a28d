"""Decision boundaries after 5,000 epochs: where each optimizer's network puts the line between
the two moons (σ(z) = 0.5), over the assignment's 300 points, at the assignment's learning
rate and with its decay (the notebook plots one boundary per optimizer; here they overlap)."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gen.course_network import runs as W
from gen.spec import FigureSpec
from rmsprop_core import network as net

ID = "fig-network-boundaries"
COST = 1
GRID = 60                       # grid points per axis (the boundary is a smooth curve)
XLIM, YLIM = (-1.5, 2.5), (-1.0, 1.5)   # the notebook's plotting box
SETTINGS = (("assignment", None, "α = 0.0007 (the assignment)"),
            ("assignment-decay", "schedule_lr_decay", "with schedule_lr_decay"))


def build() -> FigureSpec:
    traj = W.reproduction()
    rows = W.reproduction_rows()
    X, y = W.data()
    grids = {}
    for s, d, _ in SETTINGS:
        idx = [i for i, r in enumerate(rows) if r[0] in W.METHODS and r[1] == s and r[2] == d]
        xs, ys, P = net.decision_grid(traj.final[idx], XLIM, YLIM, GRID)
        grids[s] = {rows[i][0]: np.round(P[j], 3).tolist() for j, i in enumerate(idx)}
    xs = [round(float(v), 4) for v in xs]
    ys = [round(float(v), 4) for v in ys]
    first = SETTINGS[0][0]
    fig = go.Figure()
    for label, marker, colour in ((0, "circle", "#b2182b"), (1, "diamond", "#2166ac")):
        pts = X[y == label]
        fig.add_trace(go.Scatter(x=np.round(pts[:, 0], 4).tolist(), y=np.round(pts[:, 1], 4).tolist(),
                                 mode="markers", name=f"label {label}",
                                 marker=dict(size=6, symbol=marker, color=colour, opacity=0.75),
                                 hovertemplate="(%{x:.2f}, %{y:.2f})<extra>label " + str(label) + "</extra>"))
    for key in W.METHODS:
        _, colour, dash, _ = W.METHODS[key]
        fig.add_trace(go.Contour(
            x=xs, y=ys, z=grids[first][key], name=W.name(key), showlegend=True, showscale=False,
            contours=dict(start=0.5, end=0.5, size=1, coloring="lines"), line=dict(width=2.5, dash=dash),
            colorscale=[[0, colour], [1, colour]], hoverinfo="skip"))
    contour_traces = list(range(2, 2 + len(W.METHODS)))
    fig.update_layout(
        height=480, margin=dict(l=50, r=20, t=60, b=60),
        xaxis=dict(title=dict(text="x₁"), range=list(XLIM), constrain="domain"),
        yaxis=dict(title=dict(text="x₂"), range=list(YLIM), scaleanchor="x", scaleratio=1, constrain="domain"),
        legend=dict(orientation="h", x=0, y=-0.15, xanchor="left", yanchor="top"),
        updatemenus=[dict(type="buttons", direction="right", active=0, showactive=True, name="Setting",
                          x=0, y=1.02, xanchor="left", yanchor="bottom",
                          buttons=[dict(label=label, method="restyle",
                                        args=[{"z": [grids[s][k] for k in W.METHODS]}, contour_traces])
                                   for s, _, label in SETTINGS])],
    )
    res = {(r["method"], r["setting"]): r for r in W.reproduction_results() if r["decay"] in (None, "schedule_lr_decay")}
    n = {k: W.percent(res[k, "assignment"]["train_accuracy"]) for k in W.METHODS}
    n.update({f"{k}_decay": W.percent(res[k, "assignment-decay"]["train_accuracy"]) for k in W.METHODS})
    data = {"x1": xs, "x2": ys, "probability": grids, "points": {"x1": X[:, 0].tolist(), "x2": X[:, 1].tolist(),
                                                                 "label": y.astype(int).tolist()},
            "note": "sigma(z) of each optimizer's network after 5,000 epochs on a grid (rows along x2); "
                    "the boundary is the 0.5 level"}
    caption = (
        "Where each optimizer's network separates the two moons after 5,000 epochs (the line σ(z) = 0.5), "
        f"over the assignment's 300 points. At α = 0.0007 gradient descent ({n['gd']} of the points right) and "
        f"momentum ({n['momentum']}) still draw an almost straight line; Adam ({n['adam']}), RMSprop "
        f"({n['rmsprop']}) and sign descent ({n['sign']}) bend it around the moons. With decay (second button) "
        f"every boundary bends: gradient descent {n['gd_decay']}, Adam {n['adam_decay']}. Equal aspect."
    )
    alt = (
        "Scatter plot of the assignment's two moons (label 0 circles, label 1 diamonds) with the decision "
        "boundary of each optimizer's network after 5,000 epochs. Training accuracy at α = 0.0007: gradient "
        f"descent {n['gd']}, momentum {n['momentum']}, Adam {n['adam']}, RMSprop {n['rmsprop']}, normalised GD "
        f"{n['normalized_gd']}, sign descent {n['sign']}; with schedule_lr_decay {n['gd_decay']}, "
        f"{n['momentum_decay']}, {n['adam_decay']}, {n['rmsprop_decay']}, {n['normalized_gd_decay']}, {n['sign_decay']}."
    )
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=data,
                      numbers={k: v for k, v in n.items()}, title="Decision boundaries in the course's network")

"""The thread's "favourable" parameters in the course's network: a parameter whose gradient keeps
one sign is one where gradient descent already has a good trajectory. Does RMSprop move such a
parameter faster or slower than gradient descent, and than the other parameters?

For each of the 30 parameters over the first WINDOW epochs of RMSprop at the assignment's
α = 0.0007: its steadiness |Σ g| / Σ |g| (1: the gradient never changes sign; near 0: it
flips back and forth), and the median size of its step in units of α — RMSprop's, |g|/√S,
and the step gradient descent would take from the same gradient, |g|.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gen.course_network import runs as W
from gen.spec import FigureSpec
from gen.text import fmt

ID = "fig-network-steady"
COST = 6
WINDOW = 100           # epochs
STEADY = 0.9           # "favourable": steadiness at least this
LAYER_OF = ["W1"] * 10 + ["b1"] * 5 + ["W2"] * 10 + ["b2"] * 2 + ["W3"] * 2 + ["b3"]


def per_parameter() -> dict:
    m = W.parameter_measures()
    win = slice(0, WINDOW * W.steps_per_epoch())
    g, u = m["g"][win], m["u"][win]
    alive = np.abs(g).sum(axis=0) > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        steady = np.abs(g.sum(axis=0)) / np.abs(g).sum(axis=0)
    return {"alive": alive, "steady": steady, "rms": np.median(np.abs(u), axis=0) / W.LR,
            "gd": np.median(np.abs(g), axis=0)}


def _rank_corr(a, b) -> float:
    ra, rb = np.argsort(np.argsort(a)), np.argsort(np.argsort(b))
    return float(np.corrcoef(ra, rb)[0, 1])


def build() -> FigureSpec:
    p = per_parameter()
    alive = p["alive"]
    x = np.round(p["steady"][alive], 4).tolist()
    layers = [l for l, a in zip(LAYER_OF, alive) if a]
    fig = go.Figure()
    for key, label, colour, symbol in (("rms", "RMSprop's step", "#d62728", "circle"),
                                       ("gd", "gradient descent's step (same gradient)", "#1f77b4", "square")):
        fig.add_trace(go.Scatter(
            x=x, y=np.round(p[key][alive], 6).tolist(), mode="markers", name=label, text=layers,
            marker=dict(size=8, color=colour, symbol=symbol, opacity=0.8),
            hovertemplate="%{text}: steadiness %{x:.2f}, step %{y:.3g} α<extra>" + label + "</extra>"))
    fig.update_layout(
        height=440, margin=dict(l=70, r=20, t=30, b=60),
        xaxis=dict(title=dict(text="steadiness of the gradient |Σg| / Σ|g|"), range=[0, 1.02]),
        yaxis=dict(title=dict(text="median step (units of α)"), type="log", exponentformat="power"),
        legend=dict(orientation="h", x=0, y=-0.2, xanchor="left", yanchor="top"),
    )
    fav = alive & (p["steady"] >= STEADY)
    rest = alive & ~fav
    n = {"window": fmt(WINDOW), "steady": fmt(STEADY), "alive": fmt(int(alive.sum())), "params": fmt(alive.size),
         "favourable": fmt(int(fav.sum())),
         "fav_rms": fmt(float(np.median(p["rms"][fav])), 2), "rest_rms": fmt(float(np.median(p["rms"][rest])), 2),
         "fav_gd": fmt(float(np.median(p["gd"][fav])), 2), "rest_gd": fmt(float(np.median(p["gd"][rest])), 2),
         "fav_speedup": fmt(float(np.median(p["rms"][fav] / p["gd"][fav])), 2),
         "rest_speedup": fmt(float(np.median(p["rms"][rest] / p["gd"][rest])), 2),
         "corr_rms": fmt(_rank_corr(p["steady"][alive], p["rms"][alive]), 2)}
    data = {"layer": LAYER_OF, "alive": alive.tolist(),
            "steadiness": [None if not a else round(float(v), 6) for v, a in zip(p["steady"], alive)],
            "rmsprop_step_in_alpha": np.round(p["rms"], 6).tolist(), "gd_step_in_alpha": np.round(p["gd"], 6).tolist(),
            "note": f"per parameter over the first {WINDOW} epochs of RMSprop at alpha {W.LR}: steadiness |sum g| / "
                    "sum |g|, and the median step in units of alpha of RMSprop (|g|/sqrt(S)) and of gradient descent "
                    "from the same gradient (|g|); parameters whose gradient is always zero are left out"}
    caption = (
        f"Each dot is one of the network's parameters over the first {n['window']} epochs of RMSprop at α = "
        f"{W.LR}: how steadily its gradient keeps one sign (right: always the same sign, where gradient descent "
        f"already has a good trajectory) and how long a step it gets. The {n['favourable']} parameters with "
        f"steadiness at least {n['steady']} move {n['fav_rms']} α a step under RMSprop, against {n['fav_gd']} α "
        f"for gradient descent from the same gradient ({n['fav_speedup']} times faster); the others "
        f"{n['rest_rms']} α against {n['rest_gd']} α. RMSprop does not slow the favourable parameters: it moves "
        f"them about as far per step as the others."
    )
    alt = (
        f"Scatter plot, one point per parameter ({n['alive']} of {n['params']} with a nonzero gradient), of the "
        f"gradient's steadiness (0 to 1) against the median step in units of α on a log scale, for RMSprop and for "
        f"gradient descent from the same gradients. Parameters with steadiness at least {n['steady']}: RMSprop "
        f"{n['fav_rms']} α, gradient descent {n['fav_gd']} α; the others: {n['rest_rms']} α and {n['rest_gd']} α."
    )
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=data, numbers=n,
                      title="Steady parameters: RMSprop's step against gradient descent's")

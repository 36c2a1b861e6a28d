"""Start B with gradient noise: does RMSprop still invent the sideways step, and does its
w-oscillation stay, grow or drown in the noise?

Each method runs from B at its rate tuned for the noisy problem (the lowest median loss after
the budget, gen/noisy_gradients/runs.py) over SEEDS seeds, at σ = 0 (the same rule without noise), 0.03, 0.1
and 0.3. The plot draws, for each method, the seed whose final loss is the median one. The
numbers measure the sideways motion by size over all seeds: the distance travelled in w over
the budget (rc.metrics.travel; the straight path needs |w₀| = 0.05) and the largest distance
from the b axis after LATE steps (rc.metrics.swing).
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

import rmsprop_core as rc
from gen import settings as S
from gen.noisy_gradients import runs as N
from gen.plots import bowl_contour
from gen.spec import FigureSpec
from gen.text import fmt, sci

ID = "fig-noise-paths"
COST = 3
START = "B"
LATE = 100                               # "late": after this step the path should sit still
VIEW = ((-0.75, 0.75), (-0.3, 1.95))     # the b axis and the minimum, at equal aspect
W = 0


def _median_seed(key: str, sigma: float) -> int:
    """The row (within the σ block) whose loss after the budget is the median one."""
    loss = N.paths(key).loss[-1, N.path_rows(START, sigma)]
    return int(np.argsort(loss, kind="stable")[N.SEEDS // 2])


def measures(key: str, sigma: float) -> dict:
    traj, rows = N.paths(key), N.path_rows(START, sigma)
    return {"travel": N.band(rc.metrics.travel(traj, axis=W)[rows]),
            "swing": N.band(rc.metrics.swing(traj, W, start=LATE)[rows]),
            "first_w": N.band(np.abs(traj.updates[0, rows, W]))}


def _band_text(b) -> str:
    return f"{fmt(b[1])} ({fmt(b[0])}–{fmt(b[2])})"


def build() -> FigureSpec:
    bowl = S.bowl()
    sigma0 = N.SIGMA

    def path(key, sigma):
        r = N.path_rows(START, sigma).start + _median_seed(key, sigma)
        p = N.paths(key).positions[:, r, :]
        return [round(float(v), 5) for v in p[:, 0]], [round(float(v), 5) for v in p[:, 1]]

    def label(key, sigma):
        return f"{S.method(key).name} (α {fmt(N.floor_rates(key)[N.START_KEYS.index(START), N.sigma_index(sigma)])})"

    fig = go.Figure()
    fig.add_trace(bowl_contour(bowl))
    for key in N.METHODS:
        x, y = path(key, sigma0)
        m = S.method(key)
        fig.add_trace(go.Scatter(
            x=x, y=y, mode="lines+markers", name=label(key, sigma0),
            line=dict(color=m.colour, width=1.5, dash=m.dash), marker=dict(size=2.5, color=m.colour),
            hovertemplate="step %{pointNumber}: w=%{x:.3f}, b=%{y:.3f}<extra>" + m.name + "</extra>"))
    sw, sb = S.STARTS[START]
    fig.add_trace(go.Scatter(x=[sw], y=[sb], mode="markers+text", text=[START], textposition="top right",
                             marker=dict(size=10, color="#2e7d32"), name="start", hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=[0], y=[0], mode="markers", marker=dict(size=10, symbol="x", color="#616161"),
                             name="minimum", hoverinfo="skip"))
    traces = list(range(1, len(N.METHODS) + 1))

    def args(sigma):
        xy = [path(k, sigma) for k in N.METHODS]
        return [{"x": [p[0] for p in xy], "y": [p[1] for p in xy],
                 "name": [label(k, sigma) for k in N.METHODS]}, traces]

    (x0, x1), (y0, y1) = VIEW
    fig.update_layout(
        height=620, margin=dict(l=50, r=20, t=60, b=50),
        xaxis=dict(title=dict(text="w"), range=[x0, x1], zeroline=True, constrain="domain"),
        yaxis=dict(title=dict(text="b"), range=[y0, y1], zeroline=True, scaleanchor="x", scaleratio=1,
                   constrain="domain"),
        legend=dict(orientation="h", x=0, y=-0.12, xanchor="left", yanchor="top"),
        updatemenus=[dict(
            type="buttons", direction="right", active=N.sigma_index(sigma0), showactive=True,
            name="Noise level", x=0, y=1.02, xanchor="left", yanchor="bottom",
            buttons=[dict(label=N.sigma_text(s), method="restyle", args=args(s)) for s in N.SIGMAS])],
    )

    m = {(k, s): measures(k, s) for k in N.METHODS for s in N.SIGMAS}
    gd, rms = m["gd", sigma0], m["rmsprop", sigma0]
    n = {
        "sigma": fmt(sigma0), "seeds": fmt(N.SEEDS), "budget": fmt(N.BUDGET), "late": fmt(LATE),
        "straight_w": fmt(abs(sw)),
        "gd_travel": _band_text(gd["travel"]), "rmsprop_travel": _band_text(rms["travel"]),
        "gd_travel_clean": fmt(m["gd", 0.0]["travel"][1]),
        "rmsprop_travel_clean": fmt(m["rmsprop", 0.0]["travel"][1]),
        "rmsprop_over_gd_travel": fmt(rms["travel"][1] / gd["travel"][1], 2),
        "gd_swing": _band_text(gd["swing"]), "rmsprop_swing": _band_text(rms["swing"]),
        "rmsprop_swing_clean": sci(m["rmsprop", 0.0]["swing"][1]),
        "gd_swing_clean": sci(m["gd", 0.0]["swing"][1]),
        "rmsprop_over_gd_swing": fmt(rms["swing"][1] / gd["swing"][1], 2),
        "rmsprop_first_w": fmt(rms["first_w"][1]), "gd_first_w": sci(gd["first_w"][1]),
        "rmsprop_first_w_clean": fmt(m["rmsprop", 0.0]["first_w"][1]),
        "rmsprop_travel_high": fmt(m["rmsprop", N.SIGMAS[-1]]["travel"][1]),
        "gd_travel_high": fmt(m["gd", N.SIGMAS[-1]]["travel"][1]),
        "sigma_high": fmt(N.SIGMAS[-1]),
    }
    data = {"start": START, "sigma": list(N.SIGMAS), "seeds": N.SEEDS, "budget": N.BUDGET, "late_from": LATE,
            "methods": {k: {"lr": [float(N.floor_rates(k)[N.START_KEYS.index(START), j]) for j in range(len(N.SIGMAS))],
                            "w_travel_p10_p50_p90": [list(m[k, s]["travel"]) for s in N.SIGMAS],
                            "w_swing_late_p10_p50_p90": [list(m[k, s]["swing"]) for s in N.SIGMAS],
                            "first_w_step_p10_p50_p90": [list(m[k, s]["first_w"]) for s in N.SIGMAS]}
                        for k in N.METHODS},
            "note": "per method and noise level sigma: the w-distance travelled over the budget and the "
                    "largest |w| after step late_from, 10th/50th/90th percentile over the seeds; each method "
                    "at its rate tuned for the noisy problem (lowest median loss after the budget)"}
    caption = (
        f"Start B with gradient noise σ = {n['sigma']} (buttons: other levels), each method at its rate "
        f"tuned for the noisy problem, the seed with the median final loss of {n['seeds']} drawn. RMSprop "
        f"still invents the sideways step: its first step in w is {n['rmsprop_first_w']} long, as without noise "
        f"({n['rmsprop_first_w_clean']}), against gradient descent's {n['gd_first_w']}. Over {n['budget']} steps "
        f"it travels {n['rmsprop_travel']} in w (median, 10–90% over seeds), gradient descent "
        f"{n['gd_travel']}: the noise adds sideways motion to both, and RMSprop's stays "
        f"{n['rmsprop_over_gd_travel']} times larger. Equal aspect; double-click for the whole bowl."
    )
    alt = (
        f"Contour plot of the course bowl near the b axis with one noisy path from start B for each of "
        f"gradient descent, momentum, RMSprop, Adam and sign descent at noise σ = {n['sigma']}. Measured over "
        f"{n['seeds']} seeds: distance travelled in w over {n['budget']} steps, RMSprop {n['rmsprop_travel']}, "
        f"gradient descent {n['gd_travel']} (without noise {n['rmsprop_travel_clean']} and {n['gd_travel_clean']}; "
        f"the straight path needs {n['straight_w']}); largest distance from the b axis after step {n['late']}: "
        f"RMSprop {n['rmsprop_swing']}, gradient descent {n['gd_swing']}."
    )
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=data, numbers=n,
                      title="Start B with gradient noise")

"""The noise floor: the loss after the budget against the learning rate, for each method, at
three noise levels, from start A (median over the seeds and a 10–90% band).

With noise, a constant rate does not converge: the iterate settles into a cloud whose size
grows with α (for gradient descent on a quadratic the stationary variance of eigen-coordinate
i is α σ² / (λ_i (2 − α λ_i)), tested in tests/core/test_noise.py). A small α shrinks the cloud
but needs more steps to arrive, so every method has a best α for a given budget, and the
floor at that α is the comparison that remains when no rate keeps the loss within the
tolerance.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gen import settings as S
from gen.noisy_gradients import runs as N
from gen.spec import FigureSpec
from gen.text import fmt, prose_name, sci

ID = "fig-noise-floor"
COST = 2
START = "A"
SHOWN = tuple(s for s in N.SIGMAS if s > 0)


def _hex_rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def curves(key: str, sigma: float):
    """(median, p10, p90) over seeds of the loss after the budget, per rate; None where a
    run diverged (no finite loss to plot)."""
    loss = N.floor(key)[N.START_KEYS.index(START), N.sigma_index(sigma)]
    q = N.quantiles(loss, [50, 10, 90], axis=1)

    def clean(v):
        return [round(float(x), 12) if np.isfinite(x) else None for x in v]

    return tuple(clean(v) for v in q)


def build() -> FigureSpec:
    sigma0 = N.SIGMA
    lrs = [float(v) for v in N.LRS]
    fig = go.Figure()
    for key in N.METHODS:
        m = S.method(key)
        med, lo, hi = curves(key, sigma0)
        # the band: upper edge then lower edge filled to it (one trace each, no legend entry)
        fig.add_trace(go.Scatter(x=lrs, y=hi, mode="lines", line=dict(width=0), showlegend=False,
                                 hoverinfo="skip", legendgroup=key, name=f"{m.name} 90%"))
        fig.add_trace(go.Scatter(x=lrs, y=lo, mode="lines", line=dict(width=0), fill="tonexty",
                                 fillcolor=_hex_rgba(m.colour, 0.15), showlegend=False, hoverinfo="skip",
                                 legendgroup=key, name=f"{m.name} 10%"))
        fig.add_trace(go.Scatter(
            x=lrs, y=med, mode="lines", name=m.name, legendgroup=key,
            line=dict(color=m.colour, width=2, dash=m.dash),
            hovertemplate="α %{x:.3g}: median loss %{y:.2e}<extra>" + m.name + "</extra>"))
    # the tolerance as a legend entry (an hline's annotation lands at the wrong height on a log axis)
    fig.add_trace(go.Scatter(x=[lrs[0], lrs[-1]], y=[N.TOL, N.TOL], mode="lines", name=f"tolerance {sci(N.TOL)}",
                             line=dict(color="#757575", width=1, dash="dot"), hoverinfo="skip"))

    def args(sigma):
        ys = []
        for key in N.METHODS:
            med, lo, hi = curves(key, sigma)
            ys += [hi, lo, med]
        return [{"y": ys}, list(range(3 * len(N.METHODS)))]

    fig.update_layout(
        height=480, margin=dict(l=70, r=20, t=60, b=60),
        xaxis=dict(title=dict(text="learning rate α"), type="log"),
        yaxis=dict(title=dict(text=f"loss after {N.BUDGET} steps"), type="log", range=[-7, 1.5],
                   exponentformat="power"),
        legend=dict(orientation="h", x=0, y=-0.18, xanchor="left", yanchor="top"),
        updatemenus=[dict(
            type="buttons", direction="right", active=SHOWN.index(sigma0), showactive=True,
            name="Noise level", x=0, y=1.02, xanchor="left", yanchor="bottom",
            buttons=[dict(label=N.sigma_text(s), method="restyle", args=args(s)) for s in SHOWN])],
    )

    best = {(k, s): N.floor_best(k, START, s) for k in N.METHODS for s in N.SIGMAS}
    n = {"start": START, "budget": fmt(N.BUDGET), "seeds": fmt(N.SEEDS), "sigma": fmt(sigma0),
         "sigmas": ", ".join(fmt(s) for s in SHOWN)}
    for key in N.METHODS:
        for s in N.SIGMAS:
            tag = f"{key}_{'clean' if s == 0 else fmt(s).replace('.', '')}"
            n[f"{tag}_lr"] = fmt(best[key, s]["lr"])
            n[f"{tag}_loss"] = sci(best[key, s]["median"])
    # how the best rate moves with the noise (gradient descent: smaller as σ grows)
    n["gd_lr_shrink"] = fmt(best["gd", 0.0]["lr"] / best["gd", sigma0]["lr"], 2)
    order = sorted(N.METHODS, key=lambda k: best[k, sigma0]["median"])
    n["lowest"] = prose_name(S.method(order[0]).name)
    n["highest"] = prose_name(S.method(order[-1]).name)
    data = {"start": START, "budget": N.BUDGET, "seeds": N.SEEDS, "lr": lrs, "sigma": list(SHOWN),
            "loss_after_budget": {k: {fmt(s): dict(zip(("median", "p10", "p90"), curves(k, s))) for s in SHOWN}
                                  for k in N.METHODS},
            "best": {k: {fmt(s): {"lr": best[k, s]["lr"], "median": best[k, s]["median"],
                                  "p10": best[k, s]["p10"], "p90": best[k, s]["p90"]} for s in N.SIGMAS}
                     for k in N.METHODS},
            "note": "loss after the budget from start A, quantiles over the seeds, per learning rate; "
                    "null where the run diverged"}
    caption = (
        f"The loss after {n['budget']} steps from start A against the learning rate, median over "
        f"{n['seeds']} noise seeds with a 10–90% band, at σ = {n['sigma']} (buttons: {n['sigmas']}). "
        f"Every curve has a best α: smaller rates do not arrive in time, larger ones settle into a "
        f"wider cloud. At σ = {n['sigma']} gradient descent's best rate is {n['gd_01_lr']} "
        f"({n['gd_lr_shrink']} times smaller than without noise) and reaches {n['gd_01_loss']}; RMSprop "
        f"reaches {n['rmsprop_01_loss']} at {n['rmsprop_01_lr']}, Adam {n['adam_01_loss']}, sign descent "
        f"{n['sign_01_loss']}. The dotted line is the tolerance."
    )
    alt = (
        f"Log–log plot of the loss after {n['budget']} steps against the learning rate for gradient descent, "
        f"momentum, RMSprop, Adam and sign descent with gradient noise σ = {n['sigma']}, from start A. "
        f"Best median losses: gradient descent {n['gd_01_loss']} at α {n['gd_01_lr']}, momentum "
        f"{n['momentum_01_loss']} at {n['momentum_01_lr']}, RMSprop {n['rmsprop_01_loss']} at "
        f"{n['rmsprop_01_lr']}, Adam {n['adam_01_loss']} at {n['adam_01_lr']}, sign descent "
        f"{n['sign_01_loss']} at {n['sign_01_lr']}."
    )
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=data, numbers=n,
                      title="The noise floor against the learning rate")

"""Signal to noise: how often a step moves uphill along a coordinate, against that coordinate's
signal-to-noise ratio |∂f/∂x_i| / σ — Balles & Hennig's (2018, "Dissecting Adam") argument
about sign-like steps, measured.

Gradient descent, RMSprop and sign descent all step along −sign of the noisy gradient in each
coordinate (they only scale it), so by count they move uphill equally often: with Gaussian
noise, with probability Φ(−SNR) (the dashed line). What separates them is the size of the
wrong steps. Gradient descent's step is proportional to the noisy gradient, so a step that the
noise turned around is a short one; sign descent's is α whatever the evidence; RMSprop divides
by √S, which near the minimum measures the noise, so its wrong steps are about α·z, between the
two. Momentum and Adam step along an average of past gradients, which the noise moves less.

Samples: every step of every seed from starts A and B at σ = 0.03, 0.1 and 0.3, each method at
its floor-tuned rate (gen/noisy_gradients/runs.py), pooled per SNR bin.
"""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from gen import settings as S
from gen.noisy_gradients import runs as N
from gen.spec import FigureSpec
from gen.text import fmt

ID = "fig-noise-snr"
COST = 3
EDGES = np.geomspace(1e-2, 1e2, 17)            # SNR bins, 4 per decade
CENTRES = np.sqrt(EDGES[:-1] * EDGES[1:])
MIN_SAMPLES = 200                               # a bin with fewer samples is not drawn
LENSES = ("count", "size")


def _phi(x: float) -> float:
    return 0.5 * math.erfc(x / math.sqrt(2))


#: Φ(−SNR) tabulated on a fine log grid (numpy has no erfc): interpolating it is exact to ~1e-6
_TABLE_SNR = np.geomspace(EDGES[0] / 2, EDGES[-1] * 2, 4001)
_TABLE_PHI = np.array([_phi(v) for v in _TABLE_SNR])


def wrong_fractions(key: str) -> dict:
    """Per SNR bin: the fraction of coordinate-steps that move uphill (by count), the
    fraction of the distance moved that is uphill (by size), the fraction a step along the
    noisy gradient's sign would get wrong, the mean of Φ(−SNR) over the bin's samples
    (``expected``), and the samples per bin."""
    traj = N.paths(key)
    sigma = np.repeat(np.array(N.SIGMAS)[None, :], len(N.START_KEYS), 0).ravel()
    sigma = np.repeat(sigma, N.SEEDS)                                   # per row
    keep = sigma > 0
    x = traj.positions[:-1][:, keep]                                    # (steps, rows, 2)
    g = x * S.bowl().eigenvalues                                        # the noise-free gradient
    u = traj.updates[:, keep]
    snr = np.abs(g) / sigma[keep][None, :, None]
    uphill = u * g > 0
    size = np.abs(u)
    which = np.digitize(snr, EDGES) - 1                                 # bin per sample
    ok = (which >= 0) & (which < CENTRES.size) & (g != 0)
    counts = np.bincount(which[ok], minlength=CENTRES.size)
    wrong = np.bincount(which[ok], weights=uphill[ok].astype(float), minlength=CENTRES.size)
    moved = np.bincount(which[ok], weights=size[ok], minlength=CENTRES.size)
    expected = np.bincount(which[ok], weights=np.interp(np.log(snr[ok]), np.log(_TABLE_SNR), _TABLE_PHI),
                           minlength=CENTRES.size)
    moved_wrong = np.bincount(which[ok], weights=(size * uphill)[ok], minlength=CENTRES.size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {"count": np.where(counts >= MIN_SAMPLES, wrong / counts, np.nan),
                "size": np.where(counts >= MIN_SAMPLES, moved_wrong / moved, np.nan),
                "expected": np.where(counts >= MIN_SAMPLES, expected / counts, np.nan),
                "samples": counts}


def _clean(v):
    return [None if not np.isfinite(x) else round(float(x), 5) for x in v]


def _at(frac: np.ndarray, snr: float) -> float:
    return float(frac[int(np.argmin(np.abs(np.log(CENTRES / snr))))])


def build() -> FigureSpec:
    res = {k: wrong_fractions(k) for k in N.METHODS}
    theory = [round(_phi(s), 5) for s in CENTRES]
    x = [round(float(c), 5) for c in CENTRES]
    fig = go.Figure()
    for key in N.METHODS:
        m = S.method(key)
        fig.add_trace(go.Scatter(
            x=x, y=_clean(res[key]["count"]), mode="lines+markers", name=m.name,
            line=dict(color=m.colour, width=2, dash=m.dash), marker=dict(size=5, color=m.colour),
            hovertemplate="SNR %{x:.2g}: %{y:.1%} uphill<extra>" + m.name + "</extra>"))
    fig.add_trace(go.Scatter(x=x, y=theory, mode="lines", name="Φ(−SNR): the noisy gradient's sign is wrong",
                             line=dict(color="#616161", width=1.5, dash="dash"), hoverinfo="skip"))
    lens_title = {"count": "fraction of steps that move uphill",
                  "size": "fraction of the distance moved uphill"}
    fig.update_layout(
        height=460, margin=dict(l=70, r=20, t=60, b=60),
        xaxis=dict(title=dict(text="signal to noise |∂f/∂xᵢ| / σ"), type="log"),
        yaxis=dict(title=dict(text=lens_title["count"]), range=[0, 0.55], tickformat=".0%"),
        legend=dict(orientation="h", x=0, y=-0.2, xanchor="left", yanchor="top"),
        updatemenus=[dict(
            type="buttons", direction="right", active=0, showactive=True, name="Measure",
            x=0, y=1.02, xanchor="left", yanchor="bottom",
            buttons=[dict(label=f"by {lens}", method="update",
                          args=[{"y": [_clean(res[k][lens]) for k in N.METHODS]},
                                {"yaxis.title.text": lens_title[lens]}, list(range(len(N.METHODS)))])
                     for lens in LENSES])],
    )
    snr_lo = 0.3
    n = {"snr": fmt(snr_lo), "seeds": fmt(N.SEEDS),
         "expected": fmt(100 * _at(res["gd"]["expected"], snr_lo), 2)}
    for key in N.METHODS:
        for lens in LENSES:
            n[f"{key}_{lens}"] = fmt(100 * _at(res[key][lens], snr_lo), 2)
        n[f"{key}_expected"] = fmt(100 * _at(res[key]["expected"], snr_lo), 2)
    data = {"snr_bin_edges": [float(e) for e in EDGES], "snr": x, "theory_phi": theory,
            "fraction_uphill": {k: {lens: _clean(res[k][lens]) for lens in LENSES} for k in N.METHODS},
            "expected_phi": {k: _clean(res[k]["expected"]) for k in N.METHODS},
            "samples": {k: [int(c) for c in res[k]["samples"]] for k in N.METHODS},
            "note": "per SNR bin: the fraction of coordinate-steps whose sign moves uphill on the noise-free "
                    "loss (count) and the fraction of the distance moved that is uphill (size); bins with "
                    f"fewer than {MIN_SAMPLES} samples are null"}
    caption = (
        f"How often a step moves uphill along a coordinate, against that coordinate's signal-to-noise "
        f"ratio, pooled over every step of {n['seeds']} seeds from A and B at three noise levels. By count "
        f"(first button), gradient descent, RMSprop and sign descent follow the dashed line Φ(−SNR): in the "
        f"bin around SNR {n['snr']} they move uphill on {n['gd_count']}%, {n['rmsprop_count']}% and "
        f"{n['sign_count']}% of steps (Φ predicts {n['expected']}%), because each steps along the sign of the "
        f"noisy gradient. By size (second button), the uphill share of the distance moved is "
        f"{n['gd_size']}% for gradient descent, {n['rmsprop_size']}% for RMSprop and {n['sign_size']}% for sign "
        f"descent. Momentum, which averages past gradients, moves uphill on {n['momentum_count']}% of steps; "
        f"Adam, which divides that average by the noise's size, on {n['adam_count']}%."
    )
    alt = (
        f"Line chart of the fraction of steps that move uphill against the signal-to-noise ratio (log axis "
        f"0.01 to 100) for gradient descent, momentum, RMSprop, Adam and sign descent, with the curve Φ(−SNR). "
        f"Around SNR {n['snr']}: by count gradient descent {n['gd_count']}%, RMSprop {n['rmsprop_count']}%, sign "
        f"descent {n['sign_count']}%, momentum {n['momentum_count']}%, Adam {n['adam_count']}% "
        f"(Φ: {n['expected']}%); by distance gradient descent {n['gd_size']}%, RMSprop {n['rmsprop_size']}%, sign "
        f"descent {n['sign_size']}%, momentum {n['momentum_size']}%, Adam {n['adam_size']}%."
    )
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=data, numbers=n,
                      title="Uphill steps against the signal-to-noise ratio")

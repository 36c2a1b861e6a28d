"""Alignment: where per-coordinate scaling stops paying. The bowl f = (w² + κ b²)/2 rotated by
0° to 45°, steps(RMSprop) / steps(gradient descent) over (angle, κ), each tuned per cell.

The starts turn with the bowl (x0 = R z for the same z at every angle), so gradient descent,
which is rotation-equivariant, takes the same steps at every angle; RMSprop, which rescales
each coordinate, does not.
"""
from __future__ import annotations

import functools
import math

import numpy as np
import plotly.graph_objects as go

import rmsprop_core as rc
from gen import settings as S
from gen.spec import FigureSpec
from gen.text import fmt
from gen.when_rmsprop_helps import runs as H

ID = "fig-alignment"
COST = 6   # rough seconds to build (gen/build.py starts the longest first)
ANGLES_DEG = np.array([0.0, 15.0, 30.0, 45.0])
KAPPAS = H.KAPPAS[2:7]                # 10 … 10³: below, RMSprop loses even aligned; above,
                                      # neither settles within the budget once the bowl turns
TOLS = H.TOLS[:3]                     # 10⁻¹, 10⁻², 10⁻³: where aligned RMSprop can win
N_STARTS = 32
CLIP = 2.0
METHODS = ("gd", "rmsprop")


#: Gradient descent is rotation-equivariant: it is measured aligned and at the largest angle
#: (the same counts, the check), and its aligned counts are the baseline at every angle.
GD_ANGLES = (0, ANGLES_DEG.size - 1)


def _cells(angles=tuple(range(ANGLES_DEG.size))):
    """Cell c = (angle index, κ index), angle-major."""
    a, k = np.meshgrid(np.array(angles), np.arange(KAPPAS.size), indexing="ij")
    return a.ravel(), k.ravel()


def _starts(angle_index: np.ndarray) -> np.ndarray:
    z = H.starts(N_STARTS)
    return np.stack([H.turned(z, math.radians(ANGLES_DEG[a])) for a in angle_index])


@functools.cache
def grid(key: str) -> rc.GridTuning:
    a, k = _cells(GD_ANGLES if key == "gd" else tuple(range(ANGLES_DEG.size)))
    make = S.METHODS[key].make
    return rc.tune_grid(lambda lr, cell: make(lr), H.bowls(KAPPAS[k], np.radians(ANGLES_DEG[a])),
                        a.size, _starts(a), H.LRS, H.BUDGET, TOLS, horizon=H.horizon(key),
                        criterion="median")


@functools.cache
def compute() -> dict:
    gd, rms = grid("gd"), grid("rmsprop")
    nk = KAPPAS.size
    gd_aligned = np.tile(gd.steps[:nk], (ANGLES_DEG.size, 1, 1))      # the baseline at every angle
    ratio, kind = H.median_ratio(rms.steps, gd_aligned, H.BUDGET)     # (cells, tols)
    shape = (ANGLES_DEG.size, nk, TOLS.size)
    # gradient descent aligned and at 45°: how far apart (the floor below which counts are "the same")
    gd_med = np.median(H.censored(gd.steps, H.BUDGET), axis=-1).reshape(len(GD_ANGLES), nk, TOLS.size)
    return {"gd": gd, "rmsprop": rms, "ratio": ratio.reshape(shape), "kind": kind.reshape(shape),
            "gd_median": gd_med,
            "gd_same_starts": bool((gd.steps[:nk] == gd.steps[nk:]).all()),
            "gd_spread": float(np.max(gd_med.max(axis=0) / gd_med.min(axis=0)) - 1)}


def build() -> FigureSpec:
    res = compute()
    ratio, kind = res["ratio"], res["kind"]
    x = np.log10(KAPPAS)

    def z(j):
        zz = np.clip(np.log10(ratio[:, :, j]), -CLIP, CLIP)
        return [[None if kind[a, c, j] == "neither" else round(float(zz[a, c]), 4)
                 for c in range(KAPPAS.size)] for a in range(ANGLES_DEG.size)]

    def text(j):
        return [["—" if kind[a, c, j] == "neither" else H.ratio_text(ratio[a, c, j], kind[a, c, j])
                 for c in range(KAPPAS.size)] for a in range(ANGLES_DEG.size)]

    def grey(j):
        return [[1 if kind[a, c, j] == "neither" else None for c in range(KAPPAS.size)]
                for a in range(ANGLES_DEG.size)]

    colorscale = [[0.0, "#2166ac"], [0.25, "#67a9cf"], [0.5, "#f7f7f7"], [0.75, "#ef8a62"],
                  [1.0, "#b2182b"]]
    j0 = 0
    fig = go.Figure(go.Heatmap(
        x=x, y=ANGLES_DEG, z=grey(j0), zmin=0, zmax=1, showscale=False, xgap=1, ygap=1,
        colorscale=[[0, "#9e9e9e"], [1, "#9e9e9e"]], hoverinfo="skip", name="neither settles"))
    fig.add_trace(go.Heatmap(
        x=x, y=ANGLES_DEG, z=z(j0), zmin=-CLIP, zmax=CLIP, colorscale=colorscale, xgap=1, ygap=1,
        text=text(j0), texttemplate="%{text}", textfont=dict(size=11),
        customdata=[[H.kappa_text(k) for k in KAPPAS] for _ in ANGLES_DEG],
        hovertemplate="κ %{customdata}, rotated %{y}°: RMSprop ÷ GD %{text}<extra></extra>",
        colorbar=dict(title=dict(text="RMSprop ÷ GD", side="right"), tickvals=[-2, -1, 0, 1, 2],
                      ticktext=["≤ 0.01", "0.1", "1", "10", "≥ 100"]),
        name="RMSprop ÷ gradient descent",
    ))
    fig.update_layout(
        height=400, margin=dict(l=60, r=20, t=60, b=50), plot_bgcolor="#9e9e9e",
        xaxis=dict(title=dict(text="condition number κ"), tickvals=x.tolist(),
                   ticktext=[H.kappa_text(k) for k in KAPPAS]),
        yaxis=dict(title=dict(text="rotation of the bowl (degrees)"), tickvals=ANGLES_DEG.tolist()),
        updatemenus=[dict(
            type="buttons", direction="right", active=0, showactive=True, name="Tolerance",
            x=0, y=1.04, xanchor="left", yanchor="bottom",
            buttons=[dict(label=f"tolerance {H.tol_text(t)}", method="restyle",
                          args=[{"z": [grey(j), z(j)], "text": [None, text(j)]}, [0, 1]])
                     for j, t in enumerate(TOLS)],
        )],
    )

    n = _numbers(res)
    data = {"angle_deg": ANGLES_DEG.tolist(), "kappa": KAPPAS.tolist(), "tol": TOLS.tolist(),
            "ratio": [[[None if kind[a, c, j] == "neither" else round(float(ratio[a, c, j]), 6)
                        for j in range(TOLS.size)] for c in range(KAPPAS.size)]
                      for a in range(ANGLES_DEG.size)],
            "kind": kind.tolist(), "gd_median_steps": res["gd_median"].tolist(),
            "starts": N_STARTS, "budget": H.BUDGET, "horizon": H.HORIZON,
            "note": "ratio[angle][kappa][tol] = median over starts of steps(RMSprop) / steps(GD), "
                    "each at its own tuned rate per cell; the starts rotate with the bowl"}
    caption = (
        f"RMSprop's steps divided by gradient descent's on the bowl f = (w² + κ b²)/2 turned by 0° to "
        f"45°, median over {n['starts']} starts that turn with it; each method at its own tuned rate "
        f"per cell, within {n['budget']} steps, checked to {n['horizon']}. Gradient descent does not "
        f"notice the rotation ({n['gd_check']}); RMSprop does: at tolerance {n['tol']} and κ = {n['kappa_shown']}, its ratio goes "
        f"from {n['aligned_ratio']} aligned to {n['rotated_ratio']} at 45°. It wins in "
        f"{n['wins_aligned']} of {n['kappa_count']} bowls aligned and in {n['wins_45']} at 45°; grey with a "
        f"dash: neither method settles within the budget."
    )
    alt = (
        f"Heat map of RMSprop's steps divided by gradient descent's, condition number κ from "
        f"{H.kappa_text(KAPPAS[0])} to {H.kappa_text(KAPPAS[-1])} across, rotation 0° to 45° up, at "
        f"tolerance {n['tol']} (buttons: {', '.join(H.tol_text(t) for t in TOLS)}); a dash where neither "
        f"method settles within {n['budget']} steps. Aligned (0°), "
        f"RMSprop wins (ratio below 1) in {n['wins_aligned']} of {n['kappa_count']} bowls; at 45° in "
        f"{n['wins_45']}. At κ = {n['kappa_shown']}: {n['aligned_ratio']} aligned, "
        f"{n['rotated_ratio']} at 45°."
    )
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=data, numbers=n,
                      title="RMSprop against gradient descent as the bowl turns")


def _wins(ratio, kind, a, j) -> int:
    return int(((ratio[a, :, j] < 1) & np.isin(kind[a, :, j], ("exact", "at most"))).sum())


def _numbers(res) -> dict:
    ratio, kind = res["ratio"], res["kind"]
    j = 0
    # the κ with the largest aligned advantage that still has a verdict at 45°
    usable = [c for c in range(KAPPAS.size) if kind[0, c, j] != "neither" and kind[-1, c, j] != "neither"]
    c = min(usable, key=lambda c: ratio[0, c, j])
    return {
        "starts": fmt(N_STARTS), "budget": f"{H.BUDGET:,}", "horizon": f"{H.HORIZON:,}",
        "tol": H.tol_text(TOLS[j]), "kappa_count": fmt(KAPPAS.size),
        "gd_spread_pct": fmt(100 * res["gd_spread"], 2),
        "gd_check": ("the same count from every start aligned and at 45°" if res["gd_same_starts"]
                     else f"its median counts aligned and at 45° differ by {fmt(100 * res['gd_spread'], 2)}%"),
        "kappa_shown": H.kappa_text(KAPPAS[c]),
        "aligned_ratio": H.ratio_text(ratio[0, c, j], kind[0, c, j]),
        "rotated_ratio": H.ratio_text(ratio[-1, c, j], kind[-1, c, j]),
        "wins_aligned": fmt(_wins(ratio, kind, 0, j)),
        "wins_45": fmt(_wins(ratio, kind, -1, j)),
        "wins_aligned_tol2": fmt(_wins(ratio, kind, 0, 1)),
        "wins_45_tol2": fmt(_wins(ratio, kind, -1, 1)),
        "angle_max": fmt(ANGLES_DEG[-1]),
        "stops_paying": _stops_paying(ratio, kind, c, j),
    }


def _stops_paying(ratio, kind, c, j) -> str:
    """Between which angles RMSprop's ratio at κ index c crosses 1 (in words)."""
    wins = [ratio[a, c, j] < 1 and kind[a, c, j] in ("exact", "at most") for a in range(ANGLES_DEG.size)]
    if all(wins):
        return f"at no angle up to {fmt(ANGLES_DEG[-1])}°"
    if not wins[0]:
        return "already at 0°"
    a = wins.index(False)
    return f"between {fmt(ANGLES_DEG[a - 1])}° and {fmt(ANGLES_DEG[a])}°"

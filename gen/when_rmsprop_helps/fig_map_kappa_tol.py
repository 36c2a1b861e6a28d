"""Where the verdict flips: steps(RMSprop) / steps(gradient descent) over condition number κ ×
tolerance, each method at its own tuned constant rate in every cell, median over 64 starts.

Left, the essay's rule (the loss *stays* within the tolerance, checked to 4 × the budget);
below, "first touch" (the first step within it), so the reader sees how much of the verdict
is constant-rate RMSprop hovering around the minimum. Buttons put Adam or momentum in place of
RMSprop. The lecture's bowl (κ = 20, tolerance 10⁻³) is measured too and marked.
"""
from __future__ import annotations

import functools
import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import rmsprop_core as rc
from gen import settings as S
from gen.spec import FigureSpec
from gen.text import fmt
from gen.when_rmsprop_helps import runs as H

ID = "fig-map-kappa-tol"
COST = 16   # rough seconds to build (gen/build.py starts the longest first)
# the map's κ plus the lecture's own bowl (κ = 20), which is marked, not drawn as a column
CELL_KAPPAS = np.append(H.KAPPAS, H.LECTURE_KAPPA)
LECTURE_CELL = len(H.KAPPAS)
LECTURE_TOL_INDEX = int(np.argmin(abs(np.log10(H.TOLS) - math.log10(S.TOL))))
CLIP = 2.0                       # colours saturate at 100× either way
NAMES = {"rmsprop": "RMSprop", "adam": "Adam", "momentum": "Momentum"}
#: Axes that are not positions on a surface (condition number × tolerance): the ratio-1 line is
#: a level of the measured ratio, so the equal-aspect rule for contour plots does not apply.
NOT_POSITIONS = {"yaxis": "log tolerance against log κ", "yaxis2": "log tolerance against log κ"}


@functools.cache
def grid(key: str) -> rc.GridTuning:
    """Method ``key`` tuned per (κ, tolerance) cell: one screen of every rate, then certified."""
    make = S.METHODS[key].make
    return rc.tune_grid(lambda lr, cell: make(lr), H.bowls(CELL_KAPPAS), len(CELL_KAPPAS),
                        H.starts(), H.LRS, H.BUDGET, H.TOLS, horizon=H.horizon(key), criterion="median")


@functools.cache
def compute() -> dict:
    gd = grid("gd")
    out = {"gd": gd}
    for key in H.COMPARED:
        g = grid(key)
        stays, stays_kind = H.median_ratio(g.steps, gd.steps, H.BUDGET)
        touch, touch_kind = H.median_ratio(g.touch, gd.touch, H.BUDGET)
        out[key] = {"grid": g, "stays": stays, "stays_kind": stays_kind,
                    "touch": touch, "touch_kind": touch_kind}
    return out


def smallest_winning_kappa(ratio, kind, tol_index: int):
    """The smallest κ on the map from which on the method needs fewer steps than GD on the
    median start at this tolerance, at every larger κ that has a verdict (cells where neither
    settles within the budget say nothing either way), or None."""
    verdicts = [(c, ratio[c, tol_index] < 1 and kind[c, tol_index] in ("exact", "at most"))
                for c in range(len(H.KAPPAS)) if kind[c, tol_index] != "neither"]
    for i, (c, wins) in enumerate(verdicts):
        if wins and all(w for _, w in verdicts[i:]):
            return float(H.KAPPAS[c])
    return None


def _z(ratio, kind):
    """log10 ratio, clipped; None where neither settles (drawn as a gap: the grey background)."""
    z = np.clip(np.log10(ratio), -CLIP, CLIP)
    return [[None if kind[c, j] == "neither" else round(float(z[c, j]), 4)
             for c in range(len(H.KAPPAS))] for j in range(len(H.TOLS))]


def _hover(ratio, kind, g: rc.GridTuning, gd: rc.GridTuning, touch: bool):
    lr, lr_gd = g.best_lr(), gd.best_lr()
    steps, gd_steps = (g.touch, gd.touch) if touch else (g.steps, gd.steps)
    rows = []
    for j in range(len(H.TOLS)):
        row = []
        for c in range(len(H.KAPPAS)):
            med = np.median(H.censored(steps[c, j], H.BUDGET))
            med_gd = np.median(H.censored(gd_steps[c, j], H.BUDGET))
            rate = "no rate settles" if math.isnan(lr[c, j]) else f"α = {fmt(lr[c, j])}"
            rate_gd = "no rate settles" if math.isnan(lr_gd[c, j]) else f"α = {fmt(lr_gd[c, j])}"
            row.append(f"ratio {H.ratio_text(ratio[c, j], kind[c, j])}<br>"
                       f"median steps {_steps(med)} ({rate}) vs GD {_steps(med_gd)} ({rate_gd})")
        rows.append(row)
    return rows


def _steps(median: float) -> str:
    return f"more than {H.BUDGET:,}" if median > H.BUDGET else fmt(median)


def _nested(ratio, kind):
    """κ × tol nested list for the download: the median ratio, null where neither settles."""
    return [[None if kind[c, j] == "neither" else round(float(ratio[c, j]), 6)
             for j in range(len(H.TOLS))] for c in range(len(H.KAPPAS))]


NEITHER_GREY = "#9e9e9e"
PARTS = (("stays", "stays within the tolerance"), ("touch", "first touch"))


def _neither(kind):
    """1 where neither method settles (drawn grey under the map), else None."""
    return [[1 if kind[c, j] == "neither" else None for c in range(len(H.KAPPAS))]
            for j in range(len(H.TOLS))]


def _contour_z(ratio, kind):
    """log10 ratio for the ratio-1 line, None where there is no verdict (no line through grey)."""
    z = np.log10(ratio)
    return [[None if kind[c, j] == "neither" else round(float(z[c, j]), 4)
             for c in range(len(H.KAPPAS))] for j in range(len(H.TOLS))]


def build() -> FigureSpec:
    res = compute()
    gd = res["gd"]
    x = np.log10(H.KAPPAS)
    y = np.log10(H.TOLS)
    # stacked, not side by side: each map keeps a readable width on a phone
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.09,
                        subplot_titles=[title for _, title in PARTS])
    colorscale = [[0.0, "#2166ac"], [0.25, "#67a9cf"], [0.5, "#f7f7f7"], [0.75, "#ef8a62"],
                  [1.0, "#b2182b"]]
    key0 = H.COMPARED[0]
    cells = slice(0, LECTURE_CELL)
    # traces 0, 1: grey "neither" layers; 2, 3: the maps; 4, 5: ratio-1 lines; 6, 7: the star
    for row, (part, _) in enumerate(PARTS, start=1):
        fig.add_trace(go.Heatmap(
            x=x, y=y, z=_neither(res[key0][part + "_kind"][cells]), zmin=0, zmax=1, showscale=False,
            colorscale=[[0, NEITHER_GREY], [1, NEITHER_GREY]], xgap=1, ygap=1, hoverinfo="skip",
            name="neither settles"), row=row, col=1)
    for row, (part, _) in enumerate(PARTS, start=1):
        r, kind = res[key0][part], res[key0][part + "_kind"]
        fig.add_trace(go.Heatmap(
            x=x, y=y, z=_z(r[cells], kind[cells]), zmin=-CLIP, zmax=CLIP,
            colorscale=colorscale, showscale=row == 1, xgap=1, ygap=1,
            colorbar=dict(title=dict(text="steps ÷ GD's", side="right"), tickvals=[-2, -1, 0, 1, 2],
                          ticktext=["≤ 0.01", "0.1", "1", "10", "≥ 100"], len=1.0, y=0.5,
                          thickness=14),
            text=_hover(r, kind, res[key0]["grid"], gd, part == "touch"),
            hovertemplate="κ %{customdata}, tolerance 10^%{y}<br>%{text}<extra></extra>",
            customdata=[[H.kappa_text(k) for k in H.KAPPAS] for _ in H.TOLS],
            name=f"{NAMES[key0]} ÷ GD ({part})",
        ), row=row, col=1)
    for row, (part, _) in enumerate(PARTS, start=1):
        r, kind = res[key0][part], res[key0][part + "_kind"]
        fig.add_trace(go.Contour(
            x=x, y=y, z=_contour_z(r[cells], kind[cells]), showscale=False, hoverinfo="skip",
            contours=dict(start=0, end=0, size=1, coloring="none"), line=dict(color="#111111", width=2),
            connectgaps=False, name="ratio 1", showlegend=row == 1,
        ), row=row, col=1)
    for row in (1, 2):
        fig.add_trace(go.Scatter(
            x=[math.log10(H.LECTURE_KAPPA)], y=[math.log10(S.TOL)], mode="markers",
            marker=dict(symbol="star", size=14, color="#ffd700", line=dict(color="#111111", width=1.5)),
            name="the lecture's bowl (κ 20, tolerance 10⁻³)", showlegend=row == 1,
            hovertemplate="the lecture's bowl<extra></extra>",
        ), row=row, col=1)
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name="grey: neither settles",
                             marker=dict(symbol="square", size=12, color=NEITHER_GREY), hoverinfo="skip"))

    def restyle(key):
        grey, z, text, cz = [], [], [], []
        for part, _ in PARTS:
            r, kind = res[key][part], res[key][part + "_kind"]
            grey.append(_neither(kind[cells]))
            z.append(_z(r[cells], kind[cells]))
            text.append(_hover(r, kind, res[key]["grid"], gd, part == "touch"))
            cz.append(_contour_z(r[cells], kind[cells]))
        return [{"z": grey + z + cz, "text": [None, None] + text + [None, None]}, [0, 1, 2, 3, 4, 5]]

    # every other κ: five labels fit a phone's width without turning
    ticks = dict(tickvals=x[::2].tolist(), ticktext=[H.kappa_text(k) for k in H.KAPPAS[::2]], tickangle=0)
    fig.update_xaxes(**ticks)
    fig.update_xaxes(title=dict(text="condition number κ"), row=2, col=1)
    for row in (1, 2):
        fig.update_yaxes(tickvals=y[::2].tolist(), ticktext=[H.tol_text(t) for t in H.TOLS[::2]],
                         title=dict(text="tolerance"), row=row, col=1)
    fig.update_layout(
        height=660, margin=dict(l=60, r=10, t=40, b=80),
        legend=dict(orientation="h", x=0, y=-0.13, xanchor="left", yanchor="top"),
        updatemenus=[dict(
            type="buttons", direction="right", active=0, showactive=True, name="Method",
            x=0, y=1.06, xanchor="left", yanchor="bottom",
            buttons=[dict(label=f"{NAMES[k]} ÷ GD", method="restyle", args=restyle(k)) for k in H.COMPARED],
        )],
    )

    numbers = _numbers(res)
    data = {
        "kappa": [float(k) for k in H.KAPPAS],
        "tol": [float(t) for t in H.TOLS],
        "ratio": {k: _nested(res[k]["stays"], res[k]["stays_kind"]) for k in H.COMPARED},
        "first_touch_ratio": {k: _nested(res[k]["touch"], res[k]["touch_kind"]) for k in H.COMPARED},
        "kind": {k: res[k]["stays_kind"][:LECTURE_CELL].tolist() for k in H.COMPARED},
        "tuned_lr": {k: H.finite_or_none(grid(k).best_lr()[:LECTURE_CELL])
                     for k in ("gd",) + H.COMPARED},
        "lecture_bowl": {"kappa": H.LECTURE_KAPPA, "tol": S.TOL} | {
            k: round(float(res[k]["stays"][LECTURE_CELL, LECTURE_TOL_INDEX]), 6) for k in H.COMPARED},
        "starts": H.starts().round(6).tolist(),
        "budget": H.BUDGET, "horizon": {k: H.horizon(k) for k in ("gd",) + H.COMPARED}, "learning_rates": H.LRS.round(10).tolist(),
        "criterion": gd.criterion,
        "note": "ratio = median over starts of steps(method) / steps(gradient descent), each at its "
                "own tuned constant rate per cell; a start that does not settle counts as budget + 1; "
                "null where neither settles from most starts; kind says whether a ratio is exact or a bound",
    }
    caption = (
        f"Steps to tolerance of {numbers['method_names']} divided by gradient descent's, on the bowl "
        f"f = (w² + κ b²)/2, median over {numbers['starts']} starts at distance {numbers['radius']} "
        f"from the minimum; every method at its own best constant rate in every cell "
        f"({numbers['lr_count']} rates from {numbers['lr_min']} to {numbers['lr_max']}), counted within "
        f"{numbers['budget']} steps and checked to {numbers['horizon']} (Adam {numbers['adam_horizon']}). Blue: fewer steps than gradient "
        f"descent; red: more; grey: neither settles within the budget; the black line is a ratio of 1. "
        f"On the lecture's bowl (the star) RMSprop needs {numbers['rmsprop_lecture']} times gradient "
        f"descent's steps; at the lecture's tolerance it wins {numbers['rmsprop_wins_from_lecture_tol']}. "
        f"By first touch (lower map) RMSprop wins in {numbers['rmsprop_touch_wins']} of "
        f"{numbers['cells']} cells, by staying within (upper map) in {numbers['rmsprop_stays_wins']}."
    )
    alt = (
        "Two heat maps, one above the other, condition number κ from 1 to 10⁴ across, tolerance from 10⁻¹ "
        "(top) to 10⁻⁸ (bottom) down; colour is the median ratio of RMSprop's steps to gradient "
        "descent's. "
        f"Staying within the tolerance: RMSprop is slower (red) at small κ and tight tolerances, and "
        f"faster (blue) {numbers['rmsprop_wins_from_loose_tol']} at tolerance 10⁻¹ and "
        f"{numbers['rmsprop_wins_from_lecture_tol']} at 10⁻³; at tolerances of "
        f"{numbers['rmsprop_never_tol']} and tighter constant-rate RMSprop does not settle within "
        f"{numbers['budget']} steps on any bowl. First touch: RMSprop is faster in "
        f"{numbers['rmsprop_touch_wins']} of {numbers['cells']} cells. "
        f"On the lecture's bowl the ratio is {numbers['rmsprop_lecture']} (Adam {numbers['adam_lecture']}, "
        f"momentum {numbers['momentum_lecture']})."
    )
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=data, numbers=numbers,
                      title="Where the verdict flips: κ × tolerance")


def _numbers(res) -> dict:
    n = {"starts": fmt(H.N_STARTS), "radius": fmt(H.RADIUS, 3), "lr_count": fmt(len(H.LRS)),
         "lr_min": fmt(H.LRS[0]), "lr_max": fmt(H.LRS[-1]), "budget": f"{H.BUDGET:,}",
         "horizon": f"{H.HORIZON:,}", "adam_horizon": f"{H.horizon('adam'):,}", "budget_query": str(H.BUDGET), "cells": fmt(len(H.KAPPAS) * len(H.TOLS)),
         "kappa_count": fmt(len(H.KAPPAS)), "tol_count": fmt(len(H.TOLS)),
         "kappa_max": H.kappa_text(H.KAPPAS[-1]), "tol_min": H.tol_text(H.TOLS[-1]),
         "tol_max": H.tol_text(H.TOLS[0]), "lecture_kappa": fmt(H.LECTURE_KAPPA),
         "lecture_tol": H.tol_text(S.TOL), "decay": fmt(S.DECAY),
         "method_names": "RMSprop (buttons: Adam, momentum)"}
    loose = 0
    for key in H.COMPARED:
        r = res[key]
        n[f"{key}_lecture"] = H.ratio_text(r["stays"][LECTURE_CELL, LECTURE_TOL_INDEX],
                                           r["stays_kind"][LECTURE_CELL, LECTURE_TOL_INDEX])
        n[f"{key}_lecture_touch"] = H.ratio_text(r["touch"][LECTURE_CELL, LECTURE_TOL_INDEX],
                                                 r["touch_kind"][LECTURE_CELL, LECTURE_TOL_INDEX])
        for label, j in (("lecture_tol", LECTURE_TOL_INDEX), ("loose_tol", loose)):
            k = smallest_winning_kappa(r["stays"], r["stays_kind"], j)
            n[f"{key}_wins_kappa_{label}"] = "none" if k is None else H.kappa_text(k)
            n[f"{key}_wins_from_{label}"] = (f"from κ = {H.kappa_text(k)} on" if k is not None else
                                             "on no bowl of the map where either method settles")
            kt = smallest_winning_kappa(r["touch"], r["touch_kind"], j)
            n[f"{key}_touch_wins_kappa_{label}"] = "none" if kt is None else H.kappa_text(kt)
        grid_cells = slice(0, LECTURE_CELL)
        for part in ("stays", "touch"):
            wins = (r[part][grid_cells] < 1) & np.isin(r[part + "_kind"][grid_cells], ("exact", "at most"))
            n[f"{key}_{part}_wins"] = fmt(int(wins.sum()))
        # tolerances at which the method settles on no bowl of the map (from most starts)
        never = [j for j in range(len(H.TOLS))
                 if np.isin(r["stays_kind"][grid_cells, j], ("at least", "neither")).all()]
        n[f"{key}_never_tol"] = H.tol_text(H.TOLS[never[0]]) if never else "none"
    r, j = res["rmsprop"], LECTURE_TOL_INDEX
    if n["rmsprop_wins_kappa_lecture_tol"] != "none":
        story = f"At the lecture's tolerance it wins {n['rmsprop_wins_from_lecture_tol']}."
    else:
        last_verdict = max(c for c in range(LECTURE_CELL) if r["stays_kind"][c, j] != "neither")
        story = ("At the lecture's tolerance it wins on no bowl of the map: it is still slower at "
                 f"κ = {H.kappa_text(H.KAPPAS[last_verdict])} "
                 f"({H.ratio_text(r['stays'][last_verdict, j], r['stays_kind'][last_verdict, j])}), and on the "
                 "narrower valleys neither method settles within the budget (grey).")
    n["rmsprop_lecture_tol_story"] = story
    settles = {k: n[f"{k}_never_tol"] == "none" for k in H.COMPARED}
    n["adam_settling"] = ("settles at every tolerance of the map, unlike RMSprop" if settles["adam"] and not settles["rmsprop"]
                          else "settles at every tolerance of the map" if settles["adam"]
                          else f"does not settle at {n['adam_never_tol']} and tighter either")
    # a cell to try in the playground: the largest κ on the map where both settle at the
    # loosest tolerance, each method at its tuned rate there
    r = res["rmsprop"]
    c = max(c for c in range(LECTURE_CELL) if r["stays_kind"][c, loose] == "exact")
    lr = {k: grid(k).best_lr()[c, loose] for k in ("gd", "rmsprop")}
    n.update(try_kappa=fmt(float(H.KAPPAS[c]), 4), try_kappa_text=H.kappa_text(H.KAPPAS[c]),
             try_tol=H.tol_text(H.TOLS[loose]), try_lr_gd=fmt(lr["gd"]), try_lr_rmsprop=fmt(lr["rmsprop"]),
             try_ratio=H.ratio_text(r["stays"][c, loose], r["stays_kind"][c, loose]),
             try_start_query=",".join(fmt(float(v), 4) for v in H.starts()[H.N_STARTS // 4]))
    gd_lr = grid("gd").best_lr()[LECTURE_CELL, LECTURE_TOL_INDEX]
    rms_lr = grid("rmsprop").best_lr()[LECTURE_CELL, LECTURE_TOL_INDEX]
    n.update(lecture_lr_gd=fmt(gd_lr), lecture_lr_rmsprop=fmt(rms_lr))
    return n

"""Fair comparison (the thread's Q6): every method's steps-vs-learning-rate curve on one plot.

A comparison at one hand-picked learning rate per method says more about the picks than about
the methods. Here each method runs over the same grid of learning rates on the course bowl from
starts A and B; the score is the mean number of steps until the loss stays within a tolerance.
Each curve's lowest point is the method's tuned rate, and how wide its basin is says how forgiving
the method is: the "good range" is the span of learning rates whose score is at most twice the best.
"""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from gen import settings as S
from gen.spec import FigureSpec
from gen.text import fmt

ID = "fig-lr-sweep"

START_A, START_B = S.START_A, S.START_B
TOL = S.TOL
STEPS = S.BUDGET
LR_GRID = S.LR_GRID
GOOD = 2.0                  # "good" learning rate: score at most GOOD × the best score
_LABELS = {"momentum": "Momentum (β 0.9)", "rmsprop": "RMSprop (β 0.9)",
           "adam": "Adam (β₁ 0.9, β₂ 0.999)"}
METHODS = {key: (_LABELS.get(key, m.name), m.colour, m.make) for key, m in S.METHODS.items()}


def good_range(lrs, score, converged, factor=GOOD):
    """(low, high) learning rates of the contiguous run of grid points around the best whose
    score is at most ``factor`` × the best score, converging from every start; None if nothing converges."""
    if not (converged == 1.0).any():
        return None
    best = int(np.argmin(np.where(converged == 1.0, score, np.inf)))
    ok = (converged == 1.0) & (score <= factor * score[best])
    lo = hi = best
    while lo > 0 and ok[lo - 1]:
        lo -= 1
    while hi < len(ok) - 1 and ok[hi + 1]:
        hi += 1
    return float(lrs[lo]), float(lrs[hi])


def compute():
    out = {}
    for key in METHODS:
        res = S.tuning(key)   # the canonical tuning: every page quotes the same rates
        rng = good_range(res.lrs, res.score, res.converged)
        out[key] = {"res": res, "range": rng, "width": rng[1] / rng[0] if rng else None}
    return out, res.criterion


def build() -> FigureSpec:
    results, criterion = compute()
    fig = go.Figure()
    for key, (name, colour, _make) in METHODS.items():
        res = results[key]["res"]
        ok = res.converged == 1.0      # plot only rates that converge from both starts
        fig.add_trace(go.Scatter(
            x=res.lrs[ok], y=res.score[ok], mode="lines", name=name, line=dict(color=colour, width=2),
            legendgroup=key, hovertemplate="lr %{x:.3g}: %{y:.1f} steps<extra>" + name + "</extra>",
        ))
        if res.best_lr is None:
            # no rate keeps it within the tolerance: show what a budget-only count would say
            first = np.where(res.first_settled < 0, STEPS + 1, res.first_settled).mean(axis=1)
            seen = (res.first_settled >= 0).all(axis=1)
            fig.add_trace(go.Scatter(
                x=res.lrs[seen], y=first[seen], mode="lines", name=f"{name}: settles, then leaves again",
                line=dict(color=colour, width=2, dash="dot"), legendgroup=key,
                hovertemplate="lr %{x:.3g}: within tolerance after %{y:.1f} steps, not for good<extra>"
                              + name + "</extra>",
            ))
            continue
        fig.add_trace(go.Scatter(
            x=[res.best_lr], y=[res.best_score], mode="markers", showlegend=False, legendgroup=key,
            marker=dict(color=colour, size=11, symbol="star", line=dict(color="#ffffff", width=1)),
            hovertemplate=f"best: lr {fmt(res.best_lr)}, {fmt(res.best_score)} steps<extra>{name}</extra>",
        ))
    fig.update_layout(
        height=480, margin=dict(l=60, r=20, t=20, b=50),
        xaxis=dict(type="log", title=dict(text="learning rate α"),
                   range=[math.log10(LR_GRID[0]), math.log10(LR_GRID[-1])]),
        yaxis=dict(type="log", title=dict(text="mean steps to tolerance (starts A and B)"),
                   range=[math.log10(min(r['res'].best_score for r in results.values()
                                         if r['res'].best_score is not None) / 1.5),
                          math.log10(STEPS + 1) + 0.05]),
        legend=dict(orientation="h", x=0, y=-0.16, xanchor="left", yanchor="top"),
    )

    numbers = {"tol": fmt(TOL), "steps_budget": fmt(STEPS), "good_factor": fmt(GOOD),
               "lr_min": fmt(LR_GRID[0]), "lr_max": fmt(LR_GRID[-1]), "lr_count": fmt(len(LR_GRID)),
               "criterion": criterion}
    stable = [k for k in METHODS if results[k]["res"].best_lr is not None]
    numbers["horizon"] = f"{S.HORIZON:,}"
    numbers["long_horizon"] = f"{S.LONG_HORIZON:,}"
    numbers["unstable"] = ", ".join(METHODS[k][0] for k in METHODS if k not in stable) or "none"
    for key in stable:
        r = results[key]
        numbers[f"{key}_best_lr"] = fmt(r["res"].best_lr)
        numbers[f"{key}_best_steps"] = fmt(r["res"].best_score)
        numbers[f"{key}_edge"] = r["res"].edge_text() or "inside the grid and the range that settles"
        if r["width"] is None:      # settles from one start only, at any rate on the grid
            numbers[f"{key}_width"] = "0"
            numbers[f"{key}_range"] = "none (no rate settles from both starts)"
        else:
            numbers[f"{key}_width"] = fmt(r["width"], 2)
            numbers[f"{key}_range"] = f"{fmt(r['range'][0])} to {fmt(r['range'][1])}"
    # methods for which at most one grid rate settles from both starts within the budget
    narrow = [k for k in stable if (results[k]["res"].converged == 1.0).sum() <= 1]
    numbers["narrow"] = ", ".join(METHODS[k][0] for k in narrow) or "none"
    order = sorted(stable, key=lambda k: results[k]["res"].best_score)
    numbers["fastest"] = METHODS[order[0]][0]
    widest = max(stable, key=lambda k: results[k]["width"] or 0.0)
    numbers["widest"] = METHODS[widest][0]
    numbers["rmsprop_vs_gd_steps"] = fmt(results["rmsprop"]["res"].best_score / results["gd"]["res"].best_score, 2)

    rows = {"method": [], "lr": [], "mean_steps": [], "converged_fraction": []}
    for key in METHODS:
        res = results[key]["res"]
        for lr, s, c in zip(res.lrs, res.score, res.converged):
            rows["method"].append(key)
            rows["lr"].append(round(float(lr), 8))
            rows["mean_steps"].append(round(float(s), 2))
            rows["converged_fraction"].append(round(float(c), 4) if np.isfinite(c) else 0.0)

    caption = (
        "Mean steps to tolerance against the learning rate, log-log, every method on the same grid; "
        "the star is each method's tuned rate. A curve ends where a rate stops settling from both starts "
        f"(checked to stay within the tolerance until step {numbers['horizon']}, for Adam "
        f"{numbers['long_horizon']}). "
        f"No constant rate keeps {numbers['unstable']} there: its dotted curve counts until it first "
        "settles, and it leaves the tolerance again later. "
        + (f"For {numbers['narrow']} at most one rate of the grid settles from both starts within "
           f"{numbers['steps_budget']} steps (a star without a curve): slower rates need more steps, "
           "faster ones hover too far from the minimum. " if narrow else "")
        + f"{numbers['fastest']} has the lowest point; {numbers['widest']} the widest good range "
        f"(rates within {numbers['good_factor']} times its best score span a factor of "
        f"{numbers[widest + '_width']})."
    )
    alt = (f"Log-log line chart of mean steps to reach a loss within {numbers['tol']} of the minimum on the "
           "course bowl from starts A and B, against the learning rate. Best points: " + "; ".join(
               f"{METHODS[k][0]} {numbers[k + '_best_steps']} steps at lr {numbers[k + '_best_lr']}, "
               f"good range a factor of {numbers[k + '_width']}" for k in stable) + ". "
           f"No constant rate keeps {numbers['unstable']} within the tolerance.")
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=rows, numbers=numbers,
                      title="Steps against learning rate, every method")

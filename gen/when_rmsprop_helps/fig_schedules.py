"""Schedules: does a decaying learning rate change the verdict on the lecture's bowl?

Constant-rate RMSprop cannot settle closer to the minimum than its hovering allows, so at
tight tolerances its tuned rate must be tiny and it is slow. A decaying rate lets the step
shrink as it arrives. Each method is tuned jointly over (α, schedule): constant, exponential
decay α·γᵗ, and the course's own decay α₀ / (1 + decay_rate · t) (its ``update_lr``, with one
step per epoch on this full-batch problem); the figure shows the ratio to gradient descent's
best (also tuned over the same schedules) against the tolerance.
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

ID = "fig-schedules"
COST = 12   # rough seconds to build (gen/build.py starts the longest first)
GAMMAS = (1.0, 0.99, 0.97, 0.95, 0.9)   # exponential decay per step; 1 = constant
DECAY_RATES = (0.1, 1.0, 10.0)                    # the course's update_lr (1 is its setting)
N_STARTS = 16
LRS = np.geomspace(1e-4, 20.0, 40)     # a decaying rate may start far above a constant one
ANGLES = (0.0, math.pi / 4)            # the lecture's bowl, and the same bowl turned by 45°
METHODS = ("gd", "rmsprop", "adam")


#: (label, γ, decay_rate) of every candidate: α γᵗ / (1 + decay_rate · t) covers them all —
#: constant (γ = 1, rate 0), exponential decay (rate 0) and the course's update_lr (γ = 1) —
#: so that every schedule runs in one batch; constant first.
SCHEDULES = ([("constant", 1.0, 0.0)]
             + [(f"exponential, γ = {g:g}", g, 0.0) for g in GAMMAS[1:]]
             + [(f"course's update_lr, decay_rate = {r:g}", 1.0, r) for r in DECAY_RATES])
LABELS = [label for label, _, _ in SCHEDULES]


@functools.cache
def grid(key: str) -> rc.GridTuning:
    """Cell c is schedule c % S on the lecture's bowl turned by ANGLES[c // S]; the rate is
    tuned per (cell, tolerance). The starts turn with the bowl."""
    make = S.METHODS[key].make          # lr may be a schedule
    n_sched = len(SCHEDULES)
    cells = np.arange(n_sched * len(ANGLES))
    angle = np.array(ANGLES)[cells // n_sched]
    z = H.starts(N_STARTS)
    starts = np.stack([H.turned(z, a) for a in angle])
    gammas = np.array([g for _, g, _ in SCHEDULES])
    rates = np.array([r for _, _, r in SCHEDULES])

    def make_opt(lr, cell):
        kind = cell % n_sched
        return make(rc.schedules.product(rc.schedules.exponential_decay(lr, gammas[kind]),
                                         rc.schedules.update_lr(1.0, rates[kind])))

    return rc.tune_grid(make_opt, H.bowls(np.full(cells.size, H.LECTURE_KAPPA), angle), cells.size,
                        starts, LRS, H.BUDGET, H.TOLS, horizon=H.horizon(key), criterion="median")


def _angle_part(g: rc.GridTuning, a: int) -> rc.GridTuning:
    """The cells of angle ``a`` only (one per schedule)."""
    n = len(SCHEDULES)
    pick = slice(a * n, (a + 1) * n)
    return g._replace(best=g.best[pick], steps=g.steps[pick], touch_best=g.touch_best[pick],
                      touch=g.touch[pick], edge=g.edge[pick])


@functools.cache
def compute() -> dict:
    out = {"labels": LABELS}
    for a, name in enumerate(("aligned", "rotated")):
        gd = _angle_part(grid("gd"), a)
        gd_best = _best_over_schedules(gd)
        part = {"gd": gd_best, "gd_constant": {"steps": gd.steps[0]}}
        for key in ("rmsprop", "adam"):
            g = _angle_part(grid(key), a)
            best = _best_over_schedules(g)
            constant = {"steps": g.steps[0], "label": np.full(len(H.TOLS), "constant"),
                        "lr": g.best_lr()[0]}
            part[key] = {"best": best, "constant": constant}
            for which_name, which in (("best", best), ("constant", constant)):
                r, kind = H.median_ratio(which["steps"], gd_best["steps"], H.BUDGET)
                part[key][which_name + "_ratio"], part[key][which_name + "_kind"] = r, kind
        out[name] = part
    return out


def _best_over_schedules(g: rc.GridTuning) -> dict:
    """Per tolerance, the schedule (cell) whose tuned rate settles from the most starts and then
    has the lowest median: the joint best over (α, schedule)."""
    conv = (g.steps >= 0).mean(axis=-1)                              # (cells, tols)
    med = np.median(H.censored(g.steps, H.BUDGET), axis=-1)
    order = np.lexsort((np.broadcast_to(np.arange(conv.shape[0])[:, None], conv.shape), med, -conv), axis=0)
    best = order[0]                                                  # (tols,)
    return {"cell": best, "steps": g.steps[best, np.arange(len(H.TOLS))],
            "label": np.array([LABELS[c] for c in best]),
            "lr": g.best_lr()[best, np.arange(len(H.TOLS))]}


PARTS = (("aligned", "the lecture's bowl"), ("rotated", "turned by 45°"))


def build() -> FigureSpec:
    res = compute()
    x = np.log10(H.TOLS)
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.05,
                        subplot_titles=[title for _, title in PARTS])
    for col, (name, _) in enumerate(PARTS, start=1):
        for key in ("rmsprop", "adam"):
            m = S.METHODS[key]
            for part, dash, suffix in (("constant", "dot", "constant rate"), ("best", "solid", "best schedule")):
                r, kind = res[name][key][part + "_ratio"], res[name][key][part + "_kind"]
                ok = kind != "neither"
                fig.add_trace(go.Scatter(
                    x=x[ok], y=r[ok], mode="lines+markers", name=f"{m.name}, {suffix}",
                    legendgroup=f"{key}-{part}", showlegend=col == 1,
                    line=dict(color=m.colour, dash=dash, width=2), marker=dict(size=7),
                    text=[f"{H.ratio_text(r[j], kind[j])} ({res[name][key][part]['label'][j]})"
                          for j in np.flatnonzero(ok)],
                    hovertemplate="tolerance 10^%{x}: %{text}<extra>" + f"{m.name}, {suffix}" + "</extra>",
                ), row=1, col=col)
        fig.add_hline(y=1, line=dict(color="#888888", width=1), row=1, col=col)
    fig.update_xaxes(title=dict(text="tolerance"), tickvals=x[::2].tolist(),
                     ticktext=[H.tol_text(t) for t in H.TOLS[::2]], autorange="reversed")
    fig.update_yaxes(type="log", row=1, col=1, title=dict(text="steps ÷ gradient descent's (median)"))
    ticks = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50]
    fig.update_yaxes(type="log", tickvals=ticks, ticktext=[fmt(t) for t in ticks])
    fig.update_layout(height=440, margin=dict(l=60, r=20, t=40, b=50),
                      legend=dict(orientation="h", x=0, y=-0.2, xanchor="left", yanchor="top"))
    n = _numbers(res)
    data = {"tol": H.TOLS.tolist(), "schedules": res["labels"], "starts": N_STARTS,
            "learning_rates": LRS.round(10).tolist(), "budget": H.BUDGET,
            "horizon": {k: H.horizon(k) for k in METHODS}}
    for name, _ in PARTS:
        part_data = {"gd_best_schedule": res[name]["gd"]["label"].tolist(),
                     "gd_median_steps": np.median(H.censored(res[name]["gd"]["steps"], H.BUDGET), axis=-1).tolist()}
        for key in ("rmsprop", "adam"):
            for part in ("constant", "best"):
                r, kind = res[name][key][part + "_ratio"], res[name][key][part + "_kind"]
                part_data[f"{key}_{part}_ratio"] = [None if k == "neither" else round(float(v), 6)
                                                    for v, k in zip(r, kind)]
                part_data[f"{key}_{part}_kind"] = kind.tolist()
            part_data[f"{key}_best_schedule"] = res[name][key]["best"]["label"].tolist()
            part_data[f"{key}_best_lr"] = H.finite_or_none(res[name][key]["best"]["lr"])
        data[name] = part_data
    caption = (
        f"Median steps over {n['starts']} starts divided by gradient descent's, against the tolerance, on "
        f"the lecture's bowl (first panel) and the same bowl turned by 45° (second); dotted: each method's best "
        f"constant rate, solid: its best of {n['schedule_count']} schedules (constant, exponential decay "
        f"α·γᵗ, the course's update_lr) tuned jointly with the rate; gradient descent, tuned over the same "
        f"schedules, is the baseline. At the lecture's tolerance the best schedule takes RMSprop from "
        f"{n['rmsprop_aligned_constant_lecture']} to {n['rmsprop_aligned_best_lecture']} times gradient "
        f"descent's steps on the lecture's bowl ({n['rmsprop_aligned_schedule_lecture']}), but only from "
        f"{n['rmsprop_rotated_constant_lecture']} to {n['rmsprop_rotated_best_lecture']} on the turned one."
    )
    alt = (
        "Two line charts, tolerance from 10⁻¹ to 10⁻⁸ across, steps divided by gradient descent's (log "
        "scale) up, for RMSprop and Adam at their best constant rate and with their best schedule; the first "
        f"on the lecture's bowl, the second on the same bowl turned by 45°. At 10⁻³: RMSprop "
        f"{n['rmsprop_aligned_constant_lecture']} → {n['rmsprop_aligned_best_lecture']} (aligned), "
        f"{n['rmsprop_rotated_constant_lecture']} → {n['rmsprop_rotated_best_lecture']} (turned); Adam "
        f"{n['adam_aligned_constant_lecture']} → {n['adam_aligned_best_lecture']} (aligned), "
        f"{n['adam_rotated_constant_lecture']} → {n['adam_rotated_best_lecture']} (turned). {n['verdict']}"
    )
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=data, numbers=n,
                      title="Schedules on the lecture's bowl, aligned and turned")


def _numbers(res) -> dict:
    j = int(np.argmin(abs(np.log10(H.TOLS) - np.log10(S.TOL))))
    last = len(H.TOLS) - 1
    n = {"kappa": fmt(H.LECTURE_KAPPA), "starts": fmt(N_STARTS), "schedule_count": fmt(len(res["labels"])),
         "tol_min": H.tol_text(H.TOLS[last]), "budget": f"{H.BUDGET:,}", "horizon": f"{H.HORIZON:,}", "adam_horizon": f"{H.horizon('adam'):,}",
         "tol_count": fmt(len(H.TOLS)), "gamma_min": fmt(GAMMAS[-1]),
         "decay_rate_max": fmt(DECAY_RATES[-1]), "lr_max": fmt(LRS[-1]),
         "decay": fmt(S.DECAY), "sqrt_decay": fmt(math.sqrt(S.DECAY), 2),
         "angle": fmt(math.degrees(ANGLES[1]))}
    edge_labels = (f"exponential, γ = {GAMMAS[-1]:g}", f"course's update_lr, decay_rate = {DECAY_RATES[-1]:g}")
    verdict = []
    for name, title in PARTS:
        for key in ("rmsprop", "adam"):
            for part in ("constant", "best"):
                r, kind = res[name][key][part + "_ratio"], res[name][key][part + "_kind"]
                n[f"{key}_{name}_{part}_lecture"] = H.ratio_text(r[j], kind[j])
                n[f"{key}_{name}_{part}_tight"] = H.ratio_text(r[last], kind[last])
            best = res[name][key]["best"]
            n[f"{key}_{name}_schedule_lecture"] = str(best["label"][j])
            n[f"{key}_{name}_lr_lecture"] = fmt(float(best["lr"][j]))
            n[f"{key}_{name}_at_edge"] = fmt(int(np.isin(best["label"], edge_labels).sum()))
        gd = res[name]["gd"]
        n[f"gd_{name}_best_steps_lecture"] = fmt(float(np.median(H.censored(gd["steps"][j], H.BUDGET))))
        n[f"gd_{name}_schedule_lecture"] = str(gd["label"][j])
        r, kind = res[name]["rmsprop"]["best_ratio"], res[name]["rmsprop"]["best_kind"]
        wins = int(((r < 1) & np.isin(kind, ("exact", "at most"))).sum())
        n[f"rmsprop_{name}_wins"] = fmt(wins)
        verdict.append(f"{title}: fewer steps than gradient descent at {wins} of {len(H.TOLS)} tolerances")
    gd_const = res["aligned"]["gd_constant"]["steps"][j]
    n["gd_aligned_constant_steps_lecture"] = fmt(float(np.median(H.censored(gd_const, H.BUDGET))))
    n["verdict"] = "RMSprop with its best schedule, " + "; ".join(verdict) + "."
    return n

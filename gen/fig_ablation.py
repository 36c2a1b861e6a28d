"""Direction × magnitude ablation (the thread's Q5): is RMSprop's lead its step length?

The thread's last post suggests RMSprop wins mostly because its whole step is longer. Every
update has a direction and a length, so we swap them: gradient descent's direction at
RMSprop's step length, RMSprop's direction at gradient descent's step length (built with
``rc.direction_with_length_of``), next to the two originals, normalised gradient descent
(gradient direction, constant length) and sign descent (sign direction, constant length).
Each runs at its own tuned learning rate on four problems: the course bowl from A and from B,
the same bowl rotated by 45° (from A rotated with it), and the two-well surface of the linked
simulator. The bottom panel reads the 2 × 2 design as two main effects (geometric means of the
step ratios): how many times more (or fewer) steps RMSprop's direction costs, and how many
RMSprop's step length costs. The larger of the two carries the difference, per problem.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import rmsprop_core as rc
from rmsprop_core import transforms as T
from gen.spec import FigureSpec, fmt, steps_text

ID = "fig-ablation"

START_A = (-3.5, 1.5)        # the home page's start A (tests check it matches gen.fig_hero)
START_B = (0.05, 1.8)        # the home page's start B
START_WELLS = (-1.8, 0.05)   # two-well surface: just off the axis through the minimum (gen.fig_simulator)
TOL = 1e-3                   # loss stays within TOL of the minimum from then on
TOL_LOOSE = 1e-1             # a looser criterion, to check the verdict does not hinge on TOL
STEPS = 1000                 # horizon of every run
LR_GRID = np.geomspace(1e-4, 1.0, 81)   # 20 learning rates per decade
DECAY = 0.9                  # the course's β for RMSprop
EPS = 1e-8

#: (key, label, colour, direction transform, length transform) -- None: a whole optimizer below.
METHODS = {
    "gd": ("GD (GD direction, GD length)", "#1f77b4"),
    "gd_dir_rms_len": ("GD direction, RMSprop length", "#8c564b"),
    "rms_dir_gd_len": ("RMSprop direction, GD length", "#e377c2"),
    "rmsprop": ("RMSprop (RMSprop direction, RMSprop length)", "#d62728"),
    "ngd": ("Normalised GD (GD direction, constant length)", "#17becf"),
    "sign": ("Sign descent (sign direction, constant length)", "#ff7f0e"),
}
SHORT = {
    "gd": "GD", "gd_dir_rms_len": "GD dir + RMSprop length", "rms_dir_gd_len": "RMSprop dir + GD length",
    "rmsprop": "RMSprop", "ngd": "normalised GD", "sign": "sign descent",
}


def make_optimizer(key):
    """lr -> optimizer for one of METHODS (the ablation's building blocks)."""
    rms = lambda: T.scale_by_rms(decay=DECAY, eps=EPS)  # noqa: E731
    return {
        "gd": lambda lr: rc.gd(lr),
        "gd_dir_rms_len": lambda lr: rc.direction_with_length_of(lr, T.identity(), rms()),
        "rms_dir_gd_len": lambda lr: rc.direction_with_length_of(lr, rms(), T.identity()),
        "rmsprop": lambda lr: rc.rmsprop(lr, decay=DECAY, eps=EPS),
        "ngd": lambda lr: rc.normalized_gd(lr),
        "sign": lambda lr: rc.sign_descent(lr),
    }[key]


def problems():
    """(key, label, objective, start) for the four problems."""
    bowl, rotated = rc.objectives.get("bowl"), rc.objectives.get("rotated")
    # A rotated with the bowl: the same start relative to the bowl's own axes.
    a_rotated = tuple(float(v) for v in rotated.rotation @ np.array(START_A))
    return [
        ("bowl_a", "Bowl, start A", bowl, START_A),
        ("bowl_b", "Bowl, start B", bowl, START_B),
        ("rotated_a", "Rotated bowl, start A", rotated, a_rotated),
        ("wells", "Two wells", rc.objectives.get("two-wells"), START_WELLS),
    ]


@lru_cache(maxsize=2)
def compute(tol=TOL):
    """Tune every method on every problem (one start each). Returns nested dicts of results."""
    out = {}
    for pkey, label, obj, start in problems():
        row = {}
        for mkey in METHODS:
            res = rc.tune_lr(make_optimizer(mkey), obj, [start], LR_GRID, STEPS, tol)
            steps = int(res.steps[int(np.argmin(res.score)), 0])
            row[mkey] = {
                "lr": res.best_lr,
                "steps": steps,                       # -1: never within the horizon
                "counted": STEPS + 1 if steps < 0 else steps,
                "curve": res.score,
            }
        out[pkey] = {"label": label, "start": start, "methods": row, "effects": effects(row)}
    return out


def effects(row):
    """Main effects of the 2 × 2 design as step ratios (> 1: RMSprop's factor costs steps).

    direction = sqrt( (RMSprop dir, GD len)/(GD) · (RMSprop)/(GD dir, RMSprop len) )
    length    = sqrt( (GD dir, RMSprop len)/(GD) · (RMSprop)/(RMSprop dir, GD len) )
    A run that never gets within tolerance counts as STEPS + 1 (so a ratio is then a bound).
    """
    s = {k: row[k]["counted"] for k in ("gd", "gd_dir_rms_len", "rms_dir_gd_len", "rmsprop")}
    direction = math.sqrt(s["rms_dir_gd_len"] / s["gd"] * s["rmsprop"] / s["gd_dir_rms_len"])
    length = math.sqrt(s["gd_dir_rms_len"] / s["gd"] * s["rmsprop"] / s["rms_dir_gd_len"])
    carrier = "direction" if abs(math.log(direction)) > abs(math.log(length)) else "step length"
    return {"direction": direction, "length": length, "carrier": carrier}


def ratio_text(r: float) -> str:
    """A step ratio as words: '6.2 times more steps' / '2.1 times fewer steps'."""
    if 0.95 <= r <= 1.05:
        return "about as many steps"
    if r >= 1:
        return f"{fmt(r, 2)} times more steps"
    return f"{fmt(1 / r, 2)} times fewer steps"


def build() -> FigureSpec:
    results = compute()
    pkeys = list(results)
    labels = [results[p]["label"] for p in pkeys]

    fig = make_subplots(rows=2, cols=1, row_heights=[0.62, 0.38], vertical_spacing=0.16,
                        subplot_titles=("Steps to tolerance, each method at its tuned learning rate",
                                        "What RMSprop's factor does to the step count (below 1: fewer steps)"))
    for mkey, (name, colour) in METHODS.items():
        ys = [results[p]["methods"][mkey]["counted"] for p in pkeys]
        text = [steps_text(results[p]["methods"][mkey]["steps"], STEPS) for p in pkeys]
        lrs = [fmt(results[p]["methods"][mkey]["lr"]) for p in pkeys]
        fig.add_trace(go.Bar(
            x=labels, y=ys, name=name, marker=dict(color=colour), text=text, textposition="outside",
            customdata=lrs, cliponaxis=False, legendgroup="methods",
            hovertemplate="%{x}: %{text} steps at lr %{customdata}<extra>" + SHORT[mkey] + "</extra>",
        ), row=1, col=1)
    for key, name, colour in (("direction", "RMSprop's direction (vs GD's)", "#6a3d9a"),
                              ("length", "RMSprop's step length (vs GD's)", "#b15928")):
        ys = [results[p]["effects"][key] for p in pkeys]
        fig.add_trace(go.Bar(
            x=labels, y=ys, name=name, marker=dict(color=colour, pattern=dict(shape="/" if key == "length" else "")),
            text=[f"×{fmt(v, 2)}" for v in ys], textposition="outside", cliponaxis=False,
            legendgroup="effects", hovertemplate="%{x}: steps ×%{y:.2f}<extra>" + name + "</extra>",
        ), row=2, col=1)
    fig.add_hline(y=1, line=dict(color="#757575", width=1, dash="dot"), row=2, col=1)
    fig.update_yaxes(type="log", title=dict(text="steps"), range=[0, math.log10(STEPS) + 0.45], row=1, col=1)
    effect_values = [results[p]["effects"][k] for p in pkeys for k in ("direction", "length")]
    lo, hi = math.log10(min(effect_values + [1])), math.log10(max(effect_values + [1]))
    fig.update_yaxes(type="log", title=dict(text="step ratio"), range=[lo - 0.3, hi + 0.35], row=2, col=1)
    fig.update_layout(
        height=720, barmode="group", bargap=0.18,
        margin=dict(l=60, r=20, t=40, b=40),
        legend=dict(orientation="h", x=0, y=-0.06, xanchor="left", yanchor="top"),
    )

    bowl_a = results["bowl_a"]
    numbers = {"tol": fmt(TOL), "steps_budget": fmt(STEPS), "decay": fmt(DECAY),
               "lr_min": fmt(LR_GRID[0]), "lr_max": fmt(LR_GRID[-1]), "lr_count": fmt(len(LR_GRID)),
               "wells_start": f"({fmt(START_WELLS[0])}, {fmt(START_WELLS[1])})"}
    for p in pkeys:
        for mkey in METHODS:
            m = results[p]["methods"][mkey]
            numbers[f"{p}_{mkey}_steps"] = steps_text(m["steps"], STEPS)
            numbers[f"{p}_{mkey}_lr"] = fmt(m["lr"])
        eff = results[p]["effects"]
        numbers[f"{p}_direction_ratio"] = ratio_text(eff["direction"])
        numbers[f"{p}_length_ratio"] = ratio_text(eff["length"])
        numbers[f"{p}_carrier"] = eff["carrier"]
    carriers = {results[p]["effects"]["carrier"] for p in pkeys}
    length_costs = sum(results[p]["effects"]["length"] > 1 for p in pkeys)
    numbers["length_costs_count"] = fmt(length_costs)
    numbers["problem_count"] = fmt(len(pkeys))
    numbers["carriers"] = " and ".join(sorted(carriers))
    loose = compute(TOL_LOOSE)
    numbers["tol_loose"] = fmt(TOL_LOOSE)
    numbers["loose_length_costs_count"] = fmt(sum(loose[p]["effects"]["length"] > 1 for p in pkeys))
    for p in pkeys:
        numbers[f"loose_{p}_length_ratio"] = ratio_text(loose[p]["effects"]["length"])
        numbers[f"loose_{p}_direction_ratio"] = ratio_text(loose[p]["effects"]["direction"])

    rows = {"problem": [], "method": [], "start_x": [], "start_y": [], "tuned_lr": [],
            "steps_to_tolerance": []}
    for p in pkeys:
        for mkey in METHODS:
            m = results[p]["methods"][mkey]
            rows["problem"].append(p)
            rows["method"].append(mkey)
            rows["start_x"].append(round(float(results[p]["start"][0]), 4))
            rows["start_y"].append(round(float(results[p]["start"][1]), 4))
            rows["tuned_lr"].append(float(m["lr"]) if m["lr"] is not None else -1.0)
            rows["steps_to_tolerance"].append(m["steps"])

    caption = (
        "Every update has a direction and a length; here they are swapped between gradient descent "
        "and RMSprop, each combination at its own tuned learning rate. On the course bowl from A, "
        f"gradient descent's direction at RMSprop's step length needs {numbers['bowl_a_gd_dir_rms_len_steps']} "
        f"steps, RMSprop's direction at gradient descent's length {numbers['bowl_a_rms_dir_gd_len_steps']} "
        f"(gradient descent {numbers['bowl_a_gd_steps']}, RMSprop {numbers['bowl_a_rmsprop_steps']}). "
        "The bottom panel shows what each of RMSprop's two factors does to the step count on each problem."
    )
    alt_parts = []
    for p in pkeys:
        r = results[p]
        m = r["methods"]
        alt_parts.append(
            f"{r['label']}: " + ", ".join(f"{SHORT[k]} {steps_text(m[k]['steps'], STEPS)}" for k in METHODS)
            + f" steps; RMSprop's direction gives {ratio_text(r['effects']['direction'])}, its step length "
            f"{ratio_text(r['effects']['length'])}, so the {r['effects']['carrier']} carries the difference."
        )
    alt = (f"Grouped bar chart of steps until the loss stays within {numbers['tol']} of the minimum "
           f"(horizon {numbers['steps_budget']}), log scale. " + " ".join(alt_parts))
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=rows, numbers=numbers,
                      title="Direction × magnitude ablation")

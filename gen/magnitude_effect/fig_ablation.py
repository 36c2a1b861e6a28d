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

The runs, the tuning and the noise floor are in :mod:`gen.magnitude_effect.ablation`, shared
with the table (tab_ablation).
"""
from __future__ import annotations

import math

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from gen.magnitude_effect.ablation import (
    DECAY,
    EDGE_WORDS,
    HORIZON,
    LR_GRID,
    METHODS,
    SHORT,
    START_WELLS,
    STEPS,
    TOL,
    TOL_LOOSE,
    about_same,
    carrier_clause,
    compute,
    inside_ngd_rate,
    ratio_text,
)
from gen.spec import FigureSpec
from gen.text import count_text, fmt

ID = "fig-ablation"
COST = 16   # rough seconds to build (gen/build.py starts the longest first)


def build() -> FigureSpec:
    results = compute()
    pkeys = list(results)
    labels = [results[p]["label"] for p in pkeys]
    floor = results[pkeys[0]]["noise_floor"]

    fig = make_subplots(rows=2, cols=1, row_heights=[0.62, 0.38], vertical_spacing=0.16,
                        subplot_titles=("Steps to tolerance, each method at its tuned learning rate",
                                        "What RMSprop's factor does to the step count (below 1: fewer steps)"))
    for mkey, (name, colour) in METHODS.items():
        ys = [results[p]["methods"][mkey]["counted"] for p in pkeys]
        text = [results[p]["methods"][mkey]["text"] for p in pkeys]
        lrs = [fmt(m["lr"]) if m["lr"] is not None else "none (no rate settles)"
               for m in (results[p]["methods"][mkey] for p in pkeys)]
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
    # the noise floor: ratios inside this band read "about the same"
    fig.add_hrect(y0=1 / (1 + floor), y1=1 + floor, line_width=0, fillcolor="#9e9e9e", opacity=0.25,
                  row=2, col=1)
    fig.update_yaxes(type="log", title=dict(text="steps"), range=[0, math.log10(STEPS) + 0.45], row=1, col=1)
    effect_values = [results[p]["effects"][k] for p in pkeys for k in ("direction", "length")]
    lo, hi = math.log10(min(effect_values + [1])), math.log10(max(effect_values + [1]))
    fig.update_yaxes(type="log", title=dict(text="step ratio"), range=[lo - 0.3, hi + 0.35], row=2, col=1)
    fig.update_layout(
        height=720, barmode="group", bargap=0.18,
        margin=dict(l=60, r=20, t=40, b=40),
        legend=dict(orientation="h", x=0, y=-0.06, xanchor="left", yanchor="top"),
    )

    numbers = {"tol": fmt(TOL), "steps_budget": fmt(STEPS), "horizon": fmt(HORIZON), "decay": fmt(DECAY),
               "lr_min": fmt(LR_GRID[0]), "lr_max": fmt(LR_GRID[-1]), "lr_count": fmt(len(LR_GRID)),
               "wells_start": f"({fmt(START_WELLS[0])}, {fmt(START_WELLS[1])})"}
    for p in pkeys:
        for mkey in METHODS:
            m = results[p]["methods"][mkey]
            numbers[f"{p}_{mkey}_steps"] = m["text"]
            numbers[f"{p}_{mkey}_lr"] = fmt(m["lr"]) if m["lr"] is not None else "none"
            numbers[f"{p}_{mkey}_edge"] = EDGE_WORDS[m["edge"]]
        eff = results[p]["effects"]
        numbers[f"{p}_direction_ratio"] = ratio_text(eff["direction"], floor)
        numbers[f"{p}_length_ratio"] = ratio_text(eff["length"], floor)
        numbers[f"{p}_carrier"] = eff["carrier"]
    carriers = {results[p]["effects"]["carrier"] for p in pkeys}
    length_costs = sum(results[p]["effects"]["length"] > 1 + floor for p in pkeys)
    numbers["length_costs_count"] = fmt(length_costs)
    numbers["length_same_count"] = fmt(sum(about_same(results[p]["effects"]["length"], floor) for p in pkeys))
    numbers["slower_with_rms_length_count"] = fmt(sum(
        results[p]["methods"]["gd_dir_rms_len"]["counted"] > (1 + floor) * results[p]["methods"]["gd"]["counted"]
        for p in pkeys))
    numbers["problem_count"] = fmt(len(pkeys))
    numbers["carriers"] = " and ".join(sorted(carriers))

    # where the tuned rates sit: the edge of the settling range is where rounding decides
    edges = [results[p]["methods"][m]["edge"] for p in pkeys for m in METHODS]
    numbers["tuned_count"] = fmt(len(edges))
    numbers["edge_settling_range_count"] = fmt(sum(e == "settling-range" for e in edges))
    numbers["edge_grid_count"] = fmt(sum(e in ("grid-low", "grid-high") for e in edges))
    for mkey in METHODS:
        numbers[f"{mkey}_edge_count"] = fmt(sum(results[p]["methods"][mkey]["edge"] == "settling-range"
                                                for p in pkeys))

    # the noise floor: normalised GD on the bowl vs the rotated bowl (rotation-invariant)
    numbers["noise_floor_percent"] = fmt(round(100 * floor))
    numbers["noise_floor_ratio"] = fmt(1 + floor, 3)
    inside = inside_ngd_rate(results)
    if inside is None:
        raise ValueError("normalised GD has no rate strictly inside its settling range on both bowls")
    numbers["ngd_inside_lr"] = fmt(LR_GRID[inside])
    numbers["ngd_inside_bowl_steps"] = count_text(results["bowl_a"]["methods"]["ngd"]["res"].settling_at(inside))
    numbers["ngd_inside_rotated_steps"] = count_text(
        results["rotated_a"]["methods"]["ngd"]["res"].settling_at(inside))
    same_inside = numbers["ngd_inside_bowl_steps"] == numbers["ngd_inside_rotated_steps"]

    loose = compute(TOL_LOOSE)
    numbers["tol_loose"] = fmt(TOL_LOOSE)
    numbers["loose_length_costs_count"] = fmt(sum(loose[p]["effects"]["length"] > 1 + floor for p in pkeys))
    for p in pkeys:
        numbers[f"loose_{p}_length_ratio"] = ratio_text(loose[p]["effects"]["length"], floor)
        numbers[f"loose_{p}_direction_ratio"] = ratio_text(loose[p]["effects"]["direction"], floor)

    rows = {"problem": [], "method": [], "start_x": [], "start_y": [], "tuned_lr": [],
            "steps_to_tolerance": [], "status": [], "lr_edge": []}
    for p in pkeys:
        for mkey in METHODS:
            m = results[p]["methods"][mkey]
            rows["problem"].append(p)
            rows["method"].append(mkey)
            rows["start_x"].append(round(float(results[p]["start"][0]), 4))
            rows["start_y"].append(round(float(results[p]["start"][1]), 4))
            rows["tuned_lr"].append(float(m["lr"]) if m["lr"] is not None else -1.0)
            rows["steps_to_tolerance"].append(m["steps"])
            rows["status"].append(str(m["settling"].status[0]))
            rows["lr_edge"].append(EDGE_WORDS[m["edge"]])

    caption = (
        "Every update has a direction and a length; here they are swapped between gradient descent "
        "and RMSprop, each combination at its own tuned learning rate. On the course bowl from A, "
        f"gradient descent's direction at RMSprop's step length needs {numbers['bowl_a_gd_dir_rms_len_steps']} "
        f"steps, RMSprop's direction at gradient descent's length {numbers['bowl_a_rms_dir_gd_len_steps']} "
        f"(gradient descent {numbers['bowl_a_gd_steps']}, RMSprop {numbers['bowl_a_rmsprop_steps']}). "
        "The bottom panel shows what each of RMSprop's two factors does to the step count on each problem. "
        f"Counts are within {STEPS:,} steps and checked to hold until step {HORIZON:,}. Normalised "
        "gradient descent is rotation-invariant, yet its tuned counts on the bowl and the rotated bowl "
        f"differ by {numbers['noise_floor_percent']}% ({numbers['bowl_a_ngd_steps']} and "
        f"{numbers['rotated_a_ngd_steps']}): its tuned rate sits at the edge of the range that settles, "
        "where rounding decides whether the hovering stays inside the tolerance"
        + (f" (at lr {numbers['ngd_inside_lr']}, inside the range, both give {numbers['ngd_inside_bowl_steps']})"
           if same_inside else
           f" (at lr {numbers['ngd_inside_lr']}, inside the range: {numbers['ngd_inside_bowl_steps']} and "
           f"{numbers['ngd_inside_rotated_steps']})")
        + ". Differences smaller than that noise floor (the grey band) are \"about the same\". "
        f"{numbers['edge_settling_range_count']} of the {numbers['tuned_count']} tuned rates are the largest "
        "rate on the grid that settles."
    )
    alt_parts = []
    for p in pkeys:
        r = results[p]
        m = r["methods"]
        alt_parts.append(
            f"{r['label']}: " + ", ".join(f"{SHORT[k]} {m[k]['text']}" for k in METHODS)
            + f" steps; RMSprop's direction gives {ratio_text(r['effects']['direction'], floor)}, its step "
            f"length {ratio_text(r['effects']['length'], floor)}, {carrier_clause(r['effects']['carrier'])}."
        )
    alt = (f"Grouped bar chart of steps until the loss stays within {numbers['tol']} of the minimum "
           f"(budget {STEPS:,} steps, checked to step {HORIZON:,}), log scale. "
           + " ".join(alt_parts)
           + f" Ratios within {numbers['noise_floor_percent']}% of 1, the difference between normalised "
           "gradient descent's counts on the bowl and the rotated bowl, count as about the same.")
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=rows, numbers=numbers,
                      title="Direction × magnitude ablation")

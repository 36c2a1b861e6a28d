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

Counts are horizon-stable (``rc.tune_lr(..., horizon=HORIZON)``): steps to tolerance within
the ``STEPS`` = 1,000-step budget, certified only if the loss then stays within the tolerance
until step ``HORIZON`` = 4,000 (4 × the budget). That horizon is enough for these methods:
none has a memory longer than about 10 steps (gradient descent, normalised gradient descent
and sign descent have none; RMSprop's average with β = 0.9, alone or inside the
direction × length hybrids, forgets in about 1/(1 − β) = 10 steps), so a count that holds for
3,000 steps past the budget is not a transient. Every tuned count quoted here was also found
unchanged when checked to 40,000 steps (the tests re-check them at 2 × the horizon). Rates
*at the edge* of the range that settles are another matter: there the iterate hovers at the
tolerance's border and can leave it late (e.g. RMSprop's direction at gradient descent's
length at lr 0.112 on the bowl from A is within the tolerance from step 17 but outside it
again at step 2,374), which is why the tuner scores certified counts only.

Rounding noise. Normalised gradient descent is rotation-invariant, so on the bowl and on the
rotated bowl (start A rotated with it) it makes the same moves, and at every rate strictly
inside its settling range its counts are identical. Its tuned rate, though, sits at the edge
of that range, where the step length is just small enough for the hovering to stay inside the
tolerance and whether it does is decided by rounding: the tuned counts on the two bowls differ.
That relative difference is the ablation's noise floor; effects smaller than it are reported
as "about the same", and never decide which factor carries the difference.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import rmsprop_core as rc
from gen import settings as S
from gen.spec import FigureSpec, count_text, counted, fmt
from rmsprop_core import transforms as T

ID = "fig-ablation"
COST = 16   # rough seconds to build (gen/build.py starts the longest first)

START_A, START_B = S.START_A, S.START_B   # the course bowl's starts (gen/settings.py)
START_WELLS = (-1.8, 0.05)   # two-well surface: just off the axis through the minimum (gen.fig_simulator)
TOL = S.TOL                  # loss stays within TOL of the minimum from then on
TOL_LOOSE = 1e-1             # a looser criterion, to check the verdict does not hinge on TOL
STEPS = 1000                 # step budget of every run (per-problem tuning, unlike gen/settings.py)
HORIZON = 4 * STEPS          # every count is checked to hold until this step (see the docstring)
LR_GRID = np.geomspace(1e-4, 1.0, 81)   # 20 learning rates per decade
DECAY = S.DECAY              # the course's β for RMSprop
EPS = S.EPS

#: key -> (label, colour)
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
#: the 2 × 2 design (all the looser-tolerance check needs)
DESIGN = ("gd", "gd_dir_rms_len", "rms_dir_gd_len", "rmsprop")
EDGE_WORDS = {None: "inside", "grid-low": "grid-low", "grid-high": "grid-high",
              "settling-range": "settling-range"}


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


def tune(mkey, pkey, tol=TOL) -> rc.TuningResult:
    """One method tuned on one problem (one start), every count checked to HORIZON."""
    _, _, obj, start = {p[0]: p for p in problems()}[pkey]
    return rc.tune_lr(make_optimizer(mkey), obj, [start], LR_GRID, STEPS, tol, horizon=HORIZON)


@lru_cache(maxsize=1)
def _tunings():
    """{tol: {problem: {method: TuningResult}}} for TOL (all methods) and TOL_LOOSE (the 2 × 2)."""
    return {tol: {pkey: {m: tune(m, pkey, tol) for m in mkeys} for pkey, *_ in problems()}
            for tol, mkeys in ((TOL, tuple(METHODS)), (TOL_LOOSE, DESIGN))}


def _method_result(res: rc.TuningResult) -> dict:
    """The tuned rate's certified count. When no rate settles (``best_lr`` None) there is no
    tuned rate: ``lr`` is None, the count counts as STEPS + 1, and the text is what the rate a
    budget-only tuner would pick does ("17, then leaves at step 2,374", "more than 1000")."""
    if res.best_index is None:
        s = res.settling_at(res.fastest_unchecked())
        return {"lr": None, "settling": s, "steps": -1, "counted": STEPS + 1,
                "text": count_text(s), "edge": None, "res": res}
    s = res.settling_at(res.best_index)
    return {"lr": res.best_lr, "settling": s, "steps": int(s.steps[0]), "counted": counted(s),
            "text": count_text(s), "edge": res.edge, "res": res}


def noise_floor(methods_bowl: dict, methods_rotated: dict) -> float:
    """Relative difference of normalised GD's tuned counts on the bowl and the rotated bowl
    from the same start relative to the valley (rotation-invariant: any difference is rounding
    at the edge of the settling range); max/min − 1."""
    a, b = methods_bowl["ngd"]["counted"], methods_rotated["ngd"]["counted"]
    return max(a, b) / min(a, b) - 1.0


@lru_cache(maxsize=2)
def compute(tol=TOL):
    """Every method tuned on every problem (one start each). Returns nested dicts of results;
    ``results[p]["effects"]`` reads the 2 × 2 design against the noise floor (measured at TOL).
    At TOL_LOOSE only the 2 × 2 design's four methods are tuned (all the effects need)."""
    tunings = _tunings()
    by_problem = tunings[tol] if tol in tunings else {
        pkey: {m: tune(m, pkey, tol) for m in METHODS} for pkey, *_ in problems()}
    rows = {p: {m: _method_result(r) for m, r in res.items()} for p, res in by_problem.items()}
    strict = rows if tol == TOL else {p: {m: _method_result(r) for m, r in res.items()}
                                      for p, res in tunings[TOL].items()}
    floor = noise_floor(strict["bowl_a"], strict["rotated_a"])
    return {
        pkey: {"label": label, "start": start, "methods": rows[pkey], "effects": effects(rows[pkey], floor),
               "noise_floor": floor}
        for pkey, label, _obj, start in problems()
    }


def about_same(r: float, floor: float) -> bool:
    """A step ratio within the noise floor of 1 (either way)."""
    return abs(math.log(r)) <= math.log1p(floor)


def effects(row, floor=0.0):
    """Main effects of the 2 × 2 design as step ratios (> 1: RMSprop's factor costs steps).

    direction = sqrt( (RMSprop dir, GD len)/(GD) · (RMSprop)/(GD dir, RMSprop len) )
    length    = sqrt( (GD dir, RMSprop len)/(GD) · (RMSprop)/(RMSprop dir, GD len) )
    A run that never settles counts as STEPS + 1 (so a ratio is then a bound). The factor
    whose effect is larger carries the difference, unless both are within the noise floor
    ("neither") or within the floor of each other ("both").
    """
    s = {k: row[k]["counted"] for k in DESIGN}
    direction = math.sqrt(s["rms_dir_gd_len"] / s["gd"] * s["rmsprop"] / s["gd_dir_rms_len"])
    length = math.sqrt(s["gd_dir_rms_len"] / s["gd"] * s["rmsprop"] / s["rms_dir_gd_len"])
    d, l = abs(math.log(direction)), abs(math.log(length))
    if about_same(direction, floor) and about_same(length, floor):
        carrier = "neither"
    elif abs(d - l) <= math.log1p(floor):
        carrier = "both"
    else:
        carrier = "direction" if d > l else "step length"
    return {"direction": direction, "length": length, "carrier": carrier}


def ratio_text(r: float, floor: float = 0.05) -> str:
    """A step ratio as words: '6.2 times more steps' / '2.1 times fewer steps', or 'about the
    same number of steps' within the noise floor."""
    if about_same(r, floor):
        return "about the same number of steps"
    if r >= 1:
        return f"{fmt(r, 2)} times more steps"
    return f"{fmt(1 / r, 2)} times fewer steps"


def carrier_clause(carrier: str) -> str:
    """'so the step length carries the difference', or 'so neither factor carries it' when both
    effects are within the noise floor, 'so both carry it' when they are within it of each other."""
    return {"neither": "so neither factor carries the difference",
            "both": "so the direction and the step length carry it alike"}.get(
        carrier, f"so the {carrier} carries the difference")


def inside_ngd_rate(results) -> int | None:
    """Index of the largest grid rate strictly inside normalised GD's settling range on both
    bowls (it and the next rate up settle on both), or None."""
    a = results["bowl_a"]["methods"]["ngd"]["res"]
    b = results["rotated_a"]["methods"]["ngd"]["res"]
    ok = (a.steps[:, 0] >= 0) & (b.steps[:, 0] >= 0)
    inside = np.flatnonzero(ok[:-1] & ok[1:])
    return int(inside[-1]) if inside.size else None


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

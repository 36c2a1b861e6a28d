"""Does RMSprop make it worse? A map over many start points instead of two anecdotes.

The argument (the thread's Q1, answered with a number): start from every cell of a grid
covering the course bowl's view box; run gradient descent and RMSprop, each at the one
learning rate that is best on average over the whole grid (tuned once per method); colour
each start by how many times more steps RMSprop needs than gradient descent to get, and stay,
within the tolerance. The fraction of starts where RMSprop is slower is the answer to "does
it make a good trajectory worse?".

Counts are horizon-stable (rmsprop_core.settle): counted within the bowl's budget and checked
to stay within the tolerance until the tuner's default horizon, max(10 × budget, 10,000)
steps. The tuner screens every rate over the budget and certifies only the rates that could
be best (``tune_lr(..., verify="best")``); the per-start counts are the best rate's certified
ones (``TuningResult.settling_at``). A start that does not settle counts as budget + 1.

A second, steeper bowl (λ_b = 200 instead of 20) shows how the picture moves when the
valley is much narrower, the setting RMSprop was made for: per-coordinate scaling pays off
when gradient descent's step is held back by a large ratio of curvatures.
"""
from __future__ import annotations

import functools

import numpy as np
import plotly.graph_objects as go

import rmsprop_core as rc
from gen import settings as S
from gen.spec import FigureSpec
from gen.text import count_text, counted, fmt, quantity_word

ID = "fig-sweep"
COST = 5   # rough seconds to build (gen/build.py starts the longest first)

CELL = 0.4                         # grid spacing (equal on both axes): 20 × 10 starts
W_CENTRES = np.arange(-4 + CELL / 2, 4, CELL)
B_CENTRES = np.arange(-2 + CELL / 2, 2, CELL)
METHODS = ("gd", "rmsprop")
# (label, λ_b, step budget, learning-rate grid): the course's bowl and a steeper one, which
# needs a longer budget (gradient descent's rate is about 1 − 2/κ per step).
BOWLS = (
    ("course", 20.0, 2 * S.BUDGET, S.LR_GRID),   # twice the course's budget: no start is cut off
    ("steep", 200.0, 1500, np.geomspace(1e-3, 0.02, 20)),
)
BOWL_LABELS = {"course": "Course bowl (λ_b = 20)", "steep": "Steeper bowl (λ_b = 200)"}
RATIO_CLIP = 4.0                   # colour range: log2 ratio in [-4, 4] (×1/16 .. ×16)


def starts() -> np.ndarray:
    grid = np.stack(np.meshgrid(W_CENTRES, B_CENTRES), axis=-1)
    return grid.reshape(-1, 2)


def edge_words(tuned: rc.TuningResult) -> str:
    """Where the tuned rate sits, for the page: the tuner's edge in words."""
    return tuned.edge_text() or "inside the grid"


def sweep(eigen_b: float, steps: int, lrs: np.ndarray) -> dict:
    """Tune GD and RMSprop once over all starts; their horizon-checked counts from every start."""
    bowl = rc.objectives.quadratic([1.0, eigen_b])
    x0 = starts()
    result = {}
    for key in METHODS:
        tuned = rc.tune_lr(S.METHODS[key].make, bowl, x0, lrs, steps, S.TOL, verify="best")
        if tuned.best_lr is None:
            raise ValueError(f"{key} settles at no rate of the grid on the λ_b = {eigen_b:g} bowl")
        settling = tuned.settling_at(tuned.best_index)
        result[key] = {"lr": tuned.best_lr, "steps": settling.steps, "settling": settling,
                       "counted": np.array([counted(settling, i) for i in range(settling.n)]),
                       "unsettled": int((settling.status != "settled").sum()),
                       "tuning": tuned, "criterion": tuned.criterion}
    gd = result["gd"]["counted"].astype(float)
    rms = result["rmsprop"]["counted"].astype(float)
    # A start already within tolerance takes 0 steps for both: ratio 1 (no difference).
    ratio = np.where((gd == 0) & (rms == 0), 1.0, rms / np.maximum(gd, 1.0))
    result.update(ratio=ratio, slower=rms > gd, faster=rms < gd, steps_budget=steps,
                  horizon=result["gd"]["settling"].horizon,
                  never=result["gd"]["unsettled"] + result["rmsprop"]["unsettled"])
    return result


@functools.lru_cache(maxsize=1)
def _compute() -> dict:
    return {label: sweep(eigen_b, steps, lrs) for label, eigen_b, steps, lrs in BOWLS}


def compute() -> dict:
    return _compute()


def build() -> FigureSpec:
    results = compute()
    nw, nb = len(W_CENTRES), len(B_CENTRES)

    def z(label):
        return np.clip(np.log2(results[label]["ratio"]), -RATIO_CLIP, RATIO_CLIP).reshape(nb, nw)

    def hover(label):
        r = results[label]
        g, s = r["gd"]["settling"], r["rmsprop"]["settling"]
        text = [f"GD {count_text(g, i)} steps, RMSprop {count_text(s, i)} steps"
                for i in range(g.n)]
        return np.array(text).reshape(nb, nw).tolist()

    def summary(label):
        r = results[label]
        pct = fmt(round(100 * float(r["slower"].mean())))
        # short enough for two lines on a phone; the tuned rates are in the caption
        return f"{BOWL_LABELS[label]}: RMSprop slower from {pct}% of starts"

    ticks = list(range(-int(RATIO_CLIP), int(RATIO_CLIP) + 1, 2))
    tick_text = [f"×{2 ** t}" if t >= 0 else f"×1/{2 ** -t}" for t in ticks]
    fig = go.Figure()
    fig.add_trace(go.Heatmap(
        x=W_CENTRES, y=B_CENTRES, z=z("course"), zmin=-RATIO_CLIP, zmax=RATIO_CLIP, zmid=0,
        colorscale="RdBu_r", text=hover("course"),
        hovertemplate="start (%{x:.2f}, %{y:.2f}): %{text}<extra></extra>",
        colorbar=dict(title=dict(text="RMSprop ÷ GD steps", side="right"),
                      tickvals=ticks, ticktext=tick_text, len=0.9, thickness=16),
        name="steps ratio",
    ))
    for name, (w0, b0) in S.STARTS.items():
        fig.add_trace(go.Scatter(
            x=[w0], y=[b0], mode="markers+text", text=[name], textposition="top right",
            marker=dict(size=9, color="#212121", symbol="circle-open", line=dict(width=2)),
            textfont=dict(color="#212121"), showlegend=False, hoverinfo="skip", name=f"start {name}",
            cliponaxis=False,   # B sits near the top edge: its label would be cut off
        ))
    fig.add_trace(go.Scatter(x=[0], y=[0], mode="markers", marker=dict(size=10, symbol="x", color="#212121"),
                             showlegend=False, hoverinfo="skip", name="minimum"))

    def args(label):
        return [{"z": [z(label).tolist()], "text": [hover(label)]},
                {"annotations[0].text": summary(label)}, [0]]

    fig.update_layout(
        height=420,
        margin=dict(l=50, r=20, t=40, b=50),
        xaxis=dict(title=dict(text="start w"), range=[-4, 4], constrain="domain"),
        yaxis=dict(title=dict(text="start b"), range=[-2, 2], scaleanchor="x", scaleratio=1,
                   constrain="domain"),
        annotations=[dict(text=summary("course"), x=0, y=1.02, xref="paper", yref="paper",
                          xanchor="left", yanchor="bottom", showarrow=False, font=dict(size=12))],
        updatemenus=[dict(
            type="buttons", direction="right", active=0, showactive=True, name="Bowl",
            x=1, y=1.1, xanchor="right", yanchor="bottom",
            buttons=[dict(label=BOWL_LABELS[label], method="update", args=args(label))
                     for label, *_ in BOWLS],
        )],
    )

    numbers = {"n_starts": fmt(len(starts())), "cell": fmt(CELL), "ratio_clip": fmt(2 ** RATIO_CLIP)}
    for label, eigen_b, steps, lrs in BOWLS:
        r = results[label]
        fraction = float(r["slower"].mean())
        numbers[f"{label}_eigen_b"] = fmt(eigen_b)
        numbers[f"{label}_budget"] = fmt(steps)
        numbers[f"{label}_horizon"] = f"{r['horizon']:,}"
        numbers[f"{label}_grid"] = f"{len(lrs)} learning rates from {fmt(float(lrs[0]))} to {fmt(float(lrs[-1]))}"
        numbers[f"{label}_slower_pct"] = f"{fmt(round(100 * fraction))}%"
        numbers[f"{label}_slower_word"] = quantity_word(fraction)
        # where RMSprop wins: the starts from which it needs fewer steps than gradient descent
        numbers[f"{label}_faster_pct"] = f"{fmt(round(100 * float(r['faster'].mean())))}%"
        numbers[f"{label}_median_ratio"] = fmt(float(np.median(r["ratio"])), 2)
        numbers[f"{label}_never"] = fmt(r["never"])
        for key in METHODS:
            numbers[f"{label}_lr_{key}"] = fmt(r[key]["lr"])
            numbers[f"{label}_edge_{key}"] = edge_words(r[key]["tuning"])
            numbers[f"{label}_unsettled_{key}"] = fmt(r[key]["unsettled"])
            numbers[f"{label}_mean_{key}"] = fmt(float(r[key]["counted"].mean()))
        # the one-word verdict that opens the short answer, chosen by the data
        numbers[f"{label}_verdict"] = ("Yes" if fraction == 1.0 else
                                       "Yes, usually" if fraction > 0.5 else
                                       "Sometimes" if fraction > 0.1 else "Rarely")

    data = {"bowl": [], "w0": [], "b0": [], "gd_lr": [], "rmsprop_lr": [], "gd_steps": [],
            "rmsprop_steps": [], "gd_status": [], "rmsprop_status": []}
    for label, *_ in BOWLS:
        r = results[label]
        g, s = r["gd"]["settling"], r["rmsprop"]["settling"]
        for i, (w0, b0) in enumerate(starts()):
            data["bowl"].append(label)
            data["w0"].append(float(w0))
            data["b0"].append(float(b0))
            data["gd_lr"].append(r["gd"]["lr"])
            data["rmsprop_lr"].append(r["rmsprop"]["lr"])
            data["gd_steps"].append(int(g.steps[i]))          # certified count, -1 = does not settle
            data["rmsprop_steps"].append(int(s.steps[i]))
            data["gd_status"].append(str(g.status[i]))
            data["rmsprop_status"].append(str(s.status[i]))

    caption = (
        "Each cell is a start point. Its colour says how many times more steps RMSprop needs than "
        "gradient descent to get, and stay, within the tolerance of the minimum (red: RMSprop slower, "
        "blue: faster), each method at the one learning rate that is best on average over all the "
        f"starts (α: gradient descent {numbers['course_lr_gd']}, RMSprop {numbers['course_lr_rmsprop']}; "
        f"steeper bowl: {numbers['steep_lr_gd']} and {numbers['steep_lr_rmsprop']}); counts within {numbers['course_budget']} steps, checked to hold until step "
        f"{numbers['course_horizon']} (steeper bowl: {numbers['steep_budget']} and "
        f"{numbers['steep_horizon']}). The buttons switch to a bowl ten times steeper in b, where "
        "RMSprop's per-coordinate scaling has more to win."
    )
    alt = (
        f"Map over {numbers['n_starts']} start points of the ratio of RMSprop's to gradient descent's "
        f"steps to tolerance {fmt(S.TOL)}. On the course bowl (λ_b = {numbers['course_eigen_b']}), RMSprop "
        f"is slower from {numbers['course_slower_pct']} of the starts, median ratio "
        f"{numbers['course_median_ratio']} (tuned α: GD {numbers['course_lr_gd']}, RMSprop "
        f"{numbers['course_lr_rmsprop']}). On the steeper bowl (λ_b = {numbers['steep_eigen_b']}) it is "
        f"slower from {numbers['steep_slower_pct']}, median ratio {numbers['steep_median_ratio']}. "
        f"Starts that do not settle: {numbers['course_never']} on the course bowl, "
        f"{numbers['steep_never']} on the steeper one."
    )
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=data, numbers=numbers,
                      title="RMSprop vs gradient descent over many starts")

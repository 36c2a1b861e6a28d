"""Start A and start B on the course bowl: gradient descent, Momentum, RMSprop and Adam.

The argument (the thread's Q1): whether RMSprop "makes a good trajectory worse" depends on
the start and on the learning rate. From start A (the lecture's picture, gradient descent
zig-zags in b) and from start B (the gradient already points at the minimum, the move is
almost all vertical) the four methods run twice:

* with the lecture's settings: the course's β = 0.9 (Momentum, RMSprop), Adam's β1 = 0.9,
  β2 = 0.999, ε = 1e-8, and one learning rate α for every method, as the lecture writes the
  same α in every update rule (gen/settings.py: 2/(λ_w + λ_b), where gradient descent
  zig-zags);
* each at its canonical tuned rate (gen/settings.py), counts horizon-checked. No constant
  rate keeps Adam within the tolerance: it is drawn at the rate a budget-only tuner would
  pick, and its count says when it leaves again.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

import rmsprop_core as rc
from gen import settings as S
from gen.plots import bowl_axes, bowl_contour
from gen.spec import FigureSpec
from gen.text import count_text, counted, fmt

ID = "fig-starts"

START_A, START_B = S.START_A, S.START_B
METHODS = ("gd", "momentum", "rmsprop", "adam")
NAMES = {m: S.METHODS[m].name for m in METHODS}
COLOURS = {m: S.METHODS[m].colour for m in METHODS}
DASHES = {m: S.METHODS[m].dash for m in METHODS}
STARTS = S.STARTS
SETTINGS = ("lecture", "tuned")
SETTING_LABELS = {"lecture": "same α (lecture)", "tuned": "tuned α"}
STEPS = S.BUDGET


def compute():
    """Run every method from A and B at the lecture's shared α and at its canonical tuned α.

    Returns (bowl, lecture α, runs) where runs[method] holds the trajectory of the rows
    (A lecture, B lecture, A tuned, B tuned), their rates and their horizon-checked settling.
    """
    bowl = S.bowl()
    lecture_lr = S.lecture_lr()
    runs = {}
    for m in METHODS:
        tuned = S.tuned_lr(m)
        lrs = np.array([lecture_lr, lecture_lr, tuned, tuned])
        traj = rc.run(S.METHODS[m].make(lrs), bowl, np.tile(S.starts(), (2, 1)), STEPS)
        settled = {"lecture": S.settling(m, lecture_lr), "tuned": S.settling(m, tuned)}
        runs[m] = {"traj": traj, "lrs": lrs, "settling": settled,
                   "steps": [counted(settled[st], i) for st in SETTINGS for i in range(2)]}
    return bowl, lecture_lr, runs


def count(runs, m, start, setting) -> str:
    return count_text(runs[m]["settling"][setting], S.row(start))


def row(start: str, setting: str) -> int:
    """Row of a run in compute()'s batch."""
    return SETTINGS.index(setting) * 2 + ("A", "B").index(start)


def _shown(runs, r: int) -> int:
    done = [int(runs[m]["steps"][r]) for m in METHODS]
    return min(max(done) + 5, STEPS)


def build() -> FigureSpec:
    bowl, lecture_lr, runs = compute()
    variants = [(s, setting) for s in ("A", "B") for setting in SETTINGS]

    def paths(start, setting):
        r = row(start, setting)
        n = _shown(runs, r)
        return {m: runs[m]["traj"].positions[: n + 1, r, :] for m in METHODS}

    def label(m, setting):
        return f"{NAMES[m]} (α {fmt(runs[m]['lrs'][SETTINGS.index(setting) * 2])})"

    def annotation(start, setting):
        # one short line per two methods: a long title is cut off on a phone
        parts = [f"{NAMES[m]} {count(runs, m, start, setting)}" for m in METHODS]
        lines = [f"Start {start}, {SETTING_LABELS[setting]}, steps to tolerance:", ""]
        for part in parts:   # greedily, at most about 40 characters per line
            if lines[-1] and len(lines[-1]) + len(part) > 40:
                lines.append("")
            lines[-1] = f"{lines[-1]} · {part}" if lines[-1] else part
        return "<br>".join(lines)

    def view(start):
        """Start B's view zooms on the first steps (the sideways step is the point)."""
        (x0, x1), (y0, y1) = S.B_VIEW if start == "B" else bowl.view
        return {"xaxis.range": [x0, x1], "yaxis.range": [y0, y1]}

    first = variants.index(("B", "tuned"))
    start0, setting0 = variants[first]
    p0 = paths(start0, setting0)
    fig = go.Figure()
    fig.add_trace(bowl_contour(bowl))
    for m in METHODS:
        fig.add_trace(go.Scatter(
            x=p0[m][:, 0], y=p0[m][:, 1], mode="lines+markers", name=label(m, setting0),
            line=dict(color=COLOURS[m], width=2, dash=DASHES[m]), marker=dict(size=3, color=COLOURS[m]),
            hovertemplate="step %{pointNumber}: w=%{x:.3f}, b=%{y:.3f}<extra>" + NAMES[m] + "</extra>",
        ))
    s0 = STARTS[start0]
    fig.add_trace(go.Scatter(
        x=[s0[0]], y=[s0[1]], mode="markers+text", text=[start0], textposition="top right",
        marker=dict(size=10, color="#2e7d32"), name="start", hoverinfo="skip",
    ))
    fig.add_trace(go.Scatter(x=[0], y=[0], mode="markers", marker=dict(size=10, symbol="x", color="#616161"),
                             name="minimum", hoverinfo="skip"))

    def args(start, setting):
        p = paths(start, setting)
        s = STARTS[start]
        return [{"x": [list(p[m][:, 0]) for m in METHODS] + [[s[0]]],
                 "y": [list(p[m][:, 1]) for m in METHODS] + [[s[1]]],
                 "name": [label(m, setting) for m in METHODS] + ["start"],
                 "text": [None] * len(METHODS) + [[start]]},
                {"annotations[0].text": annotation(start, setting), **view(start)},
                list(range(1, len(METHODS) + 2))]

    fig.update_layout(
        height=520,
        margin=dict(l=50, r=20, t=95, b=50),
        **bowl_axes(view(start0)["xaxis.range"], view(start0)["yaxis.range"]),
        legend=dict(orientation="h", x=0, y=-0.18, xanchor="left", yanchor="top"),
        annotations=[dict(text=annotation(start0, setting0), x=0, y=1.02, xref="paper", yref="paper",
                          xanchor="left", yanchor="bottom", showarrow=False, font=dict(size=12))],
        updatemenus=[dict(
            type="buttons", direction="right", active=first, showactive=True,
            name="Start and learning rates", x=1, y=1.12, xanchor="right", yanchor="bottom",
            buttons=[dict(label=f"Start {s}, {SETTING_LABELS[st]}", method="update", args=args(s, st))
                     for s, st in variants],
        )],
    )

    numbers = {"lecture_lr": fmt(lecture_lr), "adam_b1": fmt(S.ADAM_B1), "adam_b2": fmt(S.ADAM_B2),
               "momentum_decay": fmt(S.DECAY), "grid_min": fmt(float(S.LR_GRID[0])),
               "grid_max": fmt(float(S.LR_GRID[-1])), "grid_size": fmt(len(S.LR_GRID)),
               # for the playground links ("start=w,b")
               "start_a_query": f"{fmt(START_A[0])},{fmt(START_A[1])}",
               "start_b_query": f"{fmt(START_B[0])},{fmt(START_B[1])}",
               "steps_budget": fmt(STEPS), "tol": fmt(S.TOL), "decay": fmt(S.DECAY),
               "horizon": f"{S.HORIZON:,}", "long_horizon": f"{S.LONG_HORIZON:,}"}
    for m in METHODS:
        numbers[f"lr_{m}"] = fmt(S.tuned_lr(m))
        for st in ("A", "B"):
            for setting in SETTINGS:
                numbers[f"{m}_{setting}_{st.lower()}"] = count(runs, m, st, setting)
    # Q1 in a number: from B, at tuned rates, how many times more steps RMSprop needs.
    gd_b, rms_b = (int(runs[m]["steps"][row("B", "tuned")]) for m in ("gd", "rmsprop"))
    if gd_b <= STEPS and rms_b <= STEPS:
        numbers["rmsprop_over_gd_b"] = fmt(rms_b / gd_b, 2)
    numbers["rmsprop_vs_gd_b"] = "more" if rms_b > gd_b else "fewer"
    gd_a, rms_a = (int(runs[m]["steps"][row("A", "tuned")]) for m in ("gd", "rmsprop"))
    numbers["rmsprop_vs_gd_a"] = "more" if rms_a > gd_a else "fewer"
    # Adam: no constant rate on the grid keeps it within the tolerance (it settles, then leaves)
    adam = S.tuned_settling("adam")
    numbers["adam_stable"] = "yes" if S.is_stable("adam") else "no"
    numbers["adam_first_a"] = fmt(int(adam.first_settled[0]))
    numbers["adam_first_b"] = fmt(int(adam.first_settled[1]))
    numbers["adam_left_a"] = f"{int(adam.left_at[0]):,}"
    numbers["adam_left_b"] = f"{int(adam.left_at[1]):,}"

    rows = {"start": [], "setting": [], "method": [], "lr": [], "step": [], "w": [], "b": []}
    for s, setting in variants:
        p = paths(s, setting)
        for m in METHODS:
            for t, (x, y) in enumerate(p[m]):
                rows["start"].append(s)
                rows["setting"].append(setting)
                rows["method"].append(m)
                rows["lr"].append(float(runs[m]["lrs"][row(s, setting)]))
                rows["step"].append(t)
                rows["w"].append(float(x))
                rows["b"].append(float(y))

    caption = (
        "Four optimizers on the course's bowl (equal aspect), from start A (gradient descent "
        "zig-zags in b) and start B (the gradient already points at the minimum). The buttons switch "
        "the start and the learning rates: one shared α for all methods, as in the lecture, or each "
        "method's own tuned α. From B, RMSprop and Adam leave the b axis and move diagonally, and "
        "with the shared α RMSprop never settles: it circles the minimum at a distance set by α. "
        "Start B's views are zoomed on the first steps, where the sideways step is (double-click "
        "the plot for the whole bowl)."
    )
    alt = (
        f"Contour plot of the bowl f(w, b) = (w² + 20 b²)/2 with paths of gradient descent, Momentum, "
        f"RMSprop and Adam. Steps until the loss stays within {fmt(S.TOL)} of the minimum, each method at "
        f"its tuned α, from B: gradient descent {numbers['gd_tuned_b']}, Momentum {numbers['momentum_tuned_b']}, "
        f"RMSprop {numbers['rmsprop_tuned_b']}, Adam {numbers['adam_tuned_b']}; from A: "
        f"{numbers['gd_tuned_a']}, {numbers['momentum_tuned_a']}, {numbers['rmsprop_tuned_a']}, "
        f"{numbers['adam_tuned_a']}. With the shared α {numbers['lecture_lr']} from B: "
        f"{numbers['gd_lecture_b']}, {numbers['momentum_lecture_b']}, {numbers['rmsprop_lecture_b']}, "
        f"{numbers['adam_lecture_b']}."
    )
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=rows, numbers=numbers,
                      title="Start A and start B: four optimizers")

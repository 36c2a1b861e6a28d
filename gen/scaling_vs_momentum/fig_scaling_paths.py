"""Scaling vs momentum, the paths: gradient descent, momentum, RMSprop and Adam from start A.

The argument: the four paths separate the two mechanisms. Gradient descent zig-zags across the
narrow b direction; momentum's running average cancels the alternating b component and its
path is smooth; RMSprop moves diagonally (both components about α, whatever the gradient's
proportions) and, with a constant α, keeps hopping around the minimum instead of settling;
Adam averages first and rescales second, and settles. Buttons switch between each method at its
tuned learning rate and all four at the lecture's settings (one shared α).
"""
from __future__ import annotations

import plotly.graph_objects as go

from gen.plots import bowl_axes, bowl_contour
from gen.scaling_vs_momentum import runs as S
from gen.settings import BUDGET as STEPS
from gen.settings import TOL
from gen.spec import FigureSpec
from gen.text import fmt

ID = "fig-scaling-paths"
SETTING_LABELS = {"tuned": "Each at its tuned α", "lecture": "All at the lecture's α"}


def _shown(setting: str) -> int:
    """Steps drawn: until the slowest method has converged (plus a few), at most the horizon."""
    done = [S.counted_steps(m, setting) for m in S.METHODS]
    return min(max(done) + 5, STEPS)


def _path(method: str, setting: str):
    p = S.trajectory(method, setting).positions[: _shown(setting) + 1, 0, :]
    return p[:, 0], p[:, 1]


def _legend_name(method: str, setting: str) -> str:
    return f"{S.NAMES[method]} (α {fmt(S.lr(method, setting))}, {S.count(method, setting)} steps)"


def build() -> FigureSpec:
    bowl = S.bowl()
    (xmin, xmax), (ymin, ymax) = bowl.view
    fig = go.Figure()
    fig.add_trace(bowl_contour(bowl))
    for method in S.METHODS:
        x, y = _path(method, "tuned")
        fig.add_trace(go.Scatter(
            x=x, y=y, mode="lines+markers", name=_legend_name(method, "tuned"),
            line=dict(color=S.COLOURS[method], width=2), marker=dict(size=3, color=S.COLOURS[method]),
            hovertemplate="step %{pointNumber}: w=%{x:.3f}, b=%{y:.3f}<extra>" + S.NAMES[method] + "</extra>",
        ))
    a = S.start()[0]
    fig.add_trace(go.Scatter(
        x=[a[0]], y=[a[1]], mode="markers+text", text=["A"], textposition="top center",
        marker=dict(size=10, color="#2e7d32"), name="start A", hoverinfo="skip",
    ))
    fig.add_trace(go.Scatter(
        x=[0], y=[0], mode="markers", marker=dict(size=10, symbol="x", color="#616161"),
        name="minimum", hoverinfo="skip",
    ))

    path_traces = list(range(1, 1 + len(S.METHODS)))

    def args(setting):
        xs, ys = zip(*(_path(m, setting) for m in S.METHODS))
        return [{"x": [list(v) for v in xs], "y": [list(v) for v in ys],
                 "name": [_legend_name(m, setting) for m in S.METHODS]}, {}, path_traces]

    fig.update_layout(
        height=520,
        margin=dict(l=50, r=20, t=50, b=50),
        **bowl_axes([xmin, xmax], [ymin, ymax]),
        legend=dict(orientation="h", x=0, y=-0.16, xanchor="left", yanchor="top"),
        updatemenus=[dict(
            type="buttons", direction="right", active=0, showactive=True, name="Learning rates",
            x=1, y=1.04, xanchor="right", yanchor="bottom",
            buttons=[dict(label=SETTING_LABELS[s], method="update", args=args(s)) for s in S.SETTINGS],
        )],
    )

    # The page quotes the table's numbers (gen/scaling_vs_momentum/tab_scaling.py); the caption needs this one.
    numbers = {"lecture_lr": fmt(S.lecture_lr())}

    rows = {"setting": [], "method": [], "lr": [], "step": [], "w": [], "b": [], "loss": []}
    for setting in S.SETTINGS:
        n = _shown(setting)
        for m in S.METHODS:
            traj = S.trajectory(m, setting)
            for t in range(n + 1):
                rows["setting"].append(setting)
                rows["method"].append(m)
                rows["lr"].append(S.lr(m, setting))
                rows["step"].append(t)
                rows["w"].append(float(traj.positions[t, 0, 0]))
                rows["b"].append(float(traj.positions[t, 0, 1]))
                rows["loss"].append(float(traj.loss[t, 0]))

    def summary(setting):
        return "; ".join(
            f"{S.NAMES[m]} α {fmt(S.lr(m, setting))}: {S.count(m, setting)} "
            f"steps, travels {fmt(S.b_travel(m, setting))} in b, b-step changes sign {S.b_sign_flips(m, setting)} times"
            for m in S.METHODS)

    caption = (
        "Four methods from the same start A on the course's bowl, drawn with equal aspect. "
        "Gradient descent zig-zags across the narrow b direction; momentum's running average "
        "cancels the alternating part and its path is smooth; RMSprop steps about α in each "
        "coordinate, so it heads off diagonally and, with a constant α, keeps hopping around the "
        "minimum; Adam averages, then rescales, and settles. The buttons switch between each "
        f"method's tuned α and one α for all ({numbers['lecture_lr']}, the lecture's settings). "
        f"Steps count until the loss stays within {fmt(TOL)} of the minimum."
    )
    alt = (
        f"Contour plot of f(w, b) = (w² + 20 b²)/2 with four paths from A = "
        f"({fmt(S.START_A[0])}, {fmt(S.START_A[1])}) to the minimum at (0, 0), over at most "
        f"{STEPS} steps. Each at its tuned learning rate: {summary('tuned')}. All at the "
        f"lecture's settings: {summary('lecture')}."
    )
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=rows, numbers=numbers,
                      title="Gradient descent, momentum, RMSprop and Adam from start A")

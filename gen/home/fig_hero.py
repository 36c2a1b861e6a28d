"""Hero figure (home page): the course's elongated bowl, gradient descent vs RMSprop from two starts.

The argument: where a start makes gradient descent zig-zag across the narrow b direction
(start A, the lecture's picture), RMSprop's per-coordinate scaling straightens the path. Where
the gradient already points at the minimum (start B, just off the vertical b axis), RMSprop's
sign-like first steps amplify the tiny w component into a sideways step the gradient never asked for.

Start B is *almost* on the b axis (w = 0.05, not 0): with w exactly 0 the w gradient is exactly
0 and RMSprop has nothing to amplify (0 / (√0 + ε) = 0), so it would go straight down like
gradient descent. Any real start has some off-axis component; B makes it 36 times smaller than
the b component of the start's distance to the minimum, so the gradient direction is within
a couple of degrees of the direction to the minimum.

Fairness (the thread's Q6): each method runs at its own best learning rate, tuned on a grid
for the fewest mean steps to tolerance over both starts, and the contour is drawn with equal
aspect so a 45° step looks like 45°.
"""
from __future__ import annotations

import plotly.graph_objects as go

import rmsprop_core as rc
from gen import settings as S
from gen.plots import bowl_axes, bowl_contour
from gen.spec import FigureSpec
from gen.text import count_text, counted, fmt

ID = "fig-hero"

START_A, START_B = S.START_A, S.START_B
METHODS = ("gd", "rmsprop")
B_VIEW = S.B_VIEW
COLOURS = {m: S.METHODS[m].colour for m in METHODS}
NAMES = {m: S.METHODS[m].name for m in METHODS}


def compute():
    """Each method at its canonical tuned rate from A and B, run over the budget and
    checked to the horizon (gen/settings.py)."""
    bowl = S.bowl()
    starts = S.starts()
    results = {}
    for key in METHODS:
        lr = S.tuned_lr(key)
        traj = rc.run(S.METHODS[key].make(lr), bowl, starts, S.BUDGET)
        results[key] = {"lr": lr, "traj": traj, "settling": S.settling(key, lr),
                        "steps": [counted(S.settling(key, lr), i) for i in range(2)]}
    return bowl, starts, results


def _shown(results, start_index):
    """Steps to draw for one start: until the slower method has converged (plus a few)."""
    done = [int(r["steps"][start_index]) for r in results.values()]
    return min(max(done) + 5, S.BUDGET)


def build() -> FigureSpec:
    bowl, starts, results = compute()
    (xmin, xmax), (ymin, ymax) = bowl.view
    labels = ["A", "B"]
    paths = {}   # (method, start) -> (w list, b list)
    for key, r in results.items():
        for i in range(2):
            n = _shown(results, i)
            p = r["traj"].positions[: n + 1, i, :]
            paths[key, i] = (p[:, 0], p[:, 1])

    def annotation(i):
        gd, rms = (count_text(results[k]["settling"], i) for k in ("gd", "rmsprop"))
        return f"Start {labels[i]}: GD {gd} steps, RMSprop {rms}"

    fig = go.Figure()
    fig.add_trace(bowl_contour(bowl))
    for key in ("gd", "rmsprop"):
        x, y = paths[key, 0]
        fig.add_trace(go.Scatter(
            x=x, y=y, mode="lines+markers", name=f"{NAMES[key]} (lr {fmt(results[key]['lr'])})",
            line=dict(color=COLOURS[key], width=2), marker=dict(size=4, color=COLOURS[key]),
            hovertemplate="step %{pointNumber}: w=%{x:.3f}, b=%{y:.3f}<extra>" + NAMES[key] + "</extra>",
        ))
    fig.add_trace(go.Scatter(
        x=[starts[0, 0]], y=[starts[0, 1]], mode="markers+text", text=["A"], textposition="top center",
        marker=dict(size=10, color="#2e7d32", symbol="circle"), name="start", hoverinfo="skip",
    ))
    fig.add_trace(go.Scatter(
        x=[0], y=[0], mode="markers", marker=dict(size=10, symbol="x", color="#616161"),
        name="minimum", hoverinfo="skip",
    ))

    def restyle_args(i):
        xs = [list(paths["gd", i][0]), list(paths["rmsprop", i][0]), [starts[i, 0]]]
        ys = [list(paths["gd", i][1]), list(paths["rmsprop", i][1]), [starts[i, 1]]]
        ranges = [[xmin, xmax], [ymin, ymax]] if i == 0 else B_VIEW
        return [{"x": xs, "y": ys, "text": [None, None, [labels[i]]]},
                {"annotations[0].text": annotation(i), "xaxis.range": list(ranges[0]),
                 "yaxis.range": list(ranges[1])}, [1, 2, 3]]

    fig.update_layout(
        height=460,
        margin=dict(l=50, r=20, t=40, b=50),
        **bowl_axes([xmin, xmax], [ymin, ymax]),
        legend=dict(orientation="h", x=0, y=-0.18, xanchor="left", yanchor="top"),
        annotations=[dict(text=annotation(0), x=0, y=1.02, xref="paper", yref="paper",
                          xanchor="left", yanchor="bottom", showarrow=False)],
        updatemenus=[dict(
            type="buttons", direction="right", active=0, showactive=True, name="Start point",
            x=1, y=1.12, xanchor="right", yanchor="bottom",
            buttons=[dict(label=f"Start {labels[i]}", method="update", args=restyle_args(i))
                     for i in range(2)],
        )],
    )

    gd, rms = results["gd"], results["rmsprop"]
    first_rms_step_b = results["rmsprop"]["traj"].updates[0, 1, :]
    numbers = {
        "tol": fmt(S.TOL),
        "horizon": f"{S.HORIZON:,}",
        "long_horizon": f"{S.LONG_HORIZON:,}",
        "adam_memory": f"{round(S.METHODS['adam'].memory):,}",
        # the bowl itself, f = (λ_w w² + λ_b b²)/2, for formulas on every page
        "bowl_lambda_w": fmt(float(bowl.eigenvalues[0])),
        "bowl_lambda_b": fmt(float(bowl.eigenvalues[1])),
        "steps_budget": fmt(S.BUDGET),
        "lr_gd": fmt(gd["lr"]),
        "lr_rmsprop": fmt(rms["lr"]),
        "rmsprop_decay": fmt(S.DECAY),
        "gd_steps_a": count_text(gd["settling"], 0),
        "gd_steps_b": count_text(gd["settling"], 1),
        "rmsprop_steps_a": count_text(rms["settling"], 0),
        "rmsprop_steps_b": count_text(rms["settling"], 1),
        "start_a": f"({fmt(START_A[0])}, {fmt(START_A[1])})",
        "start_b": f"({fmt(START_B[0])}, {fmt(START_B[1])})",
        # RMSprop's first step from B, sideways (w) and down (b): the "w-step" of the thread.
        "rmsprop_first_step_w_b": fmt(abs(first_rms_step_b[0])),
        "rmsprop_first_step_b_b": fmt(abs(first_rms_step_b[1])),
        "gd_first_step_w_b": fmt(abs(gd["traj"].updates[0, 1, 0])),
        # the mentor's "comparable scale": at B the b gradient is this many times the w gradient
        "grad_ratio_b": fmt(abs(float(bowl.grad(starts[1])[1] / bowl.grad(starts[1])[0]))),
    }

    rows = {"start": [], "method": [], "step": [], "w": [], "b": [], "loss": []}
    for key, r in results.items():
        for i in range(2):
            n = _shown(results, i)
            for t in range(n + 1):
                rows["start"].append(labels[i])
                rows["method"].append(key)
                rows["step"].append(t)
                rows["w"].append(float(r["traj"].positions[t, i, 0]))
                rows["b"].append(float(r["traj"].positions[t, i, 1]))
                rows["loss"].append(float(r["traj"].loss[t, i]))

    caption = (
        "The course's elongated bowl, drawn with equal aspect (one unit is as long on both axes). "
        "From start A gradient descent zig-zags across the narrow b direction while RMSprop's path "
        "is smooth. From start B, just off the b axis, the gradient already points at the minimum, "
        f"yet RMSprop's first step goes as far sideways in w as down in b "
        f"({numbers['rmsprop_first_step_w_b']} each; the Start B view is zoomed on the first "
        "steps, double-click for the whole bowl). Each method uses its own best "
        f"learning rate over both starts; steps count until the loss stays within {numbers['tol']} "
        "of the minimum."
    )
    alt = (
        f"Contour plot of f(w, b) = (w² + 20 b²)/2 with two paths to the minimum at (0, 0). "
        f"From A = {numbers['start_a']}: gradient descent (learning rate {numbers['lr_gd']}) takes "
        f"{numbers['gd_steps_a']} steps to reach a loss within {numbers['tol']} of the minimum, "
        f"zig-zagging in b; RMSprop (learning rate {numbers['lr_rmsprop']}, β {numbers['rmsprop_decay']}) "
        f"takes {numbers['rmsprop_steps_a']} steps. From B = {numbers['start_b']}: gradient descent "
        f"takes {numbers['gd_steps_b']} steps, moving almost straight down; RMSprop takes "
        f"{numbers['rmsprop_steps_b']} steps and its first step moves {numbers['rmsprop_first_step_w_b']} "
        f"sideways in w (gradient descent: {numbers['gd_first_step_w_b']})."
    )
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=rows, numbers=numbers,
                      title="Gradient descent vs RMSprop on the course bowl")

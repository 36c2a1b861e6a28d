"""Why start B hurts: RMSprop amplifies a tiny off-axis component into a visible oscillation.

The argument (the thread's Q4): start on the b axis, shifted sideways by a tiny offset w₀
(10⁻⁹, 10⁻⁶ or 10⁻³). Gradient descent shrinks the offset by (1 − α) per step. RMSprop divides
dW by its own running RMS √S_dW, so the first step is α/√(1−β)·sign(dW) whatever the size of
dW: the offset jumps to the size of α in one or two steps. Near the minimum it cannot settle
either: for |dW| small, the effective learning rate α/(√S_dW + ε) exceeds 2/λ_w and w
overshoots back and forth, a cycle of amplitude about α/2. All three offsets end in the same
cycle; only the time they need differs, and only by a step or two.

Controls (precomputed variants, one vectorised run): β and ε. A long memory (β = 0.99) lets
the cycle die out slowly; an ε larger than α/2 keeps α/(√S+ε) below 2/λ_w, so the offset
never grows: RMSprop then behaves like gradient descent with learning rate α/ε near the axis.
RMSprop runs at its tuned rate from the hero (same as fig-starts).
"""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

import rmsprop_core as rc
from gen import settings as S
from gen.settings import DECAY, EPS, START_B
from gen.spec import FigureSpec
from gen.text import fmt, power_of_ten, sci

ID = "fig-offset"

OFFSETS = (1e-9, 1e-6, 1e-3)
HORIZON = 150
# (β, ε) variants behind the buttons; the first is the course's.
VARIANTS = ((DECAY, EPS), (0.99, EPS), (0.5, EPS), (DECAY, 1e-4), (DECAY, 1e-2))
COLOURS = ("#d62728", "#ff7f0e", "#8c564b")
Y_RANGE = (-12, 0.5)   # log10 |w|: the offsets' sizes up to the cycle's


def eps_label(eps: float) -> str:
    return power_of_ten(eps)


def rmsprop_rate() -> float:
    """RMSprop's tuned learning rate over starts A and B (the hero's and fig-starts')."""
    return S.tuned_lr("rmsprop")


def compute():
    """One run: rows (variant i, offset j) -> i * len(OFFSETS) + j; plus gradient descent."""
    bowl = rc.objectives.get("bowl")
    lr = rmsprop_rate()
    k = len(OFFSETS)
    x0 = np.array([[o, START_B[1]] for _ in VARIANTS for o in OFFSETS])
    decay = np.repeat([v[0] for v in VARIANTS], k)
    eps = np.repeat([v[1] for v in VARIANTS], k)
    traj = rc.run(rc.rmsprop(lr, decay=decay, eps=eps), bowl, x0, HORIZON)
    gd_lr = S.tuned_lr("gd")
    gd = rc.run(rc.gd(gd_lr), bowl, x0[:k], HORIZON)
    return lr, gd_lr, traj, gd


def build() -> FigureSpec:
    lr, gd_lr, traj, gd = compute()
    k = len(OFFSETS)
    w = np.abs(traj.positions[:, :, 0])          # (HORIZON+1, rows)
    steps = np.arange(HORIZON + 1)

    def label(i):
        beta, eps = VARIANTS[i]
        course = " (course)" if i == 0 else ""
        return f"β {fmt(beta)}, ε {eps_label(eps)}{course}"

    fig = go.Figure()
    for j, offset in enumerate(OFFSETS):
        fig.add_trace(go.Scatter(
            x=steps, y=w[:, j], mode="lines", name=f"RMSprop, w₀ = {power_of_ten(offset)}",
            line=dict(color=COLOURS[j], width=2),
            hovertemplate="step %{x}: |w| = %{y:.2e}<extra></extra>",
        ))
    fig.add_trace(go.Scatter(
        x=steps, y=np.abs(gd.positions[:, 0, 0]), mode="lines",
        name=f"Gradient descent, w₀ = {power_of_ten(OFFSETS[0])}",
        line=dict(color="#1f77b4", width=2, dash="dash"),
        hovertemplate="step %{x}: |w| = %{y:.2e}<extra></extra>",
    ))
    fig.update_layout(
        height=440,
        margin=dict(l=60, r=20, t=30, b=50),
        xaxis=dict(title=dict(text="step t"), range=[0, HORIZON]),
        yaxis=dict(title=dict(text="|w_t| (log scale)"), type="log", range=list(Y_RANGE),
                   exponentformat="power"),
        legend=dict(orientation="h", x=0, y=-0.18, xanchor="left", yanchor="top"),
        updatemenus=[dict(
            type="buttons", direction="right", active=0, showactive=True, name="β and ε",
            x=1, y=1.02, xanchor="right", yanchor="bottom",
            buttons=[dict(label=label(i), method="restyle",
                          args=[{"y": [list(w[:, i * k + j]) for j in range(k)]}, list(range(k))])
                     for i in range(len(VARIANTS))],
        )],
    )

    course = w[:, :k]
    growth = course.max(axis=0) / np.array(OFFSETS)
    tail = course[HORIZON // 2:]                 # the second half: the settled cycle
    flips = rc.metrics.sign_flips(traj, axis=0)[:k]
    # After the first jump, S_dW remembers the large first gradient and w shrinks back for a
    # while; as S_dW decays the division amplifies again and w regrows into the cycle.
    smallest = course[:, 0]
    peak_at = int(np.argmax(smallest[:5]))
    dip_at = peak_at + int(np.argmin(smallest[peak_at:HORIZON // 2]))
    regrown_at = dip_at + int(np.argmax(smallest[dip_at:] > lr / 4))
    numbers = {
        "lr": fmt(lr),
        "gd_lr": fmt(gd_lr),
        "horizon": fmt(HORIZON),
        "b0": fmt(START_B[1]),
        "half_lr": fmt(lr / 2),
        "first_step_factor": fmt(1 / math.sqrt(1 - DECAY)),
        "first_step": fmt(lr / math.sqrt(1 - DECAY)),
        "peak_w": fmt(float(course.max())),
        "cycle_w": fmt(float(np.median(tail))),
        "smallest_offset": power_of_ten(OFFSETS[0]),
        "middle_offset": power_of_ten(OFFSETS[1]),
        "largest_offset": power_of_ten(OFFSETS[2]),
        # orders of magnitude (floored) by which the smallest offset grows
        "orders_smallest": fmt(int(math.floor(math.log10(growth[0])))),
        "steps_to_visible": fmt(int(np.argmax(course[:, 0] > lr / 2))),
        "dip_w": sci(float(smallest[dip_at])),
        "dip_step": fmt(dip_at),
        "regrown_step": fmt(regrown_at),
        "sign_flips_smallest": fmt(int(flips[0])),
        "start_query": f"{OFFSETS[0]:.9f},{fmt(START_B[1])}",   # playground link: start=w,b
        "eps_query": f"{EPS:.8f}",
        "gd_w_end": sci(float(abs(gd.positions[-1, 0, 0]))),
    }
    for i, (beta, eps) in enumerate(VARIANTS):
        rows_i = w[:, i * k:(i + 1) * k]
        numbers[f"v{i}_decay"] = fmt(beta)
        numbers[f"v{i}_eps"] = eps_label(eps)
        numbers[f"v{i}_peak"] = fmt(float(rows_i.max()), 2)
        numbers[f"v{i}_end"] = sci(float(rows_i[-1].max()))
        # growth of the smallest offset under this variant (1 = it never grew)
        numbers[f"v{i}_growth_smallest"] = sci(float(rows_i[:, 0].max() / OFFSETS[0]))

    data = {"variant": [], "decay": [], "eps": [], "offset": [], "step": [], "abs_w": []}
    for i, (beta, eps) in enumerate(VARIANTS):
        for j, offset in enumerate(OFFSETS):
            for t in steps:
                data["variant"].append(label(i))
                data["decay"].append(beta)
                data["eps"].append(eps)
                data["offset"].append(offset)
                data["step"].append(int(t))
                data["abs_w"].append(float(w[t, i * k + j]))

    caption = (
        "Start on the b axis, shifted sideways by a tiny w₀. Gradient descent shrinks the offset "
        "(dashed line). RMSprop's first steps are nearly α·sign(dW), so even a 10⁻⁹ offset becomes a "
        "step as large as the b step, and near the minimum w keeps flipping sign in a cycle of about "
        "α/2: the oscillation the learner saw. The buttons change β and ε: a long memory lets the cycle "
        "die out slowly, and an ε above α/2 stops the amplification."
    )
    alt = (
        f"Log-scale plot of |w_t| against the step t for RMSprop (α {numbers['lr']}, β {fmt(DECAY)}, "
        f"ε {eps_label(EPS)}) from (w₀, {numbers['b0']}) with w₀ = 10⁻⁹, 10⁻⁶ and 10⁻³. Every offset "
        f"rises to about {numbers['peak_w']} within {numbers['steps_to_visible']} steps (the smallest "
        f"grows by {numbers['orders_smallest']} orders of magnitude) and then oscillates around "
        f"{numbers['cycle_w']}, about α/2 = {numbers['half_lr']}. Gradient descent's |w| falls to "
        f"{numbers['gd_w_end']} after {numbers['horizon']} steps. With β {numbers['v1_decay']} the "
        f"oscillation dies out (|w| {numbers['v1_end']} at the end); with ε {numbers['v4_eps']} the "
        f"offset never grows (largest |w| / w₀ = {numbers['v4_growth_smallest']})."
    )
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=data, numbers=numbers,
                      title="A tiny off-axis offset under RMSprop")

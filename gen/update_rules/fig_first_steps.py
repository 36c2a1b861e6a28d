r"""Figure: RMSprop's first steps are too long by 1/√(1−β^t); Adam's bias correction removes it.

The argument: with :math:`S_{dW}` starting at 0, after :math:`t` steps of a constant gradient
:math:`S_{dW} = (1-\beta^t)\,dW^2`, so RMSprop's step is
:math:`\alpha / \sqrt{1-\beta^t}` per coordinate instead of :math:`\alpha`: 3.16 α, 10 α and
31.6 α at the first step for β = 0.9, 0.99, 0.999, decaying to α only after about
:math:`1/(1-\beta)` steps. Adam divides by :math:`1-\beta_2^t` (and :math:`V_{dW}` by
:math:`1-\beta_1^t`) and so steps exactly α from the first iteration.

Why a constant gradient: the multiplier is a property of the running average alone. On the
course bowl the gradient also shrinks as the point moves, and the measured |Δw|/α would mix
the optimizer's schedule with the problem's progress. Freezing the gradient isolates it; we
freeze the course bowl's gradient at the home page's start B (dw = 0.05, db = 36: the b
component is 720 times larger), and show the w coordinate: the tiny component takes the same
step as the large one, which is the "sign-like first step" behind the thread's point B.

Log y, because the three β's multipliers span a factor of ten at the first step and all end
near 1. All four traces are shown together (no control needed): the comparison between β's is
the point.
"""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

import rmsprop_core as rc
from gen import settings as S
from gen.spec import FigureSpec
from gen.text import fmt

ID = "fig-first-steps"

DECAYS = (0.9, 0.99, 0.999)
ADAM_B1, ADAM_B2 = S.ADAM_B1, S.ADAM_B2   # the course's Adam defaults
EPS = S.EPS                     # the course's ε
LR = 0.01                       # any α: the plotted |Δw|/α does not depend on it
STEPS = 30                      # iterations shown
SETTLE_STEPS = 3000             # horizon to measure when the multiplier has settled
SETTLED = 1.1                   # "settled": |Δw|/α within 10 % of 1 from then on
START_B = S.START_B             # the home page's start B
COLOURS = {0.9: "#1f77b4", 0.99: "#ff7f0e", 0.999: "#d62728", "adam": "#2ca02c"}


def frozen_gradient() -> np.ndarray:
    """The course bowl's gradient at start B, used as a constant gradient."""
    return rc.objectives.get("bowl").grad(np.array(START_B))


def compute(steps: int = STEPS):
    """|Δ|/α per coordinate: (steps, 3, 2) for RMSprop at DECAYS, (steps, 2) for Adam.

    One rc.run for the three β's (β broadcast over trajectories), one for Adam.
    """
    plane = rc.objectives.linear(frozen_gradient())
    starts = np.zeros((len(DECAYS), 2))
    rms = rc.run(rc.rmsprop(LR, decay=np.array(DECAYS), eps=EPS), plane, starts, steps)
    adam = rc.run(rc.adam(LR, b1=ADAM_B1, b2=ADAM_B2, eps=EPS), plane, np.zeros(2), steps)
    return np.abs(rms.updates) / LR, np.abs(adam.updates[:, 0]) / LR


def settle_step(multipliers: np.ndarray) -> np.ndarray:
    """Per trajectory, the first step t (1-based) after which |Δw|/α stays below SETTLED."""
    above = multipliers >= SETTLED                      # (steps, n)
    last_above = np.where(above.any(axis=0), above.shape[0] - np.argmax(above[::-1], axis=0), 0)
    return last_above + 1


def build() -> FigureSpec:
    rms, adam = compute()
    t = np.arange(1, STEPS + 1)
    long_rms, _ = compute(SETTLE_STEPS)
    settle = settle_step(long_rms[:, :, 0])
    if np.any(settle > SETTLE_STEPS):
        raise ValueError("fig-first-steps: SETTLE_STEPS too short for the largest β")

    fig = go.Figure()
    for i, beta in enumerate(DECAYS):
        fig.add_trace(go.Scatter(
            x=t, y=rms[:, i, 0], mode="lines+markers", name=f"RMSprop, β = {fmt(beta)}",
            line=dict(color=COLOURS[beta], width=2), marker=dict(size=5),
            hovertemplate="step %{x}: |Δw|/α = %{y:.3f}<extra>RMSprop β = " + fmt(beta) + "</extra>",
        ))
    fig.add_trace(go.Scatter(
        x=t, y=adam[:, 0], mode="lines+markers",
        name=f"Adam, bias-corrected (β₁ = {fmt(ADAM_B1)}, β₂ = {fmt(ADAM_B2)})",
        line=dict(color=COLOURS["adam"], width=2, dash="dash"), marker=dict(size=5, symbol="square"),
        hovertemplate="step %{x}: |Δw|/α = %{y:.3f}<extra>Adam</extra>",
    ))
    fig.update_layout(
        height=440,
        margin=dict(l=60, r=20, t=20, b=50),
        xaxis=dict(title=dict(text="iteration t"), range=[0.5, STEPS + 0.5], dtick=5),
        yaxis=dict(title=dict(text="step per unit learning rate, |Δw| / α (log scale)"),
                   type="log", range=[math.log10(0.8), math.log10(45)],
                   tickvals=[1, 2, 3, 5, 10, 20, 30], ticktext=["1", "2", "3", "5", "10", "20", "30"]),
        legend=dict(orientation="h", x=0, y=-0.18, xanchor="left", yanchor="top"),
    )

    g = frozen_gradient()
    numbers = {
        "steps": fmt(STEPS),
        "grad_w": fmt(g[0]),
        "grad_b": fmt(g[1]),
        "grad_ratio": fmt(g[1] / g[0]),
        "adam_b1": fmt(ADAM_B1),
        "adam_b2": fmt(ADAM_B2),
        "adam_first": fmt(float(adam[0, 0])),
        "adam_first_b": fmt(float(adam[0, 1])),
        "adam_max": fmt(float(adam.max())),
        "settled": fmt(SETTLED),
        "settle_horizon": fmt(SETTLE_STEPS),
    }
    for i, beta in enumerate(DECAYS):
        key = fmt(beta).replace(".", "")              # 0.9 -> "09", 0.999 -> "0999"
        numbers[f"beta_{key}"] = fmt(beta)
        numbers[f"first_{key}"] = fmt(float(rms[0, i, 0]))                 # measured, rc.run
        numbers[f"formula_{key}"] = fmt(1 / math.sqrt(1 - beta))           # 1/√(1−β)
        numbers[f"last_{key}"] = fmt(float(rms[-1, i, 0]))                 # at t = STEPS
        numbers[f"settle_{key}"] = fmt(int(settle[i]))
        numbers[f"memory_{key}"] = fmt(1 / (1 - beta))                     # 1/(1−β)
        numbers[f"first_b_{key}"] = fmt(float(rms[0, i, 1]))               # the b coordinate

    rows = {"t": [], "method": [], "beta": [], "step_w_over_lr": [], "step_b_over_lr": []}
    for i, beta in enumerate(DECAYS):
        rows["t"] += t.tolist()
        rows["method"] += ["rmsprop"] * STEPS
        rows["beta"] += [beta] * STEPS
        rows["step_w_over_lr"] += rms[:, i, 0].tolist()
        rows["step_b_over_lr"] += rms[:, i, 1].tolist()
    rows["t"] += t.tolist()
    rows["method"] += ["adam"] * STEPS
    rows["beta"] += [ADAM_B2] * STEPS
    rows["step_w_over_lr"] += adam[:, 0].tolist()
    rows["step_b_over_lr"] += adam[:, 1].tolist()

    n = numbers
    caption = (
        f"A constant gradient (the course bowl's gradient at start B, dw = {n['grad_w']}, "
        f"db = {n['grad_b']}): RMSprop's first step is {n['first_09']}, {n['first_099']} and "
        f"{n['first_0999']} times the learning rate for β = {n['beta_09']}, {n['beta_099']} and "
        f"{n['beta_0999']}, because S_dW starts at zero; the excess fades over a number of steps "
        f"proportional to 1/(1−β). Adam's bias correction makes every step the learning rate "
        f"(up to ε). "
        f"The tiny w component moves as far as the {n['grad_ratio']} times larger b component."
    )
    alt = (
        f"Line chart, log scale, of |Δw|/α over iterations 1 to {n['steps']}. RMSprop with "
        f"β {n['beta_09']} starts at {n['first_09']} and falls to {n['last_09']}; β {n['beta_099']} "
        f"starts at {n['first_099']} and is still {n['last_099']} at step {n['steps']}; "
        f"β {n['beta_0999']} starts at {n['first_0999']} and is still {n['last_0999']}. "
        f"Adam with bias correction is flat at {n['adam_first']}."
    )
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=rows, numbers=numbers,
                      title="First-step multiplier of RMSprop and Adam")

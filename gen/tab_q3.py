"""Q3 in numbers: when the move is mostly vertical (start B), does RMSprop need more steps,
and what do Adam's pieces change?

A ladder from RMSprop to Adam, one change per row, each at its own tuned learning rate
(same starts, grid, tolerance and criterion as fig-starts): the course's RMSprop; with
Adam's bias correction (first step α·sign(g) instead of α/√(1−β)·sign(g)); with Adam's
long memory β2 = 0.999 (that is Adam without momentum); with momentum on top (Adam); and,
as references, gradient descent and Momentum. Columns: the first step from B (down in b,
sideways in w) and the steps to tolerance from A and from B.
"""
from __future__ import annotations

import numpy as np

import rmsprop_core as rc
from gen.fig_hero import DECAY, EPS, START_A, START_B, STEPS, TOL
from gen.fig_starts import ADAM_B1, ADAM_B2, LR_GRID_WIDE, MOMENTUM_DECAY
from gen.spec import TableSpec, fmt

ID = "tab-q3"

# (key, label, make(lr)) — each row changes one thing from the row before it.
LADDER = (
    ("gd", "Gradient descent", lambda lr: rc.gd(lr)),
    ("momentum", f"Momentum (β = {fmt(MOMENTUM_DECAY)})", lambda lr: rc.momentum(lr, decay=MOMENTUM_DECAY)),
    ("rmsprop", f"RMSprop (course, β = {fmt(DECAY)})", lambda lr: rc.rmsprop(lr, decay=DECAY, eps=EPS)),
    ("rmsprop_bc", "… with bias correction", lambda lr: rc.rmsprop(lr, decay=DECAY, eps=EPS, bias_correction=True)),
    ("adam_b1_0", f"… and β₂ = {fmt(ADAM_B2)} (Adam without momentum, β₁ = 0)",
     lambda lr: rc.adam(lr, b1=0.0, b2=ADAM_B2, eps=EPS)),
    ("adam", f"… and momentum β₁ = {fmt(ADAM_B1)} (Adam)", lambda lr: rc.adam(lr, b1=ADAM_B1, b2=ADAM_B2, eps=EPS)),
    ("adam_no_bc", "Adam without bias correction", lambda lr: rc.adam(lr, b1=ADAM_B1, b2=ADAM_B2, eps=EPS,
                                                                    bias_correction=False)),
)


def compute() -> dict:
    bowl = rc.objectives.get("bowl")
    starts = np.array([START_A, START_B], dtype=float)
    out = {}
    for key, _, make in LADDER:
        tuned = rc.tune_lr(make, bowl, starts, LR_GRID_WIDE, STEPS, TOL)
        best = int(np.argmin(tuned.score))
        first = rc.run(make(tuned.best_lr), bowl, starts, 1).updates[0, 1]   # first step from B
        out[key] = {"lr": float(tuned.best_lr), "steps": tuned.steps[best],
                    "first_w": float(abs(first[0])), "first_b": float(abs(first[1]))}
    return out


def _steps(n: int) -> str:
    return f"more than {STEPS}" if n < 0 else fmt(int(n))


def _more_or_fewer(a: int, b: int) -> str:
    """'more' if a needs more steps than b (never counts as the most)."""
    a = STEPS + 1 if a < 0 else a
    b = STEPS + 1 if b < 0 else b
    return "more" if a > b else ("fewer" if a < b else "as many")


def build() -> TableSpec:
    r = compute()
    lines = [
        "| method (each at its tuned α) | tuned α | first step from B: down in b | first step from B: sideways in w | steps from A | steps from B |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, label, _ in LADDER:
        x = r[key]
        lines.append(f"| {label} | {fmt(x['lr'])} | {fmt(x['first_b'])} | {fmt(x['first_w'])} | "
                     f"{_steps(x['steps'][0])} | {_steps(x['steps'][1])} |")
    markdown = "\n".join(lines) + "\n"

    b = {key: int(x["steps"][1]) for key, x in r.items()}
    numbers = {
        "gd_steps_b": _steps(b["gd"]),
        "rmsprop_steps_b": _steps(b["rmsprop"]),
        "adam_steps_b": _steps(b["adam"]),
        "adam_b1_0_steps_b": _steps(b["adam_b1_0"]),
        "rmsprop_bc_steps_b": _steps(b["rmsprop_bc"]),
        "adam_no_bc_steps_b": _steps(b["adam_no_bc"]),
        "momentum_steps_b": _steps(b["momentum"]),
        "gd_first_b": fmt(r["gd"]["first_b"]),
        "rmsprop_first_b": fmt(r["rmsprop"]["first_b"]),
        "adam_first_b": fmt(r["adam"]["first_b"]),
        "rmsprop_vs_gd_b": _more_or_fewer(b["rmsprop"], b["gd"]),
        "adam_vs_rmsprop_b": _more_or_fewer(b["adam"], b["rmsprop"]),
        "adam_vs_gd_b": _more_or_fewer(b["adam"], b["gd"]),
        "adam_b1_0_vs_rmsprop_b": _more_or_fewer(b["adam_b1_0"], b["rmsprop"]),
        "verdict": "Yes" if b["rmsprop"] < 0 or b["rmsprop"] > b["gd"] else "No",
        "adam_b2": fmt(ADAM_B2),
        "adam_b1": fmt(ADAM_B1),
    }
    if b["gd"] > 0 and b["rmsprop"] > 0:
        numbers["rmsprop_over_gd_b"] = fmt(b["rmsprop"] / b["gd"], 2)
    if r["rmsprop"]["first_b"] > 0:
        numbers["gd_over_rmsprop_first_b"] = fmt(r["gd"]["first_b"] / r["rmsprop"]["first_b"], 2)
    return TableSpec(id=ID, markdown=markdown, numbers=numbers)

"""Scaling vs momentum, the numbers: oscillation and speed of four methods from start A.

For gradient descent, momentum, RMSprop and Adam, each at its tuned learning rate and all at the
lecture's settings (gen/scaling_vs_momentum/runs.py states both): how often the b-step changes sign over the
horizon (the zig-zag, rc.metrics.sign_flips) and the steps until the loss stays within the
tolerance (rc.metrics.steps_to_tolerance). Also the numbers of the page's short answer: the
shape of the first step (comparable components or not), and momentum's range of stable
learning rates next to gradient descent's.
"""
from __future__ import annotations

import numpy as np

from gen.scaling_vs_momentum import runs as S
from gen.settings import BUDGET as STEPS
from gen.settings import HORIZON, LONG_HORIZON, TOL
from gen.spec import TableSpec
from gen.text import fmt, sci

ID = "tab-scaling"
SETTING_TEXT = {"tuned": "tuned", "lecture": "lecture's"}


def first_step_ratio(method: str, setting: str) -> float:
    """|b-step| / |w-step| of the first step from A: 1 means comparable components."""
    u = S.trajectory(method, setting).updates[0, 0]
    return float(abs(u[S.B]) / abs(u[0]))


def converging_lrs(method: str) -> np.ndarray:
    """The grid's learning rates from which the method settles from start A (horizon-checked)."""
    res = S.tuned(method)
    return res.lrs[res.checked & (res.steps[:, 0] >= 0)]


def compare(a: int, b: int) -> str:
    """Words for "a steps compared with b steps" ("fewer than", "more than", "as many as");
    -1 (never within the horizon) counts as more than any number of steps."""
    a_, b_ = (STEPS + 1 if x < 0 or x > STEPS else x for x in (a, b))
    return "fewer than" if a_ < b_ else ("more than" if a_ > b_ else "as many as")


def build() -> TableSpec:
    lines = [
        "| method | learning rate α | steps until within tolerance | distance travelled in b | "
        f"largest swing in b after step {S.LATE_FROM} | sign changes of the b-step (all / at least {S.LARGE:g} long) |",
        "|---|---|---|---:|---:|---|",
    ]
    numbers: dict[str, str] = {}
    for setting in S.SETTINGS:
        for m in S.METHODS:
            flips = S.b_sign_flips(m, setting)
            large = S.b_sign_flips(m, setting, min_size=S.LARGE)
            travel, swing = S.b_travel(m, setting), S.b_swing_late(m, setting)
            numbers[f"{m}_steps_{setting}"] = S.count(m, setting)
            numbers[f"{m}_flips_{setting}"] = fmt(flips)
            numbers[f"{m}_large_flips_{setting}"] = fmt(large)
            numbers[f"{m}_travel_{setting}"] = fmt(travel)
            numbers[f"{m}_swing_{setting}"] = sci(swing, 3)
            numbers[f"{m}_lr_{setting}"] = fmt(S.lr(m, setting))
            lines.append(
                f"| {S.NAMES[m]} | {fmt(S.lr(m, setting))} ({SETTING_TEXT[setting]}) | "
                f"{S.count(m, setting)} | {fmt(travel)} | {sci(swing, 3)} | {flips} / {large} |"
            )

    gd_ok, mom_ok = converging_lrs("gd"), converging_lrs("momentum")
    rms, gd = (S.counted_steps(m, "tuned") for m in ("rmsprop", "gd"))
    travel = {m: S.b_travel(m, "tuned") for m in S.METHODS}
    # oscillation by size, the order the page's words follow (least travel first)
    by_travel = sorted(S.METHODS, key=travel.get)
    numbers["least_travel"] = S.NAMES[by_travel[0]]
    numbers["rmsprop_vs_momentum_travel"] = ("less" if travel["rmsprop"] < travel["momentum"]
                                             else "more")
    mom = S.counted_steps("momentum", "tuned")
    adam = S.counted_steps("adam", "tuned")
    numbers.update({
        "tol": fmt(TOL),
        "horizon": fmt(STEPS),
        "check_horizon": f"{HORIZON:,}",
        "long_horizon": f"{LONG_HORIZON:,}",
        "straight_b": fmt(abs(S.START_A[1])),
        "large": f"{S.LARGE:g}",
        "late_from": fmt(S.LATE_FROM),
        "flip_opportunities": fmt(STEPS - 1),
        "grid_lo": fmt(S.LR_GRID[0]),
        "grid_hi": fmt(S.LR_GRID[-1]),
        "grid_n": fmt(len(S.LR_GRID)),
        "criterion": S.tuned("gd").criterion,
        "start_a": f"({fmt(S.START_A[0])}, {fmt(S.START_A[1])})",
        "start_a_query": f"{fmt(S.START_A[0])},{fmt(S.START_A[1])}",   # playground link
        "lecture_lr": fmt(S.lecture_lr()),
        "decay": fmt(S.DECAY),
        "adam_b2": fmt(S.ADAM_B2),
        "eps": f"{S.EPS:.0e}".replace("e-0", "e-"),
        # The first step: RMSprop's components are comparable, gradient descent's are not.
        "gd_first_ratio": fmt(first_step_ratio("gd", "lecture")),
        "rmsprop_first_ratio": fmt(first_step_ratio("rmsprop", "lecture")),
        # Momentum stays stable far beyond gradient descent's limit.
        "gd_lr_max_ok": fmt(gd_ok.max()),
        "momentum_lr_max_ok": fmt(mom_ok.max()),
        "momentum_lr_range_factor": fmt(mom_ok.max() / gd_ok.max(), 2),
        # Speed words chosen from the data (tuned rates).
        "rmsprop_vs_gd": compare(rms, gd),
        "momentum_vs_gd": compare(mom, gd),
        "adam_vs_rmsprop": compare(adam, rms),
    })
    note = (
        f"\nSettings: start A {numbers['start_a']} on the course's bowl; {STEPS} steps "
        f"(so at most {STEPS - 1} sign changes); tolerance {fmt(TOL)}; the straight line to the "
        f"minimum travels {numbers['straight_b']} in b. \"Tuned\": the method's "
        f"best α of {len(S.LR_GRID)} from {fmt(S.LR_GRID[0])} to {fmt(S.LR_GRID[-1])} "
        f"(log-spaced), scored by {numbers['criterion']} (Adam: checked until step {LONG_HORIZON:,}.) "
        f"\"Lecture's\": one α for all, "
        f"2/(λ_w + λ_b) = {numbers['lecture_lr']}, with β {fmt(S.DECAY)} (momentum and RMSprop) "
        f"and Adam's β1 {fmt(S.ADAM_B1)}, β2 {fmt(S.ADAM_B2)}.\n"
    )
    return TableSpec(id=ID, markdown="\n".join(lines) + "\n" + note, numbers=numbers)

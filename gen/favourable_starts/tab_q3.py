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

import rmsprop_core as rc
from gen import settings as S
from gen.settings import ADAM_B1, ADAM_B2, DECAY, EPS, HORIZON, LONG_HORIZON, TOL
from gen.settings import BUDGET as STEPS
from gen.spec import TableSpec
from gen.text import count_text, counted, fmt

MOMENTUM_DECAY = DECAY

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


def _tuning(key, make):
    """The canonical tuning for the canonical methods; the same grid, starts and horizon for
    the ladder's other rungs."""
    return S.tuning(key)


def compute() -> dict:
    out = {}
    for key, _, make in LADDER:
        tuned = _tuning(key, make)
        # a rung no rate of which stays within the tolerance is shown at the rate a
        # budget-only tuner would pick; its count says when it leaves again
        index = tuned.best_index if tuned.best_index is not None else tuned.fastest_unchecked()
        settling = tuned.settling_at(index)
        lr = float(tuned.lrs[index])
        first = rc.run(make(lr), S.bowl(), S.starts(), 1).updates[0, 1]   # first step from B
        out[key] = {"lr": lr, "settling": settling, "stable": tuned.best_index is not None,
                    "first_w": float(abs(first[0])), "first_b": float(abs(first[1]))}
    return out


def _more_or_fewer(a: int, b: int) -> str:
    """'more' if a needs more steps than b (not settling counts as the most)."""
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
                     f"{count_text(x['settling'], 0)} | {count_text(x['settling'], 1)} |")
    markdown = "\n".join(lines) + "\n"
    markdown += (f"\nSteps until the loss stays within {fmt(TOL)} of the minimum, counted within "
                 f"{STEPS} steps and checked to stay there until step {HORIZON:,} "
                 f"({LONG_HORIZON:,} for the rows with β₂ = {fmt(ADAM_B2)}, whose memory is longer). "
                 "\"Then leaves\": no constant rate on the grid keeps the method within the "
                 "tolerance; shown at the rate that gets there fastest.\n")
    b = {key: counted(x["settling"], 1) for key, x in r.items()}
    text_b = {key: count_text(x["settling"], 1) for key, x in r.items()}
    numbers = {
        "gd_steps_b": text_b["gd"],
        "rmsprop_steps_b": text_b["rmsprop"],
        "adam_steps_b": text_b["adam"],
        "adam_b1_0_steps_b": text_b["adam_b1_0"],
        "rmsprop_bc_steps_b": text_b["rmsprop_bc"],
        "adam_no_bc_steps_b": text_b["adam_no_bc"],
        "momentum_steps_b": text_b["momentum"],
        "stable_rungs": fmt(sum(x["stable"] for x in r.values())),
        "rungs": fmt(len(r)),
        "gd_first_b": fmt(r["gd"]["first_b"]),
        "rmsprop_first_b": fmt(r["rmsprop"]["first_b"]),
        "adam_first_b": fmt(r["adam"]["first_b"]),
        "rmsprop_vs_gd_b": _more_or_fewer(b["rmsprop"], b["gd"]),
        "adam_vs_rmsprop_b": _more_or_fewer(b["adam"], b["rmsprop"]),
        "adam_vs_gd_b": _more_or_fewer(b["adam"], b["gd"]),
        "adam_b1_0_vs_rmsprop_b": _more_or_fewer(b["adam_b1_0"], b["rmsprop"]),
        "verdict": "Yes" if b["rmsprop"] > b["gd"] else "No",
        "adam_b2": fmt(ADAM_B2),
        "adam_b1": fmt(ADAM_B1),
    }
    if 0 < b["gd"] <= STEPS and 0 < b["rmsprop"] <= STEPS:
        numbers["rmsprop_over_gd_b"] = fmt(b["rmsprop"] / b["gd"], 2)
    if r["rmsprop"]["first_b"] > 0:
        numbers["gd_over_rmsprop_first_b"] = fmt(r["gd"]["first_b"] / r["rmsprop"]["first_b"], 2)
    return TableSpec(id=ID, markdown=markdown, numbers=numbers)

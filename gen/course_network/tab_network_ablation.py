"""Q5 in the course's network: is Adam's (and RMSprop's) lead at the assignment's settings the
step size? Gradient descent's direction at Adam's step length, Adam's direction at gradient
descent's step length, and the same pair for RMSprop (rc.direction_with_length_of), all at the
assignment's α = 0.0007 from its initialisation."""
from __future__ import annotations

import math

from gen.course_network import runs as W
from gen.spec import TableSpec
from gen.text import fmt
from rmsprop_core import network as net

ID = "tab-network-ablation"
COST = 1
PAIRS = (("adam", "gd_dir_adam_len", "adam_dir_gd_len"), ("rmsprop", "gd_dir_rms_len", "rms_dir_gd_len"))


def results() -> dict:
    traj = W.reproduction()
    X, y = W.data()
    acc = net.accuracy(traj.final, X, y)
    out = {}
    for i, (key, setting, decay, _, _) in enumerate(W.reproduction_rows()):
        if setting == "assignment" and decay is None:
            out[key] = {"acc": float(acc[i]), "cost": float(traj.loss[-1, i])}
    return out


def explained(r, base, full, hybrid) -> float:
    """The share of the gap between ``base`` and ``full`` that ``hybrid`` closes, on a log
    scale of the final cost."""
    lo, hi, mid = (math.log(r[k]["cost"]) for k in (base, full, hybrid))
    return (lo - mid) / (lo - hi)


def build() -> TableSpec:
    r = results()
    lines = ["| run (α = 0.0007, the assignment's initialisation) | direction | step length | training accuracy | final cost |",
             "|---|---|---|---:|---:|"]
    rows = [("gd", "gradient descent", "gradient descent")]
    for full, gd_dir, full_dir in PAIRS:
        n = W.name(full)
        rows += [(gd_dir, "gradient descent", n), (full_dir, n, "gradient descent"), (full, n, n)]
    for key, direction, length in rows:
        lines.append(f"| {W.name(key)} | {direction} | {length} | {W.percent(r[key]['acc'])} | {fmt(r[key]['cost'])} |")
    numbers = {}
    for full, gd_dir, full_dir in PAIRS:
        numbers[f"{full}_length_explains_pct"] = fmt(100 * explained(r, "gd", full, gd_dir), 2)
        numbers[f"{full}_direction_explains_pct"] = fmt(100 * explained(r, "gd", full, full_dir), 2)
        for key in (gd_dir, full_dir, full):
            numbers[f"{key}_acc"] = W.percent(r[key]["acc"])
    numbers["gd_acc"] = W.percent(r["gd"]["acc"])
    markdown = "\n".join(lines) + "\n"
    markdown += ("\nDirection and length: the step is the direction method's update scaled to the length method's "
                 "(rc.direction_with_length_of); both see the same gradients. \"Explains\": the share of the gap "
                 "between gradient descent's final cost and the full method's, on a log scale, that the hybrid "
                 "closes.\n")
    return TableSpec(id=ID, markdown=markdown, numbers=numbers)

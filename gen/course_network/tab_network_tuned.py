"""Fair tuning in the course's network: each method at its own best constant learning rate
(three rates half a decade apart, picked by the median final cost over SEEDS seeds of
initialisation and shuffling), 5,000 epochs, with the spread over the seeds — against the
assignment's one rate, 0.0007, for all."""
from __future__ import annotations

import numpy as np

from gen.course_network import runs as W
from gen.spec import TableSpec
from gen.text import fmt, prose_name

ID = "tab-network-tuned"
COST = 16   # rough seconds to build: 6 methods × 3 rates × 10 seeds × 5,000 epochs


def build() -> TableSpec:
    plain = {r["method"]: r for r in W.reproduction_results() if r["setting"] == "assignment"}
    lines = [f"| method | rates tried | best rate | final cost, median (10–90%) over {W.SEEDS} seeds | "
             f"training accuracy, median (10–90%) | at α = {fmt(W.LR)} (seed {W.INIT_SEED}) |",
             "|---|---|---:|---:|---:|---:|"]
    numbers = {"seeds": fmt(W.SEEDS), "epochs": f"{W.EPOCHS:,}"}
    bests = {k: W.best(k) for k in W.tuned_keys()}
    for k, b in bests.items():
        grid = ", ".join(fmt(v) for v in W.GRIDS[k])
        edge = {"grid-low": " (smallest tried)", "grid-high": " (largest tried)", None: ""}[b["edge"]]
        lines.append(f"| {W.name(k)} | {grid} | {fmt(b['lr'])}{edge} | {fmt(b['cost'])} ({fmt(b['cost_p10'])}–"
                     f"{fmt(b['cost_p90'])}) | {W.percent(b['acc'])} ({W.percent(b['acc_p10'])}–"
                     f"{W.percent(b['acc_p90'])}) | {W.percent(plain[k]['train_accuracy'])} |")
        numbers[f"{k}_lr"] = fmt(b["lr"])
        numbers[f"{k}_cost"] = fmt(b["cost"])
        numbers[f"{k}_acc"] = W.percent(b["acc"])
    costs = np.array([b["cost"] for b in bests.values()])
    order = sorted(bests, key=lambda k: bests[k]["cost"])
    numbers["lowest"] = prose_name(W.name(order[0]))
    numbers["highest"] = prose_name(W.name(order[-1]))
    numbers["spread_pct"] = fmt(100 * (costs.max() / costs.min() - 1), 2)
    # gradient descent against Adam, seed by seed at their tuned rates (the same seeds)
    gd, adam = bests["gd"]["costs"], bests["adam"]["costs"]
    numbers["gd_below_adam"] = fmt(int((gd < adam).sum()))
    numbers["gd_over_adam"] = fmt(bests["gd"]["cost"] / bests["adam"]["cost"], 3)
    numbers["gd_lr_over_assignment"] = fmt(bests["gd"]["lr"] / W.LR, 3)
    markdown = "\n".join(lines) + "\n"
    markdown += (f"\nEvery method at each of its rates over the same {W.SEEDS} seeds (initialisation seeds "
                 f"{W.INIT_SEED}–{W.INIT_SEED + W.SEEDS - 1}, each with its own shuffling; the first is the "
                 f"assignment's), {W.EPOCHS:,} epochs; the best rate has the lowest median final cost. The last "
                 f"column is the assignment's rate for all, from its own initialisation.\n")
    return TableSpec(id=ID, markdown=markdown, numbers=numbers)

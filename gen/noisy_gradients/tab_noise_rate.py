"""RMSprop's effective learning rate near the minimum with noise: α/√S against the prediction α/σ.

RMSprop's step in coordinate i is α g_i / (√S_i + ε), the step gradient descent would take at
the rate α/√S_i (rc.metrics.effective_lr). Near the minimum the true gradient is small and
S_i, a running mean of g_i², measures the noise: S_i → σ² + (∂f/∂x_i)² ≈ σ², so the effective
rate tends to α/σ — independent of the curvature, the opposite of what per-coordinate
scaling is for. The table measures it late in the runs (from step LATE on, median over steps
and seeds) at RMSprop's floor-tuned rates, in both coordinates.
"""
from __future__ import annotations

import numpy as np

import rmsprop_core as rc
from gen import settings as S
from gen.noisy_gradients import runs as N
from gen.spec import TableSpec
from gen.text import fmt

ID = "tab-noise-rate"
LATE = 200
KEY = "rmsprop"
COORDS = ("w", "b")


def measured(start: str, sigma: float) -> np.ndarray:
    """Median over late steps and seeds of α/√S, per coordinate (w, b)."""
    traj = N.paths(KEY)
    eff = rc.metrics.effective_lr(traj)[LATE:, N.path_rows(start, sigma)]
    return np.nanmedian(eff.reshape(-1, 2), axis=0)


def build() -> TableSpec:
    lines = ["| start | noise σ | α (tuned) | α/σ (prediction) | measured α/√S in w | measured α/√S in b | "
             "gradient descent's stable limit in b, 2/λ_b |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    limit = 2 / float(S.bowl().eigenvalues.max())
    numbers = {"late": fmt(LATE), "limit_b": fmt(limit)}
    ratios = []
    for start in N.START_KEYS:
        for sigma in N.SIGMAS[1:]:
            lr = float(N.floor_rates(KEY)[N.START_KEYS.index(start), N.sigma_index(sigma)])
            m = measured(start, sigma)
            ratios.append(m / (lr / sigma))
            lines.append(f"| {start} | {fmt(sigma)} | {fmt(lr)} | {fmt(lr / sigma)} | {fmt(m[0])} | "
                         f"{fmt(m[1])} | {fmt(limit)} |")
            tag = f"{start.lower()}_{fmt(sigma).replace('.', '')}"
            numbers[f"lr_{tag}"] = fmt(lr)
            numbers[f"predicted_{tag}"] = fmt(lr / sigma)
            numbers[f"w_{tag}"] = fmt(m[0])
            numbers[f"b_{tag}"] = fmt(m[1])
    ratios = np.array(ratios)
    numbers["ratio_min"] = fmt(float(ratios.min()), 2)
    numbers["ratio_max"] = fmt(float(ratios.max()), 2)
    markdown = "\n".join(lines) + "\n"
    markdown += (f"\nMedian over the steps from {LATE} to {N.BUDGET} and over {N.SEEDS} seeds of RMSprop's "
                 f"effective rate α/(√S + ε), the rate at which gradient descent would take the same step.\n")
    return TableSpec(id=ID, markdown=markdown, numbers=numbers)

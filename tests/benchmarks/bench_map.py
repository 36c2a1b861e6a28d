"""The "when does RMSprop help?" sweep benchmark (`make bench`; not collected by pytest).

1. The κ × tolerance map exactly as the page builds it (gen/when_rmsprop_helps/fig_map_kappa_tol.py): for each
   method, rc.tune_grid over 10 bowls × 40 learning rates × 64 starts, 8 tolerances, screened
   over the budget and certified to the horizon. Prints seconds, trajectory-steps run (as
   scheduled: rows the tuner drops once decided still count) and their rate.
2. Bounded memory: rc.settle_each over 10⁵ trajectories × 10³ steps × 8 tolerances keeps
   O(n · d) numbers, never the positions (which would be 1.6 GB).
Peak resident memory is printed after each part.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import rmsprop_core as rc  # noqa: E402
from gen.when_rmsprop_helps import runs as H  # noqa: E402
from gen.when_rmsprop_helps import fig_map_kappa_tol as M  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    print(f"map sweep: {len(M.CELL_KAPPAS)} bowls × {len(H.LRS)} rates × {H.N_STARTS} starts, "
          f"{len(H.TOLS)} tolerances, budget {H.BUDGET}, horizon {H.HORIZON}")
    total_runs = total_time = 0.0
    for key in ("gd",) + H.COMPARED:
        t0 = time.perf_counter()
        g = M.grid(key)
        dt = time.perf_counter() - t0
        total_runs += g.runs
        total_time += dt
        print(f"  {key:10s} {dt:6.1f} s  {g.runs / 1e6:7.1f} M trajectory-steps  "
              f"{g.runs / dt / 1e6:6.1f} M/s")
    print(f"  total      {total_time:6.1f} s  {total_runs / 1e6:7.1f} M trajectory-steps; "
          f"peak memory {peak_mb():.0f} MB")

    n, steps = 100_000, 1_000
    rng = np.random.default_rng(0)
    kappas = np.repeat(np.geomspace(1, 1e4, 10), n // 10)
    obj = rc.objectives.quadratic(np.stack([np.ones(n), kappas], axis=1))
    x0 = rng.uniform(-4, 4, (n, 2))
    lr = np.geomspace(1e-4, 0.1, n)
    t0 = time.perf_counter()
    rc.settle_each(rc.rmsprop(lr), obj, x0, H.TOLS, budget=steps // 4, horizon=steps)
    dt = time.perf_counter() - t0
    print(f"bounded memory: settle_each, {n:,} trajectories × {steps:,} steps × {len(H.TOLS)} "
          f"tolerances in {dt:.1f} s ({n * steps / dt / 1e6:.1f} M trajectory-steps/s); "
          f"positions would take {(steps + 1) * n * 2 * 8 / 1e9:.1f} GB; peak memory {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()

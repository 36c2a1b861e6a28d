"""The course network benchmark (`make bench`; not collected by pytest).

One batched run of the assignment's training (rmsprop_core.network.course_network: the
[2, 5, 2, 1] network on its 300 moons, mini-batches of 64, 5 steps an epoch) for 64
parameter vectors (He initialisations from seeds 3..66) over 5,000 epochs = 25,000 steps,
with Adam at the assignment's rate, as a page would run it: rc.run(..., record="loss"),
whose loss[::5] is the full-data cost at every epoch. Prints its seconds and peak memory,
then where the time goes (microseconds per call of the full-data cost and of the mini-batch
gradient for 64 rows, and of one epoch's 64 permutations with per-row shuffle seeds), and
two variants: per-row shuffle seeds (500 epochs), and the same 5,000 epochs recording
positions in float32 with the full-data cost evaluated afterwards at the epochs' starts only.
"""

from __future__ import annotations

import itertools
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import rmsprop_core as rc  # noqa: E402
from rmsprop_core import network as N  # noqa: E402

ROWS, EPOCHS = 64, 5_000


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def per_call_us(f, repeat=200) -> float:
    f()
    t0 = time.perf_counter()
    for _ in range(repeat):
        f()
    return (time.perf_counter() - t0) / repeat * 1e6


def main():
    net = N.course_network()
    x0 = N.initial_parameters(seed=np.arange(3, 3 + ROWS))
    steps = net.steps_for(EPOCHS)
    opt = rc.adam(0.0007)

    t0 = time.perf_counter()
    traj = rc.run(opt, net, x0, steps=steps, record="loss")
    dt = time.perf_counter() - t0
    X, Y = N.course_data()
    acc = N.accuracy(traj.final, X.T, Y[0])
    print(f"course network, {ROWS} parameter vectors × {EPOCHS:,} epochs ({steps:,} steps), Adam, "
          f"record='loss': {dt:.1f} s ({steps * ROWS / dt / 1e3:.0f} k row-steps/s, "
          f"{dt / steps * 1e3:.2f} ms a step); cost per epoch {traj.loss[::net.steps_per_epoch].shape}; "
          f"final accuracy {acc.min():.1f}-{acc.max():.1f}%; peak memory {peak_mb():.0f} MB")

    many = N.course_network(shuffle_seed=np.arange(ROWS))
    epochs = itertools.count()                 # a new epoch each call: no cached permutations
    print(f"  per call, {ROWS} rows: full-data cost (value) {per_call_us(lambda: net.value(x0)):.0f} µs, "
          f"mini-batch gradient {per_call_us(lambda: net.grad(x0, 3)):.0f} µs (shared seed), "
          f"{per_call_us(lambda: many.grad(x0, 3)):.0f} µs (per-row seeds); one epoch's "
          f"{ROWS} permutations {per_call_us(lambda: many.permutation(next(epochs)), 50):.0f} µs")

    few = 500
    t0 = time.perf_counter()
    rc.run(opt, many, x0, steps=many.steps_for(few), record="loss")
    dt = time.perf_counter() - t0
    print(f"  per-row shuffle seeds, {few} epochs: {dt:.1f} s ({dt / many.steps_for(few) * 1e3:.2f} ms a step)")

    t0 = time.perf_counter()
    lean = rc.run(opt, net, x0, steps=steps, dtype=np.float32)
    t1 = time.perf_counter()
    epoch_costs = net.value(lean.positions[::net.steps_per_epoch].astype(np.float64))
    t2 = time.perf_counter()
    print(f"  positions in float32 ({lean.positions.nbytes / 1e6:.0f} MB), then the cost at the "
          f"{epoch_costs.shape[0]:,} epoch starts: {t1 - t0:.1f} s + {t2 - t1:.1f} s; "
          f"peak memory {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()

"""The standard sweep benchmark (`make bench`; not collected by pytest).

4,096 starts × 32 log-spaced learning rates on the course bowl, 500 steps, every optimizer,
whole trajectories kept (positions (501, 131072, 2) float64, 1.05 GB per optimizer).

Prints, per optimizer, trajectory-steps per second of `rc.run` (best of 2; optimizers whose
sweeps contain converged trajectories reaching subnormal numbers, or diverged ones, are
slower for reasons of floating point, not of the library); beside RMSprop, a careful
hand-written in-place numpy loop of the same update (preallocated float64 record, same
cache-sized blocks, full-size coefficient arrays, no divergence handling) and a
straightforward per-trajectory Python loop over the same library code on a subset; and the
peak resident memory. Timings are the best of a few repetitions, interleaved, because the
machine is shared.
"""

from __future__ import annotations

import gc
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import rmsprop_core as rc  # noqa: E402

N_STARTS, N_LRS, STEPS = 4096, 32, 500
REPEATS = 3
SUBSET = 16  # trajectories for the per-trajectory loop
DECAY, EPS = 0.9, 1e-8
BLOCK_ROWS = 8192

OPTIMIZERS = {
    "gd": lambda lr: rc.gd(lr),
    "momentum (ema)": lambda lr: rc.momentum(lr, decay=0.9),
    "rmsprop": lambda lr: rc.rmsprop(lr, decay=DECAY, eps=EPS),
    "rmsprop (centered, momentum)": lambda lr: rc.rmsprop(lr, centered=True, momentum=0.9),
    "adam": lambda lr: rc.adam(lr),
    "adagrad": lambda lr: rc.adagrad(lr),
    "normalized_gd": lambda lr: rc.normalized_gd(lr),
    "sign_descent": lambda lr: rc.sign_descent(lr),
}


def sweep_inputs():
    rng = np.random.default_rng(0)
    bowl = rc.objectives.get("bowl")
    (x0, x1), (y0, y1) = bowl.view
    starts = np.column_stack([rng.uniform(x0, x1, N_STARTS), rng.uniform(y0, y1, N_STARTS)])
    lrs = np.geomspace(1e-3, 1.0, N_LRS)
    return bowl, np.tile(starts, (N_LRS, 1)), np.repeat(lrs, N_STARTS)


def hand_written_rmsprop(x0, lr, steps, block=BLOCK_ROWS):
    """RMSprop on the bowl, in place: S = βS + (1-β)g², x -= lr·g/(√S + ε)."""
    n, d = x0.shape
    record = np.empty((steps + 1, n, d))
    lam = np.array([1.0, 20.0])
    for r0 in range(0, n, block):
        rows = slice(r0, min(n, r0 + block))
        x = record[0, rows]
        x[...] = x0[rows]
        shape = x.shape
        lam_full = np.ascontiguousarray(np.broadcast_to(lam, shape))
        lr_full = np.ascontiguousarray(np.broadcast_to(lr[rows, None], shape))
        s = np.zeros(shape)
        g = np.empty(shape)
        tmp = np.empty(shape)
        for t in range(1, steps + 1):
            np.multiply(x, lam_full, out=g)
            s *= DECAY
            np.multiply(g, g, out=tmp)
            tmp *= 1.0 - DECAY
            s += tmp
            np.sqrt(s, out=tmp)
            tmp += EPS
            np.divide(g, tmp, out=tmp)
            tmp *= lr_full
            nxt = record[t, rows]
            np.subtract(x, tmp, out=nxt)
            x = nxt
    return record


def timed(fn):
    gc.collect()
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main():
    bowl, x0, lr = sweep_inputs()
    n = x0.shape[0]
    work = n * STEPS
    print(f"rmsprop_core sweep benchmark — numpy {np.__version__}, Python {platform.python_version()}")
    print(f"{N_STARTS} starts × {N_LRS} learning rates = {n} trajectories × {STEPS} steps on "
          f"the course bowl; record {STEPS + 1}×{n}×2 float64 = "
          f"{(STEPS + 1) * n * 2 * 8 / 1e9:.2f} GB per optimizer\n")

    # warm-up: the first touch of a fresh 1 GB record costs page faults, whoever goes first
    hand_written_rmsprop(x0, lr, STEPS)
    gc.collect()

    # RMSprop: library vs hand-written, interleaved, best of REPEATS
    lib_times, hand_times = [], []
    for _ in range(REPEATS):
        dt, traj = timed(lambda: rc.run(OPTIMIZERS["rmsprop"](lr), bowl, x0, STEPS))
        lib_times.append(dt)
        del traj
        dt, rec = timed(lambda: hand_written_rmsprop(x0, lr, STEPS))
        hand_times.append(dt)
        del rec
    # the two compute the same numbers (checked on a slice)
    check = rc.run(OPTIMIZERS["rmsprop"](lr[:2048]), bowl, x0[:2048], STEPS)
    ok = ~check.diverged
    reference = hand_written_rmsprop(x0[:2048], lr[:2048], STEPS)
    np.testing.assert_allclose(check.positions[:, ok], reference[:, ok], rtol=1e-12, atol=1e-12)
    del check, reference

    rates = {}
    for name, make in OPTIMIZERS.items():
        if name == "rmsprop":
            best = min(lib_times)
        else:
            best = np.inf
            for _ in range(REPEATS - 1):
                dt, traj = timed(lambda: rc.run(make(lr), bowl, x0, STEPS))
                best = min(best, dt)
                del traj
        rates[name] = work / best

    # straightforward per-trajectory loop over the same library code, on a subset
    idx = np.linspace(0, n - 1, SUBSET).astype(int)
    t0 = time.perf_counter()
    for i in idx:
        rc.run(OPTIMIZERS["rmsprop"](float(lr[i])), bowl, x0[i], STEPS)
    loop_rate = SUBSET * STEPS / (time.perf_counter() - t0)

    hand_rate = work / min(hand_times)
    print(f"{'optimizer':32s} {'M traj-steps/s':>15s}")
    for name, rate in rates.items():
        print(f"{name:32s} {rate / 1e6:15.1f}")
    print()
    print(f"{'hand-written in-place RMSprop':32s} {hand_rate / 1e6:15.1f}")
    print(f"library RMSprop / hand-written: {rates['rmsprop'] / hand_rate:.2f} "
          f"(time ratio {min(lib_times) / min(hand_times):.2f}; target <= 1.20)")
    print(f"per-trajectory Python loop (rc.run on one start, {SUBSET} starts): "
          f"{loop_rate / 1e6:.3f} M traj-steps/s; batched library is "
          f"{rates['rmsprop'] / loop_rate:.0f}× faster")
    print(f"all timings: library RMSprop {[round(t, 3) for t in lib_times]} s, "
          f"hand-written {[round(t, 3) for t in hand_times]} s")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak resident memory: {peak_kib / 1024**2:.2f} GB (one optimizer's record at a time)")


if __name__ == "__main__":
    main()

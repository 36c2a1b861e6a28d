"""The standard sweep benchmark (`make bench`; not collected by pytest).

4,096 starts × 32 log-spaced learning rates on the course bowl, 500 steps, every optimizer,
whole trajectories kept (positions (501, 131072, 2) float64, 1.05 GB per optimizer).

Prints, per optimizer, trajectory-steps per second of `rc.run` (best of 2; optimizers whose
sweeps contain converged trajectories reaching subnormal numbers, or diverged ones, are
slower for reasons of floating point, not of the library). Then, for RMSprop, whether each of
the library's two speed tricks pays, measured both ways:

* a careful hand-written in-place numpy loop of the same update (preallocated float64 record,
  no divergence handling) in four variants: plain (all rows at once, the learning rate a
  broadcast column), with cache-sized row blocks, with full-size coefficient arrays, and with
  both (what the library does);
* the library with each trick switched off: one block of all rows (``block_rows=n``), and
  coefficients broadcast as columns instead of cached full-size arrays (the private
  ``transforms._per_coordinate`` patched for the run).

Also a straightforward per-trajectory Python loop over the same library code on a subset,
and the peak resident memory. Timings are the best of a few repetitions, interleaved,
because the machine is shared.
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
from rmsprop_core import transforms as T  # noqa: E402

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


def hand_written_rmsprop(x0, lr, steps, blocks=True, full=True):
    """RMSprop on the bowl, in place: S = βS + (1-β)g², x -= lr·g/(√S + ε).

    ``blocks``: BLOCK_ROWS rows at a time (else all rows at once); ``full``: the bowl's
    eigenvalues and the learning rates as full-size (rows, d) arrays instead of a broadcast
    row and column.
    """
    n, d = x0.shape
    block = BLOCK_ROWS if blocks else n
    record = np.empty((steps + 1, n, d))
    lam = np.array([1.0, 20.0])
    for r0 in range(0, n, block):
        rows = slice(r0, min(n, r0 + block))
        x = record[0, rows]
        x[...] = x0[rows]
        shape = x.shape
        lam_of, lr_of = lam, lr[rows, None]
        if full:
            lam_of = np.ascontiguousarray(np.broadcast_to(lam_of, shape))
            lr_of = np.ascontiguousarray(np.broadcast_to(lr_of, shape))
        s = np.zeros(shape)
        g = np.empty(shape)
        tmp = np.empty(shape)
        for t in range(1, steps + 1):
            np.multiply(x, lam_of, out=g)
            s *= DECAY
            np.multiply(g, g, out=tmp)
            tmp *= 1.0 - DECAY
            s += tmp
            np.sqrt(s, out=tmp)
            tmp += EPS
            np.divide(g, tmp, out=tmp)
            tmp *= lr_of
            nxt = record[t, rows]
            np.subtract(x, tmp, out=nxt)
            x = nxt
    return record


#: The tricks on and off, for the hand-written loop and the library alike (the last: as shipped).
TRICKS = {
    "plain: all rows at once, broadcast coefficients": dict(blocks=False, full=False),
    "row blocks": dict(blocks=True, full=False),
    "full-size coefficients": dict(blocks=False, full=True),
    "row blocks + full-size coefficients": dict(blocks=True, full=True),
}


def _broadcast_coefficients(value):
    """Stand-in for transforms._per_coordinate without its cache: a column stays a column."""
    return lambda shape: value


def library_rmsprop(bowl, x0, lr, steps, blocks=True, full=True):
    """rc.run of RMSprop with either trick switched off (see the module docstring)."""
    original = T._per_coordinate
    if not full:
        T._per_coordinate = _broadcast_coefficients   # also while run() restricts the blocks
    try:
        opt = OPTIMIZERS["rmsprop"](lr)
        return rc.run(opt, bowl, x0, steps, block_rows=None if blocks else x0.shape[0])
    finally:
        T._per_coordinate = original


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

    # RMSprop: every library and hand-written variant, interleaved, best of REPEATS
    lib_times = {name: [] for name in TRICKS}
    hand_times = {name: [] for name in TRICKS}
    for _ in range(REPEATS):
        for name, options in TRICKS.items():
            dt, traj = timed(lambda: library_rmsprop(bowl, x0, lr, STEPS, **options))
            lib_times[name].append(dt)
            del traj
            dt, rec = timed(lambda: hand_written_rmsprop(x0, lr, STEPS, **options))
            hand_times[name].append(dt)
            del rec
    # they all compute the same numbers (checked on a slice; the library's variants bit for bit)
    check = rc.run(OPTIMIZERS["rmsprop"](lr[:2048]), bowl, x0[:2048], STEPS)
    ok = ~check.diverged
    for options in TRICKS.values():
        other = library_rmsprop(bowl, x0[:2048], lr[:2048], STEPS, **options)
        assert np.array_equal(other.positions, check.positions)
        reference = hand_written_rmsprop(x0[:2048], lr[:2048], STEPS, **options)
        np.testing.assert_allclose(check.positions[:, ok], reference[:, ok], rtol=1e-12, atol=1e-12)
    del check, other, reference
    plain, blocks_only, full_only, shipped = TRICKS

    rates = {}
    for name, make in OPTIMIZERS.items():
        if name == "rmsprop":
            best = min(lib_times[shipped])
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

    print(f"{'optimizer':32s} {'M traj-steps/s':>15s}")
    for name, rate in rates.items():
        print(f"{name:32s} {rate / 1e6:15.1f}")
    print("\nRMSprop, does each trick pay? (M traj-steps/s, best of "
          f"{REPEATS}; all timings in s)")
    hand_rates = {name: work / min(ts) for name, ts in hand_times.items()}
    for label, times in (("library", lib_times), ("hand-written", hand_times)):
        for name, ts in times.items():
            print(f"  {label + ', ' + name:62s} {work / min(ts) / 1e6:6.1f}   "
                  f"{[round(t, 2) for t in ts]}")
    lib = {name: work / min(ts) for name, ts in lib_times.items()}
    for label, rate in (("library", lib), ("hand-written", hand_rates)):
        print(f"{label}: row blocks pay ×{rate[shipped] / rate[full_only]:.2f} with full-size "
              f"coefficients (×{rate[blocks_only] / rate[plain]:.2f} without); full-size "
              f"coefficients pay ×{rate[shipped] / rate[blocks_only]:.2f} with row blocks "
              f"(×{rate[full_only] / rate[plain]:.2f} without)")
    careful = max(hand_rates, key=hand_rates.get)
    print(f"library RMSprop / fastest hand-written ({careful}): "
          f"{rates['rmsprop'] / hand_rates[careful]:.2f} (target >= 0.80); / plain hand-written: "
          f"{rates['rmsprop'] / hand_rates[plain]:.2f}")
    print(f"per-trajectory Python loop (rc.run on one start, {SUBSET} starts): "
          f"{loop_rate / 1e6:.3f} M traj-steps/s; batched library is "
          f"{rates['rmsprop'] / loop_rate:.0f}× faster")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak resident memory: {peak_kib / 1024**2:.2f} GB (one optimizer's record at a time)")


if __name__ == "__main__":
    main()

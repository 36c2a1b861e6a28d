"""The setting of "What does gradient noise change?": the course bowl and starts A and B, with
Gaussian noise of standard deviation σ added to every gradient (rc.objectives.noisy), each
result over SEEDS noise seeds (median and a 10–90% band).

Noise levels are in the units of the gradient. Near the tolerance the true gradient is small:
at f = TOL the b-component is at most √(2 λ_b TOL) = 0.2 and the w-component at most
√(2 TOL) ≈ 0.045, so σ = 0.1 ("realistic": the noise is as large as the signal where the
tolerance is decided, while at start A it is 0.3% of |∇f|) makes the last stretch of every run
a noisy one, σ = 0.03 a mild one and σ = 0.3 one where the noise dominates.

Two lenses, because under noise a count can be undefined where a loss is not:
- steps to tolerance, horizon-stable per seed (the site's rule: within the budget, and the loss
  stays within TOL until max(4 × budget, 20 × the method's memory)), each method tuned for the
  noisy problem by the median over seeds (rc.tune_grid, which compacts decided rows);
- the loss after BUDGET steps (the noise floor), each method at the rate with the lowest median
  loss over seeds — defined for every method and noise level.

Every seed is a row; rows that share a seed share the noise (common random numbers), so the
methods and rates are compared on the same draws.
"""
from __future__ import annotations

import functools

import numpy as np

import rmsprop_core as rc
from gen import settings as S
from gen.text import fmt, sci

SIGMAS = (0.0, 0.03, 0.1, 0.3)          # σ = 0 is the noise-free baseline, run the same way
SIGMA = 0.1                             # the page's headline noise level (see the docstring)
SEEDS = 100
METHODS = ("gd", "momentum", "rmsprop", "adam", "sign")
BUDGET = S.BUDGET
TOL = S.TOL
LRS = S.LR_GRID
#: The counts' grid: the canonical one. Under noise most rates touch the tolerance within the
#: budget and leave it later, so nearly all must be run to the horizon (20,000 steps for Adam,
#: the costliest computation of the page): they are certified in one run (verify="all").
COUNT_LRS = S.LR_GRID
#: "k of SEEDS seeds": a paired comparison is decided only outside SEEDS/2 ± 2 standard
#: deviations of a fair coin (k = 40 … 60 of 100 is "about the same")
PAIRED_MARGIN = 2 * 0.5 * SEEDS ** 0.5
START_KEYS = ("A", "B")


#: The magnitude page's ablation pair (rc.direction_with_length_of), measured by the noise floor
#: only: gradient descent's direction at RMSprop's step length, and the reverse.
HYBRIDS = {
    "gd_dir_rms_len": ("GD direction, RMSprop's length", lambda lr: rc.direction_with_length_of(
        lr, rc.transforms.identity(), rc.transforms.scale_by_rms(decay=S.DECAY, eps=S.EPS))),
    "rms_dir_gd_len": ("RMSprop's direction, GD length", lambda lr: rc.direction_with_length_of(
        lr, rc.transforms.scale_by_rms(decay=S.DECAY, eps=S.EPS), rc.transforms.identity())),
}


def make(key: str):
    """lr -> optimizer for a canonical method or one of HYBRIDS."""
    return HYBRIDS[key][1] if key in HYBRIDS else S.method(key).make


def sigma_index(sigma: float) -> int:
    return SIGMAS.index(sigma)


def sigma_text(sigma: float) -> str:
    return "no noise" if sigma == 0 else f"σ = {fmt(sigma)}"


def seeds(rows: int) -> np.ndarray:
    """Row r uses seed r mod SEEDS: every (start, σ, rate) block is one copy of the seeds."""
    return np.arange(rows) % SEEDS


def objective(sigma, rows: int) -> rc.objectives.Objective:
    """The course bowl with noise ``sigma`` (scalar or per row) for ``rows`` rows in blocks of
    SEEDS."""
    return rc.objectives.noisy(S.bowl(), sigma, seed=seeds(rows))


@functools.cache
def counts(key: str) -> rc.GridTuning:
    """Horizon-stable steps to TOL at σ = SIGMA from A (cell 0) and B (cell 1), tuned per
    cell by the median over the seeds."""
    starts = np.array([[S.STARTS[s]] * SEEDS for s in START_KEYS])

    def make_objective(cell):
        # tune_grid lays rows out as (cell, rate, start j) with the SEEDS starts innermost,
        # so row r's start (= seed) index is r mod SEEDS
        return objective(SIGMA, cell.size)

    return rc.tune_grid(lambda lr, cell: S.method(key).make(lr), make_objective, len(START_KEYS),
                        starts, COUNT_LRS, BUDGET, [TOL], horizon=S.horizon(key), criterion="median", verify="all")


def count_cell(key: str, start: str) -> dict:
    """The noisy count of ``key`` from ``start`` in words and numbers: ``settles`` (a rate
    settles from at least half the seeds), ``median``/``p10``/``p90`` (steps, not settling
    counting as budget + 1), ``fraction`` of seeds settled, ``lr``, ``edge``."""
    g = counts(key)
    c = START_KEYS.index(start)
    if g.best[c, 0] < 0:
        return {"settles": False, "lr": None, "fraction": 0.0, "edge": None}
    steps = g.steps[c, 0]
    censored = np.where(steps < 0, BUDGET + 1, steps)
    p10, med, p90 = np.percentile(censored, [10, 50, 90], method="nearest")
    return {"settles": med <= BUDGET, "median": float(med), "p10": float(p10), "p90": float(p90),
            "fraction": float((steps >= 0).mean()), "lr": float(g.lrs[g.best[c, 0]]),
            "edge": g.edge[c, 0]}


#: With noise a seed's loss can leave the tolerance at any time, however long it has stayed (the
#: noise has no last step): the counts are checked again this many times further.
RECHECK = 4


@functools.cache
def recheck(key: str, start: str) -> dict:
    """The tuned rate's counts checked RECHECK × further: the median then, and how many seeds'
    counts change (seeds that leave the tolerance between the horizon and the longer check)."""
    cell = count_cell(key, start)
    longer = rc.settle(S.method(key).make(cell["lr"]), objective(SIGMA, SEEDS),
                       np.tile(S.STARTS[start], (SEEDS, 1)), TOL, BUDGET, RECHECK * S.horizon(key))
    ref = counts(key).steps[START_KEYS.index(start), 0]
    censored = np.where(longer.steps < 0, BUDGET + 1, longer.steps)
    return {"median": float(np.percentile(censored, 50, method="nearest")),
            "changed": int((longer.steps != ref).sum()), "horizon": RECHECK * S.horizon(key)}


def count_text(cell: dict) -> str:
    """"19 (17–25)" or "never stays within 10⁻³ within 300 steps, at any rate"."""
    if not cell["settles"]:
        return f"does not stay within {sci(TOL)} within {BUDGET} steps at any rate"
    band = f"{fmt(cell['p10'])}–{fmt(cell['p90'])}" if cell["p90"] <= BUDGET else f"{fmt(cell['p10'])} to more than {BUDGET}"
    return f"{fmt(cell['median'])} ({band})"


@functools.cache
def floor(key: str) -> np.ndarray:
    """The loss after BUDGET steps, shape (starts, σ levels, rates, seeds): one run over every
    start, noise level, rate and seed (40,200 rows)."""
    ns, nl, k = len(START_KEYS), len(SIGMAS), LRS.size
    shape = (ns, nl, k, SEEDS)
    x0 = np.broadcast_to(np.array([S.STARTS[s] for s in START_KEYS])[:, None, None, None, :],
                         shape + (2,)).reshape(-1, 2)
    sigma = np.broadcast_to(np.array(SIGMAS)[None, :, None, None], shape).ravel()
    lr = np.broadcast_to(LRS[None, None, :, None], shape).ravel()
    # only the final loss is read: loss_every=BUDGET skips evaluating 40,200 rows every step
    traj = rc.run(make(key)(lr), objective(sigma, x0.shape[0]), x0, steps=BUDGET, record="loss",
                  loss_every=BUDGET)
    final = traj.loss[-1] - S.bowl().min_value
    # a diverged run has no loss to compare: it is worse than any finite one
    return np.where(np.isfinite(final) & ~traj.diverged, final, np.inf).reshape(shape)


def quantiles(loss: np.ndarray, q, axis=-1) -> np.ndarray:
    """Percentiles of losses in which a diverged run is +inf: a quantile that falls between two
    diverged runs is +inf too (numpy's interpolation would make it inf − inf = NaN)."""
    with np.errstate(invalid="ignore"):
        out = np.percentile(loss, q, axis=axis)
    return np.where(np.isnan(out), np.inf, out)


def floor_best(key: str, start: str, sigma: float) -> dict:
    """The rate with the lowest median loss after BUDGET steps, and that loss's quantiles."""
    loss = floor(key)[START_KEYS.index(start), sigma_index(sigma)]       # (rates, seeds)
    med = quantiles(loss, 50)
    i = int(np.argmin(med))
    p10, p90 = quantiles(loss[i], [10, 90])
    edge = "grid-low" if i == 0 else "grid-high" if i == LRS.size - 1 else None
    return {"index": i, "lr": float(LRS[i]), "median": float(med[i]), "p10": float(p10),
            "p90": float(p90), "edge": edge}


def floor_rates(key: str) -> np.ndarray:
    """(starts, σ levels) the floor-tuned rate of every cell."""
    return np.array([[floor_best(key, s, sig)["lr"] for sig in SIGMAS] for s in START_KEYS])


@functools.cache
def paths(key: str) -> rc.Trajectory:
    """Full trajectories from A and B at every σ level, each at its floor-tuned rate:
    rows (start, σ, seed), 800 rows."""
    ns, nl = len(START_KEYS), len(SIGMAS)
    shape = (ns, nl, SEEDS)
    x0 = np.broadcast_to(np.array([S.STARTS[s] for s in START_KEYS])[:, None, None, :],
                         shape + (2,)).reshape(-1, 2)
    sigma = np.broadcast_to(np.array(SIGMAS)[None, :, None], shape).ravel()
    lr = np.broadcast_to(floor_rates(key)[:, :, None], shape).ravel()
    return rc.run(S.method(key).make(lr), objective(sigma, x0.shape[0]), x0, steps=BUDGET)


def path_rows(start: str, sigma: float) -> slice:
    """The rows of :func:`paths` for one start and noise level."""
    first = (START_KEYS.index(start) * len(SIGMAS) + sigma_index(sigma)) * SEEDS
    return slice(first, first + SEEDS)


def paired_word(wins: int) -> str:
    """A paired count "wins of SEEDS" in words: better, worse or about the same."""
    if wins >= SEEDS / 2 + PAIRED_MARGIN:
        return "better"
    if wins <= SEEDS / 2 - PAIRED_MARGIN:
        return "worse"
    return "about the same"


def band(values: np.ndarray) -> tuple[float, float, float]:
    """(10th percentile, median, 90th percentile)."""
    p10, med, p90 = np.percentile(values, [10, 50, 90])
    return float(p10), float(med), float(p90)

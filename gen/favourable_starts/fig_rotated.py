"""The rotated bowl: does RMSprop depend on the axes more than rounding does?

The argument: RMSprop divides each *coordinate* by its own running RMS, so what it does
depends on how the valley lines up with the coordinate axes. Rotate the course's bowl
(eigenvalues 1 and 20) by an angle θ and rotate starts A and B with it: the problem is the
same, only the axes differ. Gradient descent is rotation-equivariant (its path rotates with
the bowl) and contracts, so its steps to tolerance do not change at all.

A difference in RMSprop's count across angles is only a *dependence on the angle* if it is
larger than what floating point alone does to a method that hovers at a tuned constant rate.
Normalised gradient descent (every step of length α along −∇f) is rotation-equivariant like
gradient descent, so mathematically its count cannot depend on θ; but with a constant step
it never contracts, it hovers around the minimum, and at its tuned rate (at the edge of the
range of rates that settle) whether the hovering stays within the tolerance is decided by
rounding, which does differ between angles. The spread of its tuned mean counts across
angles (largest ÷ smallest − 1) is this figure's *noise floor*: RMSprop's spread counts as
"depends on the angle" only if it exceeds the floor; otherwise the page says "about the same
at every angle" (``rotation_verdict``).

Counts are horizon-stable (rmsprop_core.settle): counted within a budget of 1,000 steps (so
that no tuned run is cut off: the slowest tuned count is about 400) and checked to stay within
the tolerance until step 5,000, 4 × the budget beyond it. That horizon is shorter than the
course's 20,000 (gen/settings.py, chosen for Adam's β₂ memory of 1,000 steps) because none of
the methods here remembers for long: RMSprop's β = 0.9 averages over about 1/(1 − β) = 10
steps, gradient descent and normalised gradient descent have no memory at all, so 4,000
steps after the budget are hundreds of memory lengths.

Each method is tuned anew at every angle: the canonical grid (gen/settings.py) up to 0.2
(20 rates per decade; larger rates diverge for all three), mean steps over the rotated A and
B, the same tolerance. Cost: the 13 angles × 2 starts × 47 rates of one method run as one
batched trajectory set on a stack of rotated bowls (:func:`stacked_bowls`, row for row
bit-identical to ``rc.objectives.quadratic(..., angle)``), three runs in all instead of 39.
"""
from __future__ import annotations

import functools
import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import rmsprop_core as rc
from gen import settings as S
from gen.spec import FigureSpec
from gen.text import count_text, counted, fmt, sci

ID = "fig-rotated"

ANGLES_DEG = np.arange(0.0, 90.0 + 1e-9, 7.5)
EIGENVALUES = (1.0, 20.0)
BUDGET = 1000         # steps a count is quoted for: no tuned run is cut off
HORIZON = 5000        # steps it is checked to hold for (see the module docstring)
LR_GRID = S.LR_GRID[S.LR_GRID <= 0.2]
DRAWN = 150           # steps drawn per path (the rest is RMSprop's small cycle at the minimum)
LEVELS = (0.5, 2.0, 8.0)   # loss levels of the drawn ellipses
VIEW = 4.0
METHODS = ("gd", "rmsprop", "ngd")
DRAWN_PATHS = ("gd", "rmsprop")   # the left panel; normalised GD is the right panel's floor
COLOURS = {m: S.METHODS[m].colour for m in METHODS}
NAMES = {m: S.METHODS[m].name for m in METHODS}
DASHES = {"gd": "solid", "rmsprop": "solid", "ngd": "dash"}
# arrays of this many rows stay one block in rmsprop_core's runs (16,384 numbers per block,
# 2 coordinates): the stacked objective below relies on seeing all rows at once
_MAX_ROWS = 8192


def rotation(theta: float) -> np.ndarray:
    c, s = math.cos(theta), math.sin(theta)
    return np.array([[c, -s], [s, c]])


def starts(theta: float) -> np.ndarray:
    """Starts A and B rotated with the bowl (same position relative to the valley)."""
    return np.array([S.START_A, S.START_B], dtype=float) @ rotation(theta).T


def stacked_bowls(thetas) -> rc.objectives.Objective:
    """One objective for a batch of rotated bowls: row r of a batch is the bowl rotated by
    ``thetas[(r % (2 m)) // 2]`` (m angles, starts A and B per angle, batches tiled as
    ``rc.tune_lr`` tiles its starts). The arithmetic is :class:`rc.objectives.Quadratic`'s
    for d = 2 (the same products in the same order), so each row is bit-identical to a run
    on ``rc.objectives.quadratic(EIGENVALUES, theta)``; the batch must stay one block."""
    l0, l1 = EIGENVALUES
    coef = []
    for theta in thetas:
        c, s = math.cos(theta), math.sin(theta)
        coef.append(((c * l0) * c + (s * l1) * s, (c * l0) * s - (s * l1) * c,
                     (s * l0) * s + (c * l1) * c))
    per_start = np.repeat(np.array(coef), 2, axis=0)          # (2m, 3)
    period = per_start.shape[0]
    cache = {}

    def tiled(n):
        if n not in cache:
            if n % period or n > _MAX_ROWS:
                raise ValueError(f"a batch of {n} rows is not whole tiles of {period} in one block")
            full = np.tile(per_start, (n // period, 1))
            cache.clear()
            cache[n] = tuple(np.ascontiguousarray(full[:, i]) for i in range(3))
        return cache[n]

    def grad(x):
        h00, h01, h11 = tiled(x.shape[0])
        out = np.empty_like(x)
        x0, x1 = x[..., 0], x[..., 1]
        out[..., 0] = x0 * h00 + x1 * h01
        out[..., 1] = x0 * h01 + x1 * h11
        return out

    def value(x):
        return 0.5 * np.einsum("...i,...i->...", grad(x), x)

    return rc.objectives.Objective("rotated-stack", "Rotated bowls, one per row", 2, value, grad,
                                   np.zeros(2), 0.0, ((-VIEW, VIEW), (-VIEW, VIEW)))


def _tuning_of(res: rc.TuningResult, j: int) -> rc.TuningResult:
    """The tuning at angle j from the batched one: columns 2j, 2j+1, chosen by tune_lr's rules
    (mean steps over A and B, not settling = budget + 1, ties to the smallest rate, edges)."""
    cols = slice(2 * j, 2 * j + 2)
    steps = res.steps[:, cols].copy()
    counts = np.where(steps < 0, res.budget + 1, steps).astype(np.float64)
    score = counts.mean(axis=1)
    converged = (steps >= 0).mean(axis=1)
    candidates = np.flatnonzero(converged > 0)
    if not candidates.size:
        raise ValueError(f"no rate settles at angle {ANGLES_DEG[j]}°: widen the grid or the budget")
    best = int(candidates[np.lexsort((candidates, score[candidates]))[0]])
    k = res.lrs.size
    edge = ("grid-high" if best == k - 1 else "grid-low" if best == 0 else
            "settling-range" if converged[best + 1] < converged[best] else None)
    criterion = (f"the mean over 2 starts of the steps after which the loss stays within "
                 f"{res.tol:g} of the minimum, counted within {res.budget} steps and checked "
                 f"to hold until step {res.horizon:,}; the lowest among {k} rates from "
                 f"{res.lrs.min():.3g} to {res.lrs.max():.3g}.")
    return rc.TuningResult(res.lrs, steps, res.first_settled[:, cols].copy(),
                           res.left_at[:, cols].copy(), res.status[:, cols].copy(), res.checked,
                           score, converged, float(res.lrs[best]), float(score[best]), best, edge,
                           res.budget, res.horizon, res.tol, criterion)


@functools.lru_cache(maxsize=1)
def _compute():
    thetas = [math.radians(d) for d in ANGLES_DEG]
    stack = stacked_bowls(thetas)
    x0 = np.concatenate([starts(t) for t in thetas])
    out = [{"deg": float(d), "theta": t} for d, t in zip(ANGLES_DEG, thetas)]
    for key in METHODS:
        make = S.METHODS[key].make
        res = rc.tune_lr(make, stack, x0, LR_GRID, BUDGET, S.TOL, horizon=HORIZON)
        tunings = [_tuning_of(res, j) for j in range(len(thetas))]
        lr_rows = np.repeat([t.best_lr for t in tunings], 2)
        paths = rc.run(make(lr_rows), stack, x0, DRAWN).positions     # (DRAWN+1, 2m, 2)
        for j, (per, tuned) in enumerate(zip(out, tunings)):
            settling = tuned.settling_at(tuned.best_index)
            per[key] = {"lr": tuned.best_lr, "steps": settling.steps, "settling": settling,
                        "mean": float(np.mean([counted(settling, i) for i in range(2)])),
                        "edge": tuned.edge, "tuning": tuned,
                        "paths": paths[:, 2 * j:2 * j + 2]}
    # the second measurement: RMSprop at one fixed rate (its canonical tuned rate) at every
    # angle, where tuning noise cannot enter; its own 0° vs 90° gap (the same problem with the
    # axes swapped, different only by rounding) is the floor there
    fixed = rc.settle(S.METHODS["rmsprop"].make(FIXED_LR), stack, x0, S.TOL, BUDGET, HORIZON)
    for j, per in enumerate(out):
        per["rmsprop_fixed"] = [counted(fixed, 2 * j + i) for i in range(2)]
    return out


def compute():
    """Per angle: each method's tuning (rc.TuningResult), its tuned rate, its horizon-checked
    settling from the rotated A and B (rc.Settling), their mean count and the drawn paths."""
    return _compute()


#: RMSprop's rate for the fixed-rate comparison: the canonical one (unrotated bowl)
FIXED_LR = S.tuned_lr("rmsprop")


def spread(values) -> float:
    """Largest ÷ smallest − 1: how much a count varies across angles."""
    values = np.asarray(values, dtype=float)
    return float(values.max() / values.min() - 1.0)


def verdict(rmsprop_spread: float, floor: float) -> str:
    """RMSprop's dependence on the angle in words, against the noise floor."""
    return "depends on the angle" if rmsprop_spread > floor else "about the same at every angle"


def ellipses(theta: float):
    """Level sets of the rotated bowl as one line with gaps (lighter than a contour grid)."""
    t = np.linspace(0, 2 * math.pi, 73)
    xs, ys = [], []
    for level in LEVELS:
        local = np.stack([np.sqrt(2 * level / EIGENVALUES[0]) * np.cos(t),
                          np.sqrt(2 * level / EIGENVALUES[1]) * np.sin(t)], axis=1)
        pts = local @ rotation(theta).T
        xs += list(pts[:, 0]) + [None]
        ys += list(pts[:, 1]) + [None]
    return xs, ys


def _path_xy(per, key):
    p = per[key]["paths"]          # (DRAWN+1, 2, 2)
    xs, ys = [], []
    for i in range(p.shape[1]):
        xs += list(p[:, i, 0]) + [None]
        ys += list(p[:, i, 1]) + [None]
    return xs, ys


_EDGE_WORDS = {None: "inside the grid and the settling range",
               "settling-range": "the largest rate that settles from both starts",
               "grid-low": "the smallest rate on the grid",
               "grid-high": "the largest rate on the grid"}


def edge_summary(edges) -> str:
    """Where a method's tuned rates sit, over all angles, in words."""
    n = len(edges)
    parts = []
    for edge, words in _EDGE_WORDS.items():
        c = sum(e == edge for e in edges)
        if c:
            parts.append(f"{words} at {'every angle' if c == n else f'{c} of {n} angles'}")
    return "; ".join(parts)


def build() -> FigureSpec:
    results = compute()
    means = {k: np.array([r[k]["mean"] for r in results]) for k in METHODS}
    texts = {k: [[count_text(r[k]["settling"], i) for i in range(2)] for r in results]
             for k in METHODS}

    fig = make_subplots(rows=1, cols=2, column_widths=[0.58, 0.42], horizontal_spacing=0.12,
                        subplot_titles=("First steps from rotated A and B",
                                        "Mean steps vs angle"))
    r0 = results[0]
    ex, ey = ellipses(r0["theta"])
    fig.add_trace(go.Scatter(x=ex, y=ey, mode="lines", line=dict(color="#9e9e9e", width=1),
                             hoverinfo="skip", showlegend=False, name="loss contours"), row=1, col=1)
    for key in DRAWN_PATHS:
        x, y = _path_xy(r0, key)
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers", name=NAMES[key],
                                 line=dict(color=COLOURS[key], width=2), marker=dict(size=3),
                                 hoverinfo="skip", legendgroup=key), row=1, col=1)
    s0 = starts(r0["theta"])
    fig.add_trace(go.Scatter(x=s0[:, 0], y=s0[:, 1], mode="markers+text", text=["A", "B"],
                             textposition="top right", marker=dict(size=9, color="#2e7d32"),
                             showlegend=False, hoverinfo="skip", name="starts"), row=1, col=1)
    for key in METHODS:
        label = NAMES[key] + (" (noise floor)" if key == "ngd" else "")
        fig.add_trace(go.Scatter(
            x=ANGLES_DEG, y=means[key], mode="lines+markers", name=label,
            line=dict(color=COLOURS[key], width=2, dash=DASHES[key]),
            showlegend=key not in DRAWN_PATHS, legendgroup=key, customdata=texts[key],
            hovertemplate=("θ %{x}°: mean %{y:.1f} steps (A %{customdata[0]}, B %{customdata[1]})"
                           "<extra>" + label + "</extra>")),
            row=1, col=2)
    fig.add_trace(go.Scatter(x=[ANGLES_DEG[0]] * len(METHODS), y=[float(means[k][0]) for k in METHODS],
                             mode="markers",
                             marker=dict(size=12, symbol="circle-open", color="#212121", line=dict(width=2)),
                             showlegend=False, hoverinfo="skip", name="current angle"), row=1, col=2)

    n_left = 2 + len(DRAWN_PATHS)              # contours, paths, starts
    moving = [0, *range(1, 1 + len(DRAWN_PATHS)), n_left - 1, n_left + len(METHODS)]
    steps = []
    for j, r in enumerate(results):
        ex, ey = ellipses(r["theta"])
        paths = [_path_xy(r, key) for key in DRAWN_PATHS]
        s = starts(r["theta"])
        steps.append(dict(
            label=f"{fmt(r['deg'])}°", method="restyle",
            args=[{"x": [ex, *[p[0] for p in paths], list(s[:, 0]), [r["deg"]] * len(METHODS)],
                   "y": [ey, *[p[1] for p in paths], list(s[:, 1]), [float(means[k][j]) for k in METHODS]]},
                  moving],
        ))
    fig.update_layout(
        height=470,
        margin=dict(l=50, r=20, t=50, b=50),
        legend=dict(orientation="h", x=0, y=-0.15, xanchor="left", yanchor="top"),
        sliders=[dict(active=0, name="Rotation angle θ", currentvalue=dict(prefix="θ = "),
                      steps=steps, pad=dict(t=40))],
    )
    fig.update_xaxes(title_text="x₁", range=[-VIEW, VIEW], constrain="domain", row=1, col=1)
    fig.update_yaxes(title_text="x₂", range=[-VIEW, VIEW], scaleanchor="x", scaleratio=1,
                     constrain="domain", row=1, col=1)
    fig.update_xaxes(title_text="rotation angle θ (degrees)", range=[-3, 93], tickvals=[0, 15, 30, 45, 60, 75, 90],
                     row=1, col=2)
    fig.update_yaxes(title_text="mean steps (starts A and B)", rangemode="tozero", row=1, col=2)

    gd_steps = np.array([r["gd"]["steps"] for r in results])      # (angles, 2)
    gd_settled = all((r["gd"]["settling"].status == "settled").all() for r in results)
    floor = spread(means["ngd"])
    rms_spread = spread(means["rmsprop"])
    hi = {k: int(np.argmax(means[k])) for k in METHODS}   # first angle of the largest mean
    lo = {k: int(np.argmin(means[k])) for k in METHODS}

    def pct(x):
        return f"{fmt(round(100 * x))}%"

    numbers = {
        "budget": fmt(BUDGET),
        "horizon": f"{HORIZON:,}",
        "grid": f"{len(LR_GRID)} learning rates from {fmt(float(LR_GRID[0]))} to {fmt(float(LR_GRID[-1]))}",
        "angle_step": fmt(float(ANGLES_DEG[1] - ANGLES_DEG[0])),
        "angle_min": fmt(float(ANGLES_DEG[0])),
        "angle_max": fmt(float(ANGLES_DEG[-1])),
        "angle_count": fmt(len(ANGLES_DEG)),
        "gd_mean": fmt(float(means["gd"][0])),
        "gd_lr": fmt(results[0]["gd"]["lr"]),
        "gd_invariant": ("exactly the same" if gd_settled and np.all(gd_steps == gd_steps[0])
                         else "nearly the same"),
        "rmsprop_mean_0": fmt(float(means["rmsprop"][0])),
        "rmsprop_mean_90": fmt(float(means["rmsprop"][-1])),
        "rmsprop_lr_0": fmt(results[0]["rmsprop"]["lr"]),
        "drawn": fmt(DRAWN),
        # At 90° the bowl is the 0° bowl with its axes swapped; in floating point the rotation
        # leaves a tiny coupling between the coordinates, which RMSprop's hovering notices.
        "coupling_90": sci(abs(rc.objectives.quadratic(list(EIGENVALUES), angle=math.pi / 2).hessian[0, 1])),
        # the noise floor and RMSprop against it
        "ngd_spread": pct(floor),
        "rmsprop_spread": pct(rms_spread),
        "rotation_verdict": verdict(rms_spread, floor),
    }
    # at one fixed rate: from A (the start whose path crosses the valley) and on average
    fixed = np.array([r["rmsprop_fixed"] for r in results], dtype=float)   # (angles, 2)
    fixed_mean = fixed.mean(axis=1)
    fixed_floor = abs(fixed_mean[0] - fixed_mean[-1]) / min(fixed_mean[0], fixed_mean[-1])
    fixed_spread = spread(fixed_mean)
    top = int(np.argmax(fixed[:, 0]))
    numbers.update({
        "fixed_lr": fmt(FIXED_LR),
        "fixed_a_0": fmt(int(fixed[0, 0])),
        "fixed_a_max": fmt(int(fixed[top, 0])),
        "fixed_a_max_angle": fmt(float(ANGLES_DEG[top])),
        "fixed_b_min": fmt(int(fixed[:, 1].min())),
        "fixed_b_max": fmt(int(fixed[:, 1].max())),
        "fixed_spread": pct(fixed_spread),
        "fixed_floor": pct(fixed_floor),
        "fixed_verdict": verdict(fixed_spread, fixed_floor),
    })
    for key in ("rmsprop", "ngd"):
        numbers[f"{key}_min"] = fmt(float(means[key][lo[key]]))
        numbers[f"{key}_max"] = fmt(float(means[key][hi[key]]))
        numbers[f"{key}_min_angle"] = fmt(float(ANGLES_DEG[lo[key]]))
        numbers[f"{key}_max_angle"] = fmt(float(ANGLES_DEG[hi[key]]))
        numbers[f"{key}_max_over_min"] = fmt(float(means[key][hi[key]] / means[key][lo[key]]), 2)
        rates = sorted({r[key]["lr"] for r in results})
        numbers[f"{key}_lr_range"] = (fmt(rates[0]) if len(rates) == 1 else
                                      f"{fmt(rates[0])} to {fmt(rates[-1])}")
    for key in METHODS:
        numbers[f"{key}_edge"] = edge_summary([r[key]["edge"] for r in results])
    # the playground link: start A rotated to the angle where the fixed-rate count peaks
    numbers["fixed_start_a_query"] = ",".join(
        fmt(float(v), 3) for v in starts(math.radians(float(ANGLES_DEG[top])))[0])

    data = {"angle_deg": [float(a) for a in ANGLES_DEG]}
    for key in METHODS:
        data[f"{key}_lr"] = [r[key]["lr"] for r in results]
        data[f"{key}_edge"] = [r[key]["edge"] or "inside" for r in results]
        for i, start in enumerate("ab"):
            data[f"{key}_steps_{start}"] = [int(r[key]["settling"].steps[i]) for r in results]
            data[f"{key}_status_{start}"] = [str(r[key]["settling"].status[i]) for r in results]
        data[f"{key}_mean"] = [float(m) for m in means[key]]

    depends = numbers["rotation_verdict"] == "depends on the angle"
    caption = (
        "The same valley, rotated by θ (slider), with starts A and B rotated along. Gradient "
        "descent's path simply rotates and its step count is the same at every angle (blue line, "
        "in the panel of mean steps). Normalised gradient descent (dashed) is rotation-invariant too, yet at its tuned "
        f"rates its mean count varies by {numbers['ngd_spread']} across angles "
        f"({numbers['ngd_min']} to {numbers['ngd_max']} steps): it hovers at a constant step, and "
        "rounding alone decides when the hovering stays within the tolerance. That is the noise "
        f"floor. RMSprop's mean varies by {numbers['rmsprop_spread']} ({numbers['rmsprop_min']} to "
        f"{numbers['rmsprop_max']}), "
        + (f"more than the floor: it depends on the angle, most steps at θ = "
           f"{numbers['rmsprop_max_angle']}°." if depends else
           "within the floor: about the same at every angle.")
        + f" Each method is tuned anew at every angle; counts within {numbers['budget']} steps, "
        f"checked to step {numbers['horizon']}. At one fixed rate ({numbers['fixed_lr']}) RMSprop "
        f"{numbers['fixed_verdict']}: from A {numbers['fixed_a_0']} steps at 0°, "
        f"{numbers['fixed_a_max']} at {numbers['fixed_a_max_angle']}°."
    )
    alt = (
        f"Two panels. First, the rotated bowl with the first {numbers['drawn']} steps of gradient descent and RMSprop "
        f"from the rotated starts A and B. Second, mean steps to tolerance {fmt(S.TOL)} against the angle "
        f"from {numbers['angle_min']}° to {numbers['angle_max']}° for gradient descent, RMSprop and "
        f"normalised gradient descent. Gradient descent needs {numbers['gd_mean']} steps at every angle; "
        f"normalised gradient descent, the noise floor, between {numbers['ngd_min']} and "
        f"{numbers['ngd_max']} (a spread of {numbers['ngd_spread']}); RMSprop between "
        f"{numbers['rmsprop_min']} (at {numbers['rmsprop_min_angle']}°) and {numbers['rmsprop_max']} "
        f"(at {numbers['rmsprop_max_angle']}°), a spread of {numbers['rmsprop_spread']}: "
        f"{numbers['rotation_verdict']}. RMSprop needs {numbers['rmsprop_mean_0']} at 0° and "
        f"{numbers['rmsprop_mean_90']} at 90°."
    )
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=data, numbers=numbers,
                      title="The rotated bowl")

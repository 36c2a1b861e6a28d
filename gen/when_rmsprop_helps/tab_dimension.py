"""Dimension: does RMSprop's per-coordinate scaling still pay in 10, 100 or 1,000 dimensions,
and does it pay exactly where the known condition for sign-based methods says it should?

Quadratics f = ½ xᵀHx in d = 2, 10, 100 and 1,000 dimensions, eigenvalues log-spaced from 1
to κ = 100, once with their axes on the coordinates (H diagonal) and once randomly rotated
(H = R diag(λ) Rᵀ). Random Gaussian starts, each scaled so that f(x0) = 1: the tolerance 10⁻³
is a thousandth of the start's loss. Gradient descent, RMSprop, Adam, sign descent and
normalised gradient descent, each at its own tuned constant rate (``rc.tune_lr``, median over
the starts, horizon-stable counts), and each method's median steps as a ratio to gradient
descent's.

The rotated bowl starts from the aligned bowl's starts rotated with it (x0 = R z), so the two
rows of a dimension are a paired comparison: gradient descent and normalised gradient
descent are rotation-equivariant and make the same moves on both (their counts agree, up to
rounding where a tuned rate sits at the edge of the settling range); only the per-coordinate
methods (RMSprop, Adam, sign descent) can tell the bowls apart.

Balles, Pedregosa & Le Roux (2020, "The geometry of sign gradient descent", arXiv:2002.08056)
compare sign descent with gradient descent through the smoothness constant each one's
guarantee uses: λ_max for gradient descent, the ℓ∞ smoothness L∞ ≤ Σ_ij |H_ij| for sign
descent. With the diagonal concentration ρ_diag = Σ_i |H_ii| / Σ_ij |H_ij| that bound reads
L∞ ≤ d λ̄ / ρ_diag (λ̄ the mean eigenvalue), so sign descent's guaranteed decrease per step,
‖g‖₁² / (2 L∞), beats gradient descent's, ‖g‖₂² / (2 λ_max), when
φ · ρ_diag · λ_max / λ̄ > 1, with φ = ‖g‖₁² / (d ‖g‖₂²) the density of the gradient (about 2/π
for a Gaussian one): a Hessian concentrated on its diagonal with λ_max well above the mean
eigenvalue. The table gives ρ_diag, λ_max / λ̄ and that bound ratio (at the starts' gradients,
median over starts) next to the measured ratios, so a reader can check the condition against
the counts.

Cost. The rotated gradient x ↦ xH costs d² per start and step: at d = 1,000 a dense H would
take about a minute for the three per-coordinate methods alone. There the rotation is the
Kronecker product R₁ ⊗ R₂ ⊗ R₃ of three Haar-random 10 × 10 rotations (orthogonal, every
entry nonzero, eigenvalues assigned to its eigenvectors in a random order, H = R diag(λ) Rᵀ dense with a
diagonal concentration close to a Haar rotation's: 0.038 against 0.033), applied factor by
factor at 60 d operations per gradient; d = 2, 10 and 100 use a Haar-random rotation
(``rc.objectives.quadratic(..., rotation="random")``).
"""
from __future__ import annotations

import functools
import time

import numpy as np

import rmsprop_core as rc
from gen import settings as S
from gen.spec import TableSpec
from gen.text import fmt, sci

ID = "tab-dimension"
COST = 15   # rough seconds to build (gen/build.py starts the longest first)

KAPPA = 100.0                  # eigenvalues log-spaced from 1 to KAPPA
DIMS = (2, 10, 100, 1000)
TOL = S.TOL                    # 10⁻³ of the start's loss (every start has f(x0) = 1)
BUDGET = 300                   # counts are quoted within this many steps ...
HORIZON = 4 * BUDGET           # ... and checked to stay within the tolerance until this step
N_STARTS = {2: 8, 10: 8, 100: 8, 1000: 4}   # fewer at d = 1,000, the expensive dimension
SEED = 0
KRONECKER_FACTOR = 10          # d = 1,000 = 10³: the rotation is R₁ ⊗ R₂ ⊗ R₃ (see the docstring)
KRONECKER_DIMS = (1000,)

#: Each method's grid: GRID_SIZE rates log-spaced over GRID_SPAN × the method's natural step
#: (see :func:`unit`), so one grid fits every dimension without being 7 decades wide.
GRID_SIZE = 24
GRID_SPAN = (1e-3, 1.0)

BASELINE = "gd"
COMPARED = ("rmsprop", "adam", "sign", "ngd")
METHOD_KEYS = (BASELINE, *COMPARED)
PER_COORDINATE = ("rmsprop", "adam", "sign")   # depend on the axes
EQUIVARIANT = ("gd", "ngd")                    # make the same moves on the rotated bowl
BOWLS = ("aligned", "rotated")
#: Ratios within this of 1 read "about the same" (or within the noise floor, if larger: the
#: equivariant methods' difference between the paired bowls, zero when rounding agrees).
AS_SAME = 0.05


def eigenvalues(d: int) -> np.ndarray:
    return np.geomspace(1.0, KAPPA, d)


def unit(key: str, d: int) -> float:
    """The method's natural step on the d-dimensional bowl from a start with f(x0) = 1, the
    scale its grid is laid out in: 2/λ_max for gradient descent (its stability limit), the
    start's typical length √(2d/Σλ) for normalised gradient descent (a step of fixed length),
    and the start's typical coordinate √(2/Σλ) for the per-coordinate methods (RMSprop, Adam
    and sign descent move every coordinate by about the rate)."""
    lam = eigenvalues(d)
    if key == "gd":
        return float(2.0 / lam.max())
    if key == "ngd":
        return float(np.sqrt(2.0 * d / lam.sum()))
    return float(np.sqrt(2.0 / lam.sum()))


def grid(key: str, d: int) -> np.ndarray:
    return np.geomspace(*GRID_SPAN, GRID_SIZE) * unit(key, d)


def aligned_starts(d: int) -> np.ndarray:
    """N_STARTS[d] Gaussian starts (seeded), each scaled so that f(x0) = 1 on the aligned bowl."""
    z = np.random.default_rng(SEED).standard_normal((N_STARTS[d], d))
    loss = 0.5 * (z * z * eigenvalues(d)).sum(axis=1)
    return z / np.sqrt(loss)[:, None]


def kronecker_quadratic(lam: np.ndarray, factors) -> rc.objectives.Objective:
    """f = ½ xᵀ R diag(λ) Rᵀ x with R = R₁ ⊗ R₂ ⊗ R₃ (three m × m orthogonal factors, d = m³;
    λ in the order of the eigenvectors e_a ⊗ e_b ⊗ e_c, a the slowest index),
    its gradient R (λ ⊙ Rᵀx) applied one factor at a time (6 m d multiplications instead of
    the 2 d² of a dense H). ``rotation`` and ``hessian`` are the dense matrices (for the
    diagonal concentration and the tests, not for the runs)."""
    r1, r2, r3 = (np.asarray(f, dtype=np.float64) for f in factors)
    m = r1.shape[0]
    d = m ** 3
    lam_cube = np.asarray(lam, dtype=np.float64).reshape(m, m, m)   # λ of eigenvector e_a ⊗ e_b ⊗ e_c

    def to_eigen(x):          # Rᵀx for rows x, as (n, m, m, m)
        y = x.reshape(-1, m, m, m) @ r3
        y = np.matmul(r2.T, y)
        return np.matmul(r1.T, y.reshape(-1, m, m * m)).reshape(-1, m, m, m)

    def from_eigen(y):        # R y for rows y (n, m, m, m), as (n, d)
        y = np.matmul(r2, y @ r3.T)
        return np.matmul(r1, y.reshape(-1, m, m * m)).reshape(-1, d)

    # settle() computes f(x_t) and then, next step, ∇f(x_t) of the same array: the gradient
    # takes the Rᵀx_t the value just computed (once, and only for that very array object)
    cached = {"x": None, "y": None}

    def grad(x):
        y = cached["y"] if cached["x"] is x else to_eigen(x)
        cached["x"] = cached["y"] = None
        return from_eigen(y * lam_cube).reshape(x.shape)

    def value(x):
        y = to_eigen(x)
        cached["x"], cached["y"] = x, y
        return 0.5 * np.einsum("nabc,nabc->n", y * lam_cube, y).reshape(x.shape[:-1])

    obj = rc.objectives.Objective(
        "quadratic-kronecker", f"Quadratic ({d} eigenvalues from {lam.min():g} to {lam.max():g}, "
        "Kronecker rotation)", d, value, grad, np.zeros(d), 0.0, ((-3.0, 3.0), (-3.0, 3.0)))
    obj.eigenvalues = np.asarray(lam, dtype=np.float64)
    obj.rotation = np.kron(np.kron(r1, r2), r3)
    obj.hessian = (obj.rotation * obj.eigenvalues) @ obj.rotation.T
    return obj


@functools.lru_cache(maxsize=None)
def bowl(d: int, rotated: bool) -> rc.objectives.Objective:
    lam = eigenvalues(d)
    if not rotated:
        return rc.objectives.quadratic(lam)
    if d in KRONECKER_DIMS:
        m = KRONECKER_FACTOR
        assert m ** 3 == d
        # eigenvalues in a random order: sorted, λ would follow the first factor's index and
        # H stay close to R₁ diag(·) R₁ᵀ ⊗ I (ρ_diag 0.25 instead of a Haar rotation's 0.03)
        order = np.random.default_rng(SEED + d).permutation(d)
        obj = kronecker_quadratic(lam[order], [rc.objectives.random_rotation(m, SEED + d + 1 + j)
                                               for j in range(3)])
        # columns in the order of the sorted eigenvalues, as for quadratic(): H = R diag(λ) Rᵀ
        obj.rotation = obj.rotation[:, np.argsort(order)]
        obj.eigenvalues = lam
        return obj
    return rc.objectives.quadratic(lam, rotation="random", seed=SEED + d)


def starts(d: int, rotated: bool) -> np.ndarray:
    """The aligned bowl's starts z, and on the rotated bowl R z (the same loss, f = 1)."""
    z = aligned_starts(d)
    return z @ bowl(d, True).rotation.T if rotated else z


def geometry(d: int, rotated: bool) -> dict:
    """Balles et al.'s quantities: ρ_diag = Σ|H_ii| / Σ|H_ij|, λ_max / λ̄, the gradient's
    density φ = ‖g‖₁² / (d‖g‖₂²) at the starts (median), and the bound ratio
    φ ρ_diag λ_max / λ̄ (> 1: sign descent's guaranteed decrease per step beats GD's)."""
    lam = eigenvalues(d)
    obj = bowl(d, rotated)
    h = obj.hessian if rotated else np.diag(lam)
    rho = float(np.abs(np.diag(h)).sum() / np.abs(h).sum())
    g = obj.grad(starts(d, rotated))
    density = float(np.median(np.abs(g).sum(axis=1) ** 2 / (d * (g * g).sum(axis=1))))
    spread = float(lam.max() / lam.mean())
    return {"rho_diag": rho, "lam_ratio": spread, "density": density,
            "bound_ratio": density * rho * spread}


@functools.lru_cache(maxsize=None)
def tuning(key: str, d: int, rotated: bool = False) -> rc.TuningResult:
    """The method tuned on one bowl. Rotation-equivariant methods are tuned on the aligned
    bowl only (on the rotated bowl they make the same moves): see :func:`equivariant_check`."""
    if rotated and key in EQUIVARIANT:
        raise ValueError(f"{key} is rotation-equivariant: it is tuned on the aligned bowl only")
    return rc.tune_lr(S.METHODS[key].make, bowl(d, rotated), starts(d, rotated), grid(key, d),
                      BUDGET, TOL, criterion="median", horizon=HORIZON, verify=verify(d))


def verify(d: int) -> str:
    """tune_lr's certification: every rate in one run where all rows fit in a couple of the
    core's blocks (the run's cost is then its number of steps), else only the rates needed."""
    return "all" if GRID_SIZE * N_STARTS[d] * d <= 2 * 16384 else "best"


@functools.lru_cache(maxsize=None)
def equivariant_check(key: str, d: int) -> rc.Settling:
    """A rotation-equivariant method on the rotated bowl, from the rotated starts, at its rate
    tuned on the aligned bowl: the same counts, up to rounding (a cheap paired run instead of a
    second tuning)."""
    lr = tuning(key, d).best_lr
    return rc.settle(S.METHODS[key].make(lr), bowl(d, True), starts(d, True), TOL, BUDGET, HORIZON)


def _median(counts: np.ndarray) -> float:
    """Median over starts, a start that does not settle counting as BUDGET + 1 (tune_lr's rule)."""
    return float(np.median(np.where(counts < 0, BUDGET + 1, counts)))


def _entry(counts: np.ndarray, lr: float | None, edge: str | None) -> dict:
    med = _median(counts)
    return {"counts": counts, "median": med if med <= BUDGET else None, "lr": lr, "edge": edge,
            "settled": int((counts >= 0).sum()), "starts": int(counts.size)}


def trajectory_steps(res: rc.TuningResult) -> int:
    """A lower bound of the trajectory-steps a tuning ran: the screen plus the certified rates."""
    n_starts = res.steps.shape[1]
    screened = res.lrs.size * n_starts * res.budget
    return screened + int(res.checked.sum()) * n_starts * res.horizon


@functools.lru_cache(maxsize=1)
def compute() -> dict:
    t0 = time.perf_counter()
    rows = []
    runs = 0
    for d in DIMS:
        for bowl_name in BOWLS:
            rotated = bowl_name == "rotated"
            cell = {"d": d, "bowl": bowl_name, **geometry(d, rotated), "methods": {}}
            for key in METHOD_KEYS:
                if rotated and key in EQUIVARIANT:
                    res = tuning(key, d)
                    check = equivariant_check(key, d)
                    runs += check.n * HORIZON
                    cell["methods"][key] = _entry(check.steps, res.best_lr, res.edge)
                    continue
                res = tuning(key, d, rotated)
                runs += trajectory_steps(res)
                counts = res.steps[res.best_index] if res.best_index is not None else \
                    np.full(res.steps.shape[1], -1)
                cell["methods"][key] = _entry(counts, res.best_lr, res.edge)
            gd = cell["methods"][BASELINE]["median"]
            for key in COMPARED:
                m = cell["methods"][key]
                m["ratio"] = None if (m["median"] is None or gd is None) else m["median"] / gd
                # the median start does not settle within the budget: the ratio is above this
                m["ratio_above"] = BUDGET / gd if (m["median"] is None and gd is not None) else None
            rows.append(cell)
    # the noise floor: equivariant methods' relative difference between the paired bowls
    floor = 0.0
    for d in DIMS:
        for key in EQUIVARIANT:
            a = cell_of(rows, d, "aligned")["methods"][key]["median"]
            b = cell_of(rows, d, "rotated")["methods"][key]["median"]
            if a is not None and b is not None:
                floor = max(floor, abs(b / a - 1))
    return {"rows": rows, "seconds": time.perf_counter() - t0, "trajectory_steps": runs,
            "floor": floor}


def cell_of(rows, d: int, bowl_name: str) -> dict:
    for row in rows:
        if row["d"] == d and row["bowl"] == bowl_name:
            return row
    raise KeyError((d, bowl_name))


def cell(d: int, bowl_name: str) -> dict:
    return cell_of(compute()["rows"], d, bowl_name)


PARTIAL_MARK = "*"


def ratio_text(m: dict, mark: bool = False) -> str:
    if m["ratio"] is None:
        return f"more than {fmt(m['ratio_above'], 2)}"
    text = fmt(m["ratio"], 2)
    if mark and m["settled"] < m["starts"]:
        text += PARTIAL_MARK
    return text


def outcome(key: str, row: dict) -> str:
    """'wins', 'loses' or 'same' against gradient descent (within the noise floor: same)."""
    ratio = row["methods"][key]["ratio"]
    if ratio is None:
        return "loses"
    if abs(ratio - 1) <= max(AS_SAME, compute()["floor"]):
        return "same"
    return "wins" if ratio < 1 else "loses"


def wins(key: str, bowl_name: str) -> list[int]:
    """Dimensions where ``key`` needs fewer median steps than gradient descent (by more than
    the noise floor)."""
    return [r["d"] for r in compute()["rows"] if r["bowl"] == bowl_name and outcome(key, r) == "wins"]


def _dims_text(dims) -> str:
    dims = [f"{d:,}" for d in dims]
    if len(dims) <= 1:
        return "".join(dims)
    return ", ".join(dims[:-1]) + " and " + dims[-1]


def _where(key: str, bowl_name: str) -> str:
    """'in every dimension tested', 'in none', or 'at d = 2 and 10 only', with the dimensions
    where the two are about the same (within the noise floor) in brackets."""
    rows = [r for r in compute()["rows"] if r["bowl"] == bowl_name]
    won = [r["d"] for r in rows if outcome(key, r) == "wins"]
    same = [r["d"] for r in rows if outcome(key, r) == "same"]
    if len(won) == len(DIMS):
        text = "in every dimension tested"
    elif not won:
        text = "in no dimension tested"
    else:
        text = f"at d = {_dims_text(won)} only"
    if same:
        text += f" (about the same at d = {_dims_text(same)})"
    return text


PROSE_NAME = {"rmsprop": "RMSprop", "sign": "sign descent", "adam": "Adam", "ngd": "normalised GD"}


def verdict() -> str:
    """Who beats gradient descent where, in words computed from the table."""
    parts = []
    for key in ("rmsprop", "sign", "adam"):
        name = PROSE_NAME[key]
        a, r = _where(key, "aligned"), _where(key, "rotated")
        parts.append(f"{name} beats gradient descent on the aligned bowl {a} and on the rotated "
                     f"one {r}")
    text = "; ".join(parts) + "."
    holds = [(row["d"], row["bowl"]) for row in compute()["rows"] if row["bound_ratio"] > 1]
    fails = [(row["d"], row["bowl"]) for row in compute()["rows"] if row["bound_ratio"] <= 1]
    sign_won = set((d, "aligned") for d in wins("sign", "aligned")) | set(
        (d, "rotated") for d in wins("sign", "rotated"))
    text += (f" Balles et al.'s condition holds on {len(holds)} of the {len(holds) + len(fails)} "
             f"bowls; sign descent wins on {len(sign_won & set(holds))} of those and on "
             f"{len(sign_won & set(fails))} of the others.")
    return text[0].upper() + text[1:]


def _edge_marks() -> tuple[int, int]:
    """(rates at an edge of the grid, rates at the edge of the settling range)."""
    grid_edge = settle_edge = 0
    for row in compute()["rows"]:
        for key, m in row["methods"].items():
            if row["bowl"] == "rotated" and key in EQUIVARIANT:
                continue                      # the aligned bowl's tuning, counted there
            grid_edge += m["edge"] in ("grid-low", "grid-high")
            settle_edge += m["edge"] == "settling-range"
    return grid_edge, settle_edge


def build() -> TableSpec:
    r = compute()
    lines = [
        # results first, the geometry after; short headers so the table fits the column
        "| d | bowl | GD steps | RMSprop ÷ GD | Adam ÷ GD | sign ÷ GD | NGD ÷ GD | ρ_diag | "
        "λ_max/λ̄ | bound ratio |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in r["rows"]:
        gd = row["methods"][BASELINE]["median"]
        gd_text = fmt(gd) if gd is not None else f"more than {fmt(BUDGET)}"
        cells = [ratio_text(row["methods"][k], mark=True) for k in COMPARED]
        lines.append(f"| {row['d']:,} | {row['bowl']} | {gd_text} | " + " | ".join(cells)
                     + f" | {fmt(row['rho_diag'], 2)} | {fmt(row['lam_ratio'], 3)} | "
                     f"{fmt(row['bound_ratio'], 2)} |")
    grid_edge, settle_edge = _edge_marks()
    n_tunings = len(DIMS) * (len(METHOD_KEYS) + len(PER_COORDINATE))
    partial = sum(m["settled"] < m["starts"] for row in r["rows"] for k, m in row["methods"].items()
                  if k in COMPARED)
    starts_text = ", ".join(f"{N_STARTS[d]} at d = {d:,}" for d in DIMS)
    caption = (
        f"\n*Quadratics with eigenvalues log-spaced from 1 to κ = {fmt(KAPPA)}, axis-aligned or "
        "randomly rotated (Haar-random; at d = 1,000, for speed, a Kronecker product of three "
        "Haar-random 10 × 10 rotations, the eigenvalues in a random order). Gaussian starts (seeded; "
        f"{starts_text}), each scaled to loss f(x0) = 1, the rotated bowl's rotated with it. "
        f"Steps until the loss stays below {sci(TOL)} (a thousandth of the start's), counted "
        f"within {fmt(BUDGET)} steps and checked to stay there until step {HORIZON:,}; median "
        "over the starts, each method at its own tuned constant rate "
        f"({GRID_SIZE} rates log-spaced over {fmt(GRID_SPAN[1] / GRID_SPAN[0])} × its natural "
        f"step; {grid_edge} of {n_tunings} tuned rates at an edge of the grid, {settle_edge} "
        "the largest rate that settles from the most starts). Gradient descent and normalised "
        "gradient descent are rotation-equivariant: tuned on the aligned bowl, and run at that "
        "rate on the rotated bowl from the rotated starts (the paired counts differ by at most "
        f"{fmt(100 * r['floor'], 2)}%; ratios within {fmt(100 * max(AS_SAME, r['floor']), 2)}% "
        "of 1 are about the same in the prose). GD: gradient descent's median steps; NGD: normalised "
        "gradient descent; ratios below 1: fewer steps than gradient descent"
        + (f"; {PARTIAL_MARK} the tuned rate settles from only some of the starts within the "
           "budget (the others count as not settling, the median is over all)" if partial else "")
        + ". ρ_diag = Σ|H_ii| / Σ|H_ij| is the Hessian's diagonal concentration "
        "and λ̄ its mean eigenvalue (Balles, Pedregosa & Le Roux 2020, [The geometry of sign "
        "gradient descent](https://arxiv.org/abs/2002.08056)); the bound ratio = "
        "φ ρ_diag λ_max / λ̄, with φ = ‖g‖₁² / (d‖g‖₂²) the density of the start's gradient "
        "(median), is the ratio of sign descent's guaranteed decrease per step to gradient "
        "descent's: above 1 their condition for sign-based methods holds.*\n"
    )
    aligned_1000, rotated_1000 = cell(1000, "aligned"), cell(1000, "rotated")
    numbers = {
        "kappa": fmt(KAPPA),
        "dims": _dims_text(DIMS),
        "d_max": f"{max(DIMS):,}",
        "tol": sci(TOL),
        "budget": fmt(BUDGET),
        "horizon": f"{HORIZON:,}",
        "starts": fmt(N_STARTS[2]),
        "starts_largest": fmt(N_STARTS[max(DIMS)]),
        "grid_size": fmt(GRID_SIZE),
        "grid_span": fmt(GRID_SPAN[1] / GRID_SPAN[0]),
        "rates_at_grid_edge": fmt(grid_edge),
        "rates_at_settling_edge": fmt(settle_edge),
        "verdict": verdict(),
        "noise_floor": f"{fmt(100 * r['floor'], 2)}%",
        "as_same": f"{fmt(100 * max(AS_SAME, r['floor']), 2)}%",
        "rmsprop_wins_aligned": _where("rmsprop", "aligned"),
        "rmsprop_wins_rotated": _where("rmsprop", "rotated"),
        "sign_wins_aligned": _where("sign", "aligned"),
        "sign_wins_rotated": _where("sign", "rotated"),
        "adam_wins_aligned": _where("adam", "aligned"),
        "adam_wins_rotated": _where("adam", "rotated"),
        "rho_diag_1000_rotated": fmt(rotated_1000["rho_diag"], 2),
        "bound_ratio_1000_rotated": fmt(rotated_1000["bound_ratio"], 2),
        "bound_ratio_1000_aligned": fmt(aligned_1000["bound_ratio"], 2),
        "lam_ratio_1000": fmt(aligned_1000["lam_ratio"], 3),
        "gd_steps_1000": fmt(aligned_1000["methods"]["gd"]["median"]),
        "trajectory_steps": sci(r["trajectory_steps"]),
    }
    for key in COMPARED:
        for row in (aligned_1000, rotated_1000):
            numbers[f"{key}_ratio_1000_{row['bowl']}"] = ratio_text(row["methods"][key])
    return TableSpec(id=ID, markdown="\n".join(lines) + "\n" + caption, numbers=numbers)

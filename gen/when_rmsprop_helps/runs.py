"""The setting of "When does RMSprop help?": the course's bowl generalised to any condition
number κ, f = (w² + κ b²)/2, many starts, many tolerances, each method tuned per cell.

Shared by that page's figures (the κ × tolerance map, alignment, schedules). The course bowl
is κ = 20; the starts are 64 points on the circle of radius |A| around the minimum (a quarter
circle: the bowl and every method here are symmetric under w → −w and b → −b), so the answer
is about a typical start rather than the two hand-picked ones.
"""
from __future__ import annotations

import math

import numpy as np

import rmsprop_core as rc
from gen import settings as S
from gen.text import SUPERSCRIPT, fmt

KAPPAS = np.geomspace(1.0, 1e4, 9)                 # condition numbers on the map
LECTURE_KAPPA = float(S.bowl().eigenvalues.max() / S.bowl().eigenvalues.min())   # 20
TOLS = 10.0 ** -np.arange(1, 9)                    # 1e-1 … 1e-8
N_STARTS = 64
RADIUS = float(np.hypot(*S.START_A))               # |A|: the lecture's start distance
LRS = np.geomspace(1e-5, 2.0, 40)                  # wide enough for κ = 1 and κ = 10⁴
BUDGET = 1000
HORIZON = 4 * BUDGET
COMPARED = ("rmsprop", "adam", "momentum")         # each against gradient descent


def horizon(key: str) -> int:
    """The step a method's counts are checked to here: 4 × the budget, or 20 × the method's
    memory if longer (Adam's family: 20,000), as on every page (gen/settings.py)."""
    return max(HORIZON, S.horizon(key))


def starts(n: int = N_STARTS, radius: float = RADIUS) -> np.ndarray:
    """``n`` starts evenly spread over the quarter circle, none exactly on an axis."""
    theta = (np.arange(n) + 0.5) / n * (np.pi / 2)
    return np.stack([radius * np.cos(theta), radius * np.sin(theta)], axis=1)


def turned(points: np.ndarray, angle: float) -> np.ndarray:
    """``points`` (n, 2) turned by ``angle`` radians, as the bowl is: x = R z (the bowl's
    rotation, rc.objectives.quadratic(..., angle)), so a start keeps its place in the valley."""
    c, s = math.cos(angle), math.sin(angle)
    return points @ np.array([[c, -s], [s, c]]).T


def bowls(kappas, angles=None):
    """``make_objective`` for rc.tune_grid: cell c is the bowl (1, kappas[c]), rotated by
    ``angles[c]`` radians if given."""
    kappas = np.asarray(kappas, dtype=np.float64)

    def make(cell):
        lam = np.stack([np.ones(cell.size), kappas[cell]], axis=1)
        if angles is None:
            return rc.objectives.quadratic(lam)
        return rc.objectives.quadratic(lam, np.asarray(angles, dtype=np.float64)[cell])

    return make


def kappa_text(kappa: float) -> str:
    """1, 3.2, 10, 32, 100, 320, 10³, 3.2 × 10³, 10⁴: short labels for log-spaced κ."""
    exponent = int(np.floor(np.log10(kappa) + 1e-9))
    mantissa = kappa / 10.0**exponent
    if exponent < 3:
        return fmt(kappa, 2)
    power = f"10{str(exponent).translate(SUPERSCRIPT)}"
    return power if abs(mantissa - 1) < 1e-9 else f"{fmt(mantissa, 2)} × {power}"


def tol_text(tol: float) -> str:
    return f"10{str(int(round(np.log10(tol)))).translate(SUPERSCRIPT)}"


# --------------------------------------------------------------------------- ratios


def censored(counts: np.ndarray, budget: int) -> np.ndarray:
    """Counts for arithmetic: not settling (-1) counts as budget + 1, as the tuner scores."""
    return np.where(counts < 0, budget + 1, counts).astype(np.float64)


def median_ratio(method: np.ndarray, baseline: np.ndarray, budget: int):
    """Median over starts (last axis) of method / baseline steps, and what kind of number it
    is: "exact"; "at most" (the baseline does not settle within the budget at the median,
    so the true ratio is smaller); "at least" (the method does not); "neither" (both do not,
    from most starts: no verdict)."""
    m, b = censored(method, budget), censored(baseline, budget)
    ratio = np.median(m / b, axis=-1)
    m_out, b_out = method < 0, baseline < 0
    half = method.shape[-1] / 2
    neither = (m_out & b_out).sum(axis=-1) > half
    kind = np.where(neither, "neither",
                    np.where(b_out.sum(axis=-1) > half, "at most",
                             np.where(m_out.sum(axis=-1) > half, "at least", "exact")))
    return ratio, kind


def ratio_text(ratio: float, kind: str) -> str:
    if kind == "neither":
        return "neither settles"
    sign = {"exact": "", "at most": "≤ ", "at least": "≥ "}[kind]
    return sign + fmt(ratio, 2)


def finite_or_none(values, digits: int = 8):
    """A nested list for a download: rounded floats, None where the value is NaN (no rate)."""
    arr = np.asarray(values, dtype=np.float64)
    out = np.where(np.isfinite(arr), np.round(arr, digits), np.nan).tolist()

    def clean(v):
        if isinstance(v, list):
            return [clean(x) for x in v]
        return None if v != v else v

    return clean(out)

"""The rotated bowl's and the sweep's counts are horizon-stable, and their words follow them.

fig-rotated: gradient descent and normalised gradient descent are rotation-invariant (their
count at a fixed rate is the same at every angle); normalised GD's spread across angles at
its *tuned* rates is the figure's noise floor, and the verdict on RMSprop follows the floor.
fig-sweep: the quoted per-start counts hold when the run is checked twice as long.
"""
from __future__ import annotations

import math
import re

import numpy as np
import pytest

import rmsprop_core as rc
from gen import settings as S
from gen.favourable_starts import fig_rotated, fig_sweep


@pytest.fixture(scope="module")
def rotated():
    return fig_rotated.compute()


@pytest.fixture(scope="module")
def rotated_spec():
    return fig_rotated.build()


@pytest.fixture(scope="module")
def sweep():
    return fig_sweep.compute()


def _bowl(deg: float):
    return rc.objectives.quadratic(list(fig_rotated.EIGENVALUES), angle=math.radians(deg))


def _starts(deg: float):
    return fig_rotated.starts(math.radians(deg))


# --- the rotated bowl --------------------------------------------------------------------

@pytest.mark.parametrize("method, deg", [("rmsprop", 45.0), ("ngd", 90.0), ("gd", 30.0)])
def test_batched_tuning_equals_tune_lr_on_the_rotated_bowl(rotated, method, deg):
    """The figure tunes all angles in one batched run; it must pick what rc.tune_lr picks on
    the rotated bowl itself, with the same certified counts, statuses and edge."""
    j = int(np.flatnonzero(fig_rotated.ANGLES_DEG == deg)[0])
    mine = rotated[j][method]["tuning"]
    ref = rc.tune_lr(S.METHODS[method].make, _bowl(deg), _starts(deg), fig_rotated.LR_GRID,
                     fig_rotated.BUDGET, S.TOL, horizon=fig_rotated.HORIZON)
    for field in ("steps", "first_settled", "left_at", "status", "checked", "score", "converged"):
        np.testing.assert_array_equal(getattr(mine, field), getattr(ref, field), err_msg=field)
    assert (mine.best_lr, mine.best_index, mine.edge) == (ref.best_lr, ref.best_index, ref.edge)
    assert (mine.budget, mine.horizon) == (ref.budget, ref.horizon)


def test_gd_count_is_identical_at_every_angle(rotated):
    """'Gradient descent needs exactly the same number of steps at every angle'."""
    lr = rotated[0]["gd"]["lr"]
    assert all(r["gd"]["lr"] == lr for r in rotated)
    counts = set()
    for deg in fig_rotated.ANGLES_DEG:
        # gradient descent contracts: a short check suffices (counts are about 50 and 10)
        s = rc.settle(rc.gd(lr), _bowl(deg), _starts(deg), S.TOL, budget=200, horizon=800)
        assert list(s.status) == ["settled", "settled"], deg
        counts.add(tuple(s.steps.tolist()))
    assert len(counts) == 1
    assert counts == {tuple(r["gd"]["steps"].tolist()) for r in rotated}


def test_normalised_gd_is_identical_at_every_angle_at_a_fixed_rate():
    """Normalised GD is rotation-invariant: at a rate inside its settling range its count is
    the same at every angle, so its spread at tuned rates is rounding at the range's edge."""
    counts = set()
    for deg in fig_rotated.ANGLES_DEG[::2]:      # every 15° (each run checks to step 5,000)
        s = rc.settle(rc.normalized_gd(0.0111), _bowl(deg), _starts(deg), S.TOL,
                      budget=fig_rotated.BUDGET, horizon=fig_rotated.HORIZON)
        assert list(s.status) == ["settled", "settled"], deg
        counts.add(tuple(s.steps.tolist()))
    assert len(counts) == 1, counts


def test_tuned_counts_are_certified_and_inside_the_budget(rotated):
    for r in rotated:
        for key in fig_rotated.METHODS:
            s = r[key]["settling"]
            assert list(s.status) == ["settled", "settled"], (r["deg"], key)
            assert s.horizon >= 4 * s.budget and s.horizon >= 4 * int(s.steps.max())
            assert r[key]["mean"] == pytest.approx(s.steps.mean())


def _pct(text: str) -> float:
    assert text.endswith("%"), text
    return float(text[:-1]) / 100


def test_rotation_verdict_follows_the_noise_floor(rotated, rotated_spec):
    """'about the same at every angle' unless RMSprop's spread exceeds normalised GD's."""
    n = rotated_spec.numbers
    rms = fig_rotated.spread([r["rmsprop"]["mean"] for r in rotated])
    floor = fig_rotated.spread([r["ngd"]["mean"] for r in rotated])
    assert floor > 0, "normalised GD's tuned counts should vary with rounding"
    assert n["rotation_verdict"] == ("depends on the angle" if rms > floor
                                     else "about the same at every angle")
    assert _pct(n["rmsprop_spread"]) == pytest.approx(rms, abs=0.005)
    assert _pct(n["ngd_spread"]) == pytest.approx(floor, abs=0.005)
    # the quoted extremes are the curve's
    for key in ("rmsprop", "ngd"):
        means = [r[key]["mean"] for r in rotated]
        assert float(n[f"{key}_max"]) == pytest.approx(max(means), abs=0.5)
        assert float(n[f"{key}_min"]) == pytest.approx(min(means), abs=0.5)
    # caption and alt state the floor and the verdict
    for text in (rotated_spec.caption, rotated_spec.alt):
        assert n["ngd_spread"] in text and n["rmsprop_spread"] in text
    assert "about the same at every angle" in rotated_spec.caption or "depends on the angle" in rotated_spec.caption
    if n["rotation_verdict"] == "about the same at every angle":
        assert "within the floor: about the same at every angle" in rotated_spec.caption
        assert "more than the floor" not in rotated_spec.caption
    assert n["gd_invariant"] == "exactly the same"


def test_noise_floor_comes_from_the_settling_edge(rotated):
    """Normalised GD's tuned rate sits at the edge of the rates that settle at every angle."""
    assert all(r["ngd"]["edge"] == "settling-range" for r in rotated)


def test_rotated_figure_shows_the_floor_line(rotated_spec):
    names = [t.name for t in rotated_spec.figure.data]
    assert any("noise floor" in (name or "") for name in names)
    assert len(rotated_spec.numbers["gd_edge"]) and len(rotated_spec.numbers["rmsprop_edge"])


# --- the sweep ---------------------------------------------------------------------------

def _picked(counts: np.ndarray) -> list[int]:
    """A few starts: the slowest, the fastest, the median one, and starts near A and B."""
    xs = fig_sweep.starts()
    near = [int(np.argmin(np.hypot(*(xs - np.array(p)).T))) for p in (S.START_A, S.START_B)]
    order = np.argsort(counts, kind="stable")
    return sorted({int(order[-1]), int(order[0]), int(order[len(order) // 2]), *near})


@pytest.mark.parametrize("label", ["course", "steep"])
@pytest.mark.parametrize("method", ["gd", "rmsprop"])
def test_sweep_counts_hold_at_twice_the_horizon(sweep, label, method):
    r = sweep[label]
    eigen_b = {b[0]: b[1] for b in fig_sweep.BOWLS}[label]
    s = r[method]["settling"]
    rows = _picked(r[method]["counted"])
    lr = r[method]["lr"]
    check = rc.settle(S.METHODS[method].make(lr), rc.objectives.quadratic([1.0, eigen_b]),
                      fig_sweep.starts()[rows], S.TOL, budget=s.budget, horizon=2 * s.horizon)
    np.testing.assert_array_equal(check.steps, s.steps[rows])
    np.testing.assert_array_equal(check.status, s.status[rows])


def test_sweep_counts_and_words(sweep):
    spec = fig_sweep.build()
    n = spec.numbers
    for label in ("course", "steep"):
        r = sweep[label]
        tuning = r["rmsprop"]["tuning"]
        assert tuning.horizon == max(10 * tuning.budget, 10_000)
        unsettled = sum(int((r[m]["settling"].status != "settled").sum()) for m in fig_sweep.METHODS)
        assert n[f"{label}_never"] == str(unsettled)
        fraction = float(np.mean(r["rmsprop"]["counted"] > r["gd"]["counted"]))
        assert n[f"{label}_slower_pct"] == f"{round(100 * fraction)}%"
        for m in fig_sweep.METHODS:
            assert n[f"{label}_edge_{m}"] == (r[m]["tuning"].edge_text() or "inside the grid")
    # hover text is count_text's
    assert re.match(r"GD \d+ steps, RMSprop \d+ steps", spec.figure.data[0].text[0][0])

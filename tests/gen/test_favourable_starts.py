"""The claims of docs/favourable-starts.md hold on the data the build computes.

Each test names the sentence it protects. The figures are computed once per module.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

import rmsprop_core as rc
from gen.favourable_starts import fig_offset, fig_rotated, fig_starts, fig_sweep, tab_q3
from gen.home.fig_hero import START_B
from gen.text import counted


@pytest.fixture(scope="module")
def starts():
    return fig_starts.compute()


@pytest.fixture(scope="module")
def offset():
    return fig_offset.compute()


@pytest.fixture(scope="module")
def sweep():
    return fig_sweep.compute()


@pytest.fixture(scope="module")
def rotated():
    return fig_rotated.compute()


@pytest.fixture(scope="module")
def q3():
    return tab_q3.compute()


def _never_last(n: int, budget: int) -> int:
    return budget + 1 if n < 0 else int(n)


# --- Start A and start B -----------------------------------------------------------------

def test_rmsprop_needs_more_steps_than_gd_from_b_at_tuned_rates(starts):
    """Short answer: 'from start B ... RMSprop needs ... steps against gradient descent's ...'."""
    _, _, runs = starts
    r = fig_starts.row("B", "tuned")
    gd, rms = (runs[m]["steps"][r] for m in ("gd", "rmsprop"))
    assert rms > 2 * gd
    assert runs["rmsprop"]["settling"]["tuned"].status[1] == "settled"


def test_shared_alpha_is_the_lecture_rate_and_rmsprop_then_never_settles(starts):
    """'we use 2/(λ_w + λ_b)' / caption: 'with the shared α RMSprop never settles'."""
    bowl, lecture_lr, runs = starts
    lam = bowl.eigenvalues
    assert lecture_lr == pytest.approx(2 / (lam.min() + lam.max()))
    for start in ("A", "B"):
        assert runs["rmsprop"]["settling"]["lecture"].status[fig_starts.row(start, "lecture") % 2] == "never"


def test_tuned_rates_are_inside_the_grid(starts):
    """A tuned rate at the edge of the grid would not be 'its best rate'."""
    from gen import settings
    for method in fig_starts.METHODS:
        result = settings.tuning(method)
        if result.best_lr is None:
            assert method == "adam"
            continue
        assert result.edge not in ("grid-low", "grid-high"), method


def test_adam_settles_then_leaves_from_both_starts(starts):
    """'no constant rate keeps Adam within the tolerance ... it leaves at step ...'."""
    from gen import settings
    res = settings.tuning("adam")
    assert res.best_lr is None
    assert ((res.status == "left") | (res.status == "never") | (res.status == "diverged")).all()
    s = runs_settling = starts[2]["adam"]["settling"]["tuned"]
    assert (s.status == "left").all() and (s.left_at > settings.BUDGET).all()
    assert runs_settling.first_settled.max() < settings.BUDGET


# --- the tiny offset ---------------------------------------------------------------------

def test_offset_of_1e9_grows_by_orders_of_magnitude_and_oscillates(offset):
    """'even a 10⁻⁹ sideways offset grows by ... orders of magnitude ... into a cycle of about α/2'."""
    lr, _, traj, gd = offset
    w = np.abs(traj.positions[:, :, 0])
    assert fig_offset.OFFSETS[0] == 1e-9
    assert w[:, 0].max() / 1e-9 > 1e6
    tail = w[fig_offset.HORIZON // 2:, 0]
    assert np.median(tail) == pytest.approx(lr / 2, rel=0.05)
    flips = rc.metrics.sign_flips(traj, axis=0)[0]
    assert flips > 0.9 * fig_offset.HORIZON
    # gradient descent shrinks the same offset
    assert abs(gd.positions[-1, 0, 0]) < 1e-9


def test_offset_shrinks_back_then_regrows_geometrically(offset):
    """'it shrinks to ... by step ... and w grows again ... back above α/4 by step ...'."""
    lr, _, traj, _ = offset
    w = np.abs(traj.positions[:, 0, 0])
    spec = fig_offset.build()
    dip, regrown = int(spec.numbers["dip_step"]), int(spec.numbers["regrown_step"])
    assert w[dip] < 1e-5 < lr / 4 < w[regrown]
    assert dip < regrown
    # geometric regrowth: log|w| rises roughly linearly between the dip and the cycle
    rise = np.diff(np.log10(w[dip:regrown + 1]))
    assert (rise > 0).mean() > 0.7


def test_every_offset_ends_in_the_same_cycle(offset):
    """'The size of the offset hardly matters: it decides only when the cycle starts.'"""
    _, _, traj, _ = offset
    k = len(fig_offset.OFFSETS)
    ends = np.abs(traj.positions[-20:, :k, 0]).max(axis=0)
    assert ends.max() / ends.min() < 1.1


def test_first_rmsprop_step_from_b_is_as_long_sideways_as_down(offset):
    """'the sideways step is as long as the step down' (first step ≈ α/√(1−β) in each coordinate)."""
    lr, _, traj, _ = offset
    k = len(fig_offset.OFFSETS)
    first = np.abs(traj.updates[0, k - 1])        # offset 10⁻³, course variant
    assert first[0] == pytest.approx(first[1], rel=1e-3)
    assert first[1] == pytest.approx(lr / math.sqrt(1 - fig_offset.DECAY), rel=1e-3)


def test_long_memory_kills_the_cycle_and_large_eps_stops_the_growth(offset):
    """The β = 0.99 and ε > α/2 bullets."""
    lr, _, traj, _ = offset
    k = len(fig_offset.OFFSETS)
    w = np.abs(traj.positions[:, :, 0])
    long_memory = fig_offset.VARIANTS.index((0.99, fig_offset.EPS))
    assert w[-1, long_memory * k: (long_memory + 1) * k].max() < 1e-6
    large_eps = [i for i, (_, eps) in enumerate(fig_offset.VARIANTS) if eps > lr / 2]
    assert large_eps, "the figure should show an ε above α/2"
    for i in large_eps:
        rows = w[:, i * k:(i + 1) * k]
        assert np.all(rows.max(axis=0) <= np.array(fig_offset.OFFSETS) * (1 + 1e-12))
    short_memory = fig_offset.VARIANTS.index((0.5, fig_offset.EPS))
    assert w[-1, short_memory * k] > 1e-3


def test_exactly_on_the_axis_rmsprop_stays_on_it():
    """Caveat: 'A start with w = 0 exactly ... does not leave the axis'."""
    traj = rc.run(rc.rmsprop(0.02, decay=0.9, eps=1e-8), rc.objectives.bowl(), [0.0, START_B[1]], 100)
    assert np.all(traj.positions[:, 0, 0] == 0.0)


# --- the sweep ---------------------------------------------------------------------------

def test_rmsprop_is_slower_from_most_starts_on_the_course_bowl(sweep):
    """Short answer / map: the fraction of starts where RMSprop is slower (prose: 'Yes, usually')."""
    course = sweep["course"]
    assert course["slower"].mean() > 0.5
    assert np.median(course["ratio"]) > 1
    assert course["never"] == 0, "a start that never converges would distort the ratio"


def test_steeper_bowl_narrows_the_gap(sweep):
    """'On a bowl ten times steeper ... the median ratio drops'."""
    assert np.median(sweep["steep"]["ratio"]) < np.median(sweep["course"]["ratio"])
    assert sweep["steep"]["never"] == 0


def test_sweep_starts_form_an_equal_aspect_grid():
    s = fig_sweep.starts()
    assert len(s) == len(fig_sweep.W_CENTRES) * len(fig_sweep.B_CENTRES)
    assert np.allclose(np.diff(fig_sweep.W_CENTRES), fig_sweep.CELL)
    assert np.allclose(np.diff(fig_sweep.B_CENTRES), fig_sweep.CELL)


def test_quantity_word_follows_the_fraction():
    assert fig_sweep.quantity_word(1.0) == "every"
    assert fig_sweep.quantity_word(0.8) == "most"
    assert fig_sweep.quantity_word(0.1) == "few"


# --- the rotated bowl --------------------------------------------------------------------

def test_gd_steps_do_not_change_under_rotation(rotated):
    """'Gradient descent needs exactly the same number of steps at every angle'."""
    gd = np.array([r["gd"]["steps"] for r in rotated])
    assert np.all(gd == gd[0])
    assert len({r["gd"]["lr"] for r in rotated}) == 1


def test_rmsprop_angle_dependence_is_judged_against_the_noise_floor(rotated):
    """Retuned at every angle, RMSprop's largest mean count is near the diagonal, but it is a
    dependence on the angle only beyond normalised GD's spread (the noise floor, a
    rotation-invariant method's tuned counts), else 'about the same'."""
    means = np.array([r["rmsprop"]["mean"] for r in rotated])
    worst = int(np.argmax(means))
    assert 30 <= fig_rotated.ANGLES_DEG[worst] <= 60
    assert means[worst] > 1.1 * means[0]
    floor = fig_rotated.spread([r["ngd"]["mean"] for r in rotated])
    words = fig_rotated.build().numbers["rotation_verdict"]
    assert words == ("depends on the angle" if fig_rotated.spread(means) > floor
                     else "about the same at every angle")
    for r in rotated:   # no run cut off by the budget, every count horizon-stable
        assert (r["rmsprop"]["settling"].status == "settled").all()
        assert (r["gd"]["settling"].status == "settled").all()


def test_at_a_fixed_rate_rmsprop_depends_on_the_angle_beyond_rounding(rotated):
    """'At one fixed rate ... from start A it needs ... at 0° and ... at θ = ...°'."""
    fixed = np.array([r["rmsprop_fixed"] for r in rotated], dtype=float)
    assert fixed[:, 0].max() > 1.2 * fixed[0, 0]
    floor = abs(fixed[0].mean() - fixed[-1].mean()) / fixed[0].mean()
    assert fig_rotated.spread(fixed.mean(axis=1)) > 5 * floor
    assert fig_rotated.build().numbers["fixed_verdict"] == "depends on the angle"



def test_90_degrees_is_the_same_bowl_up_to_floating_point():
    """Caveat: with the axes swapped exactly, RMSprop's count equals the 0° count."""
    make = lambda: rc.rmsprop(0.015, decay=0.9, eps=1e-8)
    a = rc.run(make(), rc.objectives.quadratic([1, 20]), [[-3.5, 1.5], [0.05, 1.8]], 600)
    b = rc.run(make(), rc.objectives.quadratic([20, 1]), [[1.5, -3.5], [1.8, 0.05]], 600)
    np.testing.assert_array_equal(rc.metrics.steps_to_tolerance(a, 1e-3),
                                  rc.metrics.steps_to_tolerance(b, 1e-3))


# --- Q3 table ----------------------------------------------------------------------------

def _b(q3, key):
    return counted(q3[key]["settling"], 1)


def test_q3_rmsprop_shortens_the_vertical_step_and_needs_more_iterations(q3):
    """'More iterations, yes ... RMSprop shortens the steep b-step to about α'."""
    assert q3["rmsprop"]["first_b"] < q3["gd"]["first_b"] / 10
    assert _b(q3, "rmsprop") > _b(q3, "gd")


def test_q3_adam_arrives_but_does_not_stay(q3):
    """'Adam with momentum ... gets within the tolerance, but does not stay there'."""
    adam = q3["adam"]["settling"]
    assert not q3["adam"]["stable"] and adam.status[1] == "left"
    assert q3["gd"]["settling"].steps[1] < adam.first_settled[1] < q3["rmsprop"]["settling"].steps[1]


def test_q3_long_memory_helps_most_bias_correction_little(q3):
    """'Bias correction alone changes little ... long memory β₂ is what helps most'."""
    rms, bc, b2 = (_b(q3, k) for k in ("rmsprop", "rmsprop_bc", "adam_b1_0"))
    assert abs(bc - rms) < 0.1 * rms
    assert b2 < 0.5 * rms
    assert all(q3[k]["stable"] for k in ("rmsprop", "rmsprop_bc", "adam_b1_0"))


def test_q3_adam_first_step_is_exactly_alpha(q3):
    """Bias correction: Adam's first step is α·sign(g) in each coordinate."""
    adam = q3["adam"]
    assert adam["first_w"] == pytest.approx(adam["lr"], rel=1e-6)
    assert adam["first_b"] == pytest.approx(adam["lr"], rel=1e-6)

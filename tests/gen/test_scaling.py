"""The "Scaling vs momentum" page (docs/scaling-vs-momentum.md): every claim its prose makes
holds on the data the build computes, and the page types no number by hand."""
from __future__ import annotations

import numpy as np
import pytest

from gen import build
from gen.scaling_vs_momentum import fig_scaling_arrows, fig_scaling_state, tab_scaling
from gen.scaling_vs_momentum import runs as S
from gen.settings import BUDGET as STEPS
from gen.settings import TOL
from gen.text import fmt


def flips(method, setting):
    return S.b_sign_flips(method, setting)


@pytest.mark.parametrize("name", ["gen.scaling_vs_momentum.fig_scaling_paths", "gen.scaling_vs_momentum.fig_scaling_state",
                                  "gen.scaling_vs_momentum.fig_scaling_arrows", "gen.scaling_vs_momentum.tab_scaling"])
def test_checksum_follows_shared_modules(name):
    files = {p.name for p in build.gen_dependencies(name)}
    assert {"runs.py", "settings.py", f"{name.split('.')[-1]}.py"} <= files


def test_tuned_rates_are_inside_the_grid():
    # A best rate at the grid's edge would mean the grid, not the method, set the result.
    for m in S.METHODS:
        res = S.tuned(m)
        if res.best_lr is None:          # Adam: no rate stays within the tolerance
            assert m == "adam" and (res.status == "left").any()
            continue
        assert res.edge not in ("grid-low", "grid-high"), m
        assert S.LR_GRID[0] < res.best_lr < S.LR_GRID[-1], m


def test_lecture_rate_makes_gradient_descent_zigzag():
    lam = S.bowl().eigenvalues
    assert 1 - S.lecture_lr() * lam.max() < 0 < 1 - S.lecture_lr() * lam.min()


def test_rmsprop_evens_out_the_first_step_and_gradient_descent_does_not():
    assert tab_scaling.first_step_ratio("rmsprop", "lecture") == pytest.approx(1.0, abs=1e-6)
    assert tab_scaling.first_step_ratio("gd", "lecture") > 5


@pytest.mark.parametrize("setting", S.SETTINGS)
def test_gradient_descent_flips_b_at_every_step(setting):
    assert flips("gd", setting) == STEPS - 1


@pytest.mark.parametrize("setting", S.SETTINGS)
def test_momentum_damps_the_zigzag(setting):
    assert flips("momentum", setting) * 5 < flips("gd", setting)
    assert S.b_travel("momentum", setting) < S.b_travel("gd", setting)


def test_by_size_rmsprop_damps_more_than_momentum_but_keeps_reversing():
    """The page's finding: less travel across the valley than momentum, yet more large reversals."""
    assert S.b_travel("rmsprop", "tuned") < S.b_travel("momentum", "tuned") < S.b_travel("gd", "tuned")
    large = {m: S.b_sign_flips(m, "tuned", min_size=S.LARGE) for m in S.METHODS}
    assert large["rmsprop"] > large["gd"] > large["adam"]
    assert large["rmsprop"] > large["momentum"]
    # gradient descent's zig-zag dies out, RMSprop's persists
    assert S.b_swing_late("gd", "tuned") < 1e-6 < S.b_swing_late("rmsprop", "tuned")
    numbers = tab_scaling.build().numbers
    assert numbers["rmsprop_vs_momentum_travel"] == "less"


def test_most_of_gradient_descents_sign_changes_are_tiny():
    assert S.b_sign_flips("gd", "tuned", min_size=S.LARGE) * 10 < flips("gd", "tuned")


def test_travel_of_a_straight_path_is_its_length():
    # a run that never reverses in b travels exactly |b_0 - b*| ... or less if it stops short
    for m in S.METHODS:
        assert S.b_travel(m, "tuned") >= abs(S.START_A[1]) - 1e-3


@pytest.mark.parametrize("setting", S.SETTINGS)
def test_adam_flips_least(setting):
    adam = flips("adam", setting)
    assert all(adam < flips(m, setting) for m in S.METHODS if m != "adam")


def test_rmsprop_never_settles_at_the_lecture_rate_but_does_when_tuned():
    assert S.settling("rmsprop", "lecture").status[0] == "never"
    assert S.settling("rmsprop", "tuned").status[0] == "settled"


def test_rmsprop_late_steps_stay_about_alpha():
    c = fig_scaling_state.compute()
    assert np.all((c["rms_late_step"] > 0.5) & (c["rms_late_step"] < 1.5))
    # ... while it is still far enough from the minimum to be outside the tolerance
    assert S.bowl().value(np.array([0.0, c["rms_late_dist"]])) > TOL
    assert c["s_ratio_first"] > 10


def test_speed_verdicts_on_the_page():
    gd, mom, rms = (S.counted_steps(m, "tuned") for m in ("gd", "momentum", "rmsprop"))
    assert max(gd, mom, rms) <= STEPS
    assert rms > gd                     # "rescaling does not pay" on this bowl, from A
    adam = S.settling("adam", "tuned")
    assert adam.status[0] == "left"     # first within the tolerance, then out again
    assert gd < adam.first_settled[0] < rms
    numbers = tab_scaling.build().numbers
    assert numbers["rmsprop_vs_gd"] == "more than"
    assert "then leaves at step" in numbers["adam_steps_tuned"]


def test_momentum_tolerates_much_larger_rates():
    gd_ok, mom_ok = tab_scaling.converging_lrs("gd"), tab_scaling.converging_lrs("momentum")
    assert mom_ok.max() > 5 * gd_ok.max()
    # gradient descent's limit is its stability limit 2/λ_max, give or take a grid step
    assert gd_ok.max() < 2 / S.bowl().eigenvalues.max()


def test_arrows_decompose_adams_actual_step():
    traj, steps = fig_scaling_arrows.decompose()
    np.testing.assert_allclose(steps[:, 3, :], traj.updates[:, 0, :], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(steps[:, 0, :], -S.lecture_lr() * traj.grads[:, 0, :])
    t = fig_scaling_arrows.first_disagreement(traj)
    assert t > 0
    raw_b, momentum_b = steps[t, 0, S.B], steps[t, 2, S.B]
    assert raw_b * momentum_b < 0
    assert all(steps[s, 0, S.B] * steps[s, 2, S.B] >= 0 for s in range(t))


def test_arrows_slider_starts_there_and_redraws():
    spec = fig_scaling_arrows.build()
    slider = spec.figure.layout.sliders[0]
    assert slider.active == int(spec.numbers["start_step"]) > 0
    for step in slider.steps:
        assert step.method == "animate"
        assert step.args[1]["frame"]["redraw"] is True
    assert spec.figure.layout.yaxis.scaleanchor == "x"
    assert spec.figure.layout.yaxis2.scaleanchor == "x2"


def _inside(point, ranges) -> bool:
    (x0, x1), (y0, y1) = ranges
    return x0 <= point[0] <= x1 and y0 <= point[1] <= y1


def test_arrows_zoomed_panel_shows_every_arrow_but_the_longest():
    """At every step the magnified panel holds the point and every arrow but the longest, and its
    title states the magnification the caption quotes for the starting step."""
    traj, steps = fig_scaling_arrows.decompose()
    positions = traj.positions[:, 0, :]
    for t in range(0, steps.shape[0], 7):
        true_view, zoom_view, mag = fig_scaling_arrows.views(positions[t], steps[t])
        assert mag >= 1
        ends = positions[t] + steps[t]
        assert all(_inside(e, true_view) for e in ends)
        longest = int(np.argmax(np.linalg.norm(steps[t], axis=1)))
        assert all(_inside(e, zoom_view) for i, e in enumerate(ends) if i != longest)
    spec = fig_scaling_arrows.build()
    t = int(spec.numbers["start_step"])
    mag = fig_scaling_arrows.views(positions[t], steps[t])[2]
    assert spec.numbers["zoom"] == fmt(mag, 2)
    assert spec.figure.layout.annotations[1].text.endswith("× " + spec.numbers["zoom"])
    assert f"magnified {spec.numbers['zoom']} times" in spec.caption
    assert f"magnified {spec.numbers['zoom']} times" in spec.alt
    # the shortest arrow spans a fair part of the magnified panel at the starting step
    half_zoom = (spec.figure.layout.xaxis2.range[1] - spec.figure.layout.xaxis2.range[0]) / 2
    assert np.linalg.norm(steps[t], axis=1).min() > 0.2 * half_zoom
    # each slider frame moves both panels' ranges and the title together
    frame = spec.figure.frames[t]
    assert list(frame.layout.xaxis2.range) == list(spec.figure.layout.xaxis2.range)
    assert frame.layout.annotations[1].text == spec.figure.layout.annotations[1].text

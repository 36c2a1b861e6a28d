"""The simulator's aspect (the thread's Q6): the same runs as the replay, drawn at equal aspect and
at the simulator's canvas aspect, registered with caption and text alternative, and quoted on the
magnitude page."""
from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

from gen import registry
from gen.magnitude_effect import fig_simulator
from gen.magnitude_effect import fig_simulator_aspect as aspect
from gen.magnitude_effect import simulator as _simulator

PAGE = Path(__file__).resolve().parents[2] / "docs" / "magnitude-effect.md"


@pytest.fixture(scope="module")
def spec():
    return aspect.build()


def test_registered_with_an_id_caption_and_alt(spec):
    assert "gen.magnitude_effect.fig_simulator_aspect" in registry.figure_modules()
    assert spec.id == aspect.ID == "fig-simulator-aspect"
    for text in (spec.caption, spec.alt):
        assert spec.numbers["canvas_width"] in text and spec.numbers["canvas_height"] in text
        assert spec.numbers["rmsprop_first_angle"] + "°" in text
        assert spec.numbers["rmsprop_first_drawn_angle"] + "°" in text


def test_the_bottom_panel_is_drawn_at_the_simulators_aspect(spec):
    width, height = _simulator.CANVAS
    (x0, x1), (y0, y1) = _simulator.wells().view
    assert x1 - x0 == y1 - y0, "the simulator's view is square, so the canvas alone sets the aspect"
    layout = spec.figure.layout
    assert layout.yaxis.scaleanchor == "x" and layout.yaxis.scaleratio in (None, 1)
    assert layout.yaxis2.scaleanchor == "x2"
    assert layout.yaxis2.scaleratio == pytest.approx(height / width)
    assert float(spec.numbers["y_scale"]) == pytest.approx(height / width, abs=0.005)
    assert list(layout.xaxis.range) == list(layout.xaxis2.range)
    assert list(layout.yaxis.range) == list(layout.yaxis2.range)


def test_a_45_degree_step_is_drawn_at_about_35_degrees(spec):
    # RMSprop's first step at the simulator's settings is α/√(1 − β) in each coordinate: 45°.
    assert spec.numbers["rmsprop_first_angle"] == "45"
    assert aspect.drawn_angle(45.0) == pytest.approx(math.degrees(math.atan(125 / 180)))
    assert spec.numbers["rmsprop_first_drawn_angle"] == "35"


def test_both_panels_draw_the_replays_paths(spec):
    _wells, results = _simulator.compute()
    replay = fig_simulator.build().figure
    for figure in (spec.figure, replay):
        for key in _simulator.METHODS:
            name = _simulator.METHODS[key][0]
            traces = [t for t in figure.data if t.name == name]
            assert len(traces) == 2
        # SGD's path is drawn last in each panel, over momentum's, which runs along the same line
        paths = [t.name for t in figure.data if t.type == "scatter" and t.name in
                 {m[0] for m in _simulator.METHODS.values()}]
        assert paths[3] == paths[7] == _simulator.METHODS["sgd"][0]
    expected = np.round(results["sgd"]["runs"]["simulator"]["positions"], 4)
    sgd = [t for t in spec.figure.data if t.name == _simulator.METHODS["sgd"][0]]
    for trace in sgd:
        np.testing.assert_array_equal(np.array(trace.x), expected[:, 0])
        np.testing.assert_array_equal(np.array(trace.y), expected[:, 1])


def test_the_page_shows_it_and_answers_plainly():
    text = PAGE.read_text(encoding="utf-8")
    assert '--8<-- "generated/figures/fig-simulator-aspect.html"' in text
    section = text.split("### The simulator's aspect", 1)[1].split("\n## ", 1)[0]
    after = section.split("fig-simulator-aspect.html", 1)[1]
    assert re.search(r"changes how the paths look, not how they run", after)
    assert "{{ simulator_aspect.rmsprop_first_drawn_angle }}" in after

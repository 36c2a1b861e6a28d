"""'In the course's network': the reproduction equals the notebook's printed accuracies, the
tuned comparison is fair (ten seeds, no best rate at a grid end), and every sentence of the
page's short answers that is not a generated number is a claim about the numbers, checked here.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from gen.course_network import (
    data_course_assignment,
    fig_network_costs,
    fig_network_steady,
    fig_network_steps,
    tab_network_ablation,
    tab_network_assignment,
    tab_network_tuned,
)
from gen.course_network import runs as W

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def repro():
    return W.reproduction_results()


def test_every_published_accuracy_is_reproduced(repro):
    published = [r for r in repro if r["published"] is not None]
    assert len(published) >= 6
    for r in published:
        assert abs(r["train_accuracy"] - r["published"]) < 1e-9, r


def test_the_download_has_the_issues_schema():
    data = data_course_assignment.build().data
    methods = {"gd", "momentum", "adam", "rmsprop", "normalized_gd", "sign"}
    settings = {"assignment", "assignment-decay"}
    assert {(r["method"], r["setting"]) for r in data["rows"]} >= {(m, s) for m in methods for s in settings}
    for r in data["rows"]:
        assert r["method"] in methods and r["setting"] in settings
        assert 0 <= r["train_accuracy"] <= 100 and r["final_cost"] > 0
        assert r["published"] is None or r["method"] in W.ASSIGNMENT_METHODS
    json.dumps(data)   # plain JSON


def test_short_answer_adam_beats_gd_at_the_assignments_settings_only():
    n = tab_network_assignment.build().numbers
    assert float(n["adam_minus_gd_plain"]) >= 10          # "by ... points": a wide margin
    assert abs(float(n["adam_minus_gd_decay"])) <= 2      # with decay the gap closes
    assert n["published_agree"] == n["published_count"]


def test_short_answer_the_lead_is_the_step_length():
    n = tab_network_ablation.build().numbers
    for m in ("adam", "rmsprop"):
        assert float(n[f"{m}_length_explains_pct"]) >= 80       # "almost entirely"
        assert float(n[f"{m}_direction_explains_pct"]) <= 20


def test_tuned_comparison_is_fair_and_no_method_stands_out():
    assert W.SEEDS >= 10
    for key in W.tuned_keys():
        assert W.best(key)["edge"] is None, key                 # the page says no best is at an end
        assert len(W.GRIDS[key]) >= 3
    n = tab_network_tuned.build().numbers
    assert float(n["spread_pct"]) <= 25                         # "no method stands out"


def test_rmsprop_scales_up_the_whole_step():
    spec = fig_network_steps.build()
    assert float(spec.numbers["scale_median_start"]) > 10
    assert min(v for v in spec.data["ratio_p10"] if v is not None) >= 1


def test_favourable_parameters_are_not_slowed():
    n = fig_network_steady.build().numbers
    assert int(n["favourable"]) >= 1
    assert float(n["fav_speedup"]) > 1                          # faster than gradient descent
    assert 2 / 3 <= float(n["fav_rms"]) / float(n["rest_rms"]) <= 3 / 2   # "about the same step"


def test_adam_passes_gd_final_cost_well_before_the_end():
    n = fig_network_costs.build().numbers
    assert int(n["adam_reaches_gd_final"].replace(",", "")) < W.EPOCHS / 2


def test_page_is_in_the_nav_and_includes_every_piece():
    page = (DOCS / "course-network.md").read_text()
    for piece in ("tab-network-assignment", "fig-network-costs", "fig-network-boundaries", "tab-network-tuned",
                  "tab-network-ablation", "fig-network-steps", "fig-network-steady"):
        assert piece in page, piece
    assert "course-network.md" in (DOCS.parent / "mkdocs.yml").read_text()
    assert (DOCS / "notebooks" / "course-network.ipynb").exists()

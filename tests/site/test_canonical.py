"""One canonical experiment: every page that quotes a quantity of the course-bowl setup quotes
the same value, every quoted count is horizon-stable, and the essay speaks of the experiment,
not of its build.

The canonical setup lives in gen/settings.py. A learner who quotes one page must not be
contradicted by the next, so each group below lists every number key, on any page, that
quotes the same canonical quantity; the test fails when two of them differ or when one drifts
from gen/settings.py.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import rmsprop_core as rc
from gen import build, settings
from gen.text import count_text, fmt

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

#: quantity -> (the value gen/settings.py gives, the number keys that quote it)
def _canonical():
    tuned = {m: settings.tuned_settling(m) for m in ("gd", "momentum", "rmsprop", "adam")}
    return {
        "tolerance": (fmt(settings.TOL), ["hero.tol", "starts.tol", "scaling.tol", "lr_sweep.tol"]),
        "budget": (fmt(settings.BUDGET),
                   ["hero.steps_budget", "starts.steps_budget", "scaling.horizon", "lr_sweep.steps_budget"]),
        "check horizon": (f"{settings.HORIZON:,}",
                          ["hero.horizon", "starts.horizon", "scaling.check_horizon", "lr_sweep.horizon"]),
        "Adam's check horizon": (f"{settings.LONG_HORIZON:,}",
                                 ["hero.long_horizon", "starts.long_horizon", "scaling.long_horizon",
                                  "lr_sweep.long_horizon"]),
        "the lecture's α": (fmt(settings.lecture_lr()), ["starts.lecture_lr", "scaling.lecture_lr"]),
        "GD's tuned rate": (fmt(settings.tuned_lr("gd")),
                            ["hero.lr_gd", "starts.lr_gd", "scaling.gd_lr_tuned", "lr_sweep.gd_best_lr",
                             "offset.gd_lr"]),
        "RMSprop's tuned rate": (fmt(settings.tuned_lr("rmsprop")),
                                 ["hero.lr_rmsprop", "starts.lr_rmsprop", "scaling.rmsprop_lr_tuned",
                                  "lr_sweep.rmsprop_best_lr", "offset.lr", "rotated.fixed_lr"]),
        "momentum's tuned rate": (fmt(settings.tuned_lr("momentum")),
                                  ["starts.lr_momentum", "scaling.momentum_lr_tuned",
                                   "lr_sweep.momentum_best_lr"]),
        "Adam's rate": (fmt(settings.tuned_lr("adam")), ["starts.lr_adam", "scaling.adam_lr_tuned"]),
        "GD from A": (count_text(tuned["gd"], 0),
                      ["hero.gd_steps_a", "starts.gd_tuned_a", "scaling.gd_steps_tuned"]),
        "GD from B": (count_text(tuned["gd"], 1),
                      ["hero.gd_steps_b", "starts.gd_tuned_b", "q3.gd_steps_b"]),
        "RMSprop from A": (count_text(tuned["rmsprop"], 0),
                           ["hero.rmsprop_steps_a", "starts.rmsprop_tuned_a", "scaling.rmsprop_steps_tuned"]),
        "RMSprop from B": (count_text(tuned["rmsprop"], 1),
                           ["hero.rmsprop_steps_b", "starts.rmsprop_tuned_b", "q3.rmsprop_steps_b"]),
        "momentum from A": (count_text(tuned["momentum"], 0),
                            ["starts.momentum_tuned_a", "scaling.momentum_steps_tuned"]),
        "momentum from B": (count_text(tuned["momentum"], 1),
                            ["starts.momentum_tuned_b", "q3.momentum_steps_b"]),
        "Adam from A": (count_text(tuned["adam"], 0), ["starts.adam_tuned_a", "scaling.adam_steps_tuned"]),
        "Adam from B": (count_text(tuned["adam"], 1), ["starts.adam_tuned_b", "q3.adam_steps_b"]),
    }


@pytest.fixture(scope="module")
def numbers():
    return build.build(log=lambda *a: None)["numbers"]


@pytest.fixture(scope="module")
def canonical():
    return _canonical()


def test_every_page_quotes_the_same_canonical_values(numbers, canonical):
    for quantity, (value, keys) in canonical.items():
        quoted = {key: numbers[key] for key in keys}
        assert set(quoted.values()) == {value}, f"{quantity}: {quoted} (gen/settings.py: {value})"


def test_canonical_counts_do_not_change_with_a_run_twice_as_long():
    """The horizon check itself, repeated independently at twice the longest horizon (also for
    the short-memory methods, whose build checks stop at four times the budget)."""
    for method in ("gd", "momentum", "rmsprop", "adam", "ngd", "sign", "rmsprop_bc", "adam_b1_0",
                   "adam_no_bc"):
        lr = settings.tuned_lr(method)
        quoted = settings.settling(method, lr)
        longer = rc.settle(settings.method(method).make(lr), settings.bowl(), settings.starts(),
                           settings.TOL, settings.BUDGET, 2 * settings.LONG_HORIZON)
        assert quoted.status.tolist() == longer.status.tolist(), method
        assert quoted.steps.tolist() == longer.steps.tolist(), method


def test_an_uncertified_count_cannot_be_formatted():
    short = rc.Settling(np.array([90]), np.array(["settled"], dtype=object), np.array([90]),
                        np.array([-1]), np.array([90]), 300, 300, 1e-3)
    with pytest.raises(ValueError, match="checked to step 300 only"):
        count_text(short)


def test_gen_modules_count_only_through_settle():
    """A count in the essay comes from rc.settle (or a tuning's settling), never from a
    budget-only steps_to_tolerance: that is what makes "stays within" mean it."""
    offenders = [p.name for p in sorted((ROOT / "gen").glob("*.py"))
                 if "steps_to_tolerance(" in p.read_text(encoding="utf-8")
                 and "def steps_to_tolerance(" not in p.read_text(encoding="utf-8")]
    assert not offenders, f"budget-only counts in {offenders}"


def _rendered_pages(numbers):
    """Each essay page's Markdown with its numbers filled in, as a reader sees the words."""
    pages = {}
    for path in sorted(DOCS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\{\{\s*([\w.-]+)\s*\}\}", lambda m: numbers.get(m.group(1), "?"), text)
        text = re.sub(r"^(```|~~~).*?^\1", "", text, flags=re.S | re.M)
        text = re.sub(r"\]\([^)]*\)", "]", text)          # link targets
        pages[path.name] = text
    for path in sorted((DOCS / "generated" / "figures").glob("*.html")):
        pages[path.name] = path.read_text(encoding="utf-8")
    return pages


NARRATION = [
    r"\bthe build\b", r"\bbuild's\b", r"\ba test (checks|rebuilds)", r"<site>", r"source side",
    r"\bthe generator\b",
]


def test_no_page_says_one_times(numbers):
    for name, text in _rendered_pages(numbers).items():
        # "1 times", not the end of "3.1 times" or "21 times"
        hits = re.findall(r".{0,40}(?<![\d.,])1 times\b.{0,20}", text)
        assert not hits, f"{name}: {hits}"


def test_the_essay_does_not_narrate_its_build(numbers):
    for name, text in _rendered_pages(numbers).items():
        for pattern in NARRATION:
            hits = re.findall(r".{0,40}" + pattern + r".{0,20}", text, flags=re.I)
            assert not hits, f"{name}: {hits}"

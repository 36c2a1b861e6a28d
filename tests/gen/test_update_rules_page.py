"""docs/update-rules.md quotes only numbers the build computes, and its claims match them."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from gen import registry

PAGE = Path(__file__).resolve().parents[2] / "docs" / "update-rules.md"
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][\w-]*(?:\.[\w-]+)+)\s*\}\}")
MODULES = ("gen.update_rules.tab_conventions", "gen.update_rules.fig_first_steps", "gen.update_rules.num_rules",
           "gen.favourable_starts.fig_starts")   # the Playground links start at the shared start B


@pytest.fixture(scope="module")
def numbers():
    out = {}
    for name in MODULES:
        assert name in registry.MODULES, f"{name} is not registered"
        ns = registry.namespace(name)
        out.update({f"{ns}.{k}": v for k, v in registry.load(name).build().numbers.items()})
    return out


@pytest.fixture(scope="module")
def text():
    return PAGE.read_text(encoding="utf-8")


def test_every_placeholder_is_a_computed_number(text, numbers):
    keys = set(PLACEHOLDER.findall(text))
    assert keys, "the page quotes no computed number"
    assert keys <= set(numbers), sorted(keys - set(numbers))


def _without_front_matter(text: str) -> str:
    return re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)


def test_front_matter_has_a_description_without_digits(text):
    front = re.match(r"\A---\n(.*?)\n---\n", text, flags=re.S).group(1)
    description = re.search(r"^description:(.*)$", front, flags=re.M).group(1)
    assert description.strip() and not re.search(r"\d", description)


def test_short_answer_claims_hold(numbers):
    # "anywhere from <TF1> α to <PyTorch> α" for the same small gradient component.
    assert float(numbers["conventions.tf1_first_step_small"]) < float(numbers["conventions.pytorch_first_step_small"])
    others = [float(numbers[f"conventions.{n}_first_step_small"]) for n in ("course", "keras")]
    assert all(float(numbers["conventions.tf1_first_step_small"]) <= v <= float(numbers["conventions.pytorch_first_step_small"]) for v in others)
    # Adam's first step is α; RMSprop's is longer for every β shown.
    assert numbers["first_steps.adam_first"] == "1" == numbers["first_steps.adam_first_b"]
    assert all(float(numbers[f"first_steps.first_{k}"]) > 3 for k in ("09", "099", "0999"))
    # "Keras's first step for a small component is not the sign-like one".
    assert float(numbers["conventions.keras_first_step_small"]) < float(numbers["conventions.keras_first_step"])

"""The conventions table states each framework's RMSprop rule; the engine must follow it.

The test reads the GENERATED Markdown table (what readers see), rebuilds each row's update rule
from its cells alone (ε placement, β, initial S, ε, bias correction), computes the first step by
hand and checks it against one step of rc.run with that framework's preset, and against the
table's own first-step columns.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

import rmsprop_core as rc
from gen.update_rules import tab_conventions as tab

SUPERSCRIPT_BACK = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def _number(cell: str) -> float:
    cell = cell.strip()
    if cell.startswith("10") and len(cell) > 2 and not cell[2:].isascii():
        return 10.0 ** int(cell[2:].translate(SUPERSCRIPT_BACK))
    return float(cell)


@pytest.fixture(scope="module")
def table():
    """The generated table as {preset name: {header: cell}}."""
    markdown = tab.build().markdown
    lines = [line for line in markdown.splitlines() if line.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    by_label = {tab.SHORT[name]: name for name in tab.ORDER}
    out = {}
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        row = dict(zip(header, cells))
        out[by_label[row["convention"]]] = row
    return out


def test_table_has_every_preset(table):
    assert set(table) == set(rc.RMSPROP_PRESETS) == set(tab.ORDER)


def _stated_first_step(row: dict, lr: float, g: np.ndarray) -> np.ndarray:
    """The first update the table's cells describe: S₁ = βS₀ + (1−β)g², then the division."""
    beta, s0, eps = _number(row["default β"]), _number(row["initial S"]), _number(row["default ε"])
    s1 = beta * s0 + (1 - beta) * g**2
    if row["bias correction"] == "yes":
        s1 = s1 / (1 - beta)
    else:
        assert row["bias correction"] == "no"
    form = row["divide dW by"]
    if form == r"\(\sqrt{S+\varepsilon}\)":
        denom = np.sqrt(s1 + eps)
    elif form == r"\(\sqrt{S}+\varepsilon\)":
        denom = np.sqrt(s1) + eps
    else:
        raise AssertionError(f"unrecognised ε placement {form!r}")
    return -lr * g / denom


@pytest.mark.parametrize("name", tab.ORDER)
def test_one_step_of_each_preset_follows_the_table(table, name):
    row = table[name]
    lr = tab.PROBE_LR if row["default α"] == "none" else _number(row["default α"])
    assert (rc.RMSPROP_PRESETS[name].default_lr is None) == (row["default α"] == "none")
    # Gradients of many sizes and both signs, not only the table's probes.
    g = np.array([1.0, -0.001, 37.0, -2e-5, 0.05])
    traj = rc.run(rc.rmsprop_preset(name, lr=lr), rc.objectives.linear(g), np.zeros(g.size), steps=1)
    np.testing.assert_allclose(traj.updates[0, 0], _stated_first_step(row, lr, g), rtol=1e-12, atol=0)


@pytest.mark.parametrize("name", tab.ORDER)
def test_first_step_columns_match_the_stated_rule(table, name):
    row = table[name]
    lr = tab.PROBE_LR if row["default α"] == "none" else _number(row["default α"])
    for g in tab.PROBE_GRADS:
        stated = abs(_stated_first_step(row, lr, np.array([g]))[0]) / lr
        cell = row[f"first step, dW = {tab.fmt(g)}"]
        assert cell.endswith(" α")
        assert math.isclose(_number(cell[:-2]), stated, rel_tol=5e-3), (name, g, cell, stated)


def test_the_frameworks_really_disagree(table):
    # The page's claim: the same gradient gives first steps that differ between conventions.
    small = [_number(table[n][f"first step, dW = {tab.fmt(tab.PROBE_GRADS[1])}"][:-2]) for n in tab.ORDER]
    assert max(small) / min(small) > 100
    # S₀ = 0 conventions with ε outside take a sign-like first step: the same for both probes.
    for name in ("course", "pytorch"):
        large, tiny = (table[name][f"first step, dW = {tab.fmt(g)}"] for g in tab.PROBE_GRADS)
        assert large == tiny
        assert math.isclose(_number(large[:-2]), 1 / math.sqrt(1 - _number(table[name]["default β"])), rel_tol=5e-3)

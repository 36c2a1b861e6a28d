"""Every docstring example in rmsprop_core runs and prints what it says."""

import doctest
import importlib

import pytest

MODULES = [
    "rmsprop_core",
    "rmsprop_core.objectives",
    "rmsprop_core.transforms",
    "rmsprop_core.optimizers",
    "rmsprop_core.run",
    "rmsprop_core.metrics",
    "rmsprop_core.settling",
    "rmsprop_core.schedules",
    "rmsprop_core.tuning",
    "rmsprop_core.network",
    "rmsprop_core.formula",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no docstring example"
    assert result.failed == 0

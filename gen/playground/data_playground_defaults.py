"""The Playground's constants as ``docs/generated/data/playground-defaults.json``: each
surface's view box and minimum, each method's defaults, the bound, the lecture's start and α,
all read from the core by gen/playground/defaults.py (see there; hooks/playground_defaults.py
ships the file to the browser as a script).
"""
from __future__ import annotations

import math

from gen.playground.defaults import build_data
from gen.spec import DataSpec

ID = "playground-defaults"
COST = 1


def build() -> DataSpec:
    data = build_data()
    if not all(math.isfinite(s["min_value"]) for s in data["surfaces"].values()):
        raise ValueError("a registered surface has no finite minimum value")
    return DataSpec(ID, data)


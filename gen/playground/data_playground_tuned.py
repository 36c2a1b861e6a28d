"""Tuned learning rates for the Playground's "Tuned rates" button.

For every surface with a minimum and every method of the page, the constant learning rate
that reaches the minimum fastest (``rmsprop_core.tune_lr``: mean over a few starts of the
steps after which the loss stays within a tolerance) with the method's other
hyperparameters at the course's defaults. The page loads the result from
``docs/generated/data/playground-tuned.json``; it never tunes in the browser.

Registered in gen/registry.py: ``python -m gen`` writes the file (``build()`` returns a
DataSpec; deterministic bytes: sorted keys, learning rates from a fixed grid).
``python -m gen.playground.data_playground_tuned [path]`` writes it on its own.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

import rmsprop_core as rc
from gen.spec import DataSpec

ID = "playground-tuned"
COST = 13   # rough seconds to build (gen/build.py starts the longest first)
OUTPUT = Path("docs/generated/data") / f"{ID}.json"

#: Method ids as on the page, with the optimizer each id builds from an array of rates.
METHODS = {
    "gd": lambda lr: rc.gd(lr),
    "momentum": lambda lr: rc.momentum(lr, decay=0.9, form="ema"),
    "rmsprop": lambda lr: rc.rmsprop(lr, decay=0.9, eps=1e-8),
    "adam": lambda lr: rc.adam(lr, b1=0.9, b2=0.999, eps=1e-8),
    "ngd": lambda lr: rc.normalized_gd(lr),
    "sign": lambda lr: rc.sign_descent(lr),
}

#: Per surface: starts spread over the view box, steps and tolerance of the tuning runs.
#: The saddle has no minimum, so there is nothing to tune for it.
SURFACES = {
    # Starts off any lattice of round numbers: sign descent could otherwise land exactly on
    # the minimum and look perfect.
    "bowl": dict(starts=[[-3.5, 1.23], [-1.07, -1.9], [3.01, 0.53], [2.13, 1.47]], steps=300, tol=1e-3),
    "rotated": dict(starts=[[-3.03, 1.07], [2.5, 3.1], [1.11, -2.97], [-2.02, -1.73]], steps=300, tol=1e-3),
    "rosenbrock": dict(starts=[[-1.5, 2.03], [0.53, -0.47], [-1.07, 0.13]], steps=3000, tol=1e-3),
    "beale": dict(starts=[[1.03, 1.53], [-1.07, -1.03], [2.03, -1.47]], steps=1000, tol=1e-3),
    "two-wells": dict(starts=[[-1.83, 1.21], [0.03, -1.47], [-0.53, 0.83]], steps=300, tol=1e-3),
}

#: Runs are checked to this many times their budget (the playground shows the run, not a count).
CHECK_FACTOR = 4

#: The candidate learning rates: 61 values, 12 per decade, from 1e-4 to 10.
LRS = np.round(np.geomspace(1e-4, 10.0, 61), 12)


def _tune(surface_id: str, method: str) -> dict:
    spec = SURFACES[surface_id]
    # checked to 4 × the budget: a rate that settles and leaves again soon after is not
    # offered (the essay's canonical counts are checked much further, gen/settings.py)
    res = rc.tune_lr(METHODS[method], rc.objectives.get(surface_id), np.array(spec["starts"]),
                     LRS, spec["steps"], spec["tol"], horizon=CHECK_FACTOR * spec["steps"])
    if res.best_lr is None:
        return {"lr": None, "mean_steps": None}
    return {"lr": float(f"{res.best_lr:.6g}"), "mean_steps": float(f"{res.best_score:.6g}")}


def build_data() -> dict:
    """The tuned rates: {"surfaces": {id: {"methods": {method: {"lr", "mean_steps"}}, ...}}}."""
    surfaces = {}
    for surface_id, spec in SURFACES.items():
        surfaces[surface_id] = {
            "starts": spec["starts"],
            "steps": spec["steps"],
            "tol": spec["tol"],
            "methods": {m: _tune(surface_id, m) for m in METHODS},
        }
    return {
        "generated_by": "gen/playground/data_playground_tuned.py (do not edit by hand)",
        "criterion": (
            "For each method, the learning rate (of 61 from 1e-4 to 10, evenly spaced on a log "
            "scale) with the lowest mean, over the starts listed, of the number of steps after "
            "which the loss stays within tol of the minimum (checked to stay there for 4 times the steps); other hyperparameters at the "
            "course's defaults (decay 0.9, eps 1e-8, Adam 0.9/0.999). The saddle has no minimum "
            "and is not tuned; the rotated bowl is tuned at its default angle, 45 degrees."
        ),
        "surfaces": surfaces,
    }


def build() -> DataSpec:
    return DataSpec(ID, build_data())


def write(path: Path = OUTPUT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(build_data(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    out = write(Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT)
    print(f"wrote {out}")

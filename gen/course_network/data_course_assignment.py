"""The reproduced assignment as a download: ``docs/generated/data/course-assignment.json``,
one row per optimizer and setting — our training accuracy (percent), the notebook's printed
one (or null) and the final full-data cost (gen/course_network/runs.py computes them)."""
from __future__ import annotations

from gen.course_network import runs as W
from gen.spec import DataSpec

ID = "course-assignment"
COST = 1


def build() -> DataSpec:
    rows = [{"method": r["method"], "setting": r["setting"], "decay": r["decay"], "lr": r["lr"],
             "train_accuracy": round(r["train_accuracy"], 6),
             "published": None if r["published"] is None else round(r["published"], 6),
             "final_cost": round(r["final_cost"], 8)} for r in W.reproduction_results()]
    return DataSpec(ID, {"rows": rows, "epochs": W.EPOCHS, "batch_size": 64,
                         "init_seed": W.INIT_SEED, "shuffle_seed": W.SHUFFLE_SEED,
                         "notebook": "DLS Course 2, Week 2, 'Optimization Methods' (2021 version, 5,000 epochs)"})

"""The assignment's table reproduced: training accuracy after 5,000 epochs for each optimizer
at the notebook's settings (learning rate 0.0007) and with its learning-rate decay
(``schedule_lr_decay``, and gradient descent with ``update_lr``), ours beside the accuracy
the notebook prints, with RMSprop, normalised gradient descent and sign descent added.

Every run starts from the notebook's initialisation (seed 3) and uses its shuffling (seed
10): one run each, as in the notebook; the tuned comparison (tab-network-tuned) has the
spread over seeds.
"""
from __future__ import annotations

from gen.course_network import runs as W
from gen.spec import TableSpec
from gen.text import fmt

ID = "tab-network-assignment"
COST = 25   # rough seconds to build (5,000 epochs of 17 networks side by side)

SETTING_WORDS = {("assignment", None): "α = 0.0007",
                 ("assignment-decay", "schedule_lr_decay"): "decay: schedule_lr_decay",
                 ("assignment-decay", "update_lr"): "decay: update_lr"}


def build() -> TableSpec:
    rows = W.reproduction_results()
    lines = ["| method | setting | learning rate | training accuracy, ours | printed by the notebook | final cost |",
             "|---|---|---:|---:|---:|---:|"]
    order = sorted(rows, key=lambda r: (r["setting"] != "assignment", r["decay"] or "", list(W.METHODS).index(r["method"])))
    for r in order:
        pub = W.percent(r["published"]) if r["published"] is not None else "—"
        lr = fmt(r["lr"]) + (" at the start" if r["decay"] else "")
        lines.append(f"| {W.name(r['method'])} | {SETTING_WORDS[r['setting'], r['decay']]} | {lr} | "
                     f"{W.percent(r['train_accuracy'])} | {pub} | {fmt(r['final_cost'])} |")
    published = [r for r in rows if r["published"] is not None]
    agree = sum(abs(r["train_accuracy"] - r["published"]) < 1e-9 for r in published)
    numbers = {"published_count": fmt(len(published)), "published_agree": fmt(agree),
               "epochs": f"{W.EPOCHS:,}", "lr": fmt(W.LR), "decay_lr_ours": fmt(W.DECAY_LR_OURS),
               "init_seed": fmt(W.INIT_SEED), "shuffle_seed": fmt(W.SHUFFLE_SEED)}
    # the setting in words for the page (the assignment's, from rmsprop_core.network)
    netw = W.network()
    numbers.update({"course": "Course 2, Week 2", "version": "2021",
                    "layers": "[" + ", ".join(str(v) for v in netw.layers) + "]",
                    "points": fmt(netw.m), "batch": fmt(netw.batch_size),
                    "last_batch": fmt(netw.m - (netw.steps_per_epoch - 1) * netw.batch_size),
                    "params": fmt(netw.dim), "beta": fmt(W.BETA), "b1": fmt(W.B1), "b2": fmt(W.B2),
                    "eps": "10⁻⁸" if W.EPS == 1e-8 else fmt(W.EPS), "interval": "1,000"})
    for r in rows:
        tag = f"{r['method']}_{'plain' if r['setting'] == 'assignment' else r['decay']}"
        numbers[f"{tag}_acc"] = W.percent(r["train_accuracy"])
        numbers[f"{tag}_cost"] = fmt(r["final_cost"])
    gd, adam = W.find(rows, "gd", "assignment"), W.find(rows, "adam", "assignment")
    numbers["adam_minus_gd_plain"] = fmt(adam["train_accuracy"] - gd["train_accuracy"], 3)
    gd_d = W.find(rows, "gd", "assignment-decay", "schedule_lr_decay")
    adam_d = W.find(rows, "adam", "assignment-decay", "schedule_lr_decay")
    numbers["adam_minus_gd_decay"] = fmt(adam_d["train_accuracy"] - gd_d["train_accuracy"], 3)
    markdown = "\n".join(lines) + "\n"
    markdown += (f"\nOne run each from the notebook's initialisation (seed {numbers['init_seed']}) and shuffling "
                 f"(seed {numbers['shuffle_seed']}), {numbers['epochs']} epochs, mini-batches of 64, as the 2021 "
                 f"notebook runs them. \"—\": the notebook has no such run (ours), or prints no accuracy for it. "
                 f"Decay runs start at the notebook's rate for each optimizer (0.1 for gradient descent and "
                 f"momentum, 0.01 for Adam); RMSprop, normalised GD and sign descent start at Adam's.\n")
    return TableSpec(id=ID, markdown=markdown, numbers=numbers)

"""The setting of "In the course's network": the Deep Learning Specialization's Course 2,
Week 2 assignment "Optimization Methods" — the [2, 5, 2, 1] network on its 300 moons, mini-
batches of 64, its initialisation and shuffling (rc.network, which reproduces the notebook's
printed accuracies and costs exactly) — and the runs every figure of the page reads.

The page reproduces the 2021 notebook (5,000 epochs, with its learning-rate decay section);
the older notebook ran 10,000 epochs at the same settings (rc.network.COURSE_SETTINGS has
both). All methods of a run share one batched run (rc.stack): the network costs about the
same per call for one row as for twenty, so six methods side by side cost one run, not six.

Three runs:
- ``reproduction()``: the notebook's runs at its own initialisation (seed 3) and shuffling
  (seed 10), each optimizer at the notebook's settings, plus RMSprop, normalised gradient
  descent and sign descent at the same settings, and the direction × length hybrids at the
  assignment's rate (Q5);
- ``tuned()``: every method at each rate of its own log grid over SEEDS seeds of
  initialisation and shuffling, 5,000 epochs (the tuned comparison);
- ``rmsprop_state()``: RMSprop at the assignment's rate with its state recorded, for the
  per-parameter evidence.
"""
from __future__ import annotations

import functools

import numpy as np

import rmsprop_core as rc
from gen.text import fmt
from rmsprop_core import network as net
from rmsprop_core import transforms as T

EPOCHS = 5_000                 # the 2021 notebook's num_epochs
LR = 0.0007                    # the assignment's learning rate (every optimizer)
DECAY_LR = {"gd": 0.1, "momentum": 0.1, "adam": 0.01}   # the decay section's initial rates
#: our methods' initial rate with decay: Adam's (they, too, take steps of about α)
DECAY_LR_OURS = 0.01
BETA, B1, B2, EPS = 0.9, 0.9, 0.999, 1e-8
SEEDS = 10                     # initialisations × shufflings for the tuned comparison
INIT_SEED, SHUFFLE_SEED = 3, 10  # the assignment's
SHUFFLE_STRIDE = 10_000        # seed i shuffles with 10 + 10,000·i: no epoch seed is shared

#: method key -> (name, colour, dash, optimizer factory lr -> transform)
METHODS = {
    "gd": ("Gradient descent", "#1f77b4", "solid", lambda lr: rc.gd(lr)),
    "momentum": ("Momentum", "#2ca02c", "dot", lambda lr: rc.momentum(lr, BETA)),
    "adam": ("Adam", "#9467bd", "dash", lambda lr: rc.adam(lr, B1, B2, EPS)),
    "rmsprop": ("RMSprop", "#d62728", "solid", lambda lr: rc.rmsprop(lr, decay=BETA, eps=EPS)),
    "normalized_gd": ("Normalised GD", "#17becf", "solid", lambda lr: rc.normalized_gd(lr)),
    "sign": ("Sign descent", "#ff7f0e", "solid", lambda lr: rc.sign_descent(lr)),
}
ASSIGNMENT_METHODS = ("gd", "momentum", "adam")          # what the notebook compares

#: Q5: one method's direction at another's step length (rc.direction_with_length_of)
HYBRIDS = {
    "gd_dir_adam_len": ("GD direction, Adam's length", "#8c564b",
                        lambda lr: rc.direction_with_length_of(lr, T.identity(), T.scale_by_adam(B1, B2, EPS))),
    "adam_dir_gd_len": ("Adam's direction, GD length", "#e377c2",
                        lambda lr: rc.direction_with_length_of(lr, T.scale_by_adam(B1, B2, EPS), T.identity())),
    "gd_dir_rms_len": ("GD direction, RMSprop's length", "#bcbd22",
                       lambda lr: rc.direction_with_length_of(lr, T.identity(), T.scale_by_rms(BETA, EPS))),
    "rms_dir_gd_len": ("RMSprop's direction, GD length", "#7f7f7f",
                       lambda lr: rc.direction_with_length_of(lr, T.scale_by_rms(BETA, EPS), T.identity())),
}

#: each method's grid for the tuned comparison: three rates half a decade apart around the
#: best of a one-seed scan over 10⁻⁴ … 1 (a test checks that no best rate sits at an end)
GRIDS = {
    "gd": (0.03, 0.1, 0.3),
    "momentum": (0.3, 1.0, 3.0),
    "adam": (0.003, 0.01, 0.03),
    "rmsprop": (0.01, 0.03, 0.1),
    "normalized_gd": (0.01, 0.03, 0.1),
    "sign": (0.001, 0.003, 0.01),
}


def name(key: str) -> str:
    return METHODS[key][0] if key in METHODS else HYBRIDS[key][0]


def colour(key: str) -> str:
    return METHODS[key][1] if key in METHODS else HYBRIDS[key][1]


def network(shuffle_seed=SHUFFLE_SEED) -> net.Network:
    return net.course_network(shuffle_seed=shuffle_seed)


def steps_per_epoch() -> int:
    return network().steps_per_epoch


def data():
    """(X (m, 2), y (m,)): the assignment's 300 points."""
    X, Y = net.course_data()
    return X.T, Y[0]


def decay_schedule(lr: float):
    """The notebook's ``schedule_lr_decay`` (decay_rate 1, every 1,000 epochs), in steps."""
    return rc.schedules.schedule_lr_decay(lr, 1.0, 1000, steps_per_epoch=steps_per_epoch(), lag=1)


def reproduction_rows() -> list[tuple]:
    """(key, setting, decay name or None, initial rate, published accuracy or None)."""
    published = {(s.optimizer, s.decay): s for s in net.COURSE_SETTINGS if s.version == "2021"}
    rows = []
    for key in METHODS:
        acc = published.get((key, None))
        rows.append((key, "assignment", None, LR, acc.accuracy if acc else None))
    for key in METHODS:
        lr = DECAY_LR.get(key, DECAY_LR_OURS)
        acc = published.get((key, "schedule_lr_decay"))
        rows.append((key, "assignment-decay", "schedule_lr_decay", lr, acc.accuracy if acc else None))
    gd_update = published[("gd", "update_lr")]
    rows.append(("gd", "assignment-decay", "update_lr", gd_update.lr, gd_update.accuracy))
    for key in HYBRIDS:
        rows.append((key, "assignment", None, LR, None))
    return rows


def _optimizer(key: str, decay: str | None, lr: float):
    if decay == "schedule_lr_decay":
        lr = decay_schedule(lr)
    elif decay == "update_lr":
        lr = rc.schedules.update_lr(lr, 1.0, steps_per_epoch=steps_per_epoch(), lag=1)
    return (METHODS[key][3] if key in METHODS else HYBRIDS[key][2])(lr)


@functools.cache
def reproduction() -> rc.Trajectory:
    """Every reproduction row from the assignment's initialisation, in one run, positions
    kept (float32) for the decision boundaries and the epochs' costs."""
    rows = reproduction_rows()
    opt = rc.stack(*((_optimizer(k, decay, lr), 1) for k, _, decay, lr, _ in rows))
    x0 = np.tile(net.initial_parameters(seed=INIT_SEED), (len(rows), 1))
    return rc.run(opt, network(), x0, steps=network().steps_for(EPOCHS), record="loss",
                  loss_every=steps_per_epoch())


def reproduction_results() -> list[dict]:
    """One dict per reproduction row (hybrids excluded): method, setting, decay, lr,
    published, ours (accuracy, final cost)."""
    traj = reproduction()
    X, y = data()
    acc = net.accuracy(traj.final, X, y)
    out = []
    for (key, setting, decay, lr, published), a, c in zip(reproduction_rows(), acc, traj.loss[-1]):
        if key in HYBRIDS:
            continue
        out.append({"method": key, "setting": setting, "decay": decay, "lr": lr,
                    "train_accuracy": float(a), "published": published, "final_cost": float(c)})
    return out


def find(rows, key, setting, decay=None) -> dict:
    for r in rows:
        if r["method"] == key and r["setting"] == setting and r["decay"] == (decay if setting != "assignment" else None):
            return r
    raise KeyError((key, setting, decay))


def tuned_keys() -> list[str]:
    return list(METHODS)


def tuned_layout() -> list[tuple[str, float]]:
    """(key, rate) of each block of SEEDS rows in :func:`tuned`, in order."""
    return [(k, lr) for k in tuned_keys() for lr in GRIDS[k]]


def seeds() -> tuple[np.ndarray, np.ndarray]:
    """(initialisation seeds, shuffle seeds) of the SEEDS seeds; seed 0 is the assignment's."""
    i = np.arange(SEEDS)
    return INIT_SEED + i, SHUFFLE_SEED + SHUFFLE_STRIDE * i


@functools.cache
def tuned() -> rc.Trajectory:
    """Every method at every rate of its grid, over SEEDS seeds: one run, the full-data cost
    at the start and the end (only the final cost is read; the cost of 180 networks on all
    300 points at every epoch was a third of the run)."""
    layout = tuned_layout()
    init, shuffle = seeds()
    opt = rc.stack(*((METHODS[k][3](lr), SEEDS) for k, lr in layout))
    x0 = np.tile(net.initial_parameters(seed=init), (len(layout), 1))
    obj = network(np.tile(shuffle, len(layout)))
    steps = obj.steps_for(EPOCHS)
    return rc.run(opt, obj, x0, steps=steps, record="loss", loss_every=steps)


def tuned_final() -> np.ndarray:
    """Final full-data cost, (methods, rates, seeds)."""
    cost = tuned().loss[-1]
    return cost.reshape(len(tuned_keys()), -1, SEEDS)


@functools.cache
def tuned_accuracy() -> np.ndarray:
    X, y = data()
    acc = net.accuracy(tuned().final, X, y)
    acc = acc.reshape(len(tuned_keys()), -1, SEEDS)
    acc.setflags(write=False)      # cached: shared by every caller of best()
    return acc


def best(key: str) -> dict:
    """The rate with the lowest median final cost over the seeds, its spread and accuracy."""
    m = tuned_keys().index(key)
    cost, acc = tuned_final()[m], tuned_accuracy()[m]
    med = np.median(cost, axis=1)
    i = int(np.argmin(med))
    p10, p90 = np.percentile(cost[i], [10, 90])
    a10, a50, a90 = np.percentile(acc[i], [10, 50, 90])
    grid = GRIDS[key]
    edge = "grid-low" if i == 0 else "grid-high" if i == len(grid) - 1 else None
    return {"lr": grid[i], "index": i, "cost": float(med[i]), "cost_p10": float(p10), "cost_p90": float(p90),
            "acc": float(a50), "acc_p10": float(a10), "acc_p90": float(a90), "edge": edge,
            "costs": cost[i], "accs": acc[i]}


@functools.cache
def rmsprop_state() -> rc.Trajectory:
    """RMSprop at the assignment's rate from its initialisation, positions and state (S)
    recorded: the per-parameter evidence."""
    return rc.run(METHODS["rmsprop"][3](LR), network(), net.initial_parameters(seed=INIT_SEED),
                  steps=network().steps_for(EPOCHS), record_state=True, dtype=np.float32)


def parameter_measures() -> dict:
    """Per-parameter evidence from :func:`rmsprop_state` (see gen/course_network/fig_network_steps.py):
    RMSprop's step ÷ gradient descent's at the same α and gradient, 1/(√S + ε), per step and
    parameter (NaN where the gradient is exactly zero: a parameter behind a ReLU that does
    not fire moves under neither method); the gradients the run used; the angle between the
    step and −g per step."""
    traj = rmsprop_state()
    S = traj.state_history("nu")[1:, 0].astype(np.float64)          # S after step t's gradient
    u = traj.updates[:, 0].astype(np.float64)
    scale = 1.0 / (np.sqrt(S) + EPS)
    g = -u / (LR * scale)                                             # the gradients the run used
    moving = g != 0
    ratio = np.where(moving, scale, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = -(u * g).sum(axis=1) / (np.linalg.norm(u, axis=1) * np.linalg.norm(g, axis=1))
    angle = np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
    return {"ratio": ratio, "g": g, "u": u, "angle": angle, "moving": moving}


def percent(value: float) -> str:
    return f"{fmt(value, 3)}%"

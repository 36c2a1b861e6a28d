"""The assignment's comparison, reproduced: the full-data cost at the start of every epoch
for each optimizer, at the notebook's learning rate (0.0007) and with its learning-rate decay.

At 0.0007 gradient descent and momentum have barely started after 5,000 epochs while Adam,
RMSprop and sign descent — whose steps are about α long in every coordinate, whatever the
gradient's size — are done; with the decay section's larger starting rates every method
ends in the same place.
"""
from __future__ import annotations

import plotly.graph_objects as go

from gen.course_network import runs as W
from gen.spec import FigureSpec
from gen.text import fmt

ID = "fig-network-costs"
COST = 1
EVERY = 10          # plot every 10th epoch (the data download has them all at this spacing)
SETTINGS = (("assignment", None, "α = 0.0007 (the assignment)"),
            ("assignment-decay", "schedule_lr_decay", "with schedule_lr_decay"))


def _rows(setting, decay):
    return {r[0]: i for i, r in enumerate(W.reproduction_rows())
            if r[0] in W.METHODS and r[1] == setting and r[2] == decay}


def build() -> FigureSpec:
    traj = W.reproduction()
    epochs = list(range(0, W.EPOCHS + 1, EVERY))
    curves = {s: {k: [round(float(v), 5) for v in traj.loss[::EVERY, i]] for k, i in _rows(s, d).items()}
              for s, d, _ in SETTINGS}
    first = SETTINGS[0][0]
    fig = go.Figure()
    for key in W.METHODS:
        _, colour, dash, _ = W.METHODS[key]
        fig.add_trace(go.Scatter(x=epochs, y=curves[first][key], mode="lines", name=W.name(key),
                                 line=dict(color=colour, width=2, dash=dash),
                                 hovertemplate="epoch %{x}: cost %{y:.3f}<extra>" + W.name(key) + "</extra>"))
    fig.update_layout(
        height=440, margin=dict(l=60, r=20, t=60, b=60),
        xaxis=dict(title=dict(text="epoch")),
        yaxis=dict(title=dict(text="cost (full data)"), type="log"),
        legend=dict(orientation="h", x=0, y=-0.2, xanchor="left", yanchor="top"),
        updatemenus=[dict(type="buttons", direction="right", active=0, showactive=True, name="Setting",
                          x=0, y=1.02, xanchor="left", yanchor="bottom",
                          buttons=[dict(label=label, method="restyle",
                                        args=[{"y": [curves[s][k] for k in W.METHODS]}])
                                   for s, _, label in SETTINGS])],
    )
    final = {s: {k: curves[s][k][-1] for k in W.METHODS} for s, _, _ in SETTINGS}
    n = {"epochs": f"{W.EPOCHS:,}", "lr": fmt(W.LR)}
    for s, _, _ in SETTINGS:
        for k in W.METHODS:
            n[f"{k}_{'plain' if s == 'assignment' else 'decay'}"] = fmt(final[s][k])
    # the epoch at which Adam's cost first falls below gradient descent's final cost at 0.0007
    adam = curves["assignment"]["adam"]
    gd_final = final["assignment"]["gd"]
    n["adam_reaches_gd_final"] = fmt(next(e for e, c in zip(epochs, adam) if c <= gd_final))
    data = {"epoch": epochs, "cost": curves, "settings": {s: label for s, _, label in SETTINGS},
            "note": "full-data cost (mean cross-entropy over the 300 points) at the start of every "
                    f"{EVERY}th epoch, the notebook's initialisation and shuffling"}
    caption = (
        f"The cost over {n['epochs']} epochs of the assignment's network, each optimizer from the notebook's "
        f"initialisation. At the assignment's α = {n['lr']} (first button) gradient descent ends at "
        f"{n['gd_plain']} and momentum at {n['momentum_plain']}, a cost Adam passes by epoch "
        f"{n['adam_reaches_gd_final']}; Adam ends at {n['adam_plain']}, RMSprop at {n['rmsprop_plain']}. With the "
        f"decay section's larger starting rates (second button) gradient descent ends at {n['gd_decay']}, "
        f"Adam at {n['adam_decay']}."
    )
    alt = (
        f"Line chart of the full-data cost (log scale) against the epoch, 0 to {n['epochs']}, for gradient descent, "
        f"momentum, Adam, RMSprop, normalised GD and sign descent. At α = {n['lr']}: final costs gradient descent "
        f"{n['gd_plain']}, momentum {n['momentum_plain']}, Adam {n['adam_plain']}, RMSprop {n['rmsprop_plain']}, "
        f"normalised GD {n['normalized_gd_plain']}, sign descent {n['sign_plain']}. With schedule_lr_decay: "
        f"{n['gd_decay']}, {n['momentum_decay']}, {n['adam_decay']}, {n['rmsprop_decay']}, "
        f"{n['normalized_gd_decay']}, {n['sign_decay']}."
    )
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=data, numbers=n,
                      title="Cost per epoch in the course's network")

r"""Numbers for "The update rules": equivalences between the rules, checked by running them.

* Momentum in the course's EMA form, :math:`V \leftarrow \beta V + (1-\beta)dW`,
  :math:`W \leftarrow W - \alpha V`, is heavy ball :math:`V \leftarrow \beta V + dW`,
  :math:`W \leftarrow W - \alpha' V` with :math:`\alpha' = \alpha(1-\beta)`. Both are run on
  the course bowl; the largest difference between the two trajectories is reported.
* RMSprop with :math:`\beta = 0, \varepsilon = 0` is sign descent (every coordinate moves by
  exactly α); checked the same way.
"""
from __future__ import annotations

import numpy as np

import rmsprop_core as rc
from gen import settings as S
from gen.spec import NumbersSpec
from gen.text import SUPERSCRIPT, fmt

STARTS = np.array([S.START_A, S.START_B])   # the home page's starts A and B
STEPS = 100
LR = 0.05          # the course's EMA momentum learning rate α
DECAY = S.DECAY    # the course's β
PLAYGROUND_LR = 0.02   # the playground links' α: from start B, 31.6 α is a step the eye sees
PLAYGROUND_EPS = 0.01  # a large ε inside the root (Keras-style) for the playground link


def momentum_gap() -> float:
    """Largest |difference| between EMA momentum (α) and heavy ball (α(1−β)) positions."""
    bowl = rc.objectives.get("bowl")
    ema = rc.run(rc.momentum(LR, decay=DECAY, form="ema"), bowl, STARTS, STEPS)
    heavy = rc.run(rc.momentum(LR * (1 - DECAY), decay=DECAY, form="heavy_ball"), bowl, STARTS, STEPS)
    return float(np.max(np.abs(ema.positions - heavy.positions)))


def sign_gap() -> float:
    """Largest |difference| between RMSprop (β = 0, ε = 0) and sign descent positions."""
    bowl = rc.objectives.get("bowl")
    rms = rc.run(rc.rmsprop(LR, decay=0.0, eps=0.0), bowl, STARTS, STEPS)
    sign = rc.run(rc.sign_descent(LR), bowl, STARTS, STEPS)
    return float(np.max(np.abs(rms.positions - sign.positions)))




def first_w_step_from_b(eps_inside: bool) -> float:
    """|Δw|/α of course RMSprop's first step from start B with ε = PLAYGROUND_EPS."""
    bowl = rc.objectives.get("bowl")
    opt = rc.rmsprop(PLAYGROUND_LR, decay=DECAY, eps=PLAYGROUND_EPS, eps_inside=eps_inside)
    traj = rc.run(opt, bowl, STARTS[1], steps=1)
    return float(abs(traj.updates[0, 0, 0]) / PLAYGROUND_LR)


def _upper_bound(gap: float) -> str:
    """The smallest power of ten >= gap, written 10⁻ᵏ (an exact zero reads '0')."""
    if gap == 0.0:
        return "0"
    return "10" + str(int(np.ceil(np.log10(gap)))).translate(SUPERSCRIPT)


def build() -> NumbersSpec:
    return NumbersSpec({
        "momentum_lr": fmt(LR),
        "momentum_decay": fmt(DECAY),
        "heavy_ball_lr": fmt(LR * (1 - DECAY)),
        "momentum_steps": fmt(STEPS),
        "momentum_gap_bound": _upper_bound(momentum_gap()),
        "sign_gap_bound": _upper_bound(sign_gap()),
        "playground_lr": fmt(PLAYGROUND_LR),
        "playground_eps": fmt(PLAYGROUND_EPS),
        "inside_first_w": fmt(first_w_step_from_b(eps_inside=True)),
        "outside_first_w": fmt(first_w_step_from_b(eps_inside=False)),
    })

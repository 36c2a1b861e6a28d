"""The simulator's stretched canvas (the thread's Q6): the same paths at its aspect and at ours.

The thread's remark that the simulator's surface "seems to be a bit distorted because of the
aspect ratio" is about the drawing, not the surface. The simulator draws its square view of the
two-well surface on a canvas 180 wide by 125 tall (``gen.magnitude_effect.simulator.CANVAS``), so a unit of y is
drawn 125/180 as long as a unit of x. This figure draws the replay's paths at the simulator's
settings twice over the same region: at equal aspect, as every figure on the site, and at the
simulator's aspect. The runs are the same; only the picture changes: round contours become wide
ellipses, and a step at 45° on the surface (RMSprop's first step, α/√(1 − β) in each coordinate)
is drawn at about 35°, so RMSprop's zig-zag across the axis looks flatter than it is.
"""
from __future__ import annotations

import math

import numpy as np
from plotly.subplots import make_subplots

from gen.magnitude_effect.simulator import (
    CANVAS,
    DRAW_ORDER,
    METHODS,
    SHOWN,
    START,
    compute,
    minimum_trace,
    path_trace,
    wells,
    wells_contour,
)
from gen.spec import FigureSpec
from gen.text import fmt

ID = "fig-simulator-aspect"
VIEW = ((-1.9, -0.5), (-0.2, 0.2))   # around the deep well, where the paths run
#: the one panel of the site not drawn at equal aspect (tests/gen/test_figures.py allows it)
UNEQUAL_ASPECT = {"yaxis2": "the simulator's canvas, drawn as it draws it, to show the distortion"}


def y_scale() -> float:
    """How long a unit of y is drawn on the simulator's canvas, in units of x's length."""
    (x0, x1), (y0, y1) = wells().view
    width, height = CANVAS
    return (height / (y1 - y0)) / (width / (x1 - x0))


def drawn_angle(angle_degrees: float) -> float:
    """The angle (from the x axis) at which the simulator's canvas draws a direction."""
    return math.degrees(math.atan(math.tan(math.radians(angle_degrees)) * y_scale()))


def build() -> FigureSpec:
    _wells, results = compute()
    runs = {key: results[key]["runs"]["simulator"] for key in METHODS}
    scale = y_scale()
    width, height = CANVAS
    first = runs["rmsprop"]["positions"][1] - runs["rmsprop"]["positions"][0]
    true_angle = math.degrees(math.atan2(abs(first[1]), abs(first[0])))
    numbers = {
        "canvas_width": fmt(width), "canvas_height": fmt(height),
        "y_scale": fmt(scale, 2),
        "rmsprop_first_angle": fmt(round(true_angle)),
        "rmsprop_first_drawn_angle": fmt(round(drawn_angle(true_angle))),
        "shown": fmt(SHOWN),
    }
    titles = ("Equal aspect (this site)",
              f"The simulator's {numbers['canvas_width']} × {numbers['canvas_height']} canvas")
    # Row heights in proportion to the drawn heights, so both panels are as wide as the page
    # allows and share one x scale: the only difference between them is the y scale.
    fig = make_subplots(rows=2, cols=1, vertical_spacing=0.16, row_heights=[1.0, scale],
                        subplot_titles=titles)
    for row in (1, 2):
        fig.add_trace(wells_contour(VIEW, ny=81), row=row, col=1)
        for key in DRAW_ORDER:
            fig.add_trace(path_trace(key, runs[key], showlegend=row == 1), row=row, col=1)
        fig.add_trace(minimum_trace(showlegend=row == 1), row=row, col=1)
    (xmin, xmax), (ymin, ymax) = VIEW
    for row, xa, ratio in ((1, "x", 1.0), (2, "x2", scale)):
        fig.update_xaxes(title=dict(text="x"), range=[xmin, xmax], constrain="domain", row=row, col=1)
        fig.update_yaxes(title=dict(text="y"), range=[ymin, ymax], scaleanchor=xa, scaleratio=ratio,
                         constrain="domain", nticks=5, row=row, col=1)
    fig.update_annotations(font=dict(size=13))
    fig.update_layout(height=580, margin=dict(l=50, r=20, t=40, b=40),
                      legend=dict(orientation="h", x=0, y=-0.12, xanchor="left", yanchor="top"))

    caption = (
        f"The same {numbers['shown']} steps at the simulator's settings, drawn twice over the same "
        "region of its two-well surface. Top, at equal aspect: one unit is as long on both axes, "
        "and the contours around the deep minimum are circles. Bottom, at the simulator's aspect: "
        f"its square view is drawn on a {numbers['canvas_width']} × {numbers['canvas_height']} "
        f"canvas, so a unit of y is drawn {numbers['y_scale']} times as long as a unit of x. The "
        "circles become wide ellipses and every path looks flatter: RMSprop's first step, at "
        f"{numbers['rmsprop_first_angle']}° on the surface, is drawn at "
        f"{numbers['rmsprop_first_drawn_angle']}°. The runs and their step counts are the same in "
        "both panels; only the picture changes."
    )
    alt = (
        f"Two contour plots of the same region of the two-well surface, one above the other, with "
        f"the paths of SGD, momentum, RMSprop and Adam at the simulator's settings from "
        f"({fmt(START[0])}, {fmt(START[1])}). The top plot has equal aspect and round contours; the "
        f"bottom one is squashed vertically to {numbers['y_scale']} (the simulator's "
        f"{numbers['canvas_width']} × {numbers['canvas_height']} canvas), so its contours are wide "
        f"ellipses and RMSprop's zig-zag looks flatter: its first step, at "
        f"{numbers['rmsprop_first_angle']}° on the surface, is drawn at "
        f"{numbers['rmsprop_first_drawn_angle']}°."
    )
    # the drawn paths (both panels draw the same ones)
    rows = {"method": [], "step": [], "x": [], "y": []}
    for key in METHODS:
        for t, (x, y) in enumerate(np.round(runs[key]["positions"], 4)):
            for column, value in zip(rows, (key, t, float(x), float(y))):
                rows[column].append(value)
    return FigureSpec(id=ID, figure=fig, caption=caption, alt=alt, data=rows, numbers=numbers,
                      title="The simulator's paths at its aspect and at equal aspect")

"""Plotting pieces shared by the figures (not a registered module): the bowl's contour layer and
the equal-aspect axes every picture of the (w, b) plane uses.

Contour levels are drawn for √(2(f − f*)) rather than f: on a quadratic bowl that makes evenly spaced
levels evenly spaced ellipses, so the narrow direction does not crowd with lines.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go


def bowl_contour(objective, nx: int = 81, ny: int = 61, spacing: float = 0.75,
                 colour: str = "#9e9e9e") -> go.Contour:
    """A grey, line-only, hover-free contour trace of ``objective`` over its view box."""
    (xmin, xmax), (ymin, ymax) = objective.view
    w = np.linspace(xmin, xmax, nx)
    b = np.linspace(ymin, ymax, ny)
    grid = np.stack(np.meshgrid(w, b), axis=-1).reshape(-1, 2)
    z = np.sqrt(2 * (objective.value(grid) - objective.min_value)).reshape(len(b), len(w))
    return go.Contour(
        x=w, y=b, z=z, contours=dict(coloring="lines", start=spacing, end=12, size=spacing),
        colorscale=[[0, colour], [1, colour]], showscale=False, line=dict(width=1),
        hoverinfo="skip", name="loss contours", showlegend=False,
    )


def bowl_axes(xrange, yrange) -> dict:
    """``xaxis`` and ``yaxis`` for a picture of the (w, b) plane, for ``update_layout(**...)``:
    one unit of b as long as one of w (the thread's question is about the true shape of the
    path; a stretched axis would invent or hide zig-zags), both zero lines drawn."""
    return dict(
        xaxis=dict(title=dict(text="w"), range=list(xrange), zeroline=True, constrain="domain"),
        yaxis=dict(title=dict(text="b"), range=list(yrange), zeroline=True,
                   scaleanchor="x", scaleratio=1, constrain="domain"),
    )

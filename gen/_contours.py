"""The course bowl's contour layer, shared by the figures drawn on it (not a registered module).

Levels are drawn for √(2(f − f*)) rather than f: on a quadratic bowl that makes evenly spaced
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

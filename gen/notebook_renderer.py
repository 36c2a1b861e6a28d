"""A Plotly renderer for the notebooks: ``fig.show()`` emits the site's figure island.

mkdocs-jupyter executes the notebooks under docs/notebooks/ at build time. Plotly's default
renderers do not work there (``plotly_mimetype`` shows a blank figure on the site; ``notebook``
inlines plotly.js and asks a CDN for MathJax). This renderer writes the same HTML as the pages'
figure includes (gen/html.py): a ``<figure class="rc-figure">`` whose placeholder holds the
figure JSON in an inert ``<template class="plotly-json">``, rendered lazily, offline and in
both palettes by docs/javascripts/figures.js, with a caption and a text alternative.

The bundle also carries ``application/vnd.plotly.v1+json``, so the same notebook shows an
ordinary interactive figure in JupyterLab, Notebook 7 or VS Code (they prefer that mimetype;
nbconvert's HTML export ignores it and uses the island).

A notebook gives each figure its caption and text alternative through plain Plotly,
``fig.update_layout(meta={"caption": ..., "alt": ...})``; the alternative is required (a
figure without one raises ValueError, which fails the site build).

Set-up (the notebooks' hidden first cell)::

    from gen.notebook_renderer import use_site_renderer
    use_site_renderer("nb-rules")     # figure ids nb-rules-fig-1, nb-rules-fig-2, ...
"""
from __future__ import annotations

import itertools
import re
from html import escape

import plotly.io as pio
from plotly.io._base_renderers import MimetypeRenderer, PlotlyRenderer

from gen.html import CONTROLS_ROW_REM, _controls_rows
from gen.serialize import dumps, plain

RENDERER_NAME = "rc_site"
PREFIX = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"


def _title_text(layout: dict) -> str:
    title = layout.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    return title if isinstance(title, str) else ""


def island(fig_dict: dict, figure_id: str) -> str:
    """The HTML island for one figure (the shape of gen/html.py's includes, without downloads)."""
    layout = dict(fig_dict.get("layout") or {})
    meta = layout.pop("meta", None) or {}
    layout.pop("template", None)   # figures.js applies the site's palette itself
    if not isinstance(meta, dict):
        meta = {}
    title = _title_text(layout)
    alt = meta.get("alt") or ""
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError(
            f"{figure_id}: a notebook figure needs a text alternative: "
            'fig.update_layout(meta={"alt": "what the figure shows, with its key numbers"})'
        )
    caption = meta.get("caption") or title or alt
    figure = {"data": plain(fig_dict.get("data") or []), "layout": plain(layout)}
    frames = fig_dict.get("frames") or []
    if frames:
        figure["frames"] = plain([{k: v for k, v in f.items() if k != "template"} for f in frames])
    height = int(layout.get("height") or 480)
    rows = _controls_rows(figure)
    lines = [f'<figure id="{figure_id}" class="rc-figure rc-figure--notebook">']
    if rows:
        lines.append(f'<div class="rc-figure__controls-slot" '
                     f'style="min-height: {rows * CONTROLS_ROW_REM}rem"></div>')
    lines += [
        f'<div class="rc-figure__plot" data-figure="{figure_id}" '
        f'data-title="{escape(title or caption[:60])}" style="height: {height}px" role="img" '
        f'aria-labelledby="{figure_id}-alt">'
        '<span class="rc-figure__loading" aria-hidden="true" data-search-exclude>Loading the interactive figure…</span>'
        f'<template class="plotly-json" data-search-exclude>{escape(dumps(figure), quote=False)}</template>'
        "</div>",
        "<figcaption>",
        f'<span class="rc-figure__caption">{escape(caption, quote=False)}</span>',
        f'<span class="rc-figure__links" data-search-exclude><a class="rc-figure__anchor" href="#{figure_id}">'
        "Link to this figure</a></span>",
        '<details class="rc-figure__alt"><summary data-search-exclude>Text description of the figure</summary>'
        f'<p id="{figure_id}-alt">{escape(alt, quote=False)}</p></details>',
        "</figcaption>",
        "</figure>",
    ]
    return "\n".join(lines)


class SiteRenderer(MimetypeRenderer):
    """Numbers the figures of one notebook (``<prefix>-fig-<n>``) and emits their islands."""

    def __init__(self, prefix: str):
        if not isinstance(prefix, str) or not PREFIX.match(prefix):
            raise ValueError(f"prefix must be kebab-case (e.g. 'nb-rules'), got {prefix!r}")
        self.prefix = prefix
        # plotly's show() renders with a shallow copy of the renderer: the counter must be a
        # shared mutable object, not an int attribute, or every figure would be number 1.
        self._numbers = itertools.count(1)

    def to_mimebundle(self, fig_dict):
        number = next(self._numbers)
        bundle = PlotlyRenderer().to_mimebundle(fig_dict)   # JSON-compatible copy
        bundle["text/html"] = island(bundle[PLOTLY_MIMETYPE], f"{self.prefix}-fig-{number}")
        return bundle


def use_site_renderer(prefix: str) -> SiteRenderer:
    """Register the renderer as Plotly's default for this kernel and return it."""
    renderer = SiteRenderer(prefix)
    pio.renderers[RENDERER_NAME] = renderer
    pio.renderers.default = RENDERER_NAME
    return renderer

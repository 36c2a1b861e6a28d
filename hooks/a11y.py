"""mkdocs hook: keyboard access to display math.

A wide formula (e.g. an update rule in the API reference, rendered by KaTeX) scrolls sideways
inside its ``<div class="arithmatex">``; a scrolling box must be reachable by keyboard (axe:
scrollable-region-focusable). Every display-math block gets ``tabindex="0"`` in the HTML itself,
so it holds before and after KaTeX renders, whatever the width of the screen.
"""
from __future__ import annotations

import re

DISPLAY_MATH = re.compile(r'<div class="arithmatex">')


def on_page_content(html, page, config, files):
    return DISPLAY_MATH.sub('<div class="arithmatex" tabindex="0">', html)

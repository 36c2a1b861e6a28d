"""mkdocs hook: keyboard access to display math, and a place for each scroll box's hint.

A wide formula (e.g. an update rule in the API reference, rendered by KaTeX) scrolls sideways
inside its ``<div class="arithmatex">``; a scrolling box must be reachable by keyboard (axe:
scrollable-region-focusable). Every display-math block gets ``tabindex="0"`` in the HTML itself,
so it holds before and after KaTeX renders, whatever the width of the screen.

Every display-math block and every table (which Material wraps in a scroll box) also gets an
empty ``<div class="rc-scroll-hint">`` before it: javascripts/scroll-regions.js writes "scroll →"
into it when the box overflows. Inserting the hint from the script instead put a new element
among the article's children, and the browser then restyled the whole article (Material's
``table:not([class]) + *`` rules make every insertion there invalidate all that follows): one
whole-page style recalculation at every load of a page with a wide box. For the same reason a
table and its hint come in a ``<div class="rc-table">`` of their own: Material's start-up swaps
each table for its scroll box, and that swap now happens inside the wrapper, not among the
article's children (one more whole-page recalculation on every page with a table). The wrapper
has no box of its own to speak of: no style, and its child's margins collapse through it.
"""
from __future__ import annotations

import re

DISPLAY_MATH = re.compile(r'<div class="arithmatex">')
HINT = '<div class="rc-scroll-hint" aria-hidden="true"></div>'
TABLE = re.compile(r"<table>.*?</table>", re.S)


def _wrap_table(match: re.Match) -> str:
    table = match[0]
    if "<table" in table[1:]:   # a table in a table: leave it to Material as it is
        return table
    return f'<div class="rc-table">{HINT}{table}</div>'


def on_page_content(html, page, config, files):
    html = DISPLAY_MATH.sub(HINT + '<div class="arithmatex" tabindex="0">', html)
    return TABLE.sub(_wrap_table, html)

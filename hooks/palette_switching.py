"""mkdocs hook: take two start-up style recalculations of the whole page out of Material's palette.

Material's palette code sets ``data-md-color-switching`` on ``<body>`` when it applies a palette
and removes it right after, and palette.css carries a rule for it that stops colour transitions
while the palette changes::

    [data-md-color-switching] *,[data-md-color-switching] :after,[data-md-color-switching] :before{transition-duration:0s!important}

The palette is applied once on every page load, so the attribute goes on and off at start-up,
and because of that rule's ``*`` each change makes the browser restyle every element of the page.
On the pages with a lot of math (KaTeX is thousands of elements) the two recalculations were
about a third of the start-up style work on a throttled phone (measured: 344 -> 222 ms on
reference/objectives, 315 -> 190 ms on update-rules). Without the rule, a reader's palette
toggle may fade the colours for Material's 0.25 s transitions instead of switching at once;
nothing else changes.

The rule is blanked with spaces of its own length, so that the stylesheet's source map stays
right. If a Material release writes it differently, the build fails here instead of silently
shipping the cost again.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

RULE = ("[data-md-color-switching] *,[data-md-color-switching] :after,"
        "[data-md-color-switching] :before{transition-duration:0s!important}")


def strip_switching_rule(css: str) -> str:
    """``css`` with RULE blanked out; PluginError unless it occurs exactly once."""
    count = css.count(RULE)
    if count != 1:
        raise PluginError(f"palette_switching: expected Material's colour-switching rule once in "
                          f"palette.css, found it {count} times; update hooks/palette_switching.py")
    return css.replace(RULE, " " * len(RULE))


def on_post_build(config):
    sheets = sorted((Path(config["site_dir"]) / "assets" / "stylesheets").glob("palette.*.min.css"))
    if len(sheets) != 1:
        raise PluginError(f"palette_switching: expected one palette.*.min.css, found {len(sheets)}")
    sheet = sheets[0]
    css = sheet.read_text(encoding="utf-8")
    if RULE not in css and " " * len(RULE) in css:
        return   # `mkdocs build --dirty` kept the copy this hook already changed
    sheet.write_text(strip_switching_rule(css), encoding="utf-8")

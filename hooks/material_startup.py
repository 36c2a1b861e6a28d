"""mkdocs hook: take four whole-page style recalculations out of Material's start-up.

Material's bundle runs once the page is parsed, and two things it does then make the browser
restyle every element of the page (thousands on the math pages, where KaTeX's spans are most
of the document), each a long task on a slow phone:

- Instant navigation makes every relative ``href``/``src`` absolute (``el.href = el.href``). On
  a ``<link rel="stylesheet">`` that reloads the sheet, and a new sheet restyles everything.
- The palette appends ``<meta name="color-scheme">`` and then writes its ``content`` each time
  it applies a palette. Chromium restyles the whole document for every insertion or content
  write of that meta, also when the value does not change.

hooks/material_startup.js does both while ``<body>`` is still empty (at the end of ``<head>``,
where restyling costs nothing): it makes the head's URLs absolute, so that the bundle finds
nothing to change there, and it creates the color-scheme meta with the value the palette will
compute (from mkdocs.yml's palette, the reader's stored choice and Material's own
``[data-md-color-scheme=…]{color-scheme:…}`` rules), writing later values only when they
differ. The bundle is patched, with the same number of characters (the source map stays
right), to use that meta instead of appending its own. Measured on update-rules/ (Chromium
trace, unthrottled): the two palette restyles (about 160 + 25 ms) and the stylesheet one are
gone. If a Material release writes the patched code differently, the build fails here.

Two more restyles, from palette.css (this part was hooks/palette_switching.py): Material's
palette sets ``data-md-color-switching`` on ``<body>`` when it applies a palette and removes it
right after, and palette.css carries a rule for it that stops colour transitions while the
palette changes::

    [data-md-color-switching] *,[data-md-color-switching] :after,[data-md-color-switching] :before{transition-duration:0s!important}

The palette is applied once on every page load, so the attribute goes on and off at start-up,
and because of that rule's ``*`` each change makes the browser restyle every element of the page
(measured: 344 -> 222 ms of style work on reference/objectives, 315 -> 190 ms on update-rules, on
a throttled phone). Without the rule, a reader's palette toggle may fade the colours for
Material's 0.25 s transitions instead of switching at once; nothing else changes. The rule is
blanked with spaces of its own length (the source map stays right); if a Material release writes
it differently, the build fails here instead of silently shipping the cost again.

And the palette of a first visit in the first frame: the bundle now runs after the first frame
(hooks/scripts_after_paint.py), and Material's inline palette script applies only a stored
choice, so a reader whose system is dark saw a light first frame. hooks/palette_first_frame.js,
right after that script, applies the palette whose media query matches, as the bundle will.
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import material
from mkdocs.exceptions import PluginError

#: What Material's palette does to make its color-scheme meta, and what it does instead.
APPEND = 'let o=x("meta",{name:"color-scheme"});document.head.appendChild(o);'
REUSE = 'let o=document.querySelector("[name=color-scheme]")||x("meta",{});'.ljust(len(APPEND))

RULE = ("[data-md-color-switching] *,[data-md-color-switching] :after,"
        "[data-md-color-switching] :before{transition-duration:0s!important}")

SCRIPT = Path(__file__).with_name("material_startup.js")
MATERIAL_CSS = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"


def color_schemes(css: str) -> dict[str, str]:
    """Material's scheme -> CSS color-scheme, from its ``[data-md-color-scheme=x]{color-scheme:y``."""
    return dict(re.findall(r"\[data-md-color-scheme=([\w-]+)\]\{color-scheme:([\w ]+)", css))


def palette_entries(palette) -> list[dict[str, str]]:
    """mkdocs.yml's theme.palette as the [{media, scheme}, …] Material's inputs carry."""
    if isinstance(palette, dict):
        palette = [palette]
    return [{"media": entry.get("media", ""), "scheme": entry.get("scheme") or "default"}
            for entry in palette or []]


def script_body(path: Path) -> str:
    """A script file of this folder without its header comment (the header is for its readers)."""
    return re.sub(r"\A/\*.*?\*/\s*", "", path.read_text(encoding="utf-8"), flags=re.S).strip()


def startup_script(palette, schemes: dict[str, str]) -> str:
    """The inline <script> for the end of <head>: hooks/material_startup.js, filled in."""
    js = script_body(SCRIPT)
    js = js.replace("PALETTE", json.dumps(palette_entries(palette)), 1)
    js = js.replace("COLOR_SCHEMES", json.dumps(schemes, sort_keys=True), 1)
    return f"<script>{js.strip()}</script>"


def reuse_meta(bundle: str) -> str:
    """``bundle`` with APPEND replaced by REUSE; PluginError unless APPEND occurs exactly once."""
    count = bundle.count(APPEND)
    if count != 1:
        raise PluginError(f"material_startup: expected Material's color-scheme meta code once in "
                          f"the bundle, found it {count} times; update hooks/material_startup.py")
    return bundle.replace(APPEND, REUSE)


def strip_switching_rule(css: str) -> str:
    """``css`` with RULE blanked out; PluginError unless it occurs exactly once."""
    count = css.count(RULE)
    if count != 1:
        raise PluginError(f"material_startup: expected Material's colour-switching rule once in "
                          f"palette.css, found it {count} times; update hooks/material_startup.py")
    return css.replace(RULE, " " * len(RULE))


_script = None


def on_config(config):
    global _script
    css = "".join(p.read_text(encoding="utf-8") for p in sorted(MATERIAL_CSS.glob("*.min.css")))
    schemes = color_schemes(css)
    if not schemes:
        raise PluginError("material_startup: no [data-md-color-scheme=…]{color-scheme:…} rule "
                          f"in Material's style sheets ({MATERIAL_CSS})")
    _script = startup_script(config["theme"].get("palette"), schemes)
    return config


#: Material's inline palette script (in <header>, after the palette's inputs): it applies a
#: stored palette only; the one for a first visit follows it (hooks/palette_first_frame.js).
MATERIAL_PALETTE = re.compile(r'<script>var palette=__md_get\("__palette"\);.*?</script>', re.S)
FIRST_FRAME = Path(__file__).with_name("palette_first_frame.js")


def first_frame_palette(output: str, name: str) -> str:
    """``output`` with hooks/palette_first_frame.js after Material's palette script."""
    found = MATERIAL_PALETTE.findall(output)
    if len(found) != 1:
        raise PluginError(f"material_startup: expected Material's palette script once in {name}, "
                          f"found it {len(found)} times; update hooks/material_startup.py")
    return MATERIAL_PALETTE.sub(lambda m: m.group(0) + _first_frame_script(), output, count=1)


@functools.cache
def _first_frame_script() -> str:
    return f"<script>{script_body(FIRST_FRAME)}</script>"   # read once per build, not per page


def on_post_page(output, page, config):
    if "</head>" not in output:
        return output
    output = first_frame_palette(output, page.file.src_uri)
    return output.replace("</head>", _script + "\n</head>", 1)


def on_post_template(output_content, template_name, config):
    # 404.html is a static template (no on_post_page): its first frame gets the palette too.
    return first_frame_palette(output_content, template_name) if template_name == "404.html" else output_content


def _patch_built(config, folder: str, pattern: str, patch, original: str, patched: str) -> None:
    """Apply ``patch`` to the one built ``assets/<folder>/<pattern>``, in place; a copy that has
    ``patched`` and not ``original`` is left alone (``mkdocs build --dirty`` kept it)."""
    found = sorted((Path(config["site_dir"]) / "assets" / folder).glob(pattern))
    if len(found) != 1:
        raise PluginError(f"material_startup: expected one {pattern}, found {len(found)}")
    text = found[0].read_text(encoding="utf-8")
    if original not in text and patched in text:
        return
    found[0].write_text(patch(text), encoding="utf-8")


def on_post_build(config):
    _patch_built(config, "javascripts", "bundle.*.min.js", reuse_meta, APPEND, REUSE)
    _patch_built(config, "stylesheets", "palette.*.min.css", strip_switching_rule,
                 RULE, " " * len(RULE))

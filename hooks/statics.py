"""mkdocs hook: every figure arrives as a picture, before and without plotly.js.

``on_post_build``: gen/statics.py draws each ``data-rc-static`` element of the built pages with
the site's own scripts in headless Chromium (cached in .cache/statics/), then this hook
- copies the SVGs to ``site/assets/statics/`` (file names carry a content hash);
- writes into each element four ``<img>``: wide and narrow, light and dark. The style sheet
  (docs/stylesheets/extra.css, "static renders") shows the one that matches the figure's width
  (the viewport it was drawn for) and the palette, hides them once the
  interactive figure is drawn, and prints the light one;
- gives the element its boxes as drawn (``--rc-static-wide`` / ``--rc-static-narrow``: width /
  height at 1280 and 390 px), so that where figures.js lays the figure out for a narrow width
  (its height then depends on the width) the box does not change when the interactive figure
  replaces the picture;
- moves each figure's JSON out of the page into ``site/assets/figures/<id>.<hash>.json``
  (figures.js fetches it with plotly.js when the figure is drawn); the page keeps only the
  labels of its controls, so a reader who only reads downloads pictures, not data (the JSON
  was most of the essay pages' weight).

The images are decorative (``alt=""``, inside ``aria-hidden``): the figure's text alternative
is the placeholder's ``aria-labelledby`` description, as for the interactive figure.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
from html import escape, unescape
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:   # mkdocs does not put the project root on sys.path for hooks
    sys.path.insert(0, str(ROOT))

from gen import statics  # noqa: E402

OUT = "assets/statics"
FIGURE_JSON = "assets/figures"
LOADING = re.compile(r'<span class="rc-figure__loading"[^>]*>[^<]*</span>')
TEMPLATE = re.compile(r'<template class="plotly-json"([^>]*)>(.*?)</template>', re.S)


def controls_stub(figure: dict) -> dict:
    """What figures.js needs before the figure is drawn: its controls' names and labels (the
    buttons' arguments, often whole traces, come with the figure's JSON)."""
    layout = figure.get("layout") or {}
    stub = {}
    if layout.get("updatemenus"):
        stub["updatemenus"] = [
            {**{k: m[k] for k in ("name", "type", "active") if k in m},
             "buttons": [{k: b[k] for k in ("label", "visible") if k in b} for b in m.get("buttons", [])]}
            for m in layout["updatemenus"]]
    if layout.get("sliders"):
        stub["sliders"] = [
            {**{k: m[k] for k in ("name", "active", "currentvalue") if k in m},
             "steps": [{k: b[k] for k in ("label", "visible") if k in b} for b in m.get("steps", [])]}
            for m in layout["sliders"]]
    return {"layout": stub}


def externalize(html: str, start: int, key: str, site: Path, prefix: str) -> str:
    """The figure JSON of the island whose placeholder opens at `start` moves to
    assets/figures/<id>.<hash>.json; its template keeps the controls' labels and data-src."""
    match = TEMPLATE.search(html, start)
    if match is None or "</div>" in html[start:match.start()]:
        return html   # not a figure island (the Playground's pictures)
    text = unescape(match.group(2))
    name = f"{key}.{hashlib.sha256(text.encode()).hexdigest()[:12]}.json"
    target = site / FIGURE_JSON / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    stub = escape(json.dumps(controls_stub(json.loads(text)), separators=(",", ":"), ensure_ascii=False), quote=False)
    src = prefix.replace(OUT + "/", FIGURE_JSON + "/") + name
    tag = f'<template class="plotly-json"{match.group(1)} data-src="{src}">{stub}</template>'
    return html[:match.start()] + tag + html[match.end():]


def _opening_tag(html: str, key: str) -> re.Match:
    match = re.search(r'<[a-z]+\b[^>]*\bdata-(?:rc-static|figure)="' + re.escape(key) + r'"[^>]*>', html)
    if match is None:
        raise PluginError(f"statics: no element data-rc-static={key!r}")
    return match


def _with_boxes(tag: str, boxes: dict[str, tuple[float, float]]) -> str:
    ratio = "; ".join(f"--rc-static-{variant}: {box[0]:g} / {box[1]:g}" for variant, box in boxes.items())
    if ' style="' in tag:
        return re.sub(r' style="([^"]*?);?\s*"', lambda m: f' style="{m.group(1)}; {ratio}"', tag, count=1)
    return tag[:-1] + f' style="{ratio}">'


def markup(renders, prefix: str) -> str:
    imgs = []
    for r in renders:
        src = f'src="{prefix}{r.names[0]}"'
        if len(r.names) == 2:   # WebP: 1x and 2x
            src += f' srcset="{prefix}{r.names[0]} 1x, {prefix}{r.names[1]} 2x"'
        imgs.append(f'<img class="rc-static__img rc-static--{r.variant} rc-static--{r.scheme}" '
                    f'{src} width="{r.width}" height="{r.height}" alt="" loading="lazy" decoding="async">')
    return '<span class="rc-static" aria-hidden="true">' + "".join(imgs) + "</span>"


def patch(html: str, renders, prefix: str, site: Path | None = None) -> str:
    by_key: dict[str, list] = {}
    for r in renders:
        by_key.setdefault(r.key, []).append(r)
    for key, group in by_key.items():
        group.sort(key=lambda r: (list(statics.VARIANTS).index(r.variant), statics.SCHEMES.index(r.scheme)))
        match = _opening_tag(html, key)
        tag = _with_boxes(match.group(0), {r.variant: r.box for r in group})
        rest = LOADING.sub("", html[match.end():], count=1) if html[match.end():].startswith(
            '<span class="rc-figure__loading"') else html[match.end():]
        html = html[:match.start()] + tag + markup(group, prefix) + rest
        if site is not None:
            html = externalize(html, match.start(), key, site, prefix)
    return html


def on_post_build(config):
    site = Path(config["site_dir"])
    try:
        rendered = statics.render_site(site, log=lambda m: print("INFO    -  " + m))
    except RuntimeError as error:
        raise PluginError(f"statics: {error}") from error
    out = site / OUT
    out.mkdir(parents=True, exist_ok=True)
    for rel, renders in rendered.items():
        page = site / rel
        for r in renders:
            for name in r.names:
                target = out / name
                if not target.exists():
                    shutil.copyfile(statics.CACHE / "files" / name, target)
        prefix = os.path.relpath(out, page.parent).replace(os.sep, "/") + "/"
        page.write_text(patch(page.read_text(encoding="utf-8"), renders, prefix, site), encoding="utf-8")

"""mkdocs hook: every figure arrives as a picture, before and without plotly.js.

``on_post_build``: gen/statics.py draws each ``data-rc-static`` element of the built pages with
the site's own scripts in headless Chromium (cached in .cache/statics/), then this hook
- copies the SVGs to ``site/assets/statics/`` (file names carry a content hash);
- writes into each element four ``<img>``: wide and narrow, light and dark. The style sheet
  (docs/stylesheets/extra.css, "static renders") shows the one that matches the figure's width
  (a container query at figures.js's NARROW_PX) and the palette, hides them once the
  interactive figure is drawn, and prints the light one;
- gives the element its narrow box (``--rc-static-narrow: width / height`` as drawn at 390 px),
  so the box does not change when the interactive figure replaces the picture.

The images are decorative (``alt=""``, inside ``aria-hidden``): the figure's text alternative
is the placeholder's ``aria-labelledby`` description, as for the interactive figure.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:   # mkdocs does not put the project root on sys.path for hooks
    sys.path.insert(0, str(ROOT))

from gen import statics  # noqa: E402

OUT = "assets/statics"
LOADING = re.compile(r'<span class="rc-figure__loading"[^>]*>[^<]*</span>')


def _opening_tag(html: str, key: str) -> re.Match:
    match = re.search(r'<[a-z]+\b[^>]*\bdata-(?:rc-static|figure)="' + re.escape(key) + r'"[^>]*>', html)
    if match is None:
        raise PluginError(f"statics: no element data-rc-static={key!r}")
    return match


def _with_narrow_box(tag: str, box: tuple[float, float]) -> str:
    ratio = f"--rc-static-narrow: {box[0]:g} / {box[1]:g}"
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


def patch(html: str, renders, prefix: str) -> str:
    by_key: dict[str, list] = {}
    for r in renders:
        by_key.setdefault(r.key, []).append(r)
    for key, group in by_key.items():
        group.sort(key=lambda r: (list(statics.VARIANTS).index(r.variant), statics.SCHEMES.index(r.scheme)))
        match = _opening_tag(html, key)
        narrow = next(r for r in group if r.variant == "narrow")
        tag = _with_narrow_box(match.group(0), narrow.box)
        rest = LOADING.sub("", html[match.end():], count=1) if html[match.end():].startswith(
            '<span class="rc-figure__loading"') else html[match.end():]
        html = html[:match.start()] + tag + markup(group, prefix) + rest
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
        page.write_text(patch(page.read_text(encoding="utf-8"), renders, prefix), encoding="utf-8")

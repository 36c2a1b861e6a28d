"""``python -m gen.previews`` (``make previews``): a static PNG of every figure, for link previews.

Course forums (Discourse) and chat apps show a card with an image from a page's ``og:image``.
This step renders each generated figure (the JSON inside docs/generated/figures/<id>.html,
written by ``python -m gen``) with the site's own vendored plotly.js in headless Chromium, in
the site's light palette, at the card size 1200×630, and writes
docs/generated/previews/<id>.png. overrides/main.html points each page's ``og:image`` at the
PNG named by its front matter (``preview: fig-hero``).

A PNG is re-rendered only when its inputs change (figure JSON, this file, plotly.js); stamps
live in .cache/previews/. Rendering is deterministic on one machine (fixed viewport, device
scale 1, no animation, static plot); tests/site/test_previews.py renders twice and compares
bytes. Fonts come from the system, so another machine may produce different (equally valid)
bytes.

The browser: $CHROMIUM if set, else /usr/bin/chromium (Debian), else chromium, chromium-browser
or google-chrome on the PATH (GitHub's Ubuntu runners have Chrome). Never downloads a browser.
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "docs" / "generated" / "figures"
OUT = ROOT / "docs" / "generated" / "previews"
STAMPS = ROOT / ".cache" / "previews"
#: The plotly.js the site ships: the partial bundle `make vendor` builds (gen/plotly_bundle/).
PLOTLY_JS = ROOT / "docs" / "vendor" / "plotly" / "plotly.min.js"
WIDTH, HEIGHT = 1200, 630
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic",
                 "--font-render-hinting=none", "--disable-lcd-text"]
TEMPLATE = re.compile(r'<template class="plotly-json"[^>]*>(.*?)</template>', re.S)
TITLE = re.compile(r'data-title="([^"]*)"')

# The light palette of docs/javascripts/figures.js (PALETTES.default): previews look like the site.
LIGHT = {"paper": "#ffffff", "plot": "#ffffff", "font": "rgba(0,0,0,0.87)", "grid": "#e3e3e3",
         "zeroline": "#b8b8b8", "line": "#8a8a8a", "legendBg": "rgba(255,255,255,0.85)"}

_RENDER_JS = """async ([spec, width, height]) => {
  const gd = document.getElementById('plot');
  await Plotly.newPlot(gd, spec.data, spec.layout, {staticPlot: true, displayModeBar: false});
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return true;
}"""


def installed_browser() -> str | None:
    """The browser to use, or None: $CHROMIUM if set (and executable), else /usr/bin/chromium,
    else the first of chromium, chromium-browser, google-chrome(-stable) on the PATH. The same
    search as .ci/prerequisites, so what `make setup` accepts is what the tests drive."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def find_browser() -> str:
    found = installed_browser()
    if found is None:
        raise RuntimeError("no Chromium found for the link previews: install Debian's `chromium` "
                           "or set CHROMIUM=/path/to/chrome (`make setup` checks this first)")
    return found


def figure_from_include(path: Path) -> tuple[dict, str]:
    """The figure JSON and title stored in a generated include."""
    text = path.read_text(encoding="utf-8")
    match = TEMPLATE.search(text)
    if not match:
        raise ValueError(f"{path}: no <template class=\"plotly-json\"> (not a figure include?)")
    title = TITLE.search(text)
    return json.loads(html.unescape(match.group(1))), html.unescape(title.group(1)) if title else ""


def _axis(axis: dict) -> dict:
    axis = dict(axis)
    axis.update(gridcolor=LIGHT["grid"], zerolinecolor=LIGHT["zeroline"], linecolor=LIGHT["line"])
    axis["tickfont"] = {**axis.get("tickfont", {}), "color": LIGHT["font"]}
    title = axis.get("title")
    title = {"text": title} if isinstance(title, str) else dict(title or {})
    title["font"] = {**title.get("font", {}), "color": LIGHT["font"]}
    axis["title"] = title
    return axis


def preview_figure(figure: dict, title: str) -> dict:
    """The figure as the card shows it: static, card-sized, light palette, titled."""
    layout = dict(figure.get("layout", {}))
    # The site turns these into HTML controls; a still image shows the initial state only.
    layout.pop("updatemenus", None)
    layout.pop("sliders", None)
    for key in list(layout):
        if re.fullmatch(r"[xy]axis\d*", key):
            layout[key] = _axis(layout[key])
    margin = dict(layout.get("margin") or {})
    margin["t"] = max(int(margin.get("t", 40)), 70)
    layout.update(
        width=WIDTH, height=HEIGHT, autosize=False, margin=margin,
        paper_bgcolor=LIGHT["paper"], plot_bgcolor=LIGHT["plot"],
        font={**layout.get("font", {}), "color": LIGHT["font"], "size": 15},
        legend={**layout.get("legend", {}), "bgcolor": LIGHT["legendBg"]},
        title={"text": html.escape(title), "x": 0.02, "xanchor": "left", "y": 0.97,
               "yanchor": "top", "font": {"size": 22, "color": LIGHT["font"]}},
        transition={"duration": 0},
    )
    return {"data": figure.get("data", []), "layout": layout}


def _digest(spec: dict, plotly_js: bytes) -> str:
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(hashlib.sha256(plotly_js).digest())
    h.update(json.dumps(spec, sort_keys=True).encode())
    return h.hexdigest()


class Renderer:
    """One headless browser page reused for every figure."""

    def __init__(self, plotly_js: Path = PLOTLY_JS):
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=find_browser(), args=CHROMIUM_ARGS)
        context = self._browser.new_context(viewport={"width": WIDTH, "height": HEIGHT},
                                            device_scale_factor=1, color_scheme="light",
                                            reduced_motion="reduce")
        # Nothing leaves the machine: every request is refused (plotly.js is inlined below).
        context.route("**/*", lambda route, request: route.abort())
        self.page = context.new_page()
        self.page.set_content(
            '<!doctype html><html><head><style>html,body{margin:0;background:#fff}'
            f'#plot{{width:{WIDTH}px;height:{HEIGHT}px}}</style></head>'
            '<body><div id="plot"></div></body></html>')
        self.page.add_script_tag(content=plotly_js.read_text(encoding="utf-8"))

    def png(self, spec: dict) -> bytes:
        self.page.evaluate("() => Plotly.purge(document.getElementById('plot'))")
        self.page.evaluate(_RENDER_JS, [spec, WIDTH, HEIGHT])
        return self.page.locator("#plot").screenshot(type="png", animations="disabled")

    def close(self):
        self._browser.close()
        self._pw.stop()


def build(force: bool = False, figures: Path = FIGURES, out: Path = OUT, stamps: Path = STAMPS,
          log=print) -> dict:
    """Render a PNG for every figure include; returns what was rendered, reused and removed."""
    started = time.perf_counter()
    if not PLOTLY_JS.exists():
        raise RuntimeError(f"{PLOTLY_JS} is missing: run `make setup` first "
                           "(`make vendor` builds plotly.js into docs/vendor/)")
    plotly_js = PLOTLY_JS.read_bytes()
    includes = sorted(figures.glob("fig-*.html"))
    if not includes:
        raise RuntimeError(f"no figure includes in {figures}: run `python -m gen` first")
    renderer = None
    rendered, fresh = [], []
    try:
        for include in includes:
            fid = include.stem
            figure, title = figure_from_include(include)
            spec = preview_figure(figure, title)
            digest = _digest(spec, plotly_js)
            target = out / f"{fid}.png"
            stamp = stamps / f"{fid}.json"
            if not force and target.exists() and stamp.exists():
                recorded = json.loads(stamp.read_text())
                if recorded.get("digest") == digest and \
                        recorded.get("png") == hashlib.sha256(target.read_bytes()).hexdigest():
                    fresh.append(fid)
                    continue
            if renderer is None:
                renderer = Renderer()
            data = renderer.png(spec)
            out.mkdir(parents=True, exist_ok=True)
            if not target.exists() or target.read_bytes() != data:
                target.write_bytes(data)
            stamps.mkdir(parents=True, exist_ok=True)
            stamp.write_text(json.dumps({"digest": digest, "png": hashlib.sha256(data).hexdigest()}) + "\n")
            rendered.append(fid)
    finally:
        if renderer is not None:
            renderer.close()
    wanted = {f"{inc.stem}.png" for inc in includes}
    removed = []
    for path in sorted(out.glob("*.png")) if out.exists() else []:
        if path.name not in wanted:
            path.unlink()
            removed.append(path.name)
    log(f"previews: rendered {len(rendered)} ({', '.join(rendered) or '-'}), up to date {len(fresh)}, "
        f"removed {len(removed)}, {time.perf_counter() - started:.2f} s")
    return {"rendered": rendered, "fresh": fresh, "removed": removed}


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m gen.previews", description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="re-render every PNG, ignore stamps")
    args = parser.parse_args(argv)
    try:
        build(force=args.force)
    except (RuntimeError, ValueError) as error:
        print(f"previews: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Static renders of the site's figures: what a page shows before (or without) plotly.js.

Every figure island of a built page (``<div class="rc-figure__plot" data-figure="<id>">``,
gen/html.py and gen/notebook_renderer.py) and every element marked ``data-rc-static="<key>"``
(the Playground's plots) gets an SVG of its initial state, drawn
by the site's own scripts (docs/javascripts/figures.js, the Playground's) with the vendored
plotly.js in headless Chromium, in both palettes (light "default", dark "slate") and at two
widths:

- ``wide``: the page at 1280 × 800, where figures keep their generated layout;
- ``narrow``: the page at 390 × 844, where figures.js lays them out again for a phone
  (titles wrap, panels stack, the figure grows).

The SVG is Plotly's own ``toImage`` of the drawn figure, so it is the interactive figure's
first frame, at its size. hooks/statics.py calls :func:`render_site` after ``mkdocs build``
has written the pages (the notebooks' figures only exist then), copies the SVGs into
``site/assets/statics/`` and writes the ``<img>`` elements into the pages.

Deterministic: the page is served from the built site through a request handler (nothing
leaves the machine), ``Math.random`` (Plotly's clip-path ids) is a fixed sequence, the fonts
are the system's. Renders are cached in .cache/statics/ by a digest of the page and of every
script, style sheet and this file, so only changed pages are drawn again.
"""
from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import http.server
import json
import pickle
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from gen.previews import CHROMIUM_ARGS, find_browser

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "statics"
#: The two layouts a figure has (figures.js NARROW_PX = 600 lies between them).
VARIANTS = {"wide": (1280, 800), "narrow": (390, 844)}
SCHEMES = ("default", "slate")
#: What a render depends on besides the page itself.
ASSET_GLOBS = ("javascripts/**/*.js", "stylesheets/*.css", "vendor/plotly/*.js",
               "assets/stylesheets/*.css", "assets/javascripts/bundle.*.js", "generated/data/*.js")
TARGET = re.compile(r'class="rc-figure__plot" data-figure="([^"]+)"|data-rc-static="([^"]+)"')
SELECTOR = ".rc-figure__plot[data-figure], [data-rc-static]"
TIMEOUT_MS = 120_000
#: Above this many bytes gzipped an SVG becomes WebP (1x and 2x): a few figures draw thousands
#: of contour and path points, whose SVG would be most of a page's weight.
RASTER_ABOVE = 48 * 1024

# Before any page script: the build-render switch for figures.js and the Playground, a fixed
# Math.random (a 32-bit LCG) so that Plotly's generated ids are the same at every build, and no
# Web Workers: the only one is Material's search, which builds the whole site's lunr index on
# every page load, CPU that the two renderers need for drawing (the renders are the same bytes).
INIT_SCRIPT = """
window.rcStaticRender = true;
(function () {
  var state = 20260101;
  Math.random = function () { state = (Math.imul(state, 1664525) + 1013904223) >>> 0; return state / 4294967296; };
  function NoWorker() {}
  NoWorker.prototype.postMessage = NoWorker.prototype.terminate = function () {};
  NoWorker.prototype.addEventListener = NoWorker.prototype.removeEventListener = function () {};
  window.Worker = NoWorker;
})();
"""

# Each drawn target, in every palette: Plotly's toImage of its data and its layout as drawn,
# recoloured by figures.js (rcPlotly.themedLayout), so the live figure is not drawn again.
# Heavy ones (keys in `raster`) as WebP at 1x and 2x instead of SVG.
_SNAPSHOT_JS = """async ([schemes, raster]) => {
  const out = {};
  for (const el of document.querySelectorAll(__SELECTOR__)) {
    const key = el.getAttribute('data-rc-static') || el.getAttribute('data-figure');
    if (raster.length && !raster.includes(key)) continue;
    const gd = el.matches('.js-plotly-plot') ? el : el.querySelector('.js-plotly-plot');
    if (!gd || !gd._fullLayout) throw new Error('no drawn figure in ' + key);
    const width = Math.round(gd._fullLayout.width), height = Math.round(gd._fullLayout.height);
    // The content box: CSS aspect-ratio sizes it (the placeholder is content-box, with a border).
    const shot = out[key] = {width, height, box: [el.clientWidth, el.clientHeight]};
    for (const scheme of schemes) {
      const figure = {data: gd.data, layout: window.rcPlotly.themedLayout(gd.layout, scheme)};
      if (raster.includes(key)) {
        shot[scheme] = [];
        for (const scale of [1, 2]) {
          const url = await Plotly.toImage(figure, {format: 'webp', width, height, scale});
          shot[scheme].push(url.slice(url.indexOf(',') + 1));
        }
      } else {
        const url = await Plotly.toImage(figure, {format: 'svg', width, height});
        shot[scheme] = [decodeURIComponent(url.slice(url.indexOf(',') + 1))];
      }
    }
  }
  return out;
}"""

# Every target drawn (figures.js and the Playground set data-rc-state on the element).
_DRAWN_JS = """() => [...document.querySelectorAll(__SELECTOR__)].every(el => {
  const s = el.getAttribute('data-rc-state');
  if (s === 'error') throw new Error('figure failed to draw: ' + (el.getAttribute('data-rc-static') || el.getAttribute('data-figure')));
  return s === 'rendered';
})"""

_SNAPSHOT_JS = _SNAPSHOT_JS.replace("__SELECTOR__", json.dumps(SELECTOR))

_START_TAG = re.compile(r'<([A-Za-z][\w:.-]*)((?:\s+[^\s=<>]+="[^"]*")*)\s*(/?)>')
_ATTRIBUTE = re.compile(r'([^\s=<>]+)="([^"]*)"')


def canonical_svg(svg: str) -> str:
    """The SVG with every element's attributes in name order. Plotly sets the root's ``style``
    and ``viewBox`` in an order that depends on timing (a loaded build once serialised
    ``viewBox`` first, another ``style`` first), so the same picture came out as other bytes."""
    def sort(tag: re.Match) -> str:
        attributes = sorted(_ATTRIBUTE.findall(tag.group(2)))
        return "<" + tag.group(1) + "".join(f' {k}="{v}"' for k, v in attributes) + tag.group(3) + ">"
    return _START_TAG.sub(sort, svg)
_DRAWN_JS = _DRAWN_JS.replace("__SELECTOR__", json.dumps(SELECTOR))

@dataclass(frozen=True)
class Render:
    """One target at one width in one palette: an SVG, or WebP at 1x and 2x where the SVG
    would weigh more than RASTER_ABOVE bytes compressed (thousands of contour and path points)."""
    key: str
    variant: str
    scheme: str
    files: tuple[bytes, ...]     # (svg,) or (webp 1x, webp 2x)
    width: int
    height: int
    box: tuple[float, float]

    @property
    def ext(self) -> str:
        return "svg" if len(self.files) == 1 else "webp"

    @property
    def names(self) -> tuple[str, ...]:
        stem = f"{self.key}.{self.variant}.{self.scheme}"
        if len(self.files) == 1:
            return (f"{stem}.{hashlib.sha256(self.files[0]).hexdigest()[:12]}.svg",)
        return tuple(f"{stem}.{hashlib.sha256(data).hexdigest()[:12]}.{x}x.webp"
                     for x, data in zip((1, 2), self.files))


def targets(html: str) -> list[str]:
    """The static-render keys a page declares, in page order."""
    return [a or b for a, b in TARGET.findall(html)]


def assets_digest(site: Path) -> str:
    h = hashlib.sha256(Path(__file__).read_bytes())
    for pattern in ASSET_GLOBS:
        for path in sorted(site.glob(pattern)):
            h.update(path.relative_to(site).as_posix().encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


class _Handler(http.server.SimpleHTTPRequestHandler):
    # Cached by the browser: plotly.js and the site's scripts are fetched and compiled once per
    # worker, not once per page.
    def end_headers(self):
        self.send_header("Cache-Control", "max-age=3600")
        super().end_headers()

    def log_message(self, *args):
        pass


class Renderer:
    """One headless Chromium at one width; pages come from a local server of the built site,
    and every other request is refused (nothing leaves the machine)."""

    def __init__(self, site: Path, variant: str):
        from playwright.sync_api import sync_playwright

        handler = functools.partial(_Handler, directory=str(site))
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.variant = variant
        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=find_browser(), args=CHROMIUM_ARGS)
        width, height = VARIANTS[variant]
        self._context = self._browser.new_context(viewport={"width": width, "height": height},
                                                  device_scale_factor=1, color_scheme="light",
                                                  reduced_motion="reduce", service_workers="block")
        self._context.add_init_script(INIT_SCRIPT)
        # No request interception (Playwright turns the HTTP cache off under it): requests that
        # would leave the machine are caught and fail the render instead (the site is offline).
        self.escaped: list[str] = []
        self._context.on("request", lambda request: None if request.url.startswith(
            (self.origin + "/", "data:", "blob:")) else self.escaped.append(request.url))

    def render(self, page_path: str) -> list[Render]:
        """Every target of one page (``page_path`` relative to the site, e.g. ``a/index.html``)."""
        renders, errors = [], []
        page = self._context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            page.goto(f"{self.origin}/{page_path}", wait_until="load", timeout=TIMEOUT_MS)
            page.wait_for_function(_DRAWN_JS, timeout=TIMEOUT_MS, polling=100)
            shots = page.evaluate(_SNAPSHOT_JS, [list(SCHEMES), []])
            heavy = sorted(key for key, shot in shots.items() if any(
                len(gzip.compress(shot[s][0].encode(), 9, mtime=0)) > RASTER_ABOVE for s in SCHEMES))
            if heavy:
                shots.update(page.evaluate(_SNAPSHOT_JS, [list(SCHEMES), heavy]))
            for key, shot in shots.items():
                for scheme in SCHEMES:
                    files = tuple(base64.b64decode(d) for d in shot[scheme]) if key in heavy \
                        else (canonical_svg(shot[scheme][0]).encode(),)
                    renders.append(Render(key, self.variant, scheme, files, shot["width"],
                                          shot["height"], tuple(shot["box"])))
        finally:
            page.close()
        if errors:
            raise RuntimeError(f"{page_path} ({self.variant}): script error while drawing: {errors[0]}")
        if self.escaped:
            raise RuntimeError(f"{page_path} ({self.variant}): a request left the site: {self.escaped[0]}")
        return renders

    def close(self):
        self._browser.close()
        self._pw.stop()
        self._server.shutdown()
        self._server.server_close()


def _draw_in_workers(site: Path, pages: list[str]) -> list[dict[str, list[Render]]]:
    """Each width in its own process (``python -m gen.statics``, one browser each), at once."""
    with tempfile.TemporaryDirectory(prefix="rc-statics-") as tmp:
        jobs = []
        for variant in VARIANTS:
            result = Path(tmp) / f"{variant}.pickle"
            command = [sys.executable, "-m", "gen.statics", "--site", str(site), "--variant", variant,
                       "--out", str(result), *pages]
            jobs.append((variant, result, subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)))
        drawn = []
        for variant, result, job in jobs:
            _, err = job.communicate()
            if job.returncode != 0:
                raise RuntimeError(f"drawing the {variant} renders failed:\n{err.strip()[-3000:]}")
            drawn.append(pickle.loads(result.read_bytes()))
        return drawn


def main(argv: list[str] | None = None) -> int:
    """A worker of render_site: draws the pages at one width into a pickle file."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m gen.statics", description=main.__doc__)
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--variant", choices=list(VARIANTS), required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("pages", nargs="+")
    args = parser.parse_args(argv)
    renderer = Renderer(args.site, args.variant)
    try:
        drawn = {rel: renderer.render(rel) for rel in args.pages}
    except RuntimeError as error:
        print(f"statics: {error}", file=sys.stderr)
        return 1
    finally:
        renderer.close()
    args.out.write_bytes(pickle.dumps(drawn))
    return 0


def _load_cached(manifest: Path) -> list[Render] | None:
    try:
        entries = json.loads(manifest.read_text())
        return [Render(e["key"], e["variant"], e["scheme"],
                       tuple((CACHE / "files" / name).read_bytes() for name in e["names"]),
                       e["width"], e["height"], tuple(e["box"])) for e in entries]
    except (OSError, ValueError, KeyError):
        return None


def _store(manifest: Path, renders: list[Render]) -> None:
    files = CACHE / "files"
    files.mkdir(parents=True, exist_ok=True)
    for r in renders:
        for name, data in zip(r.names, r.files):
            (files / name).write_bytes(data)
    manifest.write_text(json.dumps([
        {"key": r.key, "variant": r.variant, "scheme": r.scheme, "names": list(r.names),
         "width": r.width, "height": r.height, "box": list(r.box)} for r in renders], indent=1) + "\n")


def render_site(site: Path, log=print) -> dict[str, list[Render]]:
    """Static renders for every page of a built site that declares targets (cached). The two
    widths are drawn by two worker processes at once (one browser each)."""
    started = time.perf_counter()
    shared = assets_digest(site)
    pages = {}
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        if targets(html):
            pages[path.relative_to(site).as_posix()] = html
    manifests = {rel: CACHE / f"{hashlib.sha256((shared + rel + html).encode()).hexdigest()}.json"
                 for rel, html in pages.items()}
    out = {rel: renders for rel in pages if (renders := _load_cached(manifests[rel])) is not None}
    todo = [rel for rel in pages if rel not in out]
    if todo:
        drawn = _draw_in_workers(site, todo)
        CACHE.mkdir(parents=True, exist_ok=True)
        for rel in todo:
            renders = [r for part in drawn for r in part[rel]]
            missing = set(targets(pages[rel])) - {r.key for r in renders}
            if missing:
                raise RuntimeError(f"{rel}: no static render for {sorted(missing)}")
            _store(manifests[rel], renders)
            out[rel] = renders
    count = sum(len(set(r.key for r in rs)) for rs in out.values())
    log(f"statics: {count} figures on {len(out)} pages; drawn {len(todo)} pages, "
        f"cached {len(pages) - len(todo)}, {time.perf_counter() - started:.1f} s")
    return {rel: out[rel] for rel in pages}


if __name__ == "__main__":
    # Through the package, so that what is pickled is gen.statics.Render, not __main__.Render.
    from gen import statics

    sys.exit(statics.main())

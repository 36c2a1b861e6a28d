"""The site's plotly.js, a partial bundle (gen/plotly_bundle/: core + scatter, bar, heatmap,
contour), in a real browser: it registers every trace type the site draws, and it draws the
site's figures exactly as the full cartesian dist it replaced (plotly.js-cartesian-dist-min,
kept in package.json for this comparison only).

What the site draws is read where it ships: the figure JSON of every page and notebook page of
the built site (the file each figure's template names) (the `server` fixture), and the Playground's plots as its scripts drew them.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from tests.browser.conftest import site_pages

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "docs" / "vendor" / "plotly" / "plotly.min.js"
DIST = ROOT / "node_modules" / "plotly.js-cartesian-dist-min" / "plotly-cartesian.min.js"
TEMPLATE = re.compile(r'<template class="plotly-json"(?P<attrs>[^>]*)>(?P<json>.*?)</template>', re.S)
SRC = re.compile(r'data-src="([^"]+)"')
REGISTERED = "() => Object.keys(Plotly.PlotSchema.get().traces).sort()"

# Before plotly.js loads: a fixed Math.random (plotly draws clip-path and gradient ids from it),
# the same sequence for both bundles.
SEEDED_RANDOM = """(() => {
  let state = 123456789;
  Math.random = () => { state = (Math.imul(state, 1103515245) + 12345) >>> 0; return state / 4294967296; };
})();"""

# Draw a figure as the site does (data, layout, frames), take plotly's own SVG; for a figure with
# frames, animate to its last frame (what the figure's slider does) and take the SVG again.
RENDER = """async (figure) => {
  const gd = document.getElementById('plot');
  const layout = figure.layout || {};
  const size = {width: layout.width || 900, height: layout.height || 500};
  await Plotly.newPlot(gd, {data: figure.data, layout, frames: figure.frames || []});
  const out = {first: await Plotly.toImage(gd, {format: 'svg', ...size})};
  if ((figure.frames || []).length) {
    const last = figure.frames[figure.frames.length - 1].name;
    await Plotly.animate(gd, [last], {frame: {duration: 0, redraw: true}, transition: {duration: 0},
                                      mode: 'immediate'});
    out.last_frame = await Plotly.toImage(gd, {format: 'svg', ...size});
  }
  return out;
}"""


def trace_types(figure: dict) -> set[str]:
    """The trace types a figure draws, in its data and in its frames (plotly's default: scatter)."""
    traces = list(figure.get("data") or [])
    for frame in figure.get("frames") or []:
        traces += frame.get("data") or []
    return {trace.get("type", "scatter") for trace in traces}


def types_used(figures: list[tuple[str, dict]]) -> dict[str, set[str]]:
    """Trace type -> where it is drawn, over (source, figure) pairs."""
    used: dict[str, set[str]] = {}
    for source, figure in figures:
        for kind in trace_types(figure):
            used.setdefault(kind, set()).add(source)
    return used


def unregistered(used: dict[str, set[str]], registered: list[str]) -> dict[str, list[str]]:
    """The used trace types the bundle does not register, each with where it is drawn."""
    return {kind: sorted(sources) for kind, sources in sorted(used.items()) if kind not in registered}


def shipped_figures(site_dir: Path) -> list[tuple[str, dict]]:
    """(page#n, figure JSON) for every figure of every page of the built site, notebooks included."""
    figures = []
    for page in site_pages(site_dir):
        text = (site_dir / page / "index.html").read_text(encoding="utf-8")
        for i, match in enumerate(TEMPLATE.finditer(text)):
            # hooks/statics.py moves a figure's JSON to its own file and leaves only its controls'
            # labels in the page, with data-src naming the file.
            src = SRC.search(match["attrs"])
            figure = ((site_dir / page / html.unescape(src[1])).read_text(encoding="utf-8") if src
                      else html.unescape(match["json"]))
            figures.append((f"{page or 'home/'}#{i + 1}", json.loads(figure)))
    return figures


def _blank_page(browser, bundle: Path):
    """A page with nothing but a plot box and `bundle`, after a seeded Math.random; every
    request refused (nothing but the bundle is needed); console messages recorded."""
    context = browser.new_context(viewport={"width": 1000, "height": 700}, device_scale_factor=1,
                                  reduced_motion="reduce")
    context.route("**/*", lambda route, request: route.abort())
    context.add_init_script(SEEDED_RANDOM)
    page = context.new_page()
    messages = []
    page.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda exc: messages.append(f"pageerror: {exc}"))
    page.set_content('<!doctype html><html><body style="margin:0"><div id="plot" '
                     'style="width:900px;height:500px"></div></body></html>')
    page.add_script_tag(content=bundle.read_text(encoding="utf-8"))
    return context, page, messages


@pytest.fixture(scope="module")
def registered(browser):
    """The trace types the vendored bundle registers, and those the cartesian dist does."""
    assert BUNDLE.exists(), f"{BUNDLE} is missing: run `make setup` (make vendor builds it)"
    assert DIST.exists(), f"{DIST} is missing: run `make setup` (npm ci installs it)"
    found = {}
    for name, bundle in (("bundle", BUNDLE), ("dist", DIST)):
        context, page, messages = _blank_page(browser, bundle)
        found[name] = page.evaluate(REGISTERED)
        assert messages == [], f"{name}: {messages}"
        context.close()
    return found


@pytest.fixture
def playground_figures(server, new_page):
    """The Playground's plots as drawn by its scripts (their data; plotly keeps what it was given)."""
    root_url, _ = server
    rec = new_page()
    rec.page.goto(root_url + "playground/", wait_until="load")
    rec.page.wait_for_selector("#rc-playground[data-rc-state='rendered']", state="attached", timeout=20000)
    plots = rec.page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')]
        .map(gd => ({id: gd.id, data: gd.data.map(t => ({type: t.type}))}))""")
    served = rec.page.evaluate(REGISTERED)
    rec.check_clean()
    return [(f"playground/#{p['id']}", {"data": p["data"]}) for p in plots], served


def test_the_site_serves_the_vendored_bundle(server, playground_figures, registered):
    _, site_dir = server
    assert (site_dir / "vendor" / "plotly" / "plotly.min.js").read_bytes() == BUNDLE.read_bytes()
    assert playground_figures[1] == registered["bundle"]
    # Exactly what gen/plotly_bundle/index.js registers.
    entry = (ROOT / "gen" / "plotly_bundle" / "index.js").read_text(encoding="utf-8")
    listed = set(re.findall(r"require\('plotly\.js/lib/(\w+)'\)", entry)) - {"core"}
    assert listed and registered["bundle"] == sorted(listed)


def test_every_trace_type_the_site_draws_is_registered(server, playground_figures, registered):
    _, site_dir = server
    figures = shipped_figures(site_dir)
    playground, _ = playground_figures
    # The sources are all there: pages, notebook pages and both of the Playground's plots.
    assert any(source.startswith("notebooks/") for source, _ in figures)
    assert {source for source, _ in playground} == {"playground/#rc-pg-contour", "playground/#rc-pg-loss"}
    used = types_used(figures + playground)
    assert {"scatter", "contour", "heatmap", "bar"} <= used.keys()
    assert unregistered(used, registered["bundle"]) == {}, \
        "trace types drawn by the site but not registered in gen/plotly_bundle/index.js"


def test_the_check_fails_for_an_unregistered_type(server, registered):
    """The check above against a figure that also draws a histogram, in one of its frames: the
    bundle does not register it (the dist does), so the check names it and where it is drawn."""
    _, site_dir = server
    extra = ("made-up/#1", {"data": [{"type": "scatter"}], "frames": [{"data": [{"type": "histogram"}]}]})
    used = types_used(shipped_figures(site_dir) + [extra])
    assert "histogram" in registered["dist"]
    assert unregistered(used, registered["bundle"]) == {"histogram": ["made-up/#1"]}


def representative(figures: list[tuple[str, dict]]) -> dict[str, tuple[str, dict]]:
    """For each trace type and layout feature the site uses, the smallest figure that has it."""
    features = {
        "contour": lambda f: "contour" in trace_types(f),
        "heatmap": lambda f: "heatmap" in trace_types(f),
        "bar": lambda f: "bar" in trace_types(f),
        "frames": lambda f: bool(f.get("frames")),
        "sliders": lambda f: bool(f["layout"].get("sliders")),
        "updatemenus": lambda f: bool(f["layout"].get("updatemenus")),
        "shapes": lambda f: bool(f["layout"].get("shapes")),
        "annotations": lambda f: bool(f["layout"].get("annotations")),
        "subplots": lambda f: "xaxis2" in f["layout"],
        "log axis": lambda f: any(v.get("type") == "log" for k, v in f["layout"].items()
                                  if re.fullmatch(r"[xy]axis\d*", k)),
    }
    chosen = {}
    for name, has in features.items():
        candidates = [(len(json.dumps(fig)), source, fig) for source, fig in figures if has(fig)]
        assert candidates, f"no figure of the site has {name}: update this list"
        _, source, fig = min(candidates, key=lambda c: (c[0], c[1]))
        chosen[name] = (source, fig)
    return chosen


def test_the_bundle_draws_the_site_figures_as_the_full_dist(server, browser):
    _, site_dir = server
    chosen = representative(shipped_figures(site_dir))
    figures = {source: fig for source, fig in chosen.values()}
    renders, console = {}, []
    for name, bundle in (("bundle", BUNDLE), ("dist", DIST)):
        for source, figure in figures.items():
            # A fresh page per figure: the same Math.random sequence from the first draw on.
            context, page, messages = _blank_page(browser, bundle)
            renders[name, source] = page.evaluate(RENDER, figure)
            console += [f"{name} {source}: {m}" for m in messages]
            context.close()
    assert console == []
    for source in figures:
        bundle, dist = renders["bundle", source], renders["dist", source]
        assert bundle.keys() == dist.keys()
        for state in bundle:
            assert bundle[state].startswith("data:image/svg+xml,")
            assert bundle[state] == dist[state], f"{source} ({state}) differs from the dist's drawing"
    assert any("last_frame" in renders["bundle", source] for source in figures)

"""Static-first figures (gen/statics.py, hooks/statics.py, figures.js upgrade): every figure
arrives as a picture of its first state, with or without JavaScript, in print and in both
palettes; the interactive figure replaces it in the same box; a press on a picture's button
gives the state the same press gives on the interactive figure."""
from __future__ import annotations

import json
import re

import pytest

from tests.browser.conftest import site_pages, wait_for_pictures, wake_figure

pytestmark = pytest.mark.browser

# Per figure placeholder: how many static pictures it holds, which one is shown (its classes),
# whether that one has loaded, and the placeholder's box.
SHOWN = """() => [...document.querySelectorAll('.rc-figure__plot')].map(p => {
  const shown = [...p.querySelectorAll('.rc-static__img')].filter(i => i.getClientRects().length > 0
      && getComputedStyle(i).display !== 'none' && i.offsetParent !== null);
  const box = p.getBoundingClientRect();
  return {id: p.getAttribute('data-figure'), count: p.querySelectorAll('.rc-static__img').length,
          drawn: p.getAttribute('data-rc-state') === 'rendered' && !!p.querySelector('.main-svg'),
          shown: shown.map(i => i.className), loaded: shown.map(i => i.complete && i.naturalWidth > 0),
          box: [box.width, box.height]};
})"""

def figure_pages(server):
    _, site_dir = server
    return [p for p in site_pages(site_dir)
            if "rc-figure__plot" in (site_dir / p / "index.html").read_text(encoding="utf-8")]


def _shown(page):
    """SHOWN, once the pictures have come into view and loaded."""
    wait_for_pictures(page)
    return page.evaluate(SHOWN)


@pytest.mark.parametrize("js", [False, True], ids=["javascript-off", "javascript-on"])
def test_every_figure_shows_its_static_render_before_any_interaction(server, new_page, js):
    """Read top to bottom without touching anything: no figure box is ever empty."""
    root_url, _ = server
    seen = 0
    for path in figure_pages(server):
        rec = new_page(java_script_enabled=js)
        page = rec.goto(root_url + path)
        try:
            if js:   # pictures only: nothing is drawn yet, plotly.js was not even fetched
                assert page.evaluate("() => typeof window.Plotly") == "undefined"
            for figure in _shown(page):
                assert figure["count"] == 4, f"{path}{figure['id']}: {figure['count']} static renders"
                if js and figure["drawn"] and not figure["shown"]:
                    continue   # drawn already (3 s after load, idle and in view): the real figure
                assert len(figure["shown"]) == 1, f"{path}{figure['id']}: shows {figure['shown']}"
                assert "rc-static--wide" in figure["shown"][0] and "rc-static--default" in figure["shown"][0], \
                    f"{path}{figure['id']}: at 1280 px shows {figure['shown']}"
                assert figure["loaded"] == [True], f"{path}{figure['id']}: picture did not load"
                seen += 1
            rec.check_clean()
        finally:
            rec.close()
    assert seen >= 20


@pytest.mark.parametrize("width,height,variant", [(1280, 900, "wide"), (390, 844, "narrow")])
def test_the_interactive_figure_takes_the_static_renders_box(server, new_page, width, height, variant):
    root_url, _ = server
    checked = 0
    for path in figure_pages(server):
        rec = new_page(width=width, height=height)
        page = rec.goto(root_url + path)
        try:
            # (A figure the idle upgrade drew already, 3 s after load, has no picture box to compare.)
            before = {f["id"]: f for f in _shown(page) if not f["drawn"]}
            for fid, figure in before.items():
                assert f"rc-static--{variant}" in figure["shown"][0], f"{path}{fid}: {figure['shown']}"
            for i in range(page.locator(".rc-figure__plot").count()):
                plot = page.locator(".rc-figure__plot").nth(i)
                wake_figure(plot)
            page.wait_for_function("""() => [...document.querySelectorAll('.rc-figure__plot')]
                .every(p => p.getAttribute('data-rc-state') === 'rendered')""", timeout=30000)
            after = {f["id"]: f for f in page.evaluate(SHOWN)}
            for fid, figure in after.items():
                assert figure["shown"] == [], f"{path}{fid}: the picture still shows over the figure"
                if fid not in before:
                    continue
                old, new = before[fid]["box"], figure["box"]
                assert abs(old[0] - new[0]) <= 1 and abs(old[1] - new[1]) <= 1, \
                    f"{path}{fid} at {width} px: static {old} -> interactive {new}"
                checked += 1
            rec.check_clean()
        finally:
            rec.close()
    assert checked >= 20


GRAPH_STATE = """(id) => {
  const gd = document.getElementById(id + '-graph');
  const axes = Object.keys(gd.layout).filter(k => /^[xy]axis\\d*$/.test(k)).sort()
    .map(k => [k, gd.layout[k].range]);
  const end = a => (a && a.length) ? [a.length, a[0], a[a.length - 1]] : null;
  return JSON.stringify({traces: gd.data.map(t => [t.name, t.visible === undefined ? true : t.visible, end(t.x), end(t.y),
                                                   t.z ? JSON.stringify(t.z) : null]),
                         axes, annotations: (gd.layout.annotations || []).map(a => a.text)});
}"""


def test_a_press_on_a_static_figures_button_gives_the_interactive_state(server, new_page):
    """The first press draws the figure and then applies: no press is lost."""
    root_url, _ = server
    tried = 0
    for path in figure_pages(server):
        rec = new_page()
        page = rec.goto(root_url + path)
        try:
            buttons = page.locator(".rc-figure__buttons")
            if buttons.count() == 0:
                continue
            group = buttons.first
            fid = group.evaluate("g => g.closest('figure').id")
            last = group.locator('button[aria-pressed="false"]').last   # one that changes the state
            label = last.inner_text()
            pressed = (f"() => [...document.querySelectorAll('#{fid} .rc-figure__buttons button')]"
                       f".some(b => b.textContent === {json.dumps(label)} && b.getAttribute('aria-pressed') === 'true')")
            # On the static render: the press is the first interaction with the figure.
            last.evaluate("b => b.click()")   # a click without moving the pointer over the plot
            page.wait_for_function(f"() => document.querySelector('#{fid} .rc-figure__plot')"
                                   ".getAttribute('data-rc-state') === 'rendered'", timeout=30000)
            page.wait_for_function(pressed, timeout=10000)
            from_static = page.evaluate(GRAPH_STATE, fid)
            rec.check_clean()
        finally:
            rec.close()
        rec = new_page()
        page = rec.goto(root_url + path)
        try:
            plot = page.locator(f"#{fid} .rc-figure__plot")
            wake_figure(plot)
            page.wait_for_function(f"() => document.querySelector('#{fid} .rc-figure__plot')"
                                   ".getAttribute('data-rc-state') === 'rendered'", timeout=30000)
            initial = page.evaluate(GRAPH_STATE, fid)
            page.locator(f"#{fid} .rc-figure__buttons").first.get_by_role("button", name=label, exact=True).click()
            page.wait_for_function(pressed, timeout=10000)
            from_interactive = page.evaluate(GRAPH_STATE, fid)
            rec.check_clean()
        finally:
            rec.close()
        assert from_static == from_interactive, f"{path}{fid}: {json.dumps(label)} differs"
        assert from_static != initial, f"{path}{fid}: {json.dumps(label)} changed nothing (the test shows nothing)"
        tried += 1
    assert tried >= 3, "fewer than three pages have figure buttons"


def test_print_shows_the_light_renders_and_no_controls(server, new_page):
    root_url, _ = server
    for scheme in ("light", "dark"):
        for path in figure_pages(server)[:4]:
            rec = new_page(color_scheme=scheme)
            page = rec.goto(root_url + path)
            try:
                first = page.locator(".rc-figure__plot").first   # drawn interactively, then printed
                wake_figure(first)
                page.wait_for_function("() => document.querySelector('.rc-figure__plot')"
                                       ".getAttribute('data-rc-state') === 'rendered'", timeout=30000)
                page.emulate_media(media="print")
                for figure in _shown(page):
                    assert len(figure["shown"]) == 1 and "rc-static--default" in figure["shown"][0], \
                        f"{path}{figure['id']} in print ({scheme}): {figure['shown']}"
                hidden = page.evaluate("""() => ({
                  controls: [...document.querySelectorAll('.rc-figure__controls-slot, .rc-figure__links, .rc-figure__graph')]
                    .filter(e => e.getClientRects().length > 0).length,
                  captions: [...document.querySelectorAll('.rc-figure__caption')].filter(e => e.getClientRects().length > 0).length,
                  figures: document.querySelectorAll('.rc-figure').length})""")
                assert hidden["controls"] == 0, f"{path}: controls or the live graph print"
                assert hidden["captions"] == hidden["figures"], f"{path}: a caption does not print"
                rec.check_clean()
            finally:
                rec.close()


def test_the_dark_scheme_shows_the_dark_render(server, new_page):
    root_url, _ = server
    for path in figure_pages(server)[:4]:
        rec = new_page(color_scheme="dark")
        page = rec.goto(root_url + path)
        try:
            assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == "slate"
            for figure in _shown(page):
                if figure["drawn"] and not figure["shown"]:
                    continue   # drawn already (idle and in view 3 s after load)
                assert len(figure["shown"]) == 1 and "rc-static--slate" in figure["shown"][0], \
                    f"{path}{figure['id']}: {figure['shown']}"
            # The palette toggle switches the picture too.
            page.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'default')")
            for figure in _shown(page):
                if not figure["drawn"]:
                    assert "rc-static--default" in figure["shown"][0], f"{path}{figure['id']}: {figure['shown']}"
            rec.check_clean()
        finally:
            rec.close()


def test_static_renders_are_plotlys_own_svg_or_sharp_webp(server):
    """Each picture is the figure as drawn: an SVG with Plotly's main layer, or (heavy figures)
    WebP at 1x and 2x; every file a page names exists."""
    _, site_dir = server
    statics = site_dir / "assets" / "statics"
    files = sorted(statics.iterdir())
    assert files
    for path in files:
        if path.suffix == ".svg":
            text = path.read_text(encoding="utf-8")
            assert text.startswith("<svg") and 'class="main-svg"' in text, path.name
        else:
            assert path.suffix == ".webp" and path.read_bytes()[8:12] == b"WEBP", path.name
    for page in figure_pages(server):
        html = (site_dir / page / "index.html").read_text(encoding="utf-8")
        for name in set(re.findall(r'assets/statics/([^" ,]+)', html)):
            assert (statics / name).is_file(), f"{page}: {name} is missing"

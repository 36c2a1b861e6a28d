"""The site's layout on phones and desktops, and the Playground's animation (issue #14), measured
in a real browser: at 1280 x 800 the Playground's plots and settings share the screen; at 390 x 844
its contour comes first and stays in view, zooms to the paths and the step table fits; no page of
the site scrolls sideways on a phone; no figure title leaves its figure or covers another, panels
side by side are stacked and contours keep equal aspect; Play / Pause, the space bar, the speed,
and no autoplay under reduced motion.

Uses the session fixtures of tests/browser/conftest.py (the site built once and served on
127.0.0.1).
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import render_all_figures, site_pages
from tests.browser.test_playground import draw_playground

pytestmark = pytest.mark.browser

RENDERED = "#rc-playground[data-rc-state='rendered']"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
ESSAY_PAGES = ["", "favourable-starts/", "scaling-vs-momentum/", "magnitude-effect/",
               "when-rmsprop-helps/", "noisy-gradients/", "update-rules/"]


@pytest.fixture
def open_page(new_page):
    """open_page(url, viewport=PHONE, phone=True, reduced_motion=None) -> PageRecorder (a phone
    below 600 px: mobile and touch); the Playground's page is drawn before it returns."""

    def make(url, viewport=PHONE, phone=None, reduced_motion="no-preference", wait_playground=None):
        phone = viewport["width"] < 600 if phone is None else phone
        rec = new_page(width=viewport["width"], height=viewport["height"], is_mobile=phone,
                       has_touch=phone, reduced_motion=reduced_motion)
        rec.goto(url)
        if wait_playground is None:
            wait_playground = "playground/" in url
        if wait_playground:
            draw_playground(rec.page)
        return rec

    return make


def box(page, selector):
    return page.evaluate("(s) => { const r = document.querySelector(s).getBoundingClientRect();"
                         " return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height}; }",
                         selector)


def query(page) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query, keep_blank_values=True).items()}


def header_bottom(page) -> float:
    return page.evaluate("() => document.querySelector('.md-header').getBoundingClientRect().bottom")


def step_shown(page) -> int:
    return int(page.inner_text("#rc-pg-step-out").split(" of ")[0])


# ----- the Playground on a desktop ----------------------------------------------------------


def test_desktop_plots_and_settings_share_the_screen(server, open_page):
    root_url, _ = server
    rec = open_page(root_url + "playground/", viewport=DESKTOP)
    page = rec.page
    # No navigation or table-of-contents sidebar on this page: the Playground has the width.
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert not page.locator(".md-sidebar--secondary").is_visible()
    assert box(page, "#rc-playground")["width"] >= 1180
    # With the Playground scrolled to the top, the contour, the stepper, the loss and the first
    # settings are all on screen, the settings beside the plots.
    page.evaluate("() => window.scrollTo(0, document.querySelector('.rc-pg__layout').getBoundingClientRect().top + scrollY - 60)")
    page.wait_for_timeout(200)
    top, height = header_bottom(page), DESKTOP["height"]
    for selector in ("#rc-pg-contour-wrap", ".rc-pg__stepper", "#rc-pg-loss"):
        b = box(page, selector)
        assert b["top"] >= top - 1 and b["bottom"] <= height + 1, f"{selector} is not on screen: {b}"
    contour, surface = box(page, "#rc-pg-contour-wrap"), box(page, "#rc-pg-fn")
    assert surface["left"] > contour["right"], "the settings are not beside the plots"
    assert top <= surface["top"] and surface["bottom"] <= height
    # Scrolling through the settings leaves the plots where they are (sticky).
    page.mouse.wheel(0, 600)
    page.wait_for_function("() => document.getElementById('rc-pg-fn').getBoundingClientRect().bottom < 0")
    for selector in ("#rc-pg-contour-wrap", "#rc-pg-loss"):
        b = box(page, selector)
        assert b["top"] >= top - 1 and b["bottom"] <= height + 1, f"{selector} scrolled away: {b}"
    assert page.locator("#rc-pg-on-adam").is_visible()
    # A wide screen shows the whole surface unless the link asks for the paths' box.
    assert page.get_attribute("#rc-pg-zoom", "aria-pressed") == "false"
    assert page.evaluate("() => document.getElementById('rc-pg-contour').layout.xaxis.range") == [-4, 4]
    rec.check_clean()


# ----- the Playground on a phone -------------------------------------------------------------


# The widest text of a <select>'s options, in its own font, against the room inside it (its width
# less the padding and the drop-down arrow, which Chromium draws in about 20 px).
MENU_ROOM = """() => {
  const s = document.getElementById('rc-pg-fn'), cs = getComputedStyle(s);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = cs.fontWeight + ' ' + cs.fontSize + ' ' + cs.fontFamily;
  const names = [...s.options].map(o => o.text);
  const widest = Math.max(...names.map(n => ctx.measureText(n).width));
  const room = s.getBoundingClientRect().width - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20;
  return { widest, room, names, right: s.getBoundingClientRect().right,
           rowRight: s.parentElement.getBoundingClientRect().right };
}"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280x800", "390x844"])
def test_the_surface_menu_shows_every_name_in_full(server, open_page, viewport):
    root_url, _ = server
    rec = open_page(root_url + "playground/", viewport=viewport)
    menu = rec.page.evaluate(MENU_ROOM)
    assert len(menu["names"]) >= 7 and "Course bowl (elongated quadratic)" in menu["names"]
    assert menu["widest"] <= menu["room"], menu
    assert menu["right"] <= menu["rowRight"] + 0.5, "the menu sticks out of its fieldset"
    rec.check_clean()


def test_phone_contour_first_in_view_fitting_the_paths(server, open_page):
    root_url, _ = server
    rec = open_page(root_url + "playground/")
    page = rec.page
    width, height = PHONE["width"], PHONE["height"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    # The contour's top edge is on the first screen, above every setting.
    contour = box(page, "#rc-pg-contour-wrap")
    assert contour["top"] < height
    assert contour["bottom"] < box(page, "#rc-pg-fn")["top"], "the settings come before the contour"
    # The plot fills the width: its plot area is most of the screen's.
    assert box(page, "#rc-pg-contour .nsewdrag")["width"] >= 0.75 * width
    # Scrolling down to the methods: the contour and its stepper stay in view.
    page.locator("#rc-pg-on-adam").scroll_into_view_if_needed()
    page.wait_for_timeout(200)
    top = header_bottom(page)
    for selector in ("#rc-pg-contour-wrap", "#rc-pg-play", "#rc-pg-step"):
        b = box(page, selector)
        assert b["top"] >= top - 1 and b["bottom"] <= height, f"{selector} scrolled away: {b}"
    adam = box(page, "#rc-pg-on-adam")
    assert adam["top"] >= box(page, ".rc-pg__stage")["bottom"] - 1, "the checkbox is under the contour"
    # Taller screens only: what stays in view leaves at least a third of the screen to the settings.
    assert box(page, ".rc-pg__stage")["bottom"] <= height * 2 / 3
    # The phone zooms to the paths by default (zoom=fit, not written into the link).
    assert page.get_attribute("#rc-pg-zoom", "aria-pressed") == "true"
    assert "zoom" not in page.input_value("#rc-pg-link")
    rec.check_clean()


def test_phone_zoom_toggle_and_its_link(server, open_page):
    root_url, _ = server
    # From a start near the minimum the paths span a small part of the bowl: fitted, the view is it.
    rec = open_page(root_url + "playground/?fn=bowl&start=0.5,0.3&steps=60&methods=gd,rmsprop")
    page = rec.page
    ranges = "() => { const L = document.getElementById('rc-pg-contour').layout; return [L.xaxis.range, L.yaxis.range]; }"
    (x0, x1), (y0, y1) = page.evaluate(ranges)
    assert x1 - x0 < 3 and -4 <= x0 < x1 <= 4 and -2 <= y0 < y1 <= 2, [x0, x1, y0, y1]
    paths = page.evaluate("() => document.getElementById('rc-pg-contour').data.filter(t => t.mode === 'lines+markers')")
    for trace in paths:
        assert all(x0 <= x <= x1 for x in trace["x"]) and all(y0 <= y <= y1 for y in trace["y"]), trace["name"]
    # The toggle shows the whole surface and says so in the link; back again.
    page.click("#rc-pg-zoom")
    page.wait_for_function("() => new URLSearchParams(location.search).get('zoom') === 'full'")
    assert page.get_attribute("#rc-pg-zoom", "aria-pressed") == "false"
    assert page.evaluate(ranges) == [[-4, 4], [-2, 2]]
    page.click("#rc-pg-zoom")
    page.wait_for_function("() => new URLSearchParams(location.search).get('zoom') === 'fit'")
    assert page.evaluate(ranges) == [[x0, x1], [y0, y1]]
    # A link's zoom wins over the screen's default, and a bad one is reported.
    rec.page.goto(root_url + "playground/?zoom=full", wait_until="load")
    draw_playground(page)
    assert page.get_attribute("#rc-pg-zoom", "aria-pressed") == "false"
    rec.page.goto(root_url + "playground/?zoom=%3Cb%3Ebig%3C%2Fb%3E", wait_until="load")
    draw_playground(page)
    assert 'zoom: "<b>big</b>" must be one of fit, full' in page.inner_text("#rc-pg-status")
    assert page.locator("#rc-pg-status b").count() == 0
    rec.check_clean()


def test_phone_step_table_fits_without_sideways_scrolling(server, open_page):
    root_url, _ = server
    rec = open_page(root_url + "playground/?methods=gd,momentum,rmsprop,adam,ngd,sign&noise=0.5&seed=3&t=7")
    page = rec.page
    fits = page.evaluate("""() => {
      const wrap = document.querySelector('.rc-pg__table-wrap'), table = document.getElementById('rc-pg-table');
      const cells = [...table.querySelectorAll('tbody td, tbody th')].map(c => c.getBoundingClientRect());
      const w = wrap.getBoundingClientRect();
      return {scroll: wrap.scrollWidth <= wrap.clientWidth + 1, table: table.getBoundingClientRect().width <= w.width + 1,
              cells: cells.every(r => r.left >= w.left - 1 && r.right <= w.right + 1),
              labels: [...table.querySelectorAll('tbody tr:first-child td')].map(c => c.getAttribute('data-label'))};
    }""")
    assert fits["scroll"] and fits["table"] and fits["cells"], fits
    # Stacked, each number is shown under its column's name (the header row is for screen readers).
    assert fits["labels"][:2] == ["x\u209c", "g = \u2207f(x\u209c) + \u03c3z\u209c"]
    assert page.locator("#rc-pg-table td").first.inner_text() != ""
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    rec.check_clean()


# ----- every page on a phone ------------------------------------------------------------------


def test_no_page_scrolls_sideways_on_a_phone(server, open_page):
    root_url, site_dir = server
    rec = open_page(root_url, wait_playground=False)
    wide = []
    for path in site_pages(site_dir):
        rec.page.goto(root_url + path, wait_until="load")
        if "playground" in path:
            draw_playground(rec.page)
        render_all_figures(rec.page)
        rec.page.wait_for_timeout(150)
        sw = rec.page.evaluate("() => document.documentElement.scrollWidth")
        if sw > PHONE["width"]:
            culprit = rec.page.evaluate("""(w) => [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('svg, .katex-mathml'))
              .slice(0, 3).map(e => e.tagName + '.' + e.className)""", PHONE["width"])
            wide.append(f"/{path}: {sw} px ({culprit})")
    assert wide == [], "pages wider than the phone:\n" + "\n".join(wide)
    rec.check_clean()


# ----- figures on a phone --------------------------------------------------------------------

FIGURE_LAYOUT = """(id) => {
  const fig = document.getElementById(id), gd = fig.querySelector('.rc-figure__graph'), F = gd.getBoundingClientRect();
  const rect = e => { const r = e.getBoundingClientRect(); return {l: r.left, r: r.right, t: r.top, b: r.bottom, w: r.width, h: r.height}; };
  const texts = [...gd.querySelectorAll('.gtitle, .annotation-text')].map(e => Object.assign(rect(e), {text: e.textContent}))
    .filter(r => r.w > 0);
  const plots = [...gd.querySelectorAll('.nsewdrag')].map(rect);
  const legend = gd.querySelector('.legend');
  const L = gd._fullLayout, aspect = [];
  Object.keys(L).filter(k => /^yaxis\\d*$/.test(k) && L[k].scaleanchor).forEach(k => {
    const ya = L[k], xa = L[ya.scaleanchor.replace('x', 'xaxis')];
    const px = a => a._length / Math.abs(a.range[1] - a.range[0]);
    aspect.push({axis: k, ratio: px(ya) / px(xa) / (ya.scaleratio || 1)});
  });
  return {figure: {l: F.left, r: F.right, t: F.top, b: F.bottom}, texts, plots, legend: legend ? rect(legend) : null, aspect};
}"""


def _overlap(a, b, slack=1.0):
    return a["l"] < b["r"] - slack and b["l"] < a["r"] - slack and a["t"] < b["b"] - slack and b["t"] < a["b"] - slack


@pytest.mark.parametrize("width", [360, 390])
def test_figure_titles_panels_and_legends_on_a_phone(server, open_page, width):
    """No title leaves its figure or covers another title; panels side by side are stacked;
    a legend covers no plot area; contours keep equal aspect."""
    root_url, _ = server
    rec = open_page(root_url, viewport={"width": width, "height": 844}, wait_playground=False)
    problems, seen = [], 0
    for path in ESSAY_PAGES:
        rec.page.goto(root_url + path, wait_until="load")
        render_all_figures(rec.page)
        for fid in rec.page.evaluate("() => [...document.querySelectorAll('figure.rc-figure')].map(f => f.id)"):
            seen += 1
            rec.page.locator(f"#{fid}").scroll_into_view_if_needed()
            info = rec.page.evaluate(FIGURE_LAYOUT, fid)
            F = info["figure"]
            for t in info["texts"]:
                if t["l"] < F["l"] - 0.5 or t["r"] > F["r"] + 0.5 or t["t"] < F["t"] - 0.5 or t["b"] > F["b"] + 0.5:
                    problems.append(f"/{path}#{fid}: title {t['text'][:40]!r} leaves the figure "
                                    f"({t['l'] - F['l']:.0f}..{t['r'] - F['l']:.0f} of {F['r'] - F['l']:.0f} px)")
            texts = info["texts"]
            for i, a in enumerate(texts):
                for b in texts[i + 1:]:
                    if _overlap(a, b):
                        problems.append(f"/{path}#{fid}: {a['text'][:30]!r} overlaps {b['text'][:30]!r}")
            plots = info["plots"]
            for i, a in enumerate(plots):
                for b in plots[i + 1:]:
                    if a["t"] < b["b"] - 1 and b["t"] < a["b"] - 1:
                        problems.append(f"/{path}#{fid}: two panels side by side")
            if info["legend"]:
                for p in plots:
                    if _overlap(info["legend"], p):
                        problems.append(f"/{path}#{fid}: the legend covers a plot area")
            for a in info["aspect"]:
                if abs(a["ratio"] - 1) > 0.01:
                    problems.append(f"/{path}#{fid}: {a['axis']} lost its equal aspect ({a['ratio']:.3f})")
    assert seen >= 15, f"only {seen} figures"
    assert problems == [], "\n".join(problems)
    rec.check_clean()


def test_a_figure_goes_back_to_its_wide_layout(server, open_page):
    """Stacked at a phone's width, side by side again when the page widens; a button's new title
    wraps at the width it is shown at."""
    root_url, _ = server
    rec = open_page(root_url + "favourable-starts/", wait_playground=False)
    page = rec.page
    render_all_figures(page)
    panels = "() => [...document.querySelectorAll('#fig-rotated .nsewdrag')].map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom]; })"
    (l1, r1, t1, b1), (l2, r2, t2, b2) = sorted(page.evaluate(panels), key=lambda p: p[2])
    assert b1 < t2, "the rotated-bowl figure's panels are not stacked on a phone"
    title = "() => document.getElementById('fig-sweep-graph').layout.annotations[0].text"
    assert page.evaluate(title).count("<br>") >= 1
    page.get_by_role("button", name="Steeper bowl").click()
    page.wait_for_function(f"() => ({title})().includes('200')")
    assert page.evaluate(title).count("<br>") >= 1
    page.set_viewport_size({"width": 1400, "height": 900})
    page.wait_for_function(f"() => {{ const p = ({panels})(); return p[0][2] < p[1][3] && p[1][2] < p[0][3]; }}")
    (l1, r1, _, _), (l2, r2, _, _) = sorted(page.evaluate(panels))
    assert r1 < l2, "the panels are not side by side again"
    rec.check_clean()


# ----- Play / Pause --------------------------------------------------------------------------


def test_play_advances_and_pause_stops(server, open_page):
    root_url, _ = server
    rec = open_page(root_url + "playground/?methods=gd,rmsprop&steps=150", viewport=DESKTOP)
    page = rec.page
    play = page.locator("#rc-pg-play")
    assert play.inner_text().strip().endswith("Play")
    play.click()
    assert play.inner_text().strip().endswith("Pause")
    page.wait_for_function("() => parseInt(document.getElementById('rc-pg-step-out').textContent) >= 3")
    play.click()
    assert page.get_attribute(RENDERED, "data-rc-playing") == "false"
    t = step_shown(page)
    page.wait_for_timeout(600)
    assert step_shown(page) == t, "the step moved after Pause"
    # Paused, the step is in the link, and its arrows are back (two per method).
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('t') === '{t}'")
    assert f"t={t}" in page.input_value("#rc-pg-link")
    assert page.evaluate("() => document.getElementById('rc-pg-contour').layout.annotations.length") == 4
    # At the fastest speed the run plays to its last step and stops there; Play again restarts.
    page.select_option("#rc-pg-speed", "120")
    play.click()
    page.wait_for_function("() => document.getElementById('rc-playground').getAttribute('data-rc-playing') === 'false'", timeout=15000)
    assert page.inner_text("#rc-pg-step-out") == "150 of 150"
    assert query(page)["t"] == "150"
    play.click()
    page.wait_for_function("() => parseInt(document.getElementById('rc-pg-step-out').textContent) < 150")
    page.click("#rc-pg-prev")   # a manual step pauses
    assert page.get_attribute(RENDERED, "data-rc-playing") == "false"
    rec.check_clean()


def test_space_on_the_contour_toggles_play(server, open_page):
    root_url, _ = server
    rec = open_page(root_url + "playground/?methods=gd,momentum&steps=200", viewport=DESKTOP)
    page = rec.page
    page.focus("#rc-pg-contour-wrap")
    before = page.evaluate("() => scrollY")
    page.keyboard.press("Space")
    assert page.get_attribute(RENDERED, "data-rc-playing") == "true"
    page.wait_for_function("() => parseInt(document.getElementById('rc-pg-step-out').textContent) >= 2")
    page.keyboard.press("Space")
    assert page.get_attribute(RENDERED, "data-rc-playing") == "false"
    assert page.evaluate("() => scrollY") == before, "the space bar scrolled the page"
    t = step_shown(page)
    page.wait_for_timeout(400)
    assert step_shown(page) == t
    # The arrow keys still step (and pause a running play).
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    assert page.get_attribute(RENDERED, "data-rc-playing") == "false"
    rec.check_clean()


def test_a_tap_plays_from_the_new_start_unless_reduced_motion(server, open_page):
    root_url, _ = server
    for motion, autoplay in (("no-preference", True), ("reduce", False)):
        rec = open_page(root_url + "playground/?methods=gd,rmsprop&steps=300", reduced_motion=motion)
        page = rec.page
        assert page.get_attribute(RENDERED, "data-rc-playing") == "false", "played on load"
        page.wait_for_timeout(300)
        assert step_shown(page) == 0
        page.locator("#rc-pg-contour-wrap").scroll_into_view_if_needed()
        b = box(page, "#rc-pg-contour .nsewdrag")
        page.touchscreen.tap(b["left"] + 0.3 * b["width"], b["top"] + 0.3 * b["height"])
        page.wait_for_function("() => new URLSearchParams(location.search).has('start')")
        page.wait_for_timeout(500)
        playing = page.get_attribute(RENDERED, "data-rc-playing") == "true"
        assert playing == autoplay, f"{motion}: playing={playing}"
        if not autoplay:
            assert step_shown(page) == 0
            page.click("#rc-pg-play")   # Play still works
            page.wait_for_function("() => parseInt(document.getElementById('rc-pg-step-out').textContent) >= 2")
            page.click("#rc-pg-play")
        rec.check_clean()

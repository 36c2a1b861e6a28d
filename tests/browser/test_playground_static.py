"""The Playground static first (issue #15): on a bare address its contour and loss plot arrive
as the build's pictures of the default state (docs/playground.md's data-rc-static slots,
hooks/statics.py), plotly.js is not loaded until the reader's first interaction (or an idle
moment after load), the drawn plots take the pictures' box, a click or tap on the picture is not
lost, a shared link draws at once, and print, the dark palette and no JavaScript show the right
picture."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import wait_for_pictures, wake_figure

pytestmark = pytest.mark.browser

RENDERED = "#rc-playground[data-rc-state='rendered']"
STATIC = "#rc-playground[data-rc-state='static']"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# The pictures shown (their classes, loaded or not) in each slot, and the plots' boxes.
STATE = """() => {
  const shown = key => [...document.querySelectorAll(`[data-rc-static="${key}"] .rc-static__img`)]
    .filter(i => i.getClientRects().length > 0 && getComputedStyle(i).display !== 'none' && i.offsetParent !== null)
    .map(i => ({cls: i.className, loaded: i.complete && i.naturalWidth > 0}));
  const box = sel => { const e = document.querySelector(sel); if (!e) return null;
    const r = e.getBoundingClientRect(); return [r.left + scrollX, r.top + scrollY, r.width, r.height]; };
  const graph = sel => { const e = document.querySelector(sel); return !!e && e.getClientRects().length > 0
    && getComputedStyle(e).visibility !== 'hidden' && !!e.querySelector('.main-svg'); };
  return {contour: shown('pg-contour'), loss: shown('pg-loss'), plotly: typeof window.Plotly,
          contourBox: box('#rc-pg-contour-wrap'), lossBox: box('#rc-pg-loss-wrap'),
          contourGraph: graph('#rc-pg-contour'), lossGraph: graph('#rc-pg-loss'),
          state: document.getElementById('rc-playground').getAttribute('data-rc-state')};
}"""

def _open(new_page, url, viewport=DESKTOP, **options):
    """(page, its recorder) at `url`: a context of its own, checked for errors and for requests
    that leave the host."""
    rec = new_page(width=viewport["width"], height=viewport["height"], **options)
    return rec.goto(url), rec


def _plotly_requests(rec):
    return [url for url in rec.requests if "plotly" in url]


def query(page) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


@pytest.mark.parametrize("viewport,variant", [(DESKTOP, "wide"), (PHONE, "narrow")], ids=["1280x800", "390x844"])
def test_a_bare_address_shows_the_pictures_until_the_pointer_enters(server, new_page, viewport, variant):
    root_url, _ = server
    page, rec = _open(new_page, root_url + "playground/", viewport)
    page.wait_for_selector(STATIC, state="attached", timeout=20000)
    wait_for_pictures(page)
    page.wait_for_timeout(1000)   # well past the load event, short of the idle upgrade (3 s)
    before = page.evaluate(STATE)
    assert before["state"] == "static"
    for key in ("contour", "loss"):
        assert len(before[key]) == 1, f"{key}: {before[key]}"
        assert f"rc-static--{variant}" in before[key][0]["cls"] and "rc-static--default" in before[key][0]["cls"]
        assert before[key][0]["loaded"], f"{key}: the picture did not load"
    assert before["plotly"] == "undefined" and _plotly_requests(rec) == [], "plotly.js loaded before any interaction"
    assert not before["contourGraph"] and not before["lossGraph"]
    # The numbers are there at once (the engine is cheap).
    assert page.locator("#rc-pg-summary li").count() == 3
    assert page.locator("#rc-pg-table tbody tr").count() == 3
    # The pointer enters the contour: plotly.js loads and draws, the pictures go, the box stays.
    wake_figure(page.locator("#rc-pg-contour-wrap"))
    page.wait_for_selector(RENDERED, state="attached", timeout=20000)
    after = page.evaluate(STATE)
    assert after["contour"] == [] and after["loss"] == [], "a picture still shows over the plots"
    assert after["contourGraph"] and after["lossGraph"] and after["plotly"] == "object"
    for key in ("contourBox", "lossBox"):
        old, new = before[key], after[key]
        assert all(abs(a - b) <= 1 for a, b in zip(old, new)), f"{key} at {viewport}: {old} -> {new}"
    rec.check_clean()


def test_without_interaction_the_plots_are_drawn_when_idle(server, new_page):
    root_url, _ = server
    page, rec = _open(new_page, root_url + "playground/")
    page.wait_for_selector(STATIC, state="attached", timeout=20000)
    page.wait_for_selector(RENDERED, state="attached", timeout=15000)
    assert page.evaluate(STATE)["contourGraph"]
    rec.check_clean()


def _plot_area(new_page, root_url, viewport, **options):
    """The drawn contour's plot area (in the contour frame) and axis ranges, from a page drawn at
    once (a query string that changes nothing: the default state's layout)."""
    page, rec = _open(new_page, root_url + "playground/?steps=150", viewport, **options)
    page.wait_for_selector(RENDERED, state="attached", timeout=20000)
    area = page.evaluate("""() => {
      const a = document.querySelector('#rc-pg-contour .nsewdrag').getBoundingClientRect();
      const w = document.getElementById('rc-pg-contour-wrap').getBoundingClientRect();
      const L = document.getElementById('rc-pg-contour').layout;
      return {x: a.left - w.left, y: a.top - w.top, width: a.width, height: a.height,
              xr: L.xaxis.range, yr: L.yaxis.range};
    }""")
    rec.close()
    return area


# Records the Playground's state at the moment of each click (before ui.js sees it).
CLICK_SPY = """() => { window.__clickStates = [];
  window.addEventListener('click', () => window.__clickStates.push(
    document.getElementById('rc-playground').getAttribute('data-rc-state')), true); }"""


def _picture_to_press(new_page, root_url, viewport, **options):
    """A bare address showing its pictures, with CLICK_SPY set: (page, recorder, the contour's box)."""
    page, rec = _open(new_page, root_url + "playground/", viewport, reduced_motion="reduce", **options)
    page.wait_for_selector(STATIC, state="attached", timeout=20000)
    page.evaluate(CLICK_SPY)
    wrap = page.locator("#rc-pg-contour-wrap")
    wrap.scroll_into_view_if_needed()
    return page, rec, wrap.bounding_box()


def test_a_click_on_the_contours_picture_sets_the_start_there(server, new_page):
    root_url, _ = server
    area = _plot_area(new_page, root_url, DESKTOP)
    page, rec, box = _picture_to_press(new_page, root_url, DESKTOP)
    # At 3/4 of the plot area's width and 1/4 of its height: (2, 1) on the bowl's [-4, 4] x [-2, 2].
    assert area["xr"] == [-4, 4] and area["yr"] == [-2, 2]
    page.mouse.click(box["x"] + area["x"] + 0.75 * area["width"], box["y"] + area["y"] + 0.25 * area["height"])
    page.wait_for_function("() => new URLSearchParams(location.search).has('start')", timeout=20000)
    assert page.evaluate("() => window.__clickStates") == ["static"], "the click did not land on the picture"
    x, y = (float(v) for v in query(page)["start"].split(","))
    assert abs(x - 2.0) < 0.05 and abs(y - 1.0) < 0.05, (x, y)
    firsts = page.evaluate("() => document.getElementById('rc-pg-contour').data"
                           ".filter(t => t.mode === 'lines+markers').map(t => [t.x[0], t.y[0]])")
    assert firsts and all(f == [x, y] for f in firsts)
    assert "Start set to" in page.inner_text("#rc-pg-status")
    rec.check_clean()


def test_a_tap_on_the_contours_picture_is_not_lost(server, new_page):
    root_url, _ = server
    touch = {"has_touch": True, "is_mobile": True}
    area = _plot_area(new_page, root_url, PHONE, **touch)
    page, rec, box = _picture_to_press(new_page, root_url, PHONE, **touch)
    # A phone fits the paths' box: the tap at the plot area's middle is the middle of its ranges.
    page.tap("#rc-pg-contour-wrap", position={"x": area["x"] + area["width"] / 2, "y": area["y"] + area["height"] / 2})
    page.wait_for_function("() => new URLSearchParams(location.search).has('start')", timeout=20000)
    assert page.evaluate("() => window.__clickStates") == ["static"], "the tap did not land on the picture"
    (x0, x1), (y0, y1) = area["xr"], area["yr"]
    x, y = (float(v) for v in query(page)["start"].split(","))
    assert abs(x - (x0 + x1) / 2) < 0.02 * (x1 - x0) and abs(y - (y0 + y1) / 2) < 0.02 * (y1 - y0), (x, y, area)
    assert box["width"] > 0
    rec.check_clean()


def test_a_shared_link_draws_at_once(server, new_page):
    root_url, _ = server
    page, rec = _open(new_page, root_url + "playground/?methods=gd,adam&steps=80")
    # No interaction, and sooner than the idle upgrade of a bare address.
    page.wait_for_selector(RENDERED, state="attached", timeout=2500)
    state = page.evaluate(STATE)
    assert state["contour"] == [] and state["loss"] == [], "the default state's pictures show for another state"
    assert state["contourGraph"] and state["lossGraph"]
    rec.check_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_print_shows_the_light_pictures_and_no_controls(server, new_page, scheme):
    root_url, _ = server
    page, rec = _open(new_page, root_url + "playground/", color_scheme=scheme)
    page.wait_for_selector(STATIC, state="attached", timeout=20000)
    # Drawn, and still the default state: the pictures show what is on screen.
    wake_figure(page.locator("#rc-pg-contour-wrap"))
    page.wait_for_selector(RENDERED, state="attached", timeout=20000)
    page.emulate_media(media="print")
    wait_for_pictures(page)
    state = page.evaluate(STATE)
    for key in ("contour", "loss"):
        assert [s["cls"] for s in state[key]] == ["rc-static__img rc-static--wide rc-static--default"], state[key]
        assert state[key][0]["loaded"]
    assert not state["contourGraph"] and not state["lossGraph"]
    for selector in (".rc-pg__settings", ".rc-pg__stepper", "#rc-pg-step", "#rc-pg-fn"):
        assert not page.locator(selector).is_visible(), f"{selector} prints"
    assert page.locator("#rc-pg-summary").is_visible()
    # After a change the pictures are out of date: the drawn plots print.
    page.emulate_media(media="screen")
    page.fill("#rc-pg-steps", "40")
    page.press("#rc-pg-steps", "Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('steps') === '40'")
    page.emulate_media(media="print")
    state = page.evaluate(STATE)
    assert state["contour"] == [] and state["loss"] == [] and state["contourGraph"] and state["lossGraph"]
    rec.check_clean()


def test_the_dark_scheme_shows_the_dark_pictures(server, new_page):
    root_url, _ = server
    page, rec = _open(new_page, root_url + "playground/", color_scheme="dark")
    page.wait_for_selector(STATIC, state="attached", timeout=20000)
    assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == "slate"
    wait_for_pictures(page)
    state = page.evaluate(STATE)
    for key in ("contour", "loss"):
        assert len(state[key]) == 1 and "rc-static--slate" in state[key][0]["cls"], state[key]
        assert state[key][0]["loaded"]
    # The palette toggle switches the pictures too.
    page.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'default')")
    state = page.evaluate(STATE)
    assert all("rc-static--default" in state[k][0]["cls"] for k in ("contour", "loss"))
    rec.check_clean()


@pytest.mark.parametrize("viewport,variant", [(DESKTOP, "wide"), (PHONE, "narrow")], ids=["1280x800", "390x844"])
def test_without_javascript_the_pictures_show(server, new_page, viewport, variant):
    root_url, _ = server
    page, rec = _open(new_page, root_url + "playground/", viewport, java_script_enabled=False)
    assert page.locator("#rc-playground noscript").count() == 1
    assert "needs JavaScript" in page.inner_text("#rc-playground")
    wait_for_pictures(page)
    state = page.evaluate(STATE)
    for key in ("contour", "loss"):
        assert len(state[key]) == 1, f"{key}: {state[key]}"
        assert f"rc-static--{variant}" in state[key][0]["cls"] and "rc-static--default" in state[key][0]["cls"]
        assert state[key][0]["loaded"]
    rec.check_clean()


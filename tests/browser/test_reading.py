"""The figures and boxes a reader looks at, measured on screen: every arrow of "one step taken
apart" is visible, the simulator replay's SGD path shows, the simulator's-aspect figure is on its
page with caption and text alternative, and a table or formula that scrolls sideways says so (a
visible cue, focusable, named) while the conventions table fits a wide page."""
from __future__ import annotations

import pytest

from tests.browser.conftest import AXE, render_all_figures

pytestmark = pytest.mark.browser

# The on-screen length (px) of each segment trace of a figure, clipped to its panel's ranges,
# keyed by trace name: one length per panel the trace appears in.
SEGMENT_PX = """([id, names]) => {
  const gd = document.getElementById(id), full = gd._fullLayout, out = {};
  gd.data.forEach((t, i) => {
    if (!names.includes(t.name)) return;
    const fd = gd._fullData[i], xa = full[fd.xaxis.replace('x', 'xaxis')], ya = full[fd.yaxis.replace('y', 'yaxis')];
    let [x0, x1] = [t.x[0], t.x[1]], [y0, y1] = [t.y[0], t.y[1]];
    // Liang-Barsky: the part of the segment inside the panel's ranges
    let lo = 0, hi = 1;
    const dx = x1 - x0, dy = y1 - y0;
    const [xmin, xmax] = [Math.min(...xa.range), Math.max(...xa.range)];
    const [ymin, ymax] = [Math.min(...ya.range), Math.max(...ya.range)];
    for (const [p, q] of [[-dx, x0 - xmin], [dx, xmax - x0], [-dy, y0 - ymin], [dy, ymax - y0]]) {
      if (p === 0) { if (q < 0) { lo = 1; hi = 0; } continue; }
      const r = q / p;
      if (p < 0) lo = Math.max(lo, r); else hi = Math.min(hi, r);
    }
    let px = 0;
    if (hi > lo) {
      const ax = x0 + lo * dx, bx = x0 + hi * dx, ay = y0 + lo * dy, by = y0 + hi * dy;
      px = Math.hypot(xa.l2p(bx) - xa.l2p(ax), ya.l2p(by) - ya.l2p(ay));
    }
    (out[t.name] = out[t.name] || []).push(px);
  });
  return out;
}"""

ARROWS = ["raw gradient step −α·dW", "RMS-scaled −α·dW/(√S+ε)", "momentum −α·V", "Adam −α·V/(√S+ε)"]


@pytest.mark.parametrize("width", [1280, 390])
def test_every_arrow_of_one_step_taken_apart_is_visible(server, new_page, width):
    root_url, _ = server
    rec = new_page(width=width)
    rec.page.goto(root_url + "scaling-vs-momentum/", wait_until="load")
    render_all_figures(rec.page)
    lengths = rec.page.evaluate(SEGMENT_PX, ["fig-scaling-arrows-graph", ARROWS])
    assert set(lengths) == set(ARROWS)
    for name, per_panel in lengths.items():
        assert len(per_panel) == 2, f"{name}: drawn in {len(per_panel)} panels"
        assert max(per_panel) >= 8, f"{name} is {max(per_panel):.1f} px on screen at {width} px"
    # the magnified panel says by how much, as the caption does
    title = rec.page.locator("#fig-scaling-arrows .annotation-text").nth(1).text_content()
    caption = rec.page.locator("#fig-scaling-arrows figcaption").text_content()
    factor = title.rsplit("×", 1)[1].strip()
    assert f"magnified {factor} times" in caption
    rec.check_clean()


def test_the_simulator_replays_sgd_path_shows(server, new_page):
    root_url, _ = server
    rec = new_page()
    rec.page.goto(root_url + "magnitude-effect/", wait_until="load")
    render_all_figures(rec.page)
    info = rec.page.evaluate("""(id) => {
      const gd = document.getElementById(id), full = gd._fullLayout;
      const paths = gd._fullData.filter(t => t.type === 'scatter' && t.mode === 'lines+markers');
      return paths.map(t => {
        const xa = full[t.xaxis.replace('x', 'xaxis')], ya = full[t.yaxis.replace('y', 'yaxis')];
        const n = t.x.length - 1;
        return {name: t.name, axis: t.xaxis, width: t.line.width, marker: t.marker.size,
                px: Math.hypot(xa.l2p(t.x[n]) - xa.l2p(t.x[0]), ya.l2p(t.y[n]) - ya.l2p(t.y[0]))};
      });
    }""", "fig-simulator-graph")
    for axis in ("x", "x2"):
        panel = [p for p in info if p["axis"] == axis]
        assert panel[-1]["name"] == "SGD", f"SGD must be drawn last (on top) in panel {axis}"
        sgd = panel[-1]
        others = [p for p in panel[:-1]]
        assert sgd["width"] >= max(p["width"] for p in others)
        assert sgd["marker"] > max(p["marker"] for p in others)
        assert sgd["px"] >= 150, f"SGD's path spans only {sgd['px']:.0f} px"
    rec.check_clean()


def test_the_simulators_aspect_figure_is_on_its_page(server, new_page):
    root_url, _ = server
    rec = new_page(width=390)
    rec.page.goto(root_url + "magnitude-effect/", wait_until="load")
    render_all_figures(rec.page)
    figure = rec.page.locator("#fig-simulator-aspect")
    assert figure.locator(".main-svg").count() >= 1
    assert "aspect" in figure.locator("figcaption").text_content()
    alt = rec.page.locator("#fig-simulator-aspect-alt").text_content()
    assert "°" in alt and "canvas" in alt
    # the two panels share one x scale and differ in y scale by the canvas's aspect
    scales = rec.page.evaluate("""() => {
      const L = document.getElementById('fig-simulator-aspect-graph')._fullLayout;
      const s = a => a._length / (a.range[1] - a.range[0]);
      return [s(L.xaxis), s(L.xaxis2), s(L.yaxis) / s(L.xaxis), s(L.yaxis2) / s(L.xaxis2)];
    }""")
    assert scales[0] == pytest.approx(scales[1], rel=0.01)
    assert scales[2] == pytest.approx(1, rel=0.01)
    assert scales[3] == pytest.approx(125 / 180, rel=0.01)
    rec.check_clean()


BOX = """(selector) => {
  const box = document.querySelector(selector), hint = box.previousElementSibling;
  const style = getComputedStyle(box);
  return {overflows: box.scrollWidth > box.clientWidth + 1, marked: box.classList.contains('rc-scroll'),
          role: box.getAttribute('role'), label: box.getAttribute('aria-label'),
          tabindex: box.getAttribute('tabindex'), mask: style.maskImage || style.webkitMaskImage,
          hint: hint && hint.classList.contains('rc-scroll-hint') ? hint.textContent : null,
          hintVisible: hintVisible(hint, box)};
  // The hint takes no room (a float of height 0): its text is visible, above the box's top edge
  // and at its right.
  function hintVisible(hint, box) {
    if (!hint || !hint.classList.contains('rc-scroll-hint')) return false;
    const range = document.createRange();
    range.selectNodeContents(hint);
    const text = range.getBoundingClientRect(), edge = box.getBoundingClientRect();
    return text.height > 0 && text.bottom <= edge.top + 1 && text.right <= edge.right + 1
           && text.right > edge.right - 40 && getComputedStyle(hint).visibility === 'visible';
  }
}"""
CONVENTIONS = ".rc-table-compact .md-typeset__scrollwrap"


def test_conventions_table_fits_a_wide_page(server, new_page):
    root_url, _ = server
    rec = new_page(width=1280)
    rec.page.goto(root_url + "update-rules/", wait_until="load")
    rec.page.wait_for_timeout(300)
    state = rec.page.evaluate(BOX, CONVENTIONS)
    assert not state["overflows"], "the conventions table scrolls at 1280 px"
    assert not state["marked"] and state["hint"] == "" and state["tabindex"] is None   # its hint stays empty
    headers = rec.page.locator(".rc-table-compact thead th")
    assert headers.count() >= 9
    right = rec.page.evaluate("(s) => document.querySelector(s).getBoundingClientRect().right", CONVENTIONS)
    assert headers.last.bounding_box()["x"] + headers.last.bounding_box()["width"] <= right + 1
    rec.check_clean()


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_a_table_that_scrolls_shows_a_cue_and_takes_focus(server, new_page, color_scheme):
    root_url, _ = server
    rec = new_page(width=390, color_scheme=color_scheme)
    rec.page.goto(root_url + "update-rules/", wait_until="load")
    rec.page.locator(CONVENTIONS).scroll_into_view_if_needed()
    rec.page.wait_for_function(f"() => document.querySelector('{CONVENTIONS}').classList.contains('rc-scroll')")
    state = rec.page.evaluate(BOX, CONVENTIONS)
    assert state["overflows"] and state["marked"]
    assert state["role"] == "region" and state["tabindex"] == "0"
    assert state["label"].startswith("Table (convention") and state["label"].endswith("scrolls sideways")
    assert state["hint"] == "scroll →" and state["hintVisible"]
    assert "gradient" in state["mask"], "no fade at the scrollable edge"
    # the keyboard reaches it and scrolls it; the cue follows
    rec.page.locator(CONVENTIONS).focus()
    rec.page.keyboard.press("End")
    rec.page.evaluate("(s) => { const b = document.querySelector(s); b.scrollLeft = b.scrollWidth; }", CONVENTIONS)
    rec.page.wait_for_function(f"() => document.querySelector('{CONVENTIONS}').previousElementSibling.textContent === '← scroll'")
    rec.check_clean()


def test_a_formula_that_scrolls_shows_a_cue(server, new_page):
    root_url, _ = server
    rec = new_page(width=390)
    rec.page.goto(root_url + "magnitude-effect/", wait_until="load")
    rec.page.wait_for_selector("div.arithmatex.rc-scroll")
    labels = rec.page.evaluate("""() => [...document.querySelectorAll('div.arithmatex.rc-scroll')].map(b =>
      [b.getAttribute('role'), b.getAttribute('aria-label'), b.getAttribute('tabindex'),
       b.previousElementSibling.classList.contains('rc-scroll-hint') && b.previousElementSibling.textContent])""")
    assert labels
    for role, label, tabindex, hint in labels:
        assert role == "region" and tabindex == "0" and hint == "scroll →"
        assert label.startswith("Formula ") and label.endswith("scrolls sideways")
    assert len({label for _, label, _, _ in labels}) == len(labels), "region names must be unique"
    rec.check_clean()


@pytest.mark.parametrize("path", ["scaling-vs-momentum/", "magnitude-effect/", "update-rules/",
                                  "favourable-starts/", "noisy-gradients/"])
def test_axe_finds_nothing_on_a_phone(server, new_page, path):
    """The scroll regions exist only on narrow screens: axe checks them there."""
    root_url, _ = server
    rec = new_page(width=390)
    rec.page.goto(root_url + path, wait_until="load")
    render_all_figures(rec.page)
    rec.page.wait_for_timeout(200)
    rec.page.add_script_tag(path=str(AXE))
    result = rec.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations = [f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
                  for v in result["violations"]]
    assert violations == [], f"{path} at 390 px: " + "\n".join(violations)
    rec.check_clean()

"""No page moves while it loads (issue #15's CLS 0): every page at a phone's width (Lighthouse's
412 px) and at a desktop's, from an empty cache, is watched for layout shifts from the first
paint until its fonts are in and it has painted twice more. Causes this has caught: a figure's
static render without the interactive figure's box; KaTeX's fonts arriving after first paint
(the formulas narrowed as they swapped in; hooks/katex.py now preloads them, and typesets the
notebooks' math, which KaTeX used to typeset in the browser); the "scroll →" hint taking room
above a box that scrolls sideways.

A page may move by less than LIMIT in all: Lighthouse reports CLS to three decimals, so this is
its "0". What stays below it is a preloaded font that arrives a frame late on a loaded machine
(the glossary's font swap without the preload was 0.002).
"""
from __future__ import annotations

import pytest

from tests.browser.conftest import site_pages

pytestmark = pytest.mark.browser

# Before any page script: every layout shift, with the elements that moved.
WATCH = """
window.rcShifts = [];
new PerformanceObserver(list => list.getEntries().forEach(e => {
  if (e.hadRecentInput) return;
  window.rcShifts.push({value: e.value, sources: (e.sources || []).map(s => {
    const n = s.node;
    return n ? (n.nodeName + (n.id ? '#' + n.id : '') + (n.className && n.className.baseVal === undefined ? '.' + String(n.className).split(' ').join('.') : '')) : '?';
  })});
})).observe({type: 'layout-shift', buffered: true});
"""

LIMIT = 0.0005

SETTLED = """async () => {
  await document.fonts.ready;
  for (let i = 0; i < 3; i++) await new Promise(r => requestAnimationFrame(() => r()));
  return window.rcShifts;
}"""


@pytest.mark.parametrize("width,height", [(412, 823), (1280, 800)], ids=["phone", "desktop"])
def test_no_page_shifts_while_it_loads(server, new_page, width, height):
    root, site_dir = server
    moved = {}
    for path in site_pages(site_dir):
        rec = new_page(width=width, height=height)
        rec.page.add_init_script(WATCH)
        response = rec.page.goto(root + path, wait_until="load")
        assert response is not None and response.ok, path
        shifts = rec.page.evaluate(SETTLED)
        total = sum(s["value"] for s in shifts)
        if total >= LIMIT:
            moved[path or "/"] = (round(total, 4), shifts[:3])
        rec.check_clean()
        rec.page.context.close()
    assert moved == {}, f"layout shifted while loading: {moved}"

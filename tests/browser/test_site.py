"""The built site in a real browser (Debian chromium): loads clean, offline, renders every
figure, controls work by mouse and keyboard, instant navigation and the palette toggle keep
figures right, and axe-core finds no accessibility violation."""
from __future__ import annotations

import pytest

from tests.browser.conftest import AXE, SUBPATH, render_all_figures, site_pages

pytestmark = pytest.mark.browser

GRAPH_DATA = """(id) => {
  const gd = document.getElementById(id);
  return gd && gd.data ? gd.data.map(t => [t.x ? Array.from(t.x).slice(0, 5) : null, t.visible]) : null;
}"""


@pytest.fixture(scope="module")
def pages(server):
    _, site_dir = server
    found = site_pages(site_dir)
    assert "" in found, "the home page was not built"
    return found


@pytest.mark.parametrize("base", ["root", "subpath"])
def test_every_page_loads_clean_and_renders_its_figures(server, pages, new_page, base):
    root_url, _ = server
    prefix = root_url if base == "root" else root_url.rstrip("/") + SUBPATH
    figures_seen = 0
    for path in pages:
        rec = new_page()
        response = rec.page.goto(prefix + path, wait_until="load")
        assert response is not None and response.ok, f"{prefix + path}: HTTP {response and response.status}"
        figures_seen += render_all_figures(rec.page)
        # Every figure holds a Plotly SVG and lost its placeholder text.
        for i in range(rec.page.locator(".rc-figure").count()):
            figure = rec.page.locator(".rc-figure").nth(i)
            assert figure.locator(".main-svg").count() >= 1
            assert not figure.locator(".rc-figure__loading").is_visible()
        # Math rendered by the vendored KaTeX, if the page has any.
        if rec.page.locator(".arithmatex").count():
            rec.page.wait_for_selector(".arithmatex .katex", timeout=10000)
        rec.check_clean()
    assert figures_seen >= 1, "the site has no figure at all"


def test_plotly_loads_after_first_paint(server, new_page):
    """plotly.js is not part of the page: it is requested only after the load event (so it never
    blocks first paint), and a reader who never interacts still gets every figure."""
    root_url, _ = server
    html = new_page().page.request.get(root_url).text()
    assert "plotly.min.js" not in html, "plotly.js must not be a <script> of the page"

    rec = new_page(height=3000)   # tall enough that the hero is in view without scrolling
    rec.page.goto(root_url, wait_until="load")
    # No interaction at all: the figure renders once the browser is idle after load.
    rec.page.wait_for_selector("#fig-hero .main-svg", timeout=15000)
    timing = rec.page.evaluate("""() => {
        const nav = performance.getEntriesByType("navigation")[0];
        const plotly = performance.getEntriesByType("resource").filter(r => r.name.includes("plotly"));
        return {load: nav.loadEventStart, paint: (performance.getEntriesByName("first-contentful-paint")[0] || {}).startTime,
                starts: plotly.map(r => r.startTime)};
    }""")
    assert len(timing["starts"]) == 1, "plotly.js must load exactly once"
    assert timing["starts"][0] >= timing["load"], f"plotly.js requested before the load event: {timing}"
    if timing["paint"] is not None:
        assert timing["starts"][0] >= timing["paint"], f"plotly.js requested before first paint: {timing}"
    rec.check_clean()

    rec = new_page()
    rec.page.goto(root_url, wait_until="load")
    rec.page.locator("#fig-hero").scroll_into_view_if_needed()   # the reader scrolls to it
    rec.page.wait_for_selector("#fig-hero .main-svg", timeout=5000)
    rec.check_clean()


FIRST_FRAME = """(() => {
  window.rcFirstFrame = null;
  requestAnimationFrame(() => { window.rcFirstFrame = performance.now(); });
})()"""


@pytest.mark.parametrize("path", ["", "reference/optimizers/", "playground/"])
def test_scripts_are_requested_after_the_first_frame(server, new_page, path):
    """hooks/scripts_after_paint.py: Material's bundle and the site's scripts are requested only
    after the page's first frame (deferred, they were requested while the page was parsed and
    ran before that frame), and Material still starts: a DOMContentLoaded listener added after the
    event (as the bundle's now is) is called once."""
    root_url, _ = server
    rec = new_page()
    rec.page.add_init_script(FIRST_FRAME)
    rec.page.goto(root_url + path, wait_until="load")
    rec.page.wait_for_function(BUNDLE_RAN)
    timing = rec.page.evaluate("""() => ({frame: window.rcFirstFrame,
        scripts: performance.getEntriesByType("resource").filter(r => r.initiatorType === "script"
            && /(bundle\\.[0-9a-f]+\\.min|figures|katex-init|scroll-regions|code-nav-labels)\\.js$/.test(r.name))
          .map(r => [r.name.split("/").pop(), r.startTime])})""")
    # (resource entries come in the order the responses ended; the order they run in is the
    # loader's list, tests/site/test_build.py)
    names = sorted(name for name, _ in timing["scripts"])
    assert names[0].startswith("bundle.") and names[1:] == ["code-nav-labels.js", "figures.js", "katex-init.js",
                                                            "scroll-regions.js"], timing
    assert timing["frame"] is not None, timing
    for name, start in timing["scripts"]:
        assert start > timing["frame"], f"{name} requested before the first frame: {timing}"
    calls = rec.page.evaluate("""() => new Promise(resolve => {
        let calls = 0;
        document.addEventListener("DOMContentLoaded", event => { calls += event.type === "DOMContentLoaded"; });
        setTimeout(() => resolve(calls), 50);
    })""")
    assert calls == 1
    rec.check_clean()


# The scheme in the first frame that has the page's content (<main>): a loaded machine may
# paint a frame while the parser is still in the header, before Material's palette script.
FIRST_FRAME_PALETTE = """(() => {
  window.rcFirstFramePalette = null;
  const look = () => {
    if (document.querySelector('main.md-main')) {
      window.rcFirstFramePalette = document.body.getAttribute('data-md-color-scheme');
    } else {
      requestAnimationFrame(look);
    }
  };
  requestAnimationFrame(look);
})()"""


@pytest.mark.parametrize("color_scheme,scheme", [("dark", "slate"), ("light", "default")])
@pytest.mark.parametrize("path", ["", "reference/objectives/", "404.html"])
def test_a_first_visit_has_its_systems_palette_in_the_first_frame(server, new_page, color_scheme, scheme, path):
    """No stored palette: the first frame already has the scheme Material's bundle picks later
    (hooks/palette_first_frame.js), and the bundle keeps it."""
    root_url, _ = server
    rec = new_page(color_scheme=color_scheme)
    rec.page.add_init_script(FIRST_FRAME_PALETTE)
    rec.page.goto(root_url + path, wait_until="load")
    rec.page.wait_for_function(BUNDLE_RAN)
    assert rec.page.evaluate("() => window.rcFirstFramePalette") == scheme
    assert rec.page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == scheme
    rec.check_clean()


def test_start_button_changes_the_hero(server, new_page):
    root_url, _ = server
    rec = new_page()
    rec.page.goto(root_url, wait_until="load")
    render_all_figures(rec.page)
    before = rec.page.evaluate(GRAPH_DATA, "fig-hero-graph")
    button_b = rec.page.get_by_role("button", name="Start B")
    assert button_b.get_attribute("aria-pressed") == "false"
    button_b.click()
    rec.page.wait_for_function("() => document.querySelector('#fig-hero [aria-pressed=true]').textContent === 'Start B'")
    after = rec.page.evaluate(GRAPH_DATA, "fig-hero-graph")
    assert after != before, "clicking Start B did not change the plotted trajectories"
    assert rec.page.get_by_role("button", name="Start A").get_attribute("aria-pressed") == "false"
    annotation = rec.page.locator("#fig-hero .annotation-text").first.text_content()
    assert "Start B" in annotation
    # the point of the B view: RMSprop's first, sideways step is visible without zooming
    sideways_px = rec.page.evaluate("""(id) => {
        const gd = document.getElementById(id), xa = gd._fullLayout.xaxis;
        const rms = gd.data.find(t => (t.name || "").startsWith("RMSprop"));
        return Math.abs(xa.l2p(rms.x[1]) - xa.l2p(rms.x[0]));
    }""", "fig-hero-graph")
    assert sideways_px >= 10, f"RMSprop's sideways step from B is {sideways_px:.1f} px wide"
    rec.page.get_by_role("button", name="Start A").click()
    rec.page.wait_for_function("() => document.querySelector('#fig-hero [aria-pressed=true]').textContent === 'Start A'")
    assert rec.page.evaluate(GRAPH_DATA, "fig-hero-graph") == before
    rec.check_clean()


def test_keyboard_reaches_and_operates_the_controls(server, new_page):
    root_url, _ = server
    rec = new_page()
    rec.page.goto(root_url, wait_until="load")
    render_all_figures(rec.page)
    before = rec.page.evaluate(GRAPH_DATA, "fig-hero-graph")
    rec.page.locator("body").focus()
    for _ in range(80):
        rec.page.keyboard.press("Tab")
        if rec.page.evaluate("() => document.activeElement && document.activeElement.textContent.trim() === 'Start B'"):
            break
    else:
        pytest.fail("Tab never reached the Start B button")
    rec.page.keyboard.press("Enter")
    rec.page.wait_for_function("() => document.querySelector('#fig-hero [aria-pressed=true]').textContent === 'Start B'")
    assert rec.page.evaluate(GRAPH_DATA, "fig-hero-graph") != before
    rec.check_clean()


def test_instant_navigation_keeps_figures_working(server, pages, new_page):
    """Navigate between pages without a reload (Material's instant navigation), back to a
    figure page: its figures render again and the detached ones were purged."""
    root_url, _ = server
    rec = new_page()
    rec.page.goto(root_url, wait_until="load")
    render_all_figures(rec.page)
    rec.page.evaluate("() => { window.__noReload = true; }")
    # Pages inside a collapsed nav section (Notebooks, Reference) have no visible link to click.
    others = [p for p in pages if p and rec.page.locator(f'.md-nav a[href$="{p}"]').first.is_visible()]
    # With a single page, instant navigation back to it through the header title link.
    targets = [others[0], ""] if others else [""]
    for target in targets:
        if target:
            link = rec.page.locator(f'.md-nav a[href$="{target}"]').first
        else:
            link = rec.page.locator(".md-header__button.md-logo").first
        # Mark the current content: instant navigation swaps it out without reloading.
        rec.page.evaluate("() => document.querySelector('.md-content').setAttribute('data-old', '1')")
        link.click()
        rec.page.wait_for_function("() => !document.querySelector('.md-content[data-old]')")
        rec.page.wait_for_url(root_url + target)
        assert rec.page.evaluate("() => window.__noReload === true"), "navigation reloaded the page"
        render_all_figures(rec.page)
    # Exactly the figures on screen are live (the detached ones were purged, not leaked).
    live = rec.page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')].length")
    assert live == rec.page.locator(".rc-figure").count()
    before = rec.page.evaluate(GRAPH_DATA, "fig-hero-graph")
    rec.page.get_by_role("button", name="Start B").click()
    rec.page.wait_for_function("() => document.querySelector('#fig-hero [aria-pressed=true]').textContent === 'Start B'")
    assert rec.page.evaluate(GRAPH_DATA, "fig-hero-graph") != before
    rec.check_clean()


def test_palette_toggle_recolours_figures(server, new_page):
    root_url, _ = server
    rec = new_page(color_scheme="light")
    rec.page.goto(root_url, wait_until="load")
    render_all_figures(rec.page)
    colours = "() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => gd._fullLayout.paper_bgcolor)"
    light = rec.page.evaluate(colours)
    events = rec.page.evaluate_handle(
        "() => { const seen = []; document.addEventListener('rc:themechange', e => seen.push(e.detail.scheme)); return seen; }")
    rec.page.locator("form[data-md-component=palette] label:visible").first.click()
    rec.page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    rec.page.wait_for_function(f"() => ({colours})().every(c => c !== {light[0]!r})")
    dark = rec.page.evaluate(colours)
    assert len(set(dark)) == 1 and dark[0] != light[0]
    assert events.evaluate("seen => seen") == ["slate"]
    theme = rec.page.evaluate("() => window.rcPlotly.themeLayout().paper_bgcolor")
    assert rec.page.evaluate("(c) => getComputedStyle(document.querySelector('.main-svg')).backgroundColor", None)
    assert dark[0] == theme
    rec.check_clean()


# Watches <html>'s class and data-js-focus-visible from the first byte of the page: what they
# were when <body> appeared, and every later change that altered them.
HTML_STATE_WATCH = """(() => {
  // An init script runs before the parser has made <html>: watch the document until it has.
  const state = () => [document.documentElement.className.split(/\\s+/).filter(Boolean).sort().join(" "),
                       document.documentElement.getAttribute("data-js-focus-visible")];
  window.rcHtmlState = {atBody: null, laterChanges: []};
  let watching = false, last = null;
  const watchHtml = () => new MutationObserver(() => {
    const now = JSON.stringify(state());
    if (document.body && now !== last) window.rcHtmlState.laterChanges.push(now);
    last = now;
  }).observe(document.documentElement, {attributes: true, attributeFilter: ["class", "data-js-focus-visible"]});
  new MutationObserver(() => {
    if (!watching && document.documentElement) { watching = true; watchHtml(); }
    if (window.rcHtmlState.atBody === null && document.body) {
      window.rcHtmlState.atBody = state();
      last = JSON.stringify(state());
    }
  }).observe(document, {childList: true, subtree: true});
})()"""


@pytest.mark.parametrize("js", [True, False])
def test_html_classes_are_final_before_the_body_is_parsed(server, new_page, js):
    """Material's bundle turns <html>'s `no-js` into `js` and its focus-visible polyfill marks
    <html>, both once the page is parsed; each such change restyled every element of the page
    (thousands on the math pages). overrides/main.html makes the same change in <head>, so the
    bundle's is a no-op; without JavaScript `no-js` stays."""
    root_url, _ = server
    rec = new_page(java_script_enabled=js)
    if js:
        rec.page.add_init_script(HTML_STATE_WATCH)
    rec.page.goto(root_url + "reference/objectives/", wait_until="load")
    if not js:
        assert rec.page.locator("html.no-js").count() == 1 and rec.page.locator("html.js").count() == 0
        return
    # Wait until Material's bundle has run: its palette code creates <meta name=theme-color> and
    # fills it in (data-md-color-scheme on <body> is in the HTML already, so it proves nothing).
    rec.page.wait_for_function(BUNDLE_RAN)
    rec.page.wait_for_timeout(300)
    state = rec.page.evaluate("() => window.rcHtmlState")
    assert state["atBody"] == ["js js-focus-visible", ""], state
    assert state["laterChanges"] == [], state
    assert rec.page.evaluate("() => document.documentElement.classList.contains('js')")
    rec.check_clean()


BUNDLE_RAN = "() => document.querySelector('meta[name=theme-color][content]')"

# From the first byte of the page: every change, once <body> exists, to the head's
# <link rel=stylesheet> hrefs and to any <meta name=color-scheme> (added, removed, content).
HEAD_WATCH = """(() => {
  window.rcHead = {atBody: null, changes: []};
  const metas = () => [...document.querySelectorAll('meta[name=color-scheme]')].map(m => m.getAttribute('content'));
  new MutationObserver(records => {
    if (!document.body) return;
    if (window.rcHead.atBody === null) {
      window.rcHead.atBody = {metas: metas(),
        sheets: [...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.getAttribute('href'))};
    }
    for (const r of records) {
      const t = r.target;
      if (r.type === 'attributes' && t.matches('link[rel=stylesheet]') && r.attributeName === 'href')
        window.rcHead.changes.push('stylesheet href: ' + r.oldValue + ' -> ' + t.getAttribute('href'));
      if (r.type === 'attributes' && t.matches('meta[name=color-scheme]'))
        window.rcHead.changes.push('color-scheme content: ' + r.oldValue + ' -> ' + t.getAttribute('content'));
      if (r.type === 'childList')
        for (const n of [...r.addedNodes, ...r.removedNodes])
          if (n.matches && n.matches('meta[name=color-scheme]')) window.rcHead.changes.push('color-scheme meta added/removed');
    }
  }).observe(document, {subtree: true, childList: true, attributes: true, attributeOldValue: true});
})()"""


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_materials_start_up_leaves_the_head_alone(server, new_page, color_scheme):
    """hooks/material_startup.py: a new style sheet or a color-scheme meta insertion or write
    each restyled the whole page when Material's bundle started. When <body> appears, the head's
    style sheets already have the absolute URLs instant navigation gives them, and the one
    color-scheme meta has the value the palette computes; after that neither changes. A palette
    toggle still updates the meta."""
    root_url, _ = server
    rec = new_page(color_scheme=color_scheme)
    rec.page.add_init_script(HEAD_WATCH)
    rec.page.goto(root_url + "update-rules/", wait_until="load")
    rec.page.wait_for_function(BUNDLE_RAN)
    rec.page.wait_for_timeout(300)
    head = rec.page.evaluate("() => window.rcHead")
    assert head["changes"] == [], head
    assert len(head["atBody"]["sheets"]) >= 4
    assert all(href.startswith(root_url) for href in head["atBody"]["sheets"]), head
    computed = rec.page.evaluate("() => getComputedStyle(document.querySelector('.md-header')).colorScheme")
    assert computed == {"light": "light", "dark": "dark"}[color_scheme]
    assert head["atBody"]["metas"] == [computed]
    rec.page.locator("form[data-md-component=palette] label:visible").first.click()
    other = {"light": "dark", "dark": "light"}[color_scheme]
    rec.page.wait_for_function(
        f"() => document.querySelector('meta[name=color-scheme]').content === {other!r}")
    assert rec.page.locator("meta[name=color-scheme]").count() == 1
    rec.check_clean()


# Every child added to or removed from the article (or a mkdocstrings section) once the page
# is parsed: the browser restyles all that follows such an insertion, the whole page here.
ARTICLE_WATCH = """(() => {
  window.rcArticleChanges = [];
  document.addEventListener('DOMContentLoaded', () => {
    new MutationObserver(records => records.forEach(r => {
      if (r.target.matches('.md-content__inner, .doc-contents'))
        [...r.addedNodes, ...r.removedNodes].forEach(n => n.nodeType === 1 &&
          window.rcArticleChanges.push(r.target.className + ' <- ' + n.tagName + '.' + n.className));
    })).observe(document.querySelector('.md-content__inner'), {childList: true, subtree: true});
  });
})()"""


@pytest.mark.parametrize("path", ["update-rules/", "reference/objectives/"])
def test_start_up_adds_nothing_among_the_articles_children(server, new_page, path):
    """hooks/a11y.py: the "scroll →" hints are in the HTML and each table has a wrapper of its
    own, so neither scroll-regions.js nor Material's table wrapping inserts among the article's
    children (each such insertion restyled the whole page). At 390 px, where boxes overflow."""
    root_url, _ = server
    rec = new_page(width=390)
    rec.page.add_init_script(ARTICLE_WATCH)
    rec.page.goto(root_url + path, wait_until="load")
    rec.page.wait_for_selector(".rc-scroll")   # scroll-regions.js has run
    rec.page.wait_for_timeout(300)
    assert rec.page.locator(".md-typeset__scrollwrap").count() >= 1
    assert rec.page.evaluate("() => window.rcArticleChanges") == []
    rec.check_clean()


def test_no_style_rule_names_the_palette_switching_attribute(server, new_page):
    """hooks/material_startup.py: Material's palette sets data-md-color-switching on <body> at
    every page load; a rule naming it (`[data-md-color-switching] *`) restyled every element twice.
    No rule the page applies names it (test_palette_toggle_recolours_figures: the toggle works)."""
    root_url, _ = server
    rec = new_page()
    rec.page.goto(root_url + "reference/objectives/", wait_until="load")
    selectors = rec.page.evaluate("""() => {
      const found = [];
      const walk = rules => { for (const r of rules) {
        if (r.selectorText !== undefined) found.push(r.selectorText);
        if (r.cssRules) walk(r.cssRules);
      } };
      for (const sheet of document.styleSheets) walk(sheet.cssRules);
      return found;
    }""")
    assert len(selectors) > 500, "the page's style sheets were not read"
    assert any("data-md-color-scheme" in s for s in selectors), "Material's palette sheet is missing"
    assert [s for s in selectors if "data-md-color-switching" in s] == []
    rec.check_clean()


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_axe_finds_no_violations(server, pages, new_page, color_scheme):
    root_url, _ = server
    for path in pages:
        rec = new_page(color_scheme=color_scheme)
        rec.page.goto(root_url + path, wait_until="load")
        render_all_figures(rec.page)
        rec.page.add_script_tag(path=str(AXE))
        result = rec.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"]
        ]
        assert violations == [], f"{path or 'home'} [{color_scheme}]: " + "\n".join(violations)
        rec.check_clean()


CODE_BLOCKS = """() => [...document.querySelectorAll('.md-typeset pre > code')].map(c => ({
  overflows: c.scrollWidth > c.clientWidth + 1,
  tabStop: c.getAttribute('tabindex') === '0',
  mounted: !!c.closest('pre').querySelector('.md-code__nav'),
  below: c.getBoundingClientRect().top > window.innerHeight,
}))"""


def test_code_blocks_mount_when_seen_and_every_wide_one_takes_focus(server, new_page):
    """content.lazy (mkdocs.yml): Material mounts a code block (copy bar, one forced layout
    each) only when it scrolls into view. A block that scrolls sideways still takes keyboard
    focus before it is mounted (scroll-regions.js; axe scrollable-region-focusable), and the copy
    bars, which appear in scroll order, get unique names by their block's place on the page
    (code-nav-labels.js; axe landmark-unique)."""
    root_url, _ = server
    rec = new_page(width=390, height=844)
    rec.goto(root_url + "reference/objectives/")
    rec.page.wait_for_function(
        "() => document.querySelector('.md-typeset pre > code[tabindex=\"0\"]') !== null")
    blocks = rec.page.evaluate(CODE_BLOCKS)
    assert len(blocks) >= 10
    assert [b for b in blocks if b["overflows"] != b["tabStop"]] == []
    unmounted_wide = [b for b in blocks if b["below"] and b["overflows"] and not b["mounted"]]
    assert unmounted_wide, "no wide block below the fold is unmounted: content.lazy is not on"
    # Bottom-up, so the bars appear in the reverse of their order on the page.
    height = rec.page.evaluate("document.documentElement.scrollHeight")
    for y in range(height, -1, -300):
        rec.page.evaluate(f"window.scrollTo(0, {y})")
        rec.page.wait_for_timeout(30)
    rec.page.wait_for_function(
        f"() => document.querySelectorAll('.md-code__nav[aria-label]').length === {len(blocks)}")
    labels = rec.page.evaluate(
        "[...document.querySelectorAll('.md-code__nav')].map(n => n.getAttribute('aria-label'))")
    assert len(set(labels)) == len(blocks)
    assert labels[0].startswith("Code block 1 actions") and labels[-1].startswith(
        f"Code block {len(blocks)} actions")
    rec.check_clean()


def test_figures_resize_with_the_page(server, new_page):
    root_url, _ = server
    rec = new_page(width=1280)
    rec.page.goto(root_url, wait_until="load")
    render_all_figures(rec.page)
    width = "() => document.querySelector('#fig-hero .main-svg').getBoundingClientRect().width"
    wide = rec.page.evaluate(width)
    rec.page.set_viewport_size({"width": 420, "height": 900})
    rec.page.wait_for_function(f"() => ({width})() < {wide} * 0.6")
    assert rec.page.evaluate(width) <= 420
    rec.check_clean()


@pytest.mark.parametrize("how", ["keyboard", "tap on a phone"])
def test_the_search_index_is_downloaded_only_when_a_reader_goes_to_search(server, new_page, how):
    """javascripts/search-on-demand.js holds Material's search_index.json request back until the
    search box is approached (78 KiB a page that most readers never use); then search works."""
    root_url, _ = server
    rec = new_page(width=390, has_touch=True) if how.startswith("tap") else new_page()
    asked = []
    rec.page.on("request", lambda r: asked.append(r.url) if "search_index.json" in r.url else None)
    rec.page.goto(root_url + "magnitude-effect/", wait_until="load")
    rec.page.wait_for_timeout(1500)
    assert asked == [], "the search index was downloaded before anyone searched"
    if how == "keyboard":
        rec.page.keyboard.press("/")   # Material's shortcut: opens and focuses search
    else:
        rec.page.locator('.md-header label[for="__search"]:visible').first.tap()
    rec.page.keyboard.type("momentum")
    rec.page.wait_for_selector(".md-search-result__item", timeout=15000)
    assert len(asked) == 1
    rec.check_clean()


def test_a_page_reached_from_a_search_result_gets_the_index_at_once(server, new_page):
    """Arriving with ?h= (a search result's link), Material highlights the terms with the index."""
    root_url, _ = server
    rec = new_page()
    with rec.page.expect_request(lambda r: "search_index.json" in r.url, timeout=15000):
        rec.page.goto(root_url + "magnitude-effect/?h=momentum", wait_until="load")
    rec.check_clean()

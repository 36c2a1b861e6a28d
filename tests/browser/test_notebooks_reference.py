"""Notebook and reference pages in a real browser: the notebooks' figure islands render in both
palettes, their Markdown math is typeset by the vendored KaTeX, the reference's math too, and a
figure's PNG download button produces a PNG file."""
from __future__ import annotations

import pytest

from tests.browser.conftest import render_all_figures

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_notebook_figures_render_and_math_is_typeset(server, new_page, color_scheme):
    root_url, _ = server
    rec = new_page(color_scheme=color_scheme)
    rec.page.goto(root_url + "notebooks/update-rules/", wait_until="load")
    assert render_all_figures(rec.page) >= 2
    rec.page.wait_for_selector(".jp-RenderedMarkdown .katex", timeout=10000)
    # The display formula of the update rule became KaTeX, not literal $$ text.
    assert "$$" not in rec.page.locator(".jp-RenderedMarkdown").first.inner_text()
    paper = rec.page.evaluate("() => document.querySelector('.js-plotly-plot')._fullLayout.paper_bgcolor")
    assert paper == rec.page.evaluate("() => window.rcPlotly.themeLayout().paper_bgcolor")
    # The download note offers the notebook and the wheel its first cell installs; both are served.
    hrefs = rec.page.locator(".rc-notebook-note a[download]").evaluate_all("links => links.map(a => a.href)")
    assert len(hrefs) == 2, hrefs
    notebook, wheel = hrefs
    assert notebook.endswith("notebooks/update-rules/update-rules.ipynb")
    assert wheel.startswith(root_url + "downloads/rmsprop_core-") and wheel.endswith("-py3-none-any.whl")
    for href in hrefs:
        assert rec.page.request.get(href).ok, href
    rec.check_clean()


def test_reference_math_is_typeset(server, new_page):
    root_url, _ = server
    rec = new_page()
    rec.page.goto(root_url + "reference/optimizers/", wait_until="load")
    rec.page.wait_for_selector(".arithmatex .katex", timeout=10000)
    # The displayed update rules of momentum, rmsprop, adam and adagrad.
    assert rec.page.locator(".arithmatex .katex-display").count() >= 4
    assert rec.page.locator("#rmsprop_core\\.optimizers\\.rmsprop").count() == 1
    rec.check_clean()


def test_png_download_button(server, new_page):
    root_url, _ = server
    rec = new_page()
    rec.page.goto(root_url, wait_until="load")
    render_all_figures(rec.page)
    button = rec.page.locator("#fig-hero .rc-figure__png")
    assert button.is_visible()
    with rec.page.expect_download(timeout=15000) as info:
        button.focus()
        rec.page.keyboard.press("Enter")
    download = info.value
    assert download.suggested_filename == "fig-hero.png"
    with open(download.path(), "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    rec.check_clean()

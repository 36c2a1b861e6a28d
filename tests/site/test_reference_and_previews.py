"""The built site's notebook pages, API reference and link previews.

One build (gen, previews, mkdocs build --strict with SITE_URL set) is shared by the tests:
notebook pages carry executed outputs and figure islands but no traceback and no CDN script;
every public name of rmsprop_core is documented with its math rendered by arithmatex; every
page has Open Graph / Twitter card tags whose image is an absolute URL to a PNG that exists in
the built site; and preview rendering is byte-for-byte repeatable."""
from __future__ import annotations

import importlib.util
import os
import re
import struct
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import rmsprop_core as rc
from gen.previews import installed_browser

ROOT = Path(__file__).resolve().parents[2]
SITE_URL = "http://127.0.0.1:8000/rmsprop-essay/"
CHROMIUM = installed_browser()   # what make setup checks for; None if no browser
OG_REQUIRED = ("og:title", "og:description", "og:image", "og:url")


def load_hook(name: str):
    spec = importlib.util.spec_from_file_location(f"rc_{name}_hook", ROOT / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("no Chromium is installed (needed for the preview PNGs)")
    env = dict(os.environ, SITE_URL=SITE_URL, NO_MKDOCS_2_WARNING="1")
    for step in (["-m", "gen"], ["-m", "gen.previews"]):
        result = subprocess.run([sys.executable, *step], cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    site_dir = tmp_path_factory.mktemp("site")
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
                           cwd=ROOT, env=env, capture_output=True, text=True)
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{build.stdout}\n{build.stderr}"
    return site_dir


def _pages(site_dir: Path) -> list[Path]:
    skip = ("assets", "vendor", "generated", "search", "javascripts", "stylesheets")
    return [p for p in sorted(site_dir.rglob("index.html"))
            if p.relative_to(site_dir).parts[0] not in skip]


class _Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = attrs.get("property") or attrs.get("name")
        if tag == "meta" and key:
            self.meta[key] = attrs.get("content") or ""


# ----- notebooks ---------------------------------------------------------------------------

NOTEBOOK_PAGES = ("update-rules", "favourable-starts", "magnitude-effect")


@pytest.mark.parametrize("name", NOTEBOOK_PAGES)
def test_notebook_page_is_executed_offline_and_downloadable(site, name):
    page = site / "notebooks" / name / "index.html"
    html = page.read_text(encoding="utf-8")
    assert (site / "notebooks" / name / f"{name}.ipynb").exists(), "the notebook is not offered"
    assert f'href="{name}.ipynb" download' in html
    assert ".venv/bin/jupyter execute docs/notebooks/" in html
    # Executed: outputs and at least one figure island, numbered by the notebook's renderer.
    assert "jp-OutputArea-output" in html
    # (nbconvert's sanitiser may reorder attributes)
    islands = [re.search(r'id="(nb-[a-z]+-fig-\d+)"', tag).group(1)
               for tag in re.findall(r'<figure [^>]*class="rc-figure rc-figure--notebook"[^>]*>', html)]
    assert islands and len(islands) == len(set(islands))
    assert html.count('<template class="plotly-json"') == len(islands)
    assert "Traceback" not in html and "jp-OutputArea-error" not in html
    assert not re.search(r"""https?://[^"'\s]*(?:cdn|mathjax|mermaid)""", html, re.I)
    assert "x-mathjax-config" not in html and '<script src="">' not in html
    # The hidden set-up cell's code is not shown.
    assert "use_site_renderer" not in html


def test_site_publishes_the_wheel_the_notebooks_install(site):
    """downloads/<wheel> is gen/wheel.py's wheel; each notebook page links it in its one-line
    "run it" note, and its downloadable .ipynb installs it from this build's SITE_URL."""
    from gen import wheel

    name, data = wheel.build()
    assert (site / "downloads" / name).read_bytes() == data
    url = f"{SITE_URL}downloads/{name}"
    for notebook in NOTEBOOK_PAGES + ("course-network",):
        html = (site / "notebooks" / notebook / "index.html").read_text(encoding="utf-8")
        assert "open it in Jupyter, VS Code or Google Colab" in re.sub(r"\s+", " ", html)
        assert f'href="../../downloads/{name}" download' in html
        published = (site / "notebooks" / notebook / f"{notebook}.ipynb").read_text(encoding="utf-8")
        assert f'WHEEL = \\"{url}\\"' in published, f"{notebook}.ipynb does not install {url}"


def test_notebooks_index_links_every_notebook(site):
    html = (site / "notebooks" / "index.html").read_text(encoding="utf-8")
    for name in NOTEBOOK_PAGES:
        assert f'href="{name}/"' in html


# ----- API reference -----------------------------------------------------------------------

def test_every_public_name_is_in_the_reference(site):
    html = "".join(p.read_text(encoding="utf-8") for p in (site / "reference").rglob("index.html"))
    ids = set(re.findall(r'id="(rmsprop_core(?:\.[\w]+)*)"', html))
    short = {i.rsplit(".", 1)[-1] for i in ids} | {i for i in ids}
    missing = [name for name in rc.__all__ if name not in short and f"rmsprop_core.{name}" not in ids]
    assert missing == [], f"public names without a reference entry: {missing}"
    for module in ("objectives", "transforms", "metrics", "tuning"):
        for name in getattr(rc, module).__all__:
            assert f"rmsprop_core.{module}.{name}" in ids, f"rmsprop_core.{module}.{name} is not documented"


def test_reference_math_is_arithmatex_not_rest(site):
    for page in sorted((site / "reference").glob("*/index.html")):
        text = re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))
        for role in (":math:", ".. math::", ":func:", ":class:", ":mod:"):
            assert role not in text, f"{page}: {role} {text[text.index(role) - 80:text.index(role) + 80]!r}"
    html = (site / "reference" / "optimizers" / "index.html").read_text(encoding="utf-8")
    rmsprop = html[html.index('id="rmsprop_core.optimizers.rmsprop"'):]
    rmsprop = rmsprop[: rmsprop.index('id="rmsprop_core.optimizers.adam"')]
    assert re.search(r"<div class=\"arithmatex\"[^>]*>", rmsprop)     # the update rule, displayed
    # inline math, rendered by KaTeX at build time (hooks/katex.py); the TeX stays as annotation
    assert re.search(r'<span class="arithmatex" data-katex="rendered"><span class="katex">.*?'
                     r'<annotation encoding="application/x-tex">\\alpha</annotation>', rmsprop)
    assert "highlight" in rmsprop and "&gt;&gt;&gt;" in rmsprop         # the example, as code


def test_roles_wrapped_over_two_lines_are_converted():
    import importlib.util

    spec = importlib.util.spec_from_file_location("rc_griffe_rst", ROOT / "hooks" / "griffe_rst.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.rst_to_markdown("Decay: :math:`\\alpha = \\alpha_0 /\n    (1 + t)` (see :func:`~a.b.\n    c`), :math:`t`.")
    assert text == "Decay: \\(\\alpha = \\alpha_0 / (1 + t)\\) (see `c`), \\(t\\)."


# ----- link previews -----------------------------------------------------------------------

def test_every_page_has_preview_tags_and_its_image_exists(site):
    pages = _pages(site)
    assert len(pages) >= 1 + 4 + 7
    for page in pages:
        parser = _Meta()
        parser.feed(page.read_text(encoding="utf-8"))
        meta = parser.meta
        where = page.relative_to(site).as_posix()
        for key in OG_REQUIRED:
            assert meta.get(key, "").strip(), f"{where}: no {key}"
        assert meta.get("twitter:card") == "summary_large_image", where
        assert meta["og:description"] == meta.get("description"), where
        url = page.parent.relative_to(site).as_posix()
        assert meta["og:url"] == SITE_URL + ("" if url == "." else url + "/"), where
        image = meta["og:image"]
        assert image.startswith(SITE_URL) and image.endswith(".png"), f"{where}: {image}"
        assert meta.get("twitter:image") == image
        png = site / urlsplit(image).path[len(urlsplit(SITE_URL).path):]
        assert png.is_file(), f"{where}: og:image {image} is not in the built site"
        width, height = struct.unpack(">II", png.read_bytes()[16:24])
        assert (width, height) == (1200, 630)
        assert (meta.get("og:image:width"), meta.get("og:image:height")) == ("1200", "630")


def test_missing_preview_fails_the_strict_build(tmp_path):
    hook = load_hook("previews")

    class Page:
        class file:
            src_uri = "demo.md"
            abs_src_path = str(tmp_path / "demo.md")
        meta = {"preview": "fig-does-not-exist"}

    import logging

    records = []
    handler = logging.Handler()
    handler.emit = records.append
    hook.log.addHandler(handler)
    try:
        config = type("C", (dict,), {"extra": {}})({"docs_dir": str(ROOT / "docs")})
        hook.on_page_context({}, Page, config, None)
    finally:
        hook.log.removeHandler(handler)
    assert any("fig-does-not-exist" in r.getMessage() for r in records)


_RENDER_TWICE = """
import hashlib, json, sys
from pathlib import Path
from gen import previews
figure, title = previews.figure_from_include(Path(sys.argv[1]))
spec = previews.preview_figure(figure, title)
digests = []
for _ in range(2):   # two separate browsers, as two builds would be
    renderer = previews.Renderer()
    try:
        png = renderer.png(spec)
    finally:
        renderer.close()
    digests.append([png[:8].hex(), hashlib.sha256(png).hexdigest()])
print(json.dumps({"digests": digests, "layout": sorted(spec["layout"]), "width": spec["layout"]["width"]}))
"""


def test_preview_rendering_is_deterministic():
    if CHROMIUM is None:
        pytest.skip("no Chromium is installed")
    import json

    include = ROOT / "docs" / "generated" / "figures" / "fig-hero.html"
    if not include.exists():
        subprocess.run([sys.executable, "-m", "gen"], cwd=ROOT, check=True, capture_output=True)
    # In a subprocess: Playwright's sync API cannot start inside the browser tests' session.
    result = subprocess.run([sys.executable, "-c", _RENDER_TWICE, str(include)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert "updatemenus" not in out["layout"] and out["width"] == 1200
    (magic_a, png_a), (_, png_b) = out["digests"]
    assert magic_a == b"\x89PNG\r\n\x1a\n".hex()
    assert png_a == png_b, "the preview PNG differs between two renders"

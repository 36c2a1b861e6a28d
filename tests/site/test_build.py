"""Build tests: the strict build passes, ships nothing that reaches another host, generated
output is reproducible, and the numbers hook refuses unknown keys."""
from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from mkdocs.exceptions import Abort, PluginError

ROOT = Path(__file__).resolve().parents[2]
SITE_URL = "http://127.0.0.1:8000/rmsprop-essay/"


def _load_hook(name: str = "numbers"):
    """hooks/<name>.py as a module (mkdocs loads hooks by path; they are not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"rc_{name}_hook", ROOT / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _build(site_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, SITE_URL=SITE_URL, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
                          cwd=ROOT, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Generate (forced, from scratch) and build twice; return the two site directories."""
    gen = subprocess.run([sys.executable, "-m", "gen", "--force"], cwd=ROOT, capture_output=True, text=True)
    assert gen.returncode == 0, gen.stderr
    generated_first = {p.relative_to(ROOT / "docs/generated"): p.read_bytes()
                       for p in sorted((ROOT / "docs/generated").rglob("*")) if p.is_file()}
    gen = subprocess.run([sys.executable, "-m", "gen", "--force"], cwd=ROOT, capture_output=True, text=True)
    assert gen.returncode == 0, gen.stderr
    generated_second = {p.relative_to(ROOT / "docs/generated"): p.read_bytes()
                        for p in sorted((ROOT / "docs/generated").rglob("*")) if p.is_file()}
    previews = subprocess.run([sys.executable, "-m", "gen.previews"], cwd=ROOT, capture_output=True, text=True)
    assert previews.returncode == 0, previews.stderr   # og:image PNGs: the strict build checks them
    sites = []
    for name in ("first", "second"):
        # The figures' static renders (gen/statics.py) are drawn afresh for each build, so that
        # the comparison below covers them, not a cached copy.
        shutil.rmtree(ROOT / ".cache" / "statics", ignore_errors=True)
        site_dir = tmp_path_factory.mktemp(name)
        result = _build(site_dir)
        assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
        assert re.search(r"statics: \d+ figures on \d+ pages; drawn \d+ pages, cached 0",
                         result.stdout + result.stderr), "the static renders were not drawn afresh"
        sites.append(site_dir)
    return sites, generated_first, generated_second


def test_generated_output_is_identical_across_builds(builds):
    _, first, second = builds
    assert first and first.keys() == second.keys()
    different = [str(path) for path in first if first[path] != second[path]]
    assert different == [], f"non-deterministic generated files: {different}"


def test_built_site_is_identical_across_builds(builds):
    """Byte for byte, the static renders of the figures (assets/statics/) included."""
    (first, second), _, _ = builds
    assert len(list((first / "assets" / "statics").iterdir())) >= 4 * 20
    mismatch = []
    for path in sorted(first.rglob("*")):
        if path.is_file() and path.name != "sitemap.xml.gz":   # gzip header holds a timestamp
            other = second / path.relative_to(first)
            if not other.exists() or not filecmp.cmp(path, other, shallow=False):
                mismatch.append(str(path.relative_to(first)))
    assert mismatch == []


class _ResourceCollector(HTMLParser):
    """Collects URLs a browser would fetch by itself (not plain <a href> links)."""

    FETCHING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src",
                "video": "src", "embed": "src", "object": "data", "track": "src", "input": "src"}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.FETCHING and attrs.get(self.FETCHING[tag]):
            self.urls.append(attrs[self.FETCHING[tag]])
        if tag == "link":
            rel = (attrs.get("rel") or "").lower().split()
            # canonical/alternate are identifiers, not fetched; everything else (stylesheet,
            # icon, preload, manifest, ...) is fetched.
            if not set(rel) & {"canonical", "alternate"} and attrs.get("href"):
                self.urls.append(attrs["href"])
        for value in (attrs.get("srcset"), attrs.get("style")):
            if value:
                self.urls.extend(re.findall(r"https?://[^\s,)\"']+", value))


def _external(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") or url.startswith("//")


def test_no_request_to_another_host_in_what_we_ship(builds):
    (site, _), _, _ = builds
    problems = []
    for html in site.rglob("*.html"):
        collector = _ResourceCollector()
        collector.feed(html.read_text(encoding="utf-8"))
        problems += [f"{html.relative_to(site)}: {u}" for u in collector.urls if _external(u)]
    for css in site.rglob("*.css"):
        for url in re.findall(r"(?:url\(|@import\s+)[\"']?([^\"')\s]+)", css.read_text(encoding="utf-8")):
            if _external(url):
                problems.append(f"{css.relative_to(site)}: {url}")
    # Our own scripts must not mention another host at all (vendored bundles contain URL
    # strings they never fetch; the browser tests check real requests).
    for js in (site / "javascripts").rglob("*.js"):
        problems += [f"{js.relative_to(site)}: {u}"
                     for u in re.findall(r"https?://[^\s\"')]+", js.read_text(encoding="utf-8"))]
    assert problems == []


def test_vendored_assets_and_no_web_fonts(builds):
    (site, _), _, _ = builds
    assert (site / "vendor/plotly/plotly.min.js").stat().st_size > 500_000
    assert (site / "vendor/katex/katex.min.js").exists()
    assert list((site / "vendor/katex/fonts").glob("*.woff2"))
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in index and "fonts.gstatic" not in index
    assert "plotly.min.js" not in index, "plotly.js must be loaded lazily by figures.js, not by the page"


def test_pages_have_description_and_figures_are_not_pages(builds):
    (site, _), _, _ = builds
    for html in site.rglob("index.html"):
        if html.parent.name in ("search",):
            continue
        assert '<meta name="description"' in html.read_text(encoding="utf-8"), html
    assert not (site / "generated/figures").exists(), "figure includes must not be published as pages"
    assert (site / "generated/data/fig-hero.json").exists()


def test_numbers_are_substituted_and_download_links_resolve(builds):
    (site, _), _, _ = builds
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "{{" not in index.split("<template", 1)[0], "an unreplaced {{ number }} reached the page"
    assert "@site/" not in index
    for href in re.findall(r'href="([^"]+)" download', index):
        assert (site / href).exists(), href


def test_hook_fails_on_unknown_number_keys():
    hook = _load_hook()
    numbers = {"hero.steps": "12"}
    assert hook.substitute_numbers("took {{ hero.steps }} steps", numbers, "x.md") == "took 12 steps"
    assert hook.substitute_numbers(r"math \frac{{a}}{b} stays", numbers, "x.md") == r"math \frac{{a}}{b} stays"
    with pytest.raises(PluginError, match="hero.typo"):
        hook.substitute_numbers("{{ hero.typo }}", numbers, "x.md")


def test_build_fails_on_unknown_number_key(tmp_path, builds, caplog):
    """End to end: a page quoting a number the build did not compute breaks the strict build.
    Builds a copy of docs/ (the real sources are never modified)."""
    import shutil

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("vendor"))
    index = docs / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\nBroken: {{ hero.no_such_number }}\n",
                     encoding="utf-8")
    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(tmp_path / "site"),
                         strict=True)
    with pytest.raises(Abort):
        build(config)
    assert "unknown number key(s) hero.no_such_number" in caplog.text


def test_math_is_rendered_at_build_time(builds):
    """hooks/katex.py renders every arithmatex formula into KaTeX HTML (with MathML) at build
    time and links KaTeX's stylesheet on exactly the pages that have math."""
    (site, _), _, _ = builds
    pages_with_math = 0
    for html_path in sorted(site.rglob("index.html")):
        text = html_path.read_text(encoding="utf-8")
        total = text.count('class="arithmatex"')
        rendered = text.count('class="arithmatex" data-katex="rendered"')
        assert rendered == total, f"{html_path}: {total - rendered} formula(s) left for the browser"
        has_css = "vendor/katex/katex.min.css" in text
        assert has_css == (total > 0), f"{html_path}: KaTeX CSS linked {has_css}, math {total}"
        if total:
            pages_with_math += 1
            assert "<math" in text, f"{html_path}: no MathML for screen readers"
    assert pages_with_math >= 5


def test_search_index_reads_as_text(builds):
    """Search previews show what the page says: no TeX delimiters, no $...$ from the notebooks,
    no "Loading the interactive figure…" placeholder and no figure links (hooks/search_math.py,
    data-search-exclude); the formulas are there as plain text, the figures' descriptions too."""
    import json

    (site, _), _, _ = builds
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    for doc in docs:
        for key in ("title", "text"):
            text = doc[key]
            assert "\\(" not in text and "\\[" not in text, (doc["location"], key, text[:200])
            for chrome in ("Loading the interactive figure", "Link to this figure · Download the data",
                           "Text description of the figure"):
                assert chrome not in text, (doc["location"], chrome)
            if doc["location"].startswith("notebooks/"):
                assert not re.search(r"\$[^$\s][^$]*\$", re.sub(r"<code>.*?</code>", "", text, flags=re.S)), \
                    (doc["location"], text[:200])
    everything = " ".join(doc["text"] for doc in docs)
    assert "S_dW ← β S_dW + (1-β) dW^2" in everything   # the course's RMSprop rule, as text
    assert "Use the buttons above the figure" in everything   # the prose around a figure stays
    assert "Log-scale plot of |w_t| against the step t" in everything   # a figure's description


def test_formulas_as_plain_text():
    plain = _load_hook("search_math").plain_math
    assert plain(r"w") == "w"
    assert plain(r"\beta_2") == "β_2"
    assert plain(r"S_{dW} \leftarrow \beta S_{dW} + (1-\beta)\, dW^2") == "S_dW ← β S_dW + (1-β) dW^2"
    assert plain(r"W \leftarrow W - \alpha \frac{dW}{\sqrt{S_{dW}} + \varepsilon}") == "W ← W - α dW/(√S_dW + ε)"
    assert plain(r"1/\sqrt{1-\beta}") == "1/√(1-β)"
    assert plain(r"f = \tfrac12(w^2 + 20 b^2)") == "f = 1/2(w^2 + 20 b^2)"
    assert plain(r"z_{2j+1} = r\sin\theta") == "z_(2j+1) = r sin θ"
    assert plain(r"\lVert \text{step} \rVert") == "‖ step ‖"
    assert plain(r"\alpha_0 / (1 + \text{decay\_rate})") == "α_0 / (1 + decay_rate)"
    assert plain(r"\alpha_t = \alpha\,\bigl(f + 1\bigr)") == "α_t = α (f + 1)"
    text = _load_hook("search_math").plain_text
    assert text(r"in \(w\), while \[x^2\]") == "in w, while x^2"
    assert text("costs $5 and $w$") == "costs $5 and $w$"                     # a dollar is a dollar
    assert text("the $w$ component", dollars=True) == "the w component"      # but not in a notebook


def test_math_fonts_are_preloaded_and_notebook_math_is_typeset(builds):
    """Math is in its final fonts at first paint (no layout shift as they swap in): a page with
    formulas preloads KaTeX's Main-Regular, and Math-Italic where it sets variables, each a file
    the site ships. The notebooks' $...$ math is typeset at build time too: no cell keeps a $."""
    (site, _), _, _ = builds
    preload = re.compile(r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" crossorigin>')
    notebooks = 0
    for html_path in sorted(site.rglob("index.html")):
        text = html_path.read_text(encoding="utf-8")
        head = text[:text.index("</head>")]
        fonts = [(html_path.parent / href).resolve() for href in preload.findall(head)]
        if 'class="arithmatex"' not in text:
            assert fonts == [], html_path
            continue
        names = [f.name for f in fonts]
        assert "KaTeX_Main-Regular.woff2" in names, html_path
        assert ("KaTeX_Math-Italic.woff2" in names) == ("mathnormal" in text), html_path
        assert all(f.is_file() for f in fonts), html_path
        if "jp-RenderedMarkdown jp-MarkdownOutput" in text:
            notebooks += 1
            for cell in re.findall(r'<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput"'
                                   r'[^>]*>(.*?)</div>', text, re.S):
                assert "$" not in re.sub(r"<code.*?</code>|<annotation.*?</annotation>", "", cell, flags=re.S), \
                    f"{html_path}: $ math left for the browser"
    assert notebooks >= 3


def test_notebook_pages_ship_only_the_jupyter_css_they_use(builds):
    """nbconvert's inlined JupyterLab sheet is pruned to each notebook page (hooks/notebooks.py):
    the rules of JupyterLab's own interface are gone, and every Jupyter variable a kept rule
    uses is still defined (the theme sheet defines what the main sheet uses)."""
    (site, _), _, _ = builds
    pages = [p for p in sorted((site / "notebooks").rglob("index.html"))
             if "jp-Notebook" in p.read_text(encoding="utf-8")]
    assert len(pages) >= 3
    for path in pages:
        css = "".join(re.findall(r"<style\b[^>]*>(.*?)</style>", path.read_text(encoding="utf-8"), re.S))
        assert ".jp-Cell" in css and ".jp-FileBrowser" not in css, path
        used = set(re.findall(r"var\(\s*(--jp-[\w-]+)", css))
        assert used and used <= set(re.findall(r"(--jp-[\w-]+)\s*:", css)), path


def test_notebook_dollar_math_is_found_in_text_never_in_code():
    hook = _load_hook("katex")
    cell = ('<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput" data-mime-type="text/markdown">'
            '<p>With $\\beta &lt; 1$ and <code>x = $HOME</code>:</p><div><p>$$S \\leftarrow S$$</p></div>'
            '<pre>$not math$</pre></div><p>$outside a cell$</p>')
    found = hook._notebook_math(cell)
    assert [item for _, _, item in found] == [{"tex": "\\beta < 1", "display": False},
                                             {"tex": "S \\leftarrow S", "display": True}]
    assert [cell[a:b] for a, b, _ in found] == ["$\\beta &lt; 1$", "$$S \\leftarrow S$$"]


def test_a_notebook_formula_of_its_own_paragraph_becomes_a_display_box():
    """$$...$$ alone in its paragraph becomes the site's div.arithmatex (which scrolls sideways on
    a phone, with a hint); inside a sentence it stays a span; inline math is a span."""
    from types import SimpleNamespace

    hook = _load_hook("katex")
    page = ('<html><head></head><body><div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput">'
            '<p>$$a = b$$</p><p>so $$c$$ and $d$.</p></div></body></html>')
    out = hook.on_post_page(page, SimpleNamespace(url="notebooks/x/"), {})
    body = out[out.index("<body>"):]
    assert re.search(r'^<body><div class="jp-RenderedHTMLCommon[^>]*data-katex="rendered">'
                     r'<div class="arithmatex" data-katex="rendered"><span class="katex-display">', body)
    assert body.count('<span class="arithmatex" data-katex="rendered">') == 2 and "$" not in body
    assert 'href="../../vendor/katex/katex.min.css"' in out[:out.index("</head>")]


def test_unparsable_math_fails_the_build():
    hook = _load_hook("katex")
    assert "katex" in hook.render([{"tex": r"\frac{1}{2}", "display": False}])[0]
    with pytest.raises(Exception, match="KaTeX"):
        hook.render([{"tex": r"\frac{1}{", "display": False}])


def test_palette_switching_rule_is_blanked_in_place_or_the_build_fails():
    """hooks/material_startup.py blanks Material's colour-switching rule with spaces of its length
    (the source map stays right) and refuses a palette.css without it (or with it twice)."""
    hook = _load_hook("material_startup")
    css = "a{color:red}@media screen{" + hook.RULE + "}b{color:blue}"
    out = hook.strip_switching_rule(css)
    assert len(out) == len(css) and "data-md-color-switching" not in out
    assert out.replace(" ", "") == "a{color:red}@mediascreen{}b{color:blue}"
    for bad in ("a{color:red}", css + hook.RULE):
        with pytest.raises(PluginError, match="colour-switching rule"):
            hook.strip_switching_rule(bad)


def test_built_palette_css_has_no_switching_rule(builds):
    for site_dir in builds[0]:
        sheets = list((site_dir / "assets" / "stylesheets").glob("palette.*.min.css"))
        assert len(sheets) == 1
        css = sheets[0].read_text(encoding="utf-8")
        assert "data-md-color-scheme" in css and "data-md-color-switching" not in css


def test_material_startup_patch_keeps_the_bundle_length_or_the_build_fails():
    """hooks/material_startup.py makes Material's palette find the page's color-scheme meta
    instead of appending one, in as many characters (the source map stays right), and refuses a
    bundle without that code (or with it twice)."""
    hook = _load_hook("material_startup")
    js = "var a=1;function li(e){" + hook.APPEND + "return o}"
    out = hook.reuse_meta(js)
    assert len(out) == len(js) and "appendChild" not in out
    assert 'document.querySelector("[name=color-scheme]")' in out
    for bad in ("var a=1;", js + hook.APPEND):
        with pytest.raises(PluginError, match="color-scheme meta code"):
            hook.reuse_meta(bad)


def test_material_startup_reads_the_palette_and_materials_color_schemes():
    hook = _load_hook("material_startup")
    css = "".join(p.read_text(encoding="utf-8") for p in hook.MATERIAL_CSS.glob("*.min.css"))
    assert hook.color_schemes(css) == {"default": "light", "slate": "dark"}
    assert hook.palette_entries({"scheme": "slate"}) == [{"media": "", "scheme": "slate"}]
    script = hook.startup_script([{"media": "(prefers-color-scheme: dark)", "scheme": "slate"}],
                                 {"slate": "dark"})
    assert script.startswith("<script>") and script.endswith("</script>")
    assert '[{"media": "(prefers-color-scheme: dark)", "scheme": "slate"}]' in script
    assert '{"slate": "dark"}' in script and "PALETTE" not in script and "/*" not in script


def test_built_pages_end_their_head_with_the_startup_script(builds):
    """After every URL-bearing element of <head> (the script makes them absolute) and Material's
    bundle patched to use the meta it makes."""
    for site_dir in builds[0]:
        bundle = next((site_dir / "assets" / "javascripts").glob("bundle.*.min.js")).read_text()
        assert 'document.querySelector("[name=color-scheme]")' in bundle
        assert 'x("meta",{name:"color-scheme"})' not in bundle
        for page in ("index.html", "update-rules/index.html", "notebooks/update-rules/index.html"):
            head = (site_dir / page).read_text(encoding="utf-8").split("</head>")[0]
            last_script = head.rindex("<script>")
            assert 'setAttribute("name", "color-scheme")' in head[last_script:], page
            assert re.search(r"<(link|script)[^>]+(href|src)=", head[last_script:]) is None, page


def test_scripts_after_paint_replaces_the_body_scripts_by_one_loader():
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError

    hook = _load_hook("scripts_after_paint")
    page = SimpleNamespace(file=SimpleNamespace(src_uri="x.md"))
    html = ('<head><script src="head.js" defer></script></head><body><p>text</p>'
            '<script id="__config" type="application/json">{}</script>\n'
            '<script src="../assets/javascripts/bundle.0a1b.min.js"></script>\n'
            '<script src="../javascripts/a.js" defer></script>\n<script src="../javascripts/b.js" defer></script>\n'
            '</body></html>')
    out = hook.on_post_page(html, page, {})
    body_end = out[out.index('<script id="__config"'):]
    assert "<script src=" not in body_end and out.count("<script>") == 1
    assert '["../assets/javascripts/bundle.0a1b.min.js", "../javascripts/a.js", "../javascripts/b.js"]' in body_end
    assert '<script src="head.js" defer></script>' in out      # the head is left alone
    assert "SOURCES" not in out and "/*" not in out and out.endswith("</script>\n</body></html>")
    with pytest.raises(PluginError, match="bundle not found"):
        hook.on_post_page(html.replace("bundle.0a1b.min.js", "other.js"), page, {})
    with pytest.raises(PluginError, match="__config"):
        hook.on_post_page("<body></body>", page, {})
    assert hook.on_post_template(html, "404.html", {}) == out
    assert hook.on_post_template("<urlset/>", "sitemap.xml", {}) == "<urlset/>"


def test_built_pages_load_their_scripts_through_the_loader(builds):
    """No <script src> left after Material's __config, on every page and the 404 page:
    Material's bundle, then mkdocs.yml's extra_javascript in order, all in the loader."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)   # !!python/name tags
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=Loader)
    extra = [entry["path"] for entry in config["extra_javascript"]]
    for site_dir in builds[0]:
        pages = sorted(site_dir.rglob("*.html"))
        assert len(pages) > 20
        for path in pages:
            html = path.read_text(encoding="utf-8")
            if '<script id="__config"' not in html:
                continue   # not a Material page (a notebook's downloaded HTML, say)
            tail = html[html.rindex('<script id="__config"'):]
            assert "<script src=" not in tail, path
            sources = json.loads(re.search(r"var sources = (\[[^\]]*\]);", tail).group(1))
            assert re.search(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js$", sources[0]), path
            assert [s.split("javascripts/", 1)[1] for s in sources[1:]] == \
                [p.split("javascripts/", 1)[1] for p in extra], path

"""The notebooks as committed: no outputs (the site shows only fresh, build-time results), a
hidden set-up cell that installs the site's figure renderer, digit-free Markdown (numbers come
from executed code), and the renderer's HTML island matches the pages' figure includes."""
from __future__ import annotations

import json
import re
from pathlib import Path

import plotly.graph_objects as go
import pytest

from gen.notebook_renderer import SiteRenderer, island

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_there_are_the_four_tutorials():
    assert {p.stem for p in NOTEBOOKS} == {"update-rules", "favourable-starts", "magnitude-effect",
                                           "course-network"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_has_no_outputs(path):
    for i, cell in enumerate(_load(path)["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name} cell {i} carries outputs"
            assert cell.get("execution_count") is None, f"{path.name} cell {i} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_hidden_setup_cell_installs_the_site_renderer(path):
    nb = _load(path)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    setup = code[0]
    assert "hide-input" in setup["metadata"].get("tags", [])
    assert re.search(r'use_site_renderer\("nb-[a-z-]+"\)', _source(setup))
    assert nb["metadata"]["kernelspec"]["language"] == "python"
    meta = nb["metadata"]["rmsprop_essay"]
    assert meta["description"].strip() and meta["preview"].startswith("fig-")
    # Only the public API afterwards: no private names of the core, no gen helpers.
    for cell in code[1:]:
        src = _source(cell)
        assert "gen." not in src and "import gen" not in src
        assert not re.search(r"rc\.(?:\w+\.)*_\w", src), f"{path.name}: private rmsprop_core name used"


def _default_site_url() -> str:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    return re.search(r'^site_url: !ENV \[SITE_URL, "([^"]+)"\]', config, re.M).group(1)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_setup_cell_installs_rmsprop_core_from_the_site_only_if_missing(path):
    """Outside a clone the set-up cell pip-installs the site's wheel when rmsprop_core cannot be
    imported (tests/site/test_notebooks_anywhere.py runs it); the committed address is the
    default site's wheel at the current version (the build rewrites it for another SITE_URL)."""
    from gen import wheel
    from tests.site.test_reference_and_previews import load_hook

    setup = _source([c for c in _load(path)["cells"] if c["cell_type"] == "code"][0])
    expected = load_hook("wheel").wheel_url(_default_site_url(), wheel.filename())
    assert f'WHEEL = "{expected}"' in setup
    assert 'importlib.util.find_spec(module) is None' in setup and '"pip", "install"' in setup
    # The site renderer only where the project is (a downloaded notebook has no gen/).
    assert re.search(r'if _root is not None:\n    from gen\.notebook_renderer import', setup)


def test_renderer_prefixes_are_unique():
    prefixes = [re.search(r'use_site_renderer\("([a-z-]+)"\)', _source(_load(p)["cells"][1])).group(1)
                for p in NOTEBOOKS]
    assert len(set(prefixes)) == len(prefixes)


def _fig(**meta):
    fig = go.Figure(go.Scatter(x=[0, 1, 2], y=[0.123456789, 1, 4]))
    fig.update_layout(height=300, meta=meta, title="Demo")
    return fig


def test_island_has_the_include_contract():
    html = island(json.loads(_fig(alt="Three points <rising>", caption="A & B").to_json()), "nb-demo-fig-1")
    assert html.startswith('<figure id="nb-demo-fig-1" class="rc-figure rc-figure--notebook">')
    assert 'class="rc-figure__plot" data-figure="nb-demo-fig-1"' in html
    assert 'role="img" aria-labelledby="nb-demo-fig-1-alt"' in html
    assert 'style="height: 300px"' in html
    template = re.search(r'<template class="plotly-json" data-search-exclude>(.*?)</template>', html).group(1)
    figure = json.loads(template.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
    assert figure["data"][0]["y"] == [0.1235, 1, 4]                 # rounded like the pages' figures
    assert "template" not in figure["layout"] and "meta" not in figure["layout"]
    assert '<p id="nb-demo-fig-1-alt">Three points &lt;rising&gt;</p>' in html
    assert '<span class="rc-figure__caption">A &amp; B</span>' in html
    assert 'href="#nb-demo-fig-1"' in html


def test_island_requires_a_text_alternative():
    with pytest.raises(ValueError, match="text alternative"):
        island(json.loads(_fig().to_json()), "nb-demo-fig-1")


def test_renderer_numbers_figures_and_keeps_the_plotly_mimetype():
    import copy

    renderer = SiteRenderer("nb-demo")
    # plotly's show() calls to_mimebundle on a shallow copy of the registered renderer.
    first = copy.copy(renderer).to_mimebundle(_fig(alt="a").to_dict())
    second = copy.copy(renderer).to_mimebundle(_fig(alt="b").to_dict())
    assert 'id="nb-demo-fig-1"' in first["text/html"] and 'id="nb-demo-fig-2"' in second["text/html"]
    assert first["application/vnd.plotly.v1+json"]["data"][0]["type"] == "scatter"
    with pytest.raises(ValueError):
        SiteRenderer("Not Kebab")


def test_cdn_scripts_are_stripped_from_notebook_pages():
    from tests.site.test_reference_and_previews import load_hook

    hook = load_hook("notebooks")
    page = ('<style>x</style>\n<script src=""> </script>\n'
            '<script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/latest.js?config=TeX"> </script>\n'
            '<!-- MathJax configuration -->\n<script type="text/x-mathjax-config">init_mathjax();</script>\n'
            '<div class="jp-Cell">keep</div>')
    out = hook.strip_cdn_scripts(page)
    assert "mathjax" not in out.lower() and "<script" not in out
    assert '<div class="jp-Cell">keep</div>' in out


def _prune(css, classes=(), ids=(), **kw):
    from tests.site.test_reference_and_previews import load_hook

    return load_hook("notebooks").prune_css([css], set(classes), set(ids), **kw)[0]


def test_notebook_css_keeps_only_rules_that_may_match_the_page():
    css = (".jp-Cell{color:red}.jp-Absent{color:blue}.jp-Cell .jp-Absent,.jp-Cell p{margin:0}"
           "#here{top:0}#gone{top:1px}body{margin:0}/* a comment */")
    assert _prune(css, {"jp-Cell"}, {"here"}) == ".jp-Cell{color:red}.jp-Cell p{margin:0}#here{top:0}body{margin:0}"


def test_notebook_css_keeps_what_a_missing_class_can_still_match():
    # :not(.x) matches because .x is missing; attribute selectors are not classes
    css = '.jp-Cell:not(.jp-mod-active){a:1}[data-x=".jp-Absent"]{b:2}.jp-Cell:is(.jp-A, .jp-B){c:3}'
    assert _prune(css, {"jp-Cell"}) == css


def test_notebook_css_prunes_inside_media_and_keeps_other_at_rules():
    css = ('@charset "UTF-8";@media (max-width: 600px){.jp-Cell{a:1}.jp-Absent{b:2}}'
           "@media print{.jp-Absent{c:3}}@keyframes spin{from{d:0}to{d:1}}@font-face{font-family:x}")
    assert _prune(css, {"jp-Cell"}) == ('@charset "UTF-8";@media (max-width: 600px){.jp-Cell{a:1}}'
                                        "@keyframes spin{from{d:0}to{d:1}}@font-face{font-family:x}")


def test_notebook_css_drops_the_jupyter_variables_no_kept_rule_uses():
    css = (".jupyter-wrapper{--jp-used:var(--jp-chained);--jp-chained:1px;--jp-unused:2px;"
           "--jp-icon:url('data:image/svg+xml;utf8,<svg a=\"b;c\"/>');--md-own:3px}"
           ".jp-Cell{width:var(--jp-used)}.jp-Absent{width:var(--jp-unused)}")
    out = _prune(css, {"jupyter-wrapper", "jp-Cell"})
    assert out == ".jupyter-wrapper{--jp-used:var(--jp-chained);--jp-chained:1px;--md-own:3px}.jp-Cell{width:var(--jp-used)}"


def test_notebook_css_variables_defined_in_one_sheet_and_used_in_another_stay():
    from tests.site.test_reference_and_previews import load_hook

    theme, main = load_hook("notebooks").prune_css(
        [".jupyter-wrapper{--jp-ink:#000;--jp-paper:#fff}", ".jp-Cell{color:var(--jp-ink)}"],
        {"jupyter-wrapper", "jp-Cell"}, set())
    assert (theme, main) == (".jupyter-wrapper{--jp-ink:#000}", ".jp-Cell{color:var(--jp-ink)}")


def test_notebook_page_css_counts_script_classes_and_leaves_the_theme_alone():
    from tests.site.test_reference_and_previews import load_hook

    hook = load_hook("notebooks")
    page = ('<head><style>.jp-Absent{a:1}</style></head><body><article class="md-content__inner">'
            '<style>.jp-Cell{b:2}.md-typeset__scrollwrap{c:3}.jp-Absent{d:4}</style>'
            '<style>.jp-Absent{e:5}</style><div class="jp-Cell"></div></article></body>')
    assert hook.prune_page_css(page) == (
        '<head><style>.jp-Absent{a:1}</style></head><body><article class="md-content__inner">'
        '<style>.jp-Cell{b:2}.md-typeset__scrollwrap{c:3}</style><div class="jp-Cell"></div></article></body>')

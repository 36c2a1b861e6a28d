"""The gen framework itself: spec validation, rounding, incremental and deterministic writing."""
from __future__ import annotations

import json
import sys
import textwrap

import plotly.graph_objects as go
import pytest

from gen import build, registry
from gen.html import figure_include
from gen.serialize import dumps, figure_json, plain, round_sig
from gen.spec import FigureSpec, NumbersSpec, TableSpec
from gen.text import fmt


def _figure_spec(**overrides):
    fields = dict(id="fig-demo", figure=go.Figure(go.Scatter(x=[0, 1], y=[1, 2])),
                  caption="A demo figure that argues nothing in particular.",
                  alt="A line from (0, 1) to (1, 2).", data={"x": [0, 1], "y": [1, 2]})
    fields.update(overrides)
    return FigureSpec(**fields)


@pytest.mark.parametrize("bad", ["hero", "fig_hero", "fig-Hero", "fig-", "tab-hero"])
def test_figure_id_must_be_kebab_case_with_prefix(bad):
    with pytest.raises(ValueError, match="figure id"):
        _figure_spec(id=bad)


@pytest.mark.parametrize("field", ["caption", "alt"])
def test_caption_and_alt_are_required(field):
    with pytest.raises(ValueError, match=field):
        _figure_spec(**{field: "  "})


def test_numbers_must_be_formatted_strings():
    with pytest.raises(ValueError, match="formatted string"):
        _figure_spec(numbers={"steps": 12})
    with pytest.raises(ValueError, match="number name"):
        NumbersSpec({"Bad-Name": "1"})
    with pytest.raises(ValueError, match="table id"):
        TableSpec(id="fig-x", markdown="| a |")


def test_csv_only_for_tabular_data():
    assert _figure_spec().is_tabular
    assert not _figure_spec(data={"x": [0, 1], "y": [1]}).is_tabular
    assert not _figure_spec(data={"paths": [[0, 1], [1, 2]]}).is_tabular


def test_rounding_keeps_four_significant_digits():
    assert round_sig(3.14159265) == 3.142
    assert round_sig(1.23456e-7) == 1.235e-07
    assert round_sig(2.0) == 2 and isinstance(round_sig(2.0), int)
    with pytest.raises(ValueError):
        round_sig(float("nan"))
    assert dumps(plain({"b": (1.0000001,), "a": 0.1 + 0.2})) == '{"a":0.3,"b":[1]}'


def test_fmt_for_prose():
    assert fmt(3.16227766) == "3.16"
    assert fmt(120) == "120"
    assert fmt(0.000123) == "0.000123"
    with pytest.raises(ValueError):
        fmt(float("inf"))


def test_figure_json_drops_template_and_is_compact():
    fig = figure_json(go.Figure(go.Scatter(x=[0.123456, 1], y=[1, 2])))
    assert "template" not in fig["layout"]
    assert fig["data"][0]["x"] == [0.1235, 1]


def test_include_escapes_json_and_text():
    spec = _figure_spec(caption="a < b & c", alt="x </template> y")
    text = dumps({"s": "</template><script>"})
    html = figure_include(spec, text, {"layout": {}}, ["generated/data/fig-demo.json"], "gen/fig_demo.py")
    assert "</template><script>" not in html.split("<template", 1)[1].split("</template>", 1)[0]
    assert "a &lt; b &amp; c" in html and "x &lt;/template&gt; y" in html


@pytest.fixture
def demo_module(tmp_path, monkeypatch):
    """A throwaway registered figure module in a temporary package."""
    package = tmp_path / "demo_gen"
    package.mkdir()
    (package / "__init__.py").write_text("")
    source = textwrap.dedent('''
        """Demo figure."""
        import plotly.graph_objects as go
        from gen.spec import FigureSpec
        ID = "fig-demo"
        VALUE = 1.0
        def build():
            return FigureSpec(id=ID, figure=go.Figure(go.Scatter(x=[0, 1], y=[0, VALUE])),
                              caption="Demo caption that makes an argument.", alt="Demo 1 2 3.",
                              data={"x": [0, 1], "y": [0, VALUE]}, numbers={"value": str(VALUE)})
    ''')
    path = package / "fig_demo.py"
    path.write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "demo_gen.fig_demo", path
    for name in [m for m in sys.modules if m.startswith("demo_gen")]:
        del sys.modules[name]


def test_build_is_incremental_and_cleans_stale_files(tmp_path, demo_module):
    name, source = demo_module
    out, stamps = tmp_path / "generated", tmp_path / "stamps"
    quiet = lambda *a: None
    first = build.build(modules=(name,), out=out, stamps=stamps, log=quiet)
    assert first["built"] == [name]
    assert json.loads((out / "numbers.json").read_text()) == {"demo.value": "1.0"}
    files = sorted(p for p in out.rglob("*") if p.is_file())
    assert [p.relative_to(out).as_posix() for p in files] == [
        "data/fig-demo.csv", "data/fig-demo.json", "figures/fig-demo.html", "numbers.json"]
    mtimes = {p: p.stat().st_mtime_ns for p in files}
    snapshot = {p: p.read_bytes() for p in files}

    second = build.build(modules=(name,), out=out, stamps=stamps, log=quiet)
    assert second["built"] == [] and second["fresh"] == [name]
    assert {p: p.stat().st_mtime_ns for p in files} == mtimes, "a no-op build must not touch files"

    # A hand edit of an output is detected and undone.
    (out / "figures/fig-demo.html").write_text("edited")
    assert build.build(modules=(name,), out=out, stamps=stamps, log=quiet)["built"] == [name]
    assert {p: p.read_bytes() for p in files} == snapshot

    # A stale output (e.g. of a removed module) is deleted.
    (out / "figures/fig-gone.html").write_text("old")
    assert build.build(modules=(name,), out=out, stamps=stamps, log=quiet)["removed"] == ["figures/fig-gone.html"]

    # Changing the module's source rebuilds it.
    source.write_text(source.read_text().replace("VALUE = 1.0", "VALUE = 2.0"))
    sys.modules.pop(name, None)
    assert build.build(modules=(name,), out=out, stamps=stamps, log=quiet)["built"] == [name]
    assert json.loads((out / "numbers.json").read_text()) == {"demo.value": "2.0"}


def test_namespace_from_module_name():
    assert registry.namespace("gen.home.fig_hero") == "hero"
    assert registry.namespace("gen.tab_presets") == "presets"
    with pytest.raises(ValueError):
        registry.namespace("gen.hero")


def test_numpy_arrays_become_rounded_lists_not_base64():
    import numpy as np

    fig = figure_json(go.Figure(go.Contour(x=np.array([0.5, 1.0]), y=np.array([0.0, 2.0]),
                                           z=np.array([[1.23456, 2.0], [3.0, 4.0]]))))
    trace = fig["data"][0]
    assert trace["x"] == [0.5, 1] and trace["z"] == [[1.235, 2], [3, 4]]
    assert "bdata" not in dumps(fig)


def test_changing_an_imported_sibling_module_rebuilds(tmp_path, monkeypatch):
    """A module reusing another gen module's constants is rebuilt when they change."""
    package = tmp_path / "dep_gen"
    package.mkdir()
    (package / "__init__.py").write_text("")
    shared = package / "fig_shared.py"
    shared.write_text("START = 1.0\n")
    (package / "num_user.py").write_text(textwrap.dedent('''
        """Numbers that reuse a sibling's constant."""
        from dep_gen.fig_shared import START
        from gen.spec import NumbersSpec
        from gen.text import fmt
        def build():
            return NumbersSpec({"start": fmt(START)})
    '''))
    monkeypatch.syspath_prepend(str(tmp_path))
    name = "dep_gen.num_user"
    assert [p.name for p in build.gen_dependencies(name)] == ["fig_shared.py", "num_user.py"]
    out, stamps, quiet = tmp_path / "generated", tmp_path / "stamps", lambda *a: None
    try:
        assert build.build(modules=(name,), out=out, stamps=stamps, log=quiet)["built"] == [name]
        assert build.build(modules=(name,), out=out, stamps=stamps, log=quiet)["built"] == []
        shared.write_text("START = 2.5\n")
        for module in [m for m in sys.modules if m.startswith("dep_gen")]:
            del sys.modules[module]
        assert build.build(modules=(name,), out=out, stamps=stamps, log=quiet)["built"] == [name]
        assert json.loads((out / "numbers.json").read_text()) == {"user.start": "2.5"}
    finally:
        for module in [m for m in sys.modules if m.startswith("dep_gen")]:
            del sys.modules[module]


def test_changing_a_declared_input_file_rebuilds(tmp_path, monkeypatch):
    """A module's INPUTS (files outside gen/ it reads, e.g. the Playground's query.js) are part
    of its checksum: editing one rebuilds the module."""
    package = tmp_path / "input_gen"
    package.mkdir()
    (package / "__init__.py").write_text("")
    source = tmp_path / "limits.txt"
    source.write_text("7")
    (package / "num_reader.py").write_text(textwrap.dedent(f'''
        """Numbers read from a file outside gen/."""
        from pathlib import Path
        from gen.spec import NumbersSpec
        INPUTS = (Path({str(source)!r}),)
        def build():
            return NumbersSpec({{"limit": INPUTS[0].read_text()}})
    '''))
    monkeypatch.syspath_prepend(str(tmp_path))
    name = "input_gen.num_reader"
    out, stamps, quiet = tmp_path / "generated", tmp_path / "stamps", lambda *a: None
    try:
        assert build.build(modules=(name,), out=out, stamps=stamps, log=quiet)["built"] == [name]
        assert build.build(modules=(name,), out=out, stamps=stamps, log=quiet)["built"] == []
        source.write_text("9")
        assert build.build(modules=(name,), out=out, stamps=stamps, log=quiet)["built"] == [name]
        assert json.loads((out / "numbers.json").read_text()) == {"reader.limit": "9"}
    finally:
        for module in [m for m in sys.modules if m.startswith("input_gen")]:
            del sys.modules[module]


def test_text_docstring_examples():
    """The formatters' examples (fmt, count_text, sci, power_of_ten, ...) print what they say."""
    import doctest

    from gen import text

    result = doctest.testmod(text, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_parallel_workers_group_modules_only_by_their_own_page():
    """Modules that share a page's runs render in one worker (their runs are computed once);
    gen's top-level helpers (settings, plots, text) must not chain every page into a single
    group: after the one-package-per-page layout they did, and `python -m gen` ran on one of
    its two cores (93 s wall for 95 s of CPU)."""
    names = list(registry.MODULES)
    groups = build._families(names, shared=build.shared_helpers())
    pages = [{name.split(".")[1] for name in group} for group in groups]
    assert all(len(page) == 1 for page in pages), pages
    course = next(g for g in groups if g[0].startswith("gen.course_network."))
    users = [n for n in names if n.startswith("gen.course_network.")
             and build.ROOT / "gen" / "course_network" / "runs.py" in build.gen_dependencies(n)]
    assert set(users) <= set(course) and len(users) > 1
    assert len(groups) >= 8

"""gen/ is laid out like the site map, and its data flows one way.

One package per page of the essay (the page's figure, table, number and data modules, plus
the runs they share); the framework and the shared pieces (settings, text, plots) at gen's
top. A figure never imports another figure: what two of them share lives in the page's runs
module or at the top, so a module can be read, rebuilt and deleted on its own.
"""
from __future__ import annotations

import re
from pathlib import Path

from gen import build, registry

ROOT = Path(__file__).resolve().parents[2]
GEN = ROOT / "gen"
KIND = re.compile(r"^(fig|tab|num|data)_")
#: The shared pieces a page package may use, besides its own package.
TOP = {"settings", "spec", "text", "plots"}


def page_packages() -> list[Path]:
    return sorted(p.parent for p in GEN.glob("*/__init__.py"))


def gen_imports(path: Path) -> set[str]:
    """The gen modules (or names in them) a file imports, as dotted names."""
    return {n for n in build.imported_names(path) if n == "gen" or n.startswith("gen.")}


def test_every_registered_module_lives_in_a_page_package_named_by_its_kind():
    pages = {p.name for p in page_packages()}
    for name in registry.MODULES:
        parts = name.split(".")
        assert len(parts) == 3 and parts[0] == "gen", f"{name}: expected gen.<page>.<module>"
        assert parts[1] in pages, f"{name}: {parts[1]} is not a page package"
        assert KIND.match(parts[2]), f"{name}: a registered module is named fig_/tab_/num_/data_"


def test_every_page_package_is_a_page_of_the_site_and_says_what_it_holds():
    docs = {p.stem.replace("-", "_") for p in (ROOT / "docs").glob("*.md")} | {"home"}
    registered = {name.split(".")[1] for name in registry.MODULES}
    for package in page_packages():
        assert package.name in docs, f"gen/{package.name}/ matches no page in docs/"
        assert package.name in registered, f"gen/{package.name}/ builds nothing"
        readme = package / "README.md"
        assert readme.exists(), f"gen/{package.name}/ has no README.md"
        text = readme.read_text(encoding="utf-8")
        for module in package.glob("*.py"):
            if module.name != "__init__.py":
                assert f"`{module.name}`" in text, f"gen/{package.name}/README.md does not list {module.name}"


def test_no_figure_imports_another_and_pages_use_only_the_top_and_themselves():
    for package in page_packages():
        for path in package.glob("*.py"):
            for dotted in gen_imports(path):
                parts = dotted.split(".")
                if len(parts) < 2 or not build.is_module(dotted):   # ``from gen import x`` names gen too
                    continue
                where = f"gen/{package.name}/{path.name} imports {dotted}"
                if len(parts) == 2:   # gen.<top module>, or the page's own package
                    assert parts[1] in TOP | {package.name}, f"{where}: a page uses only {sorted(TOP)} from gen's top"
                else:
                    assert parts[1] == package.name, f"{where}: another page's module"
                    assert not KIND.match(parts[2]), f"{where}: a figure/table module; share runs instead"


def test_the_top_of_gen_never_imports_a_page_and_the_core_never_imports_gen():
    pages = {p.name for p in page_packages()}
    for path in GEN.glob("*.py"):
        for dotted in gen_imports(path):
            parts = dotted.split(".")
            assert len(parts) < 2 or parts[1] not in pages, f"gen/{path.name} imports the page module {dotted}"
    for path in (ROOT / "rmsprop_core").rglob("*.py"):
        assert not gen_imports(path), f"{path.relative_to(ROOT)} imports gen: data flows core -> gen -> docs"


def test_the_checker_sees_a_figure_importing_a_figure(tmp_path):
    """The import scan is not vacuous: it finds both spellings of an import."""
    bad = tmp_path / "fig_bad.py"
    bad.write_text("from gen.home import fig_hero\nimport gen.favourable_starts.fig_sweep\n")
    found = gen_imports(bad)
    assert "gen.home.fig_hero" in found and "gen.favourable_starts.fig_sweep" in found
    assert all(build.is_module(d) for d in ("gen.home.fig_hero", "gen.favourable_starts.fig_sweep"))

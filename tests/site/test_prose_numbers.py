"""Every number quoted in the essay's prose comes from a generated include.

The rule (README, DESIGN.md): no number in the prose is typed by hand. Results and parameter
values reach a page only through ``{{ namespace.key }}`` placeholders (filled from
docs/generated/numbers.json by hooks/numbers.py) or through generated figures and tables
(``--8<--`` includes). This test reads each Markdown page and each notebook's Markdown cells,
removes what may legitimately hold digits — placeholders, code, link targets, HTML attributes,
include lines, front matter — and fails on any digit left in the prose. Inside math only
single-digit structural constants are allowed (1 − β, dW², ½); a multi-digit or decimal
number in a formula is a typed value and must be a placeholder too.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
SKIP_DIRS = {"generated", "vendor"}

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
FENCED_CODE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
INCLUDE_LINE = re.compile(r"^\s*--8<--.*$", re.M)
PLACEHOLDER = re.compile(r"\{\{\s*[A-Za-z_][\w-]*(?:\.[\w-]+)+\s*\}\}")
INLINE_CODE = re.compile(r"`[^`\n]+`")
DISPLAY_MATH = re.compile(r"\\\[(.+?)\\\]|\$\$(.+?)\$\$", re.S)
INLINE_MATH = re.compile(r"\\\((.+?)\\\)", re.S)
# Notebook Markdown cells use Jupyter's $...$ for inline math (rendered by katex-init.js).
DOLLAR_MATH = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)\$(?!\$)")
LINK_TARGET = re.compile(r"\]\([^)]*\)|^\s*\[[^\]]+\]:\s*\S+.*$", re.M)
HTML_TAG = re.compile(r"<[^>]+>")
ATTR_LIST = re.compile(r"\{:?\s*[#.][^}]*\}")
HEADING_ANCHOR = re.compile(r"\{#[^}]*\}")
LIST_MARKER = re.compile(r"^\s*\d+\.\s", re.M)   # "1. " starts an ordered list item: structure
TYPED_IN_MATH = re.compile(r"\d*\.\d+|\d{2,}")
# A digit that starts a number; digits inside a name such as "TF1" or "β2" are part of the name.
DIGIT = re.compile(r"(?<![^\W\d_])\d")


def _pages() -> list[Path]:
    found = []
    for path in sorted(DOCS.rglob("*")):
        if SKIP_DIRS.intersection(path.relative_to(DOCS).parts):
            continue
        if path.suffix in {".md", ".ipynb"}:
            found.append(path)
    return found


def _markdown_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = [c for c in notebook["cells"] if c["cell_type"] == "markdown"]
        return "\n\n".join("".join(c["source"]) for c in cells)
    return path.read_text(encoding="utf-8")


def typed_numbers(markdown: str, notebook: bool = False) -> list[str]:
    """The hand-typed numbers in a page's prose, as short excerpts (empty when clean)."""
    text = FRONT_MATTER.sub("", markdown)
    text = FENCED_CODE.sub("", text)
    text = INCLUDE_LINE.sub("", text)
    text = PLACEHOLDER.sub("", text)
    text = INLINE_CODE.sub("", text)
    problems = []

    def check_math(match: re.Match) -> str:
        formula = next(g for g in match.groups() if g is not None)
        problems.extend(f"math: {m.group(0)!r} in {formula.strip()[:60]!r}"
                        for m in TYPED_IN_MATH.finditer(formula))
        return " "

    text = DISPLAY_MATH.sub(check_math, text)
    text = INLINE_MATH.sub(check_math, text)
    if notebook:
        text = DOLLAR_MATH.sub(check_math, text)
    text = LINK_TARGET.sub("]", text)
    text = HTML_TAG.sub(" ", text)
    text = ATTR_LIST.sub("", text)
    text = HEADING_ANCHOR.sub("", text)
    text = LIST_MARKER.sub("", text)
    for line in text.splitlines():
        if DIGIT.search(line):
            problems.append(f"prose: {line.strip()[:100]!r}")
    return problems


@pytest.mark.parametrize("path", _pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_no_hand_typed_numbers_in_prose(path):
    problems = typed_numbers(_markdown_of(path), notebook=path.suffix == ".ipynb")
    assert not problems, f"{path.relative_to(DOCS)} types numbers by hand:\n" + "\n".join(problems)


def test_pages_were_found():
    assert any(p.name == "index.md" for p in _pages())


def test_notebook_dollar_math_is_checked_as_math():
    assert typed_numbers(r"With $\beta = 0$ it is sign descent.", notebook=True) == []
    assert len(typed_numbers(r"With $\beta = 0.9$ the step grows.", notebook=True)) == 1


@pytest.mark.parametrize("markdown, expected", [
    ("RMSprop takes 42 steps.", 1),
    ("RMSprop takes {{ hero.rmsprop_steps_a }} steps.", 0),
    (r"With \(\beta = 0.9\) the step grows.", 1),
    (r"\(S \leftarrow \beta S + (1-\beta)\,dW^2\)", 0),
    ("See [the figure](index.md#fig-hero) and `lr=0.01`.", 0),
    ("```python\nrc.gd(0.1)\n```\nNo digits here.", 0),
    ('--8<-- "generated/figures/fig-hero.html"', 0),
    ("---\ndescription: 3 steps\n---\nText.", 0),
    ("1. **First finding** with {{ a.b }}.\n2. Second.", 0),
    ("It took 1. Then more.", 1),
    ("TensorFlow 1 and TF1 differ.", 1),
    ("Keras and TF1 put it inside; Adam's β2 too.", 0),
])
def test_detector(markdown, expected):
    assert len(typed_numbers(markdown)) == expected

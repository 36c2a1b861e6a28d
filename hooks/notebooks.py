"""mkdocs hook for the executed notebooks (mkdocs-jupyter).

1. Offline: nbconvert's HTML template always adds a MathJax <script> from a CDN (and its
   configuration) and a Mermaid loader. The site renders math with its vendored KaTeX
   (javascripts/katex-init.js) and has no diagrams, so those scripts are removed from every
   notebook page: the site never asks another host for anything.
2. Accessible code cells: their horizontally scrolling boxes get tabindex="0".
3. Fresh results: mkdocs-jupyter caches an executed notebook by the notebook's bytes only, so a
   change to rmsprop_core would otherwise republish stale outputs. The cache directory is
   keyed by a checksum of everything the notebooks import from the project.
4. Lean pages: nbconvert inlines JupyterLab's whole style sheet (574 kB, 86 kB gzipped: every
   widget, theme variable and icon of JupyterLab) into every notebook page, a third of its
   weight and most of the browser's style work on a phone. ``on_post_page`` keeps only the rules
   whose classes and ids occur in the page, or that scripts add later (Material's, the site's,
   plotly's, KaTeX's; no JupyterLab script runs there), and the ``--jp-`` variables they use
   (:func:`prune_css`).
"""
from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.notebooks")

ROOT = Path(__file__).resolve().parent.parent
#: Sources whose change must re-execute the notebooks.
INPUTS = ("rmsprop_core/*.py", "gen/notebook_renderer.py", "gen/html.py", "gen/serialize.py")

CDN_SCRIPTS = [
    # <script src="https://cdnjs.../mathjax/...">  </script>
    re.compile(r'<script[^>]*\bsrc="[^"]*mathjax[^"]*"[^>]*>\s*</script>\s*', re.I),
    re.compile(r'<script src="">\s*</script>\s*'),   # the same with mkdocs-jupyter's empty URL
    re.compile(r'<script type="text/x-mathjax-config">.*?</script>\s*', re.S | re.I),
    re.compile(r"<!-- (?:Load mathjax|MathJax configuration|End of mathjax configuration) -->\s*", re.I),
    re.compile(r'<script type="module">[^<]*mermaid.*?</script>\s*', re.S | re.I),
]


def inputs_digest(root: Path = ROOT) -> str:
    h = hashlib.sha256()
    for pattern in INPUTS:
        for path in sorted(root.glob(pattern)):
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def on_config(config):
    for plugin in config.plugins.values():
        if type(plugin).__name__ == "Plugin" and type(plugin).__module__.startswith("mkdocs_jupyter"):
            base = Path(plugin.config["cache_dir"])
            if base.name != inputs_digest():
                plugin.config["cache_dir"] = str(base / inputs_digest())
    return config


def strip_cdn_scripts(html: str) -> str:
    for pattern in CDN_SCRIPTS:
        html = pattern.sub("", html)
    return html


CODE_BLOCK = re.compile(r'<div class="(highlight-ipynb[^"]*)">')


def focusable_code(html: str) -> str:
    """Long code lines scroll sideways: the scrolling box must be reachable by keyboard
    (axe: scrollable-region-focusable), as Material makes its own code blocks."""
    return CODE_BLOCK.sub(r'<div class="\1" tabindex="0">', html)


# ------------------------------------------------------------------ 4. trimming the style sheet
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_FUNCTIONAL = re.compile(r":(?:not|is|where|has|matches|-webkit-any|-moz-any)\(")
_CLASS = re.compile(r"\.((?:[\w-]|\\.)+)")
_ID = re.compile(r"#((?:[\w-]|\\.)+)")
_VAR = re.compile(r"var\(\s*(--[\w-]+)")
#: At-rules whose block holds style rules (pruned inside); other at-rules are kept whole.
_GROUPING = ("@media", "@supports", "@layer", "@container")
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>\s*", re.S)
_CLASSES = re.compile(r'\bclass="([^"]*)"')
_IDS = re.compile(r'\bid="([^"]*)"')
#: Classes that scripts add after load, counted as present: Material's (it wraps tables in
#: ``md-typeset__scrollwrap``, which mkdocs-jupyter's sheet styles), the site's, plotly's, and
#: KaTeX's (hooks/katex.py typesets after this hook).
_RUNTIME_CLASSES = ("md-", "rc-", "js-", "plotly", "katex")


class _Present(set):
    """A page's classes, and any class with one of ``prefixes`` (added by a script later)."""

    def __init__(self, classes, prefixes=()):
        super().__init__(classes)
        self.prefixes = tuple(prefixes)

    def __contains__(self, name):
        return super().__contains__(name) or name.startswith(self.prefixes)


def _scan(text: str, i: int, quote: str | None) -> tuple[int, str | None]:
    """One character of CSS, strings kept whole: the next index and the open quote."""
    c = text[i]
    if quote:
        return (i + 2, quote) if c == "\\" else (i + 1, None if c == quote else quote)
    return i + 1, (c if c in "\"'" else None)


def _close(text: str, i: int, opening: str, closing: str) -> int:
    """The index just past the ``closing`` that matches the ``opening`` before ``i``, strings
    kept whole (or the end of ``text``)."""
    depth, quote = 1, None
    while depth and i < len(text):
        if not quote:
            depth += {opening: 1, closing: -1}.get(text[i], 0)
        i, quote = _scan(text, i, quote)
    return i


def _split(text: str, sep: str) -> list[str]:
    """``text`` cut at ``sep`` outside strings, parentheses and brackets (``url(data:...;...)``
    and ``:is(a, b)`` stay whole)."""
    parts, depth, quote, start, i = [], 0, None, 0, 0
    while i < len(text):
        c = text[i]
        if not quote:
            depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(c, 0)
            if c == sep and depth == 0:
                parts.append(text[start:i])
                start = i + 1
        i, quote = _scan(text, i, quote)
    return parts + [text[start:]]


def _statements(css: str) -> list[tuple[str, str | None]]:
    """A style sheet's top-level statements: (prelude, block), block None for ``@charset ...;``."""
    out, start, i, quote = [], 0, 0, None
    while i < len(css):
        c = css[i]
        if not quote and c == ";":
            if css[start:i].strip():
                out.append((css[start:i].strip(), None))
            start = i + 1
        elif not quote and c == "{":
            j = _close(css, i + 1, "{", "}")
            out.append((css[start:i].strip(), css[i + 1:j - 1]))
            start = i = j
            continue
        i, quote = _scan(css, i, quote)
    return out


def _may_match(selector: str, classes: set[str], ids: set[str]) -> bool:
    """False only if the selector needs a class or id the page lacks. The arguments of
    :not(), :is(), ... and attribute selectors are left out (a missing class can make
    ``:not(.x)`` match), so what is kept is a superset of what matches."""
    while (m := _FUNCTIONAL.search(selector)):
        selector = selector[:m.start()] + selector[_close(selector, m.end(), "(", ")"):]
    selector = re.sub(r"\[[^\]]*\]", "", selector)
    return all(c.replace("\\", "") in classes for c in _CLASS.findall(selector)) and \
        all(x.replace("\\", "") in ids for x in _ID.findall(selector))


def _prune_rules(css: str, classes: set[str], ids: set[str]) -> list:
    out = []
    for prelude, block in _statements(css):
        if block is not None and prelude.startswith(_GROUPING):
            if inner := _prune_rules(block, classes, ids):
                out.append((prelude, inner))
        elif block is None or prelude.startswith("@"):
            out.append((prelude, block))
        elif kept := [s.strip() for s in _split(prelude, ",") if _may_match(s, classes, ids)]:
            out.append((",".join(kept), block))
    return out


def _leaves(rules):
    for prelude, block in rules:
        if isinstance(block, list):
            yield from _leaves(block)
        else:
            yield prelude, block


def _prune_variables(sheets: list[list], prefix: str) -> list[list]:
    """Drop the ``prefix`` custom properties that no kept declaration of any of the sheets
    uses, even through other variables (JupyterLab's theme sheet defines what its main sheet
    uses, so the page's sheets are pruned together)."""
    values: dict[str, list[str]] = {}
    used: set[str] = set()
    for prelude, block in (leaf for rules in sheets for leaf in _leaves(rules)):
        if block is None or prelude.startswith("@"):
            used.update(_VAR.findall(prelude + (block or "")))
            continue
        for declaration in _split(block, ";"):
            name, _, value = declaration.partition(":")
            if name.strip().startswith("--"):
                values.setdefault(name.strip(), []).append(value)
            else:
                used.update(_VAR.findall(value))
    todo = list(used)
    while todo:
        for value in values.get(todo.pop(), []):
            new = set(_VAR.findall(value)) - used
            used |= new
            todo += new

    def unused(declaration: str) -> bool:
        name = declaration.partition(":")[0].strip()
        return not declaration.strip() or (name.startswith(prefix) and name not in used)

    def rewrite(rules):
        out = []
        for prelude, block in rules:
            if isinstance(block, list):
                block = rewrite(block)
            elif block is not None and not prelude.startswith("@"):
                block = ";".join(d.strip() for d in _split(block, ";") if not unused(d))
            if block != "" and block != []:
                out.append((prelude, block))
        return out
    return [rewrite(rules) for rules in sheets]


def _serialize(rules: list) -> str:
    return "".join(prelude + ";" if block is None else
                   prelude + "{" + (_serialize(block) if isinstance(block, list) else block) + "}"
                   for prelude, block in rules)


def prune_css(sheets: list[str], classes: set[str], ids: set[str], prefix: str = "--jp-") -> list[str]:
    """The rules of each style sheet that may match an element with these classes and ids,
    without the ``prefix`` custom properties that none of the sheets' kept rules use;
    comments dropped."""
    rules = [_prune_rules(_COMMENT.sub("", css), classes, ids) for css in sheets]
    return [_serialize(r) for r in _prune_variables(rules, prefix)]


def prune_page_css(html: str) -> str:
    """The style sheets inside the page's ``<article>`` (nbconvert's, which mkdocs-jupyter puts
    in the content; the theme's own are files) pruned to the whole page (:func:`prune_css`);
    one left empty is removed."""
    start, end = html.find("<article"), html.rfind("</article>")
    if start < 0 or end < 0:
        return html
    classes = _Present({c for value in _CLASSES.findall(html) for c in value.split()}, _RUNTIME_CLASSES)
    ids = set(_IDS.findall(html))
    article = html[start:end]
    pruned = iter(prune_css([m.group(1) for m in _STYLE.finditer(article)], classes, ids))

    def replace(match: re.Match) -> str:
        css = next(pruned)
        return match.group(0).replace(match.group(1), css, 1) if css.strip() else ""
    return html[:start] + _STYLE.sub(replace, article) + html[end:]


def on_post_page(output, page, config):
    if not page.file.src_uri.endswith(".ipynb"):
        return output
    return prune_page_css(output)


def on_page_content(html, page, config, files):
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    html = focusable_code(strip_cdn_scripts(html))
    if re.search(r"https?://[^\"'\s]*(?:mathjax|mermaid|cdn)", html, re.I):
        log.warning(f"{page.file.src_uri}: a CDN URL is left in the notebook page")
    return html

"""Griffe extension for the API reference: rmsprop_core's Sphinx-style docstring markup,
rendered by mkdocstrings through the site's Markdown (arithmatex + KaTeX).

The core's docstrings follow optax: reST math roles and directives, cross-reference roles and
bare doctest blocks. Keeping them as they are (they also read well in ``help()`` and in a
Sphinx build), this extension rewrites each docstring, only for the reference pages:

* ``:math:`x``` -> ``\\(x\\)``; a ``.. math::`` block -> a ``\\[ ... \\]`` display paragraph;
* ``:func:`~a.b.c``` (and ``:class:``, ``:mod:``, ``:data:``, ``:meth:``, ``:attr:``) -> ``c`` in code;
* a bare doctest (``>>>`` lines and their output) -> a fenced ``pycon`` code block, or an
  ``Examples`` section when it follows a numpy-style section.
"""
from __future__ import annotations

import re

import griffe

MATH_ROLE = re.compile(r":math:`([^`]+)`")
XREF_ROLE = re.compile(r":(?:func|class|mod|data|meth|attr|obj|exc):`(~?)([^`]+)`")
WRAPPED_MATH_ROLE = re.compile(r":math:`([^`\n]*\n[^`]*)`")
WRAPPED_XREF_ROLE = re.compile(r":(?:func|class|mod|data|meth|attr|obj|exc):`(~?)([^`\n]*\n[^`]*)`")


def _xref(match: re.Match) -> str:
    tilde, target = match.group(1), re.sub(r"\s+", "", match.group(2))   # a dotted name has no spaces
    return f"`{target.rsplit('.', 1)[-1] if tilde else target}`"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def rst_to_markdown(text: str) -> str:
    lines = text.splitlines()
    out: list[str] = []
    in_section = False   # inside a numpy-style section (a heading underlined with dashes)
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith(".. math::"):
            base = _indent(line)
            body = [stripped[len(".. math::"):].strip()] if stripped[len(".. math::"):].strip() else []
            i += 1
            while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > base):
                if lines[i].strip():
                    body.append(lines[i].strip())
                i += 1
            pad = " " * base
            out += ["", f"{pad}\\[", *(pad + b for b in body), f"{pad}\\]", ""]
            continue
        if stripped.startswith(">>>"):
            base = _indent(line)
            pad = " " * base
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][base:] if _indent(lines[i]) >= base else lines[i].strip())
                i += 1
            if in_section:
                # After a numpy section (Parameters, ...) a fence would be read as part of that
                # section: give the doctest its own Examples section, which griffe renders as code.
                out += ["", f"{pad}Examples", f"{pad}--------", *(pad + b for b in block), ""]
            else:
                out += ["", f"{pad}```pycon", *(pad + b for b in block), f"{pad}```", ""]
            continue
        if re.fullmatch(r"-{3,}", stripped) and out and out[-1].strip():
            in_section = True
        line = MATH_ROLE.sub(lambda m: f"\\({m.group(1)}\\)", line)
        line = XREF_ROLE.sub(_xref, line)
        out.append(line)
        i += 1
    # A role the docstring wraps over two lines (``:math:`a + \n    b```) is not on one line
    # above: joined into one line here (the reference showed it raw: ":math:`\alpha = ...").
    text = "\n".join(out)
    text = WRAPPED_MATH_ROLE.sub(lambda m: f"\\({_one_line(m.group(1))}\\)", text)
    return WRAPPED_XREF_ROLE.sub(_xref, text)


def _one_line(tex: str) -> str:
    return re.sub(r"\s*\n\s*", " ", tex)


class RstToMarkdown(griffe.Extension):
    """Rewrite every docstring once, when griffe loads the object."""

    def on_instance(self, *, obj, **kwargs) -> None:   # griffe >= 1: called for every object
        if obj.docstring is not None:
            obj.docstring.value = rst_to_markdown(obj.docstring.value)

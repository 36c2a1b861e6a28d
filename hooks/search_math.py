"""mkdocs hook: the search index reads as text, with its formulas as plain text.

Material's search plugin indexes each page's content before hooks/katex.py typesets the math
(that happens on the finished page), so its previews showed the TeX source:
``moves 0.0447 sideways in \\(w\\)``. Once the plugin has written ``search/search_index.json``
(plugins run before hooks), this hook rewrites each formula in it as plain text: ``\\(w\\)`` ->
``w``, ``\\beta_2`` -> ``β_2``, ``\\frac{dW}{\\sqrt{S_{dW}} + \\varepsilon}`` ->
``dW/(√S_dW + ε)``. What a reader types (``beta``, ``dW``) still finds the section: the page
titles, headings and the words around a formula carry the names.

Only the index changes; the pages keep their math. Notebook pages' Markdown cells use ``$...$``,
which is rewritten there only (elsewhere a dollar is a dollar).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

INDEX = "search/search_index.json"
#: Formulas as pymdownx.arithmatex leaves them (every page) and as Jupyter writes them (notebooks).
DELIMITED = re.compile(r"\\\((?P<a>.+?)\\\)|\\\[(?P<b>.+?)\\\]", re.S)
DOLLARS = re.compile(r"\$\$(?P<a>.+?)\$\$|(?<![\\$])\$(?P<b>[^$]+?)(?<!\\)\$", re.S)

SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε",
    "eta": "η", "theta": "θ", "kappa": "κ", "lambda": "λ", "mu": "μ", "pi": "π", "rho": "ρ",
    "sigma": "σ", "tau": "τ", "phi": "ϕ", "varphi": "φ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Sigma": "Σ", "Phi": "Φ",
    "Psi": "Ψ", "Omega": "Ω",
    "leftarrow": "←", "gets": "←", "rightarrow": "→", "to": "→", "mapsto": "↦",
    "approx": "≈", "sim": "∼", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠",
    "neq": "≠", "ll": "≪", "gg": "≫", "lesssim": "≲", "gtrsim": "≳", "in": "∈",
    "cdot": "·", "times": "×", "pm": "±", "odot": "⊙", "star": "⋆", "ast": "∗",
    "nabla": "∇", "partial": "∂", "infty": "∞", "top": "⊤", "sum": "Σ", "prod": "Π",
    "dots": "…", "ldots": "…", "cdots": "⋯",
    "lVert": "‖", "rVert": "‖", "Vert": "‖", "lvert": "|", "rvert": "|", "vert": "|",
    "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "langle": "⟨", "rangle": "⟩",
    "bmod": " mod ",
}
#: Sizing and spacing commands: nothing (or a space) in plain text.
DROPPED = {"left", "right", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "big", "Big",
           "displaystyle", "textstyle", "limits", "nolimits"}
SPACES = {"quad", "qquad", ",", ";", ":", " ", "enspace", "thinspace"}
#: Commands whose one argument is shown as it is.
UNWRAP = {"text", "textrm", "textit", "textbf", "texttt", "mathrm", "mathit", "mathbf", "mathtt",
          "mathsf", "mathcal", "mathbb", "boldsymbol", "operatorname", "mathbin", "mathrel",
          "mathop", "mbox"}
ACCENTS = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303", "dot": "\u0307", "vec": "\u20d7"}

_COMMAND = re.compile(r"\\([A-Za-z]+|.)")


def _group(tex: str, i: int) -> tuple[str, int]:
    """The argument starting at ``tex[i]`` (after spaces): a braced group or one character
    (one command); returns it and the index after it."""
    while i < len(tex) and tex[i] == " ":
        i += 1
    if i >= len(tex):
        return "", i
    if tex[i] == "{":
        depth = 0
        for j in range(i, len(tex)):
            depth += {"{": 1, "}": -1}.get(tex[j], 0)
            if depth == 0:
                return tex[i + 1:j], j + 1
        return tex[i + 1:], len(tex)
    command = _COMMAND.match(tex, i)
    if command:
        return command.group(0), command.end()
    return tex[i], i + 1


def _wrapped(text: str) -> str:
    """``text`` as one operand of ``/`` or ``√``: in parentheses unless it is one symbol or word."""
    return text if re.fullmatch(r"[\w.′]+|.", text) else f"({text})"


def plain_math(tex: str) -> str:
    """One formula's TeX as plain text (Unicode symbols, a/b for fractions, √ for roots)."""
    out, i = [], 0
    while i < len(tex):
        c = tex[i]
        if c == "\\":
            command = _COMMAND.match(tex, i)
            name, i = command.group(1), command.end()
            if name in ("frac", "tfrac", "dfrac"):
                top, i = _group(tex, i)
                bottom, i = _group(tex, i)
                out.append(f"{_wrapped(plain_math(top))}/{_wrapped(plain_math(bottom))}")
            elif name == "sqrt":
                arg, i = _group(tex, i)
                out.append("√" + _wrapped(plain_math(arg)))
            elif name in UNWRAP:
                arg, i = _group(tex, i)
                # \text{...} is words: kept as written, its escaped characters (\_) unescaped
                out.append(re.sub(r"\\([_&%$#{}])", r"\1", arg) if name.startswith("text") else plain_math(arg))
            elif name in ACCENTS:
                arg, i = _group(tex, i)
                out.append(plain_math(arg) + ACCENTS[name])
            elif name in SYMBOLS:
                out.append(SYMBOLS[name])
            elif name in SPACES:
                out.append(" ")
            elif name in DROPPED or name == "!":
                pass
            elif len(name) == 1:          # \{ \} \_ \& \% \$ \|
                out.append("‖" if name == "|" else name)
            else:                         # \ln, \sin, \max, \exp, ...: the name, as a word
                out.append(f" {name} ")
        elif c in "^_":
            arg, i = _group(tex, i + 1)
            out.append(c + _wrapped(plain_math(arg)))
        elif c in "{}":
            i += 1
        elif c == "~":
            out.append(" ")
            i += 1
        else:
            out.append(c)
            i += 1
    return re.sub(r"\s+", " ", "".join(out)).strip()


def plain_text(text: str, dollars: bool = False) -> str:
    """``text`` with every delimited formula (and, if ``dollars``, every ``$...$``) as plain text."""
    def replace(m: re.Match) -> str:
        return plain_math(m.group("a") if m.group("a") is not None else m.group("b"))
    text = DELIMITED.sub(replace, text)
    return DOLLARS.sub(replace, text) if dollars else text


def rewrite_index(index: dict) -> dict:
    """The search index with its formulas as plain text (titles and texts)."""
    for doc in index.get("docs", []):
        dollars = doc.get("location", "").startswith("notebooks/")
        for key in ("title", "text"):
            if isinstance(doc.get(key), str):
                doc[key] = plain_text(doc[key], dollars)
    return index


def on_post_build(config) -> None:
    path = Path(config["site_dir"]) / INDEX
    if not path.exists():
        raise PluginError(f"{path} is missing: the search plugin writes it before this hook runs")
    index = rewrite_index(json.loads(path.read_text(encoding="utf-8")))
    # As Material's search plugin writes it (compact, non-ASCII escaped).
    path.write_text(json.dumps(index, separators=(",", ":"), default=str), encoding="utf-8")

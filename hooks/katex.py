"""mkdocs hook: render the pages' math with KaTeX at build time.

pymdownx.arithmatex (generic) leaves ``\\(...\\)`` in ``<span class="arithmatex">`` and ``\\[...\\]``
in ``<div class="arithmatex">``. Rendering them in the reader's browser costs the KaTeX script
and hundreds of milliseconds of main-thread work on a phone; rendering them here costs nothing
at view time: the page ships finished HTML (with MathML for screen readers) and only KaTeX's
stylesheet, linked on pages that have math. A formula KaTeX cannot parse fails the build.

Jupyter's ``$...$`` and ``$$...$$`` in the notebooks' Markdown cells (mkdocs-jupyter keeps them as
text) are rendered here too: typeset in the browser, they widened their lines after first paint
(a layout shift). javascripts/katex-init.js still renders whatever math is left unmarked.
"""
from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

RENDERER = Path(__file__).with_name("katex_render.js")
MATH = re.compile(
    r'<(?P<tag>span|div) class="arithmatex"(?P<attrs>[^>]*)>'
    r'(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])</(?P=tag)>',
    re.S,
)
# A notebook's Markdown cell (mkdocs-jupyter); its math is text between tags, outside code.
CELL = re.compile(r'<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput"[^>]*>')
DOLLARS = re.compile(r'\$\$(?P<display>.+?)\$\$|(?<![\\$])\$(?P<inline>[^$]+?)(?<!\\)\$', re.S)
CSS = "vendor/katex/katex.min.css"
FONTS = "vendor/katex/fonts/KaTeX_{}.woff2"
# The fonts a page's formulas use, preloaded: discovered only once the stylesheet has been
# parsed and the formulas laid out, they arrived after first paint and the formulas changed
# width as they swapped in (a layout shift). Main-Regular sets digits and operators; the others
# by KaTeX's class for them (katex.min.css).
FONTS_BY_CLASS = (
    (r"\bmathnormal\b", "Math-Italic"), (r"\b(?:mathbf|textbf)\b", "Main-Bold"),
    (r"\b(?:mathit|textit)\b", "Main-Italic"), (r"\bboldsymbol\b", "Math-BoldItalic"),
    (r"\b(?:mathtt|texttt)\b", "Typewriter-Regular"), (r"\bmathcal\b", "Caligraphic-Regular"),
    (r"\b(?:amsrm|mathbb|textbb)\b", "AMS-Regular"), (r"\bsmall-op\b|\bdelimsizing size1\b", "Size1-Regular"),
    (r"\blarge-op\b|\bdelimsizing size2\b", "Size2-Regular"), (r"\bdelimsizing size3\b", "Size3-Regular"),
    (r"\bdelimsizing size4\b", "Size4-Regular"),
)


def render(items: list[dict]) -> list[str]:
    """KaTeX HTML for each {tex, display}, in one Node process."""
    done = subprocess.run(["node", str(RENDERER)], input=json.dumps(items), capture_output=True,
                          text=True, timeout=120)
    if done.returncode != 0:
        raise PluginError(f"KaTeX: {done.stderr.strip()}")
    return json.loads(done.stdout)


def _cell_end(output: str, start: int) -> int:
    """Where the Markdown cell whose content starts at `start` closes (its matching </div>)."""
    depth = 1
    for tag in re.finditer(r"<(/?)div\b", output[start:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return start + tag.start()
    raise PluginError("KaTeX: a notebook Markdown cell does not close")


def _notebook_math(output: str) -> list[tuple[int, int, dict]]:
    """(start, end, {tex, display}) of every $-delimited formula in the Markdown cells: in text
    between tags, never inside <code> or <pre>."""
    found = []
    for cell in CELL.finditer(output):
        start, end = cell.end(), _cell_end(output, cell.end())
        code = 0
        for part in re.finditer(r"<[^>]*>|[^<]+", output[start:end]):
            text = part.group(0)
            if text.startswith("<"):
                name = re.match(r"</?\s*([a-zA-Z]+)", text)
                if name and name.group(1).lower() in ("code", "pre"):
                    code += -1 if text.startswith("</") else 1
                continue
            if code:
                continue
            for m in DOLLARS.finditer(text):
                tex = m["display"] if m["display"] is not None else m["inline"]
                found.append((start + part.start() + m.start(), start + part.start() + m.end(),
                              {"tex": html.unescape(tex), "display": m["display"] is not None}))
    return found


def on_post_page(output: str, page, config) -> str:
    matches = list(MATH.finditer(output))
    dollars = _notebook_math(output)
    if not matches and not dollars:
        return output
    items = [{"tex": html.unescape(m["inline"] if m["inline"] is not None else m["display"]),
              "display": m["display"] is not None} for m in matches]
    typeset = render(items + [item for _, _, item in dollars])
    rendered = iter(typeset[:len(items)])

    def replace(m: re.Match) -> str:
        return f'<{m["tag"]} class="arithmatex" data-katex="rendered"{m["attrs"]}>{next(rendered)}</{m["tag"]}>'

    # Notebook math from the end, so the offsets found above still hold. A display formula that
    # is a paragraph of its own becomes the site's display box (div.arithmatex: it scrolls
    # sideways on a phone, with scroll-regions.js's hint and label); any other stays a span in
    # its paragraph (KaTeX's .katex-display is a block).
    for (start, end, item), done in reversed(list(zip(dollars, typeset[len(items):]))):
        before, after = re.search(r"<p>\s*$", output[max(0, start - 40):start]), re.match(r"\s*</p>", output[end:])
        if item["display"] and before and after:
            start, end = start - len(before.group(0)), end + after.end()
            output = output[:start] + f'<div class="arithmatex" data-katex="rendered">{done}</div>' + output[end:]
        else:
            output = output[:start] + f'<span class="arithmatex" data-katex="rendered">{done}</span>' + output[end:]
    output = MATH.sub(replace, output)
    # Marked, so katex-init.js leaves them alone (and does not load KaTeX for them).
    output = CELL.sub(lambda m: m.group(0)[:-1] + ' data-katex="rendered">', output)
    classes = " | ".join(re.findall(r'class="([^"]*)"', output))
    fonts = ["Main-Regular"] + [font for pattern, font in FONTS_BY_CLASS if re.search(pattern, classes)]
    links = [f'<link rel="preload" href="{get_relative_url(FONTS.format(font), page.url)}" as="font" '
             f'type="font/woff2" crossorigin>' for font in fonts]
    links.append(f'<link rel="stylesheet" href="{get_relative_url(CSS, page.url)}">')
    return output.replace("</head>", "\n".join(links) + "\n</head>", 1)

"""mkdocs hook: render the pages' math with KaTeX at build time.

pymdownx.arithmatex (generic) leaves ``\\(...\\)`` in ``<span class="arithmatex">`` and ``\\[...\\]``
in ``<div class="arithmatex">``. Rendering them in the reader's browser costs the KaTeX script
and hundreds of milliseconds of main-thread work on a phone; rendering them here costs nothing
at view time: the page ships finished HTML (with MathML for screen readers) and only KaTeX's
stylesheet, linked on pages that have math. A formula KaTeX cannot parse fails the build.

Math this hook does not see (Jupyter's ``$...$`` in notebook Markdown cells) is still rendered in
the browser by javascripts/katex-init.js, which loads KaTeX only where such math remains.
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
CSS = "vendor/katex/katex.min.css"


def render(items: list[dict]) -> list[str]:
    """KaTeX HTML for each {tex, display}, in one Node process."""
    done = subprocess.run(["node", str(RENDERER)], input=json.dumps(items), capture_output=True,
                          text=True, timeout=120)
    if done.returncode != 0:
        raise PluginError(f"KaTeX: {done.stderr.strip()}")
    return json.loads(done.stdout)


def on_post_page(output: str, page, config) -> str:
    matches = list(MATH.finditer(output))
    if not matches:
        return output
    items = [{"tex": html.unescape(m["inline"] if m["inline"] is not None else m["display"]),
              "display": m["display"] is not None} for m in matches]
    rendered = iter(render(items))

    def replace(m: re.Match) -> str:
        return f'<{m["tag"]} class="arithmatex" data-katex="rendered"{m["attrs"]}>{next(rendered)}</{m["tag"]}>'

    output = MATH.sub(replace, output)
    href = get_relative_url(CSS, page.url)
    return output.replace("</head>", f'<link rel="stylesheet" href="{href}">\n</head>', 1)

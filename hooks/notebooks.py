"""mkdocs hook for the executed notebooks (mkdocs-jupyter).

1. Offline: nbconvert's HTML template always adds a MathJax <script> from a CDN (and its
   configuration) and a Mermaid loader. The site renders math with its vendored KaTeX
   (javascripts/katex-init.js) and has no diagrams, so those scripts are removed from every
   notebook page: the site never asks another host for anything.
2. Accessible code cells: their horizontally scrolling boxes get tabindex="0".
3. Fresh results: mkdocs-jupyter caches an executed notebook by the notebook's bytes only, so a
   change to rmsprop_core would otherwise republish stale outputs. The cache directory is
   keyed by a checksum of everything the notebooks import from the project.
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


def on_page_content(html, page, config, files):
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    html = focusable_code(strip_cdn_scripts(html))
    if re.search(r"https?://[^\"'\s]*(?:mathjax|mermaid|cdn)", html, re.I):
        log.warning(f"{page.file.src_uri}: a CDN URL is left in the notebook page")
    return html

"""mkdocs hook: numbers in prose and site-relative links in generated includes.

1. ``{{ hero.rmsprop_steps_a }}`` in a page's Markdown is replaced by the formatted value from
   docs/generated/numbers.json (written by ``python -m gen``). Keys are namespaced
   (``<namespace>.<name>``); an unknown key FAILS the build, so prose can never quote a number
   that the build did not compute. Only dotted keys are matched, so ``{{a}}`` in math is left alone.
2. Generated figure includes link their data downloads as ``@site/<path under docs>``; this hook
   rewrites them relative to each page (any depth, any sub-path) and fails if the file is missing.
3. Every Markdown page must have a ``description:`` in its front matter (the per-page
   <meta name="description">; search engines and link previews use it). Missing -> warning,
   which ``mkdocs build --strict`` turns into a failure.
"""
from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.numbers")

NUMBER = re.compile(r"\{\{\s*([A-Za-z_][\w-]*(?:\.[\w-]+)+)\s*\}\}")
SITE_LINK = re.compile(r'(href|src)="@site/([^"#?]+)"')
NUMBERS_FILE = Path("generated") / "numbers.json"

_numbers: dict[str, str] = {}


def on_config(config):
    path = Path(config["docs_dir"]) / NUMBERS_FILE
    global _numbers
    try:
        _numbers = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PluginError(f"{path} is missing: run `make figures` (python -m gen) first") from None
    # the published address, so that "cite or share" shows the real link pattern
    _numbers["site.url"] = (config.get("site_url") or "").rstrip("/") + "/"
    return config


def substitute_numbers(markdown: str, numbers: dict[str, str], where: str) -> str:
    """Replace every ``{{ key }}``; raise PluginError naming the unknown keys."""
    unknown = sorted({m.group(1) for m in NUMBER.finditer(markdown) if m.group(1) not in numbers})
    if unknown:
        raise PluginError(
            f"{where}: unknown number key(s) {', '.join(unknown)}; "
            f"numbers.json has {len(numbers)} keys (is the gen module registered?)"
        )
    return NUMBER.sub(lambda m: numbers[m.group(1)], markdown)


def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    if src.endswith(".md") and not (page.meta or {}).get("description"):
        log.warning(f"{src}: no 'description:' in the front matter (per-page meta description)")
    return substitute_numbers(markdown, _numbers, src)


def on_page_content(html, page, config, files):
    def rewrite(match: re.Match) -> str:
        attr, target = match.group(1), match.group(2)
        if files.get_file_from_path(target) is None:
            raise PluginError(f"{page.file.src_uri}: generated link to missing file {target!r}")
        return f'{attr}="{get_relative_url(target, page.url)}"'

    return SITE_LINK.sub(rewrite, html)


"""mkdocs hook: every page's link-preview image exists.

overrides/main.html writes og:image / twitter:image for each page from its front matter
``preview: <figure id>`` (or ``extra.preview_default``), pointing at
docs/generated/previews/<id>.png, rendered by ``python -m gen.previews`` (make previews). A
missing or misspelt preview is a warning, so ``mkdocs build --strict`` fails instead of
publishing a card without its image. Notebook pages take their description and preview from
the notebook's metadata (``"rmsprop_essay": {"description": ..., "preview": ...}``).
"""
from __future__ import annotations

import json
import logging
import re
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.previews")
FIGURE_ID = re.compile(r"^fig-[a-z0-9]+(?:-[a-z0-9]+)*$")


def _notebook_meta(page) -> dict:
    try:
        notebook = json.loads(Path(page.file.abs_src_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    meta = notebook.get("metadata", {}).get("rmsprop_essay", {})
    return meta if isinstance(meta, dict) else {}


def on_page_context(context, page, config, nav):
    if page.file.src_uri.endswith(".ipynb"):
        for key, value in _notebook_meta(page).items():
            page.meta.setdefault(key, value)
        if not page.meta.get("description"):
            log.warning(f"{page.file.src_uri}: no rmsprop_essay.description in the notebook metadata")
    preview = page.meta.get("preview") or config.extra.get("preview_default")
    if not isinstance(preview, str) or not FIGURE_ID.match(preview):
        log.warning(f"{page.file.src_uri}: preview {preview!r} is not a figure id (fig-...)")
        return context
    png = Path(config["docs_dir"]) / "generated" / "previews" / f"{preview}.png"
    if not png.exists():
        log.warning(f"{page.file.src_uri}: link preview {png} is missing: run `make previews` "
                    "(python -m gen.previews)")
    return context

"""mkdocs hook: the site publishes a wheel of rmsprop_core, and its notebooks install it from there.

A learner who downloads a notebook has no clone of the project; the notebook's hidden set-up
cell installs rmsprop_core from the site's wheel when ``import rmsprop_core`` fails.

1. ``on_config``: builds the wheel (gen/wheel.py: offline, in milliseconds, the same bytes at
   every build and for every SITE_URL) and records its file name and absolute address in
   ``config.extra.wheel`` for the notebook pages' "run this notebook" note (overrides/main.html).
2. ``on_files``: publishes it as ``downloads/<file name>``.
3. ``on_post_build``: the notebooks published for download (mkdocs-jupyter's ``include_source``)
   get this build's wheel address in their set-up cell's ``WHEEL = "..."`` line, so a notebook
   downloaded from any deployment installs the wheel from that deployment. The committed
   notebooks carry the default site's address (tests/site/test_notebooks.py checks it).
"""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
DOWNLOADS = "downloads"
#: The wheel's address in a notebook's set-up cell, whatever site and version it names.
WHEEL_URL = re.compile(r'https?://[^"\\\s]*/downloads/rmsprop_core-[^"\\\s/]*-py3-none-any\.whl')

_wheel: tuple[str, bytes] | None = None


def _gen_wheel():
    # By path: mkdocs does not put the project root on sys.path for hooks.
    spec = importlib.util.spec_from_file_location("rc_gen_wheel", ROOT / "gen" / "wheel.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def wheel_url(site_url: str, name: str) -> str:
    return f"{(site_url or '').rstrip('/')}/{DOWNLOADS}/{name}"


def on_config(config):
    global _wheel
    _wheel = _gen_wheel().build(ROOT)
    name = _wheel[0]
    config.extra["wheel"] = {"name": name, "path": f"{DOWNLOADS}/{name}",
                             "url": wheel_url(config.site_url, name)}
    return config


def on_files(files, config):
    name, data = _wheel
    files.append(File.generated(config, f"{DOWNLOADS}/{name}", content=data))
    return files


def with_wheel_url(notebook_text: str, url: str) -> str:
    """The notebook's JSON text with every wheel address replaced by ``url``."""
    return WHEEL_URL.sub(url, notebook_text)


def on_post_build(config):
    url = config.extra["wheel"]["url"]
    published = sorted(Path(config.site_dir).glob("notebooks/**/*.ipynb"))
    for path in published:
        text = path.read_text(encoding="utf-8")
        if not WHEEL_URL.search(text):
            raise PluginError(f"{path}: its set-up cell names no rmsprop_core wheel to install")
        new = with_wheel_url(text, url)
        if new != text:
            path.write_text(new, encoding="utf-8")

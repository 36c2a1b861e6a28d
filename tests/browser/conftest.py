"""Browser test fixtures: the site built once, served on 127.0.0.1 at / and under a sub-path,
and a page factory that records console errors and every request that leaves the host.

The site is built with SITE_URL = this server's root URL, so Material's instant navigation is
active at the root (it only runs when the page is served at site_url). The same build is also
served under SUBPATH to check that nothing depends on being at the domain root.
"""
from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from gen.previews import installed_browser

ROOT = Path(__file__).resolve().parents[2]
#: The browser `make setup` checks for (gen/previews.py, .ci/prerequisites); None if there is none.
CHROMIUM = installed_browser()
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
SUBPATH = "/rmsprop-essay/"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(config, items):
    if CHROMIUM is not None:
        return
    skip = pytest.mark.skip(reason="no Chromium is installed (make setup installs or names it)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


class _Handler(SimpleHTTPRequestHandler):
    """Serves the built site at / and, identically, under SUBPATH."""

    def translate_path(self, path):
        if path.startswith(SUBPATH):
            path = "/" + path[len(SUBPATH):]
        elif path.rstrip("/") == SUBPATH.rstrip("/"):
            path = "/"
        return super().translate_path(path)

    def log_message(self, *args):   # keep pytest output readable
        pass


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """(root_url, site_dir): the server starts first so the build knows its port."""
    site_dir = tmp_path_factory.mktemp("site")
    handler = functools.partial(_Handler, directory=str(site_dir))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    root_url = f"http://127.0.0.1:{httpd.server_port}/"
    env = dict(os.environ, SITE_URL=root_url, NO_MKDOCS_2_WARNING="1")
    subprocess.run([sys.executable, "-m", "gen"], cwd=ROOT, check=True, env=env, capture_output=True)
    subprocess.run([sys.executable, "-m", "gen.previews"], cwd=ROOT, check=True, env=env, capture_output=True)
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
                           cwd=ROOT, env=env, capture_output=True, text=True)
    if build.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{build.stdout}\n{build.stderr}")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root_url, site_dir
    httpd.shutdown()
    httpd.server_close()


def site_pages(site_dir: Path) -> list[str]:
    """Every page of the built site as a path relative to the site root ('' for home)."""
    pages = []
    for index in sorted(site_dir.rglob("index.html")):
        rel = index.parent.relative_to(site_dir).as_posix()
        if rel.split("/")[0] in ("assets", "vendor", "generated", "search", "javascripts", "stylesheets"):
            continue
        pages.append("" if rel == "." else rel + "/")
    return pages


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageRecorder:
    """A page plus what went wrong on it (console errors, page errors, off-host requests) and
    every URL it requested."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        self.external: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("request", lambda request: self.requests.append(request.url))

    def goto(self, url: str):
        """Open `url` and wait for its load event; returns the page."""
        response = self.page.goto(url, wait_until="load")
        assert response is not None and response.ok, f"{url}: {response and response.status}"
        return self.page

    def check_clean(self):
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.external == [], f"requests leaving the host: {self.external}"

    def close(self):
        """Close the page's context now (a test that opens many pages); the fixture closes the rest."""
        self.page.context.close()


# hooks/scripts_after_paint.js: the page's scripts are added after its first frame, which on a
# fast local server comes after the load event; it sets this once they have all run.
SCRIPTS_RUN = "() => window.rcScriptsRun === true || !document.getElementById('__config')"


def _wait_for_scripts_on_load(page) -> None:
    """page.goto(..., wait_until="load") returns once the page's scripts have run too, as it did
    when they were deferred (they ran before the load event): a test that hovers or presses at
    once then meets the page a reader meets a moment later."""
    goto = page.goto

    def goto_after_scripts(url, **kwargs):
        response = goto(url, **kwargs)
        if kwargs.get("wait_until", "load") == "load":
            page.wait_for_function(SCRIPTS_RUN, timeout=kwargs.get("timeout", 30000))
        return response

    page.goto = goto_after_scripts


@pytest.fixture
def new_page(browser):
    """Factory: new_page(color_scheme='light', width=1280, height=900, **context_options) ->
    PageRecorder, in a context of its own (closed afterwards). context_options go to Playwright's
    new_context: java_script_enabled, has_touch, is_mobile, reduced_motion, ..."""
    contexts = []

    def make(color_scheme: str = "light", width: int = 1280, height: int = 900, **options) -> PageRecorder:
        context = browser.new_context(viewport={"width": width, "height": height},
                                      color_scheme=color_scheme, service_workers="block", **options)
        contexts.append(context)
        page = context.new_page()
        if options.get("java_script_enabled", True):
            _wait_for_scripts_on_load(page)
        recorder = PageRecorder(page)

        def route(route_, request):
            host = urlsplit(request.url).hostname
            if request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
                route_.continue_()
            else:
                recorder.external.append(request.url)
                route_.abort()

        context.route("**/*", route)
        return recorder

    yield make
    for context in contexts:
        context.close()


# Every static picture shown (figure islands and the Playground's) has loaded.
PICTURES_LOADED = """() => [...document.querySelectorAll('.rc-static__img')]
  .filter(i => i.offsetParent !== null).every(i => i.complete)"""


def wait_for_pictures(page, timeout: float = 20.0) -> None:
    """Scroll through every box of static pictures (they load lazily as they come near), back
    to the top, and wait until every picture shown has loaded. Driven from here, with no timer
    in the page: with JavaScript off a page runs none (and loads every picture at once)."""
    count = page.evaluate("() => document.querySelectorAll('.rc-static').length")
    for i in range(count):
        page.evaluate("i => { const box = document.querySelectorAll('.rc-static')[i];"
                      " if (box.offsetParent !== null) box.scrollIntoView({block: 'center'}); }", i)
        page.wait_for_timeout(50)
    page.evaluate("() => window.scrollTo(0, 0)")
    deadline = time.monotonic() + timeout
    while not page.evaluate(PICTURES_LOADED):
        assert time.monotonic() < deadline, "the static pictures did not load"
        page.wait_for_timeout(100)


FIGURE_RENDERED = """() => {
  const figures = [...document.querySelectorAll('.rc-figure__plot')];
  return figures.length > 0 && figures.every(f => f.getAttribute('data-rc-state') === 'rendered'
         && f.querySelector('.plot-container .main-svg'));
}"""


def wake_figure(plot) -> None:
    """Move the pointer onto a figure, which draws it (figures.js upgrades on pointer-enter).
    The figure is scrolled to the middle of the window first and entered at its centre: at its
    top-left corner, after a plain scroll into view, the pointer lands on Material's sticky
    header instead and the figure never hears it."""
    plot.evaluate("e => e.scrollIntoView({block: 'center', inline: 'nearest'})")
    plot.hover()


def render_all_figures(page, timeout: float = 20000):
    """Bring every figure to its interactive state and wait until all have rendered: each arrives
    as its static render and is drawn when the pointer enters it (figures.js upgrade)."""
    count = page.locator(".rc-figure__plot").count()
    for i in range(count):
        wake_figure(page.locator(".rc-figure__plot").nth(i))
    if count:
        page.wait_for_function(FIGURE_RENDERED, timeout=timeout)
    return count

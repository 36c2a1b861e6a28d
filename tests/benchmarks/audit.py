"""`make audit`: build timings and a Lighthouse audit of every page (a benchmark, not a test).

1. Wall time of a clean `make site` (after `make clean`) and of a no-op `make site` right after.
2. Serves site/ with gzip (node_modules/.bin/serve, as GitHub Pages compresses) and runs
   Lighthouse 12.8 (mobile preset, the default) on every page with the browser `make setup`
   accepted (gen.previews.installed_browser: $CHROMIUM, else Debian's chromium, ...).
   Prints performance / accessibility / best-practices / SEO and the page's transfer weight
   (first visit, as Lighthouse measured it, including lazily loaded plotly.js if it loaded).

Usage: python tests/benchmarks/audit.py [MAKE_ARGS...]   (MAKE_ARGS are passed to make,
e.g. PY_STAMP= NPM_STAMP= to skip the set-up check). Lighthouse scores move by about ±5
between runs on a 2-core machine: compare runs, do not gate on them.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from gen.previews import find_browser  # noqa: E402  (the one browser search)

BIN = ROOT / "node_modules" / ".bin"
CHROMIUM = find_browser()
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SKIP_DIRS = ("assets", "vendor", "generated", "search", "javascripts", "stylesheets")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed_make(target: str, make_args: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(["make", target, *make_args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - started


def site_pages(site: Path) -> list[str]:
    pages = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        if rel.split("/")[0] not in SKIP_DIRS:
            pages.append("" if rel == "." else rel + "/")
    return pages


def wait_for(url: str, timeout: float = 20) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not start")


def lighthouse(url: str) -> dict:
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    result = subprocess.run(
        [str(BIN / "lighthouse"), url, "--quiet", "--output=json", "--output-path=stdout",
         f"--only-categories={','.join(CATEGORIES)}",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout)


def main(make_args: list[str]) -> int:
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    env = dict(os.environ, SITE_URL=base, NO_MKDOCS_2_WARNING="1")
    timed_make("clean", make_args, env)
    clean = timed_make("site", make_args, env)
    noop = timed_make("site", make_args, env)
    print(f"clean `make site`: {clean:.1f} s    no-op `make site`: {noop:.1f} s")

    site = ROOT / "site"
    server = subprocess.Popen([str(BIN / "serve"), "--no-clipboard", "--listen", f"tcp://127.0.0.1:{port}", str(site)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    failures = 0
    try:
        wait_for(base)
        print(f"{'page':<32} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5} {'transfer':>10}  notes")
        for page in site_pages(site):
            report = lighthouse(base + page)
            reports = ROOT / ".cache" / "audit"
            reports.mkdir(parents=True, exist_ok=True)
            (reports / f"{page.strip('/').replace('/', '_') or 'home'}.json").write_text(json.dumps(report))
            scores = [report["categories"][c]["score"] for c in CATEGORIES]
            weight = report["audits"]["total-byte-weight"]["numericValue"] / 1024
            notes = [a["id"] for c in CATEGORIES[1:] for ref in report["categories"][c]["auditRefs"]
                     if (a := report["audits"][ref["id"]]).get("score") is not None
                     and a["score"] < 1 and ref.get("weight", 0) > 0]
            metrics = report["audits"]
            perf_notes = (f"FCP {metrics['first-contentful-paint']['displayValue']}, "
                          f"LCP {metrics['largest-contentful-paint']['displayValue']}, "
                          f"TBT {metrics['total-blocking-time']['displayValue']}, "
                          f"CLS {metrics['cumulative-layout-shift']['displayValue']}")
            print(f"/{page:<31} " + " ".join(f"{round(s * 100):>5}" for s in scores)
                  + f" {weight:>8.0f} KB  {perf_notes}" + (f"; failing: {', '.join(notes)}" if notes else ""))
            failures += sum(s < 1 for s in scores[1:])
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The site's plotly.js bundle (gen/plotly_bundle/) builds reproducibly: the same bytes from
another checkout and working directory, with another environment, at another time, and the
bytes `make vendor` put into docs/vendor/. (That it registers what the site draws and draws it as the full
dist did: tests/browser/test_plotly_bundle.py.)"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "gen" / "plotly_bundle" / "build.mjs"
VENDORED = ROOT / "docs" / "vendor" / "plotly" / "plotly.min.js"
NODE = shutil.which("node") or "/usr/bin/node"

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def _build(build: Path, out: Path, cwd: Path, **env) -> bytes:
    result = subprocess.run([NODE, str(build), str(out)], cwd=cwd, env={**os.environ, **env},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return out.read_bytes()


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Two builds: this checkout's, from its root; and a copy of gen/plotly_bundle/ in another
    checkout (its node_modules a link to this one's), run from a third directory, with
    NODE_DEBUG, another time zone and SOURCE_DATE_EPOCH set."""
    first = _build(BUILD, tmp_path_factory.mktemp("first") / "plotly.min.js", cwd=ROOT)
    other = tmp_path_factory.mktemp("other") / "a" / "checkout"
    shutil.copytree(BUILD.parent, other / "gen" / "plotly_bundle")
    (other / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    second = _build(other / "gen" / "plotly_bundle" / "build.mjs", elsewhere / "nested" / "other.js",
                    cwd=elsewhere, NODE_DEBUG="module,esbuild", TZ="UTC-14", SOURCE_DATE_EPOCH="0")
    return first, second


def test_two_builds_are_byte_identical(builds):
    first, second = builds
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()


def test_the_vendored_bundle_is_this_build(builds):
    """docs/vendor/plotly/plotly.min.js is what gen/plotly_bundle/ builds from the lock today
    (`make setup` rebuilds it when the entry, the build script or package-lock.json changes)."""
    assert VENDORED.exists(), f"{VENDORED} is missing: run `make setup`"
    assert VENDORED.read_bytes() == builds[0], "docs/vendor/ is stale: run `make vendor`"


def test_the_bundle_names_no_path_of_this_machine(builds):
    text = builds[0].decode("utf-8")
    for path in {str(ROOT), str(ROOT.resolve()), str(Path.home())}:
        assert path not in text
    assert "node_modules/" not in text   # its licence notes name packages, not where they were
    assert text.startswith("/* plotly.js v4.1.1 ")


def test_the_build_refuses_a_wrong_command_line(tmp_path):
    result = subprocess.run([NODE, str(BUILD)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "usage:" in result.stderr

"""`make setup` checks the system first (.ci/prerequisites), so a fresh machine either sets
itself up (root: apt-get installs what is missing) or stops before anything runs with the one
apt-get command to type. A missing browser is simulated by pointing CHROMIUM elsewhere; root
and apt-get are simulated by stand-ins on the PATH that record their calls (nothing is
installed, no make target runs for real)."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / ".ci" / "prerequisites"
NO_BROWSER = "/nonexistent/chromium"
APT_COMMAND = "sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium"


def _stand_in(path: Path, body: str) -> None:
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)


@pytest.fixture
def fake(tmp_path):
    """(env, calls): `id -u` answers $FAKE_UID, apt-get records its arguments to `calls`."""
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls"
    _stand_in(bin_dir / "id", '[ "$1" = -u ] && { echo "$FAKE_UID"; exit 0; }; exec /usr/bin/id "$@"')
    _stand_in(bin_dir / "apt-get", f'echo "apt-get $*" >> {calls}')
    env = {k: v for k, v in os.environ.items() if k not in ("CHROMIUM", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    return env, calls


def _run(env, *args, **extra):
    return subprocess.run(args or [str(SCRIPT)], cwd=ROOT, env={**env, **extra},
                          capture_output=True, text=True, timeout=120)


def test_everything_present_checks_quietly_and_installs_nothing(fake):
    env, calls = fake
    result = _run(env, FAKE_UID="0")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    assert not calls.exists(), "apt-get ran although nothing was missing"


def test_without_root_it_stops_with_the_apt_get_command(fake):
    env, calls = fake
    result = _run(env, FAKE_UID="1000", CHROMIUM=NO_BROWSER)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "make setup: stopped, the system lacks what the site and its tests need:"
    assert f"no browser at CHROMIUM={NO_BROWSER}" in lines[1]
    assert lines[-1].strip() == APT_COMMAND
    assert not calls.exists()


def test_as_root_it_installs_the_missing_package_then_checks_again(fake):
    env, calls = fake
    result = _run(env, FAKE_UID="0", CHROMIUM=NO_BROWSER)
    # The stand-in installs nothing, so the second check still finds no browser and stops.
    assert calls.read_text().splitlines() == [
        "apt-get update -qq", "apt-get install -y -qq --no-install-recommends chromium"]
    assert result.returncode == 1
    assert "make setup: installing the missing system packages: chromium" in result.stderr
    assert "packages are: chromium" in result.stderr


@pytest.mark.parametrize("target", ["setup", "test", "site", "serve"])
def test_make_stops_before_anything_runs(fake, tmp_path, target):
    """Every README entry point goes through the check first. The stamps and the tools are
    stand-ins here: if the check let make through, the stand-ins would record the call."""
    env, _ = fake
    bin_dir = tmp_path / "venv-bin"
    bin_dir.mkdir()
    ran = tmp_path / "ran"
    for tool in ("python", "mkdocs"):
        _stand_in(bin_dir / tool, f'echo "{tool} $*" >> {ran}')
    stamps = {}
    for name in ("PY_STAMP", "NPM_STAMP", "VENDOR_STAMP"):
        stamps[name] = tmp_path / name.lower()
        stamps[name].touch()   # newer than the lock files: make would not rebuild them
    overrides = [f"{k}={v}" for k, v in stamps.items()] + [f"BIN={bin_dir}"]
    result = _run(env, "make", "--no-print-directory", target, *overrides,
                  FAKE_UID="1000", CHROMIUM=NO_BROWSER)
    assert result.returncode != 0
    assert APT_COMMAND in result.stderr
    assert not ran.exists(), f"make {target} ran {ran.read_text()!r} although the check failed"

"""The rmsprop_core wheel the site publishes (gen/wheel.py): byte-for-byte reproducible, the
package and its metadata only, numpy its one dependency, and a RECORD pip accepts."""
from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import zipfile
from pathlib import Path

from gen import wheel

ROOT = Path(__file__).resolve().parents[2]


def _copy_of_project(tmp_path: Path) -> Path:
    root = tmp_path / "clone"
    shutil.copytree(ROOT / "rmsprop_core", root / "rmsprop_core",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "LICENSE"):
        shutil.copy(ROOT / name, root / name)
    return root


def test_the_same_bytes_whatever_the_files_dates_or_the_site(tmp_path, monkeypatch):
    name, first = wheel.build()
    clone = _copy_of_project(tmp_path)
    for path in clone.rglob("*"):
        os.utime(path, (1_700_000_000, 1_700_000_000))   # another checkout time
    (clone / "rmsprop_core" / "__pycache__").mkdir()   # a stray bytecode cache is not shipped
    (clone / "rmsprop_core" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    monkeypatch.setenv("SITE_URL", "https://example.org/elsewhere/")
    assert wheel.build(clone) == (name, first)
    assert wheel.build() == (name, first)


def test_filename_and_contents():
    name, data = wheel.build()
    meta = wheel.project()
    assert name == f"rmsprop_core-{meta['version']}-py3-none-any.whl"
    dist_info = f"rmsprop_core-{meta['version']}.dist-info"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        modules = sorted(p.name for p in (ROOT / "rmsprop_core").glob("*.py"))
        assert names == [f"rmsprop_core/{m}" for m in modules] + [
            f"{dist_info}/{f}" for f in ("METADATA", "WHEEL", "LICENSE", "RECORD")]
        metadata = archive.read(f"{dist_info}/METADATA").decode()
        assert f"Name: {meta['name']}\n" in metadata and f"Version: {meta['version']}\n" in metadata
        requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
        assert requires == ["Requires-Dist: numpy>=2"]
        assert "Root-Is-Purelib: true" in archive.read(f"{dist_info}/WHEEL").decode()
        for info in archive.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0) or "SOURCE_DATE_EPOCH" in os.environ
            assert info.external_attr >> 16 == 0o100644
        # RECORD: every other file with its sha256 and size (pip checks them on install).
        record = {}
        for line in archive.read(f"{dist_info}/RECORD").decode().splitlines():
            path, digest, size = line.rsplit(",", 2)
            record[path] = (digest, size)
        assert record.pop(f"{dist_info}/RECORD") == ("", "")
        assert set(record) == set(names) - {f"{dist_info}/RECORD"}
        for path, (digest, size) in record.items():
            body = archive.read(path)
            expected = base64.urlsafe_b64encode(hashlib.sha256(body).digest()).rstrip(b"=").decode()
            assert digest == f"sha256={expected}" and int(size) == len(body), path

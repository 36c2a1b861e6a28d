"""The wheel of ``rmsprop_core`` that the site publishes, so that a downloaded notebook runs
anywhere: its hidden set-up cell installs the wheel from the site when ``import rmsprop_core``
fails (hooks/wheel.py puts it at ``downloads/<filename>`` in every build).

A pure-Python wheel is a zip of the package, its METADATA, WHEEL and RECORD (PEP 427, 491).
It is written here with zipfile instead of a build backend because the site build must work
offline (``pip wheel .`` would download setuptools into an isolated environment) and give the
same bytes every time: files in sorted order, one fixed timestamp (``SOURCE_DATE_EPOCH`` if
set, else the zip epoch 1980-01-01), fixed permissions, and nothing from the machine or from
``SITE_URL``. Name, version, summary, Python and numpy requirements come from pyproject.toml.

``python -m gen.wheel [DIR]`` writes it to DIR (default ``.cache/wheel/``) and prints its path and sha256.
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import sys
import time
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "rmsprop_core"
ZIP_EPOCH = 315532800   # 1980-01-01T00:00:00Z, the earliest time a zip entry can carry


def project(root: Path = ROOT) -> dict:
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def filename(root: Path = ROOT) -> str:
    meta = project(root)
    name = re.sub(r"[-_.]+", "_", meta["name"])
    return f"{name}-{meta['version']}-py3-none-any.whl"


def _metadata(meta: dict) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {meta['name']}",
        f"Version: {meta['version']}",
        f"Summary: {meta['description']}",
        f"License: {meta['license']}",
        f"Requires-Python: {meta['requires-python']}",
        *(f"Requires-Dist: {dependency}" for dependency in meta.get("dependencies", [])),
    ]
    return "\n".join(lines) + "\n"


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _date_time() -> tuple[int, ...]:
    epoch = max(int(os.environ.get("SOURCE_DATE_EPOCH", ZIP_EPOCH)), ZIP_EPOCH)
    return time.gmtime(epoch)[:6]


def build(root: Path = ROOT) -> tuple[str, bytes]:
    """(filename, bytes) of the wheel: rmsprop_core/*.py, METADATA, WHEEL, LICENSE, RECORD."""
    meta = project(root)
    name = filename(root)
    dist_info = f"{name.split('-py3-')[0]}.dist-info"
    entries: list[tuple[str, bytes]] = [
        (f"{PACKAGE}/{path.name}", path.read_bytes())
        for path in sorted((root / PACKAGE).glob("*.py"))
    ]
    entries += [
        (f"{dist_info}/METADATA", _metadata(meta).encode()),
        (f"{dist_info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: rmsprop-essay gen/wheel.py\n"
                               b"Root-Is-Purelib: true\nTag: py3-none-any\n"),
        (f"{dist_info}/LICENSE", (root / "LICENSE").read_bytes()),
    ]
    record = "".join(f"{path},{_record_hash(data)},{len(data)}\n" for path, data in entries)
    entries.append((f"{dist_info}/RECORD", (record + f"{dist_info}/RECORD,,\n").encode()))

    buffer = io.BytesIO()
    date_time = _date_time()
    with zipfile.ZipFile(buffer, "w") as wheel:
        for path, data in entries:
            info = zipfile.ZipInfo(path, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3                 # "Unix", whatever the machine
            info.external_attr = 0o100644 << 16    # a regular file, rw-r--r--
            wheel.writestr(info, data, compresslevel=9)
    return name, buffer.getvalue()


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / ".cache" / "wheel"
    out.mkdir(parents=True, exist_ok=True)
    name, data = build()
    (out / name).write_bytes(data)
    print(f"{out / name}  sha256 {hashlib.sha256(data).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The notebooks run anywhere: outside the repository, in a fresh virtual environment that holds
plotly, numpy and a Jupyter kernel (nbclient, ipykernel) but not rmsprop_core, the hidden
set-up cell installs rmsprop_core from the site's wheel (served here on 127.0.0.1, pip told to
use no index), and every notebook then runs to its end with plain Plotly output.

The environment is made once from PyPI, at the versions in requirements.lock, and kept under
.cache/notebook-venv/<key> (the key changes with the lock and the Python version), so a second
run installs nothing but the wheel. Each run removes rmsprop_core from it first.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from gen import wheel
from tests.site.test_reference_and_previews import load_hook

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))
#: What a learner's Jupyter has: the kernel machinery, plotly and numpy (rmsprop_core's one dependency).
PACKAGES = ["plotly", "numpy", "nbclient", "nbformat", "ipykernel"]
LOCK = ROOT / "requirements.lock"

# Runs in the fresh environment: executes one notebook with nbclient, then reports where
# rmsprop_core was imported from and whether the project's gen package was reachable.
RUNNER = r"""
import json, sys
import nbformat
from nbclient import NotebookClient

source, workdir, out = sys.argv[1:4]
nb = nbformat.read(source, as_version=4)
cells = int(sys.argv[4]) if len(sys.argv) > 4 else len(nb.cells)
nb.cells = nb.cells[:cells]
nb.cells.append(nbformat.v4.new_code_cell(
    "import importlib.util, json, rmsprop_core\n"
    "print('REPORT', json.dumps({'rmsprop_core': rmsprop_core.__file__,\n"
    "                            'gen': importlib.util.find_spec('gen') is not None}))"))
NotebookClient(nb, timeout=900, kernel_name="python3",
               resources={"metadata": {"path": workdir}}).execute()
nbformat.write(nb, out)
"""


def _key() -> str:
    h = hashlib.sha256(LOCK.read_bytes())
    h.update(" ".join(PACKAGES).encode())
    h.update(sys.version.encode())
    return h.hexdigest()[:16]


def _python(venv: Path) -> Path:
    return venv / "bin" / "python"


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory):
    """A cached virtual environment without rmsprop_core (made from PyPI the first time)."""
    venv = ROOT / ".cache" / "notebook-venv" / _key()
    if not _python(venv).exists():
        # Made beside its final place and renamed (a run cut short leaves no half-made venv);
        # everything below calls `python -m ...`, which works in a moved venv.
        venv.parent.mkdir(parents=True, exist_ok=True)
        building = venv.with_name(f"{venv.name}.building-{os.getpid()}")
        shutil.rmtree(building, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(building)], check=True)
        # pip pins everything, the dependencies too, to the lock's versions (-c).
        subprocess.run([str(_python(building)), "-m", "pip", "install", "--quiet",
                        "--disable-pip-version-check", "-c", str(LOCK), *PACKAGES], check=True)
        building.rename(venv)
    subprocess.run([str(_python(venv)), "-m", "pip", "uninstall", "--quiet", "--yes",
                    "--disable-pip-version-check", "rmsprop-core"], check=True, capture_output=True)
    return venv


@pytest.fixture(scope="module")
def site_wheel(tmp_path_factory):
    """The wheel as the site publishes it, served at http://127.0.0.1:<port>/downloads/."""
    root = tmp_path_factory.mktemp("site")
    name, data = wheel.build()
    (root / "downloads").mkdir()
    (root / "downloads" / name).write_bytes(data)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/downloads/{name}", data
    httpd.shutdown()
    httpd.server_close()


def _execute(venv: Path, notebook: Path, wheel_url: str, tmp_path: Path, cells: int | None = None):
    """Run the notebook as downloaded from the site (its wheel address rewritten as the site's
    build does) in a folder outside the repository; return (outputs as text, report)."""
    hook = load_hook("wheel")
    work = tmp_path / "downloads-folder"
    work.mkdir()
    published = work / notebook.name
    published.write_text(hook.with_wheel_url(notebook.read_text(encoding="utf-8"), wheel_url),
                         encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "JUPYTER", "VIRTUAL_ENV"))}
    env.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", MPLBACKEND="agg",
               JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"), JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
               IPYTHONDIR=str(tmp_path / "ipython"), OPENBLAS_NUM_THREADS="1")
    out = tmp_path / "executed.ipynb"
    args = [str(_python(venv)), "-c", RUNNER, str(published), str(work), str(out)]
    if cells is not None:
        args.append(str(cells))
    result = subprocess.run(args, cwd=work, env=env, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, f"{notebook.name} failed outside the repository:\n{result.stderr[-4000:]}"
    executed = json.loads(out.read_text(encoding="utf-8"))
    texts = []
    for cell in executed["cells"]:
        for output in cell.get("outputs", []):
            texts.append("".join(output.get("text", "")))
            for mimetype, value in output.get("data", {}).items():
                texts += [mimetype, value if isinstance(value, str) else json.dumps(value)]
    report = next(json.loads(t.split("REPORT ", 1)[1]) for t in texts if t.startswith("REPORT "))
    return "\n".join(texts), report


def _installed_here(venv: Path, report: dict) -> None:
    assert Path(report["rmsprop_core"]).is_relative_to(venv), report
    assert report["gen"] is False, "the project's gen package was reachable: not a fresh place"


def test_setup_cell_installs_rmsprop_core_from_the_site_wheel(fresh_venv, site_wheel, tmp_path):
    url, data = site_wheel
    # Only the markdown title and the hidden set-up cell: the install step alone.
    _, report = _execute(fresh_venv, NOTEBOOKS[0], url, tmp_path, cells=2)
    _installed_here(fresh_venv, report)
    record = subprocess.run([str(_python(fresh_venv)), "-m", "pip", "show", "--files", "rmsprop-core"],
                            capture_output=True, text=True, check=True).stdout
    assert f"Version: {wheel.project()['version']}" in record
    assert "Requires: numpy" in record


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_outside_the_repository(fresh_venv, site_wheel, notebook, tmp_path):
    url, _ = site_wheel
    outputs, report = _execute(fresh_venv, notebook, url, tmp_path)
    _installed_here(fresh_venv, report)
    # Outside the site, figures are plain Plotly figures, not the site's islands.
    if "fig.show()" in notebook.read_text(encoding="utf-8"):
        assert "application/vnd.plotly.v1+json" in outputs
    assert "rc-figure" not in outputs

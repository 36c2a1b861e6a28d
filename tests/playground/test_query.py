"""Runs the Node unit tests of the Playground's URL parser (tests/playground/query.test.js) and
of its formula parser (tests/playground/formula.test.js)."""

import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent


def test_query_parser_node_tests():
    node = shutil.which("node") or "/usr/bin/node"
    proc = subprocess.run([node, "--test", str(HERE / "query.test.js")], capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "# fail 0" in proc.stdout and "# pass 17" in proc.stdout


def test_formula_parser_node_tests():
    node = shutil.which("node") or "/usr/bin/node"
    proc = subprocess.run([node, "--test", str(HERE / "formula.test.js")], capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "# fail 0" in proc.stdout and "# pass 6" in proc.stdout

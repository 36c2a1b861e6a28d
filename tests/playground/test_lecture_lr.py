"""The playground's default learning rate is the essay's "lecture α", as the pages print it."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from gen import settings as S
from gen.text import fmt

ENGINE = Path(__file__).resolve().parents[2] / "docs" / "javascripts" / "playground" / "engine.js"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_every_default_rate_is_the_lecture_alpha():
    out = subprocess.run(
        ["node", "-e", "const e = require(process.argv[1]); "
                       "process.stdout.write(JSON.stringify(e.METHOD_DEFAULTS));", str(ENGINE)],
        check=True, capture_output=True, text=True, timeout=60)
    defaults = json.loads(out.stdout)
    quoted = float(fmt(S.lecture_lr()))
    assert {m: d["lr"] for m, d in defaults.items()} == {m: quoted for m in defaults}
    # at this rate gradient descent zig-zags across b, as in the lecture's picture
    assert 1 - S.bowl().eigenvalues.max() * quoted < 0

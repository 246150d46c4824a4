"""`--dist loadgroup` keeps a group on one worker (tests/xdist_groups.py), as `make test` needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GROUPED = """
import os
import pytest

pytestmark = pytest.mark.xdist_group("dear-fixture")


@pytest.mark.parametrize("n", range(8))
def test_grouped(n, tmp_path_factory):
    (Path(os.environ["WORKERS_SEEN"]) / f"{n}-{os.environ['PYTEST_XDIST_WORKER']}").touch()
"""


def test_a_group_runs_on_one_worker(tmp_path):
    seen = tmp_path / "seen"
    seen.mkdir()
    module = tmp_path / "test_grouped.py"
    module.write_text("from pathlib import Path\n" + GROUPED, encoding="utf-8")
    run = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "tests.xdist_groups",
            "-n",
            "3",
            "--dist",
            "loadgroup",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            str(module),
        ],
        cwd=ROOT,
        env={**os.environ, "WORKERS_SEEN": str(seen), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    marks = [path.name for path in seen.iterdir()]
    assert len(marks) == 8
    assert len({mark.split("-", 1)[1] for mark in marks}) == 1, marks

"""The two commands: `make run` installs what the hub needs, `make test` the dev tools too."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILES = ("Makefile", "requirements.txt", "requirements-dev.txt", "pyproject.toml")


def _planned(tmp_path: Path, *goal: str) -> str:
    """The commands make would run from a fresh clone (-n: printed, not run)."""
    if shutil.which("make") is None:
        pytest.fail("make is needed: apt-get install make")
    for name in FILES:
        shutil.copy(ROOT / name, tmp_path / name)
    done = subprocess.run(  # noqa: S603
        ["make", "--no-print-directory", "-n", *goal],  # also when run from make (CI)
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,  # noqa: S607
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_make_run_installs_the_runtime_only(tmp_path):
    planned = _planned(tmp_path, "run")
    assert "pip install --quiet -r requirements.txt" in planned
    assert "requirements-dev.txt" not in planned  # no Playwright, pytest or mypy on the hub PC


def test_make_test_installs_the_dev_tools(tmp_path):
    planned = _planned(tmp_path, "test")
    assert "-r requirements.txt" in planned
    assert "-r requirements-dev.txt" in planned
    assert "pytest" in planned


def test_make_run_serves_the_office_network_in_one_step(tmp_path):
    assert "antrian run --config config.yaml --host 0.0.0.0" in _planned(
        tmp_path, "run", "HOST=0.0.0.0"
    )


def test_make_test_runs_the_suite_in_parallel_workers(tmp_path):
    planned = _planned(tmp_path, "test")
    assert "python -m pytest -q -n 3 --dist loadgroup" in planned


def test_make_test_runs_serially_when_asked(tmp_path):
    planned = _planned(tmp_path, "test", "PYTEST_ARGS=")
    assert planned.rstrip().endswith("python -m pytest -q")


def test_make_test_takes_another_worker_count(tmp_path):
    assert "pytest -q -n 4 --dist loadgroup" in _planned(tmp_path, "test", "TEST_WORKERS=4")

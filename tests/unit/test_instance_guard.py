"""The run-wide guard of the checkout's instance/: a test that writes there fails the run,
serially and with the parallel workers of `make test` alike."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]
ROOT = Path(__file__).resolve().parents[2]
GUARD = "from tests.conftest import pytest_sessionfinish, pytest_sessionstart  # noqa: F401\n"
WRITES_INTO_INSTANCE = """
from pathlib import Path

def test_writes_beside_the_live_database(pytestconfig):
    (pytestconfig.rootpath / "instance" / "secret-key").write_text("oops")

def test_writes_nothing():
    pass
"""


@pytest.fixture
def checkout(pytester, monkeypatch):
    """A checkout of its own whose conftest uses the suite's guard."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeini("[pytest]\n")  # its own rootdir: the guard watches its instance/ only
    pytester.makeconftest(GUARD)
    (pytester.path / "instance").mkdir()
    return pytester


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_a_file_written_into_instance_fails_the_run_once(checkout, workers):
    # The office's live data was there before the run: only what the run added counts.
    (checkout.path / "instance" / "antrian.db").write_text("the office's live data")
    checkout.makepyfile(test_writes=WRITES_INTO_INSTANCE)
    result = checkout.runpytest_subprocess(*workers, timeout=120)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*tests wrote 1 file(s) into*instance*secret-key*"])
    assert result.stdout.str().count("checkout instance/ touched") == 1  # not once per worker
    result.assert_outcomes(passed=2)  # the tests themselves passed: the guard failed the run

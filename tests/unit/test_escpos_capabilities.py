"""python-escpos's capabilities pickle: per installation, never seen half-written."""

from __future__ import annotations

import os
import pickle
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kiosk.escpos_capabilities import PICKLE_DIR_ENV, installation_folder

ROOT = Path(__file__).resolve().parents[2]
# A fresh interpreter prints a ticket on python-escpos's in-memory printer.
IMPORT_AND_PRINT = (
    "from kiosk.printer import escpos_printers; "
    "p = escpos_printers.Dummy(); p.text('A-001\\n'); p.cut(); assert p.output"
)
CEILING = 60  # seconds for a fresh interpreter on a loaded machine


def _interpreter(pickle_dir: Path) -> subprocess.Popen:
    env = {**os.environ, PICKLE_DIR_ENV: str(pickle_dir)}
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", IMPORT_AND_PRINT],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_the_pickle_folder_belongs_to_this_installation():
    folder = installation_folder()
    # Not the folder under the system temp directory that every installation shared (the
    # checkout itself may well live under /tmp, as CI's clean clones do).
    assert folder.parent != Path(tempfile.gettempdir())
    if sys.prefix != sys.base_prefix:
        assert folder.is_relative_to(sys.prefix)


def test_a_truncated_pickle_is_replaced_by_a_whole_one(tmp_path):
    # What an interrupted python-escpos rewrite leaves: an empty file, newer than the JSON.
    (tmp_path / f"{platform.python_version()}.capabilities.pickle").write_bytes(b"")
    importer = _interpreter(tmp_path)
    _, errors = importer.communicate(timeout=CEILING)
    assert importer.returncode == 0, errors


def test_other_processes_never_read_a_half_written_pickle(tmp_path):
    importer = _interpreter(tmp_path)
    try:
        deadline = time.monotonic() + CEILING
        while importer.poll() is None and time.monotonic() < deadline:
            for path in tmp_path.glob("*.capabilities.pickle"):
                # As a second hub importing escpos right now would read it.
                with path.open("rb") as file:
                    assert pickle.load(file)["profiles"]  # noqa: S301
            time.sleep(0.001)
    finally:
        _, errors = importer.communicate(timeout=CEILING)
    assert importer.returncode == 0, errors
    assert list(tmp_path.glob("*.capabilities.pickle"))

"""One hub process per SQLite file, held by an exclusive lock beside the database.

Live events reach only the displays connected to the process that made them; with SQLite
there is no message queue between processes, so a second hub on the same file would serve
displays that never hear a call. Several processes need Redis (store and message queue).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

from shared.store import SQLITE_SCHEME

LOCK_SUFFIX = ".hub-lock"


class HubAlreadyRunning(Exception):
    """Another hub process serves this SQLite file; the message says which and what to do."""


class HubLock:
    """The held lock; released by release() or when the process ends, however it ends."""

    def __init__(self, file: IO[str] | None) -> None:
        self._file = file

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the lock
            self._file = None


def hold_store(store_url: str) -> HubLock:
    """Lock the SQLite file for this process's life; no lock is needed for Redis."""
    if not store_url.startswith(SQLITE_SCHEME):
        return HubLock(None)
    database = Path(store_url.removeprefix(SQLITE_SCHEME))
    path = database.with_name(database.name + LOCK_SUFFIX)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Opened without truncating: the holder's pid stays readable for the message below.
        file = open(path, "a+", encoding="ascii")  # noqa: SIM115 (kept open while it runs)
    except OSError:
        return HubLock(None)  # the store cannot open its folder either and says so precisely
    if not _try_lock(file):
        holder = _holder(file)
        file.close()
        raise HubAlreadyRunning(_refusal(database, path, holder))
    file.seek(0)
    file.truncate()
    file.write(f"{os.getpid()}\n")
    file.flush()
    return HubLock(file)


def _try_lock(file: IO[str]) -> bool:
    # A kernel lock, not a pid file: it vanishes with the process, even after kill -9.
    if sys.platform == "win32":
        import msvcrt

        try:
            file.seek(0)
            msvcrt.locking(file.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _holder(file: IO[str]) -> str:
    try:
        file.seek(0)
        return file.read().strip() or "?"
    except OSError:  # Windows: the locked byte cannot be read by anyone else
        return "?"


def _refusal(database: Path, lock: Path, holder: str) -> str:
    return (
        f"hub lain (pid {holder}) sudah memakai {database}; hentikan dulu hub itu "
        f"(another hub process, pid {holder}, already serves this SQLite file; lock {lock}). "
        "One hub process per SQLite file: displays hear calls only from the process they are "
        "connected to. Stop the other one, or set store.url: redis://... to run several."
    )

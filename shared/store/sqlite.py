"""The embedded event store: one SQLite file, WAL, a unique (stream, version) key."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from shared.store.base import NewEvent, StoredEvent, StoreUnavailable, VersionConflict

INIT_TIMEOUT_SECONDS = 10

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    stream TEXT NOT NULL,
    version INTEGER NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (stream, version)
) WITHOUT ROWID;
"""


class SqliteEventStore:
    """Events in a SQLite file, safe for many threads and several processes."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create the folder of {self.path}: {exc}") from exc
        with self._guard():
            self._initialise()

    def _initialise(self) -> None:
        """Switch the file to WAL and create the table, tolerating other processes doing so.

        Both need the write lock, and SQLite answers "database is locked" at once here
        instead of waiting out the busy timeout, so wait with a bounded retry.
        """
        deadline = time.monotonic() + INIT_TIMEOUT_SECONDS
        while True:
            try:
                connection = self._connection()
                connection.execute("PRAGMA journal_mode=WAL")
                connection.executescript(_SCHEMA)
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _guard(self) -> AbstractContextManager[None]:
        return _sqlite_errors(self.path)

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            # isolation_level=None: transactions are begun explicitly (BEGIN IMMEDIATE).
            connection = sqlite3.connect(
                self.path, timeout=10, isolation_level=None, check_same_thread=False
            )
            # FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss,
            # and an acknowledged ticket must survive the office PC being switched off.
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("PRAGMA busy_timeout=10000")
            self._local.connection = connection
            with self._connections_lock:
                self._connections.append(connection)
        return connection

    def append(self, stream: str, events: Sequence[NewEvent], expected_version: int) -> int:
        """Append if the stream is still at expected_version; else VersionConflict."""
        with self._guard():
            connection = self._connection()
            # IMMEDIATE takes the write lock now, so the version read below cannot go stale.
            connection.execute("BEGIN IMMEDIATE")
            try:
                actual = self._current_version(connection, stream)
                if actual != expected_version:
                    raise VersionConflict(stream, expected_version, actual)
                recorded_at = datetime.now(UTC).isoformat()
                connection.executemany(
                    "INSERT INTO events (stream, version, type, data, recorded_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [
                        (stream, expected_version + i, e.type, _dumps(e.data), recorded_at)
                        for i, e in enumerate(events, start=1)
                    ],
                )
                connection.execute("COMMIT")
            except sqlite3.IntegrityError as exc:
                connection.execute("ROLLBACK")
                raise VersionConflict(
                    stream, expected_version, self._current_version(connection, stream)
                ) from exc
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            return expected_version + len(events)

    def read(self, stream: str, after_version: int = 0) -> list[StoredEvent]:
        """Events after a version, oldest first, read through the primary key."""
        with self._guard():
            rows = self._connection().execute(
                "SELECT version, type, data FROM events"
                " WHERE stream = ? AND version > ? ORDER BY version",
                (stream, after_version),
            )
            return [StoredEvent(stream, v, t, json.loads(d)) for v, t, d in rows]

    def version(self, stream: str) -> int:
        """The number of events in the stream."""
        with self._guard():
            return self._current_version(self._connection(), stream)

    def ping(self) -> None:
        """Check that the file can be read."""
        with self._guard():
            self._connection().execute("SELECT 1 FROM events LIMIT 1").fetchall()

    def close(self) -> None:
        """Close every thread's connection."""
        with self._connections_lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
        self._local = threading.local()

    @staticmethod
    def _current_version(connection: sqlite3.Connection, stream: str) -> int:
        row = connection.execute(
            "SELECT MAX(version) FROM events WHERE stream = ?", (stream,)
        ).fetchone()
        return row[0] or 0


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@contextmanager
def _sqlite_errors(path: Path) -> Iterator[None]:
    """Turn SQLite's operational failures into StoreUnavailable naming the file."""
    try:
        yield
    except sqlite3.IntegrityError:
        raise
    except sqlite3.DatabaseError as exc:
        raise StoreUnavailable(f"SQLite store {path}: {exc}") from exc

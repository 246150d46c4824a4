"""The embedded event store: one SQLite file, WAL, a unique (stream, version) key."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shared.store.base import NewEvent, StoredEvent, StoreUnavailable, VersionConflict

log = logging.getLogger(__name__)

DEFAULT_BUSY_TIMEOUT_SECONDS = 10.0
# Idle connections kept for reuse; more are opened under load and closed when returned.
MAX_IDLE_CONNECTIONS = 8

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    stream TEXT NOT NULL,
    version INTEGER NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (stream, version)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (
    stream TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS contacts (
    key TEXT PRIMARY KEY,
    text TEXT NOT NULL
);
"""
_SAVE_CHECKPOINT_SQL = (
    "INSERT INTO checkpoints (stream, version, data) VALUES (?, ?, ?) ON CONFLICT (stream)"
    " DO UPDATE SET version = excluded.version, data = excluded.data"
    " WHERE excluded.version > checkpoints.version"
)

# Both queries are answered from the primary key (stream, version): reading the tail of a
# long stream, or its version, costs a B-tree seek, not a scan. A test checks the plans.
READ_SQL = (
    "SELECT version, type, data FROM events WHERE stream = ? AND version > ? ORDER BY version"
)
VERSION_SQL = "SELECT MAX(version) FROM events WHERE stream = ?"
_INSERT_SQL = "INSERT INTO events (stream, version, type, data, recorded_at) VALUES (?, ?, ?, ?, ?)"


_FIRST_STREAM_SQL = "SELECT stream FROM events WHERE stream >= ? ORDER BY stream LIMIT 1"
_NEXT_STREAM_SQL = "SELECT stream FROM events WHERE stream > ? ORDER BY stream LIMIT 1"


class SqliteEventStore:
    """Events in a SQLite file, safe for many threads and several processes."""

    def __init__(
        self, path: str | Path, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT_SECONDS
    ) -> None:
        # Absolute now: connections are opened lazily, possibly after the process chdir'ed.
        self.path = Path(path).absolute()
        self.busy_timeout = busy_timeout
        # A pool, not one connection per thread: the threaded web server starts a thread per
        # request, and per-thread connections would pile up until close(). A connection is
        # used by one thread at a time, hence check_same_thread=False is safe.
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._generation = 0  # bumped by close(): connections checked out before are dropped
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(
                f"SQLite store {self.path}: cannot create its folder {self.path.parent}: {exc}"
            ) from exc
        self._initialise()

    def _initialise(self) -> None:
        """Switch the file to WAL and create the table, tolerating other processes doing so.

        Changing the journal mode needs an exclusive lock, and SQLite answers "database is
        locked" at once here rather than waiting out the busy timeout, so retry until a
        deadline (concurrent first opens of a new file failed about 1 in 90 without this).
        """
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                with self._connection() as connection:
                    mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
                    if mode != "wal":  # WAL is persistent: only the first open switches it
                        connection.execute("PRAGMA journal_mode=WAL")
                    connection.executescript(_SCHEMA)
                return
            except StoreUnavailable as exc:
                if not _is_locked(exc.__cause__) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: no implicit transactions; append begins its own, IMMEDIATE.
        connection = sqlite3.connect(
            self.path,
            timeout=self.busy_timeout,
            isolation_level=None,
            check_same_thread=False,
        )
        try:
            # FULL, not NORMAL. With WAL, NORMAL already survives kill -9 of this process
            # (a commit is in the OS page cache once COMMIT returns), but it skips the fsync
            # of the WAL at each commit, so an OS crash or power cut can lose the last
            # acknowledged tickets. FULL fsyncs before COMMIT returns: an acknowledged event
            # survives the office PC being switched off, for ~1 fsync per append.
            connection.execute("PRAGMA synchronous=FULL")
            # Deleted content is overwritten with zeros, so an erased contact leaves no
            # copy in a free page of the file. Events are never deleted, so this costs them
            # nothing; a replaced checkpoint's old pages are zeroed too (rare, cheap).
            connection.execute("PRAGMA secure_delete=ON")
            connection.execute(f"PRAGMA busy_timeout={int(self.busy_timeout * 1000)}")
        except BaseException:
            connection.close()
            raise
        return connection

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """Lend a connection to one caller; SQLite errors become StoreUnavailable."""
        with self._lock:
            connection = self._idle.pop() if self._idle else None
            generation = self._generation
        try:
            if connection is None:
                connection = self._connect()
            yield connection
        except sqlite3.DatabaseError as exc:
            # A failed connection may be broken (I/O error, corrupt file): never reuse it.
            if connection is not None:
                connection.close()
            raise StoreUnavailable(_describe(self.path, exc, self.busy_timeout)) from exc
        except BaseException:
            # E.g. a VersionConflict: the connection is healthy, reuse it unless a
            # transaction was left open.
            if connection is not None:
                self._give_back(connection, generation)
            raise
        else:
            self._give_back(connection, generation)

    def _give_back(self, connection: sqlite3.Connection, generation: int) -> None:
        if not connection.in_transaction:
            with self._lock:
                if generation == self._generation and len(self._idle) < MAX_IDLE_CONNECTIONS:
                    self._idle.append(connection)
                    return
        connection.close()

    def append(self, stream: str, events: Sequence[NewEvent], expected_version: int) -> int:
        """Append if the stream is still at expected_version; else VersionConflict."""
        if not events:
            # Nothing to write, so no write lock: just the version check the port promises.
            actual = self.version(stream)
            if actual != expected_version:
                raise VersionConflict(stream, expected_version, actual)
            return expected_version
        # Serialise before taking the lock: a bad payload fails fast and the lock is short.
        recorded_at = datetime.now(UTC).isoformat()
        rows = [
            (stream, expected_version + i, event.type, _dumps(event.data), recorded_at)
            for i, event in enumerate(events, start=1)
        ]
        with self._connection() as connection:
            # IMMEDIATE takes the write lock now (waiting up to busy_timeout for other
            # processes), so the version read below cannot go stale before the insert.
            connection.execute("BEGIN IMMEDIATE")
            try:
                actual = _current_version(connection, stream)
                if actual != expected_version:
                    raise VersionConflict(stream, expected_version, actual)
                connection.executemany(_INSERT_SQL, rows)
                connection.execute("COMMIT")
            except sqlite3.IntegrityError as exc:
                # The primary key is the last line of defence against a double version.
                connection.execute("ROLLBACK")
                raise VersionConflict(
                    stream, expected_version, _current_version(connection, stream)
                ) from exc
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
        return expected_version + len(rows)

    def read(self, stream: str, after_version: int = 0) -> list[StoredEvent]:
        """Events after a version, oldest first, read through the primary key."""
        with self._connection() as connection:
            rows = connection.execute(READ_SQL, (stream, after_version)).fetchall()
        return [StoredEvent(stream, v, t, json.loads(d)) for v, t, d in rows]

    def version(self, stream: str) -> int:
        """The number of events in the stream."""
        with self._connection() as connection:
            return _current_version(connection, stream)

    # One lower bound per query: given two, SQLite seeks to the looser one and walks every
    # event of the streams already found (seconds for a semester of days).
    def streams(self, prefix: str) -> list[str]:
        """Found by one primary-key seek per stream, however many events each holds."""
        found: list[str] = []
        with self._connection() as connection:
            while True:
                sql, bound = (_NEXT_STREAM_SQL, found[-1]) if found else (_FIRST_STREAM_SQL, prefix)
                row = connection.execute(sql, (bound,)).fetchone()
                if row is None or not row[0].startswith(prefix):
                    return found
                found.append(row[0])

    def save_checkpoint(self, stream: str, version: int, data: bytes) -> None:
        """Keep a folded state beside the stream; an older one never replaces a newer."""
        with self._connection() as connection:
            connection.execute(_SAVE_CHECKPOINT_SQL, (stream, version, data))
            connection.commit()

    def load_checkpoint(self, stream: str) -> tuple[int, bytes] | None:
        """The stream's latest checkpoint, if any."""
        with self._connection() as connection:
            row = connection.execute(
                "SELECT version, data FROM checkpoints WHERE stream = ?", (stream,)
            ).fetchone()
        return (row[0], bytes(row[1])) if row else None

    def save_contact(self, key: str, text: str) -> None:
        """Keep erasable text under a key, outside the append-only events."""
        with self._connection() as connection:
            connection.execute(
                "INSERT INTO contacts (key, text) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET text = excluded.text",
                (key, text),
            )

    def load_contact(self, key: str) -> str | None:
        """The text under the key, if any."""
        with self._connection() as connection:
            row = connection.execute("SELECT text FROM contacts WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def erase_contact(self, key: str) -> None:
        """Delete the text, then copy the WAL into the file and empty the WAL.

        secure_delete zeroes the row's bytes in the page; the WAL still holds the page as
        it was when the text was written until a checkpoint moves the zeroed page into the
        file and TRUNCATE cuts the WAL to nothing. A reader that blocks the checkpoint past
        the busy timeout leaves the old frames until the next erase; that is logged.
        """
        with self._connection() as connection:
            connection.execute("DELETE FROM contacts WHERE key = ?", (key,))
            busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            log.warning(
                "SQLite store %s: contact %r deleted, but a reader kept the WAL from being"
                " emptied; its old copy stays in %s-wal until the next erase or checkpoint",
                self.path,
                key,
                self.path.name,
            )

    def drop_checkpoint(self, stream: str) -> None:
        """Forget the stream's checkpoint, if any."""
        with self._connection() as connection:
            connection.execute("DELETE FROM checkpoints WHERE stream = ?", (stream,))
            connection.commit()

    def ping(self) -> None:
        """Check that the file can be read."""
        with self._connection() as connection:
            connection.execute("SELECT 1 FROM events LIMIT 1").fetchall()

    def close(self) -> None:
        """Close the idle connections, and those in use as they are given back."""
        with self._lock:
            idle, self._idle = self._idle, []
            self._generation += 1
        for connection in idle:
            connection.close()


def _current_version(connection: sqlite3.Connection, stream: str) -> int:
    row = connection.execute(VERSION_SQL, (stream,)).fetchone()
    return row[0] or 0


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _is_locked(exc: BaseException | None) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


def _describe(path: Path, exc: sqlite3.DatabaseError, busy_timeout: float) -> str:
    """A message for the operator: which file, what SQLite said, and what it likely means."""
    message = f"SQLite store {path}: {exc}"
    if _is_locked(exc):
        return f"{message} (another connection held the write lock for over {busy_timeout:g} s)"
    if "unable to open" in str(exc):
        return f"{message} (missing folder, a folder in its place, or no permission)"
    return message

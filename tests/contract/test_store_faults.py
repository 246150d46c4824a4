"""A store that cannot be reached says which one and why; a bad URL is refused."""

from __future__ import annotations

import re
import socket
import sqlite3
import threading
import time

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from shared.store import NewEvent, StoreUnavailable, VersionConflict, open_store
from shared.store.redis_store import RedisEventStore
from shared.store.sqlite import SqliteEventStore

# Keeps Redis busy for ARGV[1] ms: no other command is served until the script ends.
BUSY_SCRIPT = """
local t0 = redis.call('TIME')
local t
repeat
  t = redis.call('TIME')
until (t[1] - t0[1]) * 1000000 + (t[2] - t0[2]) >= tonumber(ARGV[1]) * 1000
return 1
"""


def closed_port() -> int:
    """A port nothing listens on (bound once by us, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def one(name: str) -> list[NewEvent]:
    return [NewEvent("Noted", {"name": name})]


def test_redis_on_a_closed_port_is_unavailable_with_its_url():
    url = f"redis://127.0.0.1:{closed_port()}/0"
    started = time.monotonic()
    store = open_store(url)  # lazy: opening does not connect, so this does not raise
    try:
        for operation in (
            lambda: store.append("day:1", one("a"), 0),
            lambda: store.append("day:1", [], 0),
            lambda: store.read("day:1"),
            lambda: store.version("day:1"),
            store.ping,
        ):
            with pytest.raises(StoreUnavailable, match=re.escape(url)):
                operation()
    finally:
        store.close()
    assert time.monotonic() - started < 5  # refused at once: no retry storm, no long timeout


def test_redis_password_is_never_in_the_message():
    store = open_store(f"redis://user:s3cret@127.0.0.1:{closed_port()}/0?password=s3cret")
    try:
        with pytest.raises(StoreUnavailable) as failure:
            store.read("day:1")
    finally:
        store.close()
    assert "s3cret" not in str(failure.value)
    assert "user:***@127.0.0.1" in str(failure.value)


@pytest.mark.redis
def test_a_timed_out_redis_append_is_unavailable_never_a_conflict(redis_url, redis_prefix):
    # redis.Redis() re-sends a timed-out command by default. For the append script that is
    # wrong: if the first send ran, the re-sent one finds our own events and reports a
    # conflict, and the caller's retry loop appends them a second time.
    store = RedisEventStore(redis_url, key_prefix=redis_prefix, socket_timeout=0.1)
    blocker = redis.Redis.from_url(redis_url, socket_timeout=10)
    probe = redis.Redis.from_url(redis_url, socket_timeout=0.1, retry=Retry(NoBackoff(), 0))
    busy = threading.Thread(target=blocker.eval, args=(BUSY_SCRIPT, 0, 1000))
    try:
        store.append("day:1", one("a"), 0)  # connected, and the script loaded
        busy.start()
        deadline = time.monotonic() + 5
        while True:  # until the busy script runs: PING gets no answer
            assert time.monotonic() < deadline, "Redis never became busy"
            try:
                probe.ping()
            except redis.TimeoutError:
                break
        with pytest.raises(StoreUnavailable, match="may or may not have been applied"):
            store.append("day:1", one("b"), 1)
        busy.join(timeout=10)
        # The script sent before the timeout may have run once Redis was free; never twice.
        assert [e.data["name"] for e in store.read("day:1")] in (["a"], ["a", "b"])
    finally:
        busy.join(timeout=10)
        probe.close()
        blocker.close()
        store.close()


def test_sqlite_under_a_regular_file_is_unavailable_naming_the_path(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(StoreUnavailable, match=re.escape(str(blocker / "antrian.db"))):
        open_store(f"sqlite:///{blocker / 'antrian.db'}")


def test_sqlite_file_that_is_not_a_database_is_unavailable(tmp_path):
    garbage = tmp_path / "antrian.db"
    garbage.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreUnavailable, match=re.escape(str(garbage))):
        open_store(f"sqlite:///{garbage}")


def test_sqlite_path_that_is_a_folder_is_unavailable(tmp_path):
    with pytest.raises(StoreUnavailable, match=re.escape(str(tmp_path))):
        open_store(f"sqlite:///{tmp_path}")


def test_sqlite_locked_longer_than_the_busy_timeout_is_unavailable(tmp_path):
    path = tmp_path / "antrian.db"
    store = SqliteEventStore(path, busy_timeout=0.2)
    holder = sqlite3.connect(path, isolation_level=None)  # e.g. another process, stuck
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreUnavailable, match=f"{re.escape(str(path))}.*locked"):
            store.append("day:1", one("a"), 0)
        assert store.read("day:1") == []  # WAL: readers are not blocked by the writer
        holder.execute("ROLLBACK")
        assert store.append("day:1", one("a"), 0) == 1
        with pytest.raises(VersionConflict):
            store.append("day:1", one("b"), 0)
    finally:
        holder.close()
        store.close()


def test_relative_sqlite_urls_are_taken_from_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = open_store("sqlite:///data/antrian.db")
    try:
        monkeypatch.chdir("/")  # later connections must not follow the process elsewhere
        store.append("day:1", one("a"), 0)
    finally:
        store.close()
    assert (tmp_path / "data" / "antrian.db").is_file()


@pytest.mark.parametrize(
    "url",
    ["postgres://localhost/antrian", "sqlite://antrian.db", "/var/lib/antrian.db", "", "redis:/x"],
)
def test_unknown_scheme_is_refused(url):
    with pytest.raises(ValueError, match="sqlite:/// or redis://"):
        open_store(url)


def test_refusals_never_show_a_password():
    with pytest.raises(ValueError) as refused:
        open_store("postgres://antrian:s3cret@db/antrian")
    assert "s3cret" not in str(refused.value)


def test_sqlite_url_without_a_file_is_refused():
    with pytest.raises(ValueError, match="names no file"):
        open_store("sqlite:///")

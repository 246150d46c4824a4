"""ONE contract for every event store adapter; the `store` fixture runs it on each."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from shared.store import NewEvent, StoredEvent, VersionConflict, open_store
from shared.store.sqlite import READ_SQL, VERSION_SQL

MAX_ATTEMPTS = 10_000  # a writer that keeps conflicting this often is a bug, not bad luck


def events(*names: str) -> list[NewEvent]:
    return [NewEvent("Noted", {"name": n}) for n in names]


def names(stored: list[StoredEvent]) -> list[str]:
    return [e.data["name"] for e in stored]


def append_with_retry(store, stream: str, event: NewEvent) -> int:
    """What every caller of the port does: read the version, append, retry on conflict."""
    for _ in range(MAX_ATTEMPTS):
        try:
            return store.append(stream, [event], store.version(stream))
        except VersionConflict:
            continue
    raise AssertionError(f"{MAX_ATTEMPTS} conflicts in a row on {stream!r}")


def test_a_new_stream_is_empty(store):
    assert store.version("day:1") == 0
    assert store.read("day:1") == []
    assert store.read("day:1", 5) == []


def test_append_returns_the_new_version_and_versions_are_consecutive(store):
    assert store.append("day:1", events("a", "b"), 0) == 2
    assert store.append("day:1", events("c"), 2) == 3
    stored = store.read("day:1")
    assert stored == [
        StoredEvent("day:1", 1, "Noted", {"name": "a"}),
        StoredEvent("day:1", 2, "Noted", {"name": "b"}),
        StoredEvent("day:1", 3, "Noted", {"name": "c"}),
    ]
    assert store.version("day:1") == 3


def test_read_after_a_version_returns_only_later_events_in_order(store):
    store.append("day:1", events("a", "b", "c", "d"), 0)
    assert [(e.version, e.data["name"]) for e in store.read("day:1", 2)] == [(3, "c"), (4, "d")]
    assert store.read("day:1", 4) == []
    assert store.read("day:1", 99) == []
    # "after -1" is "after nothing", not Redis' "from the end" meaning of a negative index.
    assert names(store.read("day:1", -1)) == ["a", "b", "c", "d"]


def test_the_tail_of_a_long_stream_is_numbered_from_its_position(store):
    length = 20_000
    store.append("long", [NewEvent("Noted", {"i": i}) for i in range(length)], 0)
    tail = store.read("long", length - 3)
    assert [(e.version, e.data["i"]) for e in tail] == [
        (length - 2, length - 3),
        (length - 1, length - 2),
        (length, length - 1),
    ]
    assert store.version("long") == length


def test_data_round_trips(store):
    data = {
        "text": "Nomor antrian A-001, silakan menuju loket dua — 'Ibu Hamil' \"prioritas\"",
        "aksara": "ꦲꦤ꧀ꦠꦿꦶꦪꦤ꧀ 🙏",
        "nested": {"list": [1, 2.5, None, True, "x"], "empty": {}, "deeper": {"a": [[]]}},
        "int": 42,
        "negative": -7,
        "big": 2**53 + 1,
        "float": 0.1,
        "zero": 0,
        "none": None,
        "true": True,
        "false": False,
        "kunci ü": "nilai\nbaris\tdua",
    }
    store.append("day:1", [NewEvent("TicketIssued", data)], 0)
    (stored,) = store.read("day:1")
    assert (stored.type, stored.data) == ("TicketIssued", data)
    assert type(stored.data["float"]) is float and type(stored.data["int"]) is int


def test_wrong_expected_version_raises_and_appends_nothing(store):
    store.append("day:1", events("a"), 0)
    with pytest.raises(VersionConflict) as behind:
        store.append("day:1", events("late", "later"), 0)
    assert (behind.value.stream, behind.value.expected, behind.value.actual) == ("day:1", 0, 1)
    with pytest.raises(VersionConflict) as ahead:
        store.append("day:1", events("ahead"), 5)
    assert (ahead.value.expected, ahead.value.actual) == (5, 1)
    assert store.version("day:1") == 1
    assert names(store.read("day:1")) == ["a"]


def test_appending_nothing_writes_nothing_but_still_checks_the_version(store):
    assert store.append("day:1", [], 0) == 0
    store.append("day:1", events("a"), 0)
    assert store.append("day:1", [], 1) == 1
    with pytest.raises(VersionConflict) as stale:
        store.append("day:1", [], 0)
    assert (stale.value.expected, stale.value.actual) == (0, 1)
    assert names(store.read("day:1")) == ["a"]


def test_streams_are_independent(store):
    store.append("day:1", events("a"), 0)
    store.append("day:2", events("b", "c"), 0)
    assert names(store.read("day:1")) == ["a"]
    assert names(store.read("day:2")) == ["b", "c"]
    assert (store.version("day:1"), store.version("day:2")) == (1, 2)
    with pytest.raises(VersionConflict):
        store.append("day:1", events("d"), 2)  # day:2's version means nothing for day:1


def test_concurrent_writers_lose_nothing_and_duplicate_nothing(store):
    writers, each = 8, 25
    start = threading.Barrier(writers)
    failures: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            start.wait(timeout=30)
            for i in range(each):
                append_with_retry(store, "busy", NewEvent("Noted", {"name": f"{writer}-{i}"}))
        except BaseException as exc:  # reported below, with the writer's error
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    assert failures == []
    stored = store.read("busy")
    assert [e.version for e in stored] == list(range(1, writers * each + 1))
    assert sorted(names(stored)) == sorted(f"{w}-{i}" for w in range(writers) for i in range(each))
    # Each writer's own events keep its order.
    for w in range(writers):
        assert [n for n in names(stored) if n.startswith(f"{w}-")] == [
            f"{w}-{i}" for i in range(each)
        ]


def test_two_stores_on_the_same_data_see_each_other(store, store_url):
    url, prefix = store_url
    other = open_store(url, key_prefix=prefix)
    try:
        store.append("day:1", events("a"), 0)
        assert names(other.read("day:1")) == ["a"]
        assert other.append("day:1", events("b"), 1) == 2
        with pytest.raises(VersionConflict):
            store.append("day:1", events("stale"), 1)
        assert names(store.read("day:1")) == ["a", "b"]
    finally:
        other.close()


def test_a_reopened_store_sees_the_same_events(store, store_url):
    store.append("day:1", events("a", "b"), 0)
    store.close()
    store.close()  # closing twice is harmless (the fixture closes it once more)
    url, prefix = store_url
    again = open_store(url, key_prefix=prefix)
    try:
        assert names(again.read("day:1")) == ["a", "b"]
        assert again.append("day:1", events("c"), 2) == 3
    finally:
        again.close()
    last = open_store(url, key_prefix=prefix)
    try:
        assert names(last.read("day:1")) == ["a", "b", "c"]
    finally:
        last.close()


def test_ping_answers_when_the_store_is_up(store):
    store.ping()


# Adapter-specific, but it is the contract's "reading the tail is cheap" made checkable.
def test_sqlite_reads_and_versions_through_the_primary_key(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'events.db'}")
    store.close()
    connection = sqlite3.connect(tmp_path / "events.db")
    try:
        for sql, params in ((READ_SQL, ("day:1", 99_997)), (VERSION_SQL, ("day:1",))):
            plan = " ".join(
                row[-1] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            )
            assert "USING PRIMARY KEY" in plan and "SCAN" not in plan, plan
            assert "TEMP B-TREE" not in plan, plan  # ORDER BY needs no sort either
    finally:
        connection.close()


def test_a_checkpoint_round_trips_and_only_a_newer_one_replaces_it(store, store_url):
    assert store.load_checkpoint("day-1") is None
    store.save_checkpoint("day-1", 5, b"\x00five\xff")
    store.save_checkpoint("day-1", 9, b"nine")
    store.save_checkpoint("day-1", 7, b"seven, late")  # a slower hub must not win
    assert store.load_checkpoint("day-1") == (9, b"nine")
    assert store.load_checkpoint("day-2") is None
    url, prefix = store_url
    reopened = open_store(url, key_prefix=prefix)
    try:
        assert reopened.load_checkpoint("day-1") == (9, b"nine")
    finally:
        reopened.close()


def test_a_dropped_checkpoint_is_gone_and_any_version_may_follow(store, store_url):
    store.save_checkpoint("day-1", 9, b"nine")
    store.save_checkpoint("day-2", 3, b"three")
    store.drop_checkpoint("day-1")
    store.drop_checkpoint("never-saved")  # nothing to drop is no error
    assert store.load_checkpoint("day-1") is None
    assert store.load_checkpoint("day-2") == (3, b"three")  # only the one named
    store.save_checkpoint("day-1", 9, b"nine, made again")  # the same version, after a drop
    assert store.load_checkpoint("day-1") == (9, b"nine, made again")


def test_streams_lists_those_with_events_under_a_prefix_in_order(store):
    for stream in ("office:a:day:2026-11-24", "office:a:day:2026-11-23", "office:b:day:2026-11-23"):
        store.append(stream, events("x", "y"), 0)
    store.append("office:a:accounts", events("u"), 0)
    store.append("office:a*[x]:day:2026-01-01", events("glob characters are plain"), 0)
    store.save_checkpoint("office:a:day:2026-11-25", 1, b"a checkpoint is not a stream")
    assert store.streams("office:a:day:") == ["office:a:day:2026-11-23", "office:a:day:2026-11-24"]
    assert store.streams("office:a*[x]:") == ["office:a*[x]:day:2026-01-01"]
    assert store.streams("office:c:") == []

"""ONE contract for every event store adapter; the `store` fixture runs it on each."""

from __future__ import annotations

import threading

import pytest

from shared.store import NewEvent, VersionConflict, open_store


def events(*names: str) -> list[NewEvent]:
    return [NewEvent("Noted", {"name": n}) for n in names]


def test_a_new_stream_is_empty(store):
    assert store.version("day:1") == 0
    assert store.read("day:1") == []


def test_append_returns_the_new_version_and_versions_are_consecutive(store):
    assert store.append("day:1", events("a", "b"), 0) == 2
    assert store.append("day:1", events("c"), 2) == 3
    stored = store.read("day:1")
    assert [e.version for e in stored] == [1, 2, 3]
    assert [e.data["name"] for e in stored] == ["a", "b", "c"]
    assert {e.stream for e in stored} == {"day:1"}
    assert store.version("day:1") == 3


def test_read_after_a_version_returns_only_later_events(store):
    store.append("day:1", events("a", "b", "c", "d"), 0)
    assert [e.data["name"] for e in store.read("day:1", 2)] == ["c", "d"]
    assert store.read("day:1", 4) == []


def test_data_round_trips(store):
    data = {
        "text": "Nomor antrian A-001, silakan menuju loket dua — 'Ibu Hamil'",
        "nested": {"list": [1, 2.5, None, True], "empty": {}},
        "zero": 0,
        "none": None,
        "flag": False,
    }
    store.append("day:1", [NewEvent("TicketIssued", data)], 0)
    (stored,) = store.read("day:1")
    assert (stored.type, stored.data) == ("TicketIssued", data)


def test_wrong_expected_version_appends_nothing(store):
    store.append("day:1", events("a"), 0)
    with pytest.raises(VersionConflict) as conflict:
        store.append("day:1", events("late", "later"), 0)
    assert (conflict.value.expected, conflict.value.actual) == (0, 1)
    with pytest.raises(VersionConflict):
        store.append("day:1", events("ahead"), 5)
    assert [e.data["name"] for e in store.read("day:1")] == ["a"]


def test_appending_nothing_changes_nothing(store):
    store.append("day:1", events("a"), 0)
    assert store.append("day:1", [], 1) == 1
    assert store.version("day:1") == 1


def test_streams_are_independent(store):
    store.append("day:1", events("a"), 0)
    store.append("day:2", events("b", "c"), 0)
    assert [e.data["name"] for e in store.read("day:1")] == ["a"]
    assert store.version("day:2") == 2


def test_concurrent_writers_lose_nothing_and_duplicate_nothing(store):
    writers, each = 8, 25
    start = threading.Barrier(writers)

    def write(writer: int) -> None:
        start.wait()
        for i in range(each):
            while True:
                try:
                    version = store.version("busy")
                    store.append("busy", events(f"{writer}-{i}"), version)
                    break
                except VersionConflict:
                    continue

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    stored = store.read("busy")
    assert [e.version for e in stored] == list(range(1, writers * each + 1))
    names = [e.data["name"] for e in stored]
    assert sorted(names) == sorted(f"{w}-{i}" for w in range(writers) for i in range(each))


def test_a_reopened_store_sees_the_same_events(store, store_url):
    store.append("day:1", events("a", "b"), 0)
    store.close()
    url, prefix = store_url
    again = open_store(url, key_prefix=prefix)
    try:
        assert [e.data["name"] for e in again.read("day:1")] == ["a", "b"]
        assert again.append("day:1", events("c"), 2) == 3
    finally:
        again.close()


def test_ping_answers_when_the_store_is_up(store):
    store.ping()

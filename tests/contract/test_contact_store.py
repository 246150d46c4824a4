"""ONE contract for the erasable contact store of every adapter (the `store` fixture).

Personal text a visitor chose to give (a contact for a reply) is kept beside the event log,
never in it, so it can be erased for good when it is no longer needed.
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
import redis

from shared.store import NewEvent, StoreUnavailable, open_store


def marker() -> str:
    """A contact no other test or page can contain by chance."""
    return f"wa-0812-{uuid.uuid4().hex}@contoh.id"


def test_a_contact_round_trips_and_is_none_when_never_saved(store):
    assert store.load_contact("complaint:1") is None
    text = "WhatsApp 0812-3456-7890 (Bu Siti) — ꦲꦤ꧀ 🙏\n<b>tak</b> 'kutip' \"ganda\""
    store.save_contact("complaint:1", text)
    assert store.load_contact("complaint:1") == text
    assert store.load_contact("complaint:2") is None


def test_saving_again_replaces_the_text(store):
    store.save_contact("k", "lama@contoh.id")
    store.save_contact("k", "baru@contoh.id")
    assert store.load_contact("k") == "baru@contoh.id"


def test_an_erased_contact_is_gone_and_erasing_again_is_harmless(store):
    store.save_contact("k", "0812")
    store.save_contact("other", "0813")
    store.erase_contact("k")
    assert store.load_contact("k") is None
    assert store.load_contact("other") == "0813"  # only that key
    store.erase_contact("k")  # a retried erase succeeds
    store.erase_contact("never-saved")
    store.save_contact("k", "0814")  # the key can be used again
    assert store.load_contact("k") == "0814"


def test_contacts_are_not_events_and_a_stream_of_the_same_name_is_untouched(store):
    store.append("k", [NewEvent("Noted", {"name": "a"})], 0)
    store.save_contact("k", "0812")
    store.erase_contact("k")
    assert [e.data for e in store.read("k")] == [{"name": "a"}]
    assert store.version("k") == 1


def test_another_store_on_the_same_data_sees_the_contact_and_its_erasure(store, store_url):
    url, prefix = store_url
    other = open_store(url, key_prefix=prefix)
    try:
        store.save_contact("k", "0812")
        assert other.load_contact("k") == "0812"
        other.erase_contact("k")
        assert store.load_contact("k") is None
    finally:
        other.close()


def test_concurrent_saves_and_erases_of_different_keys_do_not_mix(store):
    failures: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(10):
                store.save_contact(f"k{n}-{i}", f"text {n}-{i}")
                if i % 2:
                    store.erase_contact(f"k{n}-{i}")
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    for n in range(6):
        for i in range(10):
            expected = None if i % 2 else f"text {n}-{i}"
            assert store.load_contact(f"k{n}-{i}") == expected


def _sqlite_bytes(folder: Path) -> bytes:
    """Every byte of the database, its WAL and its shared-memory index, as on disk."""
    return b"".join(path.read_bytes() for path in sorted(folder.glob("events.db*")))


def test_sqlite_an_erased_contact_is_in_no_file_on_disk(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'events.db'}")
    try:
        store.append("day", [NewEvent("Noted", {"i": i}) for i in range(50)], 0)
        erased, kept = marker(), marker()
        store.save_contact("erased", erased)
        store.save_contact("kept", kept)
        on_disk = _sqlite_bytes(tmp_path)
        assert erased.encode() in on_disk and kept.encode() in on_disk  # the check can see it
        store.erase_contact("erased")
        on_disk = _sqlite_bytes(tmp_path)
        assert erased.encode() not in on_disk  # neither in the file nor in the WAL
        assert kept.encode() in on_disk
        assert store.load_contact("kept") == kept
    finally:
        store.close()
    assert erased.encode() not in _sqlite_bytes(tmp_path)


def test_sqlite_a_replaced_contact_leaves_no_copy_after_its_erasure(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'events.db'}")
    try:
        first, second = marker(), marker()
        store.save_contact("k", first)
        store.save_contact("k", second)
        store.erase_contact("k")
        on_disk = _sqlite_bytes(tmp_path)
        assert first.encode() not in on_disk and second.encode() not in on_disk
    finally:
        store.close()


@pytest.mark.redis
def test_redis_an_erased_contact_is_in_no_key(redis_url, redis_prefix):
    store = open_store(redis_url, key_prefix=redis_prefix)
    client = redis.Redis.from_url(redis_url)
    try:
        erased = marker()
        store.save_contact("erased", erased)
        store.save_contact("kept", "0812")
        store.erase_contact("erased")
        keys = list(client.scan_iter(match=f"{redis_prefix}:*"))
        values = [client.dump(key) or b"" for key in keys]
        assert not any(erased.encode() in value for value in values)
        assert any(b"0812" in value for value in values)
    finally:
        client.close()
        store.close()


@pytest.mark.redis
def test_redis_down_is_unavailable_for_contacts():
    store = open_store("redis://127.0.0.1:1/0")
    try:
        for operation in (
            lambda: store.save_contact("k", "0812"),
            lambda: store.load_contact("k"),
            lambda: store.erase_contact("k"),
        ):
            with pytest.raises(StoreUnavailable, match="127.0.0.1:1"):
                operation()
    finally:
        store.close()

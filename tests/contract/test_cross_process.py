"""Several OS processes on one store: nothing lost, nothing doubled, kill -9 keeps acks."""

from __future__ import annotations

import multiprocessing
import os
import signal

from shared.store import NewEvent, VersionConflict, open_store

PER_WRITER = 30


def _write(url: str, prefix: str, name: str, count: int, start, acknowledged) -> None:
    store = open_store(url, key_prefix=prefix)
    start.wait()
    for i in range(count):
        while True:
            try:
                version = store.append(
                    "shared", [NewEvent("Noted", {"name": f"{name}-{i}"})], store.version("shared")
                )
                break
            except VersionConflict:
                continue
        if acknowledged is not None:
            acknowledged.put(version)
    store.close()


def test_processes_appending_together_lose_nothing(store_url):
    url, prefix = store_url
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    writers = [
        ctx.Process(target=_write, args=(url, prefix, f"p{n}", PER_WRITER, start, None))
        for n in range(3)
    ]
    for process in writers:
        process.start()
    start.set()
    for process in writers:
        process.join(timeout=60)
        assert process.exitcode == 0
    store = open_store(url, key_prefix=prefix)
    stored = store.read("shared")
    store.close()
    assert [e.version for e in stored] == list(range(1, 3 * PER_WRITER + 1))
    assert len({e.data["name"] for e in stored}) == 3 * PER_WRITER


def test_a_process_killed_mid_run_keeps_every_acknowledged_append(store_url):
    url, prefix = store_url
    ctx = multiprocessing.get_context("spawn")
    start, acknowledged = ctx.Event(), ctx.Queue()
    writer = ctx.Process(target=_write, args=(url, prefix, "w", 10_000, start, acknowledged))
    writer.start()
    start.set()
    seen = [acknowledged.get(timeout=30) for _ in range(20)]
    os.kill(writer.pid, signal.SIGKILL)
    writer.join(timeout=10)
    assert writer.exitcode == -signal.SIGKILL
    store = open_store(url, key_prefix=prefix)
    stored = store.read("shared")
    store.close()
    assert len(stored) >= max(seen)
    assert [e.version for e in stored] == list(range(1, len(stored) + 1))


def _open_and_append(path: str, start, results) -> None:
    start.wait()
    try:
        _write(f"sqlite:///{path}", "antrian", "o", 1, _Started(), None)
        results.put("ok")
    except Exception as exc:  # reported to the test, which names it
        results.put(f"{type(exc).__name__}: {exc}")


class _Started:
    def wait(self) -> None:
        return None


def test_processes_opening_a_new_sqlite_file_together_all_succeed(tmp_path):
    # Before the fix about 1 open in 90 failed with "database is locked" (WAL switch).
    ctx = multiprocessing.get_context("spawn")
    for round_ in range(5):
        path = tmp_path / f"fresh-{round_}.db"
        start, results = ctx.Barrier(6), ctx.Queue()
        openers = [
            ctx.Process(target=_open_and_append, args=(str(path), start, results)) for _ in range(6)
        ]
        for process in openers:
            process.start()
        outcomes = [results.get(timeout=60) for _ in openers]
        for process in openers:
            process.join(timeout=30)
        assert outcomes == ["ok"] * 6

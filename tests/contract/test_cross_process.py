"""Several OS processes on one store: nothing lost, nothing doubled, kill -9 keeps acks."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from shared.store import NewEvent, VersionConflict, open_store

WRITERS = 4
PER_WRITER = 40
MAX_ATTEMPTS = 10_000
CTX = multiprocessing.get_context("spawn")  # a clean interpreter per writer, as in production


def _append_with_retry(store: Any, name: str) -> int:
    for _ in range(MAX_ATTEMPTS):
        try:
            return store.append(
                "shared", [NewEvent("Noted", {"name": name})], store.version("shared")
            )
        except VersionConflict:
            continue
    raise AssertionError(f"{MAX_ATTEMPTS} conflicts in a row")


def _write(url: str, prefix: str, name: str, count: int, start: Any, acks: Connection) -> None:
    """A writer process: open, wait for the others, append count events, ack each one."""
    store = open_store(url, key_prefix=prefix)
    try:
        start.wait(timeout=60)  # every writer has opened its store: now all begin at once
        for i in range(count):
            version = _append_with_retry(store, f"{name}-{i}")
            # Sent only once append() returned: an ack is a promise the event is stored.
            acks.send((version, f"{name}-{i}"))
    finally:
        store.close()
        acks.close()


@contextmanager
def _running(processes: list[BaseProcess]) -> Iterator[None]:
    """Start processes; whatever happens in the test, none outlives it."""
    try:
        for process in processes:
            process.start()
        yield
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
            process.join(timeout=10)
            process.close()


def _receive_all(reader: Connection, timeout: float = 60) -> list[tuple[int, str]]:
    """Every message until all writers have closed their end (EOF)."""
    received = []
    deadline = time.monotonic() + timeout
    while True:
        # poll() is also true at EOF, which recv() then reports as EOFError.
        if not reader.poll(max(deadline - time.monotonic(), 0)):
            raise AssertionError(f"the writers went silent for {timeout} s")
        try:
            received.append(reader.recv())
        except EOFError:
            return received


def _read_all(url: str, prefix: str) -> list:
    store = open_store(url, key_prefix=prefix)
    try:
        return store.read("shared")
    finally:
        store.close()


def test_processes_appending_together_lose_nothing_and_double_nothing(store_url):
    url, prefix = store_url
    start = CTX.Barrier(WRITERS)
    reader, writer_end = CTX.Pipe(duplex=False)
    writers = [
        CTX.Process(target=_write, args=(url, prefix, f"p{n}", PER_WRITER, start, writer_end))
        for n in range(WRITERS)
    ]
    with _running(writers):
        writer_end.close()  # ours: so that reader sees EOF once every writer has closed its own
        acks = _receive_all(reader)
        for process in writers:
            process.join(timeout=60)
        assert [process.exitcode for process in writers] == [0] * WRITERS
    reader.close()
    stored = _read_all(url, prefix)
    expected = {f"p{n}-{i}" for n in range(WRITERS) for i in range(PER_WRITER)}
    assert [e.version for e in stored] == list(range(1, len(expected) + 1))
    assert sorted(e.data["name"] for e in stored) == sorted(expected)
    assert sorted(acks) == [(e.version, e.data["name"]) for e in stored]


def test_a_process_killed_mid_run_keeps_every_acknowledged_append(store_url):
    url, prefix = store_url
    start = CTX.Barrier(1)
    reader, writer_end = CTX.Pipe(duplex=False)
    writer = CTX.Process(target=_write, args=(url, prefix, "w", 1_000_000, start, writer_end))
    store = open_store(url, key_prefix=prefix)  # open across the kill, like a running hub
    try:
        with _running([writer]):
            writer_end.close()
            # Kill at a moment unrelated to the acks we have read: once the store has 40
            # events, with the writer busy appending more. No clean shutdown.
            deadline = time.monotonic() + 60
            while store.version("shared") < 40:
                assert time.monotonic() < deadline and writer.is_alive(), "the writer stalled"
                time.sleep(0.005)
            os.kill(writer.pid, signal.SIGKILL)
            writer.join(timeout=10)
            assert writer.exitcode == -signal.SIGKILL
            # Each ack is one pipe write of a few bytes, which is atomic: whole or absent.
            acks = _receive_all(reader)
        reader.close()
        assert len(acks) >= 39
        stored = store.read("shared")
        assert [e.version for e in stored] == list(range(1, len(stored) + 1))
        by_version = {e.version: e.data["name"] for e in stored}
        assert all(by_version.get(version) == name for version, name in acks)
        # At most one append past the last ack: stored, but killed before it told us.
        assert len(stored) - max(v for v, _ in acks) in (0, 1)
        # Nothing is left locked: the store takes the next append at once.
        after = [NewEvent("Noted", {"name": "after"})]
        assert store.append("shared", after, len(stored)) == len(stored) + 1
    finally:
        store.close()
    assert len(_read_all(url, prefix)) == len(stored) + 1  # and so does a fresh open


ROUNDS = 12
OPENERS = 6


def _open_new_files(directory: str, start: Any, results: Any) -> None:
    """Each round: with the other openers, open a brand-new SQLite file and append once."""
    for round_ in range(ROUNDS):
        start.wait(timeout=60)
        try:
            store = open_store(f"sqlite:///{directory}/fresh-{round_}.db")
            try:
                _append_with_retry(store, "o")
            finally:
                store.close()
            results.put((round_, "ok"))
        except Exception as exc:  # reported to the test, which names it
            results.put((round_, f"{type(exc).__name__}: {exc}"))


def test_processes_opening_a_new_sqlite_file_together_all_succeed(tmp_path):
    # Before the fix about 1 open in 90 failed with "database is locked" (the WAL switch).
    start, results = CTX.Barrier(OPENERS), CTX.Queue()
    openers = [
        CTX.Process(target=_open_new_files, args=(str(tmp_path), start, results))
        for _ in range(OPENERS)
    ]
    with _running(openers):
        outcomes = sorted(results.get(timeout=60) for _ in range(ROUNDS * OPENERS))
        for process in openers:
            process.join(timeout=30)
    results.close()
    results.join_thread()
    assert outcomes == [(r, "ok") for r in range(ROUNDS) for _ in range(OPENERS)]
    for round_ in range(ROUNDS):
        assert len(_read_all(f"sqlite:///{tmp_path}/fresh-{round_}.db", "antrian")) == OPENERS

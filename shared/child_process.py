"""The hub's worker processes (voice, reports): started alone, stopped with the hub."""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any


def exit_with_parent() -> None:
    """Exit as soon as the hub is gone, however it went.

    The spawn start method gives the child a pipe whose other end only the parent holds:
    it reads as ready (EOF) the moment the parent dies, even by kill -9. Waiting on the
    task queue is no help, because this process holds that pipe's write end itself.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)  # no clean-up to do: the hub that wanted the results is gone

    threading.Thread(target=watch, name="exit-with-hub", daemon=True).start()


def one_worker_pool(initializer: Callable[..., None], *args: Any) -> ProcessPoolExecutor:
    """A pool of one spawned worker: a fresh interpreter, nothing inherited from the hub
    (its sockets, its eventlet patches, its locks held by other threads)."""
    return ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=initializer,
        initargs=args,
    )


def stop_pool(pool: ProcessPoolExecutor, wait_seconds: float) -> None:
    """Ask the pool's workers to stop; one still busy after wait_seconds is killed."""
    processes = _processes(pool)
    pool.shutdown(wait=False, cancel_futures=True)
    # Waited on through the sentinel, not join(): the pool's own thread reaps the worker.
    for process in processes:
        if not multiprocessing.connection.wait([process.sentinel], wait_seconds):
            process.kill()


def kill_pool(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's workers now: one stuck never returns, so do not wait for it."""
    for process in _processes(pool):
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def _processes(pool: ProcessPoolExecutor) -> list[Any]:
    return list((getattr(pool, "_processes", None) or {}).values())

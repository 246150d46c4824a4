"""Officers pressing "call next" at the same instant never get the same ticket."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from shared.config import load_settings
from shared.domain import commands as c
from shared.domain.errors import NoTicketWaiting
from shared.queue_service import QueueService
from shared.store import open_store

ROOT = Path(__file__).resolve().parents[2]
TICKETS = 40


def _service(url: str, prefix: str) -> QueueService:
    catalogue = load_settings(ROOT / "config.yaml").catalogue()
    return QueueService(open_store(url, key_prefix=prefix), catalogue)


def _call_until_empty(url: str, prefix: str, counter: str, start, results) -> None:
    """One officer: call next, serve at once, repeat until the line is empty."""
    queue = _service(url, prefix)
    start.wait()
    called = []
    while True:
        try:
            outcome = queue.execute(c.CallNext(counter, f"officer-{counter}"))
        except NoTicketWaiting:
            break
        called.append(outcome.ticket.number)
        queue.execute(c.Start(counter, "x"))
        queue.execute(c.ReturnIncomplete(counter, "x", reason="uji"))
    queue.store.close()
    results.put((counter, called))


def _issue_tickets(url: str, prefix: str) -> None:
    queue = _service(url, prefix)
    for _ in range(TICKETS):
        queue.execute(c.IssueTicket("ak1-baru"))
    queue.store.close()


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'race.db'}", "antrian"
    return request.getfixturevalue("redis_url"), request.getfixturevalue("redis_prefix")


def _assert_each_called_once(called_by_counter: dict[str, list[str]]) -> None:
    everything = [n for numbers in called_by_counter.values() for n in numbers]
    assert len(everything) == TICKETS, called_by_counter
    assert len(set(everything)) == TICKETS
    assert all(numbers for numbers in called_by_counter.values()), "a counter was starved"


def test_two_processes_never_call_the_same_ticket(store_url):
    url, prefix = store_url
    _issue_tickets(url, prefix)
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    officers = [
        ctx.Process(target=_call_until_empty, args=(url, prefix, counter, start, results))
        for counter in ("1", "2")
    ]
    for process in officers:
        process.start()
    start.set()
    called = dict(results.get(timeout=60) for _ in officers)
    for process in officers:
        process.join(timeout=30)
        assert process.exitcode == 0
    _assert_each_called_once(called)


def test_two_threads_never_call_the_same_ticket(store_url):
    url, prefix = store_url
    _issue_tickets(url, prefix)
    start = threading.Event()
    results: multiprocessing.queues.Queue = multiprocessing.get_context("spawn").Queue()
    officers = [
        threading.Thread(target=_call_until_empty, args=(url, prefix, counter, start, results))
        for counter in ("1", "2")
    ]
    for thread in officers:
        thread.start()
    start.set()
    for thread in officers:
        thread.join(timeout=60)
    _assert_each_called_once(dict(results.get(timeout=5) for _ in officers))

"""Officers pressing "call next" at the same instant never get the same ticket."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

from shared.config import load_settings
from shared.domain import commands as c
from shared.domain.errors import NoTicketWaiting
from shared.queue_service import QueueService
from shared.store import open_store

ROOT = Path(__file__).resolve().parents[2]
TICKETS = 60


def _service(url: str, prefix: str) -> QueueService:
    catalogue = load_settings(ROOT / "config.yaml").catalogue()
    return QueueService(open_store(url, key_prefix=prefix), catalogue)


def _call_until_empty(url: str, prefix: str, counter: str, start, results) -> None:
    """One officer: call next, serve at once, repeat until the line is empty."""
    queue = _service(url, prefix)
    queue.today()  # read the day before the start, so both officers begin at the same moment
    start.wait()
    called = []
    officer = f"officer-{counter}"
    while True:
        try:
            outcome = queue.execute(c.CallNext(counter, officer))
        except NoTicketWaiting:
            break
        called.append(outcome.ticket.number)
        queue.execute(c.Start(counter, officer))
        queue.execute(c.ReturnIncomplete(counter, officer, reason="uji"))
    queue.store.close()
    results.put((counter, called))


def _issue_tickets(url: str, prefix: str) -> None:
    queue = _service(url, prefix)
    for _ in range(TICKETS):
        queue.execute(c.IssueTicket("ak1-baru"))
    queue.store.close()


def _assert_each_called_once(called_by_counter: dict[str, list[str]]) -> None:
    everything = [n for numbers in called_by_counter.values() for n in numbers]
    assert len(everything) == TICKETS, called_by_counter
    assert len(set(everything)) == TICKETS


def test_two_processes_never_call_the_same_ticket(store_url):
    url, prefix = store_url
    _issue_tickets(url, prefix)
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(2), ctx.Queue()
    officers = [
        ctx.Process(target=_call_until_empty, args=(url, prefix, counter, start, results))
        for counter in ("1", "2")
    ]
    for process in officers:
        process.start()
    called = dict(results.get(timeout=60) for _ in officers)
    for process in officers:
        process.join(timeout=30)
        assert process.exitcode == 0
    _assert_each_called_once(called)


def test_two_threads_never_call_the_same_ticket(store_url):
    url, prefix = store_url
    _issue_tickets(url, prefix)
    start = threading.Barrier(2)
    results: multiprocessing.queues.Queue = multiprocessing.get_context("spawn").Queue()
    officers = [
        threading.Thread(target=_call_until_empty, args=(url, prefix, counter, start, results))
        for counter in ("1", "2")
    ]
    for thread in officers:
        thread.start()
    for thread in officers:
        thread.join(timeout=60)
    _assert_each_called_once(dict(results.get(timeout=5) for _ in officers))


class _InterruptedStore:
    """A real store whose next append first lets another officer act, forcing a conflict."""

    def __init__(self, store, interrupt) -> None:
        self._store = store
        self._interrupt = interrupt

    def append(self, stream, events, expected_version):
        interrupt, self._interrupt = self._interrupt, None
        if interrupt is not None:
            interrupt()
        return self._store.append(stream, events, expected_version)

    def __getattr__(self, name):
        return getattr(self._store, name)


def test_a_conflicting_call_next_is_retried_and_takes_the_next_ticket(store_url):
    url, prefix = store_url
    _issue_tickets(url, prefix)
    other = _service(url, prefix)
    mine = _service(url, prefix)
    other_called = []
    mine.store = _InterruptedStore(
        mine.store,
        lambda: other_called.append(other.execute(c.CallNext("2", "siti")).ticket.number),
    )
    # Mine decided on A-001, but the other officer appended first: mine must retry, not lose.
    outcome = mine.execute(c.CallNext("1", "budi"))
    assert other_called == ["A-001"]
    assert outcome.ticket.number == "A-002"
    day = _service(url, prefix).today()
    assert {day.active_ticket("1").number, day.active_ticket("2").number} == {"A-001", "A-002"}
    other.store.close()
    mine.store.close()

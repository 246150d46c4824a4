"""Many kiosks issuing while screens read the day: no 500, every ticket printed once."""

from __future__ import annotations

import re
import threading
import time
from collections import Counter

import pytest

from shared.app import close_app, create_app
from shared.domain import commands as c
from shared.store import open_store
from tests.printer_server import TestPrinter
from tests.web.conftest import PASSWORD, bearer

WRITERS, TICKETS_PER_WRITER, READERS = 8, 25, 4
PRELOADED = 700
SERVICES = ("ak1-baru", "ak1-perpanjangan", "id-ctki")
READ_PATHS = (
    "/api/queue",
    "/counter/state?counter=1",
    "/supervisor/state",
    "/kiosk/availability",
)
NUMBER = re.compile(rb"[A-Z]-\d{3,}")


@pytest.fixture
def loaded_hub(settings, clock, store_url):
    """A hub on each store, a network printer, and a day with hundreds already waiting."""
    url, prefix = store_url
    with TestPrinter() as printer:
        update = {"type": "network", "host": "127.0.0.1", "port": printer.port}
        changed = settings.model_copy(
            update={
                "printer": settings.printer.model_copy(update={**update, "timeout_seconds": 30})
            }
        )
        app = create_app(
            changed, store=open_store(url, key_prefix=prefix), clock=clock, secret_key="t"
        )
        hub = app.extensions["antrian"]
        for i in range(PRELOADED):
            hub.queue.execute(c.IssueTicket(SERVICES[i % len(SERVICES)], None))
        try:
            yield app, hub, printer
        finally:
            close_app(app)


def _tokens(app, hub):
    hub.accounts.add_user("kasi", "supervisor", PASSWORD)
    login = app.test_client().post("/api/login", json={"username": "kasi", "password": PASSWORD})
    return hub.accounts.add_device("kiosk-1", "kiosk"), login.json["token"]


def _printed_numbers(printer: TestPrinter, expected: int) -> Counter:
    deadline = time.monotonic() + 120  # a loaded machine prints slowly; the jobs still come
    while len(printer.jobs) < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return Counter(NUMBER.search(job).group().decode() for job in printer.jobs)


def test_issuing_and_reading_at_once_never_fails_and_prints_each_ticket_once(loaded_hub):
    app, hub, printer = loaded_hub
    kiosk, supervisor = _tokens(app, hub)
    statuses: Counter = Counter()
    failures: list[str] = []
    issued: list[str] = []
    writing = threading.Event()
    writing.set()

    def write(writer: int) -> None:
        client = app.test_client()
        for n in range(TICKETS_PER_WRITER):
            body = {"service": SERVICES[n % len(SERVICES)], "request_id": f"w{writer}-{n}"}
            answer = client.post("/kiosk/tickets", json=body, headers=bearer(kiosk))
            statuses[answer.status_code] += 1
            if answer.status_code == 201:
                issued.append(answer.json["ticket"]["number"])
            else:
                failures.append(f"POST /kiosk/tickets {answer.status_code} {answer.data[:300]!r}")

    def read() -> None:
        client = app.test_client()
        while writing.is_set():
            for path in READ_PATHS:
                token = kiosk if path.startswith("/kiosk") else supervisor
                answer = client.get(path, headers=bearer(token))
                statuses[answer.status_code] += 1
                if answer.status_code >= 500:
                    failures.append(f"GET {path} {answer.status_code} {answer.data[:300]!r}")

    writers = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    readers = [threading.Thread(target=read) for _ in range(READERS)]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    writing.clear()
    for thread in readers:
        thread.join()

    assert failures == []
    assert len(issued) == WRITERS * TICKETS_PER_WRITER
    assert sum(n for status, n in statuses.items() if status == 200) > 0  # the readers read
    printed = _printed_numbers(printer, len(issued))
    assert printed == Counter(issued)  # each issued ticket once, nothing else


def test_a_retried_tap_prints_the_ticket_whose_answer_was_lost(loaded_hub):
    app, hub, printer = loaded_hub
    kiosk, _ = _tokens(app, hub)
    # Stored, but the kiosk never heard back (the connection dropped before the answer).
    outcome = hub.queue.execute(c.IssueTicket("ak1-baru", None, request_id="lost-answer"))
    client = app.test_client()
    retry = client.post(
        "/kiosk/tickets",
        json={"service": "ak1-baru", "request_id": "lost-answer"},
        headers=bearer(kiosk),
    )
    assert retry.status_code == 200
    assert retry.json["ticket"]["number"] == outcome.ticket.number
    assert retry.json["printed"] is True
    again = client.post(
        "/kiosk/tickets",
        json={"service": "ak1-baru", "request_id": "lost-answer"},
        headers=bearer(kiosk),
    )
    assert again.json["printed"] is None  # a double tap does not print it twice
    assert _printed_numbers(printer, 1) == Counter([outcome.ticket.number])

"""A small office and a desk that runs commands through the pure rules, for domain tests."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from shared.domain import commands as c
from shared.domain.catalogue import CallRules, Catalogue, Counter, Service, Step
from shared.domain.events import DomainEvent
from shared.domain.office_day import OfficeDay
from shared.domain.rules import decide

AK1_STEPS = (
    Step("Menyerahkan berkas", "Pencari Kerja", 1),
    Step("Input data", "Petugas BKOL", 3),
    Step("Cetak kartu", "Petugas BKOL", 3),
    Step("Konseling", "Pengantar Kerja", 5, optional=True),
    Step("Tanda tangan", "Pengantar Kerja", 1, handover=True, substitutes=("Kasi", "Kabid")),
    Step("Legalisir salinan", "Pengantar Kerja", 2, optional=True),
)


def small_office(
    max_calls: int = 3,
    auto_recall_seconds: int = 30,
    quota: int | None = None,
    returned_rejoin: str = "original_time",
):
    """Two AK1 services on two loket, ID CTKI on a third, and a counselling desk."""
    return Catalogue(
        office_id="test-office",
        timezone="Asia/Jakarta",
        services=(
            Service("ak1-baru", "A", "AK1 Baru", ("KTP",), AK1_STEPS, 15, daily_quota=quota),
            Service("ak1-perpanjangan", "B", "AK1 Perpanjangan", ("AK1 lama",), AK1_STEPS, 15),
            Service("id-ctki", "C", "ID CTKI", ("e-KTP",), (Step("Entry", "Petugas", 25),), 25),
        ),
        counters=(
            Counter("1", "Loket 1", ("ak1-baru", "ak1-perpanjangan")),
            Counter("2", "Loket 2", ("ak1-baru", "ak1-perpanjangan")),
            Counter("3", "Loket 3", ("id-ctki",)),
            Counter("konseling", "Meja Konseling", ()),
        ),
        call_rules=CallRules(
            max_calls=max_calls,
            auto_recall_seconds=auto_recall_seconds,
            returned_rejoin=returned_rejoin,
        ),
    )


class Desk:
    """Runs commands against one office day with a clock that only moves when told."""

    def __init__(self, catalogue: Catalogue | None = None) -> None:
        self.catalogue = catalogue or small_office()
        self.day = OfficeDay()
        self.now = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 08:00 WIB
        self._ids = itertools.count(1)
        self.log: list[DomainEvent] = []

    def tick(self, seconds: float = 1) -> None:
        self.now += timedelta(seconds=seconds)

    def run(self, command: c.Command) -> list[DomainEvent]:
        events = decide(
            self.day,
            self.catalogue,
            command,
            self.now,
            lambda: f"t{next(self._ids)}",
            lambda: "token",
        )
        # As the queue service does: readers may still hold the day before.
        self.day = self.day.after(events)
        self.log.extend(events)
        self.tick()
        return events

    def issue(self, service: str = "ak1-baru", priority: str | None = None) -> str:
        (event,) = self.run(c.IssueTicket(service, priority))
        return event.ticket_id

    def number(self, ticket_id: str) -> str:
        return self.day.tickets[ticket_id].number

    def at(self, counter: str):
        return self.day.active_ticket(counter)

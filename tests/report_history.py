"""A few office days of history, written as real events through the real QueueService.

The clock is moved from visit to visit and from day to day, so each event carries the time it
would have had. What was seeded is kept as plain data (`SeededVisit`), so a test can work out
what a report must say without asking the report code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from shared.domain import commands as c
from shared.queue_service import QueueService

OFFICE_ZONE = ZoneInfo("Asia/Jakarta")
# Who works where (config.yaml: loket 1 and 2 serve AK1, loket 3 the other services).
OFFICERS = {"1": "budi", "2": "sari", "3": "wati"}


@dataclass(frozen=True)
class SeededVisit:
    """One visit as the test wrote it."""

    day: date
    issued: time  # office time
    service: str
    counter: str
    outcome: str  # selesai | dikembalikan | terlewat | dialihkan
    wait_minutes: float
    service_minutes: float = 0  # for selesai: from "Mulai layani" to "Selesai"
    missing: str = ""  # for dikembalikan: the requirement forgotten
    priority: str | None = None
    transfer_to: tuple[str, str] | None = None  # (service, counter that then serves it)
    # Statistics the officer records while serving (config.yaml: AK1's jenis_kelamin, pendidikan).
    attributes: tuple[tuple[str, str], ...] = ()

    @property
    def officer(self) -> str:
        return OFFICERS[self.counter]


def _v(day: date, at: str, service: str, counter: str, outcome: str, wait: float, **more):
    hour, minute = map(int, at.split(":"))
    return SeededVisit(day, time(hour, minute), service, counter, outcome, wait, **more)


KTP = "Fotokopi KTP (1 lembar)"
PHOTO = "Pas foto berwarna 3x4 (2 lembar)"
OLD_CARD = "Kartu AK1 lama"
MAN_SMA = (("jenis_kelamin", "L"), ("pendidikan", "SMA/SMK"))
WOMAN_S1 = (("jenis_kelamin", "P"), ("pendidikan", "D4/S1"))


def history() -> list[SeededVisit]:
    """Six office days: one in Semester I 2026, five in Semester II (July to December)."""
    june = date(2026, 6, 29)  # Senin, Semester I: never in a Semester II report
    july = date(2026, 7, 14)  # Selasa
    september = date(2026, 9, 2)  # Rabu
    nov_mon = date(2026, 11, 23)  # Senin
    nov_tue = date(2026, 11, 24)  # Selasa
    december = date(2026, 12, 1)  # Selasa
    return [
        _v(june, "08:10", "ak1-baru", "1", "selesai", 2, service_minutes=12),
        _v(june, "09:05", "ak1-baru", "1", "selesai", 4, service_minutes=14),
        _v(july, "08:05", "ak1-baru", "1", "selesai", 1, service_minutes=10, attributes=MAN_SMA),
        _v(july, "08:40", "ak1-baru", "2", "selesai", 2, service_minutes=18),
        _v(july, "09:15", "ak1-perpanjangan", "1", "dikembalikan", 2, missing=OLD_CARD),
        _v(july, "10:20", "id-ctki", "3", "selesai", 6, service_minutes=20),
        _v(september, "08:20", "ak1-baru", "1", "selesai", 1, service_minutes=13),
        _v(september, "09:10", "ak1-baru", "2", "dikembalikan", 3, missing=KTP),
        _v(september, "09:50", "ak1-perpanjangan", "2", "selesai", 2, service_minutes=9),
        _v(september, "10:30", "ak1-baru", "1", "terlewat", 1),
        _v(
            nov_mon,
            "08:02",
            "ak1-baru",
            "1",
            "selesai",
            1,
            service_minutes=11,
            priority="lansia",
            attributes=MAN_SMA,
        ),
        _v(nov_mon, "08:30", "ak1-baru", "2", "selesai", 5, service_minutes=22),
        _v(nov_mon, "09:05", "ak1-baru", "1", "dikembalikan", 2, missing=KTP),
        _v(nov_mon, "09:40", "ak1-perpanjangan", "2", "selesai", 2, service_minutes=16),
        _v(nov_mon, "10:15", "rekomendasi-paspor", "3", "selesai", 8, service_minutes=45),
        _v(nov_mon, "11:20", "ak1-baru", "1", "dikembalikan", 1, missing=PHOTO),
        _v(
            nov_tue, "08:15", "ak1-baru", "2", "selesai", 2, service_minutes=14, attributes=WOMAN_S1
        ),
        _v(
            nov_tue,
            "09:00",
            "ak1-baru",
            "1",
            "dialihkan",
            3,
            transfer_to=("id-ctki", "3"),
            service_minutes=21,
        ),
        _v(nov_tue, "10:05", "ak1-perpanjangan", "1", "selesai", 1, service_minutes=12),
        _v(december, "08:45", "ak1-baru", "2", "selesai", 4, service_minutes=15),
        _v(
            december,
            "09:30",
            "id-ctki",
            "3",
            "selesai",
            3,
            service_minutes=24,
            priority="disabilitas",
        ),
    ]


def _utc(day: date, at: time) -> datetime:
    return datetime.combine(day, at, OFFICE_ZONE).astimezone(UTC)


def seed(queue: QueueService, clock, visits: list[SeededVisit]) -> None:
    """Write every visit through the queue service, moving `clock` (a MovableClock) as it goes.

    Each visit is issued, called, served and ended before the next is issued, so the ticket a
    counter calls is always the one just taken. Loket 1 takes a 15-minute break each day.
    """
    opened: set[tuple[date, str]] = set()
    by_day: dict[date, list[SeededVisit]] = {}
    for visit in visits:
        by_day.setdefault(visit.day, []).append(visit)
    for day, visits_of_day in sorted(by_day.items()):
        for visit in sorted(visits_of_day, key=lambda v: v.issued):
            issued_at = _utc(day, visit.issued)
            assert clock.now <= issued_at, f"visits of {day} overlap at {visit.issued}"
            clock.now = issued_at
            _open(queue, day, visit.counter, opened)
            queue.execute(c.IssueTicket(visit.service, visit.priority))
            clock.advance(visit.wait_minutes * 60)
            at = (visit.counter, visit.officer)
            queue.execute(c.CallNext(*at))
            if visit.outcome == "terlewat":
                queue.execute(c.Skip(*at))
                continue
            queue.execute(c.Start(*at))
            if visit.attributes:
                queue.execute(c.RecordAttributes(*at, attributes=visit.attributes))
            if visit.outcome == "dikembalikan":
                clock.advance(90)
                queue.execute(c.ReturnIncomplete(*at, reason=visit.missing))
                continue
            if visit.transfer_to is not None:
                service, counter = visit.transfer_to
                clock.advance(60)
                queue.execute(c.Transfer(*at, to_service=service))
                _open(queue, day, counter, opened)
                clock.advance(60)
                queue.execute(c.CallNext(counter, OFFICERS[counter]))
                queue.execute(c.Start(counter, OFFICERS[counter]))
                at = (counter, OFFICERS[counter])
            _serve(queue, clock, at, visit.service_minutes)
        # A break at loket 1 after the day's visits: 15 minutes.
        _open(queue, day, "1", opened)
        queue.execute(c.PauseCounter("1", OFFICERS["1"], reason="istirahat"))
        clock.advance(15 * 60)
        queue.execute(c.ResumeCounter("1", OFFICERS["1"]))


def _open(queue: QueueService, day: date, counter: str, opened: set) -> None:
    if (day, counter) not in opened:
        queue.execute(c.OpenCounter(counter, OFFICERS[counter]))
        opened.add((day, counter))


def _serve(queue: QueueService, clock, at: tuple[str, str], minutes: float) -> None:
    """Walk the service's required steps in `minutes`, then finish."""
    ticket = queue.today().active_ticket(at[0])
    service = queue.catalogue.service(ticket.service)
    last_required = max(service.required_step_indexes)
    moves = last_required + 1  # the steps' ends, the last one by "Selesai"
    for _ in range(last_required):
        clock.advance(minutes * 60 / moves)
        queue.execute(c.NextStep(*at))
    clock.advance(minutes * 60 / moves)
    queue.execute(c.Finish(*at))


def semester_two(visits: list[SeededVisit]) -> list[SeededVisit]:
    return [v for v in visits if v.day >= date(2026, 7, 1)]


TODAY = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)  # 08:00 WIB, Rabu 2 Desember 2026

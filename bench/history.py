"""Benchmark: reports over a realistic history (issue 11, item 6).

Generates 130 office days of 300 visits each across the Lamongan services of config.yaml
(arrivals peaking mid-morning, priority visitors, no-shows that are skipped and some
reinstated, returns for a missing document, transfers to the counselling desk, steps gone
back to, signatures handed over, lunch and prayer breaks, sex and education recorded), each
day decided by the real queue rules and written through the real store (a SQLite file in a
temporary folder, or Redis with --redis), then measures, cold and warm:

- the report of Semester II 2026, of November 2026, and of one closed day;
- the XLSX export of the semester's visit register;
- call-next latency on today's day, quiet and while another thread computes reports.

"Cold" is a fresh reader whose summaries are in the store (made once by `reports rebuild`,
also timed); "warm" is the same reader asked again (its summaries in memory).

    .venv/bin/python -m bench.history [--days 130] [--visits 300] [--redis redis://...]
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import random
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

from shared.config import load_settings
from shared.domain import commands as c
from shared.domain.catalogue import Catalogue, Counter
from shared.domain.errors import QueueError
from shared.domain.events import DomainEvent
from shared.domain.office_day import OfficeDay
from shared.domain.rules import decide
from shared.queue_service import QueueService
from shared.reports.desk import ReportDesk
from shared.reports.exports import ExportHeader, to_xlsx
from shared.reports.period import Period, ReportFilters, period_report
from shared.reports.reader import WHOLE_OFFICE, ReportReader
from shared.reports.summaries import SummaryService, day_stream
from shared.store import open_store
from shared.store.base import EventStore, NewEvent

ROOT = Path(__file__).resolve().parents[1]
ZONE = ZoneInfo("Asia/Jakarta")
# Shares of the day's visits per service (AK1 is most of a Disnaker's counter work).
SERVICE_MIX = {
    "ak1-baru": 0.50,
    "ak1-perpanjangan": 0.37,
    "id-ctki": 0.08,
    "rekomendasi-paspor": 0.03,
    "tanda-daftar-bkk": 0.02,
}
# After this the counters close and nothing more is planned.
CLOSING = clock_time(16, 30)
Plan = Iterator[tuple[datetime, Callable[[datetime], object]]]
EDUCATION = ("SD", "SMP", "SMA/SMK", "SMA/SMK", "SMA/SMK", "D1-D3", "D4/S1", "D4/S1", "S2/S3")


def bench_office(catalogue: Catalogue) -> Catalogue:
    """The Lamongan services with enough counters for 300 visits a day.

    The shipped config has two AK1 counters and one for the rest; 260 AK1 visits of about
    14 minutes need eight, 40 others of 25-60 minutes three.
    """
    ak1 = ("ak1-baru", "ak1-perpanjangan")
    others = ("id-ctki", "rekomendasi-paspor", "tanda-daftar-bkk")
    counters = [Counter(str(i), f"Loket {i}", ak1) for i in range(1, 9)]
    counters += [Counter(str(i), f"Loket {i}", others) for i in (9, 10, 11)]
    counters.append(Counter("konseling", "Meja Konseling", ()))
    return replace(catalogue, counters=tuple(counters))


class DaySimulation:
    """One office day: arrivals and counters in time order, decided by the real rules."""

    def __init__(self, catalogue: Catalogue, day: date, visits: int, rng: random.Random) -> None:
        self.catalogue = catalogue
        self.rng = rng
        self.day = OfficeDay()
        self.events: list[DomainEvent] = []
        self.ids = (uuid.UUID(int=rng.getrandbits(128)).hex for _ in iter(int, 1))
        opening = datetime.combine(day, clock_time(7, 30), ZONE)
        self.agenda: list[tuple[datetime, int, Callable[[datetime], None]]] = []
        self.order = 0
        for _ in range(visits):
            # Most people come in the morning; the last around 14.00.
            minutes = rng.triangular(0, 390, 90)
            self.at(opening + timedelta(minutes=minutes), self.arrive)
        for counter in catalogue.counters:
            officer = f"petugas-{counter.id}"
            self.at(
                opening, lambda now, k=counter.id, o=officer: self.run(now, c.OpenCounter(k, o))
            )
            if counter.services:
                self.at(opening + timedelta(minutes=2), lambda now, k=counter.id: self.free(now, k))
            lunch = datetime.combine(day, clock_time(12, rng.randrange(0, 20)), ZONE)
            self.at(lunch, lambda now, k=counter.id: self.want_break(now, k, "Makan siang", 40))

    def at(self, moment: datetime, action: Callable[[datetime], None]) -> None:
        self.order += 1
        heapq.heappush(self.agenda, (moment, self.order, action))

    def run(self, now: datetime, command: c.Command) -> list[DomainEvent]:
        try:
            events = decide(
                self.day, self.catalogue, command, now.astimezone(UTC), self._id, self._token
            )
        except QueueError:
            return []
        for event in events:
            self.day.apply(event)
        self.events.extend(events)
        return events

    def _id(self) -> str:
        return next(self.ids)

    def _token(self) -> str:
        return next(self.ids)[:22]

    def play(self) -> list[DomainEvent]:
        while self.agenda:
            moment, _, action = heapq.heappop(self.agenda)
            action(moment)
        return self.events

    def arrive(self, now: datetime) -> None:
        service = self.rng.choices(list(SERVICE_MIX), weights=list(SERVICE_MIX.values()))[0]
        priority = (
            self.rng.choice(["lansia", "disabilitas", "ibu_hamil"])
            if self.rng.random() < 0.05
            else None
        )
        self.run(now, c.IssueTicket(service, priority))

    def officer(self, counter: str) -> str:
        return f"petugas-{counter}"

    def free(self, now: datetime, counter: str) -> None:
        """The counter calls its next number, or looks again in a minute."""
        if now.time() > CLOSING:
            self.run(now, c.CloseCounter(counter, self.officer(counter)))
            return
        session = self.day.session(counter)
        if session is not None and session.pause is not None:
            return  # the break's end frees it again
        called = self.run(now, c.CallNext(counter, self.officer(counter)))
        if not called:
            self.at(now + timedelta(minutes=1), lambda t: self.free(t, counter))
            return
        if self.rng.random() < 0.05:  # nobody comes: called three times, then passed over
            self.follow(self.no_show(now, counter, called[-1].ticket_id))  # type: ignore[attr-defined]
        else:
            self.follow(self.visit(now, counter))

    def follow(self, plan: Iterator[tuple[datetime, Callable[[datetime], object]]]) -> None:
        """Run a plan's steps at their moments, each after the office's other business."""
        for moment, action in itertools.islice(plan, 1):
            self.at(moment, lambda t, a=action: (a(t), self.follow(plan)))

    def command(self, command: c.Command) -> Callable[[datetime], object]:
        return lambda t: self.run(t, command)

    def no_show(self, now: datetime, counter: str, ticket_id: str) -> Plan:
        who = self.officer(counter)
        yield now + timedelta(seconds=40), self.command(c.Recall(counter, who))
        yield now + timedelta(seconds=80), self.command(c.Recall(counter, who))
        yield now + timedelta(seconds=120), self.command(c.Skip(counter, who))
        if self.rng.random() < 0.3:  # came back later: put back in line
            number = self.day.tickets[ticket_id].number
            back = now + timedelta(minutes=self.rng.uniform(10, 60))
            self.at(back, self.command(c.Reinstate(counter, who, ticket=number)))
        yield now + timedelta(seconds=125), lambda t: self.free(t, counter)

    def visit(self, now: datetime, counter: str) -> Plan:
        """Start, the SOP steps at about their standard minutes, then the visit's end."""
        rng, who = self.rng, self.officer(counter)
        moment = now + timedelta(seconds=rng.uniform(20, 120))
        ticket = self.day.active_ticket(counter)
        service = self.catalogue.service(ticket.service) if ticket else None
        if service is None:
            yield moment, lambda t: self.free(t, counter)
            return
        yield moment, self.command(c.Start(counter, who))
        if service.attributes and rng.random() < 0.9:
            moment += timedelta(seconds=5)
            attributes = (
                ("jenis_kelamin", rng.choice("LP")),
                ("pendidikan", rng.choice(EDUCATION)),
            )
            yield moment, self.command(c.RecordAttributes(counter, who, attributes=attributes))
        steps = service.steps
        index = 0
        while True:
            step = steps[index]
            moment += timedelta(minutes=step.minutes * rng.lognormvariate(-0.1, 0.35))
            if index == 1 and rng.random() < 0.08:  # missing document: sent home
                reason = rng.choice(service.requirements) if rng.random() < 0.85 else "Berkas rusak"
                yield moment, self.command(c.ReturnIncomplete(counter, who, reason=reason))
                break
            if step.handover and rng.random() < 0.5:
                yield moment, self.command(c.HandOverStep(counter, who))
                moment += timedelta(minutes=step.minutes * rng.uniform(0.5, 2.5))
            if index == 3 and step.repeatable and rng.random() < 0.04:  # "kembali ke langkah 2"
                yield moment, self.command(c.PreviousStep(counter, who, to_step=1))
                index = 1
                continue
            following = index + 1
            if following >= len(steps) or (steps[following].optional and rng.random() < 0.8):
                if service.code.startswith("ak1") and rng.random() < 0.05:
                    yield moment, self.command(c.Transfer(counter, who, to_counter="konseling"))
                    self.at(moment + timedelta(minutes=1), self.counselling)
                else:
                    yield moment, self.command(c.Finish(counter, who))
                break
            yield moment, self.command(c.NextStep(counter, who))
            index = following
        yield moment + timedelta(seconds=rng.uniform(10, 60)), lambda t: self.free(t, counter)

    def counselling(self, now: datetime) -> None:
        """The counselling desk takes the next person sent to it, when it is free."""
        who = self.officer("konseling")
        if now.time() > CLOSING:
            return
        if self.day.active_ticket("konseling") is not None:
            self.at(now + timedelta(minutes=2), self.counselling)
            return
        if not self.run(now, c.CallNext("konseling", who)):
            return
        start = now + timedelta(seconds=60)
        done = start + timedelta(minutes=self.rng.uniform(3, 12))
        self.follow(
            iter(
                [
                    (start, self.command(c.Start("konseling", who))),
                    (done, self.command(c.Finish("konseling", who))),
                ]
            )
        )

    def want_break(self, now: datetime, counter: str, reason: str, minutes: float) -> None:
        who = self.officer(counter)
        if now.time() > CLOSING:
            return
        if self.day.active_ticket(counter) is not None:  # finish the visit first
            self.at(
                now + timedelta(minutes=2), lambda t: self.want_break(t, counter, reason, minutes)
            )
            return
        if self.run(now, c.PauseCounter(counter, who, reason=reason)):
            end = now + timedelta(minutes=minutes * self.rng.uniform(0.8, 1.3))
            self.at(end, lambda t: self.end_break(t, counter))

    def end_break(self, now: datetime, counter: str) -> None:
        self.run(now, c.ResumeCounter(counter, self.officer(counter)))
        if self.catalogue.counter(counter).services:
            self.free(now, counter)


def office_days(count: int, first: date) -> list[date]:
    """`count` weekdays from `first` (Saturday and Sunday closed)."""
    days, day = [], first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def write_history(store: EventStore, catalogue: Catalogue, days: list[date], visits: int) -> int:
    total = 0
    for number, day in enumerate(days):
        events = DaySimulation(catalogue, day, visits, random.Random(number)).play()
        stream = day_stream(catalogue.office_id, day)
        version = store.version(stream)
        batch = [NewEvent(e.type_name, e.to_data()) for e in events]
        for start in range(0, len(batch), 2_000):
            version = store.append(stream, batch[start : start + 2_000], version)
        total += len(batch)
    return total


def timed(action: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return (time.perf_counter() - started) * 1000, result


def report(reader: ReportReader, period: Period, filters: ReportFilters = WHOLE_OFFICE):
    return reader.report(period, filters, until=period.end)


def measure_reports(store: EventStore, catalogue: Catalogue, days: list[date]) -> None:
    semester = Period.semester(2026, 2)
    month = Period.month(2026, 11)
    closed = Period.day(days[len(days) // 2])
    ms, rebuilt = timed(lambda: ReportReader(store, catalogue).rebuild())
    print(f"reports rebuild ({len(rebuilt)} days, every summary from the events): {ms:,.0f} ms")
    officer = ReportFilters(officer="petugas-3")
    for label, period, filters in (
        ("semester", semester, WHOLE_OFFICE),
        ("month", month, WHOLE_OFFICE),
        ("closed day", closed, WHOLE_OFFICE),
        ("semester, one officer", semester, officer),
        ("month, one officer", month, officer),
    ):
        reader = ReportReader(store, catalogue)
        cold, result = timed(lambda p=period, r=reader, f=filters: report(r, p, f))
        warm, _ = timed(lambda p=period, r=reader, f=filters: report(r, p, f))
        print(
            f"{label:>22} report ({period.label}, {result.visits:,} visits): "
            f"cold {cold:,.0f} ms, warm {warm:,.0f} ms"
        )
    # A closed day straight from its events (no summary at all).
    reader = SummaryService(store, catalogue)
    ms, _ = timed(lambda: period_report([reader.register(closed.start)], catalogue, closed))
    print(f"closed day report folded from its events (no summary): {ms:,.0f} ms")


def measure_export(store: EventStore, catalogue: Catalogue, days: list[date]) -> None:
    """The semester's register as the download makes it: rows kept per day, both sheets."""
    semester = Period.semester(2026, 2)
    header = ExportHeader(
        "Dinas Tenaga Kerja Kabupaten Lamongan", semester.label, datetime.now(ZONE)
    )
    reader = ReportReader(store, catalogue)
    for label in ("first", "again"):
        read_ms, tables = timed(lambda: reader.register(semester, WHOLE_OFFICE, semester.end))
        write_ms, data = timed(lambda t=tables: to_xlsx(t, header))  # type: ignore[arg-type]
        visits, steps = tables  # type: ignore[misc]
        print(
            f"semester register XLSX, {label} ({len(visits.rows):,} visits, "
            f"{len(steps.rows):,} step rows, {len(data):,} bytes): "  # type: ignore[arg-type]
            f"read {read_ms:,.0f} ms + write {write_ms:,.0f} ms = {read_ms + write_ms:,.0f} ms"
        )


def measure_call_next(
    store: EventStore, catalogue: Catalogue, calls: int, store_url: str, key_prefix: str
) -> None:
    """call-next on today's day, quiet and with a semester report computed meanwhile."""
    clock = [datetime(2027, 1, 4, 1, 0, tzinfo=UTC)]
    queue = QueueService(store, catalogue, clock=lambda: clock[0])
    for _ in range(10):
        queue.execute(c.IssueTicket("ak1-baru"))

    def latencies(enough: Callable[[], bool] = lambda: True) -> list[float]:
        """At least `calls` call-nexts, and on until `enough` says the other load has run."""
        found: list[float] = []
        while len(found) < calls or not enough():
            queue.execute(c.IssueTicket("ak1-baru"))
            clock[0] += timedelta(seconds=30)
            started = time.perf_counter()
            queue.execute(c.CallNext("1", "petugas-1"))
            found.append((time.perf_counter() - started) * 1000)
            queue.execute(c.Start("1", "petugas-1"))
            queue.execute(c.ReturnIncomplete("1", "petugas-1", reason="KTP"))
        return found

    def summary(values: list[float]) -> str:
        ordered = sorted(values)
        p99 = ordered[max(0, round(0.99 * len(ordered)) - 1)]
        return f"{len(ordered)} calls, p50 {statistics.median(ordered):.1f} ms, p99 {p99:.1f} ms"

    quiet = latencies()
    stop = threading.Event()
    reports = {"hub thread": 0, "worker process": 0}
    semester = Period.semester(2026, 2)

    def keep_reporting(make: Callable[[], object], where: str) -> None:
        while not stop.is_set():
            make()
            reports[where] += 1

    def busy(make: Callable[[], object], where: str) -> list[float]:
        stop.clear()
        thread = threading.Thread(target=keep_reporting, args=(make, where), daemon=True)
        thread.start()
        # Calls go on until three reports are made, so every sample overlaps report work.
        found = latencies(lambda: reports[where] >= 3)
        stop.set()
        thread.join()
        return found

    # As the hub did before the worker: a fresh reader folding in one of its threads.
    in_thread = busy(lambda: report(ReportReader(store, catalogue), semester), "hub thread")
    # As the hub does now: the desk hands each report to its worker process.
    desk = ReportDesk(store, catalogue, store_url=store_url, key_prefix=key_prefix)
    try:
        desk.report(semester, WHOLE_OFFICE, semester.end)  # the worker is up and warm
        # Each report narrowed differently, so most are folded afresh from the summaries.
        narrowings = itertools.cycle(
            ReportFilters(service=s, officer=f"petugas-{n}")
            for n in range(1, 12)
            for s in SERVICE_MIX
        )
        in_worker = busy(
            lambda: desk.report(semester, next(narrowings), semester.end), "worker process"
        )
    finally:
        desk.close()
    print(f"call-next, quiet: {summary(quiet)}")
    print(
        f"call-next while semester reports run in a hub thread ({reports['hub thread']} made): "
        f"{summary(in_thread)}"
    )
    print(
        f"call-next while semester reports run in the report worker "
        f"({reports['worker process']} made): {summary(in_worker)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=130)
    parser.add_argument("--visits", type=int, default=300)
    parser.add_argument("--calls", type=int, default=300, help="call-next samples per phase")
    parser.add_argument("--redis", help="a Redis URL instead of a SQLite file")
    parser.add_argument("--skip-export", action="store_true", help="leave out the XLSX export")
    args = parser.parse_args()
    catalogue = bench_office(load_settings(ROOT / "config.yaml").catalogue())
    days = office_days(args.days, date(2026, 7, 1))
    with tempfile.TemporaryDirectory(prefix="antrian-history-") as folder:
        if args.redis:
            prefix = f"bench-history-{uuid.uuid4().hex[:8]}"
            url = args.redis
            store = open_store(url, key_prefix=prefix)
            where = f"Redis ({prefix})"
        else:
            url, prefix = f"sqlite:///{Path(folder) / 'history.db'}", "antrian"
            store = open_store(url)
            where = "SQLite file"
        try:
            ms, events = timed(lambda: write_history(store, catalogue, days, args.visits))
            print(
                f"history: {len(days)} office days ({days[0]} to {days[-1]}) x {args.visits} "
                f"visits, {events:,} events written to {where} in {ms / 1000:,.1f} s"
            )
            measure_reports(store, catalogue, days)
            if not args.skip_export:
                measure_export(store, catalogue, days)
            measure_call_next(store, catalogue, args.calls, url, prefix)
        finally:
            if args.redis:
                _drop_redis_keys(args.redis, prefix)
            store.close()


def _drop_redis_keys(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)
    client.close()


if __name__ == "__main__":
    main()

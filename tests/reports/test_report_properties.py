"""Random office days folded both ways agree: the report from the stored summaries and the
figures folded straight from the events, on SQLite and on Redis, and after a rebuild.

The reference side uses only the live queue's own fold (`OfficeDay`, `standards`), never
the register or the summaries, so a slip in either shows up as a difference.
"""

from __future__ import annotations

import itertools
import statistics
from collections import Counter as Tally
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.domain import commands as c
from shared.domain.catalogue import VisitAttribute
from shared.domain.errors import QueueError
from shared.domain.events import StepHandedOver
from shared.domain.office_day import OfficeDay, TicketState
from shared.domain.standards import step_records
from shared.reports.exports import register_step_table, register_table
from shared.reports.period import Period, ReportFilters, percentile, period_report
from shared.reports.reader import ReportReader
from shared.reports.register import day_register
from shared.reports.summaries import SummaryService, day_stream
from shared.store.base import NewEvent
from tests.unit.office import Desk, small_office
from tests.unit.test_queue_properties import COUNTERS, weighted

ATTRIBUTES = (
    VisitAttribute("jenis_kelamin", "Jenis kelamin", ("L", "P")),
    VisitAttribute("pendidikan", "Pendidikan", ("SD", "SMA/SMK", "D4/S1")),
)
# Each counter has its officer (now and then another one tries it), so visits get served.
OFFICER_AT = {"1": "ani", "2": "budi", "3": "cici", "konseling": "dedi"}
seat = st.sampled_from(COUNTERS).flatmap(
    lambda k: st.tuples(st.just(k), st.sampled_from([OFFICER_AT[k]] * 9 + ["x"]))
)
numbers = st.builds(lambda p, n: f"{p}-{n:03d}", st.sampled_from("ABC"), st.integers(1, 8))


def at_counter(command, **fields):
    return seat.flatmap(lambda s: st.builds(command, st.just(s[0]), st.just(s[1]), **fields))


attribute_pairs = st.sampled_from(
    [("jenis_kelamin", "L"), ("jenis_kelamin", "P"), ("pendidikan", "SD")]
)
# A working day's mix: mostly issuing, calling, starting, stepping and finishing.
WEIGHTED = (
    [weighted[0]] * 5
    + [at_counter(c.CallNext)] * 5
    + [at_counter(c.Start)] * 4
    + [at_counter(c.NextStep)] * 6
    + [at_counter(c.Finish)] * 3
    + [
        at_counter(c.Skip),
        at_counter(c.Skip),
        at_counter(c.Skip),
        at_counter(c.Recall),
        at_counter(c.ExpireCall),
        at_counter(c.PreviousStep),
        at_counter(c.HandOverStep),
        at_counter(c.ReturnIncomplete, reason=st.sampled_from(["KTP", "AK1 lama", "foto buram"])),
        at_counter(
            c.Transfer,
            to_service=st.sampled_from([None, "id-ctki"]),
            to_counter=st.sampled_from([None, "konseling"]),
        ),
        at_counter(c.CallTicket, ticket=numbers),
        at_counter(c.Reinstate, ticket=numbers),
        at_counter(c.Cancel, ticket=numbers),
        at_counter(c.PauseCounter, reason=st.just("Sholat")),
        at_counter(c.ResumeCounter),
        at_counter(c.CloseCounter),
        st.builds(
            c.Reassign, st.just("kasi"), ticket=numbers, to_counter=st.sampled_from([None, "2"])
        ),
    ]
    + [
        at_counter(
            c.RecordAttributes,
            attributes=st.lists(attribute_pairs, min_size=1, max_size=2).map(tuple),
        )
    ]
    * 2
)


def whole_visit(counter_officer, steps, end, pause):
    """Call, start, walk the steps (minutes apart), then finish, return or transfer."""
    counter, officer = counter_officer
    # The hand-over is refused except at a step marked for it (the signature).
    walk = [(c.NextStep(counter, officer), pause), (c.HandOverStep(counter, officer), 0)] * steps
    return [(c.CallNext(counter, officer), 0), (c.Start(counter, officer), pause), *walk] + [
        (end(counter, officer), pause)
    ]


ENDS = [c.Finish] * 4 + [
    lambda k, o: c.ReturnIncomplete(k, o, reason="KTP"),
    lambda k, o: c.Transfer(k, o, to_counter="konseling"),
]
visit = st.builds(whole_visit, seat, st.integers(0, 12), st.sampled_from(ENDS), st.integers(0, 400))
# Nobody comes to the counter: called, called again, passed over.
no_show = seat.map(lambda s: [(c.CallNext(*s), 0), (c.Recall(*s), 60), (c.Skip(*s), 60)])
# Single commands after a pause of up to 10 minutes, and now and then a whole visit.
single = st.tuples(
    st.sampled_from(range(len(WEIGHTED))).flatmap(WEIGHTED.__getitem__), st.integers(0, 600)
).map(lambda pair: [pair])
step = st.one_of(single, single, single, visit, no_show)
days = st.lists(st.lists(step, min_size=10, max_size=50), min_size=1, max_size=3)
ZONE = ZoneInfo("Asia/Jakarta")
offices = itertools.count()


def catalogue_for(office_id: str):
    office = small_office()
    ak1 = replace(office.services[0], attributes=ATTRIBUTES)
    return replace(office, office_id=office_id, services=(ak1, *office.services[1:]))


def run_day(catalogue, number: int, script) -> tuple[date, list]:
    desk = Desk(catalogue)
    desk.now += timedelta(days=number)
    for commands in script:
        for command, pause in commands:
            desk.tick(pause)
            try:
                desk.run(command)
            except QueueError:
                pass
    # Named by the day it starts (a long script may run past midnight: the fold minds not).
    return date(2026, 11, 23) + timedelta(days=number), desk.log


def write(store, catalogue, day: date, log) -> None:
    stored = [NewEvent(e.type_name, e.to_data()) for e in log]
    if stored:
        store.append(day_stream(catalogue.office_id, day), stored, 0)


# ---- the reference: straight from OfficeDay ---------------------------------------------------


class Reference:
    """Figures folded from the events with the live queue's fold alone."""

    def __init__(self, catalogue) -> None:
        self.catalogue = catalogue
        self.visits = 0
        self.final: Tally[str] = Tally()
        self.by_counter: dict[str, Tally] = {}
        self.waits: list[float] = []
        self.service_minutes: dict[str, list[float]] = {}
        self.step_visits: Tally[tuple[str, int]] = Tally()
        self.step_over: Tally[tuple[str, int]] = Tally()
        self.breaks: Tally[str] = Tally()
        self.returns: Tally[tuple[str, str]] = Tally()
        self.attributes: Tally[tuple[str, str]] = Tally()
        self.arrivals: Tally[tuple[int, int]] = Tally()
        self.handovers: Tally[tuple[str, int]] = Tally()

    def add(self, log) -> None:
        day = OfficeDay()
        handed = set()
        for event in log:
            if isinstance(event, StepHandedOver):
                # Of the service the ticket is in at the time; once per visit, however often
                # (a visit sent on may hand the same step over again at the next desk).
                service = day.tickets[event.ticket_id].service
                handed.add((event.ticket_id, service, event.step + 1))
            day.apply(event)
        # Counted, like the step's time, once the step's stay has ended: a signature still
        # awaited when the day ends is not yet a measured visit of that step.
        self.handovers.update(
            (service, number)
            for ticket_id, service, number in handed
            if any(
                stay.service == service and stay.step == number - 1 and stay.ended_at is not None
                for stay in day.tickets[ticket_id].step_visits
            )
        )
        self.visits += len(day.tickets)
        for t in day.tickets.values():
            self.final[t.state.value] += 1
            local = t.issued_at.astimezone(ZONE)
            self.arrivals[(local.weekday(), local.hour)] += 1
            if t.first_called_at is not None:
                self.waits.append((t.first_called_at - t.issued_at).total_seconds() / 60)
            if t.state is TicketState.RETURNED:
                listed = t.return_reason in self.catalogue.service(t.service).requirements
                self.returns[(t.service, t.return_reason if listed else "")] += 1
            for pair in t.attributes.items():
                self.attributes[pair] += 1
        for counter, tally in day.outcomes_by_counter.items():
            self.by_counter.setdefault(counter, Tally()).update(tally)
        for code, minutes in day.service_minutes_by_service.items():
            self.service_minutes.setdefault(code, []).extend(minutes)
        for record_ in step_records(day, self.catalogue):
            self.step_visits[(record_.service, record_.number)] += record_.visits
            self.step_over[(record_.service, record_.number)] += record_.over_standard
        for pause in day.pauses:
            end = pause.ended_at or day.last_event_at
            self.breaks[pause.counter] += (end - pause.started_at).total_seconds() / 60


def assert_agrees(report, ref: Reference) -> None:
    assert report.visits == ref.visits
    outcomes = {row.outcome: row.count for row in report.outcomes}
    assert outcomes["selesai"] == ref.final["done"]
    assert outcomes["dikembalikan"] == ref.final["returned"]
    assert outcomes["dibatalkan"] == ref.final["cancelled"]
    assert outcomes["terlewat"] == ref.final["skipped"]
    still_open = ref.final["waiting"] + ref.final["called"] + ref.final["serving"]
    assert outcomes["belum selesai"] + outcomes["dialihkan"] == still_open
    for row in report.counters:
        tally = ref.by_counter.get(row.id, Tally())
        assert (row.served, row.returned, row.transferred, row.skipped) == (
            tally["served"],
            tally["returned"],
            tally["transferred"],
            tally["skipped"],
        ), row.id
        assert row.break_minutes == pytest.approx(ref.breaks[row.id])
    assert sum(r.served for r in report.counters) == sum(
        t["served"] for t in ref.by_counter.values()
    )
    waits = sorted(ref.waits)
    assert report.wait.count == len(waits)
    assert report.wait.median == (statistics.median(waits) if waits else None)
    assert report.wait.p90 == percentile(waits, 0.9)
    for row in report.services:
        minutes = sorted(ref.service_minutes.get(row.service, []))
        assert row.service_time.count == len(minutes), row.service
        assert row.service_time.median == (statistics.median(minutes) if minutes else None)
    for row in report.steps:
        assert row.visits == ref.step_visits[(row.service, row.number)], (row.service, row.number)
        assert row.over == ref.step_over[(row.service, row.number)]
        assert row.handed_over == ref.handovers[(row.service, row.number)]
    returns = {(r.service, r.document): r.count for r in report.returns}
    assert sum(returns.values()) == sum(ref.returns.values())
    for (service, document), count in ref.returns.items():
        label = document or "Lainnya (alasan diketik petugas)"
        assert returns[(service, label)] == count
    recorded = Tally()
    for row in report.attributes:
        if row.value:
            recorded[(row.key, row.value)] += row.count
    assert recorded == ref.attributes
    arrivals = {(w, h): n for w, row in enumerate(report.arrivals) for h, n in enumerate(row) if n}
    assert arrivals == dict(ref.arrivals)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(script=days)
def test_reports_from_stored_summaries_agree_with_folding_the_events(store, script):
    catalogue = catalogue_for(f"prop-{next(offices)}")
    ref = Reference(catalogue)
    registers, written = [], []
    for number, day_script in enumerate(script):
        day, log = run_day(catalogue, number, day_script)
        write(store, catalogue, day, log)
        written += [day] if log else []
        ref.add(log)
        registers.append(day_register(log, catalogue, day))
    period = Period.month(2026, 11)

    service = SummaryService(store, catalogue)
    first = period_report(service.summaries(period.start, period.end), catalogue, period)
    assert_agrees(first, ref)
    # The same figures from the registers directly, from summaries read back from the store
    # by another process (no in-memory cache), and after `reports rebuild`.
    assert period_report(registers, catalogue, period) == first
    stored = SummaryService(store, catalogue)
    assert period_report(stored.summaries(period.start, period.end), catalogue, period) == first
    assert stored.rebuild() == written
    rebuilt = SummaryService(store, catalogue).summaries(period.start, period.end)
    assert period_report(rebuilt, catalogue, period) == first
    # The hub's reader merges per-day tallies kept in the store: the same figures, to the
    # last bit, fresh, read back by another reader, and after its own rebuild.
    whole = ReportFilters()
    assert ReportReader(store, catalogue).report(period, whole, date.max) == first
    assert ReportReader(store, catalogue).report(period, whole, date.max) == first
    rebuilding = ReportReader(store, catalogue)
    assert rebuilding.rebuild() == written
    assert rebuilding.report(period, whole, date.max) == first
    # The register sheets kept in the store are the sheets of the rows folded from the events.
    folded_rows = [v for r in registers for v in r.visits]
    assert ReportReader(store, catalogue).register(period, whole, date.max) == sheets(
        folded_rows, catalogue
    )
    # A filter keeps exactly the visits that met that counter, on either path.
    for counter in ("1", "konseling"):
        narrow = ReportFilters(counter=counter)
        narrowed = period_report(rebuilt, catalogue, period, narrow)
        met = sum(1 for r in registers for v in r.visits if counter in v.counters)
        assert narrowed.visits == met
        assert rebuilding.report(period, narrow, date.max) == narrowed
        kept = rebuilding.register(period, narrow, date.max)
        assert kept == sheets([v for v in folded_rows if counter in v.counters], catalogue)


def test_a_day_that_moves_on_is_summarised_again_and_a_closed_day_is_read_back(store):
    catalogue = catalogue_for(f"moving-{next(offices)}")
    desk = Desk(catalogue)
    day = date(2026, 11, 23)
    stream = day_stream(catalogue.office_id, day)
    desk.issue()
    store.append(stream, [NewEvent(e.type_name, e.to_data()) for e in desk.log], 0)
    service = SummaryService(store, catalogue)
    assert len(service.summary(day).visits) == 1
    before = len(desk.log)
    desk.issue("id-ctki")
    new = [NewEvent(e.type_name, e.to_data()) for e in desk.log[before:]]
    store.append(stream, new, store.version(stream))
    assert len(service.summary(day).visits) == 2  # the version moved: made again
    # Another reader finds the stored summary at the current version, without folding.
    other = SummaryService(store, catalogue)
    other._computed = None  # type: ignore[assignment]  # must not be needed
    assert len(other.summary(day).visits) == 2
    assert service.summary(date(2026, 11, 24)) is None
    assert service.office_days() == [day]


def test_a_summary_kept_by_other_code_is_made_again(store):
    catalogue = catalogue_for(f"old-{next(offices)}")
    desk = Desk(catalogue)
    desk.issue()
    day = date(2026, 11, 23)
    stream = day_stream(catalogue.office_id, day)
    store.append(stream, [NewEvent(e.type_name, e.to_data()) for e in desk.log], 0)
    store.save_checkpoint(f"report-summary:{stream}", 1, b"an older format\n{}")
    assert len(SummaryService(store, catalogue).summary(day).visits) == 1
    # ... and replaced in the store, although its version is the same.
    assert not store.load_checkpoint(f"report-summary:{stream}")[1].startswith(b"an older")


def sheets(rows, catalogue):
    return [register_table(rows, catalogue), register_step_table(rows)]


def test_local_times_in_the_register_are_office_time():
    catalogue = catalogue_for("tz")
    desk = Desk(catalogue)
    desk.issue()
    (row,) = day_register(desk.log, catalogue).visits
    assert row.issued_at.utcoffset() == timedelta(hours=7)
    assert row.issued_at.replace(tzinfo=None) == datetime(2026, 11, 23, 8, 0)
    assert row.office_day == date(2026, 11, 23)


def test_a_closed_day_is_reported_and_exported_from_what_is_kept_without_folding(store):
    catalogue = catalogue_for(f"kept-{next(offices)}")
    desk = Desk(catalogue)
    desk.issue()
    desk.issue("id-ctki")
    day = date(2026, 11, 23)
    store.append(
        day_stream(catalogue.office_id, day),
        [NewEvent(e.type_name, e.to_data()) for e in desk.log],
        0,
    )
    period, whole = Period.day(day), ReportFilters()
    first = ReportReader(store, catalogue)
    report, tables = first.report(period, whole, day), first.register(period, whole, day)
    assert report.visits == 2 and [row[1] for row in tables[0].rows] == ["A-001", "C-001"]
    # Another reader (the worker after a restart) reads the kept tally and register rows:
    # folding the events again is not needed.
    other = ReportReader(store, catalogue)
    other.summaries._computed = None  # type: ignore[assignment]  # must not be needed
    assert other.report(period, whole, day) == report
    assert other.register(period, whole, day) == tables


def test_warming_reads_every_kept_day_so_a_narrowed_report_needs_no_store(store):
    catalogue = catalogue_for(f"warm-{next(offices)}")
    days = [date(2026, 11, 23), date(2026, 11, 25)]
    for day in days:
        desk = Desk(catalogue)
        desk.issue()
        events = [NewEvent(e.type_name, e.to_data()) for e in desk.log]
        store.append(day_stream(catalogue.office_id, day), events, 0)
    ReportReader(store, catalogue).rebuild()
    reader = ReportReader(store, catalogue)
    assert reader.warm(date(2026, 11, 1), date(2026, 11, 30)) == 2
    # Warm: a report narrowed to a service reads only versions, never a kept summary.
    reader.summaries._stored = None  # type: ignore[assignment]  # must not be needed
    month = Period.month(2026, 11)
    narrowed = reader.report(month, ReportFilters(service="ak1-baru"), date(2026, 11, 30))
    assert narrowed.visits == 2 and narrowed.days_with_visits == 2


def test_a_damaged_kept_tally_or_register_is_made_again_from_the_events(store):
    from shared.reports.reader import _TAG, register_key, tally_key

    catalogue = catalogue_for(f"damaged-{next(offices)}")
    desk = Desk(catalogue)
    desk.issue()
    day = date(2026, 11, 23)
    stream = day_stream(catalogue.office_id, day)
    store.append(stream, [NewEvent(e.type_name, e.to_data()) for e in desk.log], 0)
    period, whole = Period.day(day), ReportFilters()
    first = ReportReader(store, catalogue)
    report, tables = first.report(period, whole, day), first.register(period, whole, day)
    version = store.version(stream)
    for key in (tally_key(stream), register_key(stream)):
        store.drop_checkpoint(key)
        store.save_checkpoint(key, version, _TAG + b"\x07 half a write")
    again = ReportReader(store, catalogue)
    assert again.report(period, whole, day) == report
    assert again.register(period, whole, day) == tables
    assert store.load_checkpoint(tally_key(stream))[1] != _TAG + b"\x07 half a write"


def test_a_step_handed_over_counts_once_its_stay_has_ended():
    catalogue = catalogue_for(f"handover-{next(offices)}")
    to_signature = [(c.CallNext("1", "ani"), 0), (c.Start("1", "ani"), 30)] + [
        (c.NextStep("1", "ani"), 30),
        (c.HandOverStep("1", "ani"), 0),
    ] * 4
    month = Period.month(2026, 11)

    def signature_step(script):
        day, log = run_day(catalogue, 0, script)
        ref = Reference(catalogue)
        ref.add(log)
        report = period_report([day_register(log, catalogue, day)], catalogue, month)
        assert_agrees(report, ref)
        return next(r for r in report.steps if r.service == "ak1-baru" and r.number == 5)

    issue = [(c.IssueTicket("ak1-baru"), 0)]
    awaited = signature_step([issue, to_signature])  # the day ends before the signature
    assert (awaited.visits, awaited.handed_over) == (0, 0)
    signed = signature_step([issue, to_signature + [(c.Finish("1", "ani"), 60)]])
    assert (signed.visits, signed.handed_over) == (1, 1)

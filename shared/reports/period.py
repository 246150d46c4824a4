"""Period reports: a period's day summaries folded into every figure the Kasi signs off.

Pure: summaries (or registers, summarised on the way) and the catalogue in, a frozen
`PeriodReport` of plain numbers out. Minutes are floats, shares 0..1, None where nothing
was measured. Pages and exports format them (see `indonesian`).
"""

from __future__ import annotations

import math
from collections import Counter as Tally
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from statistics import median
from typing import Protocol

from shared.domain.catalogue import PRIORITY_LABELS, Catalogue, Priority
from shared.reports.indonesian import long_date, month_name
from shared.reports.register import DayRegister, LegOutcome, VisitOutcome
from shared.reports.summaries import OTHER_DOCUMENT, DaySummary, VisitDigest, summarise

# ---- periods ---------------------------------------------------------------------------------


class PeriodKind(StrEnum):
    HARI = "hari"
    MINGGU = "minggu"
    BULAN = "bulan"
    SEMESTER = "semester"
    TAHUN = "tahun"
    RENTANG = "rentang"


class PeriodError(ValueError):
    """A period that cannot be read; the message is in Bahasa Indonesia."""


# A free range longer than this is refused: a report of ten years is a mistake, not a need.
MAX_RANGE_DAYS = 366 * 3


@dataclass(frozen=True)
class Period:
    """A span of office days, both ends included, with its Indonesian label."""

    kind: PeriodKind
    start: date
    end: date

    @classmethod
    def day(cls, day: date) -> Period:
        return cls(PeriodKind.HARI, day, day)

    @classmethod
    def week(cls, day: date) -> Period:
        """The Monday-to-Sunday week holding this day."""
        monday = day - timedelta(days=day.weekday())
        return cls(PeriodKind.MINGGU, monday, monday + timedelta(days=6))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        following = date(year + month // 12, month % 12 + 1, 1)
        return cls(PeriodKind.BULAN, date(year, month, 1), following - timedelta(days=1))

    @classmethod
    def semester(cls, year: int, half: int) -> Period:
        """Semester I: January-June; Semester II: July-December."""
        if half == 1:
            return cls(PeriodKind.SEMESTER, date(year, 1, 1), date(year, 6, 30))
        return cls(PeriodKind.SEMESTER, date(year, 7, 1), date(year, 12, 31))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(PeriodKind.TAHUN, date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def range(cls, start: date, end: date) -> Period:
        if end < start:
            raise PeriodError("Tanggal akhir tidak boleh sebelum tanggal awal.")
        if (end - start).days + 1 > MAX_RANGE_DAYS:
            raise PeriodError(f"Rentang paling panjang {MAX_RANGE_DAYS} hari.")
        return cls(PeriodKind.RENTANG, start, end)

    @classmethod
    def parse(cls, kind: str, value: str, end: str | None = None) -> Period:
        """A period from a picker's values.

        hari "2026-11-23"; minggu any day of it "2026-11-23"; bulan "2026-11";
        semester "2026-2" (or "2026-II"); tahun "2026"; rentang "2026-10-01" with end.
        """
        try:
            match PeriodKind(kind):
                case PeriodKind.HARI:
                    return cls.day(date.fromisoformat(value))
                case PeriodKind.MINGGU:
                    return cls.week(date.fromisoformat(value))
                case PeriodKind.BULAN:
                    year, month = value.split("-")
                    return cls.month(_year(year), int(month))
                case PeriodKind.SEMESTER:
                    year, half = value.split("-")
                    number = {"1": 1, "I": 1, "2": 2, "II": 2}[half.upper()]
                    return cls.semester(_year(year), number)
                case PeriodKind.TAHUN:
                    return cls.year(_year(value))
                case PeriodKind.RENTANG:
                    if end is None:
                        raise PeriodError("Rentang bebas perlu tanggal awal dan akhir.")
                    return cls.range(date.fromisoformat(value), date.fromisoformat(end))
        except PeriodError:
            raise
        except (ValueError, KeyError):
            pass
        raise PeriodError("Periode tidak dikenali; pilih lagi dari daftar.")

    @property
    def label(self) -> str:
        """ "Semester II 2026", "November 2026", "23 November 2026", ..."""
        match self.kind:
            case PeriodKind.HARI:
                return long_date(self.start)
            case PeriodKind.MINGGU:
                return f"Minggu {long_date(self.start)} - {long_date(self.end)}"
            case PeriodKind.BULAN:
                return month_name(self.start.year, self.start.month)
            case PeriodKind.SEMESTER:
                return f"Semester {'I' if self.start.month == 1 else 'II'} {self.start.year}"
            case PeriodKind.TAHUN:
                return f"Tahun {self.start.year}"
        return f"{long_date(self.start)} - {long_date(self.end)}"

    @property
    def key(self) -> str:
        """A short machine name for file names: "2026-11", "2026-S2", "2026-10-01_2026-11-15"."""
        match self.kind:
            case PeriodKind.HARI:
                return self.start.isoformat()
            case PeriodKind.BULAN:
                return f"{self.start:%Y-%m}"
            case PeriodKind.SEMESTER:
                return f"{self.start.year}-S{1 if self.start.month == 1 else 2}"
            case PeriodKind.TAHUN:
                return str(self.start.year)
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def _year(text: str) -> int:
    year = int(text)
    if not 2000 <= year <= 2100:
        raise ValueError(year)
    return year


class _Stay(Protocol):
    @property
    def counter(self) -> str: ...
    @property
    def officer(self) -> str: ...


class Visited(Protocol):
    """What a filter reads of a visit: a digest, a register row, a kept register sheet's key."""

    @property
    def service(self) -> str: ...
    @property
    def legs(self) -> Sequence[_Stay]: ...


@dataclass(frozen=True)
class ReportFilters:
    """Narrow a report to one service, counter or officer (None: all)."""

    service: str | None = None
    counter: str | None = None
    officer: str | None = None

    def keeps(self, visit: Visited) -> bool:
        """A visit (digest, register row) of this service that met this counter and officer."""
        if self.service is not None and visit.service != self.service:
            return False
        if self.counter is not None and all(g.counter != self.counter for g in visit.legs):
            return False
        if self.officer is not None and all(g.officer != self.officer for g in visit.legs):
            return False
        return True

    def keeps_leg(self, counter: str, officer: str) -> bool:
        return (self.counter is None or counter == self.counter) and (
            self.officer is None or officer == self.officer
        )


# ---- what a report holds ---------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    """Minutes measured against a standard: how many, median, p90, share within."""

    count: int
    median: float | None
    p90: float | None
    standard: float | None
    within: int
    within_share: float | None


@dataclass(frozen=True)
class DayVolume:
    day: date
    visits: int
    served: int
    returned: int
    transferred: int
    skipped: int
    cancelled: int
    open: int


@dataclass(frozen=True)
class OutcomeRow:
    """Visits by how they ended. "dialihkan" counts visits transferred at least once, which
    also appear under how they ended, so its share is of all visits, not a slice of them."""

    outcome: str
    label: str
    count: int
    share: float | None


@dataclass(frozen=True)
class ServiceRow:
    """One service (month None: the whole period; else "2026-11"): volumes and times."""

    service: str
    name: str
    month: str | None
    visits: int
    served: int
    returned: int
    wait: Spread
    service_time: Spread


@dataclass(frozen=True)
class StepRow:
    service: str
    service_name: str
    number: int
    name: str
    actor: str
    standard_minutes: float
    visits: int
    median: float | None
    p90: float | None
    over: int
    over_share: float | None
    handed_over: int
    # Among the steps that most often run over their standard (see OFTEN_OVER_*).
    often_over: bool


@dataclass(frozen=True)
class ReturnRow:
    service: str
    service_name: str
    # The requirement as the service lists it; "Lainnya" for what an officer typed.
    document: str
    count: int
    share: float | None  # of all returns in the report


@dataclass(frozen=True)
class StaffRow:
    """One officer or counter over the period."""

    id: str
    name: str
    served: int
    returned: int
    transferred: int
    skipped: int
    service_time: Spread  # of visits it finished, against each visit's service standard
    break_minutes: float


@dataclass(frozen=True)
class PriorityRow:
    priority: str  # "" for visits without priority
    label: str
    visits: int
    wait: Spread


@dataclass(frozen=True)
class AttributeRow:
    service: str
    service_name: str
    key: str
    label: str
    value: str  # "" for visits where it was not recorded
    count: int
    share: float | None  # of the service's visits in the report


@dataclass(frozen=True)
class PeriodReport:
    office_id: str
    period: Period
    filters: ReportFilters
    visits: int
    days_with_visits: int
    waiting_standard_minutes: float
    per_day: tuple[DayVolume, ...]
    # arrivals[weekday][hour]: tickets issued, weekday 0 = Senin, hour in office time.
    arrivals: tuple[tuple[int, ...], ...]
    outcomes: tuple[OutcomeRow, ...]
    wait: Spread
    service_time: Spread  # of served visits, each against its own service's standard
    services: tuple[ServiceRow, ...]  # per service over the period
    services_by_month: tuple[ServiceRow, ...]
    steps: tuple[StepRow, ...]
    returns: tuple[ReturnRow, ...]
    officers: tuple[StaffRow, ...]
    counters: tuple[StaffRow, ...]
    priorities: tuple[PriorityRow, ...]
    attributes: tuple[AttributeRow, ...] = field(default=())


OUTCOME_LABELS = {
    VisitOutcome.SELESAI: "Selesai dilayani",
    VisitOutcome.DIKEMBALIKAN: "Dikembalikan (berkas tidak lengkap)",
    VisitOutcome.TERLEWAT: "Terlewat (tidak hadir saat dipanggil)",
    VisitOutcome.DIBATALKAN: "Dibatalkan",
    VisitOutcome.DIALIHKAN: "Dialihkan, belum dilayani",
    VisitOutcome.BELUM_SELESAI: "Belum selesai",
}
TRANSFERRED_ROW = "pernah dialihkan"
OTHER_DOCUMENT_LABEL = "Lainnya (alasan diketik petugas)"
# A step is marked "often over" when it is among the OFTEN_OVER_TOP steps with the highest
# share of visits over its standard, that share is at least OFTEN_OVER_SHARE, and it was
# measured at least OFTEN_OVER_MIN_VISITS times (one slow visit says little).
OFTEN_OVER_TOP = 3
OFTEN_OVER_SHARE = 0.25
OFTEN_OVER_MIN_VISITS = 3


def percentile(sorted_values: Sequence[float], fraction: float) -> float | None:
    """Nearest-rank percentile of already sorted values (p90: fraction 0.9)."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def spread(values: Iterable[float], standard: float | None) -> Spread:
    """Count, median, p90 and share within one standard for all values."""
    ordered = sorted(values)
    within = sum(1 for v in ordered if standard is not None and v <= standard)
    return Spread(
        count=len(ordered),
        median=median(ordered) if ordered else None,
        p90=percentile(ordered, 0.9),
        standard=standard,
        within=within,
        within_share=within / len(ordered) if ordered and standard is not None else None,
    )


def _spread_each(pairs: Sequence[tuple[float, float]]) -> Spread:
    """Minutes each against its own standard (visits of several services)."""
    ordered = sorted(m for m, _ in pairs)
    within = sum(1 for m, s in pairs if m <= s)
    return Spread(
        count=len(ordered),
        median=median(ordered) if ordered else None,
        p90=percentile(ordered, 0.9),
        standard=None,
        within=within,
        within_share=within / len(ordered) if ordered else None,
    )


# ---- the fold --------------------------------------------------------------------------------


def period_report(
    days: Iterable[DaySummary | DayRegister],
    catalogue: Catalogue,
    period: Period,
    filters: ReportFilters | None = None,
) -> PeriodReport:
    """Every figure of the period, from its days' summaries (or registers).

    Days outside the period are left out; visits are kept by `filters`.
    """
    filters = filters or ReportFilters()
    summaries = [d if isinstance(d, DaySummary) else summarise(d) for d in days]
    summaries = sorted((s for s in summaries if period.contains(s.office_day)), key=_day)
    tallies = [day_tally(summary, catalogue, filters) for summary in summaries]
    return report_from_tallies(tallies, catalogue, period, filters)


def day_tally(summary: DaySummary, catalogue: Catalogue, filters: ReportFilters) -> PeriodTally:
    """One day's tally. Every report is a merge of these, so that a report from the tallies
    kept in the store equals one folded from the events to the last bit (sums of minutes
    are added per day, then day by day)."""
    tally = PeriodTally(catalogue, filters)
    tally.add_day(summary)
    return tally


def report_from_tallies(
    tallies: Iterable[PeriodTally], catalogue: Catalogue, period: Period, filters: ReportFilters
) -> PeriodReport:
    """The same report as `period_report`, from per-day tallies made with the same filters.

    Merging a day's tally costs a few list extensions, not a pass over its visits: this is
    how a semester is reported in well under a second (bench/history.py).
    """
    total = PeriodTally(catalogue, filters)
    for tally in sorted(tallies, key=lambda t: t.first_day or date.min):
        if tally.first_day is not None and period.contains(tally.first_day):
            total.merge(tally)
    return total.report(catalogue.office_id, period)


def _day(summary: DaySummary) -> date:
    return summary.office_day


class PeriodTally:
    """Running tallies over a period's visits; `report` turns them into rows.

    Tallies of consecutive days merge into the tally of them all (`merge`), with exactly the
    figures one pass over every visit would give: lists are sorted only in `report`, and
    sums are added in day order. One day's tally is kept in the store (see `tally_codec`).
    """

    def __init__(self, catalogue: Catalogue, filters: ReportFilters) -> None:
        self.catalogue = catalogue
        self.filters = filters
        self.first_day: date | None = None  # of the days added (a day's tally: its day)
        self.standards = {s.code: s.total_minutes for s in catalogue.services}
        self.attribute_keys = {s.code: [a.key for a in s.attributes] for s in catalogue.services}
        self.wait_standard = catalogue.call_rules.waiting_standard_minutes
        self.visits = 0
        self.per_day: list[DayVolume] = []
        self.arrivals = [[0] * 24 for _ in range(7)]
        self.outcomes: Tally[VisitOutcome] = Tally()
        self.transferred = 0
        self.waits: list[float] = []
        self.served_times: list[tuple[float, float]] = []
        # (service, month or None) -> lists
        self.service_visits: Tally[tuple[str, str | None]] = Tally()
        self.service_outcomes: Tally[tuple[str, str | None, VisitOutcome]] = Tally()
        self.service_waits: dict[tuple[str, str | None], list[float]] = defaultdict(list)
        self.service_times: dict[tuple[str, str | None], list[float]] = defaultdict(list)
        self.steps: dict[tuple[str, int], list[float]] = defaultdict(list)
        self.step_handovers: Tally[tuple[str, int]] = Tally()
        self.returns: Tally[tuple[str, str]] = Tally()
        self.staff: dict[str, dict[str, _StaffTally]] = {"officer": {}, "counter": {}}
        self.priority_visits: Tally[str] = Tally()
        self.priority_waits: dict[str, list[float]] = defaultdict(list)
        self.attribute_values: Tally[tuple[str, str, str]] = Tally()

    def add_day(self, summary: DaySummary) -> None:
        if self.first_day is None:
            self.first_day = summary.office_day
        month = f"{summary.office_day:%Y-%m}"
        day_outcomes: Tally[VisitOutcome] = Tally()
        day_transferred = 0
        kept = 0
        for visit in summary.visits:
            if not self.filters.keeps(visit):
                continue
            kept += 1
            day_outcomes[visit.outcome] += 1
            day_transferred += visit.transferred
            self._add_visit(visit, month)
        self.visits += kept
        if kept:
            self.per_day.append(
                DayVolume(
                    day=summary.office_day,
                    visits=kept,
                    served=day_outcomes[VisitOutcome.SELESAI],
                    returned=day_outcomes[VisitOutcome.DIKEMBALIKAN],
                    transferred=day_transferred,
                    skipped=day_outcomes[VisitOutcome.TERLEWAT],
                    cancelled=day_outcomes[VisitOutcome.DIBATALKAN],
                    open=day_outcomes[VisitOutcome.BELUM_SELESAI]
                    + day_outcomes[VisitOutcome.DIALIHKAN],
                )
            )
        for pause in summary.breaks:
            if self.filters.keeps_leg(pause.counter, pause.officer):
                self._staff("officer", pause.officer).break_minutes += pause.minutes
                self._staff("counter", pause.counter).break_minutes += pause.minutes

    def _add_visit(self, v: VisitDigest, month: str) -> None:
        self.arrivals[v.weekday][v.hour] += 1
        self.outcomes[v.outcome] += 1
        self.transferred += v.transferred
        standard = self.standards.get(v.service)
        for scope in (None, month):
            key = (v.service, scope)
            self.service_visits[key] += 1
            self.service_outcomes[(v.service, scope, v.outcome)] += 1
            if v.wait_minutes is not None:
                self.service_waits[key].append(v.wait_minutes)
            if v.service_minutes is not None:
                self.service_times[key].append(v.service_minutes)
        if v.wait_minutes is not None:
            self.waits.append(v.wait_minutes)
        if v.service_minutes is not None and standard is not None:
            self.served_times.append((v.service_minutes, standard))
        for step in v.steps:
            self.steps[(step.service, step.number)].append(step.minutes)
            self.step_handovers[(step.service, step.number)] += step.handed_over
        if v.missing_document is not None:
            self.returns[(v.service, v.missing_document)] += 1
        priority = v.priority or ""
        self.priority_visits[priority] += 1
        if v.wait_minutes is not None:
            self.priority_waits[priority].append(v.wait_minutes)
        keys = self.attribute_keys.get(v.service)
        if keys:
            recorded = dict(v.attributes)
            for name in keys:
                self.attribute_values[(v.service, name, recorded.get(name, ""))] += 1
        for leg in v.legs:
            if self.filters.keeps_leg(leg.counter, leg.officer):
                for kind, who in (("officer", leg.officer), ("counter", leg.counter)):
                    self._staff(kind, who).add(leg.outcome, leg.service_minutes, standard)

    def _staff(self, kind: str, key: str) -> _StaffTally:
        return self.staff[kind].setdefault(key, _StaffTally())

    def merge(self, other: PeriodTally) -> None:
        """Add the tally of later days (other is left as it was)."""
        if self.first_day is None:
            self.first_day = other.first_day
        self.visits += other.visits
        self.per_day.extend(other.per_day)
        for mine, hours in zip(self.arrivals, other.arrivals, strict=True):
            for hour, count in enumerate(hours):
                mine[hour] += count
        self.transferred += other.transferred
        self.waits.extend(other.waits)
        self.served_times.extend(other.served_times)
        for counts, more in (
            (self.outcomes, other.outcomes),
            (self.service_visits, other.service_visits),
            (self.service_outcomes, other.service_outcomes),
            (self.step_handovers, other.step_handovers),
            (self.returns, other.returns),
            (self.priority_visits, other.priority_visits),
            (self.attribute_values, other.attribute_values),
        ):
            for key, count in more.items():
                counts[key] += count  # type: ignore[index]
        for lists, more_lists in (
            (self.service_waits, other.service_waits),
            (self.service_times, other.service_times),
            (self.steps, other.steps),
            (self.priority_waits, other.priority_waits),
        ):
            for key, values in more_lists.items():
                lists[key].extend(values)  # type: ignore[index]
        for kind, tallies in other.staff.items():
            for key, theirs in tallies.items():
                self._staff(kind, key).merge(theirs)

    def report(self, office_id: str, period: Period) -> PeriodReport:
        visits = self.visits
        return PeriodReport(
            office_id=office_id,
            period=period,
            filters=self.filters,
            visits=visits,
            days_with_visits=len(self.per_day),
            waiting_standard_minutes=self.wait_standard,
            per_day=tuple(self.per_day),
            arrivals=tuple(tuple(row) for row in self.arrivals),
            outcomes=self._outcome_rows(),
            wait=spread(self.waits, self.wait_standard),
            service_time=_spread_each(self.served_times),
            services=self._service_rows(monthly=False),
            services_by_month=self._service_rows(monthly=True),
            steps=self._step_rows(),
            returns=self._return_rows(),
            officers=self._staff_rows("officer"),
            counters=self._staff_rows("counter"),
            priorities=self._priority_rows(),
            attributes=self._attribute_rows(),
        )

    def _outcome_rows(self) -> tuple[OutcomeRow, ...]:
        rows = [
            OutcomeRow(o.value, label, self.outcomes[o], _share(self.outcomes[o], self.visits))
            for o, label in OUTCOME_LABELS.items()
        ]
        rows.append(
            OutcomeRow(
                TRANSFERRED_ROW,
                "Pernah dialihkan (juga dihitung menurut hasil akhirnya)",
                self.transferred,
                _share(self.transferred, self.visits),
            )
        )
        return tuple(rows)

    def _service_rows(self, *, monthly: bool) -> tuple[ServiceRow, ...]:
        keys = sorted(
            (k for k in self.service_visits if (k[1] is not None) == monthly),
            key=lambda k: (k[1] or "", self._service_order(k[0])),
        )
        rows = []
        for code, month in keys:
            service = self.catalogue.service(code)
            rows.append(
                ServiceRow(
                    service=code,
                    name=service.name if service else code,
                    month=month,
                    visits=self.service_visits[(code, month)],
                    served=self.service_outcomes[(code, month, VisitOutcome.SELESAI)],
                    returned=self.service_outcomes[(code, month, VisitOutcome.DIKEMBALIKAN)],
                    wait=spread(self.service_waits.get((code, month), ()), self.wait_standard),
                    service_time=spread(
                        self.service_times.get((code, month), ()),
                        service.total_minutes if service else None,
                    ),
                )
            )
        return tuple(rows)

    def _service_order(self, code: str) -> int:
        codes = [s.code for s in self.catalogue.services]
        return codes.index(code) if code in codes else len(codes)

    def _step_rows(self) -> tuple[StepRow, ...]:
        rows = []
        for service in self.catalogue.services:
            for index, step in enumerate(service.steps):
                key = (service.code, index + 1)
                values = sorted(self.steps.get(key, ()))
                over = sum(1 for m in values if m > step.minutes)
                rows.append(
                    StepRow(
                        service=service.code,
                        service_name=service.name,
                        number=index + 1,
                        name=step.name,
                        actor=step.actor,
                        standard_minutes=step.minutes,
                        visits=len(values),
                        median=median(values) if values else None,
                        p90=percentile(values, 0.9),
                        over=over,
                        over_share=_share(over, len(values)),
                        handed_over=self.step_handovers[key],
                        often_over=False,
                    )
                )
        candidates = [
            r
            for r in rows
            if r.visits >= OFTEN_OVER_MIN_VISITS and (r.over_share or 0) >= OFTEN_OVER_SHARE
        ]
        worst = sorted(candidates, key=lambda r: (-(r.over_share or 0), -r.over))[:OFTEN_OVER_TOP]
        marked = {(r.service, r.number) for r in worst}
        return tuple(_replace_often(r) if (r.service, r.number) in marked else r for r in rows)

    def _return_rows(self) -> tuple[ReturnRow, ...]:
        total = sum(self.returns.values())
        rows = []
        for (code, document), count in self.returns.most_common():
            service = self.catalogue.service(code)
            rows.append(
                ReturnRow(
                    service=code,
                    service_name=service.name if service else code,
                    document=OTHER_DOCUMENT_LABEL if document == OTHER_DOCUMENT else document,
                    count=count,
                    share=_share(count, total),
                )
            )
        # Most often forgotten first; ties in the services' order, then by name.
        rows.sort(key=lambda r: (-r.count, self._service_order(r.service), r.document))
        return tuple(rows)

    def _staff_rows(self, kind: str) -> tuple[StaffRow, ...]:
        rows = []
        for key, tally in self.staff[kind].items():
            name = key
            if kind == "counter":
                counter = self.catalogue.counter(key)
                name = counter.name if counter else key
            rows.append(tally.row(key, name))
        return tuple(sorted(rows, key=lambda r: (-r.served, r.name, r.id)))

    def _priority_rows(self) -> tuple[PriorityRow, ...]:
        rows = []
        for kind in ["", *(p.value for p in Priority)]:
            if not self.priority_visits[kind]:
                continue
            label = PRIORITY_LABELS[Priority(kind)] if kind else "Tanpa prioritas"
            rows.append(
                PriorityRow(
                    priority=kind,
                    label=label,
                    visits=self.priority_visits[kind],
                    wait=spread(self.priority_waits.get(kind, ()), self.wait_standard),
                )
            )
        return tuple(rows)

    def _attribute_rows(self) -> tuple[AttributeRow, ...]:
        rows = []
        for service in self.catalogue.services:
            visits = self.service_visits[(service.code, None)]
            if not visits:
                continue
            for attribute in service.attributes:
                for value in [*attribute.choices, ""]:
                    count = self.attribute_values[(service.code, attribute.key, value)]
                    rows.append(
                        AttributeRow(
                            service=service.code,
                            service_name=service.name,
                            key=attribute.key,
                            label=attribute.label,
                            value=value,
                            count=count,
                            share=_share(count, visits),
                        )
                    )
        return tuple(rows)


@dataclass
class _StaffTally:
    served: int = 0
    returned: int = 0
    transferred: int = 0
    skipped: int = 0
    times: list[tuple[float, float]] = field(default_factory=list)
    break_minutes: float = 0.0

    def add(self, outcome: LegOutcome, minutes: float | None, standard: float | None) -> None:
        if outcome is LegOutcome.SELESAI:
            self.served += 1
            if minutes is not None and standard is not None:
                self.times.append((minutes, standard))
        elif outcome is LegOutcome.DIKEMBALIKAN:
            self.returned += 1
        elif outcome is LegOutcome.DIALIHKAN:
            self.transferred += 1
        elif outcome is LegOutcome.TERLEWAT:
            self.skipped += 1

    def merge(self, other: _StaffTally) -> None:
        self.served += other.served
        self.returned += other.returned
        self.transferred += other.transferred
        self.skipped += other.skipped
        self.times.extend(other.times)
        self.break_minutes += other.break_minutes

    def row(self, key: str, name: str) -> StaffRow:
        return StaffRow(
            id=key,
            name=name,
            served=self.served,
            returned=self.returned,
            transferred=self.transferred,
            skipped=self.skipped,
            service_time=_spread_each(self.times),
            break_minutes=self.break_minutes,
        )


def _replace_often(row: StepRow) -> StepRow:
    return replace(row, often_over=True)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def made_at_label(moment: datetime) -> str:
    """ "2 Desember 2026 pukul 14.05" for a report's header."""
    return f"{long_date(moment.date())} pukul {moment:%H.%M}"

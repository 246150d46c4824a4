"""A small digest of one office day's register, and where it is kept.

A `DaySummary` holds, per visit, only what a period report counts (service, outcome, hour,
minutes, legs, steps, attributes: no times of day, no free text) and the counters' breaks.
It is JSON, kept beside the day's stream as a checkpoint under `report-summary:<stream>`
tagged with the stream's version: a day that moved on (today) is summarised again, a
closed day once. It is only a shortcut: `antrian reports rebuild` drops and recomputes
every one, and the property tests check it against folding the events.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from shared.domain import office_day as office_day_module
from shared.domain.catalogue import Catalogue
from shared.reports import register as register_module
from shared.reports.bulk import no_collection
from shared.reports.register import (
    DayRegister,
    LegOutcome,
    VisitOutcome,
    day_register,
    domain_events,
)
from shared.store.base import EventStore

log = logging.getLogger(__name__)

# What a return for a reason not among the service's requirements is counted as: what an
# officer typed stays in the staff register, never in a report.
OTHER_DOCUMENT = ""


@dataclass(frozen=True, slots=True)
class LegDigest:
    counter: str
    officer: str
    outcome: LegOutcome
    service_minutes: float | None


@dataclass(frozen=True, slots=True)
class StepDigest:
    service: str
    number: int  # 1-based
    minutes: float
    handed_over: bool


@dataclass(frozen=True, slots=True)
class VisitDigest:
    """What a period report needs of one visit."""

    service: str
    priority: str | None
    outcome: VisitOutcome
    transferred: bool
    weekday: int  # of issue, 0 = Monday
    hour: int  # of issue, office time
    wait_minutes: float | None
    service_minutes: float | None  # only for a served visit ("selesai")
    missing_document: str | None  # a listed requirement, OTHER_DOCUMENT, or None
    legs: tuple[LegDigest, ...]
    steps: tuple[StepDigest, ...]
    attributes: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class BreakDigest:
    counter: str
    officer: str
    minutes: float


@dataclass(frozen=True)
class DaySummary:
    """One office day, as period reports count it."""

    office_day: date
    version: int  # of the day's stream when summarised
    visits: tuple[VisitDigest, ...]
    breaks: tuple[BreakDigest, ...]


def summarise(register: DayRegister, version: int = 0) -> DaySummary:
    """The digest of one day's register (pure)."""
    visits = []
    for row in register.visits:
        missing = None
        if row.outcome is VisitOutcome.DIKEMBALIKAN:
            listed = row.missing_document_listed and row.missing_document
            missing = row.missing_document if listed else OTHER_DOCUMENT
        served = row.outcome is VisitOutcome.SELESAI
        visits.append(
            VisitDigest(
                service=row.service,
                priority=row.priority,
                outcome=row.outcome,
                transferred=bool(row.transferred_to),
                weekday=row.issued_at.weekday(),
                hour=row.issued_at.hour,
                wait_minutes=row.wait_minutes,
                service_minutes=row.service_minutes if served else None,
                missing_document=missing,
                legs=tuple(
                    LegDigest(g.counter, g.officer, g.outcome, g.service_minutes) for g in row.legs
                ),
                steps=tuple(
                    StepDigest(s.service, s.number, s.minutes, s.handed_over) for s in row.steps
                ),
                attributes=row.attributes,
            )
        )
    breaks = tuple(BreakDigest(b.counter, b.officer, b.minutes) for b in register.breaks)
    return DaySummary(register.office_day, version, tuple(visits), breaks)


# ---- JSON: lists, not objects, so a semester of 40,000 visits stays a few MB ----------------


def to_json(summary: DaySummary) -> bytes:
    """The summary as compact JSON bytes."""
    data = {
        "day": summary.office_day.isoformat(),
        "version": summary.version,
        "visits": [
            [
                v.service,
                v.priority,
                v.outcome.value,
                v.transferred,
                v.weekday,
                v.hour,
                v.wait_minutes,
                v.service_minutes,
                v.missing_document,
                [[g.counter, g.officer, g.outcome.value, g.service_minutes] for g in v.legs],
                [[s.service, s.number, s.minutes, s.handed_over] for s in v.steps],
                [list(a) for a in v.attributes],
            ]
            for v in summary.visits
        ],
        "breaks": [[b.counter, b.officer, b.minutes] for b in summary.breaks],
    }
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


_OUTCOMES = {o.value: o for o in VisitOutcome}
_LEG_OUTCOMES = {o.value: o for o in LegOutcome}


def from_json(data: bytes) -> DaySummary:
    """The summary from `to_json`'s bytes."""
    with no_collection():
        return _decoded(data)


def _decoded(data: bytes) -> DaySummary:
    raw: dict[str, Any] = json.loads(data)
    visits = tuple(
        VisitDigest(
            service,
            priority,
            _OUTCOMES[outcome],
            transferred,
            weekday,
            hour,
            wait,
            minutes,
            missing,
            tuple(LegDigest(c, o, _LEG_OUTCOMES[r], m) for c, o, r, m in legs),
            tuple(StepDigest(s, n, m, h) for s, n, m, h in steps),
            tuple((k, v) for k, v in attributes),
        )
        for (
            service,
            priority,
            outcome,
            transferred,
            weekday,
            hour,
            wait,
            minutes,
            missing,
            legs,
            steps,
            attributes,
        ) in raw["visits"]
    )
    breaks = tuple(BreakDigest(c, o, m) for c, o, m in raw["breaks"])
    return DaySummary(date.fromisoformat(raw["day"]), raw["version"], visits, breaks)


# ---- where summaries live --------------------------------------------------------------------

# Summaries made by another version of the folding code are made again.
_FORMAT = hashlib.sha256(
    b"".join(Path(m.__file__ or "").read_bytes() for m in (register_module, office_day_module))
    + Path(__file__).read_bytes()
).hexdigest()[:16]
_TAG = _FORMAT.encode() + b"\n"


def summary_key(stream: str) -> str:
    """The checkpoint key a day stream's summary is kept under."""
    return f"report-summary:{stream}"


def day_stream(office_id: str, day: date) -> str:
    """The event stream of one office day (as the queue service names it)."""
    return f"office:{office_id}:day:{day.isoformat()}"


def days_between(start: date, end: date) -> Iterator[date]:
    """Every date from start to end, both included."""
    for offset in range((end - start).days + 1):
        yield start + timedelta(days=offset)


class SummaryService:
    """Per-day summaries of one office, from the store, kept fresh against the day's version.

    A small in-process cache holds the latest summaries read (closed days do not change),
    so a second report of the same period reads nothing but versions.
    """

    # About three semesters of digests (some 40 MB each at 300 visits a day).
    CACHE_DAYS = 400

    def __init__(self, store: EventStore, catalogue: Catalogue) -> None:
        self.store = store
        self.catalogue = catalogue
        self._cache: OrderedDict[str, DaySummary] = OrderedDict()
        # Told of every day folded from its events, so what else is made of the same fold
        # (the register's sheets) is kept without a second pass.
        self.on_fold: Callable[[str, int, DayRegister], None] | None = None
        self._lock = threading.Lock()

    def stream(self, day: date) -> str:
        return day_stream(self.catalogue.office_id, day)

    def register(self, day: date) -> DayRegister:
        """The day's register, folded from its stored events (no cache)."""
        stored = self.store.read(self.stream(day))
        return day_register(domain_events(stored), self.catalogue, day)

    def summary(self, day: date) -> DaySummary | None:
        """The day's summary at its current version; None for a day with no events."""
        stream = self.stream(day)
        version = self.store.version(stream)
        if version == 0:
            return None
        with self._lock:
            cached = self._cache.get(stream)
            if cached is not None and cached.version == version:
                self._cache.move_to_end(stream)
                return cached
        summary = self._stored(stream, version) or self._computed(day, stream)
        with self._lock:
            self._cache[stream] = summary
            self._cache.move_to_end(stream)
            while len(self._cache) > self.CACHE_DAYS:
                self._cache.popitem(last=False)
        return summary

    def summaries(self, start: date, end: date) -> list[DaySummary]:
        """Every day with events between start and end (both included), oldest first."""
        found = (self.summary(day) for day in days_between(start, end))
        return [s for s in found if s is not None]

    def office_days(self, start: date | None = None, end: date | None = None) -> list[date]:
        """The days of this office with events, oldest first, within start..end if given."""
        prefix = day_stream(self.catalogue.office_id, date.min).removesuffix(date.min.isoformat())
        days = []
        for stream in self.store.streams(prefix):
            try:
                day = date.fromisoformat(stream.removeprefix(prefix))
            except ValueError:
                continue  # not a day stream
            if (start is None or day >= start) and (end is None or day <= end):
                days.append(day)
        return days

    def rebuild(self, start: date | None = None, end: date | None = None) -> list[date]:
        """Drop and recompute every summary (within start..end if given); the days made."""
        with self._lock:
            self._cache.clear()
        days = self.office_days(start, end)
        for day in days:
            self._computed(day, self.stream(day))
        return days

    def _stored(self, stream: str, version: int) -> DaySummary | None:
        found = self.store.load_checkpoint(summary_key(stream))
        if found is None or found[0] != version or not found[1].startswith(_TAG):
            return None
        try:
            summary = from_json(found[1][len(_TAG) :])
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("report summary of %s unreadable, made again: %s", stream, exc)
            return None
        return summary if summary.version == version else None

    def refold(self, day: date) -> DaySummary:
        """Fold the day's events again and keep the summary (and tell `on_fold`)."""
        return self._computed(day, self.stream(day))

    def _computed(self, day: date, stream: str) -> DaySummary:
        stored = self.store.read(stream)
        version = stored[-1].version if stored else 0
        register = day_register(domain_events(stored), self.catalogue, day)
        summary = summarise(register, version)
        # Dropped first: a checkpoint of the same version made by older code (or a rebuild)
        # would otherwise never be replaced (a checkpoint only gives way to a newer version).
        self.store.drop_checkpoint(summary_key(stream))
        self.store.save_checkpoint(summary_key(stream), version, _TAG + to_json(summary))
        if self.on_fold is not None:
            self.on_fold(stream, version, register)
        return summary

"""Period reports and visit registers of one office, read from what is kept per day.

Per office day the store keeps, beside the day's events, its summary (`summaries`) and its
tally (`tally_codec`), both tagged with the day's version: a closed day is folded once, the
day in progress again whenever it moved on. A report of the whole office is a merge of day
tallies; a report narrowed by a filter folds the days' summaries (and keeps those tallies in
memory). Everything kept can be dropped and made again: `antrian reports rebuild`.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import threading
from collections import OrderedDict
from datetime import date
from pathlib import Path

from shared.domain.catalogue import Catalogue
from shared.reports import exports, register_codec, tally_codec
from shared.reports import period as period_module
from shared.reports import summaries as summaries_module
from shared.reports.exports import Table
from shared.reports.period import (
    Period,
    PeriodReport,
    PeriodTally,
    ReportFilters,
    day_tally,
    report_from_tallies,
)
from shared.reports.register import DayRegister
from shared.reports.summaries import SummaryService, days_between
from shared.store.base import EventStore

log = logging.getLogger(__name__)

# Tallies made by another version of the folding code are made again.
_TAG = (
    hashlib.sha256(
        b"".join(
            Path(m.__file__ or "").read_bytes()
            for m in (summaries_module, period_module, tally_codec, register_codec, exports)
        )
    )
    .hexdigest()[:16]
    .encode()
    + f" {sys.byteorder}\n".encode()
)
WHOLE_OFFICE = ReportFilters()
_Memory = OrderedDict[tuple[str, ReportFilters], tuple[int, PeriodTally]]


def register_key(stream: str) -> str:
    """The checkpoint key a day stream's register sheets are kept under."""
    return f"report-register:{stream}"


def tally_key(stream: str) -> str:
    """The checkpoint key a day stream's tally (of the whole office) is kept under."""
    return f"report-tally:{stream}"


class ReportReader:
    """Reports of one office from its per-day summaries and tallies, with a memory of both."""

    # Tallies kept in memory: the whole office for about three years of office days, and
    # narrowed ones for a few dozen semester reports.
    CACHE_TALLIES = 800
    CACHE_NARROWED = 4000

    def __init__(self, store: EventStore, catalogue: Catalogue) -> None:
        self.store = store
        self.catalogue = catalogue
        self.summaries = SummaryService(store, catalogue)
        self.summaries.on_fold = self._keep_sheets
        # (stream, filters) -> (version, tally), the whole office's apart from narrowed ones.
        self._whole: _Memory = OrderedDict()
        self._narrowed: _Memory = OrderedDict()
        self._lock = threading.Lock()

    def report(self, period: Period, filters: ReportFilters, until: date) -> PeriodReport:
        """The period's report up to `until` (today: the days after it have no visits yet)."""
        end = min(period.end, until)
        tallies = [
            t for t in (self.tally(d, filters) for d in days_between(period.start, end)) if t
        ]
        return report_from_tallies(tallies, self.catalogue, period, filters)

    def register(self, period: Period, filters: ReportFilters, until: date) -> list[Table]:
        """The visit register's two sheets: the period's visits that the filters keep."""
        end = min(period.end, until)
        days = self.summaries.office_days(period.start, end)
        return register_codec.period_tables((self.sheets(d) for d in days), filters)

    def sheets(self, day: date) -> register_codec.DaySheets:
        """The day's register sheets, read where they are kept at the day's version."""
        stream = self.summaries.stream(day)
        version = self.store.version(stream)
        kept = self._stored_sheets(stream, version)
        if kept is None:
            self.summaries.refold(day)  # keeps the sheets again through _keep_sheets
            kept = self._stored_sheets(stream, None)
        if kept is None:
            raise RuntimeError(f"the register sheets of {stream} were not kept")
        return kept

    def _stored_sheets(self, stream: str, version: int | None) -> register_codec.DaySheets | None:
        found = self.store.load_checkpoint(register_key(stream))
        if found is None or version not in (None, found[0]) or not found[1].startswith(_TAG):
            return None
        try:
            return register_codec.from_json(found[1][len(_TAG) :])
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("register of %s unreadable, made again: %s", stream, exc)
            return None

    def warm(self, start: date, end: date) -> int:
        """Read (or make) every day's tally and summary in start..end; the days found.

        With the summaries in memory, a report narrowed to an officer or a service needs
        no pass over the store either (a semester: about 0,1 s instead of 4 s).
        """
        found = 0
        for day in days_between(start, end):
            if self.tally(day, WHOLE_OFFICE) is not None:
                self.summaries.summary(day)
                found += 1
        return found

    def rebuild(self, start: date | None = None, end: date | None = None) -> list[date]:
        """Drop and make again every summary and tally (within start..end if given)."""
        with self._lock:
            self._whole.clear()
            self._narrowed.clear()
        days = self.summaries.rebuild(start, end)
        for day in days:
            self.store.drop_checkpoint(tally_key(self.summaries.stream(day)))
            self.tally(day, WHOLE_OFFICE)
        return days

    def tally(self, day: date, filters: ReportFilters) -> PeriodTally | None:
        """The day's tally at its current version; None for a day with no events."""
        stream = self.summaries.stream(day)
        version = self.store.version(stream)
        if version == 0:
            return None
        key = (stream, filters)
        whole = filters == WHOLE_OFFICE
        memory, limit = (
            (self._whole, self.CACHE_TALLIES) if whole else (self._narrowed, self.CACHE_NARROWED)
        )
        with self._lock:
            cached = memory.get(key)
            if cached is not None and cached[0] == version:
                memory.move_to_end(key)
                return cached[1]
        tally = self._stored(stream, version) if whole else None
        if tally is None:
            summary = self.summaries.summary(day)
            if summary is None:
                return None
            version = summary.version
            tally = day_tally(summary, self.catalogue, filters)
            if whole:
                self._keep(stream, version, tally)
        with self._lock:
            memory[key] = (version, tally)
            memory.move_to_end(key)
            while len(memory) > limit:
                memory.popitem(last=False)
        return tally

    def _stored(self, stream: str, version: int) -> PeriodTally | None:
        found = self.store.load_checkpoint(tally_key(stream))
        if found is None or found[0] != version or not found[1].startswith(_TAG):
            return None
        try:
            return tally_codec.decode(found[1][len(_TAG) :], self.catalogue, WHOLE_OFFICE)
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("report tally of %s unreadable, made again: %s", stream, exc)
            return None

    def _keep_sheets(self, stream: str, version: int, register: DayRegister) -> None:
        sheets = register_codec.day_sheets(register.visits, self.catalogue)
        self.store.drop_checkpoint(register_key(stream))
        data = _TAG + register_codec.to_json(sheets)
        self.store.save_checkpoint(register_key(stream), version, data)

    def _keep(self, stream: str, version: int, tally: PeriodTally) -> None:
        # Dropped first: a checkpoint only gives way to a newer version, and one of the same
        # version made by older code must be replaced.
        self.store.drop_checkpoint(tally_key(stream))
        self.store.save_checkpoint(tally_key(stream), version, _TAG + tally_codec.encode(tally))

"""Where survey responses meet the store: tie a response to a finished visit, refuse a second
one for the same visit, append with the stream's version, and read a period back."""

from __future__ import annotations

import re
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from shared.domain.catalogue import Catalogue
from shared.domain.event_counts import finished_by_service
from shared.domain.ikm import Element, Period
from shared.domain.office_calendar import next_open_day
from shared.domain.office_day import OfficeDay, Ticket, TicketState
from shared.domain.survey import (
    SurveyAlreadyAnswered,
    SurveyAnswered,
    SurveyBook,
    SurveyClosed,
    SurveyNotYet,
    SurveyTicketUnknown,
    VisitLink,
    decide_answer,
    parse_response,
)
from shared.queue_service import QueueService, StoreBusy
from shared.store.base import EventStore, NewEvent, VersionConflict

# A scanned QR code types the whole status URL; a token typed alone is accepted too.
_STATUS_URL = re.compile(r"/t/([A-Za-z0-9_-]{8,64})(?:[/?#.]|$)")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# How long after its window closed a visit's token is still recognised, so a late answer is
# told it is too late rather than that the number is unknown.
LATE_NOTICE_DAYS = 7
# The longest a window can stay open: the office calendar looks this far for an open day
# (Lebaran's cuti bersama), so tokens are looked for this far back.
LOOKBACK_DAYS = 31


@dataclass(frozen=True)
class SurveyWindow:
    """Whether the visit behind a token may be rated now, and until which office day."""

    state: str  # "open", "answered", "not_finished", "closed"
    visit: VisitLink | None
    until: date | None


class SurveyService:
    """Survey responses of one office, in the stream `office:<id>:survey`."""

    MAX_ATTEMPTS = 50

    def __init__(
        self,
        store: EventStore,
        catalogue: Catalogue,
        queue: QueueService,
        questionnaire: tuple[Element, ...],
        *,
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self.store = store
        self.catalogue = catalogue
        self.queue = queue
        self.questionnaire = questionnaire
        self._new_id = new_id
        self._lock = threading.RLock()
        self._book = SurveyBook()
        # Past office days never change once over: folded once, counted once.
        self._past_days: dict[date, OfficeDay] = {}
        self._finished_counts: dict[date, Counter[str]] = {}

    @property
    def stream(self) -> str:
        return f"office:{self.catalogue.office_id}:survey"

    def book(self) -> SurveyBook:
        """Every response, caught up with every process's appends."""
        with self._lock:
            stored = self.store.read(self.stream, self._book.version)
            if stored:
                # A fresh book for readers: the one they hold is never changed under them.
                book = SurveyBook(
                    self._book.version, list(self._book.responses), set(self._book.rated_visits)
                )
                for event in stored:
                    book.apply(SurveyAnswered.from_data(event.data))
                self._book = book
            return self._book

    def submit(
        self, data: Mapping[str, Any], visit: VisitLink | None, channel: str
    ) -> SurveyAnswered:
        """Store one response; a visit is rated once even when two devices race."""
        response = parse_response(data, len(self.questionnaire))
        response_id = self._new_id()
        for _ in range(self.MAX_ATTEMPTS):
            book = self.book()
            event = decide_answer(
                book,
                response,
                visit,
                response_id=response_id,
                now=self.queue.clock(),
                today=self.queue.office_date(),
                channel=channel,
            )
            try:
                self.store.append(
                    self.stream, [NewEvent(event.type_name, event.to_data())], book.version
                )
            except VersionConflict:
                continue  # another response came first: decide again against it
            return event
        raise StoreBusy(f"gave up after {self.MAX_ATTEMPTS} version conflicts on {self.stream}")

    # ---- which visit a response rates ----------------------------------------------------

    def window(self, status_token: str) -> SurveyWindow | None:
        """Where the survey of the ticket behind a phone token stands; None if unknown."""
        today = self.queue.office_date()
        for back in range(LOOKBACK_DAYS + 1):
            day = today - timedelta(days=back)
            if today > self.next_office_day(day) + timedelta(days=LATE_NOTICE_DAYS):
                return None  # older days' windows closed long ago (and earlier days' too)
            ticket = self._day(day).by_status_token(status_token)
            if ticket is not None and day < today and ticket.state is not TicketState.DONE:
                return None  # its day is over unserved: there is nothing to rate, ever
            if ticket is not None:
                return self._window_of(ticket, day, today)
        return None

    def visit_for_token(self, status_token: str) -> VisitLink:
        """The finished visit a phone (or a scanned ticket) may rate now, or why not."""
        window = self.window(status_token)
        return self._open_visit(window)

    def visit_for_reference(self, typed: str) -> VisitLink:
        """The visit named on the tablet: a scanned status URL, a token, or today's number."""
        typed = typed.strip()
        found = _STATUS_URL.search(typed)
        if found or _TOKEN.match(typed):
            return self.visit_for_token(found.group(1) if found else typed)
        today = self.queue.office_date()
        ticket = self._day(today).find(typed) if typed else None
        if ticket is None:
            raise SurveyTicketUnknown()
        return self._open_visit(self._window_of(ticket, today, today))

    def _open_visit(self, window: SurveyWindow | None) -> VisitLink:
        if window is None:
            raise SurveyTicketUnknown()
        if window.state == "not_finished":
            raise SurveyNotYet()
        if window.state == "closed":
            raise SurveyClosed()
        if window.visit is None:
            raise SurveyTicketUnknown()
        if window.state == "answered":
            raise SurveyAlreadyAnswered()
        return window.visit

    def _window_of(self, ticket: Ticket, day: date, today: date) -> SurveyWindow:
        until = self.next_office_day(day)
        if ticket.state is not TicketState.DONE:
            return SurveyWindow("not_finished", None, until)
        visit = VisitLink(ticket.id, day, ticket.number, ticket.service, ticket.counter)
        if today > until:
            return SurveyWindow("closed", visit, until)
        if self.book().rated(visit):
            return SurveyWindow("answered", visit, until)
        return SurveyWindow("open", visit, until)

    def next_office_day(self, day: date) -> date:
        """The office's next open day after `day` (hours and holidays): a visit may be rated
        until it ends."""
        return next_open_day(self.catalogue, day) or day + timedelta(days=1)

    def _day(self, day: date) -> OfficeDay:
        if day >= self.queue.office_date():
            return self.queue.today()
        with self._lock:
            if day not in self._past_days:
                if len(self._past_days) > LATE_NOTICE_DAYS + 4:
                    self._past_days.pop(min(self._past_days))
                self._past_days[day] = self.queue.day_on(day)
            return self._past_days[day]

    # ---- a period, for the report --------------------------------------------------------

    def responses_in(self, period: Period) -> list[SurveyAnswered]:
        """The responses that count in this period (by their visit's day)."""
        return [r for r in self.book().responses if r.period_day in period]

    def finished_visits(self, period: Period) -> Counter[str]:
        """Visits finished in the period, per service: the survey's population."""
        today = self.queue.office_date()
        total: Counter[str] = Counter()
        day = period.start
        while day <= min(period.end, today):
            total.update(self._finished_on(day, today))
            day += timedelta(days=1)
        return total

    def _finished_on(self, day: date, today: date) -> Counter[str]:
        if day in self._finished_counts:
            return self._finished_counts[day]
        # Counted from the raw events, without folding the day: a semester is 180 streams.
        stored = self.store.read(self.queue.stream_name(day))
        counts = finished_by_service((s.type, s.data) for s in stored)
        if day < today:
            self._finished_counts[day] = counts
        return counts

"""The state of one office day, folded from its events."""

from __future__ import annotations

import bisect
import heapq
import re
from collections import Counter as Tally
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from shared.domain.events import (
    CounterClosed,
    CounterOpened,
    CounterPaused,
    CounterResumed,
    CounterSessionEvent,
    DomainEvent,
    PaperVisitRecorded,
    ServiceClosed,
    ServiceReopened,
    StepChanged,
    StepHandedOver,
    TicketCalled,
    TicketCancelled,
    TicketFinished,
    TicketIssued,
    TicketReassigned,
    TicketRecalled,
    TicketReinstated,
    TicketResumed,
    TicketReturned,
    TicketSkipped,
    TicketStarted,
    TicketTransferred,
    VisitAttributesRecorded,
)


class TicketState(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    SKIPPED = "skipped"
    RETURNED = "returned"
    CANCELLED = "cancelled"
    # "Tunggu TTD": away from the counter while someone signs; its step keeps running.
    PARKED = "parked"


ENDED_STATES = frozenset({TicketState.DONE, TicketState.RETURNED, TicketState.CANCELLED})
# How a visit served on a paper number ended, as staff enter it afterwards.
PAPER_STATES = {
    "selesai": TicketState.DONE,
    "dikembalikan": TicketState.RETURNED,
    "terlewat": TicketState.SKIPPED,
    "dibatalkan": TicketState.CANCELLED,
}


@dataclass(frozen=True)
class StepVisit:
    """One stay at an SOP step of a service; a step gone back to is visited again."""

    service: str
    step: int
    started_at: datetime
    ended_at: datetime | None = None


@dataclass(frozen=True)
class Parking:
    """One stay away from the counter at a hand-over step; ended_at None while it lasts."""

    service: str
    step: int
    signer: str
    started_at: datetime
    ended_at: datetime | None = None


@dataclass
class Ticket:
    """A queue number and where it stands today."""

    id: str
    number: str
    seq: int
    service: str
    priority: str | None
    status_token: str
    issued_at: datetime
    state: TicketState = TicketState.WAITING
    call_count: int = 0
    counter: str | None = None
    officer: str | None = None
    first_called_at: datetime | None = None
    last_called_at: datetime | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    step: int | None = None
    step_visits: list[StepVisit] = field(default_factory=list)
    # A ticket transferred to one counter (e.g. the counselling desk) waits for that counter only.
    target_counter: str | None = None
    return_reason: str | None = None
    skipped_call_count: int | None = None
    # Step index -> the actor it was handed over to, for this visit.
    handed_over: dict[int, str] = field(default_factory=dict)
    # Served on a paper number while the hub was down, and entered afterwards by staff.
    entered_afterwards: bool = False
    # Statistics recorded during the visit (key -> chosen value); replaced, never changed.
    attributes: dict[str, str] = field(default_factory=dict)
    # Every "Tunggu TTD" of the day, in order; the last is open while the ticket is parked.
    parkings: list[Parking] = field(default_factory=list)
    # A returned visitor who came back; line_since is set when it rejoined at the back.
    came_back: bool = False
    line_since: datetime | None = None
    not_entered_online: bool = False

    @property
    def queue_key(self) -> tuple[int, datetime, int]:
        """Order inside one queue: priority first, then by original issue time."""
        return (0 if self.priority else 1, self.line_since or self.issued_at, self.seq)

    @property
    def parked_since(self) -> datetime | None:
        """When the ticket left the counter for a signature, while it is parked."""
        if self.state is TicketState.PARKED and self.parkings:
            return self.parkings[-1].started_at
        return None

    def _close_step(self, at: datetime) -> None:
        if self.step_visits and self.step_visits[-1].ended_at is None:
            last = self.step_visits[-1]
            # Built directly: dataclasses.replace was a quarter of a day's cold catch-up.
            self.step_visits[-1] = StepVisit(last.service, last.step, last.started_at, at)

    def _enter_step(self, step: int, at: datetime) -> None:
        self._close_step(at)
        self.step = step
        self.step_visits.append(StepVisit(self.service, step, at))


@dataclass(frozen=True)
class Pause:
    """One istirahat at a counter; ended_at is None while it lasts."""

    counter: str
    officer: str
    reason: str
    started_at: datetime
    ended_at: datetime | None = None


@dataclass(frozen=True)
class CounterSession:
    """The officer holding a counter since a time, and whether they are on a break."""

    officer: str
    since: datetime
    pause: Pause | None = None


class Outcome(StrEnum):
    """How a visit left a counter, counted for the officer's day."""

    SERVED = "served"
    SKIPPED = "skipped"
    RETURNED = "returned"
    TRANSFERRED = "transferred"
    # Counted besides SERVED: a returned visitor served after coming back, and a visit
    # finished "belum diinput online".
    CAME_BACK = "came_back"
    NOT_ENTERED_ONLINE = "not_entered_online"


_NUMBER_PATTERN = re.compile(r"^([A-Z])\s*-?\s*0*(\d{1,5})$")


def format_number(prefix: str, seq: int) -> str:
    """The printed queue number, e.g. A-001."""
    return f"{prefix}-{seq:03d}"


def normalise_number(ref: str) -> str | None:
    """Read what an officer types ("a12", "A-012") as a queue number, or None."""
    match = _NUMBER_PATTERN.match(ref.strip().upper())
    if not match:
        return None
    return format_number(match.group(1), int(match.group(2)))


def office_day_of(now: datetime, timezone: str) -> date:
    """The office's calendar day at this instant; numbering restarts with it."""
    return now.astimezone(ZoneInfo(timezone)).date()


LineKey = tuple[str, str | None]


@dataclass
class OfficeDay:
    """All tickets of one office day.

    Changed only by `apply`, and only while nobody else holds it: a day handed to readers
    is never changed again. `after` folds new events into a successor that shares every
    ticket and line it does not change, so a new version costs a few dict copies, not a
    copy of the day.
    """

    version: int = 0
    tickets: dict[str, Ticket] = field(default_factory=dict)
    ids_by_number: dict[str, str] = field(default_factory=dict)
    ids_by_request: dict[str, str] = field(default_factory=dict)
    ids_by_token: dict[str, str] = field(default_factory=dict)
    last_seq_by_prefix: dict[str, int] = field(default_factory=dict)
    issued_by_service: Tally[str] = field(default_factory=Tally)
    active_by_counter: dict[str, str] = field(default_factory=dict)
    # Kept apart so choosing the next number looks only at those still waiting.
    waiting_ids: set[str] = field(default_factory=set)
    skipped_ids: set[str] = field(default_factory=set)
    # The waiting tickets of each line (service, counter sent to or None) in calling order.
    lines: dict[LineKey, list[str]] = field(default_factory=dict)
    sessions: dict[str, CounterSession] = field(default_factory=dict)
    pauses: list[Pause] = field(default_factory=list)
    outcomes_by_counter: dict[str, Tally[Outcome]] = field(default_factory=dict)
    # Finished visits, by the counter that served them (for the officer's day).
    done_by_counter: dict[str, list[str]] = field(default_factory=dict)
    # Real service minutes of finished visits, by service (for the wait estimate).
    service_minutes_by_service: dict[str, list[float]] = field(default_factory=dict)
    # When the day's last event happened: a past day's report ends there, not at midnight.
    last_event_at: datetime | None = None
    # Services a supervisor closed for the rest of the day, with the reason the kiosk shows.
    closed_services: dict[str, str] = field(default_factory=dict)
    # (service, number as written) of visits entered afterwards from paper numbers.
    paper_numbers: set[tuple[str, str]] = field(default_factory=set)
    # Parked tickets ("Tunggu TTD") by the counter they belong to, in the order parked.
    parked_by_counter: dict[str, list[str]] = field(default_factory=dict)
    # Tickets and lists this day may change in place: made by it, not shared with its parent.
    _owned: set[tuple[str, object]] = field(
        default_factory=set, repr=False, compare=False, init=False
    )

    def after(self, events: Iterable[DomainEvent]) -> OfficeDay:
        """The day after these events; this one stays as it is for whoever still reads it."""
        successor = OfficeDay(
            version=self.version,
            tickets=dict(self.tickets),
            ids_by_number=dict(self.ids_by_number),
            ids_by_request=dict(self.ids_by_request),
            ids_by_token=dict(self.ids_by_token),
            last_seq_by_prefix=dict(self.last_seq_by_prefix),
            issued_by_service=Tally(self.issued_by_service),
            active_by_counter=dict(self.active_by_counter),
            waiting_ids=set(self.waiting_ids),
            skipped_ids=set(self.skipped_ids),
            lines=dict(self.lines),
            sessions=dict(self.sessions),
            pauses=list(self.pauses),
            outcomes_by_counter={k: Tally(v) for k, v in self.outcomes_by_counter.items()},
            done_by_counter=dict(self.done_by_counter),
            service_minutes_by_service=dict(self.service_minutes_by_service),
            last_event_at=self.last_event_at,
            closed_services=dict(self.closed_services),
            paper_numbers=set(self.paper_numbers),
            parked_by_counter=dict(self.parked_by_counter),
        )
        for event in events:
            successor.apply(event)
        return successor

    def _own_ticket(self, ticket_id: str) -> Ticket:
        ticket = self.tickets[ticket_id]
        if ("ticket", ticket_id) not in self._owned:
            ticket = replace(
                ticket,
                step_visits=list(ticket.step_visits),
                handed_over=dict(ticket.handed_over),
                parkings=list(ticket.parkings),
            )
            self.tickets[ticket_id] = ticket
            self._owned.add(("ticket", ticket_id))
        return ticket

    def _own_list(self, lists: dict[Any, list[Any]], kind: str, key: object) -> list[Any]:
        if (kind, key) not in self._owned or key not in lists:
            lists[key] = list(lists.get(key, ()))
            self._owned.add((kind, key))
        return lists[key]

    def find(self, ref: str) -> Ticket | None:
        """A ticket by id or by number as typed."""
        if ref in self.tickets:
            return self.tickets[ref]
        number = normalise_number(ref)
        ticket_id = self.ids_by_number.get(number) if number else None
        return self.tickets.get(ticket_id) if ticket_id else None

    def by_status_token(self, token: str) -> Ticket | None:
        """The ticket whose phone page this token opens."""
        ticket_id = self.ids_by_token.get(token)
        return self.tickets[ticket_id] if ticket_id else None

    def active_ticket(self, counter_id: str) -> Ticket | None:
        """The ticket called to or being served at a counter."""
        ticket_id = self.active_by_counter.get(counter_id)
        return self.tickets[ticket_id] if ticket_id else None

    def session(self, counter_id: str) -> CounterSession | None:
        """Who holds the counter now, if anyone."""
        return self.sessions.get(counter_id)

    def counter_of(self, officer: str) -> str | None:
        """The counter this officer holds, if any."""
        return next((k for k, s in self.sessions.items() if s.officer == officer), None)

    def parked(self, counter_id: str) -> list[Ticket]:
        """The counter's parked tickets, first parked first."""
        return [self.tickets[i] for i in self.parked_by_counter.get(counter_id, ())]

    def all_parked(self) -> list[Ticket]:
        """Every parked ticket in the office, longest parked first."""
        parked = [self.tickets[i] for ids in self.parked_by_counter.values() for i in ids]
        return sorted(parked, key=lambda t: t.parked_since or t.issued_at)

    def is_paused(self, counter_id: str) -> bool:
        """True while the counter's officer is on a break."""
        session = self.sessions.get(counter_id)
        return session is not None and session.pause is not None

    def waiting(self) -> list[Ticket]:
        """Tickets waiting to be called, in no particular order."""
        return [self.tickets[i] for i in self.waiting_ids]

    def line(self, service: str, target_counter: str | None = None) -> list[Ticket]:
        """One line's waiting tickets in calling order: priority first, then issue time."""
        return [self.tickets[i] for i in self.lines.get((service, target_counter), ())]

    def merged_lines(self, keys: Iterable[LineKey]) -> Iterator[Ticket]:
        """The waiting tickets of several lines together, in calling order."""
        tickets = self.tickets
        return heapq.merge(
            *((tickets[i] for i in self.lines.get(key, ())) for key in keys),
            key=lambda t: t.queue_key,
        )

    def place_in_line(self, ticket: Ticket) -> int:
        """How many tickets of its own line come before a waiting ticket."""
        line = self.lines.get((ticket.service, ticket.target_counter), [])
        return bisect.bisect_left(line, ticket.queue_key, key=self._queue_key_of)

    def _queue_key_of(self, ticket_id: str) -> tuple[int, datetime, int]:
        return self.tickets[ticket_id].queue_key

    def _join_line(self, ticket: Ticket) -> None:
        self.waiting_ids.add(ticket.id)
        line = self._own_list(self.lines, "line", (ticket.service, ticket.target_counter))
        bisect.insort(line, ticket.id, key=self._queue_key_of)

    def _leave_line(self, ticket: Ticket) -> None:
        if ticket.id not in self.waiting_ids:
            return
        self.waiting_ids.discard(ticket.id)
        key = (ticket.service, ticket.target_counter)
        line = self._own_list(self.lines, "line", key)
        line.remove(ticket.id)
        if not line:
            del self.lines[key]

    def apply_all(self, events: list[DomainEvent]) -> None:
        """Fold several events in order."""
        for event in events:
            self.apply(event)

    def apply(self, event: DomainEvent) -> None:
        """Fold one event into the state and advance the version."""
        self.version += 1
        self.last_event_at = event.at
        if isinstance(event, TicketIssued):
            self._issued(event)
        elif isinstance(event, PaperVisitRecorded):
            self._paper_visit(event)
        elif isinstance(event, CounterSessionEvent):
            _SESSION_APPLIERS[type(event)](self, event)
        elif isinstance(event, ServiceClosed):
            self.closed_services[event.service] = event.reason
        elif isinstance(event, ServiceReopened):
            self.closed_services.pop(event.service, None)
        else:
            ticket = self._own_ticket(event.ticket_id)  # type: ignore[attr-defined]
            _APPLIERS[type(event)](self, ticket, event)

    def _count(self, counter: str | None, outcome: Outcome) -> None:
        # Tallies are copied whole by `after`: a few counters with four outcomes each.
        if counter is not None:
            self.outcomes_by_counter.setdefault(counter, Tally())[outcome] += 1

    def _opened(self, e: CounterOpened) -> None:
        self.sessions[e.counter] = CounterSession(e.officer, e.at)

    def _closed(self, e: CounterClosed) -> None:
        self._resumed(e)
        self.sessions.pop(e.counter, None)

    def _paused(self, e: CounterPaused) -> None:
        pause = Pause(e.counter, e.officer, e.reason, e.at)
        self.sessions[e.counter] = replace(self.sessions[e.counter], pause=pause)
        self.pauses.append(pause)

    def _resumed(self, e: CounterSessionEvent) -> None:
        session = self.sessions.get(e.counter)
        if session is None or session.pause is None:
            return
        ended = replace(session.pause, ended_at=e.at)
        self.pauses[self.pauses.index(session.pause)] = ended
        self.sessions[e.counter] = replace(session, pause=None)

    def _issued(self, e: TicketIssued) -> None:
        ticket = Ticket(
            id=e.ticket_id,
            number=e.number,
            seq=e.seq,
            service=e.service,
            priority=e.priority,
            status_token=e.status_token,
            issued_at=e.at,
        )
        self.tickets[ticket.id] = ticket
        self._owned.add(("ticket", ticket.id))
        self.ids_by_number[ticket.number] = ticket.id
        if e.request_id:
            self.ids_by_request[e.request_id] = ticket.id
        self.ids_by_token[e.status_token] = ticket.id
        prefix = ticket.number.split("-", 1)[0]
        self.last_seq_by_prefix[prefix] = max(self.last_seq_by_prefix.get(prefix, 0), e.seq)
        self.issued_by_service[e.service] += 1
        self._join_line(ticket)

    def _paper_visit(self, e: PaperVisitRecorded) -> None:
        # Outside the numbering, the lines and the token lookup: it never waited in this hub.
        ticket = Ticket(
            id=e.ticket_id,
            number=e.number,
            seq=0,
            service=e.service,
            priority=None,
            status_token="",
            issued_at=e.issued_at,
            state=PAPER_STATES[e.outcome],
            counter=e.counter,
            officer=e.recorded_by,
            started_at=e.started_at,
            ended_at=e.finished_at,
            return_reason=e.return_reason,
            entered_afterwards=True,
        )
        self.tickets[ticket.id] = ticket
        self._owned.add(("ticket", ticket.id))
        self.paper_numbers.add((e.service, e.number))

    def _release_counter(self, ticket: Ticket) -> None:
        if ticket.counter and self.active_by_counter.get(ticket.counter) == ticket.id:
            del self.active_by_counter[ticket.counter]

    def _called(self, t: Ticket, e: TicketCalled) -> None:
        self._leave_line(t)
        self.skipped_ids.discard(t.id)
        t.state = TicketState.CALLED
        t.call_count = 1
        t.counter, t.officer = e.counter, e.officer
        t.first_called_at = t.first_called_at or e.at
        t.last_called_at = e.at
        t.target_counter = None
        self.active_by_counter[e.counter] = t.id

    def _recalled(self, t: Ticket, e: TicketRecalled) -> None:
        t.call_count = e.call_count
        t.last_called_at = e.at

    def _skipped(self, t: Ticket, e: TicketSkipped) -> None:
        self._count(t.counter, Outcome.SKIPPED)
        self._release_counter(t)
        t.state = TicketState.SKIPPED
        self.skipped_ids.add(t.id)
        t.skipped_call_count = e.call_count
        t.counter = None

    def _reinstated(self, t: Ticket, e: TicketReinstated) -> None:
        self.skipped_ids.discard(t.id)
        if e.came_back:
            # The returned visit reopens: it belongs to no counter until it is called again.
            t.came_back = True
            t.ended_at = None
            t.counter = None
        if e.back_of_line:
            t.line_since = e.at
        t.state = TicketState.WAITING
        t.call_count = 0
        self._join_line(t)

    def _started(self, t: Ticket, e: TicketStarted) -> None:
        t.state = TicketState.SERVING
        t.officer = e.officer
        t.started_at = e.at
        t.handed_over = {}
        t._enter_step(0, e.at)

    def _step_changed(self, t: Ticket, e: StepChanged) -> None:
        t._enter_step(e.to_step, e.at)

    def _handed_over(self, t: Ticket, e: StepHandedOver) -> None:
        t.handed_over[e.step] = e.to_actor
        if not e.parked:
            return
        # The counter is free for the next number; the step's visit stays open, so its time
        # (and the visit's) runs on and is counted once, inside the step that caused it.
        self._release_counter(t)
        t.state = TicketState.PARKED
        t.parkings.append(Parking(t.service, e.step, e.to_actor, e.at))
        self._own_list(self.parked_by_counter, "parked", e.counter).append(t.id)

    def _resumed_ticket(self, t: Ticket, e: TicketResumed) -> None:
        self._unpark(t, e.at)
        t.state = TicketState.SERVING
        t.counter, t.officer = e.counter, e.officer
        self.active_by_counter[e.counter] = t.id

    def _unpark(self, t: Ticket, at: datetime) -> None:
        if t.counter is None or t.state is not TicketState.PARKED:
            return
        parked = self._own_list(self.parked_by_counter, "parked", t.counter)
        parked.remove(t.id)
        if not parked:
            del self.parked_by_counter[t.counter]
        last = t.parkings[-1]
        t.parkings[-1] = replace(last, ended_at=at)

    def _attributes_recorded(self, t: Ticket, e: VisitAttributesRecorded) -> None:
        # A new dict: the old one may be shared with the day before (see `after`).
        t.attributes = {**t.attributes, **e.attributes}

    def _finished(self, t: Ticket, e: TicketFinished) -> None:
        self._count(t.counter, Outcome.SERVED)
        if t.came_back:
            self._count(t.counter, Outcome.CAME_BACK)
        if e.not_entered_online:
            t.not_entered_online = True
            self._count(t.counter, Outcome.NOT_ENTERED_ONLINE)
        self._end(t, TicketState.DONE, e.at)
        if t.counter is not None:
            self._own_list(self.done_by_counter, "done", t.counter).append(t.id)
        if t.started_at is not None:
            minutes = (e.at - t.started_at).total_seconds() / 60
            self._own_list(self.service_minutes_by_service, "minutes", t.service).append(minutes)

    def _returned(self, t: Ticket, e: TicketReturned) -> None:
        self._count(t.counter, Outcome.RETURNED)
        t.return_reason = e.reason
        self._end(t, TicketState.RETURNED, e.at)

    def _cancelled(self, t: Ticket, e: TicketCancelled) -> None:
        self._leave_line(t)
        self.skipped_ids.discard(t.id)
        self._end(t, TicketState.CANCELLED, e.at)

    def _end(self, t: Ticket, state: TicketState, at: datetime) -> None:
        self._release_counter(t)
        t._close_step(at)
        t.state = state
        t.ended_at = at
        t.step = None

    def _transferred(self, t: Ticket, e: TicketTransferred) -> None:
        self._count(t.counter, Outcome.TRANSFERRED)
        self._leave_line(t)
        t.service = e.to_service
        self._back_to_waiting(t, e.to_counter, e.at)

    def _reassigned(self, t: Ticket, e: TicketReassigned) -> None:
        self._back_to_waiting(t, e.to_counter, e.at)

    def _back_to_waiting(self, t: Ticket, target_counter: str | None, at: datetime) -> None:
        self._leave_line(t)  # a waiting ticket sent on changes line
        self.skipped_ids.discard(t.id)
        self._release_counter(t)
        t._close_step(at)
        t.state = TicketState.WAITING
        t.target_counter = target_counter
        t.counter = None
        t.call_count = 0
        t.step = None
        t.handed_over = {}
        self._join_line(t)


_APPLIERS: dict[type[DomainEvent], Callable[[OfficeDay, Ticket, Any], None]] = {
    TicketCalled: OfficeDay._called,
    TicketRecalled: OfficeDay._recalled,
    TicketSkipped: OfficeDay._skipped,
    TicketReinstated: OfficeDay._reinstated,
    TicketStarted: OfficeDay._started,
    StepChanged: OfficeDay._step_changed,
    TicketFinished: OfficeDay._finished,
    TicketReturned: OfficeDay._returned,
    TicketCancelled: OfficeDay._cancelled,
    TicketTransferred: OfficeDay._transferred,
    TicketReassigned: OfficeDay._reassigned,
    StepHandedOver: OfficeDay._handed_over,
    VisitAttributesRecorded: OfficeDay._attributes_recorded,
    TicketResumed: OfficeDay._resumed_ticket,
}

_SESSION_APPLIERS: dict[type[DomainEvent], Callable[[OfficeDay, Any], None]] = {
    CounterOpened: OfficeDay._opened,
    CounterClosed: OfficeDay._closed,
    CounterPaused: OfficeDay._paused,
    CounterResumed: OfficeDay._resumed,
}

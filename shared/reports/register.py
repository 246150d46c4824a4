"""The visit register: one row per ticket of a day, folded from that day's events.

The office day (`OfficeDay`) is folded as the queue folds it, for the state it keeps (times,
step visits, service after transfers, return reason); a small side fold over the same events
keeps what the live queue forgets once a visit moves on: every counter and officer it met,
calls made over all its calls, where it was transferred, which steps were handed over.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from shared.domain.catalogue import Catalogue
from shared.domain.events import (
    EVENT_TYPES,
    CounterEvent,
    DomainEvent,
    PaperVisitRecorded,
    StepHandedOver,
    TicketCalled,
    TicketCancelled,
    TicketFinished,
    TicketIssued,
    TicketReassigned,
    TicketRecalled,
    TicketReturned,
    TicketSkipped,
    TicketStarted,
    TicketTransferred,
    event_from_data,
)
from shared.domain.office_day import OfficeDay, Ticket, TicketState
from shared.store.base import StoredEvent


class VisitOutcome(StrEnum):
    """How the visit stood at the end of the day (office words, as the register shows them)."""

    SELESAI = "selesai"
    DIKEMBALIKAN = "dikembalikan"
    # Sent to another service or counter and not yet served there when the day ended.
    DIALIHKAN = "dialihkan"
    TERLEWAT = "terlewat"
    DIBATALKAN = "dibatalkan"
    BELUM_SELESAI = "belum selesai"


class LegOutcome(StrEnum):
    """How one stay at a counter ended (the officer's tally counts these)."""

    SELESAI = "selesai"
    DIKEMBALIKAN = "dikembalikan"
    DIALIHKAN = "dialihkan"
    TERLEWAT = "terlewat"
    DIBATALKAN = "dibatalkan"
    # A supervisor pulled the ticket back to its line or sent it to another counter.
    DITARIK = "ditarik"
    BELUM_SELESAI = "belum selesai"


@dataclass(frozen=True, slots=True)
class CounterLeg:
    """One stay at a counter: from its call there until it left the counter."""

    counter: str
    officer: str
    outcome: LegOutcome
    # From "Mulai layani" at this counter to the end of the stay, if both happened.
    service_minutes: float | None


@dataclass(frozen=True, slots=True)
class StepTime:
    """One SOP step of a visit: real minutes (summed over returns to it) vs its standard."""

    service: str
    number: int  # 1-based, as printed in the SOP
    name: str
    actor: str  # the step's actor in the SOP
    standard_minutes: float
    minutes: float
    handed_over: bool

    @property
    def over_standard(self) -> bool:
        return self.minutes > self.standard_minutes


@dataclass(frozen=True, slots=True)
class VisitRow:
    """One visit (ticket) of an office day. No personal data: a number, not a person."""

    office_day: date
    ticket_id: str
    number: str
    # The service it ended in (after transfers), and the one it was issued for.
    service: str
    service_name: str
    issued_service: str
    priority: str | None
    issued_at: datetime  # office local time, tz-aware
    first_called_at: datetime | None
    started_at: datetime | None  # the last "Mulai layani"
    finished_at: datetime | None  # when it ended (served, returned, cancelled)
    calls: int  # every call and recall, at every counter
    counters: tuple[str, ...]  # in the order met
    officers: tuple[str, ...]
    outcome: VisitOutcome
    # For "dikembalikan": the requirement as the service lists it, or what the officer typed
    # (staff only: `missing_document_listed` False; the public never sees free text).
    missing_document: str | None
    missing_document_listed: bool
    # Names of the services or counters it was transferred to, in order.
    transferred_to: tuple[str, ...]
    wait_minutes: float | None  # issue to first call
    # Last "Mulai layani" to the end, for a visit served or returned (finished_at set).
    service_minutes: float | None
    service_standard_minutes: float | None
    steps: tuple[StepTime, ...]
    legs: tuple[CounterLeg, ...]
    attributes: tuple[tuple[str, str], ...] = field(default=())
    # Served on a paper number while the hub was down, entered afterwards (no calls, no legs).
    entered_afterwards: bool = False

    @property
    def within_standard(self) -> bool | None:
        """Served within the service's standard; None unless served ("selesai")."""
        if self.outcome is not VisitOutcome.SELESAI or self.service_minutes is None:
            return None
        if self.service_standard_minutes is None:
            return None
        return self.service_minutes <= self.service_standard_minutes


def domain_events(stored: Iterable[StoredEvent]) -> list[DomainEvent]:
    """Stored events as domain events, leaving out types this code does not know.

    Another version of the hub (or a feature merged later) may have written event types
    this one has no class for; a report reads past them rather than failing.
    """
    return [event_from_data(s.type, s.data) for s in stored if s.type in EVENT_TYPES]


@dataclass
class _History:
    """What the side fold keeps of one ticket."""

    calls: int = 0
    counters: list[str] = field(default_factory=list)
    officers: list[str] = field(default_factory=list)
    transferred_to: list[str] = field(default_factory=list)
    handed_over: set[tuple[str, int]] = field(default_factory=set)
    legs: list[CounterLeg] = field(default_factory=list)
    # The open leg: counter, officer, started_at.
    open_leg: tuple[str, str, datetime | None] | None = None
    last_transfer_at: datetime | None = None

    def meet(self, counter: str, officer: str) -> None:
        if counter not in self.counters:
            self.counters.append(counter)
        if officer not in self.officers:
            self.officers.append(officer)

    def close_leg(self, outcome: LegOutcome, at: datetime, officer: str | None = None) -> None:
        if self.open_leg is None:
            return
        counter, leg_officer, started = self.open_leg
        minutes = (at - started).total_seconds() / 60 if started is not None else None
        self.legs.append(CounterLeg(counter, officer or leg_officer, outcome, minutes))
        self.open_leg = None


_LEG_ENDS: dict[type[DomainEvent], LegOutcome] = {
    TicketFinished: LegOutcome.SELESAI,
    TicketReturned: LegOutcome.DIKEMBALIKAN,
    TicketTransferred: LegOutcome.DIALIHKAN,
    TicketSkipped: LegOutcome.TERLEWAT,
}


def _follow(
    history: dict[str, _History], event: DomainEvent, catalogue: Catalogue, service: str
) -> None:
    """The side fold: one event's effect on its ticket's history.

    `service` is the ticket's service just before the event (a handover belongs to it).
    """
    ticket_id = getattr(event, "ticket_id", None)
    if ticket_id is None or ticket_id not in history:
        return
    h = history[ticket_id]
    if isinstance(event, TicketCalled):
        h.calls += 1
        h.close_leg(LegOutcome.DITARIK, event.at)  # never open here, but stay safe
        h.open_leg = (event.counter, event.officer, None)
        h.meet(event.counter, event.officer)
    elif isinstance(event, TicketRecalled):
        h.calls += 1
    elif isinstance(event, TicketStarted) and h.open_leg is not None:
        counter, _, _ = h.open_leg
        h.open_leg = (counter, event.officer, event.at)
        h.meet(event.counter, event.officer)
    elif isinstance(event, StepHandedOver):
        h.handed_over.add((service, event.step))
    elif isinstance(event, CounterEvent) and type(event) in _LEG_ENDS:
        h.close_leg(_LEG_ENDS[type(event)], event.at, event.officer)
        if isinstance(event, TicketTransferred):
            h.transferred_to.append(_transfer_target(event, catalogue))
            h.last_transfer_at = event.at
    elif isinstance(event, TicketCancelled):
        h.close_leg(LegOutcome.DIBATALKAN, event.at)
    elif isinstance(event, TicketReassigned):
        h.close_leg(LegOutcome.DITARIK, event.at)


def _transfer_target(event: TicketTransferred, catalogue: Catalogue) -> str:
    if event.to_counter is not None:
        counter = catalogue.counter(event.to_counter)
        return counter.name if counter else event.to_counter
    service = catalogue.service(event.to_service)
    return service.name if service else event.to_service


@dataclass(frozen=True, slots=True)
class BreakRow:
    """One istirahat at a counter; one still on at the end runs to the day's last event."""

    counter: str
    officer: str
    minutes: float


@dataclass(frozen=True)
class DayRegister:
    """One office day's visits and breaks."""

    office_day: date
    visits: tuple[VisitRow, ...]
    breaks: tuple[BreakRow, ...]


def visit_register(
    events: Iterable[DomainEvent], catalogue: Catalogue, office_day: date | None = None
) -> list[VisitRow]:
    """Every visit of one office day, in issue order, folded from the day's events.

    `office_day` names the day (else the office-local date of the first event).
    Events of types the office day does not fold are passed over.
    """
    return list(day_register(events, catalogue, office_day).visits)


def day_register(
    events: Iterable[DomainEvent], catalogue: Catalogue, office_day: date | None = None
) -> DayRegister:
    """The day's visits (as `visit_register`) and its counters' breaks, in one fold."""
    day = OfficeDay()
    history: dict[str, _History] = {}
    zone = ZoneInfo(catalogue.timezone)
    for event in events:
        ticket = day.tickets.get(getattr(event, "ticket_id", ""))
        service = ticket.service if ticket is not None else ""
        try:
            day.apply(event)
        except KeyError:
            continue  # an event type the day's fold has no rule for
        if isinstance(event, TicketIssued):
            history[event.ticket_id] = _History()
        elif isinstance(event, PaperVisitRecorded):
            # Who served it is not known, only who entered it: its counter, but no leg.
            history[event.ticket_id] = _History(counters=[event.counter] if event.counter else [])
        else:
            _follow(history, event, catalogue, service)
    tickets = sorted(day.tickets.values(), key=lambda t: (t.issued_at, t.seq))
    if office_day is None:
        office_day = tickets[0].issued_at.astimezone(zone).date() if tickets else date.min
    visits = tuple(_row(t, history[t.id], catalogue, zone, office_day) for t in tickets)
    breaks = tuple(
        BreakRow(p.counter, p.officer, ((p.ended_at or end) - p.started_at).total_seconds() / 60)
        for p in day.pauses
        for end in [day.last_event_at or p.started_at]
    )
    return DayRegister(office_day, visits, breaks)


def _row(
    ticket: Ticket, h: _History, catalogue: Catalogue, zone: ZoneInfo, office_day: date
) -> VisitRow:
    service = catalogue.service(ticket.service)
    outcome = _outcome(ticket, h)
    missing, listed = None, False
    if ticket.state is TicketState.RETURNED and ticket.return_reason is not None:
        missing = ticket.return_reason
        issued_service = catalogue.service(ticket.service)
        listed = issued_service is not None and missing in issued_service.requirements
    legs = list(h.legs)
    if h.open_leg is not None:
        counter, officer, started = h.open_leg
        legs.append(CounterLeg(counter, officer, LegOutcome.BELUM_SELESAI, None))
    service_minutes = None
    if ticket.started_at is not None and ticket.ended_at is not None:
        if ticket.state in (TicketState.DONE, TicketState.RETURNED):
            service_minutes = (ticket.ended_at - ticket.started_at).total_seconds() / 60
    wait = None
    if ticket.first_called_at is not None:
        wait = (ticket.first_called_at - ticket.issued_at).total_seconds() / 60
    return VisitRow(
        office_day=office_day,
        ticket_id=ticket.id,
        number=ticket.number,
        service=ticket.service,
        service_name=service.name if service else ticket.service,
        issued_service=_issued_service(ticket, catalogue),
        priority=ticket.priority,
        issued_at=ticket.issued_at.astimezone(zone),
        first_called_at=_local(ticket.first_called_at, zone),
        started_at=_local(ticket.started_at, zone),
        finished_at=_local(ticket.ended_at, zone),
        calls=h.calls,
        counters=tuple(h.counters),
        officers=tuple(h.officers),
        outcome=outcome,
        missing_document=missing,
        missing_document_listed=listed,
        transferred_to=tuple(h.transferred_to),
        wait_minutes=wait,
        service_minutes=service_minutes,
        service_standard_minutes=service.total_minutes if service else None,
        steps=_steps(ticket, h, catalogue),
        legs=tuple(legs),
        attributes=tuple(sorted(ticket.attributes.items())),
        entered_afterwards=ticket.entered_afterwards,
    )


def _issued_service(ticket: Ticket, catalogue: Catalogue) -> str:
    # The prefix of the number names the service it was issued for.
    prefix = ticket.number.split("-", 1)[0]
    return next((s.code for s in catalogue.services if s.prefix == prefix), ticket.service)


def _outcome(ticket: Ticket, h: _History) -> VisitOutcome:
    if ticket.state is TicketState.DONE:
        return VisitOutcome.SELESAI
    if ticket.state is TicketState.RETURNED:
        return VisitOutcome.DIKEMBALIKAN
    if ticket.state is TicketState.CANCELLED:
        return VisitOutcome.DIBATALKAN
    if ticket.state is TicketState.SKIPPED:
        return VisitOutcome.TERLEWAT
    if ticket.state is TicketState.WAITING and h.transferred_to and h.open_leg is None:
        return VisitOutcome.DIALIHKAN
    return VisitOutcome.BELUM_SELESAI


def _steps(ticket: Ticket, h: _History, catalogue: Catalogue) -> tuple[StepTime, ...]:
    """Real minutes per (service, step), summed over stays, for stays that ended."""
    spent: dict[tuple[str, int], float] = {}
    for stay in ticket.step_visits:
        if stay.ended_at is None:
            continue
        key = (stay.service, stay.step)
        spent[key] = spent.get(key, 0.0) + (stay.ended_at - stay.started_at).total_seconds() / 60
    rows = []
    for (code, index), minutes in spent.items():
        service = catalogue.service(code)
        if service is None or index >= len(service.steps):
            continue
        step = service.steps[index]
        rows.append(
            StepTime(
                service=code,
                number=index + 1,
                name=step.name,
                actor=step.actor,
                standard_minutes=step.minutes,
                minutes=minutes,
                handed_over=(code, index) in h.handed_over,
            )
        )
    return tuple(rows)


def _local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    return moment.astimezone(zone) if moment is not None else None

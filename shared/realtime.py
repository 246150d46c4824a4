"""Socket.IO names, rooms, and the one function every emit goes through."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from shared.domain.catalogue import Catalogue
from shared.domain.events import (
    CounterClosed,
    CounterOpened,
    CounterPaused,
    CounterResumed,
    DomainEvent,
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
from shared.domain.office_day import OfficeDay
from shared.snapshot import Snapshot
from shared.views import (
    counter_view,
    public_counts,
    public_event,
    public_ticket_view,
    staff_changes,
    ticket_view,
)

# Facts: server -> clients. Mirrored once in shared/static/realtime.js.
SNAPSHOT = "snapshot"
QUEUE_CHANGED = "queue_changed"
DEVICE_ALERT = "device_alert"
FACT_NAMES: dict[type[DomainEvent], str] = {
    TicketIssued: "ticket_issued",
    TicketCalled: "ticket_called",
    TicketRecalled: "ticket_recalled",
    TicketSkipped: "ticket_skipped",
    TicketReinstated: "ticket_reinstated",
    TicketStarted: "ticket_started",
    StepChanged: "step_changed",
    TicketFinished: "ticket_finished",
    TicketReturned: "ticket_returned",
    TicketTransferred: "ticket_transferred",
    TicketCancelled: "ticket_cancelled",
    StepHandedOver: "step_handed_over",
    TicketReassigned: "ticket_reassigned",
    CounterOpened: "counter_opened",
    CounterClosed: "counter_closed",
    CounterPaused: "counter_paused",
    CounterResumed: "counter_resumed",
    ServiceClosed: "service_closed",
    ServiceReopened: "service_reopened",
    VisitAttributesRecorded: "visit_attributes_recorded",
    TicketResumed: "ticket_resumed",
}

# Commands: clients -> server, each answered by an ack {"ok": true, ...} or {"ok": false, "error"}.
COUNTER_COMMANDS = (
    "call_next",
    "recall",
    "start",
    "next_step",
    "previous_step",
    "finish",
    "skip",
    "return",
    "transfer",
    "reinstate",
    "cancel",
    "hand_over",
    "open",
    "close",
    "pause",
    "resume",
    "record_attributes",
    "park",
    "resume_ticket",
)
ISSUE_TICKET = "issue_ticket"


def staff_room(office_id: str) -> str:
    """Every staff screen (officers, supervisors, admins): what changed in the queue."""
    return f"staff:{office_id}"


def office_watch_room(office_id: str) -> str:
    """Staff screens of the whole office, not of one counter (the supervisor view)."""
    return f"watch:{office_id}"


def staff_facts_room(office_id: str) -> str:
    """Staff clients that follow every fact, in full (API clients; not the shipped pages,
    which draw from queue_changed and hear their own counter's facts in its room)."""
    return f"staff-facts:{office_id}"


def public_room(office_id: str) -> str:
    """Waiting-room TVs and kiosks: public facts only (numbers, counters, states)."""
    return f"public:{office_id}"


def counter_room(counter_id: str) -> str:
    """Screens of one counter (the officer may have two)."""
    return f"counter:{counter_id}"


def ticket_room(status_token: str) -> str:
    """The phone status page of one ticket, reached through its unguessable token."""
    return f"ticket:{status_token}"


_PRIVATE_FIELDS = ("status_token", "request_id")
# What the waiting room draws; other facts go to the phone page of their ticket only.
PUBLIC_FACTS = frozenset({TicketCalled, TicketRecalled, TicketSkipped, TicketStarted})
_COUNTER_FIELDS = ("counter", "from_counter", "to_counter")


def _staff_event(data: dict[str, Any]) -> dict[str, Any]:
    # The status token opens the phone page of one ticket; it is not for every screen.
    return {k: v for k, v in data.items() if k not in _PRIVATE_FIELDS}


class Emitter(Protocol):
    def emit(self, event: str, data: Any, *, to: str | list[str]) -> None: ...


class Publisher:
    """Turns committed domain events into Socket.IO facts for the right rooms.

    Each payload is built once per version (shared views) and each emit is encoded once
    for all its rooms, so a command costs the same whether 1 or 50 screens listen.
    """

    def __init__(self, emitter: Emitter, catalogue: Catalogue) -> None:
        self._emitter = emitter
        self._catalogue = catalogue
        # Other parts that react to committed events, e.g. the display pre-rendering a call.
        self.listeners: list[Callable[[list[DomainEvent], OfficeDay], None]] = []

    def publish(self, name: str, payload: dict[str, Any], rooms: list[str]) -> None:
        """The one place an emit happens; a client in several of the rooms gets it once."""
        self._emitter.emit(name, payload, to=rooms)

    def __call__(self, events: list[DomainEvent], snapshot: Snapshot, before: Snapshot) -> None:
        """Publish the facts of one command, then what changed in the queue, if anything.

        Every message costs a websocket frame per client, so screens get only what they
        draw: the TVs the calls, each panel its own counter's facts, everyone the news.
        """
        catalogue = self._catalogue
        office = catalogue.office_id
        for event in events:
            name = FACT_NAMES.get(type(event))
            if name is None:
                continue  # a fact no screen draws (a visit entered afterwards from paper)
            counters = [
                k
                for k in dict.fromkeys(getattr(event, f, None) for f in _COUNTER_FIELDS)
                if k and catalogue.counter(k)
            ]
            counter = catalogue.counter(counters[0]) if counters else None
            data = event.to_data()
            ticket_id = getattr(event, "ticket_id", None)
            ticket = snapshot.day.tickets[ticket_id] if ticket_id else None
            self.publish(
                name,
                {
                    "event": _staff_event(data),
                    "ticket": ticket_view(snapshot, catalogue, ticket) if ticket else None,
                    "counter": counter_view(snapshot, catalogue, counter) if counter else None,
                },
                [staff_facts_room(office), *map(counter_room, counters)],
            )
            if ticket is not None:
                rooms = [ticket_room(ticket.status_token)]
                if type(event) in PUBLIC_FACTS:
                    rooms.append(public_room(office))
                self.publish(
                    name,
                    {
                        "event": public_event(data),
                        "ticket": public_ticket_view(snapshot, catalogue, ticket),
                    },
                    rooms,
                )
        self._staff_news(snapshot, before)
        public, was = public_counts(snapshot, catalogue), public_counts(before, catalogue)
        if _drawn(public) != _drawn(was):
            self.publish(QUEUE_CHANGED, public, [public_room(office)])
        for listener in self.listeners:
            listener(events, snapshot.day)

    def _staff_news(self, snapshot: Snapshot, before: Snapshot) -> None:
        """queue_changed for staff: to every screen when a line moved; else only to the
        counters whose own entry changed (a step, a break) and to whole-office screens."""
        catalogue = self._catalogue
        office = catalogue.office_id
        news, was = staff_changes(snapshot, catalogue), staff_changes(before, catalogue)
        if news["services"] != was["services"]:
            self.publish(QUEUE_CHANGED, news, [staff_room(office)])
            return
        changed = [
            now["id"]
            for now, then in zip(news["counters"], was["counters"], strict=True)
            if now != then
        ]
        if changed:
            rooms = [office_watch_room(office), *map(counter_room, changed)]
            self.publish(QUEUE_CHANGED, news, rooms)


def _drawn(news: dict[str, Any]) -> dict[str, Any]:
    # The version moves with every event; what a screen draws may not.
    return {k: v for k, v in news.items() if k != "version"}

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
    CounterSessionEvent,
    DomainEvent,
    StepChanged,
    StepHandedOver,
    TicketCalled,
    TicketCancelled,
    TicketFinished,
    TicketIssued,
    TicketReassigned,
    TicketRecalled,
    TicketReinstated,
    TicketReturned,
    TicketSkipped,
    TicketStarted,
    TicketTransferred,
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
)
ISSUE_TICKET = "issue_ticket"


def staff_room(office_id: str) -> str:
    """Officers, supervisors and admins of the office: every fact, in full."""
    return f"staff:{office_id}"


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

    def __call__(self, events: list[DomainEvent], snapshot: Snapshot) -> None:
        """Publish the facts of one command, then what changed in the queue."""
        catalogue = self._catalogue
        staff, public = staff_room(catalogue.office_id), public_room(catalogue.office_id)
        for event in events:
            name = FACT_NAMES[type(event)]
            counter_id = getattr(event, "counter", None) or getattr(event, "from_counter", None)
            counter = catalogue.counter(counter_id) if counter_id else None
            data = event.to_data()
            ticket = None
            if not isinstance(event, CounterSessionEvent):
                ticket = snapshot.day.tickets[event.ticket_id]  # type: ignore[attr-defined]
            self.publish(
                name,
                {
                    "event": _staff_event(data),
                    "ticket": ticket_view(snapshot, catalogue, ticket) if ticket else None,
                    "counter": counter_view(snapshot, catalogue, counter) if counter else None,
                },
                [staff],
            )
            if ticket is not None:
                self.publish(
                    name,
                    {
                        "event": public_event(data),
                        "ticket": public_ticket_view(snapshot, catalogue, ticket),
                    },
                    [public, ticket_room(ticket.status_token)],
                )
        self.publish(QUEUE_CHANGED, staff_changes(snapshot, catalogue), [staff])
        self.publish(QUEUE_CHANGED, public_counts(snapshot, catalogue), [public])
        for listener in self.listeners:
            listener(events, snapshot.day)

"""What the officer is told after a command ended a visit: "A-001 dilewati", "A-004 selesai,
12 mnt". Built from the events the hub appended, so it says what really happened."""

from __future__ import annotations

from shared.domain.catalogue import Catalogue
from shared.domain.events import (
    DomainEvent,
    TicketFinished,
    TicketReturned,
    TicketSkipped,
    TicketTransferred,
)
from shared.domain.office_day import OfficeDay
from shared.domain.standards import is_too_short
from shared.domain.timing import service_minutes


def duration_text(minutes: float) -> str:
    """ "45 dtk" under a minute, else whole minutes: "12 mnt"."""
    if minutes < 1:
        return f"{max(0, round(minutes * 60))} dtk"
    return f"{round(minutes)} mnt"


def command_feedback(day: OfficeDay, catalogue: Catalogue, events: list[DomainEvent]) -> str:
    """One line per visit these events ended, in order; "" when none ended."""
    said = [_said(day, catalogue, e) for e in events]
    return " · ".join(s for s in said if s)


def _said(day: OfficeDay, catalogue: Catalogue, event: DomainEvent) -> str:
    ticket = day.tickets.get(getattr(event, "ticket_id", ""))
    if ticket is None:
        return ""
    number = ticket.number
    if isinstance(event, TicketSkipped):
        if event.automatic:
            return f"{number} dilewati setelah dipanggil {event.call_count} kali"
        return f"{number} dilewati"
    if isinstance(event, TicketFinished):
        minutes = service_minutes(ticket)
        if minutes is None:
            return f"{number} selesai"
        short = is_too_short(minutes, catalogue.call_rules.minimum_service_minutes)
        flag = " (terlalu singkat)" if short else ""
        return f"{number} selesai, {duration_text(minutes)}{flag}"
    if isinstance(event, TicketReturned):
        return f"{number} dikembalikan: {event.reason}"
    if isinstance(event, TicketTransferred):
        if event.to_counter:
            counter = catalogue.counter(event.to_counter)
            return f"{number} dialihkan ke {counter.name if counter else event.to_counter}"
        service = catalogue.service(event.to_service)
        return f"{number} dialihkan ke layanan {service.name if service else event.to_service}"
    return ""

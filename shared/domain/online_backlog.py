"""The "belum diinput online" backlog: visits finished while SIAPkerja was down.

Entries outlive the office day they were made on (someone enters them when the national
system is back, perhaps days later), so the backlog is its own stream per office, folded
here, rather than a fold over every day stream since the office opened.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from shared.domain import errors
from shared.domain.commands import ClearOnlineEntry
from shared.domain.events import (
    DomainEvent,
    OnlineEntryCleared,
    OnlineEntryPending,
    TicketFinished,
)
from shared.domain.office_calendar import long_date
from shared.domain.office_day import OfficeDay, Outcome


@dataclass(frozen=True)
class BacklogEntry:
    """One visit still to be entered in SIAPkerja, or entered (cleared_by and cleared_at)."""

    ticket_id: str
    office_day: str
    number: str
    service: str
    counter: str
    officer: str
    finished_at: datetime
    cleared_by: str | None = None
    cleared_at: datetime | None = None

    def age_days(self, today: date) -> int:
        """Office days since the visit (0: today)."""
        return (today - date.fromisoformat(self.office_day)).days


@dataclass
class OnlineBacklog:
    """Every backlog entry of one office, folded from its stream."""

    version: int = 0
    entries: dict[str, BacklogEntry] = field(default_factory=dict)

    def apply(self, event: DomainEvent) -> None:
        """Fold one event; a repeated entry (two processes repairing at once) counts once."""
        self.version += 1
        if isinstance(event, OnlineEntryPending):
            self.entries.setdefault(
                event.ticket_id,
                BacklogEntry(
                    event.ticket_id,
                    event.office_day,
                    event.number,
                    event.service,
                    event.counter,
                    event.officer,
                    event.at,
                ),
            )
        elif isinstance(event, OnlineEntryCleared):
            entry = self.entries.get(event.ticket_id)
            if entry is not None and entry.cleared_at is None:
                self.entries[event.ticket_id] = replace(
                    entry, cleared_by=event.cleared_by, cleared_at=event.at
                )

    def open_entries(self) -> list[BacklogEntry]:
        """Entries still to be entered, oldest first."""
        waiting = [e for e in self.entries.values() if e.cleared_at is None]
        return sorted(waiting, key=lambda e: e.finished_at)

    def count_for_day(self, office_day: date) -> int:
        """How many entries (open or cleared) come from one office day."""
        key = office_day.isoformat()
        return sum(1 for e in self.entries.values() if e.office_day == key)


def missing_entries(backlog: OnlineBacklog, day: OfficeDay, office_day: date) -> list[DomainEvent]:
    """Entries for the day's "belum diinput online" finishes the backlog does not hold yet.

    The finish is stored in the day's stream first; its backlog entry follows in another
    append, which a crash or a store hiccup between the two can lose. This repairs it.
    """
    flagged = sum(t.get(Outcome.NOT_ENTERED_ONLINE, 0) for t in day.outcomes_by_counter.values())
    if flagged == backlog.count_for_day(office_day):
        return []  # the usual case, decided without looking at every ticket
    missing: list[DomainEvent] = []
    for ticket in day.tickets.values():
        if not ticket.not_entered_online or ticket.id in backlog.entries:
            continue
        missing.append(
            OnlineEntryPending(
                at=ticket.ended_at or day.last_event_at or ticket.issued_at,
                ticket_id=ticket.id,
                office_day=office_day.isoformat(),
                number=ticket.number,
                service=ticket.service,
                counter=ticket.counter or "",
                officer=ticket.officer or "",
            )
        )
    return sorted(missing, key=lambda e: e.at)


def entries_for(events: list[DomainEvent], day: OfficeDay, office_day: date) -> list[DomainEvent]:
    """The backlog entries a command's day events call for (its "belum diinput" finishes)."""
    entries: list[DomainEvent] = []
    for event in events:
        if isinstance(event, TicketFinished) and event.not_entered_online:
            ticket = day.tickets[event.ticket_id]
            entries.append(
                OnlineEntryPending(
                    at=event.at,
                    ticket_id=ticket.id,
                    office_day=office_day.isoformat(),
                    number=ticket.number,
                    service=ticket.service,
                    counter=event.counter,
                    officer=event.officer,
                )
            )
    return entries


def decide_clear(
    backlog: OnlineBacklog, command: ClearOnlineEntry, now: datetime, timezone: str
) -> list[DomainEvent]:
    """The event that clears an entry once; a second clear is refused with who did it."""
    entry = backlog.entries.get(command.ticket)
    if entry is None:
        raise errors.NotFound(
            f"Kunjungan '{errors.shown(command.ticket)}' tidak ada di daftar belum diinput online."
        )
    if entry.cleared_at is not None:
        local = entry.cleared_at.astimezone(ZoneInfo(timezone))
        raise errors.Conflict(
            f"Nomor {entry.number} ({long_date(date.fromisoformat(entry.office_day))}) sudah "
            f"diinput oleh {entry.cleared_by} pada {long_date(local.date())} pukul {local:%H.%M}."
        )
    return [
        OnlineEntryCleared(
            at=now,
            ticket_id=entry.ticket_id,
            office_day=entry.office_day,
            cleared_by=command.cleared_by,
        )
    ]

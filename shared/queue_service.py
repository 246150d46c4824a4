"""Where the domain, the store and the realtime fan-out meet: decide, append, publish."""

from __future__ import annotations

import secrets
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from shared.domain import commands as c
from shared.domain.catalogue import Catalogue
from shared.domain.events import DomainEvent, TicketEvent, event_from_data
from shared.domain.office_day import OfficeDay, Ticket, office_day_of
from shared.domain.rules import decide
from shared.store.base import EventStore, NewEvent, VersionConflict

Clock = Callable[[], datetime]
Publish = Callable[[list[DomainEvent], OfficeDay], None]


def utc_now() -> datetime:
    """The server clock; the one place the queue reads the time."""
    return datetime.now(UTC)


class StoreBusy(Exception):
    """Every retry met a newer version: far more contention than one office makes."""


@dataclass(frozen=True)
class Outcome:
    """What a command did: its events, the day after them, and the ticket concerned."""

    events: list[DomainEvent]
    day: OfficeDay
    ticket: Ticket | None


class QueueService:
    """Runs queue commands for one office against its event store."""

    MAX_ATTEMPTS = 200

    def __init__(
        self,
        store: EventStore,
        catalogue: Catalogue,
        *,
        clock: Clock = utc_now,
        publish: Publish | None = None,
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
        new_token: Callable[[], str] = lambda: secrets.token_urlsafe(16),
    ) -> None:
        self.store = store
        self.catalogue = catalogue
        self.clock = clock
        self._publish = publish
        self._new_id = new_id
        self._new_token = new_token
        # Serialises commands within this process; other processes are held off by versions.
        self._lock = threading.RLock()
        self._day_key: date | None = None
        self._day = OfficeDay()

    def stream_name(self, day: date) -> str:
        """The event stream of one office day."""
        return f"office:{self.catalogue.office_id}:day:{day.isoformat()}"

    def today(self) -> OfficeDay:
        """Today's state, caught up with every process's appends."""
        with self._lock:
            return self._caught_up(self.clock())

    def day_on(self, day: date) -> OfficeDay:
        """The state of any office day, folded afresh from its stream (for reports)."""
        if day == self._day_key_for(self.clock()):
            return self.today()
        past = OfficeDay()
        for stored in self.store.read(self.stream_name(day)):
            past.apply(event_from_data(stored.type, stored.data))
        return past

    def office_date(self) -> date:
        """Today's date in the office's timezone."""
        return self._day_key_for(self.clock())

    def execute(self, command: c.Command) -> Outcome:
        """Decide the command against the latest state and append its events.

        A version conflict means another process appended first: catch up and
        decide again, so no command is lost and no ticket is handed out twice.
        """
        with self._lock:
            for _ in range(self.MAX_ATTEMPTS):
                now = self.clock()
                day = self._caught_up(now)
                events = decide(day, self.catalogue, command, now, self._new_id, self._new_token)
                if not events:
                    return Outcome([], day, _ticket_concerned(day, command, []))
                stored = [NewEvent(e.type_name, e.to_data()) for e in events]
                try:
                    self.store.append(self.stream_name(self._day_key_for(now)), stored, day.version)
                except VersionConflict:
                    continue
                day.apply_all(events)
                if self._publish is not None:
                    self._publish(events, day)
                return Outcome(events, day, _ticket_concerned(day, command, events))
            raise StoreBusy(f"gave up after {self.MAX_ATTEMPTS} version conflicts")

    def _day_key_for(self, now: datetime) -> date:
        return office_day_of(now, self.catalogue.timezone)

    def _caught_up(self, now: datetime) -> OfficeDay:
        key = self._day_key_for(now)
        if key != self._day_key:
            # A new office day: numbering and queues start afresh.
            self._day_key, self._day = key, OfficeDay()
        for stored in self.store.read(self.stream_name(key), self._day.version):
            self._day.apply(event_from_data(stored.type, stored.data))
        return self._day


def _ticket_concerned(
    day: OfficeDay, command: c.Command, events: list[DomainEvent]
) -> Ticket | None:
    if isinstance(command, c.IssueTicket) and not events and command.request_id:
        return day.tickets.get(day.ids_by_request.get(command.request_id, ""))
    ticket_events = [e for e in events if isinstance(e, TicketEvent)]
    if ticket_events:
        return day.tickets.get(ticket_events[-1].ticket_id)
    return None

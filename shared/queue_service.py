"""Where the domain, the store and the realtime fan-out meet: decide, append, publish."""

from __future__ import annotations

import secrets
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from shared.checkpoints import Checkpointer
from shared.domain import commands as c
from shared.domain.catalogue import Catalogue
from shared.domain.events import DomainEvent, TicketEvent, event_from_data
from shared.domain.office_day import OfficeDay, Ticket, office_day_of
from shared.domain.rules import decide
from shared.snapshot import Snapshot
from shared.store.base import EventStore, NewEvent, VersionConflict

Clock = Callable[[], datetime]
# (events, the version after them, the version before them)
Publish = Callable[[list[DomainEvent], Snapshot, Snapshot], None]


def utc_now() -> datetime:
    """The server clock; the one place the queue reads the time."""
    return datetime.now(UTC)


class StoreBusy(Exception):
    """Every retry met a newer version: far more contention than one office makes."""


@dataclass(frozen=True)
class Outcome:
    """What a command did: its events, the day after them, and the ticket concerned."""

    events: list[DomainEvent]
    snapshot: Snapshot
    ticket: Ticket | None

    @property
    def day(self) -> OfficeDay:
        return self.snapshot.day


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
        # The office date and its latest version, replaced together (never changed) on each
        # new version: readers keep the one they got.
        self._latest: tuple[date | None, Snapshot] = (None, Snapshot(OfficeDay()))
        self.checkpoints = Checkpointer(store)

    def stream_name(self, day: date) -> str:
        """The event stream of one office day."""
        return f"office:{self.catalogue.office_id}:day:{day.isoformat()}"

    def today(self) -> OfficeDay:
        """Today's state, caught up with every process's appends."""
        return self.current().day

    def current(self) -> Snapshot:
        """Today's latest version for a reader, with its shared views.

        While a command is being decided here, the reader gets the version before it
        at once instead of queueing behind the store: that command's facts follow.
        """
        if not self._lock.acquire(blocking=False):
            day_key, snapshot = self._latest
            if day_key == self._day_key_for(self.clock()):
                return snapshot
            self._lock.acquire()  # a new office day: never hand out yesterday
        try:
            return self._caught_up(self.clock())
        finally:
            self._lock.release()

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
                before = self._caught_up(now)
                day = before.day
                events = decide(day, self.catalogue, command, now, self._new_id, self._new_token)
                if not events:
                    return Outcome([], before, _ticket_concerned(day, command, []))
                stored = [NewEvent(e.type_name, e.to_data()) for e in events]
                stream = self.stream_name(self._day_key_for(now))
                try:
                    self.store.append(stream, stored, day.version)
                except VersionConflict:
                    continue
                after = Snapshot(day.after(events))
                self._latest = (self._latest[0], after)
                self.checkpoints.consider(stream, after.day)
                if self._publish is not None:
                    self._publish(events, after, before)
                return Outcome(events, after, _ticket_concerned(after.day, command, events))
            raise StoreBusy(f"gave up after {self.MAX_ATTEMPTS} version conflicts")

    def execute_on(self, office_day: date, command: c.Command) -> Outcome:
        """Decide a command that belongs to a given office day, today's or a past one's.

        A past day has no live screens, so nothing is published; its stream takes the events
        under the same version check as today's.
        """
        if office_day == self.office_date():
            return self.execute(command)
        stream = self.stream_name(office_day)
        for _ in range(self.MAX_ATTEMPTS):
            now = self.clock()
            day = self.day_on(office_day)
            events = decide(day, self.catalogue, command, now, self._new_id, self._new_token)
            if not events:
                return Outcome([], Snapshot(day), None)
            stored = [NewEvent(e.type_name, e.to_data()) for e in events]
            try:
                self.store.append(stream, stored, day.version)
            except VersionConflict:
                continue
            after = day.after(events)
            return Outcome(events, Snapshot(after), _ticket_concerned(after, command, events))
        raise StoreBusy(f"gave up after {self.MAX_ATTEMPTS} version conflicts")

    def _day_key_for(self, now: datetime) -> date:
        return office_day_of(now, self.catalogue.timezone)

    def _caught_up(self, now: datetime) -> Snapshot:
        key = self._day_key_for(now)
        day_key, snapshot = self._latest
        stream = self.stream_name(key)
        if key != day_key:
            # A new office day (or a fresh process): from the day's checkpoint, if any.
            snapshot = Snapshot(self.checkpoints.restored(stream))
        stored = self.store.read(stream, snapshot.version)
        new = [event_from_data(s.type, s.data) for s in stored]
        if new:
            snapshot = Snapshot(snapshot.day.after(new))
            self.checkpoints.consider(stream, snapshot.day)
        self._latest = (key, snapshot)
        return snapshot


def _ticket_concerned(
    day: OfficeDay, command: c.Command, events: list[DomainEvent]
) -> Ticket | None:
    if isinstance(command, c.IssueTicket) and not events and command.request_id:
        return day.tickets.get(day.ids_by_request.get(command.request_id, ""))
    ticket_events = [e for e in events if isinstance(e, TicketEvent)]
    if ticket_events:
        return day.tickets.get(ticket_events[-1].ticket_id)
    return None

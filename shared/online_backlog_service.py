"""The "belum diinput online" backlog of one office: record, repair, list and clear entries.

The backlog lives in its own stream (`office:<id>:online-backlog`) because its entries stay
open across office days until someone enters them in SIAPkerja: folding every day stream
since the office opened to find them would grow without end, while this stream holds only
the entries and their clearing. A finish "belum diinput online" is stored in the day's stream
(the visit's truth) and its entry is appended here right after; should that second append
be lost (a crash between the two, the store busy), the entries are repaired from the day
streams: today's on every read (cheap: a count decides), the last REPAIR_DAYS days on the
first read of a process.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date, timedelta

from shared.domain.commands import ClearOnlineEntry
from shared.domain.events import DomainEvent, event_from_data
from shared.domain.office_day import OfficeDay, office_day_of
from shared.domain.online_backlog import (
    BacklogEntry,
    OnlineBacklog,
    decide_clear,
    entries_for,
    missing_entries,
)
from shared.queue_service import QueueService, StoreBusy
from shared.snapshot import Snapshot
from shared.store.base import EventStore, NewEvent, StoreUnavailable, VersionConflict

log = logging.getLogger(__name__)

# How far back a fresh process looks for entries a crash may have lost.
REPAIR_DAYS = 7


class OnlineBacklogService:
    """Appends to and folds the office's backlog stream; safe across hub processes."""

    MAX_ATTEMPTS = 50

    def __init__(self, store: EventStore, queue: QueueService) -> None:
        self.store = store
        self.queue = queue
        self.stream = f"office:{queue.catalogue.office_id}:online-backlog"
        self._lock = threading.RLock()
        self._backlog = OnlineBacklog()
        self._repaired_past = False

    def record(self, events: list[DomainEvent], after: Snapshot, before: Snapshot) -> None:
        """After a day's append: the entries its "belum diinput" finishes call for.

        Called with the queue's publish arguments; a failure here is logged, not raised, since
        the visit is already stored and the next read repairs the entry.
        """
        if not events:
            return
        office_day = office_day_of(events[-1].at, self.queue.catalogue.timezone)
        try:
            self._append(lambda backlog: entries_for(events, after.day, office_day))
        except (StoreUnavailable, StoreBusy) as exc:
            log.warning("backlog entry not recorded now (repaired on the next read): %s", exc)
        except Exception:
            # The visit is stored and published; the officer's answer must not turn into an
            # error for a bookkeeping step the next read repairs.
            log.exception("backlog entry not recorded now (repaired on the next read)")

    def current(self) -> OnlineBacklog:
        """The backlog caught up with the store, repaired from the day streams if needed."""
        # The days are read before taking this lock: a command holds the queue's lock while
        # it records its entries here, so the other order could wait on each other.
        today = self.queue.office_date()
        days = []
        if not self._repaired_past:
            for back in range(REPAIR_DAYS, 0, -1):
                past = today - timedelta(days=back)
                days.append((self.queue.day_on(past), past))
        days.append((self.queue.today(), today))
        with self._lock:
            for day, office_day in days:
                self._repair(day, office_day)
            self._repaired_past = True
            return self._caught_up()

    def open_entries(self) -> list[BacklogEntry]:
        """Entries still to be entered, oldest first."""
        return self.current().open_entries()

    def clear(self, ticket_id: str, cleared_by: str) -> BacklogEntry:
        """Mark an entry entered in SIAPkerja, once; raises a QueueError otherwise."""
        command = ClearOnlineEntry(ticket=ticket_id, cleared_by=cleared_by)
        timezone = self.queue.catalogue.timezone
        self.current()
        backlog = self._append(
            lambda backlog: decide_clear(backlog, command, self.queue.clock(), timezone)
        )
        return backlog.entries[ticket_id]

    def _repair(self, day: OfficeDay, office_day: date) -> None:
        self._append(lambda backlog: missing_entries(backlog, day, office_day))

    def _append(self, decide: Callable[[OnlineBacklog], list[DomainEvent]]) -> OnlineBacklog:
        with self._lock:
            for _ in range(self.MAX_ATTEMPTS):
                backlog = self._caught_up()
                events = decide(backlog)
                if not events:
                    return backlog
                stored = [NewEvent(e.type_name, e.to_data()) for e in events]
                try:
                    self.store.append(self.stream, stored, backlog.version)
                except VersionConflict:
                    continue  # another process wrote first: fold its events, decide again
                return self._caught_up()
            raise StoreBusy(f"backlog: gave up after {self.MAX_ATTEMPTS} version conflicts")

    def _caught_up(self) -> OnlineBacklog:
        new = self.store.read(self.stream, self._backlog.version)
        if new:
            # Folded into a copy: a reader may still hold the backlog handed out before.
            backlog = OnlineBacklog(self._backlog.version, dict(self._backlog.entries))
            for stored in new:
                backlog.apply(event_from_data(stored.type, stored.data))
            self._backlog = backlog
        return self._backlog

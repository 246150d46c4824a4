"""Files finished later: their stream, derived from the queue's day streams, and its commands.

How no file is lost between the two streams. A file is never written by the request that
finishes the visit: the day's `TicketFinished` is the only truth, and the file stream is
derived from it, idempotently, keyed by the ticket's id (a file's id IS its ticket's id;
`OpenFile` for an id already open yields nothing). The same holds for a pickup: the
pickup ticket's request id names its file, and `PickUp` of a file already collected by
that ticket is a no-op. The derivation runs right after each append to a day stream (the
queue's publish hook), and again over the last RECONCILE_DAYS days when the hub starts
and whenever a derivation failed (the worker retries it). So if the hub dies between the
two appends, or the store refuses the second, the file appears at the next start or
retry: a finished visit of such a service always ends up with exactly one file.
"""

from __future__ import annotations

import logging
import secrets
import threading
import uuid
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from shared.domain import errors
from shared.domain.catalogue import Catalogue
from shared.domain.events import DomainEvent, TicketFinished
from shared.domain.files import (
    PICKUP_CODE_ALPHABET,
    PICKUP_CODE_LENGTH,
    Berkas,
    FileCommand,
    FileEvent,
    FilePickedUp,
    FileRegistry,
    FileState,
    OpenFile,
    PickUp,
    decide_file,
    describe_day,
    file_event_from_data,
    file_event_to_data,
    pickup_file_id,
    ready_date,
)
from shared.domain.office_calendar import ZONE_NAMES
from shared.domain.office_day import OfficeDay, TicketState, office_day_of
from shared.store.base import EventStore, NewEvent, VersionConflict

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
RECONCILE_DAYS = 7
WEEKEND = frozenset({5, 6})


def contact_key(file_id: str) -> str:
    """Where a file's contact lives in the contact store."""
    return f"berkas:{file_id}"


def random_code() -> str:
    return "".join(secrets.choice(PICKUP_CODE_ALPHABET) for _ in range(PICKUP_CODE_LENGTH))


class FileDesk:
    """Runs file commands for one office against its files stream."""

    MAX_ATTEMPTS = 200

    def __init__(
        self,
        store: EventStore,
        catalogue: Catalogue,
        *,
        clock: Clock,
        holidays: frozenset[date] = frozenset(),
        new_code: Callable[[], str] = random_code,
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self.store = store
        self.catalogue = catalogue
        self.clock = clock
        # office.holidays (the office calendar): no file is worked on those days either.
        self.holidays = holidays | {h.day for h in catalogue.holidays}
        self._new_code = new_code
        self._new_id = new_id
        self._lock = threading.RLock()
        self._latest = FileRegistry()
        # Called (outside any lock) with the events of each append, e.g. to print a slip.
        self.listeners: list[Callable[[list[FileEvent], FileRegistry], None]] = []
        # Set when a derivation failed: the worker reconciles again.
        self.needs_reconcile = threading.Event()

    @property
    def stream(self) -> str:
        return f"office:{self.catalogue.office_id}:files"

    @property
    def enabled(self) -> bool:
        """True when some service leaves files or the office has a pickup line."""
        return any(s.finished_later_days or s.pickup for s in self.catalogue.services)

    @property
    def closed_weekdays(self) -> frozenset[int]:
        """Days the office does not work: those missing from its opening hours, else weekends."""
        hours = self.catalogue.opening_hours
        if not hours:
            return WEEKEND
        return frozenset(range(7)) - {h.weekday for h in hours}

    def current(self) -> FileRegistry:
        """Every file, caught up with every process's appends."""
        with self._lock:
            return self._caught_up()

    def _caught_up(self) -> FileRegistry:
        latest = self._latest
        stored = self.store.read(self.stream, latest.version)
        if stored:
            latest = latest.after(file_event_from_data(s.type, s.data) for s in stored)
            self._latest = latest
        return latest

    def execute(self, command: FileCommand) -> tuple[list[FileEvent], FileRegistry]:
        """Decide against the latest files and append; a conflict means decide again.

        Optimistic concurrency: two pickups of one file racing (two processes, two
        threads) both decide on the version they read, one append wins, the other meets
        a VersionConflict, reads the pickup and is refused as already collected.
        """
        with self._lock:
            for _ in range(self.MAX_ATTEMPTS):
                registry = self._caught_up()
                events = decide_file(
                    registry, command, self.clock(), self._new_code, self._new_id, self.describe
                )
                if not events:
                    return [], registry
                new = [NewEvent(e.type_name, file_event_to_data(e)) for e in events]
                try:
                    self.store.append(self.stream, new, registry.version)
                except VersionConflict:
                    continue
                after = registry.after(events)
                self._latest = after
                break
            else:
                raise RuntimeError(f"files: gave up after {self.MAX_ATTEMPTS} version conflicts")
        for listener in self.listeners:
            try:
                listener(events, after)
            except Exception:
                log.exception("files listener failed after %s", [e.type_name for e in events])
        return events, after

    # ---- derived from the queue ------------------------------------------------------------

    def after_queue(self, events: list[DomainEvent], day: OfficeDay) -> None:
        """The queue's publish hook: derive files from the visits just finished.

        Never raises: the visit is finished whatever happens here, and a failure leaves
        `needs_reconcile` set so the worker derives the file again.
        """
        finished = [e for e in events if isinstance(e, TicketFinished)]
        if not finished or not self.enabled:
            return
        try:
            self.derive(day, [e.ticket_id for e in finished])
        except Exception:
            log.exception("files: deriving from finished visits failed; will reconcile")
            self.needs_reconcile.set()

    def derive(self, day: OfficeDay, ticket_ids: Iterable[str]) -> None:
        """Open a file for each finished visit that leaves one; record each pickup served."""
        requests = {ticket_id: request for request, ticket_id in day.ids_by_request.items()}
        for ticket_id in ticket_ids:
            ticket = day.tickets.get(ticket_id)
            if ticket is None or ticket.state is not TicketState.DONE or ticket.ended_at is None:
                continue
            if ticket.entered_afterwards:
                continue  # served on a paper number: no slip, no token, no phone page
            service = self.catalogue.service(ticket.service)
            if service is None:
                continue
            if service.finished_later_days:
                visit_day = office_day_of(ticket.ended_at, self.catalogue.timezone)
                self.execute(
                    OpenFile(
                        file_id=ticket.id,
                        number=ticket.number,
                        service=service.code,
                        status_token=ticket.status_token,
                        visit_day=visit_day,
                        ready_by=ready_date(
                            visit_day,
                            service.finished_later_days,
                            self.closed_weekdays,
                            self.holidays,
                        ),
                        counter=ticket.counter or "",
                        officer=ticket.officer or "",
                    )
                )
            file_id = pickup_file_id(requests.get(ticket_id))
            if service.pickup and file_id is not None:
                self._derive_pickup(file_id, ticket_id, ticket.counter, ticket.officer or "")

    def _derive_pickup(
        self, file_id: str, ticket_id: str, counter: str | None, officer: str
    ) -> None:
        berkas = self.current().files.get(file_id)
        if berkas is None or berkas.pickup_ticket == ticket_id:
            return  # unknown file, or this pickup is already recorded
        try:
            self.pick_up(PickUp(file_id, officer, counter=counter, pickup_ticket=ticket_id))
        except errors.QueueError as refused:
            # The pickup ticket was served but the file was not collectable (already
            # collected at the desk, say): the officer saw the file; nothing to record.
            log.warning("pickup ticket %s for file %s: %s", ticket_id, file_id, refused.message)

    def pick_up(self, command: PickUp) -> tuple[list[FileEvent], FileRegistry]:
        """Hand a file over once; its contact is erased from the contact store with it."""
        events, registry = self.execute(command)
        for event in events:
            if isinstance(event, FilePickedUp):
                self.store.erase_contact(contact_key(event.file_id))
        return events, registry

    def reconcile(self, day_on: Callable[[date], OfficeDay], days: int = RECONCILE_DAYS) -> None:
        """Derive again over the last days: files a crash or an outage left underived."""
        # Cleared before, not after: a derivation failing meanwhile raises it again for the
        # next round, and a reconciliation that fails itself leaves it raised.
        self.needs_reconcile.clear()
        try:
            self._reconcile(day_on, days)
        except BaseException:
            self.needs_reconcile.set()
            raise

    def _reconcile(self, day_on: Callable[[date], OfficeDay], days: int) -> None:
        today = office_day_of(self.clock(), self.catalogue.timezone)
        for back in range(days - 1, -1, -1):
            day = day_on(today - timedelta(days=back))
            done = [t.id for t in day.tickets.values() if t.state is TicketState.DONE]
            self.derive(day, done)
        # A pickup whose contact erase did not happen (the hub died between the two).
        since = self.clock() - timedelta(days=days)
        for berkas in self.current().by_state(FileState.PICKED_UP):
            if berkas.picked_up_at is not None and berkas.picked_up_at >= since:
                self.store.erase_contact(contact_key(berkas.id))

    # ---- words ---------------------------------------------------------------------------

    def describe(self, moment: datetime) -> str:
        """E.g. "Kamis, 3 Desember 2026 pukul 10.15 WIB"."""
        local = moment.astimezone(ZoneInfo(self.catalogue.timezone))
        zone = ZONE_NAMES.get(self.catalogue.timezone, local.strftime("%Z"))
        return f"{describe_day(local.date())} pukul {local:%H.%M} {zone}"

    def find(self, ref: str) -> Berkas | None:
        return self.current().find(ref)

"""Where the complaints register meets the store: decide, append, keep or erase the contact.

The register is one event stream per office (`office:<id>:complaints`) in the same store as
the queue, with the same guarantees: an append is durable once acknowledged (a kill -9 loses
nothing), and two people acting on one complaint at once are serialised by the stream's
version: one wins, the other's command is decided again against the new state and refused.

A contact the complainant chose to give lives in the store's erasable contact store, never
in an event, and is erased as soon as the complaint is closed.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from shared.accounts import Accounts, Role
from shared.config import Settings
from shared.domain.complaints import (
    PUBLIC_CHANNEL,
    Complaint,
    ComplaintCommand,
    ComplaintEvent,
    ComplaintPolicy,
    ComplaintRegister,
    ForwardComplaint,
    ReceiveComplaint,
    clean_contact,
    complaint_event_from_data,
    decide_complaint,
)
from shared.store.base import EventStore, NewEvent, StoreUnavailable, VersionConflict

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class RegisterBusy(Exception):
    """Every retry met a newer version: far more contention than one office makes."""


def complaint_policy(settings: Settings) -> ComplaintPolicy:
    """The office's complaint rules from its config."""
    return ComplaintPolicy(
        timezone=settings.office.timezone,
        categories=settings.complaints.categories,
        channels=tuple(
            dict.fromkeys(
                (*settings.office.complaint_channels, *settings.complaints.extra_channels)
            )
        ),
        response_days=settings.complaints.response_days,
        # The office calendar's holidays are not working days for the response target.
        holidays=frozenset(h.date for h in settings.office.holidays),
    )


def build_complaint_service(
    settings: Settings, store: EventStore, accounts: Accounts, clock: Clock
) -> ComplaintService:
    """The office's register, forwarding to its enabled supervisors."""

    def supervisors() -> list[str]:
        return [u.name for u in accounts.users() if u.role is Role.SUPERVISOR and u.enabled]

    return ComplaintService(
        store, settings.office.id, complaint_policy(settings), clock=clock, supervisors=supervisors
    )


@dataclass(frozen=True)
class Received:
    """A filed complaint, and whether this request filed it (False: a repeated submit)."""

    complaint: Complaint
    created: bool


class ComplaintService:
    """Runs complaint commands for one office against its event store."""

    MAX_ATTEMPTS = 200

    def __init__(
        self,
        store: EventStore,
        office_id: str,
        policy: ComplaintPolicy,
        *,
        clock: Clock,
        supervisors: Callable[[], Iterable[str]] = tuple,
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
        new_token: Callable[[], str] = lambda: secrets.token_urlsafe(18),
    ) -> None:
        self.store = store
        self.policy = policy
        self.clock = clock
        self.stream = f"office:{office_id}:complaints"
        self._supervisors = supervisors
        self._new_id = new_id
        self._new_token = new_token
        self._lock = threading.RLock()
        self._register = ComplaintRegister()
        # Contacts of closed complaints not yet erased (the store failed at that moment).
        self._to_erase: set[str] = set()
        self._swept = False

    def register(self) -> ComplaintRegister:
        """The register, caught up with every process's appends."""
        with self._lock:
            return self._caught_up()

    def supervisors(self) -> list[str]:
        """Who a complaint may be forwarded to."""
        return sorted(self._supervisors())

    def receive(self, command: ReceiveComplaint, contact: object = None) -> Received:
        """File a complaint; a contact (if given) is kept erasably, outside the events.

        The event is appended before the contact is saved: a crash in between leaves a
        complaint whose contact is missing, never a contact that no complaint refers to.
        """
        cleaned = clean_contact(contact)
        command = dataclasses.replace(command, has_contact=cleaned is not None)
        register, events = self._execute(command)
        if events:
            complaint = register.complaints[events[0].complaint_id]
        else:  # the same submit again: answer with the complaint it filed
            found = register.by_request_id(command.request_id or "")
            if found is None:
                raise RuntimeError("a receive produced nothing and matched no earlier submit")
            complaint = found
        if cleaned is not None and complaint.has_contact and not complaint.is_closed:
            # On a repeated submit, save it only if the first one died before it could.
            if events or self.store.load_contact(complaint.contact_key) is None:
                self.store.save_contact(complaint.contact_key, cleaned)
                # Closed meanwhile (by another hub, between the append and the save)?
                if self.register().complaints[complaint.id].is_closed:
                    self.store.erase_contact(complaint.contact_key)
        return Received(complaint, created=bool(events))

    def act(self, command: ComplaintCommand) -> Complaint:
        """Forward, follow up or close a complaint; refusals are domain errors."""
        register, events = self._execute(command)
        complaint = register.complaints[events[0].complaint_id]
        if complaint.is_closed and complaint.has_contact:
            with self._lock:
                self._to_erase.add(complaint.contact_key)
                self._erase_pending()
        return complaint

    def contact(self, complaint: Complaint) -> str | None:
        """The contact to answer an open complaint; None once closed (it is erased then)."""
        if not complaint.has_contact or complaint.is_closed:
            return None
        return self.store.load_contact(complaint.contact_key)

    def _execute(self, command: ComplaintCommand) -> tuple[ComplaintRegister, list[ComplaintEvent]]:
        with self._lock:
            for _ in range(self.MAX_ATTEMPTS):
                now = self.clock()
                register = self._caught_up()
                events = decide_complaint(
                    register,
                    self.policy,
                    command,
                    now,
                    self._new_id,
                    self._new_token,
                    # Only a forward needs them (a read of the accounts).
                    supervisors=self._supervisors()
                    if isinstance(command, ForwardComplaint)
                    else (),
                )
                if not events:
                    return register, []
                stored = [NewEvent(e.type_name, e.to_data()) for e in events]
                try:
                    self.store.append(self.stream, stored, register.version)
                except VersionConflict:
                    continue  # another process filed or acted first: decide again
                self._register = register.after(events)
                return self._register, events
            raise RegisterBusy(f"gave up after {self.MAX_ATTEMPTS} version conflicts")

    def _caught_up(self) -> ComplaintRegister:
        register = self._register
        stored = self.store.read(self.stream, register.version)
        if stored:
            events = [complaint_event_from_data(s.type, s.data) for s in stored]
            register = register.after(events)
            self._register = register
            closed = (register.complaints[e.complaint_id] for e in events)
            self._to_erase.update(c.contact_key for c in closed if c.is_closed and c.has_contact)
        if not self._swept:
            # Once per process: a hub killed between closing and erasing erases now.
            self._swept = True
            self._to_erase.update(
                c.contact_key for c in register.complaints.values() if c.is_closed and c.has_contact
            )
        self._erase_pending()
        return register

    def _erase_pending(self) -> None:
        for key in sorted(self._to_erase):
            try:
                if self.store.load_contact(key) is not None:
                    self.store.erase_contact(key)
            except StoreUnavailable as exc:
                log.warning("contact %s of a closed complaint not erased yet: %s", key, exc)
                return  # tried again on the next read of the register
            self._to_erase.discard(key)


def public_command(
    *,
    kind: str,
    category: str,
    text: str,
    anonymous: bool,
    request_id: str | None,
    visit: tuple[str, str, date] | None,
) -> ReceiveComplaint:
    """A complaint filed on the public form."""
    number, service, day = visit if visit and not anonymous else (None, None, None)
    return ReceiveComplaint(
        kind=kind,
        category=category,
        channel=PUBLIC_CHANNEL,
        text=text,
        anonymous=anonymous,
        visit_number=number,
        visit_service=service,
        visit_date=day,
        request_id=request_id,
    )

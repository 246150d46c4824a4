"""Facts about tickets, in the past tense; an office day is the fold of these."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import Any, ClassVar


@dataclass(frozen=True)
class DomainEvent:
    """Base of every event: the server time it happened."""

    type_name: ClassVar[str] = ""
    at: datetime

    def to_data(self) -> dict[str, Any]:
        """JSON-ready fields, with datetimes as ISO strings and tuples as lists."""
        data: dict[str, Any] = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            data[field.name] = value
        return data


@dataclass(frozen=True)
class TicketEvent(DomainEvent):
    """Something that happened to one ticket."""

    ticket_id: str


@dataclass(frozen=True)
class CounterEvent(TicketEvent):
    """Something an officer did to a ticket at a counter."""

    counter: str
    officer: str


@dataclass(frozen=True)
class TicketIssued(TicketEvent):
    type_name: ClassVar[str] = "TicketIssued"
    number: str
    seq: int
    service: str
    priority: str | None
    status_token: str
    issued_by: str | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class TicketCalled(CounterEvent):
    type_name: ClassVar[str] = "TicketCalled"
    # True when the officer chose this number ("Panggil nomor...") instead of the next in line.
    chosen: bool = False


@dataclass(frozen=True)
class TicketRecalled(CounterEvent):
    type_name: ClassVar[str] = "TicketRecalled"
    call_count: int
    automatic: bool = False


@dataclass(frozen=True)
class TicketSkipped(CounterEvent):
    type_name: ClassVar[str] = "TicketSkipped"
    call_count: int
    # True when the call limit did the skipping, not the officer's "Lewati".
    automatic: bool = False


@dataclass(frozen=True)
class TicketReinstated(TicketEvent):
    type_name: ClassVar[str] = "TicketReinstated"
    officer: str
    # A returned visitor (berkas tidak lengkap) came back the same day with the document.
    came_back: bool = False
    # call_rules.returned_rejoin: back_of_line: it queues from now, not from its issue time.
    back_of_line: bool = False


@dataclass(frozen=True)
class TicketStarted(CounterEvent):
    type_name: ClassVar[str] = "TicketStarted"


@dataclass(frozen=True)
class StepChanged(CounterEvent):
    type_name: ClassVar[str] = "StepChanged"
    from_step: int
    to_step: int
    skipped_steps: tuple[int, ...] = ()

    @property
    def went_back(self) -> bool:
        """True when the officer returned to an earlier step (SOP: "kembali ke langkah 4")."""
        return self.to_step < self.from_step


@dataclass(frozen=True)
class TicketFinished(CounterEvent):
    type_name: ClassVar[str] = "TicketFinished"
    skipped_steps: tuple[int, ...] = ()
    # Served while the national system (SIAPkerja) was down: to be entered online later.
    not_entered_online: bool = False


@dataclass(frozen=True)
class TicketReturned(CounterEvent):
    type_name: ClassVar[str] = "TicketReturned"
    reason: str


@dataclass(frozen=True)
class TicketTransferred(CounterEvent):
    type_name: ClassVar[str] = "TicketTransferred"
    to_service: str
    to_counter: str | None = None


@dataclass(frozen=True)
class TicketCancelled(TicketEvent):
    type_name: ClassVar[str] = "TicketCancelled"
    officer: str
    reason: str = ""


@dataclass(frozen=True)
class StepHandedOver(CounterEvent):
    """The current step went to another actor (the section head's signature, say)."""

    type_name: ClassVar[str] = "StepHandedOver"
    step: int
    # Who signs: the step's actor, or one of its substitutes (then substitute_for names the
    # actor the SOP assigns).
    to_actor: str
    substitute_for: str | None = None
    # "Tunggu TTD": the ticket leaves the counter until the signed file comes back
    # (TicketResumed); the step and the visit keep running meanwhile.
    parked: bool = False


@dataclass(frozen=True)
class TicketReassigned(TicketEvent):
    """A supervisor pulled a ticket back to its line, or sent it to one counter."""

    type_name: ClassVar[str] = "TicketReassigned"
    officer: str
    from_counter: str | None = None
    to_counter: str | None = None


@dataclass(frozen=True)
class CounterSessionEvent(DomainEvent):
    """Who sits at a counter, and whether they are taking calls."""

    counter: str
    officer: str


@dataclass(frozen=True)
class CounterOpened(CounterSessionEvent):
    type_name: ClassVar[str] = "CounterOpened"


@dataclass(frozen=True)
class CounterClosed(CounterSessionEvent):
    type_name: ClassVar[str] = "CounterClosed"
    # Set when a supervisor freed the counter for someone else; None when the officer left.
    closed_by: str | None = None


@dataclass(frozen=True)
class CounterPaused(CounterSessionEvent):
    type_name: ClassVar[str] = "CounterPaused"
    reason: str = ""


@dataclass(frozen=True)
class CounterResumed(CounterSessionEvent):
    type_name: ClassVar[str] = "CounterResumed"


@dataclass(frozen=True)
class OfficeEvent(DomainEvent):
    """Something a supervisor decided for the whole office day, not for one ticket."""

    by: str


@dataclass(frozen=True)
class ServiceClosed(OfficeEvent):
    """No more numbers of this service today (e.g. "Blangko kartu habis")."""

    type_name: ClassVar[str] = "ServiceClosed"
    service: str
    reason: str


@dataclass(frozen=True)
class ServiceReopened(OfficeEvent):
    type_name: ClassVar[str] = "ServiceReopened"
    service: str


@dataclass(frozen=True)
class PaperVisitRecorded(TicketEvent):
    """A visit served on a paper number while the hub was down, entered afterwards.

    `at` is when it was entered; the visit's own times are the approximate ones written down.
    """

    type_name: ClassVar[str] = "PaperVisitRecorded"
    number: str  # as written on the paper, kept apart from the day's own numbering
    service: str
    outcome: str  # a PaperOutcome value
    recorded_by: str
    issued_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    counter: str | None = None
    return_reason: str | None = None


EVENT_TYPES: dict[str, type[DomainEvent]] = {
    cls.type_name: cls
    for cls in (
        TicketIssued,
        TicketCalled,
        TicketRecalled,
        TicketSkipped,
        TicketReinstated,
        TicketStarted,
        StepChanged,
        TicketFinished,
        TicketReturned,
        TicketTransferred,
        TicketCancelled,
        StepHandedOver,
        TicketReassigned,
        CounterOpened,
        CounterClosed,
        CounterPaused,
        CounterResumed,
        ServiceClosed,
        ServiceReopened,
        PaperVisitRecorded,
    )
}


_TIME_FIELDS = ("at", "issued_at", "started_at", "finished_at")


def event_from_data(type_name: str, data: dict[str, Any]) -> DomainEvent:
    """Rebuild a domain event from its stored type name and data."""
    cls = EVENT_TYPES[type_name]
    values = dict(data)
    for key in _TIME_FIELDS:
        if isinstance(values.get(key), str):
            values[key] = datetime.fromisoformat(values[key])
    for key, value in values.items():
        if isinstance(value, list):
            values[key] = tuple(value)
    return cls(**values)


@dataclass(frozen=True)
class VisitAttributesRecorded(CounterEvent):
    """The officer chose statistics values for the visit (e.g. jenis_kelamin: P).

    Only values from the service's closed choice lists in config.yaml: never a name, NIK,
    phone number or address. A later recording of the same attribute replaces the earlier.
    """

    type_name: ClassVar[str] = "VisitAttributesRecorded"
    attributes: dict[str, str] = dataclass_field(default_factory=dict, hash=False)


EVENT_TYPES[VisitAttributesRecorded.type_name] = VisitAttributesRecorded
# ---- issue 13: parked tickets and the "belum diinput online" backlog ----------------------


@dataclass(frozen=True)
class TicketResumed(CounterEvent):
    """A parked ticket is back at its counter: the signed file returned ("Lanjutkan")."""

    type_name: ClassVar[str] = "TicketResumed"
    step: int
    # When it was parked and who was to sign, so a register reads the stay from this event.
    parked_at: datetime
    signed_by: str


@dataclass(frozen=True)
class OnlineBacklogEvent(DomainEvent):
    """An entry of the office's "belum diinput online" backlog (its own stream, not a day's)."""

    ticket_id: str
    # The office day (ISO date) of the visit: ticket ids are unique, the day finds its stream.
    office_day: str


@dataclass(frozen=True)
class OnlineEntryPending(OnlineBacklogEvent):
    """A visit finished without entering it in SIAPkerja: someone must enter it later."""

    type_name: ClassVar[str] = "OnlineEntryPending"
    number: str
    service: str
    counter: str
    officer: str


@dataclass(frozen=True)
class OnlineEntryCleared(OnlineBacklogEvent):
    """The visit has been entered in SIAPkerja ("sudah diinput")."""

    type_name: ClassVar[str] = "OnlineEntryCleared"
    cleared_by: str


EVENT_TYPES.update(
    {cls.type_name: cls for cls in (TicketResumed, OnlineEntryPending, OnlineEntryCleared)}
)

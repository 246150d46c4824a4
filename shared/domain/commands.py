"""What devices and officers ask the queue to do, named imperatively."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Command:
    """Base of every command."""


@dataclass(frozen=True)
class IssueTicket(Command):
    service: str
    priority: str | None = None
    issued_by: str | None = None
    # A kiosk sends the same request id when a tap is repeated, so a double tap yields one ticket.
    request_id: str | None = None


@dataclass(frozen=True)
class CounterCommand(Command):
    """A command an officer gives at a counter."""

    counter: str
    officer: str


@dataclass(frozen=True)
class CallNext(CounterCommand):
    pass


@dataclass(frozen=True)
class CallTicket(CounterCommand):
    """Call one chosen waiting or skipped number ("Panggil nomor...")."""

    ticket: str


@dataclass(frozen=True)
class Recall(CounterCommand):
    pass


@dataclass(frozen=True)
class ExpireCall(CounterCommand):
    """The automatic recall timer ran out for the counter's called ticket."""


@dataclass(frozen=True)
class Start(CounterCommand):
    pass


@dataclass(frozen=True)
class NextStep(CounterCommand):
    # None means the next step; a later step is allowed over optional ones only.
    to_step: int | None = None


@dataclass(frozen=True)
class PreviousStep(CounterCommand):
    to_step: int | None = None


@dataclass(frozen=True)
class Finish(CounterCommand):
    # "Selesai, belum diinput online": SIAPkerja is down, the visit joins the backlog.
    not_entered_online: bool = False


@dataclass(frozen=True)
class Skip(CounterCommand):
    pass


@dataclass(frozen=True)
class ReturnIncomplete(CounterCommand):
    reason: str


@dataclass(frozen=True)
class Transfer(CounterCommand):
    to_service: str | None = None
    to_counter: str | None = None


@dataclass(frozen=True)
class Reinstate(CounterCommand):
    ticket: str


@dataclass(frozen=True)
class Cancel(CounterCommand):
    ticket: str
    reason: str = ""


@dataclass(frozen=True)
class HandOverStep(CounterCommand):
    """The current step is done by another actor (e.g. the section head signs).

    `signer` is the step's actor or one of its substitutes (None: the actor); with `park`
    the ticket leaves the counter until the file comes back ("Tunggu TTD").
    """

    signer: str | None = None
    park: bool = False


@dataclass(frozen=True)
class OpenCounter(CounterCommand):
    """The officer sits down at this counter; they leave any other counter they held."""


@dataclass(frozen=True)
class CloseCounter(CounterCommand):
    """The officer leaves the counter (logout, end of shift)."""


@dataclass(frozen=True)
class PauseCounter(CounterCommand):
    """Istirahat: no calls go to this counter until it resumes."""

    reason: str = ""


@dataclass(frozen=True)
class ResumeCounter(CounterCommand):
    pass


@dataclass(frozen=True)
class RecordAttributes(CounterCommand):
    """Statistics for the visit being served, chosen from the service's closed lists."""

    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SupervisorCommand(Command):
    """A command a section head gives for the whole office."""

    supervisor: str


@dataclass(frozen=True)
class ReleaseCounter(SupervisorCommand):
    """Free a counter whose officer left without logging out."""

    counter: str


@dataclass(frozen=True)
class Reassign(SupervisorCommand):
    """Pull a ticket back to its line (to_counter None) or send it to one counter."""

    ticket: str
    to_counter: str | None = None


@dataclass(frozen=True)
class SupervisorReinstate(SupervisorCommand):
    """Reinstate a skipped ticket of any service, from no particular counter."""

    ticket: str


@dataclass(frozen=True)
class SupervisorCancel(SupervisorCommand):
    """Cancel a ticket of any service, also one being called at any counter."""

    ticket: str
    reason: str = ""


@dataclass(frozen=True)
class CloseService(SupervisorCommand):
    """No more numbers of a service for the rest of the day, with the reason the kiosk shows."""

    service: str
    reason: str


@dataclass(frozen=True)
class ReopenService(SupervisorCommand):
    """Give out numbers of a closed service again today."""

    service: str


@dataclass(frozen=True)
class RecordPaperVisit(Command):
    """Enter a visit served on a paper number while the hub was down (times approximate)."""

    recorded_by: str
    office_day: date
    service: str
    number: str
    outcome: str
    issued_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    counter: str | None = None
    return_reason: str | None = None


@dataclass(frozen=True)
class ResumeTicket(CounterCommand):
    """A parked ticket's file came back signed: it returns to the counter ("Lanjutkan")."""

    ticket: str


@dataclass(frozen=True)
class ClearOnlineEntry(Command):
    """A backlog visit has been entered in SIAPkerja ("sudah diinput")."""

    ticket: str
    cleared_by: str

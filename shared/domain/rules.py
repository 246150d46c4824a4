"""The queue rules: decide which events a command yields against an office day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from shared.domain import commands as c
from shared.domain import errors
from shared.domain.catalogue import BACK_OF_LINE, Catalogue, Counter, Priority, Service
from shared.domain.events import (
    CounterClosed,
    CounterOpened,
    CounterPaused,
    CounterResumed,
    DomainEvent,
    ServiceClosed,
    ServiceReopened,
    StepChanged,
    StepHandedOver,
    TicketCalled,
    TicketCancelled,
    TicketFinished,
    TicketIssued,
    TicketReassigned,
    TicketRecalled,
    TicketReinstated,
    TicketResumed,
    TicketReturned,
    TicketSkipped,
    TicketStarted,
    TicketTransferred,
    VisitAttributesRecorded,
)
from shared.domain.files import pickup_file_id
from shared.domain.office_calendar import closed_refusal
from shared.domain.office_day import LineKey, OfficeDay, Ticket, TicketState, format_number
from shared.domain.paper_visits import record_paper_visit

MAX_REASON_LENGTH = 200


def decide(
    day: OfficeDay,
    catalogue: Catalogue,
    command: c.Command,
    now: datetime,
    new_id: Callable[[], str],
    new_token: Callable[[], str],
) -> list[DomainEvent]:
    """Events the command yields; raises a QueueError when the rules refuse it."""
    if isinstance(command, c.IssueTicket):
        return _issue(day, catalogue, command, now, new_id(), new_token())
    if isinstance(command, c.RecordPaperVisit):
        return record_paper_visit(day, catalogue, command, now, new_id())
    if isinstance(command, c.SupervisorCommand):
        return _SUPERVISOR_HANDLERS[type(command)](day, catalogue, command, now)
    if not isinstance(command, c.CounterCommand):
        raise TypeError(f"not a queue command: {command!r}")
    handler = _COUNTER_HANDLERS[type(command)]
    counter = _counter(catalogue, command.counter)
    ctx = _Context(day, catalogue, counter, command, now)
    if isinstance(command, c.ExpireCall | c.OpenCounter | c.CloseCounter):
        return handler(ctx)  # the timer sits at no counter; these two manage the seat itself
    # Acting at a free counter takes it; a counter held by someone else refuses.
    return [*_seat(ctx), *handler(ctx)]


class _Context:
    """One counter command being decided."""

    def __init__(
        self,
        day: OfficeDay,
        catalogue: Catalogue,
        counter: Counter,
        command: Any,
        now: datetime,
    ) -> None:
        self.day = day
        self.catalogue = catalogue
        self.counter = counter
        self.command = command
        self.now = now

    @property
    def who(self) -> dict[str, Any]:
        return {"at": self.now, "counter": self.counter.id, "officer": self.command.officer}

    def active(self) -> Ticket:
        ticket = self.day.active_ticket(self.counter.id)
        if ticket is None:
            raise errors.NoActiveTicket()
        return ticket

    def called(self) -> Ticket:
        return self._active_in(TicketState.CALLED, "sudah mulai dilayani")

    def serving(self) -> Ticket:
        return self._active_in(TicketState.SERVING, "belum mulai dilayani: tekan Mulai layani dulu")

    def _active_in(self, state: TicketState, refusal: str) -> Ticket:
        ticket = self.active()
        if ticket.state is not state:
            raise errors.WrongTicketState(f"Nomor {ticket.number} {refusal}.")
        return ticket

    def service_of(self, ticket: Ticket) -> Service:
        service = self.catalogue.service(ticket.service)
        if service is None:
            raise errors.UnknownService(ticket.service)
        return service

    def ticket(self, ref: str) -> Ticket:
        return _find(self.day, ref)

    def local_time(self, moment: datetime) -> str:
        return _local_time(self.catalogue, moment)


def _local_time(catalogue: Catalogue, moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(catalogue.timezone)).strftime("%H.%M")


def _find(day: OfficeDay, ref: str) -> Ticket:
    ticket = day.find(ref)
    if ticket is None:
        raise errors.TicketNotFound(ref)
    if ticket.entered_afterwards:
        raise errors.Conflict(
            f"Nomor kertas {ticket.number} hanya dicatat untuk laporan: tidak dapat dipanggil "
            "atau diubah di antrean."
        )
    return ticket


def _counter(catalogue: Catalogue, counter_id: str) -> Counter:
    counter = catalogue.counter(counter_id)
    if counter is None:
        raise errors.UnknownCounter(counter_id)
    return counter


def _issue(
    day: OfficeDay,
    catalogue: Catalogue,
    command: c.IssueTicket,
    now: datetime,
    ticket_id: str,
    token: str,
) -> list[DomainEvent]:
    if command.request_id and command.request_id in day.ids_by_request:
        return []  # the same tap again: the ticket already exists
    service = catalogue.service(command.service)
    if service is None:
        raise errors.UnknownService(command.service)
    if service.pickup and pickup_file_id(command.request_id) is None:
        # The pickup line is for collecting a file: its number comes with a pickup code.
        raise errors.Invalid(
            f"{service.name}: pilih Ambil berkas dan masukkan kode pengambilan berkas."
        )
    if command.priority is not None and command.priority not in set(Priority):
        raise errors.Invalid(
            f"Jenis prioritas '{command.priority}' tidak dikenal; "
            f"pilih salah satu: {', '.join(p.value for p in Priority)}."
        )
    refusal = issue_refusal(day, catalogue, service, now)
    if refusal is not None:
        raise refusal
    seq = day.last_seq_by_prefix.get(service.prefix, 0) + 1
    return [
        TicketIssued(
            ticket_id=ticket_id,
            at=now,
            number=format_number(service.prefix, seq),
            seq=seq,
            service=service.code,
            priority=command.priority,
            status_token=token,
            issued_by=command.issued_by,
            request_id=command.request_id,
        )
    ]


def issue_refusal(
    day: OfficeDay, catalogue: Catalogue, service: Service, now: datetime
) -> errors.QueueError | None:
    """Why no ticket of this service can be taken now (holiday, hours, cut-off, closed by a
    supervisor, quota used up), or None."""
    closed = closed_refusal(catalogue, now)
    if closed is not None:
        return closed
    if service.code in day.closed_services:
        return errors.ServiceClosedToday(service.name, day.closed_services[service.code])
    quota = service.daily_quota
    if quota is not None and day.issued_by_service[service.code] >= quota:
        return errors.QuotaReached(service.name, quota)
    return None


def next_in_line(day: OfficeDay, catalogue: Catalogue, counter: Counter) -> Ticket | None:
    """The ticket this counter should call next, or None.

    Each service forms a line ordered priority first, then by issue time; the
    counter takes from the line whose oldest waiting ticket came first, so
    services are served first come, first served and a priority ticket takes
    the place of the oldest in its own line. Tickets transferred to this very
    counter form a line of their own.
    """
    heads = [
        (_oldest_in(day, keys), next(day.merged_lines(keys)))
        for keys in line_keys(day, counter).values()
    ]
    if not heads:
        return None
    return min(heads, key=lambda pair: pair[0])[1]


def _oldest_in(day: OfficeDay, keys: list[LineKey]) -> tuple[datetime, int]:
    # Priority tickets stand first, each group in issue order: the oldest ticket of a line
    # is its first priority ticket or its first ticket without priority.
    oldest = []
    for key in keys:
        line = day.lines[key]
        first_plain = next((i for i in line if not day.tickets[i].priority), None)
        for ticket_id in (line[0], first_plain):
            if ticket_id is not None:
                ticket = day.tickets[ticket_id]
                oldest.append((ticket.issued_at, ticket.seq))
    return min(oldest)


SENT_HERE = "@counter"


def line_keys(day: OfficeDay, counter: Counter) -> dict[str, list[LineKey]]:
    """The lines this counter calls from (with somebody waiting), by its own name for them:
    a service code, or SENT_HERE for tickets transferred to this very counter."""
    keys: dict[str, list[LineKey]] = {}
    for key in day.lines:
        service, target = key
        if target is None and service in counter.services:
            keys[service] = [key]
        elif target == counter.id:
            keys.setdefault(SENT_HERE, []).append(key)
    return keys


def line_heads(day: OfficeDay, counter: Counter, count: int) -> dict[str, tuple[int, list[Ticket]]]:
    """For each line this counter calls from: how many wait, and the first few of them."""
    return {
        name: (sum(len(day.lines[k]) for k in keys), list(islice(day.merged_lines(keys), count)))
        for name, keys in line_keys(day, counter).items()
    }


def has_callable(day: OfficeDay, counter: Counter) -> bool:
    """True when the counter could call some number: one waiting in its lines, or skipped."""
    if line_keys(day, counter):
        return True
    return any(serves(counter, day.tickets[i]) for i in day.skipped_ids)


def serves(counter: Counter, ticket: Ticket) -> bool:
    """True when this counter may call the ticket: its service, or sent to this very counter."""
    if ticket.target_counter is not None:
        return ticket.target_counter == counter.id
    return ticket.service in counter.services


def calls_due(day: OfficeDay, catalogue: Catalogue, now: datetime) -> list[str]:
    """Counters whose called ticket has waited the automatic recall interval unanswered."""
    interval = catalogue.call_rules.auto_recall_seconds
    if interval <= 0:
        return []
    due = []
    for counter_id, ticket_id in day.active_by_counter.items():
        ticket = day.tickets[ticket_id]
        last_call = ticket.last_called_at or ticket.issued_at
        if ticket.state is TicketState.CALLED and (now - last_call).total_seconds() >= interval:
            due.append(counter_id)
    return sorted(due)


def tickets_ahead(day: OfficeDay, ticket: Ticket) -> int:
    """How many waiting tickets of the same line will be called before this one."""
    if ticket.state is not TicketState.WAITING:
        return 0
    return day.place_in_line(ticket)


def _free_counter(ctx: _Context) -> list[DomainEvent]:
    """Events that free the counter for a new call, or a refusal while it is busy."""
    ticket = ctx.day.active_ticket(ctx.counter.id)
    if ticket is None:
        return []
    if ticket.state is TicketState.SERVING:
        raise errors.CounterBusy(ticket.number)
    max_calls = ctx.catalogue.call_rules.max_calls
    if ticket.call_count < max_calls:
        raise errors.StillCalling(ticket.number, ticket.call_count, max_calls)
    # Called max_calls times without answer: the SOP says go on to the next number.
    return [
        TicketSkipped(ticket_id=ticket.id, **ctx.who, call_count=ticket.call_count, automatic=True)
    ]


def _seat(ctx: _Context) -> list[DomainEvent]:
    """The event that seats the officer at this free counter, or [] when already seated.

    One officer per counter; an officer may hold two (in a small office the
    officer at Loket 3 also covers the counselling desk).
    """
    session = ctx.day.session(ctx.counter.id)
    if session is None:
        return [CounterOpened(at=ctx.now, counter=ctx.counter.id, officer=ctx.command.officer)]
    if session.officer != ctx.command.officer:
        raise errors.CounterHeld(ctx.counter.name, session.officer, ctx.local_time(session.since))
    return []


def ticket_held_elsewhere(
    day: OfficeDay, catalogue: Catalogue, ticket: Ticket, officer: str
) -> errors.CounterHeld | None:
    """The refusal when the ticket is at a counter another officer holds, else None."""
    if ticket.state not in (TicketState.CALLED, TicketState.SERVING) or ticket.counter is None:
        return None
    session = day.session(ticket.counter)
    if session is None or session.officer == officer:
        return None
    counter = _counter(catalogue, ticket.counter)
    return errors.CounterHeld(counter.name, session.officer, _local_time(catalogue, session.since))


def _open_counter(ctx: _Context) -> list[DomainEvent]:
    return _seat(ctx)


def _close_counter(ctx: _Context) -> list[DomainEvent]:
    session = ctx.day.session(ctx.counter.id)
    if session is None:
        return []
    if session.officer != ctx.command.officer:
        raise errors.CounterHeld(ctx.counter.name, session.officer, ctx.local_time(session.since))
    _refuse_while_active(ctx)
    return [CounterClosed(at=ctx.now, counter=ctx.counter.id, officer=ctx.command.officer)]


def _refuse_while_active(ctx: _Context) -> None:
    ticket = ctx.day.active_ticket(ctx.counter.id)
    if ticket is not None:
        raise errors.StillServing(ticket.number, ctx.counter.name)


def _pause(ctx: _Context) -> list[DomainEvent]:
    if ctx.day.is_paused(ctx.counter.id):
        return []
    _refuse_while_active(ctx)
    reason = ctx.command.reason.strip()[:MAX_REASON_LENGTH]
    if reason:
        _refuse_wordless_reason(reason)
    return [
        CounterPaused(
            at=ctx.now, counter=ctx.counter.id, officer=ctx.command.officer, reason=reason
        )
    ]


def _resume(ctx: _Context) -> list[DomainEvent]:
    if not ctx.day.is_paused(ctx.counter.id):
        return []
    return [CounterResumed(at=ctx.now, counter=ctx.counter.id, officer=ctx.command.officer)]


def _refuse_on_break(ctx: _Context) -> None:
    if ctx.day.is_paused(ctx.counter.id):
        raise errors.CounterOnBreak(ctx.counter.name)


def _call_next(ctx: _Context) -> list[DomainEvent]:
    _refuse_on_break(ctx)
    events = _free_counter(ctx)
    ticket = next_in_line(ctx.day, ctx.catalogue, ctx.counter)
    if ticket is None:
        if events:
            return events
        raise errors.NoTicketWaiting()
    return [*events, TicketCalled(ticket_id=ticket.id, **ctx.who)]


def _call_ticket(ctx: _Context) -> list[DomainEvent]:
    _refuse_on_break(ctx)
    ticket = ctx.ticket(ctx.command.ticket)
    # A returned visitor who came back with the missing document is called by number too.
    if ticket.state not in (TicketState.WAITING, TicketState.SKIPPED, TicketState.RETURNED):
        raise errors.WrongTicketState(
            f"Nomor {ticket.number} tidak sedang menunggu (status: {STATE_LABELS[ticket.state]})."
        )
    if not serves(ctx.counter, ticket):
        raise errors.WrongTicketState(_not_served_here(ctx, ticket))
    events = _free_counter(ctx)
    if ticket.state is not TicketState.WAITING:
        events.append(_reinstated(ctx.catalogue, ticket, ctx.now, ctx.command.officer))
    return [*events, TicketCalled(ticket_id=ticket.id, **ctx.who, chosen=True)]


def _reinstated(
    catalogue: Catalogue, ticket: Ticket, now: datetime, officer: str
) -> TicketReinstated:
    """A skipped ticket back in its line, or a returned visitor who came back."""
    came_back = ticket.state is TicketState.RETURNED
    return TicketReinstated(
        ticket_id=ticket.id,
        at=now,
        officer=officer,
        came_back=came_back,
        back_of_line=came_back and catalogue.call_rules.returned_rejoin == BACK_OF_LINE,
    )


def _not_served_here(ctx: _Context, ticket: Ticket) -> str:
    if ticket.target_counter is not None:
        target = ctx.catalogue.counter(ticket.target_counter)
        name = target.name if target else ticket.target_counter
        return f"Nomor {ticket.number} menunggu di {name}, bukan di {ctx.counter.name}."
    service = ctx.catalogue.service(ticket.service)
    service_name = service.name if service else ticket.service
    return f"{ctx.counter.name} tidak melayani {service_name} (nomor {ticket.number})."


def _recall(ctx: _Context) -> list[DomainEvent]:
    ticket = ctx.called()
    max_calls = ctx.catalogue.call_rules.max_calls
    if ticket.call_count >= max_calls:
        raise errors.CallLimitReached(ticket.number, max_calls)
    return [TicketRecalled(ticket_id=ticket.id, **ctx.who, call_count=ticket.call_count + 1)]


def _expire_call(ctx: _Context) -> list[DomainEvent]:
    """Recall automatically, or skip and call the next number after the last call."""
    ticket = ctx.called()
    interval = ctx.catalogue.call_rules.auto_recall_seconds
    if interval <= 0:
        raise errors.Invalid("Panggilan ulang otomatis tidak diaktifkan.")
    last_call = ticket.last_called_at or ticket.issued_at
    if (ctx.now - last_call).total_seconds() < interval:
        # An officer recalled meanwhile (perhaps through another hub process): not due yet.
        raise errors.WrongTicketState(f"Panggilan nomor {ticket.number} belum waktunya diulang.")
    if ticket.call_count < ctx.catalogue.call_rules.max_calls:
        return [
            TicketRecalled(
                ticket_id=ticket.id, **ctx.who, call_count=ticket.call_count + 1, automatic=True
            )
        ]
    return _call_next(ctx)


def _skip(ctx: _Context) -> list[DomainEvent]:
    ticket = ctx.called()
    return [TicketSkipped(ticket_id=ticket.id, **ctx.who, call_count=ticket.call_count)]


def _start(ctx: _Context) -> list[DomainEvent]:
    ticket = ctx.called()
    return [TicketStarted(ticket_id=ticket.id, **ctx.who)]


def _next_step(ctx: _Context) -> list[DomainEvent]:
    ticket = ctx.serving()
    steps = ctx.service_of(ticket).steps
    current = ticket.step or 0
    target = current + 1 if ctx.command.to_step is None else ctx.command.to_step
    if current + 1 >= len(steps):
        raise errors.WrongTicketState("Ini langkah terakhir: tekan Selesai.")
    if not current < target < len(steps):
        raise errors.Invalid(f"Langkah {target + 1} tidak ada sesudah langkah {current + 1}.")
    passed = tuple(range(current + 1, target))
    required = [i for i in passed if not steps[i].optional]
    if required:
        raise errors.Invalid(
            f"Langkah {required[0] + 1} ({steps[required[0]].name}) wajib, tidak boleh dilewati."
        )
    return [
        StepChanged(
            ticket_id=ticket.id, **ctx.who, from_step=current, to_step=target, skipped_steps=passed
        )
    ]


def _previous_step(ctx: _Context) -> list[DomainEvent]:
    ticket = ctx.serving()
    current = ticket.step or 0
    target = current - 1 if ctx.command.to_step is None else ctx.command.to_step
    if current == 0:
        raise errors.WrongTicketState("Ini sudah langkah pertama.")
    if not 0 <= target < current:
        raise errors.Invalid(f"Hanya bisa kembali ke langkah 1 sampai {current}.")
    return [StepChanged(ticket_id=ticket.id, **ctx.who, from_step=current, to_step=target)]


def _finish(ctx: _Context) -> list[DomainEvent]:
    ticket = ctx.serving()
    offline = ctx.command.not_entered_online
    steps = ctx.service_of(ticket).steps
    current = ticket.step or 0
    remaining = tuple(range(current + 1, len(steps)))
    required = [i for i in remaining if not steps[i].optional]
    if required:
        raise errors.WrongTicketState(
            f"Langkah {required[0] + 1} ({steps[required[0]].name}) belum dikerjakan."
        )
    return [
        TicketFinished(
            ticket_id=ticket.id, **ctx.who, skipped_steps=remaining, not_entered_online=offline
        )
    ]


def _return_incomplete(ctx: _Context) -> list[DomainEvent]:
    ticket = ctx.serving()
    reason = ctx.command.reason.strip()
    if not reason:
        raise errors.Invalid("Sebutkan berkas yang kurang (alasan pengembalian).")
    _refuse_long_reason(reason)
    _refuse_wordless_reason(reason)
    return [TicketReturned(ticket_id=ticket.id, **ctx.who, reason=reason)]


def _refuse_long_reason(reason: str) -> None:
    # Reasons are stored in the day's events and broadcast: keep them to what a person types.
    if len(reason) > MAX_REASON_LENGTH:
        raise errors.Invalid(f"Alasan terlalu panjang (maksimal {MAX_REASON_LENGTH} karakter).")


def _refuse_wordless_reason(reason: str) -> None:
    # "2" or "(1)" is a key meant for a list that landed in the text field, not a reason.
    if not any(ch.isalpha() for ch in reason):
        raise errors.Invalid(
            f"Alasan '{reason[:20]}' bukan kata-kata: tulis nama berkas atau alasannya, "
            "atau pilih dari daftar."
        )


def _transfer(ctx: _Context) -> list[DomainEvent]:
    ticket = ctx.serving()
    to_service, to_counter = ctx.command.to_service, ctx.command.to_counter
    if (to_service is None) == (to_counter is None):
        raise errors.Invalid("Pilih tujuan pengalihan: satu layanan atau satu loket.")
    if to_counter is not None:
        target = _counter(ctx.catalogue, to_counter)
        if target.id == ctx.counter.id:
            raise errors.Invalid("Tidak bisa mengalihkan ke loket sendiri.")
        return [
            TicketTransferred(
                ticket_id=ticket.id, **ctx.who, to_service=ticket.service, to_counter=target.id
            )
        ]
    service = ctx.catalogue.service(to_service or "")
    if service is None:
        raise errors.UnknownService(to_service or "")
    if not ctx.catalogue.counters_serving(service.code):
        raise errors.Invalid(f"Belum ada loket yang melayani {service.name}.")
    return [TicketTransferred(ticket_id=ticket.id, **ctx.who, to_service=service.code)]


def _hand_over(ctx: _Context) -> list[DomainEvent]:
    ticket = ctx.serving()
    step_index = ticket.step or 0
    step = ctx.service_of(ticket).steps[step_index]
    if not step.handover:
        raise errors.WrongTicketState(
            f"Langkah {step_index + 1} ({step.name}) dikerjakan di loket; tidak perlu diserahkan."
        )
    park = ctx.command.park
    # Parking again at the same step is fine (the file goes back for another signature);
    # handing over twice without leaving the counter says nothing new.
    if step_index in ticket.handed_over and not park:
        raise errors.WrongTicketState(
            f"Langkah {step_index + 1} sudah diserahkan ke {ticket.handed_over[step_index]}."
        )
    signer = ctx.command.signer or ticket.handed_over.get(step_index) or step.actor
    if signer not in step.signers:
        raise errors.Invalid(
            f"'{errors.shown(signer)}' tidak boleh menandatangani langkah {step_index + 1}; "
            f"pilih: {', '.join(step.signers)}."
        )
    return [
        StepHandedOver(
            ticket_id=ticket.id,
            **ctx.who,
            step=step_index,
            to_actor=signer,
            substitute_for=None if signer == step.actor else step.actor,
            parked=park,
        )
    ]


def _resume_ticket(ctx: _Context) -> list[DomainEvent]:
    """The signed file came back: its parked ticket returns to this (empty) counter."""
    ticket = ctx.ticket(ctx.command.ticket)
    if ticket.state is not TicketState.PARKED or not ticket.parkings:
        raise errors.WrongTicketState(
            f"Nomor {ticket.number} tidak sedang menunggu tanda tangan "
            f"(status: {STATE_LABELS[ticket.state]})."
        )
    if ticket.counter != ctx.counter.id:
        home = ctx.catalogue.counter(ticket.counter or "")
        raise errors.WrongTicketState(
            f"Nomor {ticket.number} diparkir di {home.name if home else ticket.counter}, "
            f"bukan di {ctx.counter.name}."
        )
    _refuse_on_break(ctx)
    active = ctx.day.active_ticket(ctx.counter.id)
    if active is not None:
        raise errors.WrongTicketState(
            f"Nomor {active.number} masih di {ctx.counter.name}: selesaikan, lewati, alihkan "
            f"atau parkir dulu, lalu lanjutkan nomor {ticket.number}."
        )
    parking = ticket.parkings[-1]
    return [
        TicketResumed(
            ticket_id=ticket.id,
            **ctx.who,
            step=parking.step,
            parked_at=parking.started_at,
            signed_by=parking.signer,
        )
    ]


def _record_attributes(ctx: _Context) -> list[DomainEvent]:
    ticket = ctx.serving()
    service = ctx.service_of(ticket)
    if not service.attributes:
        raise errors.WrongTicketState(f"Layanan {service.name} tidak mencatat atribut kunjungan.")
    chosen: dict[str, str] = {}
    for key, value in ctx.command.attributes:
        attribute = service.attribute(key)
        if attribute is None:
            raise errors.Invalid(
                f"Atribut '{errors.shown(key)}' tidak dicatat untuk layanan {service.name}."
            )
        if value not in attribute.choices:
            raise errors.Invalid(
                f"'{errors.shown(value)}' bukan pilihan {attribute.label}: "
                f"pilih {', '.join(attribute.choices)}."
            )
        chosen[key] = value
    # The same value chosen again (a double press) records nothing new.
    changed = {k: v for k, v in chosen.items() if ticket.attributes.get(k) != v}
    if not changed:
        return []
    return [VisitAttributesRecorded(ticket_id=ticket.id, **ctx.who, attributes=changed)]


def _release_counter(
    day: OfficeDay, catalogue: Catalogue, command: c.ReleaseCounter, now: datetime
) -> list[DomainEvent]:
    counter = _counter(catalogue, command.counter)
    session = day.session(counter.id)
    if session is None:
        return []
    active = day.active_ticket(counter.id)
    if active is not None:
        # Freeing the seat would leave the number with nobody: move it first.
        raise errors.WrongTicketState(
            f"Nomor {active.number} masih di {counter.name}: tarik ke antrean atau pindahkan "
            "ke loket lain dulu, lalu lepaskan loket."
        )
    return [
        CounterClosed(
            at=now, counter=counter.id, officer=session.officer, closed_by=command.supervisor
        )
    ]


def _reassign(
    day: OfficeDay, catalogue: Catalogue, command: c.Reassign, now: datetime
) -> list[DomainEvent]:
    ticket = _find(day, command.ticket)
    movable = (TicketState.WAITING, TicketState.CALLED, TicketState.SERVING, TicketState.SKIPPED)
    if ticket.state not in movable:
        raise errors.WrongTicketState(
            f"Nomor {ticket.number} tidak bisa dipindah (status: {STATE_LABELS[ticket.state]})."
        )
    to_counter = command.to_counter
    if to_counter is not None:
        target = _counter(catalogue, to_counter)
        if ticket.counter == target.id or ticket.target_counter == target.id:
            raise errors.Invalid(f"Nomor {ticket.number} sudah di {target.name}.")
    elif ticket.state is TicketState.WAITING and ticket.target_counter is None:
        raise errors.Invalid(f"Nomor {ticket.number} sudah menunggu di antrean layanannya.")
    return [
        TicketReassigned(
            ticket_id=ticket.id,
            at=now,
            officer=command.supervisor,
            from_counter=ticket.counter,
            to_counter=to_counter,
        )
    ]


def _reinstate(ctx: _Context) -> list[DomainEvent]:
    ticket = ctx.ticket(ctx.command.ticket)
    _refuse_reinstating(ticket)
    _refuse_foreign_ticket(ctx, ticket, "mengaktifkan kembali")
    return [_reinstated(ctx.catalogue, ticket, ctx.now, ctx.command.officer)]


def _refuse_reinstating(ticket: Ticket) -> None:
    # A returned visitor who came back with the missing document rejoins too (same day).
    if ticket.state not in (TicketState.SKIPPED, TicketState.RETURNED):
        raise errors.WrongTicketState(
            f"Hanya nomor yang terlewat atau dikembalikan yang bisa diaktifkan kembali; "
            f"nomor {ticket.number} berstatus {STATE_LABELS[ticket.state]}."
        )


def _cancel(ctx: _Context) -> list[DomainEvent]:
    ticket = ctx.ticket(ctx.command.ticket)
    _refuse_cancelling(ticket)
    if ticket.state is TicketState.CALLED and ticket.counter != ctx.counter.id:
        raise errors.WrongTicketState(f"Nomor {ticket.number} sedang dipanggil di loket lain.")
    _refuse_foreign_ticket(ctx, ticket, "membatalkan")
    _refuse_long_reason(ctx.command.reason)
    return [
        TicketCancelled(
            ticket_id=ticket.id, at=ctx.now, officer=ctx.command.officer, reason=ctx.command.reason
        )
    ]


def _refuse_cancelling(ticket: Ticket) -> None:
    if ticket.state not in (TicketState.WAITING, TicketState.CALLED, TicketState.SKIPPED):
        raise errors.WrongTicketState(
            f"Nomor {ticket.number} tidak bisa dibatalkan (status: {STATE_LABELS[ticket.state]})."
        )


def _refuse_foreign_ticket(ctx: _Context, ticket: Ticket, doing: str) -> None:
    """An officer may cancel or reinstate only tickets a counter they hold serves.

    Any other ticket belongs to another counter's line; section heads, who answer for
    every line, do it with the supervisor commands instead.
    """
    held = [k for k in ctx.catalogue.counters if k == ctx.counter or _holds(ctx, k)]
    if any(serves(k, ticket) or ticket.counter == k.id for k in held):
        return
    raise errors.NotYourTicket(_not_served_here(ctx, ticket), doing)


def _holds(ctx: _Context, counter: Counter) -> bool:
    session = ctx.day.session(counter.id)
    return session is not None and session.officer == ctx.command.officer


def _supervisor_reinstate(
    day: OfficeDay, catalogue: Catalogue, command: c.SupervisorReinstate, now: datetime
) -> list[DomainEvent]:
    ticket = _find(day, command.ticket)
    _refuse_reinstating(ticket)
    return [_reinstated(catalogue, ticket, now, command.supervisor)]


def _supervisor_cancel(
    day: OfficeDay, catalogue: Catalogue, command: c.SupervisorCancel, now: datetime
) -> list[DomainEvent]:
    ticket = _find(day, command.ticket)
    _refuse_cancelling(ticket)
    _refuse_long_reason(command.reason)
    return [
        TicketCancelled(
            ticket_id=ticket.id, at=now, officer=command.supervisor, reason=command.reason
        )
    ]


def _close_service(
    day: OfficeDay, catalogue: Catalogue, command: c.CloseService, now: datetime
) -> list[DomainEvent]:
    service = catalogue.service(command.service)
    if service is None:
        raise errors.UnknownService(command.service)
    reason = command.reason.strip()
    if not reason:
        raise errors.Invalid(
            "Tulis alasan penutupan (mis. 'Blangko kartu habis'): alasan ini tampil di kios."
        )
    _refuse_long_reason(reason)
    if day.closed_services.get(service.code) == reason:
        return []  # the same press again: already closed for this reason
    return [ServiceClosed(at=now, by=command.supervisor, service=service.code, reason=reason)]


def _reopen_service(
    day: OfficeDay, catalogue: Catalogue, command: c.ReopenService, now: datetime
) -> list[DomainEvent]:
    service = catalogue.service(command.service)
    if service is None:
        raise errors.UnknownService(command.service)
    if service.code not in day.closed_services:
        raise errors.ServiceNotClosed(service.name)
    return [ServiceReopened(at=now, by=command.supervisor, service=service.code)]


STATE_LABELS = {
    TicketState.WAITING: "menunggu",
    TicketState.CALLED: "dipanggil",
    TicketState.SERVING: "sedang dilayani",
    TicketState.DONE: "selesai",
    TicketState.SKIPPED: "terlewat",
    TicketState.RETURNED: "dikembalikan (berkas tidak lengkap)",
    TicketState.CANCELLED: "dibatalkan",
    TicketState.PARKED: "menunggu tanda tangan (berkas diproses)",
}

_COUNTER_HANDLERS: dict[type, Callable[[_Context], list[DomainEvent]]] = {
    c.CallNext: _call_next,
    c.CallTicket: _call_ticket,
    c.Recall: _recall,
    c.ExpireCall: _expire_call,
    c.Skip: _skip,
    c.Start: _start,
    c.NextStep: _next_step,
    c.PreviousStep: _previous_step,
    c.Finish: _finish,
    c.ReturnIncomplete: _return_incomplete,
    c.Transfer: _transfer,
    c.Reinstate: _reinstate,
    c.Cancel: _cancel,
    c.HandOverStep: _hand_over,
    c.RecordAttributes: _record_attributes,
    c.ResumeTicket: _resume_ticket,
    c.OpenCounter: _open_counter,
    c.CloseCounter: _close_counter,
    c.PauseCounter: _pause,
    c.ResumeCounter: _resume,
}

_SUPERVISOR_HANDLERS: dict[type, Callable[..., list[DomainEvent]]] = {
    c.ReleaseCounter: _release_counter,
    c.Reassign: _reassign,
    c.SupervisorReinstate: _supervisor_reinstate,
    c.SupervisorCancel: _supervisor_cancel,
    c.CloseService: _close_service,
    c.ReopenService: _reopen_service,
}


_PROBES: dict[str, Callable[[Counter, str], c.Command]] = {
    "call_next": lambda k, who: c.CallNext(k.id, who),
    "recall": lambda k, who: c.Recall(k.id, who),
    "start": lambda k, who: c.Start(k.id, who),
    "skip": lambda k, who: c.Skip(k.id, who),
    "next_step": lambda k, who: c.NextStep(k.id, who),
    "previous_step": lambda k, who: c.PreviousStep(k.id, who),
    "finish": lambda k, who: c.Finish(k.id, who),
    "return": lambda k, who: c.ReturnIncomplete(k.id, who, reason="berkas"),
    "transfer": lambda k, who: c.Transfer(k.id, who, to_counter=k.id + "\0"),
    "hand_over": lambda k, who: c.HandOverStep(k.id, who),
    # Nothing chosen yet records nothing, but is refused where recording is not possible.
    "record_attributes": lambda k, who: c.RecordAttributes(k.id, who),
    "park": lambda k, who: c.HandOverStep(k.id, who, park=True),
    "finish_offline": lambda k, who: c.Finish(k.id, who, not_entered_online=True),
}


def optional_step_skip(day: OfficeDay, catalogue: Catalogue, counter: Counter) -> int | None:
    """The step (index) "Lewati langkah opsional" goes to: past the next step, if optional."""
    ticket = day.active_ticket(counter.id)
    service = catalogue.service(ticket.service) if ticket else None
    if ticket is None or service is None or ticket.step is None:
        return None
    following = ticket.step + 1
    if following + 1 < len(service.steps) and service.steps[following].optional:
        return following + 1
    return None


def callable_tickets(day: OfficeDay, counter: Counter) -> list[Ticket]:
    """Waiting and skipped tickets this counter may call by number, in calling order."""
    waiting = [t for keys in line_keys(day, counter).values() for t in day.merged_lines(keys)]
    skipped = [t for t in map(day.tickets.__getitem__, day.skipped_ids) if serves(counter, t)]
    return sorted(waiting + skipped, key=lambda t: t.queue_key)


def allowed_actions(
    day: OfficeDay, catalogue: Catalogue, counter: Counter, officer: str, now: datetime
) -> list[str]:
    """The counter actions the rules would accept from this officer now, decided dry."""
    probes = dict(_PROBES)
    candidates = callable_tickets(day, counter)
    if candidates:
        # "Panggil nomor..." is possible when calling any one of them would be.
        probes["call_number"] = lambda k, who: c.CallTicket(k.id, who, ticket=candidates[0].id)
    parked = day.parked(counter.id)
    if parked:
        # "Lanjutkan" is possible when resuming its first parked ticket would be.
        probes["resume_ticket"] = lambda k, who: c.ResumeTicket(k.id, who, ticket=parked[0].id)
    past_optional = optional_step_skip(day, catalogue, counter)
    if past_optional is not None:
        probes["skip_optional"] = lambda k, who: c.NextStep(k.id, who, to_step=past_optional)
    allowed = []
    for action, probe in probes.items():
        try:
            decide(day, catalogue, probe(counter, officer), now, lambda: "-", lambda: "-")
        except errors.UnknownCounter:
            allowed.append(action)  # only the probe's made-up destination was refused
        except errors.QueueError:
            continue
        else:
            allowed.append(action)
    return allowed

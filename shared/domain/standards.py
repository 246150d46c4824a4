"""How service really compares with the published standards: per counter, per step, waits."""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from statistics import fmean

from shared.domain.catalogue import Catalogue
from shared.domain.office_day import OfficeDay, Outcome, Ticket
from shared.domain.timing import service_minutes


@dataclass(frozen=True)
class CounterDay:
    """One counter's day: what became of its tickets and how long serving took."""

    served: int
    skipped: int
    returned: int
    transferred: int
    mean_service_minutes: float | None
    mean_standard_minutes: float | None
    within_standard_share: float | None
    break_minutes: float
    # Returned visitors served after coming back, and visits finished "belum diinput online".
    came_back: int = 0
    not_entered_online: int = 0
    # Finished visits shorter than call_rules.minimum_service_minutes: flagged, not "sesuai".
    too_short: int = 0


def counter_day(day: OfficeDay, catalogue: Catalogue, counter_id: str, now: datetime) -> CounterDay:
    """Today's tally for a counter; service times are of finished visits only."""
    tally: Mapping[Outcome, int] = day.outcomes_by_counter.get(counter_id, {})
    actual: list[float] = []
    standards: list[float] = []
    for ticket in map(day.tickets.__getitem__, day.done_by_counter.get(counter_id, ())):
        minutes = service_minutes(ticket)
        service = catalogue.service(ticket.service)
        if minutes is None or service is None:
            continue
        actual.append(minutes)
        standards.append(service.total_minutes)
    minimum = catalogue.call_rules.minimum_service_minutes
    too_short = sum(1 for a in actual if is_too_short(a, minimum))
    within = sum(
        1 for a, s in zip(actual, standards, strict=True) if a <= s and not is_too_short(a, minimum)
    )
    breaks = sum(
        ((p.ended_at or now) - p.started_at).total_seconds() / 60
        for p in day.pauses
        if p.counter == counter_id
    )
    return CounterDay(
        served=tally.get(Outcome.SERVED, 0),
        skipped=tally.get(Outcome.SKIPPED, 0),
        returned=tally.get(Outcome.RETURNED, 0),
        transferred=tally.get(Outcome.TRANSFERRED, 0),
        mean_service_minutes=fmean(actual) if actual else None,
        mean_standard_minutes=fmean(standards) if standards else None,
        within_standard_share=within / len(actual) if actual else None,
        break_minutes=breaks,
        came_back=tally.get(Outcome.CAME_BACK, 0),
        not_entered_online=tally.get(Outcome.NOT_ENTERED_ONLINE, 0),
        too_short=too_short,
    )


def is_too_short(minutes: float, minimum: float) -> bool:
    """A visit far below any plausible time: finished by mistake, or never really served."""
    return minutes < minimum


@dataclass(frozen=True)
class StepRecord:
    """One SOP step of a service: its standard against today's real durations."""

    service: str
    number: int
    name: str
    actor: str
    standard_minutes: float
    visits: int
    mean_minutes: float | None
    over_standard: int
    # Who signed at a hand-over step, with how many visits each ("Kabid": 2).
    signed_by: tuple[tuple[str, int], ...] = ()
    # Of the real time, the mean minutes the file spent away ("Tunggu TTD"), per visit parked.
    parked_visits: int = 0
    mean_parked_minutes: float | None = None


def step_records(day: OfficeDay, catalogue: Catalogue) -> list[StepRecord]:
    """Every step's real time per visit today (time at a step gone back to adds up).

    Time parked for a signature is inside the step's visit, so it is counted once, in the
    step that caused it; the parked part is also shown on its own.
    """
    # One pass over every visit: (service, step) -> {ticket: minutes spent there}.
    spent: dict[tuple[str, int], dict[str, float]] = {}
    signers: dict[tuple[str, int], Tally[str]] = {}
    parked: dict[tuple[str, int], dict[str, float]] = {}
    for ticket in day.tickets.values():
        for step_index, signer in ticket.handed_over.items():
            signers.setdefault((ticket.service, step_index), Tally())[signer] += 1
        for stay in ticket.parkings:
            if stay.ended_at is not None:
                away = (stay.ended_at - stay.started_at).total_seconds() / 60
                per_ticket = parked.setdefault((stay.service, stay.step), {})
                per_ticket[ticket.id] = per_ticket.get(ticket.id, 0.0) + away
        for visit in ticket.step_visits:
            # A transferred ticket's visits stay with the service they were made in.
            if visit.ended_at is None:
                continue
            minutes = (visit.ended_at - visit.started_at).total_seconds() / 60
            per_ticket = spent.setdefault((visit.service, visit.step), {})
            per_ticket[ticket.id] = per_ticket.get(ticket.id, 0.0) + minutes
    records = []
    for service in catalogue.services:
        for index, step in enumerate(service.steps):
            durations = list(spent.get((service.code, index), {}).values())
            parked_stays = list(parked.get((service.code, index), {}).values())
            records.append(
                StepRecord(
                    service=service.code,
                    number=index + 1,
                    name=step.name,
                    actor=step.actor,
                    standard_minutes=step.minutes,
                    visits=len(durations),
                    mean_minutes=fmean(durations) if durations else None,
                    over_standard=sum(1 for m in durations if m > step.minutes),
                    signed_by=tuple(sorted(signers.get((service.code, index), Tally()).items())),
                    parked_visits=len(parked_stays),
                    mean_parked_minutes=fmean(parked_stays) if parked_stays else None,
                )
            )
    return records


def waited_minutes(ticket: Ticket, now: datetime) -> float:
    """From taking the number to the first call, or until now while still not called."""
    until = ticket.first_called_at or now
    return (until - ticket.issued_at).total_seconds() / 60


def minutes_since_issue(ticket: Ticket, now: datetime) -> float:
    """How long the person has been in the office since taking the number."""
    return (now - ticket.issued_at).total_seconds() / 60


def long_waits(day: OfficeDay, now: datetime, threshold_minutes: float) -> list[Ticket]:
    """Waiting tickets taken longer ago than the threshold, longest first."""
    # Counted from taking the number: a ticket sent on to another desk is still waiting.
    waiting = [t for t in day.waiting() if minutes_since_issue(t, now) > threshold_minutes]
    return sorted(waiting, key=lambda t: t.issued_at)


@dataclass(frozen=True)
class WaitRecord:
    """One service's waits before the first call today, against the waiting standard."""

    service: str
    called: int
    mean_minutes: float | None
    within_standard_share: float | None


def wait_records(day: OfficeDay, catalogue: Catalogue) -> list[WaitRecord]:
    """Per service: how long people waited for their first call, for those called today."""
    standard = catalogue.call_rules.waiting_standard_minutes
    records = []
    for service in catalogue.services:
        waits = [
            (t.first_called_at - t.issued_at).total_seconds() / 60
            for t in day.tickets.values()
            if t.service == service.code and t.first_called_at is not None
        ]
        records.append(
            WaitRecord(
                service=service.code,
                called=len(waits),
                mean_minutes=fmean(waits) if waits else None,
                within_standard_share=sum(1 for w in waits if w <= standard) / len(waits)
                if waits
                else None,
            )
        )
    return records


def parked_minutes(ticket: Ticket, now: datetime) -> float:
    """How long a parked ticket has been away from its counter (0 when not parked)."""
    since = ticket.parked_since
    return 0.0 if since is None else (now - since).total_seconds() / 60

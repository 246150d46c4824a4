"""Domain state as JSON for the API and Socket.IO; no personal data ever leaves here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.domain.catalogue import PRIORITY_LABELS, Catalogue, Counter, Priority, Service
from shared.domain.office_day import OfficeDay, Ticket, TicketState
from shared.domain.rules import STATE_LABELS, issue_refusal, next_in_line
from shared.domain.standards import CounterDay, StepRecord, WaitRecord
from shared.domain.timing import estimated_wait_for_new_ticket, estimated_wait_minutes
from shared.domain.waiting import tickets_before


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def service_json(service: Service, catalogue: Catalogue) -> dict[str, Any]:
    """A service as published: requirements, steps, time standard, cost."""
    return {
        "code": service.code,
        "prefix": service.prefix,
        "name": service.name,
        "product": service.product,
        "cost": service.cost,
        "free": service.free,
        "total_minutes": service.total_minutes,
        "daily_quota": service.daily_quota,
        "requirements": list(service.requirements),
        "steps": [
            {
                "number": i + 1,
                "name": s.name,
                "actor": s.actor,
                "minutes": s.minutes,
                "optional": s.optional,
                "repeatable": s.repeatable,
                "handover": s.handover,
                "signers": list(s.signers) if s.handover else [],
            }
            for i, s in enumerate(service.steps)
        ],
        "attributes": [
            {"key": a.key, "label": a.label, "choices": list(a.choices)} for a in service.attributes
        ],
        "counters": [c.id for c in catalogue.counters_serving(service.code)],
    }


def ticket_json(day: OfficeDay, catalogue: Catalogue, ticket: Ticket) -> dict[str, Any]:
    """A ticket's public status; step numbers are 1-based as in the SOP."""
    service = catalogue.service(ticket.service)
    counter = catalogue.counter(ticket.counter) if ticket.counter else None
    step = None
    if ticket.step is not None and service is not None:
        current = service.steps[ticket.step]
        visit = ticket.step_visits[-1]
        step = {
            "number": ticket.step + 1,
            "name": current.name,
            "actor": current.actor,
            "minutes": current.minutes,
            "started_at": _iso(visit.started_at),
        }
    # Who its counters call first: counted once, for the count and for the estimate.
    ahead = tickets_before(day, catalogue, ticket)
    return {
        "id": ticket.id,
        "number": ticket.number,
        "service": ticket.service,
        "service_name": service.name if service else ticket.service,
        "priority": ticket.priority,
        "priority_label": PRIORITY_LABELS.get(Priority(ticket.priority))
        if ticket.priority
        else None,
        "state": ticket.state.value,
        "state_label": STATE_LABELS[ticket.state],
        "call_count": ticket.call_count,
        "max_calls": catalogue.call_rules.max_calls,
        "counter": ticket.counter,
        "counter_name": counter.name if counter else None,
        "target_counter": ticket.target_counter,
        "issued_at": _iso(ticket.issued_at),
        "called_at": _iso(ticket.last_called_at),
        "first_called_at": _iso(ticket.first_called_at),
        "started_at": _iso(ticket.started_at),
        "ended_at": _iso(ticket.ended_at),
        "step": step,
        "ahead": len(ahead),
        "estimated_wait_minutes": estimated_wait_minutes(day, catalogue, ticket, ahead),
        "return_reason": _public_return_reason(service, ticket),
        "call_text": _call_text(ticket, catalogue.call_rules.max_calls),
        "skip_reason": _skip_reason(ticket, catalogue.call_rules.max_calls),
        "handed_over": {str(step + 1): actor for step, actor in ticket.handed_over.items()},
    }


# What the public sees when the officer typed a reason of their own (it may name a person).
GENERIC_RETURN_REASON = "Berkas belum lengkap"


def _public_return_reason(service: Service | None, ticket: Ticket) -> str | None:
    """The missing document when it is one of the service's published requirements."""
    if ticket.state is not TicketState.RETURNED:
        return None
    if service is not None and ticket.return_reason in service.requirements:
        return ticket.return_reason
    return GENERIC_RETURN_REASON


def _call_text(ticket: Ticket, max_calls: int) -> str | None:
    """Which call this is, for the visitor: "Panggilan ke-3 (terakhir)"."""
    if ticket.state is not TicketState.CALLED:
        return None
    last = " (terakhir)" if ticket.call_count >= max_calls else ""
    return f"Panggilan ke-{ticket.call_count} dari {max_calls}{last}"


def _skip_reason(ticket: Ticket, max_calls: int) -> str | None:
    """Why a number was passed over: the call limit, or the officer's "Lewati"."""
    if ticket.state is not TicketState.SKIPPED:
        return None
    calls = ticket.skipped_call_count or 0
    if calls >= max_calls:
        return f"Nomor Anda dilewati setelah dipanggil {calls} kali."
    times = "sekali" if calls <= 1 else f"{calls} kali"
    return f"Nomor Anda dilewati petugas setelah dipanggil {times}."


def next_reason(catalogue: Catalogue, ticket: Ticket | None) -> str | None:
    """Why this number is called next at a counter ("prioritas lansia")."""
    if ticket is None:
        return None
    if ticket.priority:
        label = PRIORITY_LABELS.get(Priority(ticket.priority), ticket.priority)
        return f"prioritas {label.lower()}"
    if ticket.target_counter is not None:
        return "dialihkan ke loket ini"
    return "paling lama menunggu"


def counter_json(day: OfficeDay, catalogue: Catalogue, counter: Counter) -> dict[str, Any]:
    """A counter with its current ticket and who is next in its line."""
    active = day.active_ticket(counter.id)
    upcoming = next_in_line(day, catalogue, counter)
    session = day.session(counter.id)
    return {
        "id": counter.id,
        "name": counter.name,
        "services": list(counter.services),
        "officer": session.officer if session else None,
        "since": _iso(session.since) if session else None,
        "paused_since": _iso(session.pause.started_at) if session and session.pause else None,
        "pause_reason": session.pause.reason if session and session.pause else None,
        "ticket": ticket_json(day, catalogue, active) if active else None,
        "next_number": upcoming.number if upcoming else None,
        "next_reason": next_reason(catalogue, upcoming),
    }


def queue_json(day: OfficeDay, catalogue: Catalogue) -> dict[str, Any]:
    """The whole office at a glance: waiting per service and every counter."""
    return {
        "office_id": catalogue.office_id,
        "version": day.version,
        "services": service_lines_json(day, catalogue),
        "counters": [counter_json(day, catalogue, c) for c in catalogue.counters],
    }


def service_lines_json(day: OfficeDay, catalogue: Catalogue) -> list[dict[str, Any]]:
    """Each service's line: how many wait, the next numbers, tickets taken against the quota."""
    services = []
    for service in catalogue.services:
        # Tickets sent on to one counter wait in that counter's own line, not here.
        line = day.lines.get((service.code, None), [])
        services.append(
            {
                "code": service.code,
                "name": service.name,
                "prefix": service.prefix,
                "waiting": len(line),
                "next_numbers": [day.tickets[i].number for i in line[:5]],
                "priority_numbers": [
                    day.tickets[i].number for i in line[:5] if day.tickets[i].priority
                ],
                "issued_today": day.issued_by_service[service.code],
                "daily_quota": service.daily_quota,
                # Closed by a supervisor for the rest of the day: the reason, shown to all.
                "closed_reason": day.closed_services.get(service.code),
            }
        )
    return services


def availability_json(day: OfficeDay, catalogue: Catalogue, now: datetime) -> list[dict[str, Any]]:
    """For each service: can a ticket be taken now, and if not, why (for the kiosk buttons)."""
    waiting_by_service: dict[str, int] = {}
    for ticket in day.waiting():
        waiting_by_service[ticket.service] = waiting_by_service.get(ticket.service, 0) + 1
    result = []
    for service in catalogue.services:
        refusal = issue_refusal(day, catalogue, service, now)
        quota = service.daily_quota
        result.append(
            {
                "code": service.code,
                "open": refusal is None,
                "reason": refusal.message if refusal else None,
                "waiting": waiting_by_service.get(service.code, 0),
                "estimated_wait_minutes": estimated_wait_for_new_ticket(day, catalogue, service),
                "quota_left": None
                if quota is None
                else max(0, quota - day.issued_by_service[service.code]),
            }
        )
    return result


def counter_day_json(today: CounterDay) -> dict[str, Any]:
    """The officer's day at one counter, minutes rounded to a tenth."""
    return {
        "served": today.served,
        "skipped": today.skipped,
        "returned": today.returned,
        "transferred": today.transferred,
        "mean_service_minutes": _tenth(today.mean_service_minutes),
        "mean_standard_minutes": _tenth(today.mean_standard_minutes),
        "within_standard_percent": None
        if today.within_standard_share is None
        else round(today.within_standard_share * 100),
        "break_minutes": _tenth(today.break_minutes),
        "came_back": today.came_back,
        "not_entered_online": today.not_entered_online,
        "too_short": today.too_short,
    }


def step_record_json(record: StepRecord) -> dict[str, Any]:
    """One SOP step's standard against today's real mean."""
    return {
        "service": record.service,
        "number": record.number,
        "name": record.name,
        "actor": record.actor,
        "standard_minutes": record.standard_minutes,
        "visits": record.visits,
        "mean_minutes": _tenth(record.mean_minutes),
        "over_standard": record.over_standard,
        "signed_by": [{"signer": name, "visits": n} for name, n in record.signed_by],
        "parked_visits": record.parked_visits,
        "mean_parked_minutes": _tenth(record.mean_parked_minutes),
    }


def wait_record_json(record: WaitRecord) -> dict[str, Any]:
    """A service's waits before the first call, against the waiting standard."""
    return {
        "called": record.called,
        "mean_minutes": _tenth(record.mean_minutes),
        "within_standard_percent": None
        if record.within_standard_share is None
        else round(record.within_standard_share * 100),
    }


def _tenth(value: float | None) -> float | None:
    return None if value is None else round(value, 1)

"""The SOP off its happy path as JSON for staff: parked tickets and the online backlog."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from shared.domain.catalogue import Catalogue
from shared.domain.office_calendar import long_date
from shared.domain.office_day import Ticket
from shared.domain.online_backlog import BacklogEntry
from shared.domain.standards import parked_minutes


def parked_json(ticket: Ticket, catalogue: Catalogue) -> dict[str, Any]:
    """A parked ticket ("Tunggu TTD") with what its timers run from; staff only."""
    service = catalogue.service(ticket.service)
    counter = catalogue.counter(ticket.counter or "")
    parking = ticket.parkings[-1]
    step = service.steps[parking.step] if service else None
    visit = ticket.step_visits[-1] if ticket.step_visits else None
    return {
        "id": ticket.id,
        "number": ticket.number,
        "service": ticket.service,
        "service_name": service.name if service else ticket.service,
        "counter": ticket.counter,
        "counter_name": counter.name if counter else ticket.counter,
        "signer": parking.signer,
        "substitute": step is not None and parking.signer != step.actor,
        "parked_since": parking.started_at.isoformat(),
        "started_at": ticket.started_at.isoformat() if ticket.started_at else None,
        "total_minutes": service.total_minutes if service else None,
        "step": {
            "number": parking.step + 1,
            "name": step.name if step else "",
            "actor": step.actor if step else "",
            "minutes": step.minutes if step else None,
            "started_at": visit.started_at.isoformat() if visit else None,
        },
    }


def supervisor_parked_json(ticket: Ticket, catalogue: Catalogue, now: datetime) -> dict[str, Any]:
    """A parked ticket for the supervisor: how long it has waited for its signature."""
    return {
        **parked_json(ticket, catalogue),
        "minutes_parked": round(parked_minutes(ticket, now), 1),
    }


def backlog_entry_json(entry: BacklogEntry, catalogue: Catalogue, today: date) -> dict[str, Any]:
    """One visit still to be entered in SIAPkerja, with its age in days."""
    service = catalogue.service(entry.service)
    counter = catalogue.counter(entry.counter)
    visit_day = date.fromisoformat(entry.office_day)
    return {
        "ticket_id": entry.ticket_id,
        "office_day": entry.office_day,
        "office_day_label": long_date(visit_day),
        "number": entry.number,
        "service": entry.service,
        "service_name": service.name if service else entry.service,
        "counter": entry.counter,
        "counter_name": counter.name if counter else entry.counter,
        "officer": entry.officer,
        "finished_at": entry.finished_at.isoformat(),
        "age_days": entry.age_days(today),
        "cleared_by": entry.cleared_by,
        "cleared_at": entry.cleared_at.isoformat() if entry.cleared_at else None,
    }

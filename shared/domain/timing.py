"""Service times against the SOP standards, and the estimated wait they give."""

from __future__ import annotations

import math
from statistics import fmean

from shared.domain.catalogue import Catalogue, Service
from shared.domain.office_day import OfficeDay, Ticket, TicketState
from shared.domain.waiting import estimated_wait

# Fewer finished visits than this say more about one person than about the service.
MIN_OBSERVATIONS = 3


def service_minutes(ticket: Ticket) -> float | None:
    """Minutes from "Mulai layani" to the end of the visit, if it has ended."""
    if ticket.started_at is None or ticket.ended_at is None:
        return None
    return (ticket.ended_at - ticket.started_at).total_seconds() / 60


def observed_service_minutes(day: OfficeDay, service_code: str) -> list[float]:
    """Today's real service times of finished visits of one service."""
    return day.service_minutes_by_service.get(service_code, [])


def expected_service_minutes(day: OfficeDay, service: Service) -> float:
    """Today's mean service time, or the SOP standard until there is enough data."""
    observed = observed_service_minutes(day, service.code)
    if len(observed) < MIN_OBSERVATIONS:
        return service.total_minutes
    return fmean(observed)


def estimated_wait_minutes(
    day: OfficeDay, catalogue: Catalogue, ticket: Ticket, ahead: list[Ticket] | None = None
) -> int:
    """Minutes until this ticket is likely called.

    The expected minutes of every visit its counters will call first (today's mean per
    service, or the standard), divided by those counters not on a break, rounded up.
    `ahead` is waiting.tickets_before(...) when the caller has it already.
    """
    if catalogue.service(ticket.service) is None or ticket.state is not TicketState.WAITING:
        return 0

    def minutes_per_visit(code: str) -> float:
        service = catalogue.service(code)
        return expected_service_minutes(day, service) if service else 0.0

    return estimated_wait(day, catalogue, ticket, minutes_per_visit, ahead)


def estimated_wait_for_new_ticket(day: OfficeDay, catalogue: Catalogue, service: Service) -> int:
    """Minutes a regular ticket taken now would likely wait: behind everyone in its line.

    The kiosk shows it before the tap, beside the service standard, so that the two are not
    confused; the same formula as `estimated_wait_minutes`.
    """
    ahead = len(day.lines.get((service.code, None), []))
    serving = [k for k in catalogue.counters_serving(service.code) if not day.is_paused(k.id)]
    counters = max(1, len(serving))
    return math.ceil(ahead * expected_service_minutes(day, service) / counters)

"""Entering visits served on paper numbers during an outage of the hub (manual SOP, seed 002)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask import jsonify, render_template, request

from counter import bp
from shared.accounts import STAFF
from shared.api import json_object
from shared.auth import require, signed_in
from shared.command_parsing import BadRequest, text_field
from shared.domain import commands as c
from shared.domain.catalogue import Catalogue
from shared.domain.errors import shown
from shared.domain.office_calendar import long_date
from shared.domain.office_day import PAPER_STATES, Ticket
from shared.domain.rules import MAX_REASON_LENGTH
from shared.hub import current_hub
from shared.pages import require_page


@bp.get("/catat-kertas")
@require_page(STAFF)
def paper_visits_page():
    hub = current_hub()
    today = hub.queue.office_date()
    chosen = _day(request.args.get("tanggal"), today)
    day = hub.queue.day_on(chosen)
    return render_template(
        "counter/paper_visits.html",
        day=chosen,
        day_text=long_date(chosen),
        today=today,
        services=hub.catalogue.services,
        counters=hub.catalogue.counters,
        outcomes=list(PAPER_STATES),
        entered=[_entered(t, hub.catalogue) for t in _paper_tickets(day)],
    )


@bp.post("/catat-kertas")
@require(STAFF)
def record_paper_visit():
    """One paper visit, as JSON: {tanggal, service, number, outcome, issued, started?, ...}."""
    hub = current_hub()
    body = json_object()
    office_day = _day(text_field(body, "tanggal", required=True), hub.queue.office_date())
    zone = ZoneInfo(hub.catalogue.timezone)
    command = c.RecordPaperVisit(
        recorded_by=signed_in().name,
        office_day=office_day,
        service=text_field(body, "service", required=True) or "",
        number=text_field(body, "number", required=True) or "",
        outcome=text_field(body, "outcome", required=True) or "",
        issued_at=_at(office_day, text_field(body, "issued", required=True), zone, "issued"),
        started_at=_at(office_day, text_field(body, "started"), zone, "started"),
        finished_at=_at(office_day, text_field(body, "finished"), zone, "finished"),
        counter=text_field(body, "counter"),
        return_reason=text_field(body, "return_reason", max_length=MAX_REASON_LENGTH),
    )
    outcome = hub.queue.execute_on(office_day, command)
    ticket = outcome.ticket
    return jsonify(visit=_entered(ticket, hub.catalogue) if ticket else None), 201


def _paper_tickets(day: Any) -> list[Ticket]:
    paper = [t for t in day.tickets.values() if t.entered_afterwards]
    return sorted(paper, key=lambda t: (t.issued_at, t.number))


def _entered(ticket: Ticket, catalogue: Catalogue) -> dict[str, Any]:
    zone = ZoneInfo(catalogue.timezone)
    service = catalogue.service(ticket.service)
    counter = catalogue.counter(ticket.counter) if ticket.counter else None

    def hhmm(moment: datetime | None) -> str | None:
        return moment.astimezone(zone).strftime("%H.%M") if moment else None

    return {
        "number": ticket.number,
        "service": ticket.service,
        "service_name": service.name if service else ticket.service,
        "outcome": next(k for k, state in PAPER_STATES.items() if state is ticket.state),
        "issued": hhmm(ticket.issued_at),
        "started": hhmm(ticket.started_at),
        "finished": hhmm(ticket.ended_at),
        "counter": ticket.counter,
        "counter_name": counter.name if counter else None,
        "recorded_by": ticket.officer,
        "return_reason": ticket.return_reason,
    }


def _day(text: str | None, today: date) -> date:
    if not text:
        return today
    try:
        chosen = date.fromisoformat(text)
    except ValueError:
        raise BadRequest(
            f"Tanggal '{shown(text)}' tidak dikenali; gunakan format TTTT-BB-HH, mis. {today}."
        ) from None
    if chosen > today:
        raise BadRequest(f"Tanggal {chosen:%d-%m-%Y} belum terjadi.")
    return chosen


def _at(office_day: date, text: str | None, zone: ZoneInfo, key: str) -> datetime | None:
    """An office-local clock time ("9.15", "09.15" or "09:15") on the visit's day."""
    if text is None:
        return None
    match = _CLOCK.match(text)
    if not match or int(match[1]) > 23:
        raise BadRequest(
            f"{_TIME_LABELS[key]}: tulis jam seperti 09.15 (tertulis '{shown(text)}')."
        )
    return datetime.combine(office_day, time(int(match[1]), int(match[2])), zone)


_CLOCK = re.compile(r"^(\d{1,2})[.:](\d{2})$")
_TIME_LABELS = {
    "issued": "Jam ambil nomor",
    "started": "Jam mulai dilayani",
    "finished": "Jam selesai",
}

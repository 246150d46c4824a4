"""The supervisor view: every counter live, the queue, long waits, device alerts, step times."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import jsonify, render_template, request

from counter import bp
from shared.accounts import SUPERVISORS
from shared.auth import require, signed_in
from shared.complaints_web import open_counts
from shared.domain.catalogue import DAY_NAMES
from shared.domain.errors import shown
from shared.domain.office_day import OfficeDay
from shared.domain.standards import (
    counter_day,
    long_waits,
    minutes_since_issue,
    step_records,
    wait_records,
)
from shared.hub import current_hub
from shared.pages import require_page
from shared.presenters import counter_day_json, step_record_json, wait_record_json
from shared.sop_presenters import supervisor_parked_json
from shared.views import counter_view, service_lines_view


@bp.get("/supervisor")
@require_page(SUPERVISORS)
def supervisor():
    return render_template("counter/supervisor.html", supervisor=signed_in().name)


@bp.get("/supervisor/state")
@require(SUPERVISORS)
def supervisor_state():
    """The whole office against its standards, as of the server's clock."""
    hub = current_hub()
    catalogue = hub.catalogue
    snapshot = hub.queue.current()
    day = snapshot.day
    now = hub.queue.clock()
    counters: list[dict[str, Any]] = []
    for counter in catalogue.counters:
        entry = counter_view(snapshot, catalogue, counter)
        ticket = entry["ticket"]
        service = catalogue.service(ticket["service"]) if ticket else None
        today = counter_day(day, catalogue, counter.id, now)
        counters.append(
            {
                **entry,
                "service_total_minutes": service.total_minutes if service else None,
                "today": counter_day_json(today),
            }
        )
    threshold = catalogue.call_rules.waiting_alert_minutes
    waits = snapshot.view("wait-records", lambda: wait_records(day, catalogue))
    services = [
        {**line, "waits": wait_record_json(w)}
        for line, w in zip(service_lines_view(snapshot, catalogue), waits, strict=True)
    ]
    records = snapshot.view("step-records", lambda: step_records(day, catalogue))
    alert_state = hub.alert_log.state()
    return jsonify(
        server_time=now.isoformat(),
        counters=counters,
        services=services,
        waiting_standard_minutes=catalogue.call_rules.waiting_standard_minutes,
        waiting_alert_minutes=threshold,
        long_waits=[
            {
                "number": t.number,
                "service": t.service,
                "issued_at": t.issued_at.isoformat(),
                "minutes_in_office": round(minutes_since_issue(t, now)),
                "target_counter": t.target_counter,
            }
            for t in long_waits(day, now, threshold)
        ],
        alerts=list(alert_state.alerts.values()),
        restarts=restarts(alert_state.starts, day),
        called_alert_minutes=catalogue.call_rules.called_alert_minutes,
        steps=[step_record_json(r) for r in records],
        complaints=open_counts(),
        # Issue 13: tickets away for a signature, longest first, and the SIAPkerja backlog.
        parked=[supervisor_parked_json(t, catalogue, now) for t in day.all_parked()],
        online_backlog=len(hub.backlog.open_entries()),
    )


def restarts(starts: list[str], day: OfficeDay) -> list[str]:
    """Hub starts that interrupted the day: after an earlier start or after the first ticket."""
    first_ticket = min((t.issued_at for t in day.tickets.values()), default=None)
    return [
        at
        for i, at in enumerate(starts)
        if i > 0 or (first_ticket is not None and datetime.fromisoformat(at) > first_ticket)
    ]


@bp.get("/supervisor/report")
@require_page(SUPERVISORS)
def report():
    """One office day against the standards, as a printable page (today by default)."""
    hub = current_hub()
    catalogue = hub.catalogue
    today = hub.queue.office_date()
    chosen = _report_date(request.args.get("date"), today)
    if isinstance(chosen, str):
        page = render_template(
            "counter/report.html", error=chosen, date=today, today=today, long_date=long_date
        )
        return page, 400
    day = hub.queue.day_on(chosen)
    ends_at = hub.queue.clock() if chosen == today else day.last_event_at or hub.queue.clock()
    services = {s.code: s for s in catalogue.services}
    all_steps = [(services[r.service], step_record_json(r)) for r in step_records(day, catalogue)]
    return render_template(
        "counter/report.html",
        long_date=long_date,
        error=None,
        date=chosen,
        today=today,
        issued=sum(day.issued_by_service.values()),
        counters=[
            (k, counter_day_json(counter_day(day, catalogue, k.id, ends_at)))
            for k in catalogue.counters
        ],
        waits=[(services[w.service], wait_record_json(w)) for w in wait_records(day, catalogue)],
        # Steps done that day; the others fold into one line instead of dozens of empty rows.
        steps=[(s, r) for s, r in all_steps if r["visits"]],
        steps_without_data=[(s, r) for s, r in all_steps if not r["visits"]],
        waiting_standard=catalogue.call_rules.waiting_standard_minutes,
        paper_visits=sum(1 for t in day.tickets.values() if t.entered_afterwards),
        minimum_service=catalogue.call_rules.minimum_service_minutes,
    )


MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def long_date(day: date) -> str:
    """ "Rabu, 2 Desember 2026": a date as an Indonesian office writes it."""
    return f"{DAY_NAMES[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def _report_date(text: str | None, today: date) -> date | str:
    """The date asked for (day first, 02-12-2026, or ISO from a link), or why it cannot be."""
    if not text:
        return today
    try:
        chosen = _parse_date(text.strip())
    except ValueError:
        return (
            f"Tanggal '{shown(text)}' tidak dikenali; tulis hari-bulan-tahun, "
            f"mis. {today:%d-%m-%Y}."
        )
    if chosen > today:
        return f"Tanggal {long_date(chosen)} belum terjadi."
    return chosen


def _parse_date(text: str) -> date:
    if len(text) == 10 and text[4] == "-":
        return date.fromisoformat(text)
    day, month, year = (int(part) for part in text.replace("/", "-").split("-"))
    return date(year, month, day)

"""The supervisor view: every counter live, the queue, long waits, device alerts, step times."""

from __future__ import annotations

from typing import Any

from flask import jsonify, render_template

from counter import bp
from shared.accounts import SUPERVISORS
from shared.auth import require, signed_in
from shared.domain.standards import (
    counter_day,
    long_waits,
    minutes_since_issue,
    step_records,
    wait_records,
)
from shared.hub import current_hub
from shared.pages import require_page
from shared.presenters import (
    counter_day_json,
    counter_json,
    queue_json,
    step_record_json,
    wait_record_json,
)


@bp.get("/supervisor")
@require_page(SUPERVISORS)
def supervisor():
    hub = current_hub()
    return render_template(
        "counter/supervisor.html",
        counters=[{"id": c.id, "name": c.name} for c in hub.catalogue.counters],
        supervisor=signed_in().name,
    )


@bp.get("/supervisor/state")
@require(SUPERVISORS)
def supervisor_state():
    """The whole office against its standards, as of the server's clock."""
    hub = current_hub()
    catalogue = hub.catalogue
    day = hub.queue.today()
    now = hub.queue.clock()
    counters: list[dict[str, Any]] = []
    for counter in catalogue.counters:
        entry = counter_json(day, catalogue, counter)
        ticket = entry["ticket"]
        service = catalogue.service(ticket["service"]) if ticket else None
        entry["service_total_minutes"] = service.total_minutes if service else None
        entry["today"] = counter_day_json(counter_day(day, catalogue, counter.id, now))
        counters.append(entry)
    threshold = catalogue.call_rules.waiting_alert_minutes
    services = queue_json(day, catalogue)["services"]
    for entry, waits in zip(services, wait_records(day, catalogue), strict=True):
        entry["waits"] = wait_record_json(waits)
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
        alerts=list(hub.alerts.values()),
        steps=[step_record_json(r) for r in step_records(day, catalogue)],
    )

"""The counter panel page and the state it renders from."""

from __future__ import annotations

from flask import jsonify, render_template, request

from counter import bp
from shared.accounts import STAFF
from shared.api import queue_refused
from shared.auth import require, signed_in
from shared.domain import errors
from shared.domain.rules import (
    SENT_HERE,
    allowed_actions,
    callable_tickets,
    optional_step_skip,
    waiting_lines,
)
from shared.domain.standards import counter_day
from shared.hub import current_hub
from shared.pages import require_page
from shared.presenters import counter_day_json, counter_json, service_json


@bp.get("/counter")
@require_page(STAFF)
def panel():
    hub = current_hub()
    return render_template(
        "counter/panel.html",
        counters=[{"id": c.id, "name": c.name} for c in hub.catalogue.counters],
        max_calls=hub.catalogue.call_rules.max_calls,
        officer=signed_in().name,
    )


@bp.get("/counter/state")
@require(STAFF)
def state():
    """One counter as its panel shows it: ticket, SOP steps, what may be pressed, server time."""
    hub = current_hub()
    catalogue = hub.catalogue
    counter = catalogue.counter(request.args.get("counter", ""))
    if counter is None:
        raise errors.UnknownCounter(request.args.get("counter", ""))
    day = hub.queue.today()
    now = hub.queue.clock()
    officer = signed_in().name
    body = counter_json(day, catalogue, counter)
    ticket = body["ticket"]
    service = catalogue.service(ticket["service"]) if ticket else None
    body["service"] = service_json(service, catalogue) if service else None
    body["me"] = officer
    body["allowed"] = allowed_actions(day, catalogue, counter, officer, now)
    past_optional = optional_step_skip(day, catalogue, counter)
    body["skip_optional_to"] = None if past_optional is None else past_optional + 1
    body["server_time"] = now.isoformat()
    body["waiting_standard_minutes"] = catalogue.call_rules.waiting_standard_minutes
    lines = waiting_lines(day, counter)
    body["waiting"] = [
        {
            "code": s.code,
            "name": s.name,
            "prefix": s.prefix,
            "waiting": len(lines.get(s.code, [])),
            "next_numbers": [t.number for t in lines.get(s.code, [])[:3]],
        }
        for s in catalogue.services
        if s.code in counter.services
    ]
    sent_here = lines.get(SENT_HERE, [])
    body["sent_here"] = {
        "waiting": len(sent_here),
        "next_numbers": [t.number for t in sent_here[:3]],
    }
    body["callable"] = [
        {"number": t.number, "state": t.state.value} for t in callable_tickets(day, counter)[:30]
    ]
    body["transfer_to"] = {
        "services": [{"code": s.code, "name": s.name} for s in catalogue.services],
        "counters": [{"id": k.id, "name": k.name} for k in catalogue.counters if k != counter],
    }
    body["today"] = counter_day_json(counter_day(day, catalogue, counter.id, now))
    body["can_print"] = hub.settings.printer.type != "none"
    return jsonify(body)


@bp.errorhandler(errors.QueueError)
def refused(exc: errors.QueueError):
    return queue_refused(exc)

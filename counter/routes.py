"""The counter panel page and the state it renders from."""

from __future__ import annotations

from flask import jsonify, render_template, request

from counter import bp
from shared.accounts import STAFF
from shared.api import queue_refused
from shared.auth import require, signed_in
from shared.domain import errors
from shared.domain.rules import allowed_actions
from shared.hub import current_hub
from shared.pages import require_page
from shared.presenters import counter_json, service_json


@bp.get("/counter")
@require_page(STAFF)
def panel():
    hub = current_hub()
    return render_template(
        "counter/panel.html",
        counters=[{"id": c.id, "name": c.name} for c in hub.catalogue.counters],
        max_calls=hub.catalogue.call_rules.max_calls,
    )


@bp.get("/counter/state")
@require(STAFF)
def state():
    """One counter as its panel shows it: ticket, SOP steps, what may be pressed, server time."""
    hub = current_hub()
    counter = hub.catalogue.counter(request.args.get("counter", ""))
    if counter is None:
        raise errors.UnknownCounter(request.args.get("counter", ""))
    day = hub.queue.today()
    now = hub.queue.clock()
    body = counter_json(day, hub.catalogue, counter)
    ticket = body["ticket"]
    service = hub.catalogue.service(ticket["service"]) if ticket else None
    body["service"] = service_json(service, hub.catalogue) if service else None
    body["allowed"] = allowed_actions(day, hub.catalogue, counter, signed_in().name, now)
    body["server_time"] = now.isoformat()
    body["waiting"] = [
        {
            "code": s.code,
            "name": s.name,
            "prefix": s.prefix,
            "waiting": sum(
                1 for t in day.waiting() if t.service == s.code and t.target_counter is None
            ),
        }
        for s in hub.catalogue.services
        if s.code in counter.services
    ]
    return jsonify(body)


@bp.errorhandler(errors.QueueError)
def refused(exc: errors.QueueError):
    return queue_refused(exc)

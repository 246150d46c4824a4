"""The counter panel page and the state it renders from."""

from __future__ import annotations

from flask import jsonify, render_template, request

from counter import bp
from shared.accounts import STAFF, Role
from shared.api import queue_refused
from shared.auth import require, signed_in
from shared.domain import errors
from shared.domain.standards import counter_day
from shared.hub import current_hub
from shared.pages import require_page
from shared.presenters import counter_day_json
from shared.views import panel_view


@bp.get("/counter")
@require_page(STAFF)
def panel():
    hub = current_hub()
    return render_template(
        "counter/panel.html",
        counters=[{"id": c.id, "name": c.name} for c in hub.catalogue.counters],
        max_calls=hub.catalogue.call_rules.max_calls,
        officer=signed_in().name,
        # An officer sits down at the counter on opening the panel; a section head or admin
        # only looks, and takes it only by choosing "Layani di loket ini".
        serve_on_open=signed_in().role is Role.OFFICER,
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
    snapshot = hub.queue.current()
    now = hub.queue.clock()
    today = counter_day(snapshot.day, catalogue, counter.id, now)
    return jsonify(
        {
            **panel_view(snapshot, catalogue, counter, signed_in().name, now),
            "server_time": now.isoformat(),
            "today": counter_day_json(today),
            "can_print": hub.settings.printer.type != "none",
        }
    )


@bp.errorhandler(errors.QueueError)
def refused(exc: errors.QueueError):
    return queue_refused(exc)

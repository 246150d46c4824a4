"""The "belum diinput online" backlog: visits to enter in SIAPkerja once it is back."""

from __future__ import annotations

from flask import jsonify, render_template

from counter import bp
from shared.accounts import STAFF, SUPERVISORS
from shared.auth import require, signed_in
from shared.hub import current_hub
from shared.pages import require_page
from shared.sop_presenters import backlog_entry_json


@bp.get("/supervisor/backlog")
@require_page(STAFF)
def backlog_page():
    who = signed_in()
    return render_template(
        "counter/backlog.html", officer=who.name, supervisor=who.role in SUPERVISORS
    )


@bp.get("/api/online-backlog")
@require(STAFF)
def backlog_entries():
    """Every visit still to be entered online, oldest first, with its age in days."""
    hub = current_hub()
    today = hub.queue.office_date()
    entries = hub.backlog.open_entries()
    return jsonify(
        count=len(entries),
        server_time=hub.queue.clock().isoformat(),
        entries=[backlog_entry_json(e, hub.catalogue, today) for e in entries],
    )


@bp.post("/api/online-backlog/<ticket_id>/clear")
@require(STAFF)
def clear_backlog_entry(ticket_id: str):
    """ "Sudah diinput": who entered it and when; a second clear is refused (409)."""
    hub = current_hub()
    entry = hub.backlog.clear(ticket_id, signed_in().name)
    return jsonify(backlog_entry_json(entry, hub.catalogue, hub.queue.office_date()))

"""The staff page /berkas: files by state, search by pickup code, mark ready, hand over, reprint."""

from __future__ import annotations

from flask import current_app, jsonify, render_template, request

from berkas import bp, current_desk, print_pickup, status_url
from berkas.views import staff_file_json
from shared.accounts import STAFF
from shared.api import queue_refused
from shared.auth import require, signed_in
from shared.domain import errors
from shared.domain.files import (
    FileNotFound,
    FileRegistry,
    FileState,
    MarkReady,
    PickUp,
    normalise_code,
    pickup_file_id,
)
from shared.domain.office_day import ENDED_STATES
from shared.domain.rules import STATE_LABELS
from shared.hub import current_hub
from shared.pages import require_page

# Collected files stay listed this long; older ones are history, found by code.
PICKED_UP_SHOWN = 50


@bp.get("/berkas")
@require_page(STAFF)
def page():
    return render_template("berkas/index.html")


@bp.get("/berkas/data")
@require(STAFF)
def data():
    """Files by state, or those whose code or number matches `q`."""
    hub, desk = current_hub(), current_desk()
    registry = desk.current()
    query = normalise_code(request.args.get("q", "")[:40])

    def shown(files):
        return [staff_file_json(hub.settings, registry, f, desk.describe) for f in files]

    if query:
        found = [
            f
            for f in registry.files.values()
            if query in f.pickup_code or query in normalise_code(f.number)
        ]
        return jsonify(query=query, found=shown(sorted(found, key=lambda f: f.opened_at)[:50]))
    picked = registry.by_state(FileState.PICKED_UP)
    return jsonify(
        pickups=_pickup_line(registry),
        processing=shown(registry.by_state(FileState.PROCESSING)),
        ready=shown(registry.by_state(FileState.READY)),
        picked_up=shown(
            sorted(picked, key=lambda f: f.picked_up_at or f.opened_at)[-PICKED_UP_SHOWN:][::-1]
        ),
        notices_failing=sum(1 for n in registry.queued_notices() if n.attempts > 0),
    )


@bp.post("/berkas/<ref>/jadi")
@require(STAFF)
def mark_ready(ref: str):
    """Berkas jadi: the visitor's page says so at once, and a notice goes out if they asked."""
    desk = current_desk()
    _events, registry = desk.execute(MarkReady(ref, signed_in().name))
    return jsonify(_one(registry, ref))


@bp.post("/berkas/<ref>/diambil")
@require(STAFF)
def hand_over(ref: str):
    """Handed over at a desk, without the pickup line (refused if already collected)."""
    desk = current_desk()
    _events, registry = desk.pick_up(PickUp(ref, signed_in().name))
    return jsonify(_one(registry, ref))


@bp.post("/berkas/<ref>/cetak")
@require(STAFF)
def reprint(ref: str):
    berkas = current_desk().find(ref)
    if berkas is None:
        raise FileNotFound(ref)
    printed, error = print_pickup(current_app, berkas, status_url(current_app, berkas.status_token))
    if not printed:
        return jsonify(error=error or "Printer tidak dikonfigurasi."), 503
    return jsonify(printed=True, number=berkas.number)


def _pickup_line(registry: FileRegistry) -> list[dict]:
    """Today's pickup numbers and the file each is for, so Loket 4 knows which card to fetch."""
    hub = current_hub()
    day = hub.queue.today()
    shown = []
    for request_id, ticket_id in day.ids_by_request.items():
        file_id = pickup_file_id(request_id)
        ticket = day.tickets.get(ticket_id)
        berkas = registry.files.get(file_id) if file_id else None
        if ticket is None or berkas is None or ticket.state in ENDED_STATES:
            continue
        counter = hub.catalogue.counter(ticket.counter) if ticket.counter else None
        shown.append(
            {
                "ticket": ticket.number,
                "ticket_state": STATE_LABELS[ticket.state],
                "counter_name": counter.name if counter else None,
                **staff_file_json(hub.settings, registry, berkas, current_desk().describe),
            }
        )
    return sorted(shown, key=lambda p: p["ticket"])


def _one(registry, ref: str):
    berkas = registry.find(ref)
    hub = current_hub()
    return staff_file_json(hub.settings, registry, berkas, current_desk().describe)


@bp.errorhandler(errors.QueueError)
def refused(exc: errors.QueueError):
    return queue_refused(exc)

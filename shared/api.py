"""The JSON API: each route parses, builds a command, runs it and presents the result."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from shared.accounts import STAFF, SUPERVISORS, Role
from shared.auth import issue_login_token, require, signed_in
from shared.command_parsing import BadRequest, counter_command, issue_command, text_field
from shared.domain import commands as c
from shared.domain import errors
from shared.domain.rules import MAX_REASON_LENGTH
from shared.feedback import command_feedback
from shared.hub import current_hub
from shared.login_guard import LoginRefused, current_guard
from shared.presenters import service_json
from shared.store.base import StoreUnavailable
from shared.views import (
    counter_view,
    public_overview,
    public_ticket_view,
    service_lines_view,
    staff_overview,
    ticket_view,
)

bp = Blueprint("api", __name__, url_prefix="/api")

ISSUERS = (Role.KIOSK, *STAFF)
VIEWERS = (Role.KIOSK, Role.DISPLAY, *STAFF)


def _body() -> dict[str, Any]:
    if not request.data:
        return {}
    return json_object()


def json_object() -> dict[str, Any]:
    """The request's JSON object; an undecodable body is a BadRequest saying why."""
    data = request.get_json()
    if not isinstance(data, dict):
        raise BadRequest("Isi permintaan harus berupa objek JSON.")
    return data


@bp.get("/health")
def health():
    hub = current_hub()
    try:
        hub.store.ping()
    except StoreUnavailable as exc:
        # Where the store lives and what it said is for the admin's log, not the public.
        current_app.logger.error("health check: %s", exc)
        return jsonify(status="error", store="unavailable"), 503
    return jsonify(status="ok", office=hub.catalogue.office_id, version=hub.queue.today().version)


@bp.get("/services")
def services():
    catalogue = current_hub().catalogue
    return jsonify(services=[service_json(s, catalogue) for s in catalogue.services])


@bp.get("/queue")
@require(VIEWERS)
def queue():
    hub = current_hub()
    overview = public_overview if signed_in().is_device else staff_overview
    return jsonify(overview(hub.queue.current(), hub.catalogue))


@bp.post("/tickets")
@require(ISSUERS)
def issue_ticket():
    hub = current_hub()
    command = issue_command(_body(), issued_by=signed_in().name)
    outcome = hub.queue.execute(command)
    ticket = outcome.ticket
    if ticket is None:  # cannot happen: an issue either yields a ticket or raises
        raise RuntimeError("issue produced no ticket")
    body = {
        **ticket_view(outcome.snapshot, hub.catalogue, ticket),
        "status_url": hub.status_url(ticket.status_token),
    }
    # 200 for a repeated tap that returns the ticket already issued, 201 for a new one.
    return jsonify(body), 201 if outcome.events else 200


@bp.get("/tickets/<ticket_id>")
def ticket_status(ticket_id: str):
    hub = current_hub()
    snapshot = hub.queue.current()
    ticket = snapshot.day.tickets.get(ticket_id)
    if ticket is None:
        raise errors.TicketNotFound(ticket_id)
    return jsonify(public_ticket_view(snapshot, hub.catalogue, ticket))


@bp.post("/counters/<counter_id>/<action>")
@require(STAFF)
def counter_action(counter_id: str, action: str):
    hub = current_hub()
    counter = hub.catalogue.counter(counter_id)
    if counter is None:
        raise errors.UnknownCounter(counter_id)
    who = signed_in()
    command = counter_command(
        action.replace("-", "_"), counter_id, who.name, _body(), supervisor=who.role in SUPERVISORS
    )
    outcome = hub.queue.execute(command)
    return jsonify(
        counter=counter_view(outcome.snapshot, hub.catalogue, counter),
        # What became of the visit, for the panel to say ("A-004 selesai, 12 mnt").
        done=command_feedback(outcome.day, hub.catalogue, outcome.events),
    )


@bp.post("/counters/<counter_id>/release")
@require(SUPERVISORS)
def release_counter(counter_id: str):
    """A supervisor frees a counter its officer left without logging out."""
    hub = current_hub()
    outcome = hub.queue.execute(c.ReleaseCounter(signed_in().name, counter=counter_id))
    counter = hub.catalogue.counter(counter_id)
    return jsonify(
        counter=counter_view(outcome.snapshot, hub.catalogue, counter) if counter else None
    )


@bp.post("/tickets/<ticket_ref>/reassign")
@require(SUPERVISORS)
def reassign_ticket(ticket_ref: str):
    """A supervisor pulls a ticket back to its line, or sends it to one counter."""
    hub = current_hub()
    to_counter = text_field(_body(), "counter")
    outcome = hub.queue.execute(
        c.Reassign(signed_in().name, ticket=ticket_ref, to_counter=to_counter)
    )
    if outcome.ticket is None:
        raise errors.TicketNotFound(ticket_ref)
    return jsonify(ticket_view(outcome.snapshot, hub.catalogue, outcome.ticket))


@bp.post("/services/<service_code>/close")
@require(SUPERVISORS)
def close_service(service_code: str):
    """A supervisor stops numbers of a service for the rest of the day (e.g. no card blanks)."""
    hub = current_hub()
    reason = text_field(_body(), "reason", max_length=MAX_REASON_LENGTH) or ""
    command = c.CloseService(signed_in().name, service=service_code, reason=reason)
    outcome = hub.queue.execute(command)
    return jsonify(services=service_lines_view(outcome.snapshot, hub.catalogue))


@bp.post("/services/<service_code>/reopen")
@require(SUPERVISORS)
def reopen_service(service_code: str):
    hub = current_hub()
    outcome = hub.queue.execute(c.ReopenService(signed_in().name, service=service_code))
    return jsonify(services=service_lines_view(outcome.snapshot, hub.catalogue))


@bp.get("/alerts")
@require(STAFF)
def alerts():
    return jsonify(alerts=list(current_hub().alerts.values()))


@bp.post("/login")
def login():
    data = _body()
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise BadRequest("Isi 'username' dan 'password'.")
    try:
        principal = current_guard().sign_in(username, password, request.remote_addr or "")
    except LoginRefused as refused:
        headers = {"Retry-After": str(refused.retry_after)} if refused.retry_after else {}
        return jsonify(error=refused.message), refused.status, headers
    return jsonify(token=issue_login_token(principal), role=principal.role.value)


_STATUS_BY_ERROR: tuple[tuple[type[errors.QueueError], int], ...] = (
    (errors.NotFound, 404),
    (errors.Invalid, 422),
    (errors.Conflict, 409),
)


@bp.errorhandler(errors.QueueError)
def queue_refused(exc: errors.QueueError):
    status = next((code for kind, code in _STATUS_BY_ERROR if isinstance(exc, kind)), 409)
    return jsonify(error=exc.message), status


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    if exc.response is not None:  # abort(response) from the auth checks: already JSON
        return exc.response
    return jsonify(error=exc.description or exc.name), exc.code

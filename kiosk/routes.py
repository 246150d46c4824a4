"""Kiosk pages and the ticket-taking flow: issue, print, show; and the phone status page."""

from __future__ import annotations

from flask import jsonify, redirect, render_template, url_for

from kiosk import bp
from kiosk.file_status import file_for_token, file_page, leaves_file, public_file_for
from kiosk.printer import PrinterFault, print_slip
from kiosk.slips import qr_svg, slip_for
from shared.accounts import STAFF, SUPERVISORS, Role
from shared.api import ISSUERS, json_object, queue_refused
from shared.auth import require, signed_in
from shared.command_parsing import issue_command
from shared.domain import errors
from shared.domain.rules import ticket_held_elsewhere
from shared.hub import Hub, current_hub
from shared.pages import page, require_page
from shared.presenters import service_json
from shared.survey_hub import survey_window
from shared.views import availability_view, public_ticket_view, ticket_view

KIOSK_ROLES = (Role.KIOSK, Role.ADMIN)


@bp.get("/kiosk")
@require_page(KIOSK_ROLES)
def index():
    hub = current_hub()
    # The pickup line has its own screen ("Ambil berkas"): its numbers need a pickup code.
    services = [service_json(s, hub.catalogue) for s in hub.catalogue.services if not s.pickup]
    pickup = any(s.pickup for s in hub.catalogue.services)
    return render_template(
        "kiosk/index.html",
        services=services,
        all_free=all(s["free"] for s in services),
        timezone=hub.catalogue.timezone,
        pickup=pickup,
    )


@bp.get("/kiosk/availability")
@require(ISSUERS)
def availability():
    hub = current_hub()
    snapshot, now = hub.queue.current(), hub.queue.clock()
    return jsonify(services=availability_view(snapshot, hub.catalogue, now))


@bp.post("/kiosk/tickets")
@require(ISSUERS)
def take_ticket():
    """Issue a ticket, print it, and return what the kiosk screen shows."""
    hub = current_hub()
    outcome = hub.queue.execute(issue_command(json_object(), issued_by=signed_in().name))
    if outcome.ticket is None:
        raise RuntimeError("issue produced no ticket")
    # Claimed at once: a retry of a tap whose answer was lost prints the ticket if nothing
    # printed it yet, and a double tap never prints it twice.
    should_print = hub.claim_slip(outcome.ticket.id)
    ticket = ticket_view(outcome.snapshot, hub.catalogue, outcome.ticket)
    status_url = hub.status_url(outcome.ticket.status_token)
    printed, print_error = _print(hub, ticket, status_url) if should_print else (None, None)
    return jsonify(
        ticket=ticket,
        status_url=status_url,
        qr_svg=qr_svg(status_url),
        printed=printed,
        print_error=print_error,
    ), 201 if outcome.events else 200


@bp.post("/kiosk/tickets/<ticket_id>/print")
@require(STAFF)
def reprint(ticket_id: str):
    """An officer reprints a ticket, e.g. after the printer was fixed ("Cetak ulang")."""
    hub = current_hub()
    snapshot = hub.queue.current()
    day = snapshot.day
    ticket = day.find(ticket_id)
    if ticket is None:
        raise errors.TicketNotFound(ticket_id)
    who = signed_in()
    held = ticket_held_elsewhere(day, hub.catalogue, ticket, who.name)
    if held is not None and who.role not in SUPERVISORS:
        raise held
    printed, print_error = _print(
        hub, ticket_view(snapshot, hub.catalogue, ticket), hub.status_url(ticket.status_token)
    )
    if not printed:
        return jsonify(error=print_error or "Printer tidak dikonfigurasi."), 503
    return jsonify(printed=True, number=ticket.number)


def _print(hub: Hub, ticket: dict, status_url: str) -> tuple[bool | None, str | None]:
    """(printed, message for the screen); None when the office has no printer."""
    printer = hub.settings.printer
    if printer.type == "none":
        return None, None
    try:
        print_slip(printer, slip_for(hub.settings, ticket, status_url))
    except PrinterFault as fault:
        hub.raise_alert("printer", fault.user_message, fault.detail, hub.queue.clock())
        return False, fault.user_message
    hub.clear_alert("printer")
    return True, None


@bp.get("/t/<status_token>")
@page
def ticket_status_page(status_token: str):
    """The phone page behind the ticket's QR code: public, no personal data."""
    hub = current_hub()
    snapshot = hub.queue.current()
    ticket = snapshot.day.by_status_token(status_token)
    if ticket is None:
        # A file lives on after its day, and so does its page; else yesterday's finished
        # visit may still be rated (until the next office day ends).
        survey_open = survey_window(status_token) is not None
        has_file = file_for_token(status_token) is not None
        if not has_file and survey_open:
            return redirect(url_for("kiosk.phone_survey", status_token=status_token))
        if not has_file:
            # Numbers restart every day, so yesterday's QR code leads here too.
            return render_template("kiosk/ticket_unknown.html"), 404
        return file_page(status_token, survey_open=survey_open)
    return render_template(
        "kiosk/status.html",
        ticket=public_ticket_view(snapshot, hub.catalogue, ticket),
        token=status_token,
        leaves_file=leaves_file(ticket.service),
        berkas=public_file_for(status_token) if leaves_file(ticket.service) else None,
    )


@bp.get("/t/<status_token>.json")
def ticket_status_json(status_token: str):
    hub = current_hub()
    snapshot = hub.queue.current()
    ticket = snapshot.day.by_status_token(status_token)
    if ticket is None:
        return jsonify(error=UNKNOWN_TICKET), 404
    return jsonify(public_ticket_view(snapshot, hub.catalogue, ticket))


UNKNOWN_TICKET = "Nomor antrian tidak ditemukan. Tiket hanya berlaku pada hari diambil."


@bp.errorhandler(errors.QueueError)
def refused(exc: errors.QueueError):
    return queue_refused(exc)

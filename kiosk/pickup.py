"""Ambil berkas at the kiosk: scan or type the pickup code, get a number in the pickup line."""

from __future__ import annotations

from flask import jsonify, render_template

from berkas import current_desk
from kiosk import bp
from kiosk.routes import KIOSK_ROLES, _print
from kiosk.slips import qr_svg
from shared.api import ISSUERS, json_object
from shared.auth import require, signed_in
from shared.command_parsing import BadRequest
from shared.domain import commands as c
from shared.domain import errors
from shared.domain.files import (
    Berkas,
    FileAlreadyPickedUp,
    FileNotFound,
    FileNotReady,
    FileState,
    describe_day,
    pickup_request_id,
)
from shared.domain.office_day import TicketState
from shared.hub import current_hub
from shared.pages import require_page
from shared.views import ticket_view

MAX_SCANNED = 300  # a scanned status URL is well under this


class NoPickupLine(errors.Conflict):
    def __init__(self) -> None:
        super().__init__("Kantor ini belum membuka antrean ambil berkas. Silakan ke loket.")


def pickup_service():
    return next((s for s in current_hub().catalogue.services if s.pickup), None)


@bp.get("/kiosk/ambil")
@require_page(KIOSK_ROLES)
def pickup_page():
    service = pickup_service()
    return render_template("kiosk/pickup.html", service=service)


@bp.post("/kiosk/pickup")
@require(ISSUERS)
def take_pickup_ticket():
    """A number in the pickup line for a file that is ready; refused with the reason if not."""
    hub = current_hub()
    typed = json_object().get("code")
    if not isinstance(typed, str) or not typed.strip():
        raise BadRequest("Ketik atau pindai kode pengambilan berkas.")
    if len(typed) > MAX_SCANNED:
        raise FileNotFound(typed)
    service = pickup_service()
    if service is None:
        raise NoPickupLine()
    berkas = _collectable(typed)
    day = hub.queue.today()

    def ended(request_id: str) -> bool:
        ticket = day.tickets.get(day.ids_by_request.get(request_id, ""))
        # Cancelled only: a number sent back (berkas tidak lengkap) is called again by number.
        return ticket is not None and ticket.state is TicketState.CANCELLED

    outcome = hub.queue.execute(
        c.IssueTicket(
            service=service.code,
            issued_by=signed_in().name,
            # One live number per file: a second scan of the slip is the same ticket.
            request_id=pickup_request_id(berkas.id, ended),
        )
    )
    if outcome.ticket is None:
        raise RuntimeError("issue produced no ticket")
    should_print = hub.claim_slip(outcome.ticket.id)
    ticket = ticket_view(outcome.snapshot, hub.catalogue, outcome.ticket)
    url = hub.status_url(outcome.ticket.status_token)
    printed, print_error = _print(hub, ticket, url) if should_print else (None, None)
    return jsonify(
        ticket=ticket,
        status_url=url,
        qr_svg=qr_svg(url),
        printed=printed,
        print_error=print_error,
        berkas={"number": berkas.number, "service_name": _service_name(berkas)},
    ), 201 if outcome.events else 200


def _collectable(typed: str) -> Berkas:
    """The file named by a typed code or a scanned slip (its QR holds the status URL)."""
    desk = current_desk()
    text = typed.strip()
    ref = text.rsplit("/t/", 1)[1].split("?")[0].strip("/") if "/t/" in text else text
    berkas = desk.find(ref)
    if berkas is None:
        raise FileNotFound(ref if "/t/" not in text else "dari kode QR")
    if berkas.state is FileState.PROCESSING:
        raise FileNotReady(berkas, describe_day(berkas.ready_by))
    if berkas.state is FileState.PICKED_UP:
        raise FileAlreadyPickedUp(berkas, desk.describe(berkas.picked_up_at or desk.clock()))
    return berkas


def _service_name(berkas: Berkas) -> str:
    service = current_hub().catalogue.service(berkas.service)
    return service.name if service else berkas.service

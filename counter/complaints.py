"""Staff side of the complaints register: record, forward, follow up, answer and close.

Officers and supervisors record complaints that came by the office's other channels;
supervisors (and admins) move them on. The page is drawn by the server; its forms post JSON
(with the CSRF header) to the routes below, which answer `{"error"}` with 4xx on refusal:
409 when someone else moved the complaint first.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import jsonify, render_template

from counter import bp
from shared.accounts import STAFF, SUPERVISORS
from shared.api import json_object
from shared.auth import require, signed_in
from shared.command_parsing import BadRequest
from shared.complaint_service import ComplaintService
from shared.complaints_web import current_complaints, staff_complaint_view
from shared.domain.complaints import (
    CONTACT_MAX,
    KINDS,
    TEXT_MAX,
    CloseComplaint,
    Complaint,
    FollowUpComplaint,
    ForwardComplaint,
    ReceiveComplaint,
    is_overdue,
    work_list,
)
from shared.hub import current_hub
from shared.pages import require_page

# Closed complaints shown under the open ones; the recap lists them all.
RECENT_CLOSED = 30


@bp.get("/pengaduan/kelola")
@require_page(STAFF)
def manage_complaints():
    """Open complaints, overdue first and marked; supervisors act on them, officers record."""
    service = current_complaints()
    who = signed_in()
    is_supervisor = who.role in SUPERVISORS
    now = service.clock()
    register = service.register()
    complaints = work_list(register, service.policy, now)
    if not is_supervisor:  # an officer sees what they recorded, not complaints about colleagues
        complaints = [c for c in complaints if c.recorded_by == who.name]
    open_ones = [c for c in complaints if not c.is_closed]
    closed = [c for c in complaints if c.is_closed][:RECENT_CLOSED]
    services = {s.code: s.name for s in current_hub().catalogue.services}
    return render_template(
        "counter/complaints.html",
        user=who.name,
        is_supervisor=is_supervisor,
        open_complaints=[_entry(c, service, now, services, is_supervisor) for c in open_ones],
        closed_complaints=[_entry(c, service, now, services, False) for c in closed],
        overdue=sum(1 for c in open_ones if is_overdue(c, service.policy, now)),
        supervisors=service.supervisors(),
        kinds=KINDS,
        categories=service.policy.categories,
        channels=service.policy.channels,
        today=service.policy.office_date(now),
        text_max=TEXT_MAX,
        contact_max=CONTACT_MAX,
        response_days=service.policy.response_days,
    )


def _entry(
    complaint: Complaint,
    service: ComplaintService,
    now: datetime,
    services: dict[str, str],
    with_contact: bool,
) -> dict[str, Any]:
    view = staff_complaint_view(complaint, service.policy, now, services)
    # The contact is read only for those who answer, and only while the complaint is open.
    view["contact"] = service.contact(complaint) if with_contact else None
    return view


@bp.post("/pengaduan/kelola/catat")
@require(STAFF)
def record_complaint():
    """Record a complaint received by SMS, telephone, letter, the box... with its date."""
    body = json_object()
    command = ReceiveComplaint(
        kind=_text(body, "kind"),
        category=_text(body, "category"),
        channel=_text(body, "channel"),
        text=_free_text(body, "text"),
        recorded_by=signed_in().name,
        received_on=_received_on(body.get("received_on")),
        anonymous=body.get("anonymous") is True,
        request_id=_text(body, "request_id") or None,
    )
    received = current_complaints().receive(command, contact=body.get("contact"))
    return _answer(received.complaint), 201 if received.created else 200


@bp.post("/pengaduan/kelola/<ref>/teruskan")
@require(SUPERVISORS)
def forward_complaint(ref: str):
    body = json_object()
    command = ForwardComplaint(ref, signed_in().name, _text(body, "to"))
    return _answer(current_complaints().act(command))


@bp.post("/pengaduan/kelola/<ref>/tindak-lanjut")
@require(SUPERVISORS)
def follow_up_complaint(ref: str):
    body = json_object()
    command = FollowUpComplaint(ref, signed_in().name, _free_text(body, "text"))
    return _answer(current_complaints().act(command))


@bp.post("/pengaduan/kelola/<ref>/selesai")
@require(SUPERVISORS)
def close_complaint(ref: str):
    """Answer the complainant and close; their contact is erased at once."""
    body = json_object()
    command = CloseComplaint(ref, signed_in().name, _free_text(body, "answer"))
    return _answer(current_complaints().act(command))


def _answer(complaint: Complaint):
    service = current_complaints()
    services = {s.code: s.name for s in current_hub().catalogue.services}
    return jsonify(
        complaint=staff_complaint_view(complaint, service.policy, service.clock(), services)
    )


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadRequest(f"Kolom '{key}' harus berupa teks.")
    if len(value) > 200:  # names on a list are short; the value is not repeated back
        raise BadRequest(f"Kolom '{key}' terlalu panjang (maksimal 200 karakter).")
    return value.strip()


def _free_text(body: dict[str, Any], key: str) -> str:
    """Text a person wrote; its length and content are the domain's to judge."""
    value = body.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadRequest(f"Kolom '{key}' harus berupa teks.")
    return value


def _received_on(value: object) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str) and len(value) <= 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise BadRequest("Tanggal diterima tidak dikenali; gunakan format TTTT-BB-HH, mis. 2026-11-23.")

"""The public complaint form and the complainant's tracking page: no sign-in, public facts only.

Reached from the phone status page (`/t/<token>` links here with its ticket, so staff know
which visit it is about unless the visitor files anonymously) and from the survey tablet.
Plain HTML forms posted back and redirected (post/redirect/get), so a phone needs no script
and a reload never files twice; each form carries its own request id for a double tap.
"""

from __future__ import annotations

import hmac
import re
import secrets
from typing import Any

from flask import current_app, redirect, render_template, request, session, url_for

from kiosk import bp
from kiosk.slips import qr_svg
from shared.auth import CSRF_FIELD, csrf_token, current_principal
from shared.complaint_service import public_command
from shared.complaints_web import (
    GUARD_KEY,
    IntakeGuard,
    current_complaints,
    public_complaint_view,
    public_url,
    wait_text,
)
from shared.domain import errors
from shared.domain.complaints import CONTACT_MAX, KINDS, TEXT_MAX
from shared.hub import current_hub
from shared.pages import page

# Tracking tokens are secrets.token_urlsafe(18): 24 characters of this alphabet.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_REQUEST_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
# A paired survey tablet or kiosk files for many visitors from one address.
DEVICE_ALLOWANCE = 10
SHARED_DEVICE_RESET_SECONDS = 60
# What a visitor typed or filed is never kept by a browser cache: on a shared screen "back"
# must not show it to the next visitor.
PRIVATE = {"Cache-Control": "no-store"}


def _guard() -> IntakeGuard:
    return current_app.extensions[GUARD_KEY]


@bp.get("/pengaduan")
@page
def complaint_form():
    """The form; `?tiket=<status token>` ties it to that visit (the phone page's link)."""
    return _form(
        values={"tiket": _ticket_token(request.args.get("tiket", ""))}, error=None, status=200
    )


@bp.post("/pengaduan")
@page
def file_complaint():
    """File a complaint from the public form, then show its tracking page."""
    form = request.form
    values = {key: form.get(key, "") for key in ("jenis", "kategori", "isi", "kontak", "tiket")}
    values["anonim"] = "ya" if form.get("anonim") else ""
    values["tiket"] = _ticket_token(values["tiket"])
    if not _form_is_fresh():
        message = "Formulir sudah kedaluwarsa. Periksa isinya lalu tekan Kirim sekali lagi."
        return _form(values=values, error=message, status=403)
    source, allowance = _source()
    wait = _guard().wait_seconds(source, allowance)
    if wait:
        message = (
            "Terlalu banyak pengaduan dari perangkat ini dalam satu jam. "
            f"Silakan coba lagi dalam {wait_text(wait)}, atau sampaikan langsung kepada petugas."
        )
        return _form(values=values, error=message, status=429, retry_after=wait)
    request_id = form.get("request_id", "")
    visit = _visit(values["tiket"])
    try:
        command = public_command(
            kind=values["jenis"],
            category=values["kategori"],
            text=values["isi"],
            anonymous=bool(values["anonim"]),
            request_id=request_id if _REQUEST_ID.fullmatch(request_id) else None,
            visit=visit,
        )
        received = current_complaints().receive(command, contact=values["kontak"] or None)
    except errors.QueueError as refused:
        return _form(values=values, error=refused.message, status=_status(refused))
    if received.created:
        _guard().filed(source)
    token = received.complaint.tracking_token
    return redirect(url_for("kiosk.complaint_status", token=token, baru=1), code=303)


@bp.get("/pengaduan/<token>")
@page
def complaint_status(token: str):
    """The complainant's own complaint: its state and the office's answer, nothing else."""
    service = current_complaints()
    complaint = service.register().by_tracking_token(token) if _TOKEN.fullmatch(token) else None
    if complaint is None:
        message = "Pengaduan tidak ditemukan. Periksa kembali tautan atau kode QR yang Anda terima."
        page_html = render_template(
            "unavailable.html", title="Pengaduan tidak ditemukan", message=message, status=404
        )
        return page_html, 404
    link = public_url(url_for("kiosk.complaint_status", token=token))
    return render_template(
        "kiosk/complaint_status.html",
        complaint=public_complaint_view(complaint, service.policy),
        link=link,
        qr=qr_svg(link),
        new=request.args.get("baru") == "1",
        home=_shared_device_home(),
        reset_seconds=SHARED_DEVICE_RESET_SECONDS,
    ), PRIVATE


def _form(values: dict[str, str], error: str | None, status: int, retry_after: int = 0):
    service = current_complaints()
    visit = _visit(values.get("tiket", ""))
    page_html = render_template(
        "kiosk/complaint_form.html",
        values=values,
        error=error,
        kinds=KINDS,
        categories=service.policy.categories,
        visit=visit,
        request_id=secrets.token_urlsafe(12),
        text_max=TEXT_MAX,
        contact_max=CONTACT_MAX,
        csrf=csrf_token(),
        response_days=service.policy.response_days,
    )
    headers = {"Retry-After": str(retry_after)} if retry_after else {}
    return page_html, status, {**headers, **PRIVATE}


def _form_is_fresh() -> bool:
    """The form's CSRF token is this browser session's (checked here, not by auth.check_csrf,
    so a visitor gets the form back with what they typed instead of a JSON refusal)."""
    sent, expected = request.form.get(CSRF_FIELD, ""), session.get(CSRF_FIELD, "")
    return bool(expected) and hmac.compare_digest(sent, expected)


def _ticket_token(value: str) -> str:
    """A status token as sent, or "" for anything that cannot be one (never echoed back)."""
    return value if _TOKEN.fullmatch(value) else ""


def _visit(status_token: str) -> tuple[str, str, Any] | None:
    """(number, service, office date) of today's ticket behind a status token, if any."""
    if not status_token:
        return None
    hub = current_hub()
    ticket = hub.queue.current().day.by_status_token(status_token)
    if ticket is None:
        return None  # yesterday's ticket, or a made-up token: filed without a visit
    return ticket.number, ticket.service, hub.queue.office_date()


def _shared_device_home() -> str | None:
    """Where a shared screen (survey tablet, kiosk) returns after showing a complaint.

    The next visitor must not find the last one's complaint on the screen; a phone keeps it.
    """
    principal = current_principal()
    if principal is None or not principal.is_device:
        return None
    return {"survey": "/survei", "kiosk": "/kiosk"}.get(principal.role.value, "/pengaduan")


def _source() -> tuple[str, int]:
    """Whom the flood guard counts: a paired device by name, anyone else by address."""
    principal = current_principal()
    if principal is not None and principal.is_device:
        return f"device:{principal.name}", DEVICE_ALLOWANCE
    return f"address:{request.remote_addr or ''}", 1


def _status(refused: errors.QueueError) -> int:
    if isinstance(refused, errors.NotFound):
        return 404
    if isinstance(refused, errors.Conflict):
        return 409
    return 422

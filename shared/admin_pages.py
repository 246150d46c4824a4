"""The admin's home: the pages, the paired devices and users, and short pairing codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, current_app, render_template, request

from shared.accounts import DEVICE_KINDS, AccountError, Principal, Role
from shared.auth import check_csrf, signed_in
from shared.domain.office_calendar import MONTH_NAMES
from shared.hub import current_hub
from shared.page_index import page_index, role_label
from shared.pages import require_page
from shared.pairing_codes import (
    CODE_VALID,
    TOO_MANY_CODES,
    WRONG_CODE,
    CodeAttempts,
    PairingCodes,
    wait_text,
)

bp = Blueprint("admin", __name__)
_EXTENSION = "antrian_pairing_codes"
KIND_LABELS = {
    Role.KIOSK: "Anjungan (kiosk)",
    Role.DISPLAY: "Layar TV",
    Role.SURVEY: "Tablet survei",
}


@dataclass
class PairingDesk:
    codes: PairingCodes
    attempts: CodeAttempts


def init_app(app: Flask) -> None:
    hub = app.extensions["antrian"]
    app.extensions[_EXTENSION] = PairingDesk(PairingCodes(hub.store, hub.accounts), CodeAttempts())


def _desk() -> PairingDesk:
    return current_app.extensions[_EXTENSION]


class CodeRefused(Exception):
    """A pairing code that does not pair: the message for the screen, and the HTTP status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def pair_with_code(code: str, address: str) -> Principal:
    """The device a short code pairs; CodeRefused when wrong, used, expired or rate-limited."""
    desk = _desk()
    wait = desk.attempts.wait_seconds(address)
    if wait:
        raise CodeRefused(TOO_MANY_CODES.format(wait=wait_text(wait)), 429)
    device = desk.codes.redeem(code.strip(), current_hub().queue.clock())
    if device is None:
        desk.attempts.missed(address)
        raise CodeRefused(WRONG_CODE, 401)
    desk.attempts.succeeded(address)
    current_app.logger.info("device %s paired by a pairing code from %s", device.name, address)
    return device


@bp.get("/admin")
@require_page([Role.ADMIN])
def home():
    return _home()


@bp.post("/admin/pairing-codes")
@require_page([Role.ADMIN])
def new_pairing_code():
    """A code an admin reads out to whoever stands at the new kiosk or TV."""
    check_csrf()
    name = request.form.get("name", "").strip()
    kind = request.form.get("kind", "")
    now = current_hub().queue.clock()
    try:
        code = _desk().codes.issue(name, kind, signed_in().name, now)
    except AccountError:
        error = (
            "Nama perangkat: 2-40 huruf, angka, titik, tanda hubung atau garis bawah, tanpa spasi "
            "(mis. kiosk-lobi); jenis: anjungan atau layar TV."
        )
        return _home(error=error, name=name), 400
    return _home(code={"code": code, "name": name, "kind": kind, "until": now + CODE_VALID})


def _home(code: dict | None = None, error: str | None = None, name: str = "") -> str:
    hub = current_hub()
    principal = signed_in()
    return render_template(
        "admin/home.html",
        principal_name=principal.name,
        pages=page_index(principal),
        devices=[
            {"name": d.name, "kind": KIND_LABELS.get(d.kind, d.kind.value), "at": _day(d.paired_at)}
            for d in hub.accounts.devices()
        ],
        users=[
            {"name": u.name, "role": role_label(u.role), "enabled": u.enabled}
            for u in hub.accounts.users()
        ],
        kinds=[(k.value, KIND_LABELS.get(k, k.value)) for k in DEVICE_KINDS],
        code=code,
        error=error,
        name=name,
        valid_minutes=int(CODE_VALID.total_seconds() // 60),
        timezone=hub.catalogue.timezone,
    )


def _day(iso: str) -> str:
    """A stored ISO time as the office writes a date (2 Desember 2026); "-" if unknown."""
    try:
        moment = datetime.fromisoformat(iso).astimezone(ZoneInfo(current_hub().catalogue.timezone))
    except ValueError:
        return "-"
    return f"{moment.day} {MONTH_NAMES[moment.month - 1]} {moment.year}"

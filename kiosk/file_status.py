"""The phone page across days: a ticket whose visit left a file keeps its page."""

from __future__ import annotations

import re

from flask import abort, jsonify, render_template

from berkas import current_desk
from berkas.views import public_file_json
from kiosk import bp
from shared.api import json_object
from shared.auth import check_csrf
from shared.command_parsing import BadRequest
from shared.domain import errors
from shared.domain.files import BadContact, Berkas, EraseContact, FileState, LeaveContact
from shared.files_desk import contact_key
from shared.hub import current_hub

EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
PHONE = re.compile(r"^(?:\+?62|0)(8\d{7,12})$")
MAX_CONTACT = 254
NO_FILE = "Belum ada berkas untuk nomor ini."


def file_for_token(status_token: str) -> Berkas | None:
    if not current_desk().enabled:
        return None  # an office without files reads no files stream
    registry = current_desk().current()
    file_id = registry.ids_by_token.get(status_token)
    return registry.files.get(file_id) if file_id else None


def file_page(status_token: str, *, survey_open: bool = False):
    """The page of a file on a later day (the ticket itself lived only on its day)."""
    hub = current_hub()
    berkas = file_for_token(status_token)
    if berkas is None:
        # Numbers restart every day, so yesterday's QR code leads here too.
        abort(404, "Nomor antrian tidak ditemukan. Tiket hanya berlaku pada hari diambil.")
    return render_template(
        "kiosk/file_page.html",
        berkas=public_file_json(hub.settings, berkas, hub.queue.clock()),
        token=status_token,
        survey_open=survey_open,
    )


def public_file_for(status_token: str) -> dict | None:
    """The file part of a ticket's page, drawn by the server so it shows without a fetch."""
    berkas = file_for_token(status_token)
    hub = current_hub()
    return public_file_json(hub.settings, berkas, hub.queue.clock()) if berkas else None


def leaves_file(service_code: str) -> bool:
    """True when a ticket of this service leaves a file: its page carries the file part."""
    service = current_hub().catalogue.service(service_code)
    return bool(service and service.finished_later_days)


@bp.get("/t/<status_token>/berkas.json")
def file_status_json(status_token: str):
    hub = current_hub()
    berkas = file_for_token(status_token)
    if berkas is None:
        return jsonify(error=NO_FILE), 404
    return jsonify(public_file_json(hub.settings, berkas, hub.queue.clock()))


@bp.post("/t/<status_token>/kontak")
def leave_contact(status_token: str):
    """The visitor leaves an e-mail address or phone number for the notice, on purpose."""
    check_csrf()
    hub, desk = current_hub(), current_desk()
    berkas = file_for_token(status_token)
    if berkas is None:
        return jsonify(error=NO_FILE), 404
    channel = hub.settings.notices.contact_channel
    if channel is None:
        return jsonify(error="Kantor ini tidak mengirim pemberitahuan."), 409
    typed = json_object().get("contact")
    if not isinstance(typed, str):
        raise BadRequest("Isi 'contact'.")
    contact = _valid_contact(channel, typed)
    # The text first, then the fact: a fact never points at a contact that is not there.
    desk.store.save_contact(contact_key(berkas.id), contact)
    try:
        _events, registry = desk.execute(LeaveContact(berkas.id, channel))
    except errors.QueueError:
        # Refused (the file was collected meanwhile): a contact with no purpose is not kept.
        if desk.current().files[berkas.id].state is FileState.PICKED_UP:
            desk.store.erase_contact(contact_key(berkas.id))
        raise
    return jsonify(public_file_json(hub.settings, registry.files[berkas.id], hub.queue.clock()))


@bp.delete("/t/<status_token>/kontak")
def erase_contact(status_token: str):
    check_csrf()
    hub, desk = current_hub(), current_desk()
    berkas = file_for_token(status_token)
    if berkas is None:
        return jsonify(error=NO_FILE), 404
    desk.store.erase_contact(contact_key(berkas.id))
    _events, registry = desk.execute(EraseContact(berkas.id, "dihapus pengunjung"))
    return jsonify(public_file_json(hub.settings, registry.files[berkas.id], hub.queue.clock()))


def _valid_contact(channel: str, typed: str) -> str:
    text = typed.strip()
    if channel == "email":
        if len(text) > MAX_CONTACT or not EMAIL.match(text):
            raise BadContact("Alamat e-mail tidak valid. Contoh: nama@gmail.com")
        return text
    digits = re.sub(r"[\s.-]", "", text)
    match = PHONE.match(digits) if len(digits) <= 20 else None
    if match is None:
        raise BadContact("Nomor ponsel tidak valid. Contoh: 0812 3456 7890")
    return f"62{match.group(1)}"


__all__ = ["file_page", "leaves_file", "public_file_for"]

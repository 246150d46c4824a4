"""Files as JSON: what the public page may show, and what staff see."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from shared.config import Settings
from shared.domain.files import (
    STATE_LABELS,
    Berkas,
    FileRegistry,
    FileState,
    NoticeState,
    describe_day,
    format_code,
)


def _service_name(settings: Settings, code: str) -> str:
    return next((s.name for s in settings.services if s.code == code), code)


def _local_day(moment: datetime, settings: Settings):
    return moment.astimezone(ZoneInfo(settings.office.timezone)).date()


def public_file_json(settings: Settings, berkas: Berkas, now: datetime) -> dict[str, Any]:
    """A file as its visitor's phone shows it: no names, no contact text."""
    today = _local_day(now, settings)
    ready_text = describe_day(berkas.ready_by)
    if berkas.state is FileState.PROCESSING:
        if berkas.ready_by < today:
            message = (
                f"Berkas masih diproses (perkiraan semula {ready_text}). "
                "Mohon maaf atas keterlambatannya."
            )
        else:
            message = f"Berkas diproses, perkiraan jadi {ready_text}."
    elif berkas.state is FileState.READY:
        message = (
            f"Berkas sudah jadi, silakan ambil di {settings.office.name} pada jam layanan: "
            "pilih Ambil berkas di mesin antrean."
        )
    else:
        picked = describe_day(_local_day(berkas.picked_up_at or now, settings))
        message = f"Sudah diambil pada {picked}."
    channel = settings.notices.contact_channel
    return {
        "number": berkas.number,
        "service_name": _service_name(settings, berkas.service),
        "state": berkas.state.value,
        "state_label": STATE_LABELS[berkas.state],
        "message": message,
        "visit_day_text": describe_day(berkas.visit_day),
        "ready_by": berkas.ready_by.isoformat(),
        "ready_by_text": ready_text,
        "pickup_code": format_code(berkas.pickup_code)
        if berkas.state is not FileState.PICKED_UP
        else None,
        # What the visitor may leave (none when the office sends no notices or it is collected).
        "contact_kind": channel if berkas.state is not FileState.PICKED_UP else None,
        "contact_left": berkas.contact_channel is not None,
    }


def staff_file_json(
    settings: Settings, registry: FileRegistry, berkas: Berkas, describe
) -> dict[str, Any]:
    notices = [n for n in registry.notices.values() if n.file_id == berkas.id]
    latest = max(notices, key=lambda n: n.queued_at) if notices else None
    return {
        "id": berkas.id,
        "number": berkas.number,
        "service": berkas.service,
        "service_name": _service_name(settings, berkas.service),
        "pickup_code": format_code(berkas.pickup_code),
        "state": berkas.state.value,
        "state_label": STATE_LABELS[berkas.state],
        "visit_day": berkas.visit_day.isoformat(),
        "visit_day_text": describe_day(berkas.visit_day),
        "ready_by": berkas.ready_by.isoformat(),
        "ready_by_text": describe_day(berkas.ready_by),
        "opened_by": berkas.opened_by,
        "ready_text": f"{berkas.ready_officer}, {describe(berkas.ready_at)}"
        if berkas.ready_at
        else None,
        "picked_up_text": f"{berkas.picked_up_by}, {describe(berkas.picked_up_at)}"
        if berkas.picked_up_at
        else None,
        "contact": {"email": "e-mail", "phone": "nomor ponsel"}.get(berkas.contact_channel or ""),
        "notice": None
        if latest is None
        else {
            "state": latest.state.value,
            "attempts": latest.attempts,
            "failing": latest.state is NoticeState.QUEUED and latest.attempts > 0,
        },
    }

"""Visits served on paper numbers during an outage of the hub, entered afterwards.

The manual SOP (seed 002) keeps serving when the power or the system is down; the day's
register and reports are complete only once those visits are entered. They are marked as
entered afterwards and kept apart from the day's own numbering, so "A-012" on paper never
takes the place of the hub's A-012.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from shared.domain import commands as c
from shared.domain import errors
from shared.domain.catalogue import Catalogue
from shared.domain.events import DomainEvent, PaperVisitRecorded
from shared.domain.office_day import PAPER_STATES, OfficeDay

_PAPER_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./-]{0,11}$")
# How long after the day a visit may still be entered: the outage may last into the next days.
ENTRY_WINDOW_DAYS = 31
MAX_VISIT_MINUTES = 12 * 60


def record_paper_visit(
    day: OfficeDay, catalogue: Catalogue, command: c.RecordPaperVisit, now: datetime, ticket_id: str
) -> list[DomainEvent]:
    """The event entering one paper visit into `command.office_day`; refuses what cannot be."""
    service = catalogue.service(command.service)
    if service is None:
        raise errors.UnknownService(command.service)
    number = command.number.strip().upper()
    if not _PAPER_NUMBER.match(number):
        raise errors.Invalid(
            "Tulis nomor seperti tertulis di kertas (huruf, angka, '-' atau '.', paling banyak "
            "12 karakter), mis. A-012."
        )
    if (service.code, number) in day.paper_numbers:
        raise errors.Conflict(
            f"Nomor kertas {number} untuk {service.name} sudah dicatat pada hari itu."
        )
    if command.outcome not in PAPER_STATES:
        raise errors.Invalid(f"Hasil layanan harus salah satu dari: {', '.join(PAPER_STATES)}.")
    if command.counter is not None and catalogue.counter(command.counter) is None:
        raise errors.UnknownCounter(command.counter)
    _check_times(catalogue, command, now)
    reason = (command.return_reason or "").strip() or None
    if command.outcome == "dikembalikan" and reason is None:
        raise errors.Invalid("Pilih dokumen yang kurang untuk kunjungan yang dikembalikan.")
    return [
        PaperVisitRecorded(
            ticket_id=ticket_id,
            at=now,
            number=number,
            service=service.code,
            outcome=command.outcome,
            recorded_by=command.recorded_by,
            issued_at=command.issued_at,
            started_at=command.started_at,
            finished_at=command.finished_at,
            counter=command.counter,
            return_reason=reason if command.outcome == "dikembalikan" else None,
        )
    ]


def _check_times(catalogue: Catalogue, command: c.RecordPaperVisit, now: datetime) -> None:
    zone = ZoneInfo(catalogue.timezone)
    times = [t for t in (command.issued_at, command.started_at, command.finished_at) if t]
    if any(t.astimezone(zone).date() != command.office_day for t in times):
        raise errors.Invalid("Semua jam harus pada tanggal kunjungan itu.")
    if any(t > now for t in times):
        raise errors.Invalid("Jam kunjungan tidak boleh di masa depan.")
    if times != sorted(times):
        raise errors.Invalid("Urutan jam harus: ambil nomor, mulai dilayani, selesai.")
    if command.started_at and command.finished_at:
        if command.finished_at - command.started_at > timedelta(minutes=MAX_VISIT_MINUTES):
            raise errors.Invalid("Lama layanan lebih dari 12 jam: periksa jamnya.")
    if now.astimezone(zone).date() - command.office_day > timedelta(days=ENTRY_WINDOW_DAYS):
        raise errors.Invalid(
            f"Kunjungan lebih dari {ENTRY_WINDOW_DAYS} hari yang lalu tidak dapat dicatat lagi."
        )
    if command.outcome == "selesai" and not (command.started_at and command.finished_at):
        raise errors.Invalid("Untuk kunjungan yang selesai, isi jam mulai dan jam selesai.")

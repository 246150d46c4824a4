"""What goes on a ticket: the slip built from a ticket, with local time in Indonesian."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import qrcode
import qrcode.image.svg

from kiosk.printer import TicketSlip
from shared.config import Settings
from shared.domain.catalogue import DAY_NAMES

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def local_time_text(moment: datetime, timezone: str) -> str:
    """E.g. "Senin, 23 November 2026 08.00 WIB": how an Indonesian office writes a time."""
    local = moment.astimezone(ZoneInfo(timezone))
    zone = ZONE_NAMES.get(timezone, local.strftime("%Z"))
    return (
        f"{DAY_NAMES[local.weekday()]}, {local.day} {MONTHS[local.month - 1]} {local.year} "
        f"{local:%H.%M} {zone}"
    )


def slip_for(settings: Settings, ticket: dict[str, Any], status_url: str) -> TicketSlip:
    """The printed ticket for a ticket as the API presents it; no personal data."""
    service = next(s for s in settings.services if s.code == ticket["service"])
    return TicketSlip(
        office_name=settings.office.name,
        office_address=settings.office.address,
        service_name=service.name,
        number=ticket["number"],
        priority_label=ticket.get("priority_label"),
        issued_at_text=local_time_text(
            datetime.fromisoformat(ticket["issued_at"]), settings.office.timezone
        ),
        ahead=ticket["ahead"],
        estimated_wait_minutes=ticket["estimated_wait_minutes"],
        requirements=service.requirements,
        status_url=status_url,
        complaint_channels=settings.office.complaint_channels,
    )


def qr_svg(url: str) -> str:
    """The status-page QR code as inline SVG for the kiosk screen (no network needed)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()

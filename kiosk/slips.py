"""What goes on a ticket: the slip built from a ticket, with local time in Indonesian."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import qrcode

from kiosk.printer import TicketSlip
from shared.config import Settings, cost_label
from shared.domain.catalogue import DAY_NAMES
from shared.domain.office_calendar import MONTH_NAMES, ZONE_NAMES


def local_time_text(moment: datetime, timezone: str) -> str:
    """E.g. "Senin, 23 November 2026 08.00 WIB": how an Indonesian office writes a time."""
    local = moment.astimezone(ZoneInfo(timezone))
    zone = ZONE_NAMES.get(timezone, local.strftime("%Z"))
    return (
        f"{DAY_NAMES[local.weekday()]}, {local.day} {MONTH_NAMES[local.month - 1]} {local.year} "
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
        cost_line=cost_line(service.cost),
    )


def cost_line(cost: int | str) -> str:
    """The tariff line of a ticket, from the service's `cost` in config."""
    if cost == 0:
        return "Layanan ini GRATIS - tidak dipungut biaya"
    return f"Biaya layanan: {cost_label(cost)}"


QR_PIXELS_PER_MODULE = 10


def qr_svg(url: str) -> str:
    """The status-page QR code as inline SVG for the kiosk screen (no network needed).

    One fixed mask and one path drawn from the module matrix: choosing the "best" of eight
    masks and drawing module by module cost about 100 ms of CPU per ticket, on the kiosk's
    request path; every mask is equally valid to a phone's reader.
    """
    code = qrcode.QRCode(border=2, mask_pattern=0)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    path = "".join(
        f"M{x} {y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark
    )
    pixels = size * QR_PIXELS_PER_MODULE
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{pixels}" height="{pixels}" shape-rendering="crispEdges">'
        f'<path d="{path}" fill="#000"/></svg>'
    )

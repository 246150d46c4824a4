"""The pickup slip (bukti pengambilan berkas): printed when a visit leaves a file behind."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.printer import print_job
from shared.domain.files import Berkas, describe_day, format_code

if TYPE_CHECKING:
    from escpos.escpos import Escpos

    from shared.config import PrinterConfig, Settings

KEEP_IT = "Simpan bukti ini untuk mengambil berkas"


@dataclass(frozen=True)
class PickupSlip:
    """What the slip says; no personal data, as on a ticket."""

    office_name: str
    office_address: str
    service_name: str
    number: str
    pickup_code: str  # as printed: "K7M-4PX"
    visit_day_text: str
    ready_by_text: str
    status_url: str


def pickup_slip_for(settings: Settings, berkas: Berkas, status_url: str) -> PickupSlip:
    service = next((s for s in settings.services if s.code == berkas.service), None)
    return PickupSlip(
        office_name=settings.office.name,
        office_address=settings.office.address,
        service_name=service.name if service else berkas.service,
        number=berkas.number,
        pickup_code=format_code(berkas.pickup_code),
        visit_day_text=describe_day(berkas.visit_day),
        ready_by_text=describe_day(berkas.ready_by),
        status_url=status_url,
    )


def _wrapped(printer: Escpos, text: str, width: int) -> None:
    for line in textwrap.wrap(text, width=width) or [""]:
        printer.textln(line)


def render_pickup_slip(printer: Escpos, slip: PickupSlip, line_width: int) -> None:
    rule = "-" * line_width
    printer.set(align="center", bold=True)
    _wrapped(printer, slip.office_name, line_width)
    printer.set(align="center", bold=False, normal_textsize=True)
    if slip.office_address:
        _wrapped(printer, slip.office_address, line_width)
    printer.textln(rule)
    printer.set(align="center", bold=True)
    printer.textln("BUKTI PENGAMBILAN BERKAS")
    printer.set(align="center", bold=False)
    _wrapped(printer, slip.service_name, line_width)
    _wrapped(printer, f"Nomor kunjungan {slip.number}, {slip.visit_day_text}", line_width)
    printer.textln(rule)
    printer.textln("Kode pengambilan:")
    # Large, but it must still fit a 58 mm line (7 characters at triple width is 21).
    printer.set(align="center", bold=True, custom_size=True, width=3, height=3)
    printer.textln(slip.pickup_code)
    printer.set(align="center", bold=False, normal_textsize=True)
    printer.textln("Perkiraan jadi:")
    printer.set(align="center", bold=True)
    printer.textln(slip.ready_by_text)
    printer.set(align="center", bold=False)
    printer.textln(rule)
    printer.qr(slip.status_url, native=True, size=6)
    _wrapped(printer, "Pindai untuk melihat status berkas lewat ponsel", line_width)
    printer.textln(rule)
    printer.set(align="center", bold=True)
    _wrapped(printer, KEEP_IT, line_width)
    printer.set(align="left", bold=False)
    _wrapped(
        printer,
        "Saat berkas jadi: pilih AMBIL BERKAS di mesin antrean, lalu pindai kode QR ini "
        "atau ketik kode pengambilan.",
        line_width,
    )
    printer.cut()


def print_pickup_slip(config: PrinterConfig, slip: PickupSlip) -> None:
    """Print it on the kiosk printer, or raise PrinterFault."""
    print_job(config, lambda printer: render_pickup_slip(printer, slip, config.line_width))

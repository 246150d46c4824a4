"""The pickup slip's ESC/POS bytes: what it says, and that it fits the paper."""

from __future__ import annotations

from datetime import date

import pytest
from escpos import printer as escpos_printers

from kiosk.pickup_slip import KEEP_IT, PickupSlip, render_pickup_slip
from shared.domain.files import describe_day

SLIP = PickupSlip(
    office_name="Dinas Tenaga Kerja Kabupaten Lamongan",
    office_address="Kabupaten Lamongan, Jawa Timur",
    service_name="Kartu AK1 (Kartu Pencari Kerja) - Baru",
    number="A-001",
    pickup_code="K7M-4PX",
    visit_day_text=describe_day(date(2026, 11, 25)),
    ready_by_text=describe_day(date(2026, 11, 30)),
    status_url="http://192.168.1.10:5000/t/abc",
)


@pytest.mark.parametrize("width", [32, 48])
def test_the_pickup_slip_says_what_to_keep_and_fits_the_paper(width):
    dummy = escpos_printers.Dummy(profile="TM-T88V")
    render_pickup_slip(dummy, SLIP, width)
    raw = bytes(dummy.output)
    text = raw.decode("cp437")
    for needed in ("BUKTI PENGAMBILAN BERKAS", "K7M-4PX", "Senin, 30 November 2026", "A-001"):
        assert needed in text
    assert KEEP_IT in text.replace("\n", " ")
    # A native QR (GS ( k) with the status URL, and a cut at the end.
    assert b"\x1d(k" in raw and SLIP.status_url.encode() in raw
    assert raw.index(b"\x1dV") > raw.index(b"\x1d(k")
    # The longest line (the visit) is wrapped on 58 mm paper rather than cut by the printer.
    [visit] = [line for line in text.split("\n") if "Nomor kunjungan" in line]
    assert len(visit[visit.index("Nomor") :]) <= width

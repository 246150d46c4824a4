"""The printed ticket: its ESC/POS bytes, and real sockets that work, stall, hang up or run dry."""

from __future__ import annotations

import socket
import time

import pytest

from kiosk.printer import PrinterFault, TicketSlip, print_slip, slip_bytes
from shared.config import PrinterConfig
from tests.printer_server import TestPrinter

SLIP = TicketSlip(
    office_name="Dinas Tenaga Kerja Kabupaten Lamongan",
    office_address="Kabupaten Lamongan, Jawa Timur",
    service_name="Kartu AK1 (Kartu Pencari Kerja) - Baru",
    number="A-012",
    priority_label="Lansia",
    issued_at_text="Senin, 23 November 2026 08.00 WIB",
    ahead=3,
    estimated_wait_minutes=23,
    requirements=("Pas foto berwarna 3x4 (2 lembar)", "Fotokopi KTP (1 lembar)"),
    status_url="http://192.168.1.10:5000/t/abcDEF123",
    complaint_channels=("Email: disnakerlamongankab@gmail.com",),
)
GS = b"\x1d"
CUT = GS + b"V"
QR_STORE = GS + b"(k"


def network(port: int, timeout: float = 1.0) -> PrinterConfig:
    return PrinterConfig(type="network", host="127.0.0.1", port=port, timeout_seconds=timeout)


def test_slip_bytes_hold_number_size_qr_and_cut():
    data = slip_bytes(SLIP, 48, "TM-T88V")
    assert b"A-012" in data
    assert GS + b"!\x77" in data  # character size 8 x 8, the largest ESC/POS allows
    assert QR_STORE in data and SLIP.status_url.encode() in data
    assert data.rstrip(b"\n").endswith(CUT + b"\x00") or CUT in data[-8:]
    for text in (
        b"GRATIS",
        b"Pas foto berwarna",
        b"Fotokopi KTP",
        b"PRIORITAS: Lansia",
        b"Lamongan",
    ):
        assert text in data
    assert b"Antrean di depan Anda: 3 orang" in data


def test_58mm_paper_wraps_text_at_32_columns():
    data = slip_bytes(SLIP, 32, "TM-T88V")
    text_lines = [line for line in data.split(b"\n") if b"\x1b" not in line and b"\x1d" not in line]
    assert text_lines, "no plain text lines found"
    assert max(len(line) for line in text_lines) <= 32


def test_a_ticket_reaches_a_network_printer_over_a_real_socket():
    with TestPrinter() as printer:
        print_slip(network(printer.port), SLIP)
        job = printer.wait_for_job()
    assert b"A-012" in job and QR_STORE in job and CUT in job


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_printer_is_a_fault_naming_it():
    port = closed_port()
    with pytest.raises(PrinterFault) as fault:
        print_slip(network(port), SLIP)
    assert f"127.0.0.1:{port} unreachable" in fault.value.detail
    assert fault.value.user_message.startswith("Printer bermasalah")


def test_printer_that_never_reads_times_out_within_bounds():
    with TestPrinter("stall") as printer:
        started = time.monotonic()
        with pytest.raises(PrinterFault, match="did not answer the status query before printing"):
            print_slip(network(printer.port, timeout=0.5), SLIP)
        assert time.monotonic() - started < 5


def test_printer_that_hangs_up_mid_job_is_a_fault():
    with (
        TestPrinter("hangup") as printer,
        pytest.raises(
            PrinterFault, match="hung up during the job|closed the connection after printing"
        ),
    ):
        print_slip(network(printer.port), SLIP)


def test_without_status_check_a_stalled_printer_goes_unnoticed_for_small_jobs():
    # Why the status check is on by default: TCP alone accepts the whole small job.
    with TestPrinter("stall") as printer:
        config = network(printer.port, timeout=0.5).model_copy(update={"status_check": False})
        print_slip(config, SLIP)


def test_paper_out_is_reported_before_printing():
    with TestPrinter("paper_out") as printer:
        with pytest.raises(PrinterFault, match="no paper"):
            print_slip(network(printer.port), SLIP)
        assert b"A-012" not in printer.wait_for_job()


def test_no_printer_configured_prints_nothing():
    print_slip(PrinterConfig(type="none"), SLIP)


def test_file_printer_writes_the_ticket_to_the_device_path(tmp_path):
    device = tmp_path / "lp0"
    device.touch()  # a printer device node exists before anything writes to it
    print_slip(PrinterConfig(type="file", device=str(device)), SLIP)
    data = device.read_bytes()
    assert b"A-012" in data and CUT in data


def test_file_printer_that_is_missing_is_a_fault(tmp_path):
    with pytest.raises(PrinterFault, match="file printer"):
        print_slip(PrinterConfig(type="file", device=str(tmp_path / "no" / "lp0")), SLIP)

"""The ticket printer: a slip rendered to ESC/POS with python-escpos, sent with a bounded wait."""

from __future__ import annotations

import socket
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk import escpos_capabilities

# Before escpos is imported: it reads (and may rewrite) its capabilities pickle on import.
escpos_capabilities.prepare()

from escpos import exceptions as escpos_errors  # noqa: E402
from escpos import printer as escpos_printers  # noqa: E402
from escpos.constants import RT_MASK_NOPAPER, RT_STATUS_PAPER  # noqa: E402

if TYPE_CHECKING:
    from escpos.escpos import Escpos

    from shared.config import PrinterConfig

USER_MESSAGE = "Printer bermasalah, silakan catat/foto nomor Anda dan hubungi petugas."


@dataclass(frozen=True)
class TicketSlip:
    """Everything printed on a ticket; deliberately no personal data."""

    office_name: str
    office_address: str
    service_name: str
    number: str
    priority_label: str | None
    issued_at_text: str
    ahead: int
    estimated_wait_minutes: int
    requirements: tuple[str, ...]
    status_url: str
    complaint_channels: tuple[str, ...]
    # From the service's `cost` in config (kiosk/slips.py).
    cost_line: str = "Layanan ini GRATIS - tidak dipungut biaya"


class PrinterFault(Exception):
    """The ticket could not be printed; `detail` says precisely why, for the admin."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.user_message = USER_MESSAGE


def _wrapped(printer: Escpos, text: str, width: int, indent: str = "") -> None:
    lines = textwrap.wrap(text, width=width, subsequent_indent=indent) or [""]
    for line in lines:
        printer.textln(line)


def render_slip(printer: Escpos, slip: TicketSlip, line_width: int) -> None:
    """Write the ticket to any python-escpos printer, ending with a cut."""
    rule = "-" * line_width
    printer.set(align="center", bold=True)
    _wrapped(printer, slip.office_name, line_width)
    printer.set(align="center", bold=False, normal_textsize=True)
    if slip.office_address:
        _wrapped(printer, slip.office_address, line_width)
    printer.textln(rule)
    _wrapped(printer, slip.service_name, line_width)
    printer.textln("Nomor antrian Anda:")
    # The largest size the command set allows (8 x 8), so the number reads from arm's length.
    printer.set(align="center", bold=True, custom_size=True, width=8, height=8)
    printer.textln(slip.number)
    printer.set(align="center", bold=False, normal_textsize=True)
    if slip.priority_label:
        printer.set(align="center", bold=True)
        printer.textln(f"PRIORITAS: {slip.priority_label}")
        printer.set(align="center", bold=False)
    printer.textln(slip.issued_at_text)
    printer.textln(f"Antrean di depan Anda: {slip.ahead} orang")
    printer.textln(f"Perkiraan tunggu: +/- {slip.estimated_wait_minutes} menit")
    printer.textln(rule)
    printer.set(align="left")
    printer.textln("Pastikan Anda membawa:")
    for requirement in slip.requirements:
        _wrapped(printer, f"[ ] {requirement}", line_width, indent="    ")
    printer.textln(rule)
    printer.set(align="center")
    # Native QR: about 74 bytes on the wire, against kilobytes for a QR sent as an image.
    printer.qr(slip.status_url, native=True, size=6)
    printer.textln("Pantau antrean lewat ponsel")
    printer.textln(rule)
    printer.set(align="center", bold=True)
    _wrapped(printer, slip.cost_line, line_width)
    printer.set(align="left", bold=False)
    printer.textln("Pengaduan:")
    for channel in slip.complaint_channels:
        _wrapped(printer, f"- {channel}", line_width, indent="  ")
    printer.cut()


def slip_bytes(slip: TicketSlip, line_width: int, profile: str) -> bytes:
    """The ESC/POS bytes of a ticket, without any printer attached."""
    dummy = escpos_printers.Dummy(profile=profile)
    render_slip(dummy, slip, line_width)
    return bytes(dummy.output)


def open_printer(config: PrinterConfig) -> Escpos | None:
    """The transport named in the config, not yet connected; None for `none`."""
    if config.type == "network":
        # Always the short timeout: python-escpos would otherwise wait 60 s.
        return _Network(
            config.host, port=config.port, timeout=config.timeout_seconds, profile=config.profile
        )
    if config.type == "usb":
        return escpos_printers.Usb(config.vendor_id, config.product_id, profile=config.profile)
    if config.type == "serial":
        return escpos_printers.Serial(
            devfile=config.device,
            baudrate=config.baudrate,
            timeout=config.timeout_seconds,
            profile=config.profile,
        )
    if config.type == "file":
        return escpos_printers.File(devfile=config.device, profile=config.profile)
    return None


def describe(config: PrinterConfig) -> str:
    """Which printer, in the words an admin would look for."""
    if config.type == "network":
        return f"network printer {config.host}:{config.port}"
    if config.type == "usb":
        return f"USB printer {config.vendor_id:#06x}:{config.product_id:#06x}"
    return f"{config.type} printer {config.device}"


def print_slip(config: PrinterConfig, slip: TicketSlip) -> None:
    """Print a ticket, or raise PrinterFault; bounded by the configured timeout."""
    print_job(config, lambda printer: render_slip(printer, slip, config.line_width))


def print_job(config: PrinterConfig, render: Callable[[Escpos], None]) -> None:
    """Print whatever `render` writes (a ticket, a pickup slip), or raise PrinterFault."""
    printer = open_printer(config)
    if printer is None:
        return
    where = describe(config)
    check = config.type == "network" and config.status_check
    try:
        printer.open()
        if check:
            _check_paper(printer, config, where, "before printing")
        render(printer)
        if check:
            # Confirms the job was taken: a printer that hung up or stalled fails here.
            _check_paper(printer, config, where, "after printing")
    except PrinterFault:
        raise
    except escpos_errors.DeviceNotFoundError as exc:
        raise PrinterFault(f"{where} unreachable: {_first_line(exc)}") from exc
    except TimeoutError as exc:
        raise PrinterFault(
            f"{where} timed out after {config.timeout_seconds} s (accepts but does not read: "
            "paper jam, cover open or busy)"
        ) from exc
    except (ConnectionResetError, BrokenPipeError) as exc:
        raise PrinterFault(f"{where} hung up during the job: {exc}") from exc
    except (OSError, escpos_errors.Error) as exc:
        raise PrinterFault(f"{where} failed: {_first_line(exc)}") from exc
    finally:
        _close_quietly(printer)


def _check_paper(printer: Escpos, config: PrinterConfig, where: str, moment: str) -> None:
    """Ask the printer for its paper status, waiting at most the configured timeout."""
    try:
        answer = printer.query_status(RT_STATUS_PAPER)
    except TimeoutError as exc:
        raise PrinterFault(
            f"{where} did not answer the status query {moment} within "
            f"{config.timeout_seconds} s (offline, jammed or busy; set printer.status_check: "
            "false if this model never answers)"
        ) from exc
    if not answer:
        raise PrinterFault(f"{where} closed the connection {moment}")
    if answer[0] & RT_MASK_NOPAPER == RT_MASK_NOPAPER:
        raise PrinterFault(f"{where} reports no paper {moment} (paper end sensor)")


class _Network(escpos_printers.Network):
    """python-escpos's Network, but closing its socket when the connection fails."""

    def open(self, raise_not_found: bool = True) -> None:
        try:
            connection = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise escpos_errors.DeviceNotFoundError(
                f"Could not open socket for {self.host}:{self.port}: {exc}"
            ) from exc
        self.device = connection


def _close_quietly(printer: Escpos) -> None:
    try:
        printer.close()
    except (OSError, escpos_errors.Error, AttributeError):
        pass  # the job already failed or succeeded; closing cannot change that


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__

"""Every table of a period report, and the visit register, as CSV and as XLSX.

A `Table` is the one shape both writers take: typed columns (text, whole numbers, minutes,
shares, dates), so the XLSX carries real numbers and dates, and the CSV writes numbers the
way the chosen delimiter expects (`;` with decimal commas, as Indonesian Excel reads them;
`,` with decimal points). No personal data: a visit is a number, never a person.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from shared.domain.catalogue import PRIORITY_LABELS, Catalogue, Priority
from shared.reports.indonesian import WEEKDAYS
from shared.reports.period import PeriodReport, Spread, StaffRow
from shared.reports.register import VisitRow
from shared.reports.xlsx import CellType, Style, Workbook


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"
    MINUTES = "minutes"
    SHARE = "share"  # 0..1, written as a percentage
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class Table:
    """One table: `name` is its sheet and file name (at most 31 characters)."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class ExportHeader:
    """What the top of every sheet says."""

    office: str
    period: str
    made_at: datetime  # office local time


def _spread_cells(spread: Spread) -> tuple[Any, ...]:
    return (spread.count, spread.median, spread.p90, spread.within_share)


def _spread_columns(what: str) -> tuple[Column, ...]:
    return (
        Column(f"{what}: jumlah", Kind.INT),
        Column(f"{what}: median (menit)", Kind.MINUTES),
        Column(f"{what}: p90 (menit)", Kind.MINUTES),
        Column(f"{what}: dalam standar", Kind.SHARE),
    )


def report_tables(report: PeriodReport, catalogue: Catalogue) -> list[Table]:
    """Every table of the report, in the order the page shows them."""
    tables = [
        Table(
            "Kunjungan per hari",
            "Kunjungan per hari",
            (
                Column("Tanggal", Kind.DATE),
                Column("Kunjungan", Kind.INT),
                Column("Selesai", Kind.INT),
                Column("Dikembalikan", Kind.INT),
                Column("Pernah dialihkan", Kind.INT),
                Column("Terlewat", Kind.INT),
                Column("Dibatalkan", Kind.INT),
                Column("Belum selesai", Kind.INT),
            ),
            tuple(
                (d.day, d.visits, d.served, d.returned, d.transferred)
                + (d.skipped, d.cancelled, d.open)
                for d in report.per_day
            ),
        ),
        Table(
            "Kedatangan per jam",
            "Nomor diambil per jam dan hari (jam kantor)",
            (Column("Hari"), *(Column(f"{h:02d}.00", Kind.INT) for h in range(24))),
            tuple((WEEKDAYS[w], *row) for w, row in enumerate(report.arrivals)),
        ),
        Table(
            "Hasil layanan",
            "Hasil layanan",
            (Column("Hasil"), Column("Jumlah", Kind.INT), Column("Bagian", Kind.SHARE)),
            tuple((r.label, r.count, r.share) for r in report.outcomes),
        ),
        Table(
            "Waktu per layanan",
            "Waktu tunggu dan waktu layanan per layanan",
            _service_columns(),
            tuple(_service_cells(r) for r in report.services),
        ),
        Table(
            "Waktu per layanan per bulan",
            "Waktu tunggu dan waktu layanan per layanan per bulan",
            (Column("Bulan"), *_service_columns()),
            tuple((r.month, *_service_cells(r)) for r in report.services_by_month),
        ),
        Table(
            "Langkah SOP",
            "Waktu nyata setiap langkah SOP terhadap standarnya",
            (
                Column("Layanan"),
                Column("Langkah", Kind.INT),
                Column("Nama langkah"),
                Column("Pelaksana"),
                Column("Standar (menit)", Kind.MINUTES),
                Column("Dikerjakan", Kind.INT),
                Column("Median (menit)", Kind.MINUTES),
                Column("p90 (menit)", Kind.MINUTES),
                Column("Melebihi standar", Kind.INT),
                Column("Bagian melebihi", Kind.SHARE),
                Column("Diserahkan", Kind.INT),
                Column("Paling sering melebihi"),
            ),
            tuple(
                (
                    s.service_name,
                    s.number,
                    s.name,
                    s.actor,
                    s.standard_minutes,
                    s.visits,
                    s.median,
                    s.p90,
                    s.over,
                    s.over_share,
                    s.handed_over,
                    "Ya" if s.often_over else "",
                )
                for s in report.steps
            ),
        ),
        Table(
            "Berkas kurang",
            "Pengembalian menurut berkas yang kurang",
            (
                Column("Layanan"),
                Column("Berkas"),
                Column("Jumlah", Kind.INT),
                Column("Bagian", Kind.SHARE),
            ),
            tuple((r.service_name, r.document, r.count, r.share) for r in report.returns),
        ),
        _staff_table("Petugas", "Per petugas", report.officers),
        _staff_table("Loket", "Per loket", report.counters),
        Table(
            "Prioritas",
            "Pelayanan prioritas dan waktu tunggunya",
            (Column("Kelompok"), Column("Kunjungan", Kind.INT), *_spread_columns("Tunggu")),
            tuple((r.label, r.visits, *_spread_cells(r.wait)) for r in report.priorities),
        ),
        Table(
            "Atribut kunjungan",
            "Atribut kunjungan (statistik, tanpa data pribadi)",
            (
                Column("Layanan"),
                Column("Atribut"),
                Column("Nilai"),
                Column("Jumlah", Kind.INT),
                Column("Bagian", Kind.SHARE),
            ),
            tuple(
                (r.service_name, r.label, r.value or "(tidak dicatat)", r.count, r.share)
                for r in report.attributes
            ),
        ),
    ]
    return tables


def _service_columns() -> tuple[Column, ...]:
    return (
        Column("Layanan"),
        Column("Kunjungan", Kind.INT),
        Column("Selesai", Kind.INT),
        Column("Dikembalikan", Kind.INT),
        Column("Standar tunggu (menit)", Kind.MINUTES),
        *_spread_columns("Tunggu"),
        Column("Standar layanan (menit)", Kind.MINUTES),
        *_spread_columns("Layanan"),
    )


def _service_cells(r: Any) -> tuple[Any, ...]:
    return (
        r.name,
        r.visits,
        r.served,
        r.returned,
        r.wait.standard,
        *_spread_cells(r.wait),
        r.service_time.standard,
        *_spread_cells(r.service_time),
    )


def _staff_table(name: str, title: str, rows: Sequence[StaffRow]) -> Table:
    return Table(
        name,
        title,
        (
            Column(name),
            Column("Selesai", Kind.INT),
            Column("Dikembalikan", Kind.INT),
            Column("Dialihkan", Kind.INT),
            Column("Dilewati", Kind.INT),
            Column("Median layanan (menit)", Kind.MINUTES),
            Column("p90 layanan (menit)", Kind.MINUTES),
            Column("Dalam standar", Kind.SHARE),
            Column("Istirahat (menit)", Kind.MINUTES),
        ),
        tuple(
            (
                r.name,
                r.served,
                r.returned,
                r.transferred,
                r.skipped,
                r.service_time.median,
                r.service_time.p90,
                r.service_time.within_share,
                r.break_minutes,
            )
            for r in rows
        ),
    )


# The register: one row per visit; the SOP steps of each visit in a second table.
REGISTER_COLUMNS = (
    Column("Tanggal", Kind.DATE),
    Column("Nomor"),
    Column("Layanan"),
    Column("Layanan saat ambil nomor"),
    Column("Prioritas"),
    Column("Ambil nomor", Kind.DATETIME),
    Column("Panggilan pertama", Kind.DATETIME),
    Column("Mulai dilayani", Kind.DATETIME),
    Column("Selesai", Kind.DATETIME),
    Column("Dipanggil (kali)", Kind.INT),
    Column("Loket"),
    Column("Petugas"),
    Column("Hasil"),
    Column("Berkas kurang"),
    Column("Dialihkan ke"),
    Column("Tunggu (menit)", Kind.MINUTES),
    Column("Layanan (menit)", Kind.MINUTES),
    Column("Standar layanan (menit)", Kind.MINUTES),
    Column("Langkah melebihi standar", Kind.INT),
    Column("Atribut"),
    Column("Nomor kertas (dicatat kemudian)"),
)


def register_table(rows: Iterable[VisitRow], catalogue: Catalogue) -> Table:
    """The visit register, one row per visit."""
    names = {s.code: s.name for s in catalogue.services}
    counters = {c.id: c.name for c in catalogue.counters}
    return Table(
        *REGISTER_SHEET,
        REGISTER_COLUMNS,
        tuple(
            (
                r.office_day,
                r.number,
                r.service_name,
                names.get(r.issued_service, r.issued_service),
                _priority_label(r.priority),
                r.issued_at,
                r.first_called_at,
                r.started_at,
                r.finished_at,
                r.calls,
                ", ".join(counters.get(c, c) for c in r.counters),
                ", ".join(r.officers),
                r.outcome.value,
                r.missing_document or "",
                ", ".join(r.transferred_to),
                r.wait_minutes,
                r.service_minutes,
                r.service_standard_minutes,
                sum(1 for s in r.steps if s.over_standard),
                ", ".join(f"{k}={v}" for k, v in r.attributes),
                "ya" if r.entered_afterwards else "",
            )
            for r in rows
        ),
    )


REGISTER_STEP_COLUMNS = (
    Column("Tanggal", Kind.DATE),
    Column("Nomor"),
    Column("Layanan"),
    Column("Langkah", Kind.INT),
    Column("Nama langkah"),
    Column("Pelaksana"),
    Column("Standar (menit)", Kind.MINUTES),
    Column("Nyata (menit)", Kind.MINUTES),
    Column("Diserahkan"),
)
REGISTER_SHEET = ("Register kunjungan", "Register kunjungan")
REGISTER_STEP_SHEET = ("Langkah per kunjungan", "Langkah SOP per kunjungan")


def register_step_table(rows: Iterable[VisitRow]) -> Table:
    """Every SOP step of every visit: real minutes against the standard."""
    return Table(
        *REGISTER_STEP_SHEET,
        REGISTER_STEP_COLUMNS,
        tuple(
            (
                r.office_day,
                r.number,
                s.service,
                s.number,
                s.name,
                s.actor,
                s.standard_minutes,
                s.minutes,
                "Ya" if s.handed_over else "",
            )
            for r in rows
            for s in r.steps
        ),
    )


def _priority_label(priority: str | None) -> str:
    if not priority:
        return ""
    try:
        return PRIORITY_LABELS[Priority(priority)]
    except ValueError:
        return priority


# ---- CSV -------------------------------------------------------------------------------------

BOM = "\ufeff"


def to_csv(table: Table, delimiter: str = ";") -> bytes:
    """One table as CSV: UTF-8 with BOM (so Excel reads it right), a header row, then rows.

    With `;` numbers use decimal commas (12,5), with `,` decimal points (12.5); shares are
    percentages (92,5); dates 2026-11-23 and times 2026-11-23 08:05.
    """
    if delimiter not in (";", ","):
        raise ValueError(f"delimiter must be ';' or ',' (got {delimiter!r})")
    comma = delimiter == ";"
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([_csv_header(c) for c in table.columns])
    kinds = [c.kind for c in table.columns]
    for row in table.rows:
        writer.writerow([_csv_cell(v, k, comma) for v, k in zip(row, kinds, strict=True)])
    return out.getvalue().encode("utf-8")


def _csv_header(column: Column) -> str:
    return f"{column.header} (%)" if column.kind is Kind.SHARE else column.header


def _csv_cell(value: Any, kind: Kind, comma: bool) -> str:
    if value is None:
        return ""
    if kind is Kind.SHARE:
        return _csv_number(round(value * 100, 1), comma)
    if kind is Kind.MINUTES:
        return _csv_number(round(value, 2), comma)
    if kind is Kind.INT:
        return str(value)
    if kind is Kind.DATETIME:
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if kind is Kind.DATE:
        return value.isoformat()
    return _defused(str(value))


def _csv_number(value: float, comma: bool) -> str:
    text = f"{value:g}" if abs(value) < 1e15 else str(value)
    return text.replace(".", ",") if comma else text


# A cell starting with = + - @ is a formula to Excel: text typed by staff never becomes one.
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")


def _defused(text: str) -> str:
    return "'" + text if _FORMULA_START.match(text) else text


# ---- XLSX ------------------------------------------------------------------------------------

HEADER_ROWS = 5  # office, period, made at, blank, the table's title row comes next


def to_xlsx(tables: Sequence[Table], header: ExportHeader) -> bytes:
    """The tables as one workbook, one sheet each, every sheet opening with the header block:

    row 1 the office, row 2 the period, row 3 when it was made, row 4 the table's title,
    row 5 the column headers, then the rows. Dates and times are Excel dates, minutes and
    counts numbers, shares percentages. The header rows stay on screen while scrolling.
    """
    book = Workbook()
    bold = book.style(Style(bold=True))
    made_at = book.style(Style(number_format="dd/mm/yyyy hh:mm", align="left"))
    cells = {
        Kind.TEXT: (CellType.TEXT, 0),
        Kind.INT: (CellType.NUMBER, 0),
        Kind.MINUTES: (CellType.NUMBER, book.style(Style(number_format="0.0"))),
        Kind.SHARE: (CellType.NUMBER, book.style(Style(number_format="0.0%"))),
        Kind.DATE: (CellType.DATE, book.style(Style(number_format="dd/mm/yyyy"))),
        Kind.DATETIME: (
            CellType.DATETIME,
            book.style(Style(number_format="dd/mm/yyyy hh:mm:ss")),
        ),
    }
    used: set[str] = set()
    for table in tables:
        with book.sheet(
            _sheet_name(table.name, used),
            widths=[max(10, min(40, len(c.header) + 2)) for c in table.columns],
            freeze_rows=HEADER_ROWS,
            size=(HEADER_ROWS + len(table.rows), max(2, len(table.columns))),
        ) as sheet:
            sheet.row(("Kantor", header.office), (bold, 0))
            sheet.row(("Periode", header.period), (bold, 0))
            # Already office local time: Excel has no time zones.
            sheet.row(("Dibuat", header.made_at.replace(tzinfo=None)), (bold, made_at))
            sheet.row((table.title,), bold)
            sheet.row([c.header for c in table.columns], bold)
            sheet.rows(table.rows, [cells[c.kind] for c in table.columns])
    return book.close()


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(name: str, used: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("-", name)[:31] or "Tabel"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate

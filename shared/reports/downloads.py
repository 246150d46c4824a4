"""The report's downloads: which tables a link asks for, as CSV or XLSX (see exports)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from shared.domain.catalogue import Catalogue
from shared.reports.exports import (
    ExportHeader,
    Table,
    report_tables,
    to_csv,
    to_xlsx,
)
from shared.reports.period import Period, PeriodReport, ReportFilters

ALL_TABLES = "semua"
REGISTER = "register-kunjungan"
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class NoSuchDownload(LookupError):
    """A table or format this report does not have; the message is for the page."""


@dataclass(frozen=True)
class DownloadRequest:
    """A download link as the report page asks for it, with what its header says."""

    table: str
    fmt: str
    period: Period
    filters: ReportFilters
    until: date  # today: the period's later days have no visits yet
    office: str
    made_at: datetime
    delimiter: str


@dataclass(frozen=True)
class Download:
    filename: str
    media_type: str
    body: bytes


def slug(name: str) -> str:
    """A table's name in a link and a file name: "Waktu per layanan" -> waktu-per-layanan."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def build(
    table: str,
    fmt: str,
    *,
    period: Period,
    report: Callable[[], PeriodReport],
    register: Callable[[], list[Table]],
    catalogue: Catalogue,
    office: str,
    made_at: datetime,
    delimiter: str,
) -> Download:
    """The file a download link asks for; only what it needs is computed (report or register)."""
    if fmt not in MEDIA_TYPES:
        raise NoSuchDownload("Format unduhan hanya CSV atau XLSX.")
    if fmt == "csv" and table == ALL_TABLES:
        raise NoSuchDownload("CSV memuat satu tabel; unduh semua tabel sebagai XLSX.")
    tables = _tables(table, report, register, catalogue)
    if fmt == "csv":
        body = to_csv(tables[0], delimiter)
    else:
        header = ExportHeader(office=office, period=period.label, made_at=made_at)
        body = to_xlsx(tables, header)
    return Download(f"laporan-{table}-{period.key}.{fmt}", MEDIA_TYPES[fmt], body)


def _tables(
    table: str,
    report: Callable[[], PeriodReport],
    register: Callable[[], list[Table]],
    catalogue: Catalogue,
) -> list[Table]:
    if table == REGISTER:
        return register()
    every = report_tables(report(), catalogue)
    if table == ALL_TABLES:
        return every
    found = [t for t in every if slug(t.name) == table]
    if not found:
        raise NoSuchDownload("Tabel itu tidak ada di laporan ini.")
    return found

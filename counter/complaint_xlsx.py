"""The complaints recap as an XLSX workbook (openpyxl): a summary sheet and the full list."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from shared.domain.complaint_recap import ComplaintRecap
from shared.domain.complaints import STATE_LABELS

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F2")
WRAP = Alignment(wrap_text=True, vertical="top")

LIST_COLUMNS = (
    ("No", 5),
    ("Nomor", 16),
    ("Jenis", 11),
    ("Tanggal diterima", 13),
    ("Saluran", 24),
    ("Kategori", 20),
    ("Isi", 50),
    ("Status", 15),
    ("Diteruskan ke", 16),
    ("Tindak lanjut", 40),
    ("Jawaban", 40),
    ("Tanggal dijawab", 13),
    ("Hari kerja", 10),
    ("Tepat waktu", 11),
)


def recap_workbook(
    office_name: str, recap: ComplaintRecap, rows: list[dict[str, Any]], response_days: int
) -> bytes:
    """The workbook's bytes. Contacts are never in it: it is shared and kept for years."""
    book = Workbook()
    summary = book.worksheets[0]
    summary.title = "Rekap"
    _summary(summary, office_name, recap, response_days)
    _list(book.create_sheet("Daftar"), rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write a value; text is always text, never a formula (a complaint may start with =)."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _summary(sheet: Worksheet, office: str, recap: ComplaintRecap, response_days: int) -> None:
    _text(sheet, 1, 1, "Rekapitulasi Pengaduan dan Saran").font = TITLE
    _text(sheet, 2, 1, office)
    _text(sheet, 3, 1, f"Periode: {recap.period.label}")
    median = recap.median_days_to_answer
    facts = [
        ("Jumlah pengaduan dan saran", len(recap.complaints)),
        ("Sudah dijawab", recap.answered),
        ("Terbuka dan lewat target", recap.overdue_open),
        ("Median waktu menjawab (hari kerja)", median if median is not None else "-"),
        (
            f"Dijawab dalam target {response_days} hari kerja",
            f"{recap.within_target} dari {recap.target_known}",
        ),
        (
            "Persentase tepat waktu",
            recap.within_target_percent / 100 if recap.within_target_percent is not None else "-",
        ),
    ]
    row = 5
    for label, value in facts:
        _text(sheet, row, 1, label)
        cell = _text(sheet, row, 2, value)
        if label == "Persentase tepat waktu" and isinstance(value, float):
            cell.number_format = "0.0%"
        row += 1
    for title, counts in (
        ("Menurut saluran", recap.by_channel),
        ("Menurut kategori", recap.by_category),
        ("Menurut jenis", tuple((k.capitalize(), n) for k, n in recap.by_kind)),
        ("Menurut status", tuple((STATE_LABELS[s], n) for s, n in recap.by_state)),
    ):
        row += 1
        _text(sheet, row, 1, title).font = BOLD
        _text(sheet, row, 2, "Jumlah").font = BOLD
        for column in (1, 2):
            sheet.cell(row=row, column=column).fill = HEADER_FILL
        for name, count in counts:
            row += 1
            _text(sheet, row, 1, name)
            _text(sheet, row, 2, count)
        row += 1
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 16


def _list(sheet: Worksheet, rows: list[dict[str, Any]]) -> None:
    for column, (title, width) in enumerate(LIST_COLUMNS, start=1):
        cell = _text(sheet, 1, column, title)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"
    for index, row in enumerate(rows, start=1):
        within = row["within_target"]
        values = (
            index,
            row["number"],
            row["kind"].capitalize(),
            date.fromisoformat(row["received_on"]),
            row["channel"],
            row["category"],
            row["text"],
            row["state_label"] + (" (lewat target)" if row["overdue"] else ""),
            row["forwarded_to"] or "",
            row["follow_up"] or "",
            row["answer"] or "",
            date.fromisoformat(row["answered_on"]) if row["answered_on"] else "",
            row["working_days_to_answer"] if row["working_days_to_answer"] is not None else "",
            "" if within is None else ("Ya" if within else "Tidak"),
        )
        for column, value in enumerate(values, start=1):
            cell = _text(sheet, index + 1, column, value)
            cell.alignment = WRAP
            if isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"

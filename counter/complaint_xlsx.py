"""The complaints recap as an XLSX workbook (XlsxWriter): a summary sheet and the full list."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import xlsxwriter

from shared.domain.complaint_recap import ComplaintRecap
from shared.domain.complaints import STATE_LABELS

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
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            # A complaint is text as typed: "=HYPERLINK(...)" or "0812" stays text, never a
            # formula, a number or a link.
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    formats = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "bold": book.add_format({"bold": True}),
        "head": book.add_format(
            {"bold": True, "bg_color": "#DDE6F2", "text_wrap": True, "valign": "top"}
        ),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "date": book.add_format({"num_format": "dd/mm/yyyy", "valign": "top"}),
        "percent": book.add_format({"num_format": "0.0%"}),
    }
    _summary(book.add_worksheet("Rekap"), formats, office_name, recap, response_days)
    _list(book.add_worksheet("Daftar"), formats, rows)
    book.close()
    return out.getvalue()


def _summary(sheet, formats, office: str, recap: ComplaintRecap, response_days: int) -> None:
    sheet.write_string(0, 0, "Rekapitulasi Pengaduan dan Saran", formats["title"])
    sheet.write_string(1, 0, office)
    sheet.write_string(2, 0, f"Periode: {recap.period.label}")
    median = recap.median_days_to_answer
    percent = recap.within_target_percent
    facts: list[tuple[str, Any, Any]] = [
        ("Jumlah pengaduan dan saran", len(recap.complaints), None),
        ("Sudah dijawab", recap.answered, None),
        ("Terbuka dan lewat target", recap.overdue_open, None),
        ("Median waktu menjawab (hari kerja)", "-" if median is None else median, None),
        (
            f"Dijawab dalam target {response_days} hari kerja",
            f"{recap.within_target} dari {recap.target_known}",
            None,
        ),
        ("Persentase tepat waktu", "-" if percent is None else percent / 100, formats["percent"]),
    ]
    row = 4
    for label, value, number_format in facts:
        sheet.write_string(row, 0, label)
        sheet.write(row, 1, value, number_format)
        row += 1
    for title, counts in (
        ("Menurut saluran", recap.by_channel),
        ("Menurut kategori", recap.by_category),
        ("Menurut jenis", tuple((k.capitalize(), n) for k, n in recap.by_kind)),
        ("Menurut status", tuple((STATE_LABELS[s], n) for s, n in recap.by_state)),
    ):
        row += 1
        sheet.write_string(row, 0, title, formats["head"])
        sheet.write_string(row, 1, "Jumlah", formats["head"])
        for name, count in counts:
            row += 1
            sheet.write_string(row, 0, name)
            sheet.write_number(row, 1, count)
        row += 1
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, 1, 16)


def _list(sheet, formats, rows: list[dict[str, Any]]) -> None:
    for column, (title, width) in enumerate(LIST_COLUMNS):
        sheet.write_string(0, column, title, formats["head"])
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    for index, row in enumerate(rows, start=1):
        within = row["within_target"]
        days = row["working_days_to_answer"]
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
            "" if days is None else days,
            "" if within is None else ("Ya" if within else "Tidak"),
        )
        for column, value in enumerate(values):
            if isinstance(value, date):
                sheet.write_datetime(index, column, value, formats["date"])
            elif isinstance(value, int):
                sheet.write_number(index, column, value, formats["wrap"])
            else:
                sheet.write_string(index, column, value, formats["wrap"])

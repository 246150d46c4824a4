"""The complaints recap as an XLSX workbook: a summary sheet and the full list."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.domain.complaint_recap import ComplaintRecap
from shared.domain.complaints import STATE_LABELS
from shared.reports.xlsx import Sheet, Style, Workbook

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
    """The workbook's bytes. Contacts are never in it: it is shared and kept for years.

    A complaint is text as typed: "=HYPERLINK(...)" or "0812" stays text, never a formula,
    a number or a link (the writer only ever makes text cells of text).
    """
    book = Workbook()
    styles = {
        "title": book.style(Style(bold=True, size=14)),
        "bold": book.style(Style(bold=True)),
        "head": book.style(Style(bold=True, fill="#DDE6F2", wrap=True, valign="top")),
        "wrap": book.style(Style(wrap=True, valign="top")),
        "date": book.style(Style(number_format="dd/mm/yyyy", valign="top")),
        "percent": book.style(Style(number_format="0.0%")),
    }
    with book.sheet("Rekap", widths=(48, 16)) as sheet:
        _summary(sheet, styles, office_name, recap, response_days)
    with book.sheet("Daftar", widths=[width for _, width in LIST_COLUMNS], freeze_rows=1) as sheet:
        _list(sheet, styles, rows)
    return book.close()


def _summary(
    sheet: Sheet, styles: dict[str, int], office: str, recap: ComplaintRecap, response_days: int
) -> None:
    sheet.row(("Rekapitulasi Pengaduan dan Saran",), styles["title"])
    sheet.row((office,))
    sheet.row((f"Periode: {recap.period.label}",))
    sheet.row(())
    median = recap.median_days_to_answer
    percent = recap.within_target_percent
    facts: list[tuple[str, Any, int]] = [
        ("Jumlah pengaduan dan saran", len(recap.complaints), 0),
        ("Sudah dijawab", recap.answered, 0),
        ("Terbuka dan lewat target", recap.overdue_open, 0),
        ("Median waktu menjawab (hari kerja)", "-" if median is None else median, 0),
        (
            f"Dijawab dalam target {response_days} hari kerja",
            f"{recap.within_target} dari {recap.target_known}",
            0,
        ),
        ("Persentase tepat waktu", "-" if percent is None else percent / 100, styles["percent"]),
    ]
    for label, value, style in facts:
        sheet.row((label, value), (0, style))
    for title, counts in (
        ("Menurut saluran", recap.by_channel),
        ("Menurut kategori", recap.by_category),
        ("Menurut jenis", tuple((k.capitalize(), n) for k, n in recap.by_kind)),
        ("Menurut status", tuple((STATE_LABELS[s], n) for s, n in recap.by_state)),
    ):
        sheet.row(())
        sheet.row((title, "Jumlah"), styles["head"])
        for name, count in counts:
            sheet.row((name, count))


def _list(sheet: Sheet, styles: dict[str, int], rows: list[dict[str, Any]]) -> None:
    sheet.row([title for title, _ in LIST_COLUMNS], styles["head"])
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
        sheet.row(
            values, [styles["date"] if isinstance(v, date) else styles["wrap"] for v in values]
        )

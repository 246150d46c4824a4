"""The IKM report as a workbook in the tabulation layout offices publish: respondents x
elements, totals, NRR, weighted NRR, IKM; then per service, the profile and the saran."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from shared.domain.ikm import Element, rounded
from shared.ikm_report import IkmReport, IkmSection

BOLD = Font(bold=True)
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def report_xlsx(report: IkmReport, office: str, elements: tuple[Element, ...]) -> bytes:
    """The workbook's bytes."""
    book = Workbook()
    book.remove(book.worksheets[0])  # named sheets only, in the order offices file them
    _tabulation(book.create_sheet("Tabulasi"), report.overall, report, office, elements)
    _per_service(book.create_sheet("Per layanan"), report)
    _profile(book.create_sheet("Profil responden"), report)
    _saran(book.create_sheet("Saran"), report)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _text(sheet: Worksheet, row: int, column: int, value: str, **style: Any) -> Cell:
    """A cell that holds text as text: a saran starting with '=' never becomes a formula."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "s"
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _number(sheet: Worksheet, row: int, column: int, value: Any, fmt: str = "0") -> Cell:
    cell = sheet.cell(row=row, column=column, value=value)
    cell.number_format = fmt
    cell.border = BOX
    return cell


def _tabulation(
    sheet: Worksheet,
    section: IkmSection,
    report: IkmReport,
    office: str,
    elements: tuple[Element, ...],
) -> None:
    _text(sheet, 1, 1, "PENGOLAHAN DATA SURVEI KEPUASAN MASYARAKAT PER RESPONDEN", font=BOLD)
    _text(sheet, 2, 1, "DAN PER UNSUR PELAYANAN", font=BOLD)
    _text(sheet, 3, 1, f"{office} · {report.period.label}")
    head = 5
    _text(sheet, head, 1, "No. Resp", font=BOLD, border=BOX)
    for i, element in enumerate(elements, start=2):
        _text(
            sheet,
            head,
            i,
            element.code,
            font=BOLD,
            border=BOX,
            alignment=Alignment(horizontal="center"),
        )
    row = head
    for number, response in enumerate(section.responses, start=1):
        row = head + number
        _number(sheet, row, 1, number)
        for i, score in enumerate(response.response.scores, start=2):
            _number(sheet, row, i, score)
    result = section.result
    last = len(elements) + 1
    rows: tuple[tuple[str, list[Any], str], ...] = (
        ("Σ Nilai/Unsur", [e.total for e in result.elements], "0"),
        ("Jumlah responden menjawab", [e.respondents for e in result.elements], "0"),
        ("NRR/Unsur", [_float(e.nrr, 4) for e in result.elements], "0.0000"),
        ("NRR tertimbang/Unsur", [_float(e.weighted, 4) for e in result.elements], "0.0000"),
        ("Mutu unsur", [e.mutu or "–" for e in result.elements], "@"),
    )
    for offset, (label, values, fmt) in enumerate(rows, start=2):
        _text(sheet, row + offset, 1, label, font=BOLD, border=BOX)
        for i, value in enumerate(values, start=2):
            if fmt == "@":
                _text(sheet, row + offset, i, str(value), border=BOX)
            else:
                _number(sheet, row + offset, i, value, fmt)
    weighted_row = row + 5
    _text(sheet, weighted_row, last + 1, "Σ NRR tertimbang", font=BOLD)
    _number(sheet, weighted_row, last + 2, _float(result.weighted_total, 4), "0.0000")
    ikm_row = row + 8
    _text(sheet, ikm_row, 1, "IKM UNIT PELAYANAN (Σ NRR tertimbang x 25)", font=BOLD)
    _number(sheet, ikm_row, 4, _float(result.ikm, 2), "0.00").font = BOLD
    _text(sheet, ikm_row + 1, 1, "Mutu pelayanan / kinerja", font=BOLD)
    _text(
        sheet, ikm_row + 1, 4, f"{result.mutu or '–'} ({result.kinerja or 'belum dapat dihitung'})"
    )
    _text(sheet, ikm_row + 2, 1, "Responden / sampel minimal (Krejcie-Morgan)", font=BOLD)
    _text(
        sheet,
        ikm_row + 2,
        4,
        f"{result.respondents} / {section.minimum_sample} dari {section.population} kunjungan",
    )
    _text(
        sheet,
        ikm_row + 4,
        1,
        "Keterangan: NRR = Σ nilai / responden yang menjawab; NRR tertimbang = NRR x 1/9 (0,111).",
    )
    for i, element in enumerate(elements, start=0):
        _text(sheet, ikm_row + 5 + i, 1, f"{element.code} = {element.name}")
    sheet.column_dimensions["A"].width = 30
    for column in range(2, last + 3):
        sheet.column_dimensions[get_column_letter(column)].width = 10


def _per_service(sheet: Worksheet, report: IkmReport) -> None:
    headers = (
        "Layanan",
        "Responden",
        "Kunjungan selesai",
        "Sampel minimal",
        "IKM",
        "Mutu",
        "Kinerja",
    )
    for i, header in enumerate(headers, start=1):
        _text(sheet, 1, i, header, font=BOLD, border=BOX)
    for row, section in enumerate((report.overall, *report.services), start=2):
        _text(sheet, row, 1, section.title, border=BOX)
        _number(sheet, row, 2, section.result.respondents)
        _number(sheet, row, 3, section.population)
        _number(sheet, row, 4, section.minimum_sample)
        _number(sheet, row, 5, _float(section.result.ikm, 2), "0.00")
        _text(sheet, row, 6, section.result.mutu or "–", border=BOX)
        _text(sheet, row, 7, section.result.kinerja or "–", border=BOX)
    sheet.column_dimensions["A"].width = 48


def _profile(sheet: Worksheet, report: IkmReport) -> None:
    row = 1
    for label, counts in report.profile:
        _text(sheet, row, 1, label, font=BOLD)
        for choice, count in counts:
            row += 1
            _text(sheet, row, 1, choice or "Tidak diisi")
            _number(sheet, row, 2, count)
        row += 2
    sheet.column_dimensions["A"].width = 28


def _saran(sheet: Worksheet, report: IkmReport) -> None:
    for i, header in enumerate(("Tanggal", "Layanan", "Saran"), start=1):
        _text(sheet, 1, i, header, font=BOLD, border=BOX)
    for row, (day, service, text) in enumerate(report.saran, start=2):
        _text(sheet, row, 1, day.isoformat())
        _text(sheet, row, 2, service or "(tanpa nomor antrian)")
        _text(sheet, row, 3, text, alignment=Alignment(wrap_text=True, vertical="top"))
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 90


def _float(value: Any, places: int) -> float | None:
    return None if value is None else float(rounded(value, places))

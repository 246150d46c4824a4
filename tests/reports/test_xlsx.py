"""The lean XLSX writer, read back by openpyxl and by a plain XML parser as Excel reads it."""

from __future__ import annotations

import io
import math
import re
import threading
import zipfile
from datetime import date, datetime, timedelta
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from shared.reports.exports import HEADER_ROWS, Column, ExportHeader, Kind, Table, to_xlsx
from shared.reports.xlsx import (
    BACKGROUND_CELLS,
    CHUNK_ROWS,
    EXCEL_MAX_TEXT,
    CellType,
    Style,
    Workbook,
)

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
HEADER = ExportHeader("Disnaker <Uji> & Co", "Semester II 2026", datetime(2026, 12, 2, 14, 5))
HOSTILE = (
    "=1+1",
    "+62 812",
    "@SUM(A1)",
    "<&>\"'",
    "bel\x07, nul\x00, escape\x1b, CR\r and LF\n and tab\t",
    "_x0041_ is not an A",
    "  spaces around  ",
    "non-character \ufffe\uffff",
    "emoji 🙂 and aksara ꦗꦮ",
    "x" * 40_000,
)


def visits_table(rows: tuple[tuple, ...]) -> Table:
    return Table(
        "Register kunjungan",
        "Register kunjungan",
        (
            Column("Tanggal", Kind.DATE),
            Column("Catatan"),
            Column("Dipanggil (kali)", Kind.INT),
            Column("Tunggu (menit)", Kind.MINUTES),
            Column("Dalam standar", Kind.SHARE),
            Column("Ambil nomor", Kind.DATETIME),
        ),
        rows,
    )


def read(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def as_excel_reads(data: bytes) -> list[str]:
    """The shared strings as Excel shows them: _xHHHH_ decoded, _x005F_ an underscore."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = ElementTree.fromstring(z.read("xl/sharedStrings.xml"))
    texts = ["".join(t.text or "" for t in si.iter(f"{MAIN}t")) for si in root]
    return [re.sub("_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), t) for t in texts]


def test_dates_numbers_shares_and_the_header_come_back_typed():
    zone = ZoneInfo("Asia/Jakarta")
    moment = datetime(2026, 11, 23, 8, 5, 7, 250_000, tzinfo=zone)
    table = visits_table(
        (
            (date(2026, 11, 23), "A-001", 1, 12.25, 0.925, moment),
            (date(2026, 11, 24), "", None, 0.1 + 0.2, None, None),
            (date(2026, 11, 24), None, 7, 5, 1 / 3, datetime(2026, 11, 24, 16, 0)),
        )
    )
    made = datetime(2026, 12, 2, 14, 5, tzinfo=zone)
    book = read(to_xlsx([table], ExportHeader("Kantor", "Periode", made)))
    sheet = book["Register kunjungan"]
    assert [[c.value for c in row] for row in sheet.iter_rows(max_row=4, max_col=2)] == [
        ["Kantor", "Kantor"],
        ["Periode", "Periode"],
        ["Dibuat", datetime(2026, 12, 2, 14, 5)],  # office local time, no zone in Excel
        ["Register kunjungan", None],
    ]
    assert sheet["B3"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["B3"].alignment.horizontal == "left"
    headers = list(sheet.iter_rows(min_row=HEADER_ROWS, max_row=HEADER_ROWS))[0]
    assert [c.value for c in headers] == [c.header for c in table.columns]
    assert all(c.font.b for c in headers) and sheet["A1"].font.b and not sheet["B1"].font.b
    first, second, third = (HEADER_ROWS + n for n in (1, 2, 3))
    assert sheet.cell(first, 1).value == datetime(2026, 11, 23)
    assert sheet.cell(first, 1).number_format == "dd/mm/yyyy"
    assert sheet.cell(first, 3).value == 1 and sheet.cell(first, 3).data_type == "n"
    assert isinstance(sheet.cell(first, 4).value, float) and sheet.cell(first, 4).value == 12.25
    assert sheet.cell(first, 4).number_format == "0.0"
    assert sheet.cell(first, 5).value == pytest.approx(0.925)
    assert sheet.cell(first, 5).number_format == "0.0%"
    assert sheet.cell(first, 6).value == datetime(2026, 11, 23, 8, 5, 7, 250_000)
    assert sheet.cell(first, 6).number_format == "dd/mm/yyyy hh:mm:ss"
    assert sheet.cell(second, 4).value == pytest.approx(0.3)
    # None and "" are empty cells, not empty texts or zeros.
    assert [sheet.cell(second, col).value for col in (2, 3, 5, 6)] == [None] * 4
    assert sheet.cell(third, 2).value is None
    assert sheet.cell(third, 4).value == 5
    assert sheet.freeze_panes == f"A{HEADER_ROWS + 1}"  # the header block stays on screen
    assert sheet.column_dimensions["C"].width == pytest.approx(18.7109, abs=1e-3)


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:12]))
def test_hostile_text_stays_text_and_comes_back_as_typed(text):
    table = visits_table(((date(2026, 11, 23), text, 1, 1.0, 0.5, None),))
    data = to_xlsx([table], HEADER)
    cell = read(data)["Register kunjungan"].cell(HEADER_ROWS + 1, 2)
    assert cell.data_type == "s" and isinstance(cell.value, str)  # never a formula
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        for name in z.namelist():
            ElementTree.fromstring(z.read(name))  # every part is well-formed XML
    expected = text[:EXCEL_MAX_TEXT]  # Excel's limit per cell
    assert expected in as_excel_reads(data)
    if not re.search("[\x00-\x08\x0b-\x1f_\ufffe\uffff]", text):
        assert cell.value == expected  # openpyxl needs no decoding for these


def test_a_lone_surrogate_becomes_the_replacement_character():
    table = visits_table(((date(2026, 11, 23), "a\ud800b", None, None, None, None),))
    cell = read(to_xlsx([table], HEADER))["Register kunjungan"].cell(HEADER_ROWS + 1, 2)
    assert cell.value == "a\ufffdb"


def test_the_header_block_escapes_the_office_name_and_sheet_names_are_made_valid():
    tables = [visits_table(()), visits_table(())]
    tables[1] = Table("Per [loket]: a/b?", "t", tables[1].columns, ())
    book = read(to_xlsx(tables, HEADER))
    assert book.sheetnames == ["Register kunjungan", "Per -loket-- a-b-"]
    assert book["Register kunjungan"]["B1"].value == "Disnaker <Uji> & Co"


def test_a_number_excel_cannot_hold_leaves_the_cell_empty():
    table = visits_table(((None, None, None, math.nan, math.inf, None),))
    sheet = read(to_xlsx([table], HEADER))["Register kunjungan"]
    assert sheet.cell(HEADER_ROWS + 1, 4).value is None
    assert sheet.cell(HEADER_ROWS + 1, 5).value is None


def test_many_rows_stream_through_chunks_and_the_deflating_thread():
    count = max(BACKGROUND_CELLS // 6 + 1, CHUNK_ROWS * 3 + 7)
    start = datetime(2026, 7, 1, 7, 30)
    rows = tuple(
        (
            (start + timedelta(minutes=n)).date(),
            f"A-{n % 300:03d}",
            n,
            n / 7,
            (n % 100) / 100,
            start + timedelta(seconds=37 * n),
        )
        for n in range(count)
    )
    data = to_xlsx([visits_table(rows)], HEADER)
    sheet = read(data)["Register kunjungan"]
    last = HEADER_ROWS + count
    assert sheet.max_row == last
    assert [c.value for c in sheet[last]] == [
        rows[-1][0] and datetime.combine(rows[-1][0], datetime.min.time()),
        rows[-1][1],
        count - 1,
        pytest.approx((count - 1) / 7),
        pytest.approx(rows[-1][4]),
        start + timedelta(seconds=37 * (count - 1)),
    ]
    # Each distinct text once in the shared string table.
    assert len(as_excel_reads(data)) < 300 + 20


def test_a_row_of_values_is_typed_by_value_and_a_styled_blank_keeps_its_style():
    book = Workbook()
    wrap = book.style(Style(wrap=True, valign="top"))
    day = book.style(Style(number_format="dd/mm/yyyy"))
    with book.sheet("Daftar", widths=(5, 50), freeze_rows=1) as sheet:
        sheet.row(("No", "Isi", "Tanggal", "Hari kerja"), book.style(Style(bold=True, size=14)))
        sheet.row((1, "teks", date(2026, 11, 23), 2.5), (0, wrap, day, 0))
        sheet.row((2, "", "", None), wrap)
        sheet.row(())  # a blank line
        columns = [
            (CellType.NUMBER, 0),
            (CellType.TEXT, 0),
            (CellType.DATE, day),
            (CellType.TEXT, 0),
        ]
        sheet.rows([(3, 4, datetime(2026, 11, 24, 9, 30), "")], columns)
    sheet = read(book.close())["Daftar"]
    assert sheet["A1"].font.b and sheet["A1"].font.sz == 14
    assert [c.value for c in sheet[2]] == [1, "teks", datetime(2026, 11, 23), 2.5]
    assert sheet["B2"].alignment.wrap_text and sheet["B2"].alignment.vertical == "top"
    assert sheet["B3"].value is None and sheet["B3"].alignment.wrap_text  # a styled blank
    assert all(c.value is None for c in sheet[4])
    # The column says what a cell is: 4 in a text column is the text "4"; a time in a date
    # column is its day.
    assert [c.value for c in sheet[5]] == [3, "4", datetime(2026, 11, 24), None]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == pytest.approx(50.7109, abs=1e-3)


def test_a_value_that_is_no_number_is_refused_and_the_deflating_thread_ends():
    rows = [(date(2026, 11, 23), "A-001", 1, 1.5, 0.5, None)] * (BACKGROUND_CELLS // 6 + 1)
    rows.append((date(2026, 11, 23), "A-002", "tiga", 1.5, 0.5, None))
    with pytest.raises(ValueError):
        to_xlsx([visits_table(tuple(rows))], HEADER)
    assert not [t for t in threading.enumerate() if t.name == "xlsx-deflate"]

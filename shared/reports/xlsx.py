"""A lean streaming XLSX writer: the OOXML parts written straight into a zip, row by row.

A general library spends microseconds on every cell (a call per cell, a format object, a
temporary file); a semester's register has over three million cells. Here a table's
columns are typed once, each column of a chunk of rows is formatted by one comprehension,
the chunk is joined into one string and handed to the zip stream, which a second thread
deflates: a cell costs a few hundred nanoseconds.

What it writes, and why:
- text goes to the shared string table (each distinct text once, as Excel itself writes);
  a cell of text is never a formula, whatever it starts with;
- characters XML 1.0 cannot carry are written as Excel writes them (`_x0001_`), a literal
  `_x0041_` is escaped in turn (`_x005F_x0041_`), so Excel reads back what was written;
  what cannot even be escaped (a lone surrogate) becomes U+FFFD;
- numbers as `%.16G`, dates and times as Excel serials (days since 1899-12-30), the same
  figures XlsxWriter writes;
- text longer than Excel's 32,767 characters per cell is cut there, as Excel would refuse
  the whole file otherwise.
"""

from __future__ import annotations

import io
import queue
import re
import threading
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from itertools import chain, islice, repeat, zip_longest
from types import TracebackType
from typing import Any

# Deflating a semester register (114 MB of sheet XML) costs about 0.7 s of CPU at level 1
# for 21.7 MB, 1.1 s at 3 for 19.2 MB, 2 s at 6 for 16.4 MB (bench/register_xlsx.py
# --level). On a shared 2-core machine CPU is what is short, and 20 MB is nothing on the
# office network: level 1.
COMPRESSLEVEL = 1
# Rows formatted and joined per write to the zip stream: enough that the cost of a write
# (a queue hand-over, a CRC and a deflate call) vanishes, few enough to stay in the cache.
CHUNK_ROWS = 1000
# From this many cells a second thread deflates while this one formats (see _Deflater).
BACKGROUND_CELLS = 100_000
# Above this many cells the sheet may pass 4 GB uncompressed: zip64 from the start.
ZIP64_CELLS = 20_000_000
EXCEL_MAX_TEXT = 32_767  # UTF-16 code units in one cell
_EXCEL_EPOCH_ORDINAL = date(1899, 12, 31).toordinal()

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


class CellType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True)
class Style:
    """How a cell looks; every distinct one becomes one entry of styles.xml."""

    number_format: str | None = None
    bold: bool = False
    size: float | None = None  # points; Calibri 11 when None
    fill: str | None = None  # background, "#RRGGBB"
    wrap: bool = False
    align: str | None = None  # horizontal: left, center, right
    valign: str | None = None  # vertical: top, center, bottom


class Workbook:
    """One workbook in memory: add styles, write sheets one after another, then `close()`."""

    def __init__(self, compresslevel: int | None = None) -> None:
        self._out = io.BytesIO()
        self._zip = zipfile.ZipFile(
            self._out,
            "w",
            compression=zipfile.ZIP_DEFLATED,
            compresslevel=COMPRESSLEVEL if compresslevel is None else compresslevel,
        )
        self._styles: dict[Style, int] = {Style(): 0}
        self._strings: dict[str, str] = {}  # text -> its index in the shared string table
        self._string_xml: list[str] = []
        self._sheets: list[str] = []
        self._writing: Sheet | None = None

    def style(self, style: Style) -> int:
        """The style's index, the `s` attribute of the cells that use it."""
        return self._styles.setdefault(style, len(self._styles))

    def sheet(
        self,
        name: str,
        widths: Sequence[float | None] = (),
        freeze_rows: int = 0,
        size: tuple[int, int] | None = None,
    ) -> Sheet:
        """A new sheet, to be written in a `with` block before the next one begins.

        `name` must already be a valid, unique sheet name. `widths` are column widths in
        characters (as Excel's column width dialog shows them); `freeze_rows` keeps that many
        rows on screen while scrolling; `size` (rows, columns), when known, is written as the
        sheet's dimension, which some readers use to size their view.
        """
        if self._writing is not None:
            raise RuntimeError("finish the previous sheet first")
        self._sheets.append(name)
        return Sheet(self, len(self._sheets), widths, freeze_rows, size)

    def close(self) -> bytes:
        """The finished file."""
        zf = self._zip
        zf.writestr("[Content_Types].xml", _content_types(len(self._sheets)))
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _workbook_xml(self._sheets))
        zf.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(self._sheets)))
        zf.writestr("xl/styles.xml", _styles_xml(list(self._styles)))
        zf.writestr(
            "xl/sharedStrings.xml",
            f'{_XML_HEAD}<sst xmlns="{_MAIN_NS}" uniqueCount="{len(self._string_xml)}">'
            + "".join(self._string_xml)
            + "</sst>",
        )
        zf.close()
        return self._out.getvalue()

    def _string(self, value: Any) -> str:
        """The shared string index of a text, adding it on first sight."""
        text = value if type(value) is str else str(value)
        index = self._strings.get(text)
        if index is None:
            index = str(len(self._string_xml))
            self._string_xml.append(f"<si>{_text_element(text)}</si>")
            self._strings[text] = index
        return index


class Sheet:
    """One worksheet being streamed into the zip; rows only go forward."""

    def __init__(
        self,
        book: Workbook,
        number: int,
        widths: Sequence[float | None],
        freeze_rows: int,
        size: tuple[int, int] | None,
    ) -> None:
        self._book = book
        self._number = number
        self._widths = widths
        self._freeze_rows = freeze_rows
        self._size = size
        self._row = 0  # the last row written (1-based), 0 before the first
        self._stream: Any = None

    def __enter__(self) -> Sheet:
        cells = self._size[0] * self._size[1] if self._size is not None else 0
        stream = self._book._zip.open(
            f"xl/worksheets/sheet{self._number}.xml", "w", force_zip64=cells > ZIP64_CELLS
        )
        self._stream = _Deflater(stream) if cells >= BACKGROUND_CELLS else stream
        self._book._writing = self
        self._write(self._prologue())
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            self._write(
                '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75"'
                ' header="0.3" footer="0.3"/></worksheet>'
            )
        finally:  # even after a failed write: the deflating thread must end
            self._stream.close()
            self._book._writing = None

    def row(self, values: Sequence[Any], styles: int | Sequence[int] = 0) -> None:
        """One row, each cell typed by its value: text, number, date or datetime.

        None and "" leave the cell empty (still styled if a style is given, as a blank).
        """
        self._row += 1
        r = str(self._row)
        each = [styles] * len(values) if isinstance(styles, int) else styles
        cells = "".join(
            self._cell(_column_letter(col), r, value, style)
            for col, (value, style) in enumerate(zip(values, each, strict=True))
        )
        if cells:
            self._write(f'<row r="{r}">{cells}</row>')

    def rows(self, rows: Iterable[Sequence[Any]], columns: Sequence[tuple[CellType, int]]) -> None:
        """Many rows whose columns have fixed types: (type, style) per column.

        The hot path: None and "" leave a cell empty; a value of another type than its
        column's is converted as the column says (text by `str`), or refused.
        """
        formatters = [
            _FORMATTERS[kind](self._book, _column_letter(col), style)[1]
            for col, (kind, style) in enumerate(columns)
        ]
        join = "".join
        n = self._row
        rows = iter(rows)
        while chunk := list(islice(rows, CHUNK_ROWS)):
            numbers = list(map(str, range(n + 1, n + 1 + len(chunk))))
            # Column by column: each column's cells in one comprehension, then row by row.
            # A short row's missing cells are empty (zip_longest); values past the last
            # column have no type and are left out (strict=False).
            cells = [f(v, numbers) for f, v in zip(formatters, zip_longest(*chunk), strict=False)]
            starts = [f'<row r="{r}">' for r in numbers]
            ends = repeat("</row>", len(chunk))
            self._write(join(chain.from_iterable(zip(starts, *cells, ends, strict=True))))
            n += len(chunk)
        self._row = n

    def _write(self, text: str) -> None:
        self._stream.write(text.encode("utf-8"))

    def _cell(self, letter: str, r: str, value: Any, style: int) -> str:
        if value is None or (type(value) is str and not value):
            return f'<c r="{letter}{r}" s="{style}"/>' if style else ""
        if isinstance(value, str):
            kind = CellType.TEXT
        elif isinstance(value, datetime):
            kind = CellType.DATETIME
        elif isinstance(value, date):
            kind = CellType.DATE
        elif isinstance(value, int | float) and not isinstance(value, bool):
            kind = CellType.NUMBER
        else:
            raise TypeError(f"no XLSX cell for {type(value).__name__}")
        return _FORMATTERS[kind](self._book, letter, style)[0](value, r)

    def _prologue(self) -> str:
        dimension = ""
        if self._size is not None:
            rows, columns = self._size
            dimension = f'<dimension ref="A1:{_column_letter(max(columns, 1) - 1)}{max(rows, 1)}"/>'
        selected = ' tabSelected="1"' if self._number == 1 else ""
        pane = ""
        if self._freeze_rows:
            top = self._freeze_rows + 1
            pane = (
                f'<pane ySplit="{self._freeze_rows}" topLeftCell="A{top}" activePane="bottomLeft"'
                ' state="frozen"/><selection pane="bottomLeft"/>'
            )
        return (
            f'{_XML_HEAD}<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">{dimension}'
            f'<sheetViews><sheetView{selected} workbookViewId="0">{pane}</sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/>{_cols_xml(self._widths)}<sheetData>'
        )


class _Deflater:
    """A zip member written from a second thread.

    zlib's deflate and CRC let go of the GIL, so on a second core one chunk is compressed
    while the next is formatted; on a busy machine two runnable threads also get more of
    it. The queue is short: at most a few chunks wait in memory.
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="xlsx-deflate", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while (data := self._queue.get()) is not None:
                self._stream.write(data)
        except BaseException as error:  # handed to the writing thread at its next write
            self._error = error
            while self._queue.get() is not None:  # never leave the writer blocked on put
                pass

    def write(self, data: bytes) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(data)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
        self._stream.close()


# ---- cell formatters -------------------------------------------------------------------------
#
# Each column type has two: `cell(value, row)` for any value, exact and unhurried, and
# `cells(values, rows)` for a chunk of one column, a comprehension over the common types that
# hands everything else to `cell`: no Python call per cell on the hot path.

Cell = Callable[[Any, str], str]
Cells = Callable[[Sequence[Any], list[str]], list[str]]


def _style_attr(style: int) -> str:
    return f' s="{style}"' if style else ""


def _text_column(book: Workbook, letter: str, style: int) -> tuple[Cell, Cells]:
    known = book._strings
    add = book._string
    head = f'<c r="{letter}'
    tail = f'"{_style_attr(style)} t="s"><v>'

    def cell(value: Any, r: str) -> str:
        if value is None or value == "":
            return ""
        return f"{head}{r}{tail}{add(value)}</v></c>"

    def cells(values: Sequence[Any], rows: list[str]) -> list[str]:
        try:
            # Only texts are keys, so a value of another type never matches one.
            indexes = list(map(known.get, values))
        except TypeError:  # something unhashable: each by its str()
            return list(map(cell, values, rows))
        return [
            f"{head}{r}{tail}{i}</v></c>" if i is not None else "" if v == "" else cell(v, r)
            for r, v, i in zip(rows, values, indexes, strict=True)
        ]

    return cell, cells


def _number_column(book: Workbook, letter: str, style: int) -> tuple[Cell, Cells]:
    head = f'<c r="{letter}'
    tail = f'"{_style_attr(style)}><v>'

    def cell(value: Any, r: str) -> str:
        if value is None or value == "":
            return ""
        text = f"{value:.16G}"  # a bool is 1 or 0; what is not a number is refused here
        if value - value:  # NaN or infinite: no number Excel can read; leave the cell empty
            return ""
        return f"{head}{r}{tail}{text}</v></c>"

    def cells(values: Sequence[Any], rows: list[str]) -> list[str]:
        return [
            f"{head}{r}{tail}{v:.16G}</v></c>"
            if type(v) is float and v - v == 0
            else f"{head}{r}{tail}{v}</v></c>"
            if type(v) is int
            else ""
            if v is None
            else cell(v, r)
            for r, v in zip(rows, values, strict=True)
        ]

    return cell, cells


def _date_column(book: Workbook, letter: str, style: int) -> tuple[Cell, Cells]:
    head = f'<c r="{letter}'
    tail = f'"{_style_attr(style)}><v>'
    serials: dict[date, str] = {}  # a register has few distinct days and many rows per day

    def cell(value: Any, r: str) -> str:
        if value is None or value == "":
            return ""
        serial = serials.get(value)
        if serial is None:
            # A datetime here counts as its day, as XlsxWriter's midnight did.
            serial = serials[value] = f"{_serial(value.toordinal(), 0.0):.16G}"
        return f"{head}{r}{tail}{serial}</v></c>"

    def cells(values: Sequence[Any], rows: list[str]) -> list[str]:
        return [
            f"{head}{r}{tail}{s}</v></c>" if s is not None else cell(v, r)
            for r, v, s in zip(rows, values, map(serials.get, values), strict=True)
        ]

    return cell, cells


def _datetime_column(book: Workbook, letter: str, style: int) -> tuple[Cell, Cells]:
    head = f'<c r="{letter}'
    tail = f'"{_style_attr(style)}><v>'
    epoch = _EXCEL_EPOCH_ORDINAL

    def cell(value: Any, r: str) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, datetime):
            # Wall-clock fields: an office local time; Excel has no time zones.
            seconds = value.hour * 3600 + value.minute * 60 + value.second
            serial = _serial(value.toordinal(), (seconds + value.microsecond / 1e6) / 86400)
        else:
            serial = _serial(value.toordinal(), 0.0)
        return f"{head}{r}{tail}{serial:.16G}</v></c>"

    def cells(values: Sequence[Any], rows: list[str]) -> list[str]:
        # _serial inlined; a datetime after 1900 always takes Excel's extra day.
        return [
            f"{head}{r}{tail}"
            f"{v.toordinal() - epoch + (v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6) / 86400 + 1:.16G}"  # noqa: E501
            "</v></c>"
            if type(v) is datetime and v.year > 1900
            else ""
            if v is None
            else cell(v, r)
            for r, v in zip(rows, values, strict=True)
        ]

    return cell, cells


def _serial(ordinal: int, day_fraction: float) -> float:
    """Excel's serial of a day and time: days since 1899-12-31, plus 29 February 1900."""
    serial = ordinal - _EXCEL_EPOCH_ORDINAL + day_fraction
    return serial + 1 if serial > 59 else serial  # Excel counts a 29 February 1900


_FORMATTERS: dict[CellType, Callable[[Workbook, str, int], tuple[Cell, Cells]]] = {
    CellType.TEXT: _text_column,
    CellType.NUMBER: _number_column,
    CellType.DATE: _date_column,
    CellType.DATETIME: _datetime_column,
}


# ---- text ------------------------------------------------------------------------------------

_NOT_XML = re.compile("[\ud800-\udfff]")  # lone surrogates: no UTF-8 for them at all
_LITERAL_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_EDGE_SPACE = re.compile(r"^\s|\s$")


def _text_element(text: str) -> str:
    """A <t> element Excel reads back as `text` (cut to Excel's length)."""
    text = _excel_length(_NOT_XML.sub("\ufffd", text))
    if "_x" in text:
        text = _LITERAL_ESCAPE.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    preserve = ' xml:space="preserve"' if _EDGE_SPACE.search(text) else ""
    return f"<t{preserve}>{text}</t>"


def _excel_length(text: str) -> str:
    if len(text) <= EXCEL_MAX_TEXT // 2:
        return text
    units = 0
    for end, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > EXCEL_MAX_TEXT:
            return text[:end]
    return text


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


# ---- the fixed parts -------------------------------------------------------------------------


def _column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _excel_width(width: float) -> str:
    # Excel stores the width in characters of the default font's digit (7 pixels for
    # Calibri 11) plus 5 pixels of padding, rounded to whole pixels, as XlsxWriter does.
    pixels = int(width * 7 + 0.5) + 5 if width >= 1 else int(width * 12 + 0.5)
    return f"{(pixels * 256 // 7) / 256:.16g}"


def _cols_xml(widths: Sequence[float | None]) -> str:
    spans: list[list[Any]] = []  # [first, last, width], neighbours of one width merged
    for col, width in enumerate(widths, start=1):
        if width is None:
            continue
        if spans and spans[-1][1] == col - 1 and spans[-1][2] == width:
            spans[-1][1] = col
        else:
            spans.append([col, col, width])
    if not spans:
        return ""
    cols = "".join(
        f'<col min="{a}" max="{b}" width="{_excel_width(w)}" customWidth="1"/>' for a, b, w in spans
    )
    return f"<cols>{cols}</cols>"


def _content_types(sheets: int) -> str:
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = [
        ("/xl/workbook.xml", f"{kind}.sheet.main+xml"),
        ("/xl/styles.xml", f"{kind}.styles+xml"),
        ("/xl/sharedStrings.xml", f"{kind}.sharedStrings+xml"),
    ] + [(f"/xl/worksheets/sheet{n}.xml", f"{kind}.worksheet+xml") for n in range(1, sheets + 1)]
    return (
        f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels"'
        ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
        + "</Types>"
    )


_ROOT_RELS = (
    f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)


def _workbook_xml(names: list[str]) -> str:
    sheets = "".join(
        f'<sheet name="{_attr(name)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, name in enumerate(names, start=1)
    )
    return (
        f'{_XML_HEAD}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        f"<bookViews><workbookView/></bookViews><sheets>{sheets}</sheets></workbook>"
    )


def _workbook_rels(sheets: int) -> str:
    rels = [
        f'<Relationship Id="rId{n}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    ]
    rels.append(f'<Relationship Id="rId{sheets + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/>')
    rels.append(
        f'<Relationship Id="rId{sheets + 2}" Type="{_REL_NS}/sharedStrings"'
        ' Target="sharedStrings.xml"/>'
    )
    return f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">{"".join(rels)}</Relationships>'


def _styles_xml(styles: list[Style]) -> str:
    formats: dict[str, int] = {}
    fonts: dict[tuple[bool, float], int] = {(False, 11.0): 0}
    fills: dict[str, int] = {}
    xfs = []
    for style in styles:
        number = 0
        if style.number_format:
            number = formats.setdefault(style.number_format, 164 + len(formats))
        font = fonts.setdefault((style.bold, float(style.size or 11)), len(fonts))
        fill = fills.setdefault(style.fill, 2 + len(fills)) if style.fill else 0
        applied = ""
        if number:
            applied += ' applyNumberFormat="1"'
        if font:
            applied += ' applyFont="1"'
        if fill:
            applied += ' applyFill="1"'
        alignment = ""
        if style.align:
            alignment += f' horizontal="{style.align}"'
        if style.valign:
            alignment += f' vertical="{style.valign}"'
        if style.wrap:
            alignment += ' wrapText="1"'
        inner = ""
        if alignment:
            applied += ' applyAlignment="1"'
            inner = f"<alignment{alignment}/>"
        xfs.append(
            f'<xf numFmtId="{number}" fontId="{font}" fillId="{fill}" borderId="0" xfId="0"'
            f"{applied}" + (f">{inner}</xf>" if inner else "/>")
        )
    number_formats = "".join(
        f'<numFmt numFmtId="{n}" formatCode="{_attr(code)}"/>' for code, n in formats.items()
    )
    font_xml = "".join(
        f'<font>{"<b/>" if bold else ""}<sz val="{size:g}"/><name val="Calibri"/>'
        '<family val="2"/></font>'
        for bold, size in fonts
    )
    fill_xml = "".join(
        f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb.lstrip("#").upper()}"/>'
        '<bgColor indexed="64"/></patternFill></fill>'
        for rgb in fills
    )
    return (
        f'{_XML_HEAD}<styleSheet xmlns="{_MAIN_NS}">'
        + (f'<numFmts count="{len(formats)}">{number_formats}</numFmts>' if formats else "")
        + f'<fonts count="{len(fonts)}">{font_xml}</fonts>'
        f'<fills count="{2 + len(fills)}"><fill><patternFill patternType="none"/></fill>'
        f'<fill><patternFill patternType="gray125"/></fill>{fill_xml}</fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        f'</cellStyleXfs><cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '<dxfs count="0"/><tableStyles count="0"/></styleSheet>'
    )

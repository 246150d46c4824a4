"""The XLSX downloads opened by a real spreadsheet program: LibreOffice Calc, headless.

openpyxl reads leniently; Calc applies what a Kasi sees: the cell types, the number formats
(dd/mm/yyyy, 0.0, 0.0 %), the header block and every sheet. Each sheet is saved back as CSV
"as shown" and compared with what the table holds.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shared.reports.exports import ExportHeader, Table, to_xlsx
from tests.reports.test_xlsx import visits_table

pytestmark = [pytest.mark.timeout(600), pytest.mark.xdist_group("libreoffice")]

SOFFICE = shutil.which("soffice")
# Field ";", text '"', UTF-8, from line 1, -, default language, quote no text, -, cells as
# shown, no formulas, keep spaces, -, every sheet into a file of its own.
EVERY_SHEET_AS_SHOWN = (
    "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,true,false,false,-1"
)


def sheets_as_calc_shows_them(workbook: bytes, folder: Path) -> dict[str, list[list[str]]]:
    assert SOFFICE, "LibreOffice Calc (apt: libreoffice-calc-nogui) is needed; .ci/run installs it"
    source = folder / "unduhan.xlsx"
    source.write_bytes(workbook)
    profile = folder / "profile"  # a profile of its own: parallel workers never share one
    subprocess.run(  # noqa: S603
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            EVERY_SHEET_AS_SHOWN,
            "--outdir",
            str(folder / "csv"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=540,  # its first start makes the profile: slow on a loaded machine
    )
    sheets = {}
    for path in (folder / "csv").glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as rows:
            sheets[path.stem.removeprefix("unduhan-")] = list(csv.reader(rows, delimiter=";"))
    return sheets


def test_calc_opens_every_sheet_with_its_types_and_formats(tmp_path):
    zone = ZoneInfo("Asia/Jakarta")
    register = visits_table(
        (
            (
                date(2026, 11, 23),
                "A-001",
                1,
                12.25,
                0.925,
                datetime(2026, 11, 23, 8, 5, 7, tzinfo=zone),
            ),
            (date(2026, 11, 24), "=1+1", None, 0.1 + 0.2, None, None),
            (date(2026, 12, 1), 'Fotokopi KTP; "asli" & <salinan>', 7, 5, 1 / 3, None),
        )
    )
    steps = Table(
        "Langkah",
        "Langkah per kunjungan",
        register.columns,
        tuple(
            (date(2026, 7, n % 28 + 1), f"B-{n:03d}", n, n / 7, n / 200, None)
            for n in range(1, 201)
        ),
    )
    header = ExportHeader(
        "Dinas Tenaga Kerja Kabupaten Lamongan", "Semester II 2026", datetime(2026, 12, 2, 14, 5)
    )

    sheets = sheets_as_calc_shows_them(to_xlsx([register, steps], header), tmp_path)

    assert set(sheets) == {"Register kunjungan", "Langkah"}
    rows = sheets["Register kunjungan"]
    assert [row[:2] for row in rows[:4]] == [
        ["Kantor", "Dinas Tenaga Kerja Kabupaten Lamongan"],
        ["Periode", "Semester II 2026"],
        ["Dibuat", "02/12/2026 14:05"],
        ["Register kunjungan", ""],
    ]
    assert rows[4] == [column.header for column in register.columns]
    assert rows[5:] == [
        ["23/11/2026", "A-001", "1", "12.3", "92.5%", "23/11/2026 08:05:07"],
        ["24/11/2026", "=1+1", "", "0.3", "", ""],  # a formula typed by someone stays text
        ["01/12/2026", 'Fotokopi KTP; "asli" & <salinan>', "7", "5.0", "33.3%", ""],
    ]
    stepped = sheets["Langkah"]
    assert stepped[3][0] == "Langkah per kunjungan"
    assert len(stepped) == 5 + 200
    assert stepped[-1] == ["05/07/2026", "B-200", "200", "28.6", "100.0%", ""]

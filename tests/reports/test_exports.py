"""CSV and XLSX of a period report and of the visit register, read back with real readers."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from shared.domain import commands as c
from shared.reports.exports import (
    BOM,
    HEADER_ROWS,
    ExportHeader,
    register_step_table,
    register_table,
    report_tables,
    to_csv,
    to_xlsx,
)
from shared.reports.period import Period, PeriodError, period_report
from shared.reports.register import day_register
from shared.store import open_store
from shared.store.base import NewEvent
from tests.reports.test_report_properties import catalogue_for
from tests.unit.office import Desk

ROOT = Path(__file__).resolve().parents[2]


def a_day():
    desk = Desk(catalogue_for("exports"))
    for _ in range(3):
        desk.issue()
    desk.run(c.CallNext("1", "ani"))
    desk.run(c.Start("1", "ani"))
    desk.run(c.RecordAttributes("1", "ani", attributes=(("jenis_kelamin", "P"),)))
    desk.tick(150)
    desk.run(c.NextStep("1", "ani"))
    desk.tick(200)
    desk.run(c.ReturnIncomplete("1", "ani", reason='=HYPERLINK("x")'))
    desk.run(c.CallNext("1", "ani"))
    desk.run(c.Start("1", "ani"))
    for _ in range(4):
        desk.tick(61)
        desk.run(c.NextStep("1", "ani"))
    desk.run(c.Finish("1", "ani"))
    return desk


def test_every_report_table_as_xlsx_has_real_numbers_and_the_header_block():
    desk = a_day()
    register = day_register(desk.log, desk.catalogue)
    report = period_report([register], desk.catalogue, Period.semester(2026, 2))
    tables = report_tables(report, desk.catalogue)
    made = datetime(2026, 12, 2, 14, 5, tzinfo=ZoneInfo("Asia/Jakarta"))
    book = openpyxl.load_workbook(
        io.BytesIO(to_xlsx(tables, ExportHeader("Disnaker Uji", report.period.label, made)))
    )
    assert book.sheetnames == [t.name for t in tables]
    days = book["Kunjungan per hari"]
    assert [days.cell(r, 2).value for r in (1, 2)] == ["Disnaker Uji", "Semester II 2026"]
    assert days.cell(3, 2).value == datetime(2026, 12, 2, 14, 5)
    assert days.cell(HEADER_ROWS + 1, 1).value == datetime(2026, 11, 23)  # a real date
    assert days.cell(HEADER_ROWS + 1, 2).value == 3  # a real number
    outcomes = book["Hasil layanan"]
    shares = {outcomes.cell(r, 1).value: outcomes.cell(r, 3).value for r in range(6, 13)}
    assert shares["Selesai dilayani"] == pytest.approx(1 / 3)
    assert outcomes.cell(6, 3).number_format == "0.0%"
    # What an officer typed is never a formula in the workbook.
    returns = book["Berkas kurang"]
    assert returns.cell(HEADER_ROWS + 1, 2).value == "Lainnya (alasan diketik petugas)"


def test_csv_uses_a_bom_the_delimiter_and_decimal_commas():
    desk = a_day()
    register = day_register(desk.log, desk.catalogue)
    report = period_report([register], desk.catalogue, Period.month(2026, 11))
    steps = next(t for t in report_tables(report, desk.catalogue) if t.name == "Langkah SOP")
    data = to_csv(steps, ";")
    assert data.startswith(BOM.encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Layanan" and rows[0][9] == "Bagian melebihi (%)"
    input_step = next(r for r in rows if r[2] == "Input data")
    assert input_step[6] == "2,19"  # median of 201 s and 62 s at "Input data": decimal comma
    points = list(csv.reader(io.StringIO(to_csv(steps, ",").decode("utf-8-sig"))))
    assert next(r for r in points if r[2] == "Input data")[6] == "2.19"
    with pytest.raises(ValueError):
        to_csv(steps, "|")


def test_the_register_keeps_free_text_from_becoming_a_formula_and_has_no_personal_data():
    desk = a_day()
    rows = day_register(desk.log, desk.catalogue).visits
    table = register_table(rows, desk.catalogue)
    text = to_csv(table).decode("utf-8-sig")
    assert "'=HYPERLINK" in text  # defused for Excel
    assert "jenis_kelamin=P" in text
    assert "token" not in text  # the status token opens a phone page: never exported
    book = openpyxl.load_workbook(
        io.BytesIO(
            to_xlsx(
                [table, register_step_table(rows)], ExportHeader("X", "Y", datetime(2026, 12, 2))
            )
        )
    )
    sheet = book["Register kunjungan"]
    assert sheet.cell(HEADER_ROWS + 1, 6).value == datetime(2026, 11, 23, 8, 0)
    assert sheet.cell(HEADER_ROWS + 1, 13).value == "dikembalikan"


@pytest.mark.parametrize(
    ("kind", "value", "end", "label"),
    [
        ("semester", "2026-2", None, "Semester II 2026"),
        ("semester", "2026-I", None, "Semester I 2026"),
        ("bulan", "2026-11", None, "November 2026"),
        ("hari", "2026-12-02", None, "2 Desember 2026"),
        ("minggu", "2026-12-02", None, "Minggu 30 November 2026 - 6 Desember 2026"),
        ("tahun", "2026", None, "Tahun 2026"),
        ("rentang", "2026-10-01", "2026-11-15", "1 Oktober 2026 - 15 November 2026"),
    ],
)
def test_periods_read_from_the_picker_carry_indonesian_labels(kind, value, end, label):
    assert Period.parse(kind, value, end).label == label


@pytest.mark.parametrize(
    ("kind", "value", "end"),
    [
        ("bulan", "2026-13", None),
        ("semester", "2026-3", None),
        ("tahun", "<b>", None),
        ("rentang", "2026-11-15", "2026-10-01"),
        ("rentang", "2020-01-01", "2026-01-01"),
        ("dekade", "2026", None),
        ("rentang", "2026-01-01", None),
    ],
)
def test_a_bad_period_is_refused_in_indonesian(kind, value, end):
    with pytest.raises(PeriodError) as refused:
        Period.parse(kind, value, end)
    assert any(word in str(refused.value) for word in ("Periode", "Rentang", "Tanggal"))


def test_reports_rebuild_command_recomputes_every_summary(tmp_path):
    config = (ROOT / "config.yaml").read_text(encoding="utf-8")
    database = tmp_path / "antrian.db"
    (tmp_path / "config.yaml").write_text(
        config.replace("sqlite:///instance/antrian.db", f"sqlite:///{database}"), encoding="utf-8"
    )
    desk = Desk(catalogue_for("disnaker-lamongan"))
    desk.issue()
    store = open_store(f"sqlite:///{database}")
    for day in (date(2026, 11, 23), date(2026, 11, 25)):
        store.append(
            f"office:disnaker-lamongan:day:{day}",
            [NewEvent(e.type_name, e.to_data()) for e in desk.log],
            0,
        )
    store.save_checkpoint("report-summary:office:disnaker-lamongan:day:2026-11-23", 1, b"stale")
    store.close()

    def rebuild(*extra):
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "shared",
                "reports",
                "rebuild",
                "--config",
                str(tmp_path / "config.yaml"),
                *extra,
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            check=False,
        )

    done = rebuild()
    assert done.returncode == 0, done.stderr
    assert "2 office days summarised again (2026-11-23 to 2026-11-25)" in done.stdout
    store = open_store(f"sqlite:///{database}")
    assert (
        store.load_checkpoint("report-summary:office:disnaker-lamongan:day:2026-11-23")[1]
        != b"stale"
    )
    store.close()
    assert "1 office days" in rebuild("--from", "2026-11-24").stdout
    assert "nothing to rebuild" in rebuild("--from", "2027-01-01").stdout
    wrong = rebuild("--from", "2026-11-25", "--to", "2026-11-01")
    assert wrong.returncode == 2 and "--to is before --from" in wrong.stderr

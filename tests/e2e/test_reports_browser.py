"""The Kasi's reports in a real Chromium on a live hub with a few months of real history:
/laporan picks Semester II 2026, draws its charts, filters, downloads CSV and XLSX that say
what the page says; officers are refused; the monthly report prints to A4 with its signatures
and without a single control."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, SCREENSHOTS, screenshot
from tests.report_history import TODAY, history, seed, semester_two

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def office(inprocess_hub):
    """The live hub after six office days of June to December 2026; today is 2 December."""
    inprocess_hub.clock.now = datetime(2026, 6, 28, 1, 0, tzinfo=UTC)
    seed(inprocess_hub.hub.queue, inprocess_hub.clock, history())
    inprocess_hub.clock.now = TODAY
    return inprocess_hub


def signed_in(browser, url: str, user: str, path: str):
    page = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = page.new_page()
    page.goto(f"{url}/login?next={path}")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{path}*")
    return page


def cells(page, table: str) -> list[list[str]]:
    """The text of a page table's body rows."""
    return page.locator(f"#{table} tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))"
    )


def page_number(text: str) -> float:
    """ "1.234" -> 1234, "73,7 %" -> 73.7, "12,5 menit" -> 12.5, "–" -> nan."""
    figure = text.split()[0]
    if figure == "–":
        return float("nan")
    return float(figure.replace(".", "").replace(",", "."))


def download(page, link: str) -> bytes:
    with page.expect_download() as started:
        page.click(f"a[data-download='{link}']")
    return started.value.path().read_bytes()


def csv_rows(data: bytes) -> list[list[str]]:
    """A downloaded CSV as Excel would read it: UTF-8 with its BOM, split by semicolons."""
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def csv_records(data: bytes) -> list[dict[str, str]]:
    header, *rows = csv_rows(data)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_a_kasi_reads_filters_and_downloads_the_semester_report(browser, office):
    visits = semester_two(history())
    page = signed_in(browser, office.url, "kasi", "/laporan")
    problems: list[str] = []  # a CSP refusal or a script error shows up here
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    # The default is the current semester; the Kasi picks another period, then Semester II.
    expect(page.locator("#period-label")).to_have_text("Semester II 2026")
    page.select_option("#periode", "bulan")
    expect(page.locator("input[name=semester]")).to_have_count(0)  # a select, hidden
    expect(page.locator("input[name=bulan]")).to_be_visible()
    page.fill("input[name=bulan]", "2026-11")
    page.click("#picker button[type=submit]")
    expect(page.locator("#period-label")).to_have_text("November 2026")
    november = [v for v in visits if v.day.month == 11]
    expect(page.locator("#total-visits")).to_have_text(str(len(november)))

    page.select_option("#periode", "semester")
    page.select_option("select[name=semester]", label="Semester II 2026")
    page.click("#picker button[type=submit]")
    expect(page.locator("#period-label")).to_have_text("Semester II 2026")
    expect(page.locator("body")).to_have_attribute("data-charts-drawn", "6")
    for chart in (
        "chart-visits",
        "chart-outcomes",
        "chart-waits",
        "chart-service-times",
        "chart-compliance",
        "chart-returns",
    ):
        assert _painted(page, chart), f"{chart} stayed blank"
    expect(page.locator("#total-visits")).to_have_text(str(len(visits)))
    served = sum(v.outcome in ("selesai", "dialihkan") for v in visits)
    expect(page.locator("#total-served")).to_have_text(str(served))
    outcomes = {row[0]: row[1:] for row in cells(page, "table-outcomes")}
    assert outcomes["Dikembalikan (berkas tidak lengkap)"][0] == str(
        sum(v.outcome == "dikembalikan" for v in visits)
    )
    returns = cells(page, "table-returns")
    assert returns[0][1:3] == ["Fotokopi KTP (1 lembar)", "2"]  # the most forgotten first
    arrivals = {row[0]: row[-1] for row in cells(page, "table-arrivals")}
    assert arrivals["Senin"] == str(sum(v.day.weekday() == 0 for v in visits))
    assert arrivals["Selasa"] == str(sum(v.day.weekday() == 1 for v in visits))
    officers = {row[0]: row for row in cells(page, "table-officers")}
    assert set(officers) == {"budi", "sari", "wati"}
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "laporan-semester-1366x768-full.png"), full_page=True)
    screenshot(page, "laporan-semester-1366x768")
    # On paper (black and white): no picker, no download links, the charts redrawn to width.
    page.emulate_media(media="print")
    expect(page.locator("#picker")).to_be_hidden()
    expect(page.locator(".downloads").first).to_be_hidden()
    page.set_viewport_size({"width": 794, "height": 1123})
    page.screenshot(path=str(SCREENSHOTS / "laporan-semester-print-a4.png"), full_page=True)
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1366, "height": 768})

    # The page's numbers are the downloads' numbers.
    outcome_csv = list(
        csv.reader(
            io.StringIO(download(page, "hasil-layanan.csv").decode("utf-8-sig")), delimiter=";"
        )
    )
    assert outcome_csv[0] == ["Hasil", "Jumlah", "Bagian (%)"]
    for label, count, share in outcome_csv[1:]:
        page_count, page_share = outcomes[label]
        assert page_count == count
        assert page_number(page_share) == float(share.replace(",", "."))
    book = load_workbook(io.BytesIO(download(page, "semua.xlsx")), data_only=True)
    sheet = book["Petugas"]
    assert sheet["B1"].value == "Dinas Tenaga Kerja Kabupaten Lamongan"
    assert sheet["B2"].value == "Semester II 2026"
    header_row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Petugas")
    rows = list(sheet.iter_rows(values_only=True))
    body = rows[rows.index(header_row) + 1 :]
    for name, done, returned, moved, skipped, median, _p90, within, breaks in body:
        on_page = officers[name]
        assert isinstance(done, int) and str(done) == on_page[1]
        assert (returned, moved, skipped) == tuple(int(x) for x in on_page[2:5])
        if median is not None:
            assert round(median, 1) == page_number(on_page[5])
            assert round(within * 100, 1) == page_number(on_page[6])
        assert round(breaks, 1) == page_number(on_page[7])
    register = list(
        csv.DictReader(
            io.StringIO(download(page, "register-kunjungan.csv").decode("utf-8-sig")), delimiter=";"
        )
    )
    assert len(register) == len(visits)
    assert {r["Nomor"] for r in register} >= {"A-001", "B-001", "C-001"}

    # Filtered by a service, then also by an officer: the figures follow.
    page.select_option("#layanan", "ak1-perpanjangan")
    page.click("#picker button[type=submit]")
    expect(page.locator("#filter-text")).to_have_text(
        "layanan Kartu AK1 (Kartu Pencari Kerja) - Perpanjangan"
    )
    renewals = [v for v in visits if v.service == "ak1-perpanjangan"]
    expect(page.locator("#total-visits")).to_have_text(str(len(renewals)))
    expect(page.locator("#table-returns tbody tr")).to_have_count(1)
    expect(page.locator("#table-returns tbody tr td").nth(1)).to_have_text("Kartu AK1 lama")
    filtered_csv = download(page, "register-kunjungan.csv").decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(filtered_csv), delimiter=";"))) == len(renewals)

    page.select_option("#petugas", "sari")
    page.click("#picker button[type=submit]")
    both = [v for v in renewals if v.officer == "sari"]
    expect(page.locator("#total-visits")).to_have_text(str(len(both)))
    page.select_option("#layanan", "")
    page.click("#picker button[type=submit]")
    expect(page.locator("#filter-text")).to_have_text("petugas sari")
    expect(page.locator("#total-visits")).to_have_text(
        str(sum(v.officer == "sari" for v in visits))
    )
    expect(page.locator("#table-officers tbody tr")).to_have_count(1)
    screenshot(page, "laporan-semester-sari-1366x768")
    assert problems == []


def _painted(page, canvas_id: str) -> bool:
    """True when the canvas holds dark pixels: Chart.js drew on it."""
    return page.evaluate(
        """id => {
            const canvas = document.getElementById(id);
            const { width, height } = canvas;
            const pixels = canvas.getContext('2d').getImageData(0, 0, width, height).data;
            let dark = 0;
            for (let i = 0; i < pixels.length; i += 4) {
                if (pixels[i + 3] > 0 && pixels[i] < 128) dark++;
            }
            return dark > 200;
        }""",
        canvas_id,
    )


def test_officers_are_refused_the_reports(browser, office):
    page = signed_in(browser, office.url, "budi", "/laporan")
    expect(page.locator("h1")).to_have_text("Tidak berwenang")
    for path in (
        "/laporan",
        "/laporan/bulanan",
        "/laporan/unduh/semua.xlsx?periode=tahun&tahun=2026",
    ):
        answer = page.goto(f"{office.url}{path}")
        assert answer.status == 403
        expect(page.locator("h1")).to_have_text("Tidak berwenang")
    assert page.request.get(f"{office.url}/laporan/data").status == 403


def test_the_monthly_report_prints_on_a4_with_signatures_and_no_controls(browser, office):
    from pdfminer.high_level import extract_text

    page = signed_in(browser, office.url, "kasi", "/laporan/bulanan?bulan=2026-11")
    expect(page.locator("#month-label")).to_have_text("November 2026")
    november = [v for v in history() if v.day.month == 11]
    expect(page.locator("#monthly-volumes tfoot td").nth(2)).to_have_text(str(len(november)))
    signatures = page.locator("#signatures")
    expect(signatures).to_contain_text("Lamongan, 30 November 2026")
    expect(signatures).to_contain_text("Mengetahui,")
    expect(signatures).to_contain_text("Kepala Seksi Penempatan Tenaga Kerja")
    expect(page.locator("#print")).to_be_visible()
    screenshot(page, "laporan-bulanan-1366x768")

    page.emulate_media(media="print")
    for control in ("#print", "#month-picker", ".topbar"):
        expect(page.locator(control)).to_be_hidden()
    expect(signatures).to_be_visible()
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.screenshot(path=str(SCREENSHOTS / "laporan-bulanan-print-a4.png"), full_page=True)

    pdf = page.pdf(format="A4", print_background=True)
    path = SCREENSHOTS / "laporan-bulanan-2026-11.pdf"
    path.write_bytes(pdf)
    text = " ".join(extract_text(io.BytesIO(pdf)).split())
    assert "LAPORAN BULANAN PELAYANAN" in text.upper()
    assert "Lamongan, 30 November 2026" in text
    assert "Kepala Seksi Penempatan Tenaga Kerja" in text and "NIP." in text
    for control in ("Cetak / simpan PDF", "Tampilkan", "Laporan periode", "Pantauan langsung"):
        assert control not in text
    if shutil.which("pdftoppm"):  # poppler-utils: a picture of the printed first page
        subprocess.run(  # noqa: S603
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                str(path),  # noqa: S607
                str(SCREENSHOTS / "laporan-bulanan-pdf"),
            ],
            check=True,
            timeout=60,
        )


def test_a_long_list_of_missing_documents_shows_its_top_ten_and_all_of_it_on_request(
    browser, inprocess_hub
):
    from datetime import date

    from tests.report_history import _v

    day = date(2026, 10, 7)  # Rabu: twelve visits sent home, each for another document
    ctki = inprocess_hub.hub.catalogue.service("id-ctki").requirements
    paspor = inprocess_hub.hub.catalogue.service("rekomendasi-paspor").requirements
    forgotten = [("id-ctki", d) for d in ctki[:8]] + [("rekomendasi-paspor", d) for d in paspor[:4]]
    visits = [
        _v(day, f"{8 + n // 4:02d}:{(n % 4) * 15:02d}", service, "3", "dikembalikan", 1, missing=d)
        for n, (service, d) in enumerate(forgotten)
    ]
    inprocess_hub.clock.now = datetime(2026, 10, 6, 1, 0, tzinfo=UTC)
    seed(inprocess_hub.hub.queue, inprocess_hub.clock, visits)
    inprocess_hub.clock.now = TODAY

    page = signed_in(browser, inprocess_hub.url, "kasi", "/laporan")
    page.select_option("#periode", "hari")
    page.fill("input[name=tanggal]", "2026-10-07")
    page.click("#picker button[type=submit]")
    expect(page.locator("#period-label")).to_have_text("7 Oktober 2026")
    rows = page.locator("#table-returns tbody tr")
    expect(rows).to_have_count(12)
    expect(rows.nth(9)).to_be_visible()
    expect(rows.nth(10)).to_be_hidden()
    page.click("button[data-shows=table-returns]")
    expect(rows.nth(11)).to_be_visible()
    expect(page.locator("button[data-shows]")).to_have_count(0)
    shown = {row[1] for row in cells(page, "table-returns")}
    assert shown == {document for _, document in forgotten}

    page.reload()
    page.emulate_media(media="print")  # on paper every row, without the button
    expect(rows.nth(11)).to_be_visible()
    expect(page.locator("button[data-shows]")).to_be_hidden()

"""/laporan and its downloads through the Flask test client: roles, bad input, what links keep,
and that the page, its JSON twin and its files tell the same figures."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from shared.accounts import Accounts
from shared.app import close_app, create_app
from shared.queue_service import QueueService
from shared.store import open_store
from tests.report_history import TODAY, history, seed, semester_two
from tests.web.conftest import PASSWORD, MovableClock


@pytest.fixture(scope="module")
def history_db(tmp_path_factory):
    """One SQLite file with the seeded history and the accounts, written once per module."""
    from shared.config import load_settings
    from tests.web.conftest import ROOT

    path = tmp_path_factory.mktemp("history") / "antrian.db"
    store = open_store(f"sqlite:///{path}")
    clock = MovableClock()
    clock.now = datetime(2026, 6, 28, 1, 0, tzinfo=UTC)
    seed(
        QueueService(store, load_settings(ROOT / "config.yaml").catalogue(), clock=clock),
        clock,
        history(),
    )
    accounts = Accounts(store)
    accounts.add_user("kasi", "supervisor", PASSWORD)
    accounts.add_user("budi", "officer", PASSWORD)
    store.close()  # the WAL goes into the file, so a copy of the file is the whole store
    return path


@pytest.fixture
def seeded_app(history_db, settings, tmp_path):
    """A hub on a copy of the history, its clock on 2 December 2026."""
    copy = tmp_path / "antrian.db"
    shutil.copy(history_db, copy)
    clock = MovableClock()
    clock.now = TODAY
    app = create_app(
        settings, store=open_store(f"sqlite:///{copy}"), clock=clock, secret_key="test"
    )
    yield app
    close_app(app)


@pytest.fixture
def client(seeded_app):
    return seeded_app.test_client()


def sign_in(client, name: str) -> None:
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": csrf})


@pytest.fixture
def kasi(client):
    sign_in(client, "kasi")
    return client


def test_strangers_sign_in_first_and_officers_are_refused(client):
    assert client.get("/laporan").headers["Location"].startswith("/login?next=")
    assert client.get("/laporan/data").status_code == 401
    sign_in(client, "budi")
    for path in ("/laporan", "/laporan/bulanan", "/laporan/unduh/semua.xlsx"):
        refused = client.get(path)
        assert refused.status_code == 403, path
        assert "Tidak berwenang" in refused.text
    assert client.get("/laporan/data").json == {"error": "Anda tidak berwenang melakukan ini."}


def test_the_default_is_the_current_semester_with_its_figures(kasi):
    page = kasi.get("/laporan")
    assert page.status_code == 200
    html = page.text
    assert '<span id="period-label">Semester II 2026</span>' in html
    assert "1 Juli 2026 – 31 Desember 2026 (data sampai 2 Desember 2026)" in html
    assert f'<strong id="total-visits">{len(semester_two(history()))}</strong>' in html
    # Charts come as a data block read by a static script: nothing inline runs (CSP).
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert re.findall(r"<script(?![^>]*(src=|application/json))", html) == []
    block = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', html)
    charts = json.loads(block.group(1))
    assert [c["id"] for c in charts] == [
        "chart-visits",
        "chart-outcomes",
        "chart-waits",
        "chart-service-times",
        "chart-compliance",
        "chart-returns",
    ]
    assert kasi.get("/laporan/data").json["charts"] == charts


def test_chart_labels_are_written_the_indonesian_way(kasi):
    charts = {c["id"]: c for c in kasi.get("/laporan/data").json["charts"]}
    outcomes = charts["chart-outcomes"]["series"][0]
    assert outcomes["value_labels"][0] == "14 (73,7 %)"  # selesai: 14 of 19
    waits = charts["chart-waits"]
    assert waits["standard"]["values"] == [3, 3, 3, 3]  # call_rules.waiting_standard_minutes
    assert all(re.fullmatch(r"\d+,\d", label) for label in waits["series"][0]["value_labels"])
    assert charts["chart-compliance"]["labels"] == [
        "Juli 2026",
        "September 2026",
        "November 2026",
        "Desember 2026",
    ]
    # Documents forgotten for two services: each bar says for which one; one service, no need.
    assert charts["chart-returns"]["labels"][0] == ["Fotokopi KTP (1 lembar)", "Kartu AK1 - Baru"]
    assert ["Kartu AK1 lama", "Kartu AK1 - Perpanjangan"] in charts["chart-returns"]["labels"]
    narrowed = kasi.get("/laporan/data?layanan=ak1-baru").json["charts"]
    assert narrowed[-1]["labels"][0] == ["Fotokopi KTP (1 lembar)"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("periode=abad", "Jenis periode tidak dikenali."),
        ("periode=bulan&bulan=2026-13", "Periode tidak dikenali; pilih lagi dari daftar."),
        ("periode=hari&tanggal=<script>", "Periode tidak dikenali; pilih lagi dari daftar."),
        ("periode=rentang&dari=2026-11-30&sampai=2026-11-01", "Tanggal akhir tidak boleh"),
        ("periode=rentang&dari=2020-01-01&sampai=2026-11-01", "Rentang paling panjang"),
        ("periode=tahun&tahun=2027", "Tahun 2027 belum dimulai."),
        ("layanan=ak1-lama", "Layanan &#39;ak1-lama&#39; tidak dikenal; pilih dari daftar."),
        ("loket=99", "Loket &#39;99&#39; tidak dikenal; pilih dari daftar."),
        ("petugas=" + "x" * 41, "Nama petugas terlalu panjang"),
    ],
)
def test_a_bad_period_or_filter_is_explained_and_nothing_is_computed(kasi, query, message):
    page = kasi.get(f"/laporan?{query}")
    assert page.status_code == 400
    assert message in page.text
    assert 'id="report-error"' in page.text and 'id="total-visits"' not in page.text
    assert (
        "<script>" not in page.text.split("</head>")[1].split('<script type="application/json"')[0]
    )
    assert kasi.get(f"/laporan/data?{query}").status_code == 400
    assert kasi.get(f"/laporan/unduh/hasil-layanan.csv?{query}").status_code == 400


def test_filters_narrow_the_figures(kasi):
    visits = semester_two(history())
    by_counter = kasi.get("/laporan?periode=semester&semester=2026-2&loket=3").text
    at_three = [v for v in visits if v.counter == "3" or (v.transfer_to or ("", ""))[1] == "3"]
    assert f'<strong id="total-visits">{len(at_three)}</strong>' in by_counter
    assert 'hanya <strong id="filter-text">Loket 3</strong>' in by_counter
    nobody = kasi.get("/laporan?petugas=tidak-ada").text
    assert 'id="report-empty"' in nobody and "dengan pilihan ini" in nobody


def test_download_links_keep_the_period_and_filters(kasi):
    html = kasi.get("/laporan?periode=bulan&bulan=2026-11&layanan=ak1-baru").text
    links = re.findall(r'href="(/laporan/unduh/[^"]+)"', html)
    assert links and all("periode=bulan" in a and "bulan=2026-11" in a for a in links)
    assert all("layanan=ak1-baru" in a for a in links)
    assert "/laporan/unduh/semua.xlsx?periode=bulan&amp;bulan=2026-11&amp;layanan=ak1-baru" in html


def test_the_files_carry_the_page_figures_and_no_personal_data(kasi):
    query = "periode=bulan&bulan=2026-11"
    answer = kasi.get(f"/laporan/unduh/petugas.csv?{query}")
    assert answer.headers["Content-Disposition"] == (
        'attachment; filename="laporan-petugas-2026-11.csv"'
    )
    assert answer.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Petugas", "Selesai"]
    served = {r[0]: int(r[1]) for r in rows[1:]}
    assert served == {"sari": 3, "budi": 2, "wati": 2}
    book = load_workbook(io.BytesIO(kasi.get(f"/laporan/unduh/semua.xlsx?{query}").data))
    assert "Petugas" in book.sheetnames and "Hasil layanan" in book.sheetnames
    register = kasi.get(f"/laporan/unduh/register-kunjungan.xlsx?{query}")
    sheet = load_workbook(io.BytesIO(register.data))["Register kunjungan"]
    numbers = [row[1] for row in sheet.iter_rows(min_row=6, values_only=True)]
    assert len(numbers) == sum(v.day.month == 11 for v in history())


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/laporan/unduh/gaji-pegawai.csv", 404, "Tabel itu tidak ada di laporan ini."),
        ("/laporan/unduh/hasil-layanan.pdf", 404, "Format unduhan hanya CSV atau XLSX."),
        ("/laporan/unduh/semua.csv", 404, "CSV memuat satu tabel; unduh semua tabel sebagai XLSX."),
    ],
)
def test_a_download_that_does_not_exist_says_so(kasi, path, status, message):
    answer = kasi.get(path)
    assert answer.status_code == status
    assert message in answer.text


def test_the_monthly_report_defaults_to_last_month_and_refuses_bad_months(kasi):
    page = kasi.get("/laporan/bulanan")
    assert '<strong id="month-label">November 2026</strong>' in page.text
    assert "Lamongan, 30 November 2026" in page.text
    assert kasi.get("/laporan/bulanan?bulan=2026-12").status_code == 200  # this month, so far
    assert "Lamongan, 2 Desember 2026" in kasi.get("/laporan/bulanan?bulan=2026-12").text
    bad = kasi.get("/laporan/bulanan?bulan=November")
    assert bad.status_code == 400
    assert "Bulan &#39;November&#39; tidak dikenali; gunakan TTTT-BB, mis. 2026-11." in bad.text
    future = kasi.get("/laporan/bulanan?bulan=2027-01")
    assert future.status_code == 400 and "Januari 2027 belum dimulai." in future.text


def test_signatures_follow_the_config(app_with):
    reports = {
        "place": "Praya",
        "signatories": [
            {
                "label": "Mengetahui,",
                "title": "Kepala Bidang Penempatan",
                "name": "Lalu Ahmad",
                "nip": "19700101 199003 1 001",
            },
        ],
    }
    from shared.config import ReportsConfig

    app = app_with(reports=ReportsConfig.model_validate(reports))
    app.extensions["antrian"].accounts.add_user("kasi", "supervisor", PASSWORD)
    other = app.test_client()
    sign_in(other, "kasi")
    html = other.get("/laporan/bulanan?bulan=2026-11").text
    assert "Praya, 23 November 2026" in html  # the month is not over on the clock's day
    assert "Lalu Ahmad" in html and "NIP. 19700101 199003 1 001" in html
    assert "Yang membuat laporan" not in html
    bare = app_with(reports=ReportsConfig())
    bare.extensions["antrian"].accounts.add_user("kasi", "supervisor", PASSWORD)
    third = bare.test_client()
    sign_in(third, "kasi")
    assert 'id="signatures"' not in third.get("/laporan/bulanan?bulan=2026-11").text


def test_the_navigation_links_the_report_pages_that_exist(kasi):
    html = kasi.get("/laporan").text
    nav = re.search(r'<nav class="report-nav".*?</nav>', html, re.S).group(0)
    assert re.findall(r'href="([^"]+)"', nav)[:4] == [
        "/supervisor",
        "/supervisor/report",
        "/laporan",
        "/laporan/bulanan",
    ]
    assert 'href="/laporan" aria-current="page"' in nav
    daily = kasi.get("/supervisor/report").text
    assert 'class="period-report-link" href="/laporan"' in daily


def test_visit_attributes_are_counted_without_personal_data(kasi):
    html = kasi.get("/laporan?periode=semester&semester=2026-2&layanan=ak1-baru").text
    table = re.search(r'<table id="table-attributes">.*?</table>', html, re.S).group(0)
    rows = [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", tr)]
        for tr in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    ]
    counts = {(r[1], r[2]): (r[3], r[4]) for r in rows}
    # Counted under the service a visit ended in: the one sent on to ID CTKI is not here.
    new_cards = [
        v for v in semester_two(history()) if v.service == "ak1-baru" and not v.transfer_to
    ]
    assert counts[("Jenis kelamin", "L")] == (
        "2",
        f"{200 / len(new_cards):.1f} %".replace(".", ","),
    )
    assert counts[("Jenis kelamin", "P")][0] == "1"
    assert counts[("Pendidikan", "D4/S1")][0] == "1"
    assert counts[("Jenis kelamin", "(tidak dicatat)")][0] == str(len(new_cards) - 3)


def test_the_page_reads_the_same_history_from_either_store(store_url, settings):
    """The history written through the queue service into SQLite or Redis reports alike."""
    url, prefix = store_url
    clock = MovableClock()
    clock.now = datetime(2026, 7, 13, 1, 0, tzinfo=UTC)
    # Opened by the hub from its URL, as `antrian run` does: the reports are made by a worker
    # process that opens the same store.
    on_store = settings.model_copy(
        update={"store": settings.store.model_copy(update={"url": url, "key_prefix": prefix})}
    )
    app = create_app(on_store, clock=clock, secret_key="test")
    try:
        hub = app.extensions["antrian"]
        assert hub.reports.in_worker
        seed(hub.queue, clock, semester_two(history()))
        clock.now = TODAY
        hub.accounts.add_user("kasi", "supervisor", PASSWORD)
        client = app.test_client()
        sign_in(client, "kasi")
        data = client.get("/laporan/data?periode=semester&semester=2026-2").json
        assert data["visits"] == len(semester_two(history()))
        assert data["period"] == {
            "label": "Semester II 2026",
            "start": "2026-07-01",
            "end": "2026-12-31",
        }
        outcomes = next(c for c in data["charts"] if c["id"] == "chart-outcomes")
        assert outcomes["series"][0]["value_labels"][0] == "14 (73,7 %)"
    finally:
        close_app(app)


def test_the_ikm_and_complaints_reports_join_the_navigation(kasi):
    """Their pages (issue 12) exist in this hub, so the bar links them; each opens."""
    nav = re.search(r'<nav class="report-nav".*?</nav>', kasi.get("/laporan").text, re.S)
    links = dict(re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav.group(0)))
    assert links["/laporan/ikm"] == "IKM" and links["/laporan/pengaduan"] == "Pengaduan"
    for path in links:
        assert kasi.get(path).status_code == 200, path


def test_quick_periods_keep_the_filters(kasi):
    html = kasi.get("/laporan?layanan=ak1-baru").text
    quick = {
        label: href.replace("&amp;", "&")
        for href, label in re.findall(
            r'<a href="([^"]+)">([^<]+)</a>', html.split('class="quick"')[1].split("</nav>")[0]
        )
    }
    assert quick["Bulan lalu"] == "/laporan?periode=bulan&bulan=2026-11&layanan=ak1-baru"
    assert quick["Semester ini"] == "/laporan?periode=semester&semester=2026-2&layanan=ak1-baru"
    assert quick["Hari ini"] == "/laporan?periode=hari&tanggal=2026-12-02&layanan=ak1-baru"


# Generous: a worker process starts and ends within a second or two, on a busy machine more.
CEILING = 60


def worker_processes(hub) -> list:
    pool = hub.reports._pool
    return list((getattr(pool, "_processes", None) or {}).values()) if pool else []


def hub_on_a_copy(history_db, settings, tmp_path):
    """A hub that opens a copy of the history from its URL, as `antrian run` does: its reports
    are made by the worker process."""
    copy = tmp_path / "antrian.db"
    shutil.copy(history_db, copy)
    clock = MovableClock()
    clock.now = TODAY
    on_file = settings.model_copy(
        update={"store": settings.store.model_copy(update={"url": f"sqlite:///{copy}"})}
    )
    return create_app(on_file, clock=clock, secret_key="test")


def test_reports_are_made_by_a_worker_that_ends_with_the_hub_and_survives_a_kill(
    history_db, settings, tmp_path
):
    app = hub_on_a_copy(history_db, settings, tmp_path)
    hub = app.extensions["antrian"]
    try:
        client = app.test_client()
        sign_in(client, "kasi")
        query = "/laporan/data?periode=semester&semester=2026-2"
        first = client.get(query).json
        assert first["visits"] == len(semester_two(history()))
        (worker,) = worker_processes(hub)
        assert worker.is_alive() and worker.pid != os.getpid()
        # The worker dies (out of memory, killed by an admin): the page still gets its report,
        # made in the hub this once, and the next one has a new worker.
        worker.kill()
        worker.join(timeout=CEILING)
        assert client.get(query).json == first
        assert client.get(query).json == first
        (again,) = worker_processes(hub)
        assert again.pid != worker.pid and again.is_alive()
        download = client.get("/laporan/unduh/hasil-layanan.csv?periode=semester&semester=2026-2")
        assert download.status_code == 200 and "Selesai dilayani" in download.text
    finally:
        close_app(app)
    again.join(timeout=CEILING)
    assert again.exitcode is not None  # ended with the hub


def test_a_report_the_worker_cannot_finish_in_time_is_explained(
    history_db, settings, tmp_path, monkeypatch
):
    from shared.reports import desk

    app = hub_on_a_copy(history_db, settings, tmp_path)
    # No worker starts and folds a semester within a millisecond.
    monkeypatch.setattr(desk, "RESULT_TIMEOUT_SECONDS", 0.001)
    try:
        client = app.test_client()
        sign_in(client, "kasi")
        page = client.get("/laporan?periode=semester&semester=2026-2")
        assert page.status_code == 503
        assert "terlalu lama disusun" in page.text
        assert worker_processes(app.extensions["antrian"]) == []  # the stuck one is gone
    finally:
        close_app(app)

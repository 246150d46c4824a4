"""Complaints through the web, on both stores: the public form, tracking, staff, recap, roles."""

from __future__ import annotations

import io
import re
import threading
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from shared.app import close_app, create_app
from shared.complaints_web import GUARD_KEY, SERVICE_KEY
from shared.store import open_store
from tests.web.conftest import PASSWORD, bearer

# Distinctive names, so a page that leaks one is caught by a plain search.
SUPERVISOR, OTHER_SUPERVISOR, OFFICER = "sitirahayu", "bambangkabid", "budi"
CONTACT = "wa-0812-7777-4242"


@pytest.fixture
def complaint_app(settings, clock, store_url):
    url, prefix = store_url
    store = open_store(url, key_prefix=prefix)
    app = create_app(settings, store=store, clock=clock, secret_key="test-secret")
    app.config["TESTING"] = True
    yield app
    close_app(app)


class Staff:
    """The office's staff and kiosk, and short calls to the staff routes with their tokens."""

    def __init__(self, app) -> None:
        self.client = app.test_client()
        accounts = app.extensions["antrian"].accounts
        accounts.add_user(SUPERVISOR, "supervisor", PASSWORD)
        accounts.add_user(OTHER_SUPERVISOR, "supervisor", PASSWORD)
        accounts.add_user(OFFICER, "officer", PASSWORD)
        self.tokens = {"kiosk": accounts.add_device("kiosk-1", "kiosk")}

    def token(self, who: str) -> str:
        """Signed in on first use: each sign-in hashes a password (slow on purpose)."""
        if who not in self.tokens:
            answer = self.client.post("/api/login", json={"username": who, "password": PASSWORD})
            self.tokens[who] = answer.json["token"]
        return self.tokens[who]

    def post(self, path: str, body: dict, who: str = SUPERVISOR, client=None):
        return (client or self.client).post(path, json=body, headers=bearer(self.token(who)))

    def get(self, path: str, who: str = SUPERVISOR):
        return self.client.get(path, headers=bearer(self.token(who)))

    def act(self, complaint_id: str, action: str, who: str = SUPERVISOR, client=None, **body):
        return self.post(f"/pengaduan/kelola/{complaint_id}/{action}", body, who, client)

    def record(self, who: str = OFFICER, **body):
        fields = {
            "kind": "pengaduan",
            "category": "Persyaratan",
            "channel": "Surat",
            "received_on": "2026-11-20",
            "text": "Surat: persyaratan di papan informasi berbeda dengan di loket.",
        }
        return self.post("/pengaduan/kelola/catat", {**fields, **body}, who)


@pytest.fixture
def staff(complaint_app) -> Staff:
    return Staff(complaint_app)


class Visitor:
    """A phone's browser: it opens the form, then posts it with the form's hidden fields."""

    def __init__(self, app) -> None:
        self.client = app.test_client()

    def open_form(self, query: str = ""):
        page = self.client.get(f"/pengaduan{query}")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        return html, {
            name: re.search(rf'name="{name}" value="([^"]*)"', html)[1]
            for name in ("csrf_token", "request_id", "tiket")
        }

    def file(self, query: str = "", **fields):
        _, hidden = self.open_form(query)
        body = {
            "jenis": "pengaduan",
            "kategori": "Waktu pelayanan",
            "isi": "Antrean terlalu lama, <b>dua jam</b> menunggu.",
            **hidden,
            **fields,
        }
        return self.client.post("/pengaduan", data={k: v for k, v in body.items() if v is not None})


@pytest.fixture
def visitor(complaint_app) -> Visitor:
    return Visitor(complaint_app)


def register_of(app):
    return app.extensions[SERVICE_KEY].register()


def error_of(response) -> str:
    found = re.search(r'id="form-error"[^>]*>([^<]*)<', response.get_data(as_text=True))
    assert found, response.get_data(as_text=True)[:500]
    return found[1]


def tracking_token(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return re.fullmatch(r"/pengaduan/([A-Za-z0-9_-]+)\?baru=1", response.headers["Location"])[1]


# ---- the public form and the tracking page --------------------------------------------------


def test_the_form_says_what_the_contact_is_for_and_lists_the_categories(visitor):
    html, _ = visitor.open_form()
    assert "Sampaikan pengaduan atau saran" in html
    assert "dihapus saat pengaduan selesai" in html
    for category in ("Pelayanan petugas", "Pungutan liar", "Lainnya"):
        assert f'<option value="{category}"' in html


def test_a_visitor_files_and_follows_it_without_seeing_anyone_else(complaint_app, visitor):
    filed = visitor.file(kontak=CONTACT)
    token = tracking_token(filed)
    page = visitor.client.get(f"/pengaduan/{token}?baru=1")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "PGD-2026-0001" in html and "Terima kasih" in html
    assert "&lt;b&gt;dua jam&lt;/b&gt;" in html and "<b>dua jam</b>" not in html  # text, escaped
    assert "<svg" in html and f"/pengaduan/{token}" in html  # the QR code and the link
    assert CONTACT not in html  # never shown back, even to the holder of the link
    assert "dihapus saat pengaduan selesai" in html
    second = tracking_token(Visitor(complaint_app).file(isi="Kursi di ruang tunggu kurang."))
    assert "Kursi di ruang tunggu" not in html
    assert "Antrean terlalu lama" not in visitor.client.get(f"/pengaduan/{second}").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"isi": ""}, "Isi pengaduan belum diisi."),
        ({"isi": "a" * 10_000}, "terlalu panjang: 10.000 karakter, maksimal 2.000"),
        ({"isi": "pendek"}, "terlalu pendek"),
        ({"kategori": "<script>x</script>"}, "Pilih kategori dari daftar."),
        ({"kategori": None}, "Pilih kategori dari daftar."),
        ({"jenis": "pujian"}, "Pilih jenis: pengaduan atau saran."),
        ({"anonim": "ya", "kontak": CONTACT}, "tidak dapat disertai kontak"),
        ({"kontak": "x" * 500}, "Kontak terlalu panjang"),
        ({"csrf_token": "dipalsukan"}, "Formulir sudah kedaluwarsa"),
    ],
)
def test_bad_input_gets_a_clear_message_keeps_what_was_typed_and_stores_nothing(
    complaint_app, visitor, fields, message
):
    response = visitor.file(**fields)
    assert response.status_code in (403, 422)
    assert message in error_of(response)
    html = response.get_data(as_text=True)
    if fields.get("isi") is None and "kategori" in fields:
        assert "Antrean terlalu lama" in html  # what was typed is still in the form
    assert "<script>x</script>" not in html
    assert register_of(complaint_app).version == 0
    store = complaint_app.extensions["antrian"].store
    assert store.version("office:disnaker-lamongan:complaints") == 0


@pytest.mark.parametrize(
    "token",
    ["AAAAAAAAAAAAAAAAAAAAAAAA", "x", "AAAA%20BBBBCCCCDDDDEEEE", "a" * 300, "PGD-2026-0001"],
)
def test_a_forged_or_wrong_tracking_token_finds_nothing(complaint_app, visitor, token):
    tracking_token(visitor.file())
    page = visitor.client.get(f"/pengaduan/{token}")
    assert page.status_code == 404
    html = page.get_data(as_text=True)
    assert "Pengaduan tidak ditemukan" in html and "Antrean terlalu lama" not in html


def test_a_double_tap_files_once(complaint_app, visitor):
    _, hidden = visitor.open_form()
    body = {"jenis": "saran", "kategori": "Lainnya", "isi": "Tambah kipas angin.", **hidden}
    first = visitor.client.post("/pengaduan", data=body)
    second = visitor.client.post("/pengaduan", data=body)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(register_of(complaint_app).complaints) == 1


def test_a_flood_from_one_address_is_stopped_with_the_wait(complaint_app, visitor):
    complaint_app.extensions[GUARD_KEY].per_hour = 2
    for _ in range(2):
        tracking_token(visitor.file())
    flood = visitor.file()
    assert flood.status_code == 429
    assert int(flood.headers["Retry-After"]) > 0
    assert "Terlalu banyak pengaduan dari perangkat ini" in error_of(flood)
    assert len(register_of(complaint_app).complaints) == 2


def test_a_ticket_link_ties_the_complaint_to_the_visit_unless_anonymous(
    complaint_app, staff, visitor
):
    issued = staff.client.post(
        "/api/tickets", json={"service": "ak1-baru"}, headers=bearer(staff.tokens["kiosk"])
    ).json
    token = issued["status_url"].rsplit("/", 1)[1]
    status_page = visitor.client.get(f"/t/{token}").get_data(as_text=True)
    assert f'href="/pengaduan?tiket={token}"' in status_page
    html, _ = visitor.open_form(f"?tiket={token}")
    assert "Tentang kunjungan nomor <strong>A-001</strong>" in html
    tracking_token(visitor.file(f"?tiket={token}"))
    tracking_token(visitor.file(f"?tiket={token}", anonim="ya"))
    tracking_token(visitor.file("?tiket=bukan-token-yang-ada-sama-sekali"))
    complaints = sorted(register_of(complaint_app).complaints.values(), key=lambda c: c.seq)
    assert [(c.visit_number, c.visit_service) for c in complaints] == [
        ("A-001", "ak1-baru"),
        (None, None),
        (None, None),
    ]
    assert complaints[1].anonymous
    page = staff.get("/pengaduan/kelola").get_data(as_text=True)
    assert "A-001 · Kartu AK1 (Kartu Pencari Kerja) - Baru · 23 November 2026" in page


# ---- staff: record, forward, follow up, close -------------------------------------------------


def test_the_whole_path_and_the_public_page_never_names_staff(complaint_app, staff, visitor):
    token = tracking_token(visitor.file(kontak=CONTACT))
    (complaint,) = register_of(complaint_app).complaints.values()
    page = staff.get("/pengaduan/kelola").get_data(as_text=True)
    assert CONTACT in page  # the supervisor who answers sees it while it is open
    assert staff.act(complaint.id, "teruskan", to=OTHER_SUPERVISOR).status_code == 200
    follow = staff.act(complaint.id, "tindak-lanjut", OTHER_SUPERVISOR, text="Ditegur, SOP dibahas")
    assert follow.json["complaint"]["state"] == "ditindaklanjuti"
    public = visitor.client.get(f"/pengaduan/{token}").get_data(as_text=True)
    assert "Ditindaklanjuti oleh petugas" in public
    closed = staff.act(
        complaint.id, "selesai", OTHER_SUPERVISOR, answer="Mohon maaf, loket ketiga kini dibuka."
    )
    assert closed.status_code == 200
    history = closed.json["complaint"]["history"]
    assert [(h["state"], h["by"]) for h in history] == [
        ("diterima", "pelapor (formulir daring)"),
        ("diteruskan", SUPERVISOR),
        ("ditindaklanjuti", OTHER_SUPERVISOR),
        ("selesai", OTHER_SUPERVISOR),
    ]
    public = visitor.client.get(f"/pengaduan/{token}").get_data(as_text=True)
    assert "Mohon maaf, loket ketiga kini dibuka." in public
    assert "Kontak yang Anda berikan sudah dihapus." in public
    assert "Ditegur, SOP dibahas" not in public  # the follow-up stays internal
    for name in (SUPERVISOR, OTHER_SUPERVISOR, OFFICER):
        assert name not in public
    store = complaint_app.extensions["antrian"].store
    assert store.load_contact(complaint.contact_key) is None
    assert CONTACT not in staff.get("/pengaduan/kelola").get_data(as_text=True)


def test_closing_twice_at_once_one_wins_the_other_gets_409(complaint_app, staff, visitor):
    tracking_token(visitor.file(kontak=CONTACT))
    (complaint,) = register_of(complaint_app).complaints.values()
    staff.act(complaint.id, "teruskan", to=OTHER_SUPERVISOR)
    staff.act(complaint.id, "tindak-lanjut", text="sudah dibahas")
    clients = [complaint_app.test_client() for _ in range(2)]
    staff.token(OTHER_SUPERVISOR)  # signed in before, not inside the race
    start = threading.Barrier(2)
    answers = [None, None]

    def close(i: int, who: str) -> None:
        start.wait(timeout=30)
        answers[i] = staff.act(
            complaint.id, "selesai", who, client=clients[i], answer=f"jawab {who}"
        )

    threads = [
        threading.Thread(target=close, args=(i, who))
        for i, who in enumerate((SUPERVISOR, OTHER_SUPERVISOR))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(a.status_code for a in answers) == [200, 409]
    refused = next(a for a in answers if a.status_code == 409)
    assert "sudah selesai: dijawab oleh" in refused.json["error"]
    final = register_of(complaint_app).complaints[complaint.id]
    assert [t.state.value for t in final.history].count("selesai") == 1


@pytest.mark.parametrize(
    ("action", "body", "status", "message"),
    [
        ("teruskan", {"to": OFFICER}, 422, "bukan penanggung jawab"),
        ("teruskan", {"to": 12}, 400, "harus berupa teks"),
        ("tindak-lanjut", {"text": "ini"}, 409, "teruskan dulu"),
        ("selesai", {"answer": "jawaban"}, 409, "masih berstatus diterima"),
    ],
)
def test_a_refused_step_is_a_clear_json_error(complaint_app, staff, action, body, status, message):
    recorded = staff.record().json["complaint"]
    answer = staff.act(recorded["id"], action, **body)
    assert answer.status_code == status
    assert message in answer.json["error"]
    assert register_of(complaint_app).version == 1


def test_unknown_complaints_are_404(staff):
    answer = staff.act("PGD-2026-0099", "teruskan", to=SUPERVISOR)
    assert answer.status_code == 404
    assert answer.json == {"error": "Pengaduan 'PGD-2026-0099' tidak ditemukan."}


def test_staff_record_other_channels_and_bad_records_store_nothing(complaint_app, staff):
    recorded = staff.record(contact="kantor pos: surat balasan ke alamat pengirim")
    assert recorded.status_code == 201
    entry = recorded.json["complaint"]
    assert (entry["channel"], entry["received_on"], entry["recorded_by"]) == (
        "Surat",
        "2026-11-20",
        OFFICER,
    )
    assert entry["number"] == "PGD-2026-0001"
    for body, message in (
        ({"channel": "Merpati pos"}, "Pilih saluran"),
        ({"channel": "Aplikasi (formulir daring)"}, "Pilih saluran"),
        ({"received_on": "kemarin"}, "Tanggal diterima tidak dikenali"),
        ({"received_on": "2026-11-24"}, "tidak boleh setelah hari ini"),
        ({"text": "b" * 10_000}, "terlalu panjang: 10.000 karakter"),
        ({"text": None}, "belum diisi"),
        ({"kind": ["saran"]}, "harus berupa teks"),
    ):
        refused = staff.record(**body)
        assert refused.status_code in (400, 422), body
        assert message in refused.json["error"]
    assert register_of(complaint_app).version == 1


def test_roles_on_the_staff_routes(complaint_app, staff):
    recorded = staff.record().json["complaint"]
    anonymous = complaint_app.test_client()
    assert anonymous.post("/pengaduan/kelola/catat", json={}).status_code == 401
    assert anonymous.get("/pengaduan/kelola").status_code == 302  # to the sign-in page
    assert anonymous.get("/laporan/pengaduan").status_code == 302
    assert staff.act(recorded["id"], "teruskan", OFFICER, to=SUPERVISOR).status_code == 403
    assert staff.record(who="kiosk").status_code == 403
    assert staff.get("/laporan/pengaduan", OFFICER).status_code == 403
    assert staff.get("/laporan/pengaduan.xlsx", OFFICER).status_code == 403
    assert staff.get("/pengaduan/kelola", OFFICER).status_code == 200
    assert staff.act(recorded["id"], "teruskan", to=OTHER_SUPERVISOR).status_code == 200


def test_a_signed_in_browser_needs_the_csrf_header(complaint_app, staff):
    browser = complaint_app.test_client()
    login = browser.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', login)[1]
    browser.post("/login", data={"username": SUPERVISOR, "password": PASSWORD, "csrf_token": csrf})
    body = {
        "kind": "saran",
        "category": "Lainnya",
        "channel": "Surat",
        "text": "Mohon papan informasi diperbesar.",
    }
    assert browser.post("/pengaduan/kelola/catat", json=body).status_code == 403
    page = browser.get("/pengaduan/kelola").get_data(as_text=True)
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page)[1]
    sent = browser.post("/pengaduan/kelola/catat", json=body, headers={"X-CSRF-Token": csrf})
    assert sent.status_code == 201


def test_the_register_page_puts_overdue_first_and_officers_see_their_own(
    complaint_app, staff, visitor, clock
):
    old = staff.record(received_on="2026-11-09").json["complaint"]  # due 16 November: overdue
    tracking_token(visitor.file())  # today, due 30 November
    mine = staff.get("/pengaduan/kelola", OFFICER).get_data(as_text=True)
    assert old["number"] in mine and "PGD-2026-0002" not in mine
    assert 'action="' not in mine and "Teruskan</button>" not in mine  # officers do not act
    page = staff.get("/pengaduan/kelola").get_data(as_text=True)
    assert page.index(old["number"]) < page.index("PGD-2026-0002")
    assert f'id="complaint-{old["number"]}" data-state="diterima"' in page.replace(
        'complaint-card overdue" ', 'complaint-card" '
    )
    assert 'class="complaint-card overdue" id="complaint-PGD-2026-0001"' in page
    assert "Lewat target" in page
    state = staff.get("/supervisor/state").json
    assert state["complaints"] == {"open": 2, "overdue": 1}
    clock.advance(timedelta(days=8).total_seconds())  # Tuesday 1 December
    assert staff.get("/supervisor/state").json["complaints"] == {"open": 2, "overdue": 2}


# ---- the recap -------------------------------------------------------------------------------


def test_the_recap_page_and_its_xlsx(complaint_app, staff, visitor):
    token = tracking_token(visitor.file(kontak=CONTACT))
    staff.record(text='=HYPERLINK("http://contoh.id","klik") surat pengaduan masuk')
    (public, _) = sorted(register_of(complaint_app).complaints.values(), key=lambda c: c.seq)
    staff.act(public.id, "teruskan", to=OTHER_SUPERVISOR)
    staff.act(public.id, "tindak-lanjut", text="Loket ketiga dibuka pada jam sibuk")
    staff.act(public.id, "selesai", answer="Terima kasih, loket ketiga kini dibuka.")
    page = staff.get("/laporan/pengaduan?periode=2026-11")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Rekapitulasi Pengaduan dan Saran" in html and "November 2026" in html
    assert re.search(r'id="total">2<', html) and re.search(r'id="answered">1<', html)
    assert re.search(r'id="median">0,0<', html)  # answered the same day
    assert re.search(r'id="within">100,0%<', html)
    assert "Loket ketiga dibuka pada jam sibuk" in html  # the list carries the follow-ups
    assert CONTACT not in html and token not in html
    xlsx = staff.get("/laporan/pengaduan.xlsx?periode=2026-11")
    assert xlsx.status_code == 200
    assert 'filename="rekap-pengaduan-2026-11.xlsx"' in xlsx.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames == ["Rekap", "Daftar"]
    rows = list(book["Daftar"].iter_rows(values_only=True))
    assert rows[0][:4] == ("No", "Nomor", "Jenis", "Tanggal diterima")
    assert [r[1] for r in rows[1:]] == ["PGD-2026-0001", "PGD-2026-0002"]
    formula_cell = book["Daftar"]["G3"]
    assert formula_cell.data_type == "s" and formula_cell.value.startswith("=HYPERLINK")
    summary = {r[0]: r[1] for r in book["Rekap"].iter_rows(values_only=True) if r[0]}
    assert summary["Jumlah pengaduan dan saran"] == 2
    assert summary["Sudah dijawab"] == 1
    assert CONTACT.encode() not in xlsx.data


@pytest.mark.parametrize("period", ["2026-13", "kemarin", "2031", "x" * 100])
def test_a_bad_recap_period_is_a_400_saying_how(staff, period):
    page = staff.get(f"/laporan/pengaduan?periode={period}")
    assert page.status_code == 400
    assert re.search(
        r"tidak dikenali|tidak ada|belum dimulai|jangkauan", page.get_data(as_text=True)
    )
    assert staff.get(f"/laporan/pengaduan.xlsx?periode={period}").status_code == 400


def test_a_shared_screen_returns_to_its_start_and_a_phone_keeps_the_page(complaint_app, staff):
    kiosk = Visitor(complaint_app)
    kiosk.client.get("/pair")  # the pairing form sets the CSRF token in this browser's session
    html = kiosk.client.get("/pair").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html)[1]
    kiosk.client.post("/pair", data={"token": staff.tokens["kiosk"], "csrf_token": csrf})
    answer = kiosk.client.get(f"/pengaduan/{tracking_token(kiosk.file())}")
    assert answer.headers["Cache-Control"] == "no-store"
    assert kiosk.client.get("/pengaduan").headers["Cache-Control"] == "no-store"
    page = answer.get_data(as_text=True)
    assert 'id="shared-device" data-home="/kiosk" data-reset-seconds="60"' in page
    assert "complaint_reset.js" in page
    phone = Visitor(complaint_app)
    page = phone.client.get(f"/pengaduan/{tracking_token(phone.file())}").get_data(as_text=True)
    assert "shared-device" not in page and "complaint_reset.js" not in page


def test_with_the_store_down_the_form_says_so_and_staff_get_503(app, client, tokens):
    """The SQLite hub of the web fixtures, its file gone: a busy page, never a 500."""
    from shared.errors_web import STORE_BUSY
    from tests.web.test_store_outage import unplug

    visitor = Visitor(app)
    _, hidden = visitor.open_form()
    unplug(app.extensions["antrian"].store)
    body = {"jenis": "saran", "kategori": "Lainnya", "isi": "Tambah kursi tunggu.", **hidden}
    page = visitor.client.post("/pengaduan", data=body)
    assert page.status_code == 503
    assert STORE_BUSY in page.get_data(as_text=True)
    assert visitor.client.get("/pengaduan/AAAAAAAAAAAAAAAAAAAAAAAA").status_code == 503
    recorded = client.post(
        "/pengaduan/kelola/catat", json={"text": "x" * 20}, headers=bearer(tokens.officer)
    )
    assert (recorded.status_code, recorded.json) == (503, {"error": STORE_BUSY})
    assert client.get("/laporan/pengaduan", headers=bearer(tokens.supervisor)).status_code == 503

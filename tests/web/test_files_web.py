"""Files finished later through the real app: slip, phone page across days, contact, kiosk
pickup, the staff page; each bad input answered plainly."""

from __future__ import annotations

import re

import pytest

from shared.app import close_app, create_app
from shared.config import ConfigError, settings_from_dict
from shared.files_desk import contact_key
from shared.store import open_store
from tests.files.office import files_config
from tests.printer_server import TestPrinter
from tests.web.conftest import PASSWORD, MovableClock, bearer

DAY = 24 * 3600


class Office:
    """A hub with files: the app, its clock, tokens, and short calls."""

    def __init__(self, tmp_path, clock: MovableClock, printer_port: int | None = None, **notices):
        data = files_config(**notices)
        if printer_port is not None:
            data["printer"] = {"type": "network", "host": "127.0.0.1", "port": printer_port}
        settings = settings_from_dict(data, tmp_path)
        self.store = open_store(f"sqlite:///{tmp_path / 'files.db'}")
        self.app = create_app(settings, store=self.store, clock=clock, secret_key="test")
        self.hub = self.app.extensions["antrian"]
        self.client = self.app.test_client()
        self.clock = clock
        self.hub.accounts.add_user("budi", "officer", PASSWORD)
        self.kiosk = self.hub.accounts.add_device("kiosk-1", "kiosk")
        self.display = self.hub.accounts.add_device("tv-1", "display")
        self.officer = self.client.post(
            "/api/login", json={"username": "budi", "password": PASSWORD}
        ).json["token"]

    def act(self, counter: str, action: str, body=None):
        response = self.client.post(
            f"/api/counters/{counter}/{action}", json=body or {}, headers=bearer(self.officer)
        )
        assert response.status_code == 200, response.json
        return response.json

    def finish_ak1(self) -> dict:
        ticket = self.client.post(
            "/api/tickets", json={"service": "ak1-baru"}, headers=bearer(self.kiosk)
        ).json
        self.act("1", "call-next", {"ticket": ticket["number"]})
        self.act("1", "start")
        for _ in range(7):  # through the eight required steps of the SOP
            self.act("1", "next-step")
        self.act("1", "finish")
        ticket["token"] = ticket["status_url"].rsplit("/", 1)[1]
        return ticket

    def files(self):
        return self.client.get("/berkas/data", headers=bearer(self.officer))

    def code_of(self, number: str) -> str:
        data = self.files().json
        every = data["processing"] + data["ready"] + data["picked_up"]
        return next(f["pickup_code"] for f in every if f["number"] == number)

    def staff(self, code: str, action: str, token: str | None = None):
        return self.client.post(f"/berkas/{code}/{action}", headers=bearer(token or self.officer))

    def pickup(self, code, token: str | None = None):
        return self.client.post(
            "/kiosk/pickup", json={"code": code}, headers=bearer(token or self.kiosk)
        )


@pytest.fixture
def office(tmp_path):
    built = Office(tmp_path, MovableClock())
    yield built
    close_app(built.app)


def test_finishing_an_ak1_visit_prints_the_pickup_slip_on_the_kiosk_printer(tmp_path):
    with TestPrinter() as printer:
        office = Office(tmp_path, MovableClock(), printer_port=printer.port)
        try:
            ticket = office.client.post(
                "/api/tickets", json={"service": "ak1-baru"}, headers=bearer(office.kiosk)
            ).json  # issued through the API: no ticket printed
            office.act("1", "call-next")
            office.act("1", "start")
            for _ in range(7):
                office.act("1", "next-step")
            office.act("1", "finish")
            slip = printer.wait_for_job(timeout=30)  # printed by the files worker thread
            code = office.code_of("A-001")
            text = slip.decode("cp437", errors="replace")
            assert "BUKTI PENGAMBILAN BERKAS" in text
            assert code in text and "Nomor kunjungan A-001, Senin, 23 November 2026" in text
            assert "Kamis, 26 November 2026" in text  # Monday + 3 working days
            assert "Simpan bukti ini untuk mengambil berkas" in text
            # A native QR (GS ( k) holding the phone page of this very ticket.
            assert b"\x1d(k" in slip
            url = ticket["status_url"].encode()
            assert url in slip
            assert slip.index(b"\x1dV\x00") > slip.index(b"\x1d(k")  # then a cut
            # Reprinted from the staff page: the same slip.
            assert office.staff(code, "cetak").status_code == 200
            assert code.encode() in printer.wait_for_job()
        finally:
            close_app(office.app)


def test_reprinting_without_a_printer_says_so(office):
    office.finish_ak1()
    response = office.staff(office.code_of("A-001"), "cetak")
    assert response.status_code == 503
    assert response.json["error"] == "Printer tidak dikonfigurasi."


def test_the_phone_page_lives_across_days(office):
    ticket = office.finish_ak1()
    token = ticket["token"]
    today = office.client.get(f"/t/{token}")
    assert today.status_code == 200 and b'id="berkas"' in today.data
    assert "Berkas diproses, perkiraan jadi Kamis, 26 November 2026." in today.data.decode()

    office.clock.advance(DAY)  # Tuesday: the ticket's day is over, its file is not
    page = office.client.get(f"/t/{token}").data.decode()
    assert "Berkas diproses, perkiraan jadi Kamis, 26 November 2026." in page
    assert office.client.get(f"/t/{token}.json").status_code == 404  # the ticket is gone

    code = office.code_of("A-001")
    assert office.staff(code, "jadi").status_code == 200
    data = office.client.get(f"/t/{token}/berkas.json").json
    assert data["state"] == "jadi"
    assert data["message"].startswith(
        "Berkas sudah jadi, silakan ambil di Dinas Tenaga Kerja Kabupaten Lamongan"
    )
    assert "budi" not in str(data)  # who marked it is for staff only

    assert office.staff(code, "diambil").status_code == 200
    data = office.client.get(f"/t/{token}/berkas.json").json
    assert data["message"] == "Sudah diambil pada Selasa, 24 November 2026."
    assert data["pickup_code"] is None


def test_an_unknown_token_is_a_plain_404(office):
    page = office.client.get("/t/not-a-token")
    assert page.status_code == 404
    assert "Tiket hanya berlaku pada hari diambil" in page.data.decode()
    assert office.client.get("/t/not-a-token/berkas.json").json == {
        "error": "Belum ada berkas untuk nomor ini."
    }


def test_a_service_finished_at_the_counter_shows_no_file_part(office):
    ticket = office.client.post(
        "/api/tickets", json={"service": "id-ctki"}, headers=bearer(office.kiosk)
    ).json
    page = office.client.get(ticket["status_url"].replace("http://localhost", "")).data
    assert b'id="berkas"' not in page and b"file_status.js" not in page


def _csrf(client, token: str) -> str:
    page = client.get(f"/t/{token}").data.decode()
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


@pytest.fixture
def mail_office(tmp_path):
    built = Office(
        tmp_path,
        MovableClock(),
        kind="smtp",
        smtp_host="127.0.0.1",
        smtp_port=9,
        smtp_starttls=False,
        sender="disnaker@lamongankab.go.id",
    )
    yield built
    close_app(built.app)


def test_a_visitor_leaves_an_email_for_this_file_only(mail_office):
    office = mail_office
    token = office.finish_ak1()["token"]
    phone = office.app.test_client()
    url = f"/t/{token}/kontak"
    assert phone.post(url, json={"contact": "a@b.id"}).status_code == 403  # no CSRF
    csrf = {"X-CSRF-Token": _csrf(phone, token)}
    for bad, status in (
        ("", 422),
        ("bukan email", 422),
        ("<b>@x.id", 422),
        ("a" * 300 + "@x.id", 422),
        (5, 400),
    ):
        answer = phone.post(url, json={"contact": bad}, headers=csrf)
        assert answer.status_code == status, (bad, answer.json)
        assert "error" in answer.json and "<b>" not in answer.json["error"]
    assert phone.post(url, json={"contact": "bad"}, headers=csrf).json["error"] == (
        "Alamat e-mail tidak valid. Contoh: nama@gmail.com"
    )
    saved = phone.post(url, json={"contact": " pencaker@example.com "}, headers=csrf)
    assert saved.status_code == 200 and saved.json["contact_left"] is True
    file_id = office.hub.queue.today().find("A-001").id
    assert office.store.load_contact(contact_key(file_id)) == "pencaker@example.com"
    # Never shown back, not even to staff, and never in the stream.
    assert "pencaker" not in phone.get(f"/t/{token}").data.decode()
    assert "pencaker" not in str(office.files().json)
    assert "pencaker" not in str(
        [e.data for e in office.store.read("office:disnaker-lamongan:files")]
    )
    # The visitor changes their mind.
    erased = phone.delete(url, headers=csrf)
    assert erased.status_code == 200 and erased.json["contact_left"] is False
    assert office.store.load_contact(contact_key(file_id)) is None
    # Left again, then erased by the pickup.
    phone.post(url, json={"contact": "pencaker@example.com"}, headers=csrf)
    code = office.code_of("A-001")
    office.staff(code, "jadi")
    office.staff(code, "diambil")
    assert office.store.load_contact(contact_key(file_id)) is None
    after = phone.post(url, json={"contact": "x@y.id"}, headers=csrf)
    assert after.status_code == 409 and "sudah diambil" in after.json["error"]


def test_a_phone_number_is_asked_for_a_webhook_office(tmp_path):
    office = Office(tmp_path, MovableClock(), kind="webhook", webhook_url="http://127.0.0.1:9/x")
    try:
        token = office.finish_ak1()["token"]
        assert office.client.get(f"/t/{token}/berkas.json").json["contact_kind"] == "phone"
        csrf = {"X-CSRF-Token": _csrf(office.client, token)}
        url = f"/t/{token}/kontak"
        bad = office.client.post(url, json={"contact": "12345"}, headers=csrf)
        assert bad.status_code == 422 and bad.json["error"].startswith("Nomor ponsel tidak valid")
        ok = office.client.post(url, json={"contact": "0812-3456-7890"}, headers=csrf)
        assert ok.status_code == 200
        file_id = office.hub.queue.today().find("A-001").id
        assert office.store.load_contact(contact_key(file_id)) == "6281234567890"
    finally:
        close_app(office.app)


def test_an_office_without_notices_asks_for_no_contact(office):
    token = office.finish_ak1()["token"]
    assert office.client.get(f"/t/{token}/berkas.json").json["contact_kind"] is None
    csrf = {"X-CSRF-Token": _csrf(office.client, token)}
    refused = office.client.post(f"/t/{token}/kontak", json={"contact": "a@b.id"}, headers=csrf)
    assert refused.status_code == 409


def test_the_kiosk_issues_a_pickup_number_only_for_a_ready_file(office):
    office.finish_ak1()
    code = office.code_of("A-001")
    assert office.pickup("").json == {"error": "Ketik atau pindai kode pengambilan berkas."}
    assert office.pickup(None).status_code == 400
    unknown = office.pickup("<script>x</script>")
    assert unknown.status_code == 404 and "<script>" not in unknown.json["error"]
    assert office.pickup("x" * 10_000).status_code == 404
    early = office.pickup(code)
    assert early.status_code == 409
    assert early.json["error"] == "Berkas A-001 belum jadi. Perkiraan jadi Kamis, 26 November 2026."

    office.clock.advance(DAY)
    office.staff(code, "jadi")
    taken = office.pickup(code.lower().replace("-", " "))
    assert taken.status_code == 201
    assert taken.json["ticket"]["number"] == "P-001"
    assert taken.json["berkas"] == {
        "number": "A-001",
        "service_name": "Kartu AK1 (Kartu Pencari Kerja) - Baru",
    }
    # The slip scanned again (its QR holds the phone page): the same number, not a second one.
    desk = office.app.extensions["antrian_files"]
    file_token = next(iter(desk.current().files.values())).status_token
    again = office.pickup(f"http://192.168.1.10:5000/t/{file_token}")
    assert again.status_code == 200 and again.json["ticket"]["number"] == "P-001"
    # Loket 4 sees which file P-001 is for, to fetch the card before calling.
    [waiting] = office.files().json["pickups"]
    assert (waiting["ticket"], waiting["number"], waiting["pickup_code"]) == (
        "P-001",
        "A-001",
        code,
    )
    assert waiting["visit_day_text"] == "Senin, 23 November 2026"
    # Not in the registrations' line: Loket 1 has nothing to call, Loket 4 calls P-001.
    refused = office.client.post(
        "/api/counters/1/call-next", json={}, headers=bearer(office.officer)
    )
    assert refused.status_code == 409
    office.act("4", "call-next")
    office.act("4", "start")
    office.act("4", "finish")
    assert office.files().json["pickups"] == []  # served: off the list
    assert (
        office.client.get("/berkas/data?q=" + code, headers=bearer(office.officer)).json["found"][
            0
        ]["state"]
        == "diambil"
    )
    twice = office.pickup(code)
    assert twice.status_code == 409 and "sudah diambil" in twice.json["error"]


def test_the_pickup_line_cannot_be_taken_without_a_code(office):
    refused = office.client.post(
        "/api/tickets", json={"service": "ambil-berkas"}, headers=bearer(office.kiosk)
    )
    assert refused.status_code == 422
    assert "Ambil berkas" in refused.json["error"]
    kiosk_page = office.client.get("/kiosk", headers=bearer(office.kiosk)).data.decode()
    assert 'data-code="ambil-berkas"' not in kiosk_page and 'id="choose-pickup"' in kiosk_page


def test_the_staff_page_checks_roles_and_refuses_twice(office):
    office.finish_ak1()
    assert office.client.get("/berkas/data").status_code == 401
    assert office.client.get("/berkas/data", headers=bearer(office.display)).status_code == 403
    assert office.client.get("/berkas").status_code == 302  # to sign in
    code = office.code_of("A-001")
    assert office.staff(code, "jadi", token=office.kiosk).status_code == 403
    assert office.staff(code, "diambil").json["error"].startswith("Berkas A-001 belum jadi")
    assert office.staff(code, "jadi").status_code == 200
    twice = office.staff(code, "jadi")
    assert twice.status_code == 409
    assert twice.json["error"].startswith("Berkas A-001 sudah ditandai jadi oleh budi (Senin")
    unknown = office.staff("QQQQQQ", "jadi")
    assert unknown.status_code == 404 and "tidak dikenal" in unknown.json["error"]
    found = office.client.get("/berkas/data?q=a-001", headers=bearer(office.officer)).json
    assert [f["pickup_code"] for f in found["found"]] == [code]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda s: s.update(finished_later={}), "finished_later needs days"),
        (lambda s: s.update(finished_later={"days": 0}), "finished_later.days must be >= 1"),
        (lambda s: s.update(pickup=True), "is the pickup line and cannot itself be finished"),
    ],
)
def test_config_names_what_is_wrong_with_files(tmp_path, change, problem):
    data = files_config()
    change(data["services"][0])
    with pytest.raises(ConfigError) as raised:
        settings_from_dict(data, tmp_path)
    assert any(problem in p for p in raised.value.problems), raised.value.problems


def test_config_allows_one_pickup_line_and_days_per_step(tmp_path):
    data = files_config()
    data["services"].append({**data["services"][-1], "code": "ambil-2", "prefix": "Q"})
    with pytest.raises(ConfigError, match="an office has one pickup line"):
        settings_from_dict(data, tmp_path)
    data = files_config()
    del data["services"][0]["finished_later"]
    data["services"][0]["steps"][6]["days"] = 1  # the signature takes a day
    settings = settings_from_dict(data, tmp_path)
    assert settings.catalogue().service("ak1-baru").finished_later_days == 1
    data["services"][0]["finished_later"] = {"days": 0 + 1}
    data["services"][0]["steps"][5]["days"] = 1
    with pytest.raises(ConfigError, match="less than the 2 day"):
        settings_from_dict(data, tmp_path)


def test_a_gateway_that_is_down_shows_as_an_alert_to_the_supervisor(tmp_path, caplog):
    from tests.e2e.conftest import wait_until

    office = Office(
        tmp_path,
        MovableClock(),
        kind="webhook",
        webhook_url="http://127.0.0.1:9/send",
        timeout_seconds=2,
    )
    try:
        token = office.finish_ak1()["token"]
        csrf = {"X-CSRF-Token": _csrf(office.client, token)}
        office.client.post(f"/t/{token}/kontak", json={"contact": "081234567890"}, headers=csrf)
        office.staff(office.code_of("A-001"), "jadi")  # the worker thread tries at once

        def alert():
            alerts = office.client.get("/api/alerts", headers=bearer(office.officer)).json
            return next((a for a in alerts["alerts"] if a["device"] == "pemberitahuan"), None)

        shown = wait_until(alert, 30, "the notices alert")
        assert shown["message"] == (
            "1 pemberitahuan berkas jadi belum terkirim; dicoba lagi otomatis."
        )
        # Where, for the admin: in the hub's log, never on the staff screen.
        assert "detail" not in shown and "127.0.0.1" not in str(shown)
        assert "127.0.0.1:9" in caplog.text
        assert office.files().json["notices_failing"] == 1
        office.hub.accounts.add_user("kasi", "supervisor", PASSWORD)
        kasi = office.client.post(
            "/api/login", json={"username": "kasi", "password": PASSWORD}
        ).json["token"]
        supervisor = office.client.get("/supervisor/state", headers=bearer(kasi)).json
        assert [a["device"] for a in supervisor["alerts"]] == ["pemberitahuan"]
        ready = office.files().json["ready"][0]
        assert ready["notice"] == {"state": "antre", "attempts": 1, "failing": True}
        # Not on the public screens.
        assert "pemberitahuan" not in str(
            office.client.get("/api/queue", headers=bearer(office.display)).json
        )
    finally:
        close_app(office.app)


def test_a_contact_refused_after_the_pickup_is_not_kept(mail_office):
    """The file is collected: a contact typed afterwards is refused and nothing is stored."""
    office = mail_office
    token = office.finish_ak1()["token"]
    csrf = {"X-CSRF-Token": _csrf(office.client, token)}
    code = office.code_of("A-001")
    office.staff(code, "jadi")
    office.staff(code, "diambil")
    late = office.client.post(
        f"/t/{token}/kontak", json={"contact": "late@example.com"}, headers=csrf
    )
    assert late.status_code == 409 and "sudah diambil" in late.json["error"]
    file_id = office.hub.queue.today().find("A-001").id
    assert office.store.load_contact(contact_key(file_id)) is None


def test_a_paper_visit_leaves_no_file_behind_a_restart(office):
    """A visit entered afterwards from a paper number had no phone page and no slip: the
    files' reconciliation (every hub start) must not open a file keyed by its empty token."""
    office.clock.advance(3600)  # 09:00 WIB: the visit below is in the past
    entered = office.client.post(
        "/catat-kertas",
        json={
            "tanggal": "2026-11-23",
            "service": "ak1-baru",
            "number": "A-007",
            "counter": "1",
            "issued": "07.40",
            "started": "07:45",
            "finished": "07.55",
            "outcome": "selesai",
        },
        headers=bearer(office.officer),
    )
    assert entered.status_code == 201, entered.json
    desk = office.app.extensions["antrian_files"]
    desk.reconcile(office.hub.queue.day_on)
    assert desk.current().files == {}
    # A scanned URL with no token names no file.
    assert office.pickup("http://192.168.1.10:5000/t/").status_code == 404


def test_a_cancelled_pickup_number_gives_way_to_a_new_one(office):
    """Loket 4 cancelled P-001 (the visitor stepped out); scanning the slip again the same day
    puts the file back in the pickup line with a live number, not the dead P-001."""
    office.finish_ak1()
    code = office.code_of("A-001")
    office.clock.advance(DAY)
    office.staff(code, "jadi")
    assert office.pickup(code).json["ticket"]["number"] == "P-001"
    office.act("4", "call-next")
    office.act("4", "cancel", {"ticket": "P-001", "reason": "pengunjung keluar"})
    assert office.files().json["pickups"] == []
    again = office.pickup(code)
    assert again.status_code == 201, again.json
    assert again.json["ticket"]["number"] == "P-002"
    assert office.pickup(code).json["ticket"]["number"] == "P-002"  # a third scan: the same
    [waiting] = office.files().json["pickups"]
    assert (waiting["ticket"], waiting["number"]) == ("P-002", "A-001")
    office.act("4", "call-next")
    office.act("4", "start")
    office.act("4", "finish")
    found = office.client.get("/berkas/data?q=" + code, headers=bearer(office.officer)).json
    assert found["found"][0]["state"] == "diambil"

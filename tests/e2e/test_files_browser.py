"""Files finished later, end to end: a real hub (a process for kill -9; served in-process for
the moved clock) with a real SMTP server, a socket printer and headless Chromium."""

from __future__ import annotations

import threading

import pytest
import requests
import yaml
from playwright.sync_api import expect

from tests.e2e.conftest import (
    PASSWORD,
    SCREENSHOTS,
    LiveHub,
    add_device,
    add_user,
    free_port,
    pair,
    screenshot,
)
from tests.files.office import files_config
from tests.notice_servers import MailServer
from tests.printer_server import TestPrinter

DAY = 24 * 3600


def _save_slip_text(slip: bytes, name: str) -> None:
    """The slip as a person reads it (ESC/POS commands dropped), to look at beside screenshots."""
    import re

    SCREENSHOTS.mkdir(exist_ok=True)
    without_qr = re.sub(rb"\x1d\(k..[\x00-\xff]{2}", b"", slip)
    text = re.sub(r"\x1b[!Eat-]\S?|\x1d[!V]\S?|\x1bd.|\x10\x04.", "", without_qr.decode("cp437"))
    (SCREENSHOTS / f"{name}.txt").write_text(text, encoding="utf-8")


def _serve_ak1(post, counter: str = "1") -> None:
    """The officer walks the visit through the SOP's eight required steps and finishes."""
    for action in ("call-next", "start", *["next-step"] * 7, "finish"):
        answer = post(f"/api/counters/{counter}/{action}")
        assert answer.status_code == 200, (action, answer.text)


# ---- kill -9: nothing lost --------------------------------------------------------------------


@pytest.fixture
def files_hub(tmp_path):
    data = files_config()
    port = free_port()
    data["store"] = {"url": f"sqlite:///{tmp_path / 'antrian.db'}"}
    data["server"] = {**data["server"], "host": "127.0.0.1", "port": port}
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    hub = LiveHub(config=config, port=port)
    add_user(config, "budi", "officer")
    hub.kiosk_token = add_device(config, "kiosk-1", "kiosk")
    hub.start()
    hub.officer_token = _login(hub)
    yield hub
    hub.stop()


def _login(hub: LiveHub) -> str:
    answer = requests.post(
        f"{hub.url}/api/login", json={"username": "budi", "password": PASSWORD}, timeout=10
    )
    return answer.json()["token"]


def _files(hub: LiveHub) -> dict:
    return hub.get("/berkas/data").json()


def test_kill_minus_nine_loses_no_file_and_no_pickup(files_hub):
    hub = files_hub
    assert hub.post("/api/tickets", {"service": "ak1-baru"}, hub.kiosk_token).status_code == 201
    _serve_ak1(hub.post)
    hub.kill()  # the moment the visit was finished: the file was derived before the answer
    hub.start()
    [opened] = _files(hub)["processing"]
    code = opened["pickup_code"]
    assert hub.post(f"/berkas/{code}/jadi").status_code == 200

    hub.kill()
    hub.start()
    hub.officer_token = _login(hub)  # a new process: sessions stay, the token still works
    [ready] = _files(hub)["ready"]
    assert (ready["pickup_code"], ready["state"]) == (code, "jadi")
    assert ready["ready_text"].startswith("budi, ")
    taken = hub.post("/kiosk/pickup", {"code": code}, hub.kiosk_token)
    assert taken.json()["ticket"]["number"] == "P-001"
    for action in ("call-next", "start", "finish"):
        assert hub.post(f"/api/counters/4/{action}").status_code == 200

    hub.kill()
    hub.start()
    [collected] = _files(hub)["picked_up"]
    assert collected["pickup_code"] == code
    again = hub.post("/kiosk/pickup", {"code": code}, hub.kiosk_token)
    assert again.status_code == 409 and "sudah diambil" in again.json()["error"]
    assert hub.post(f"/berkas/{code}/diambil").status_code == 409


# ---- the whole story in Chromium, over two days ----------------------------------------------


@pytest.fixture
def story(tmp_path):
    """The app served on a real port with a movable clock, a mail server and a printer."""
    from werkzeug.serving import make_server

    from shared.app import close_app, create_app
    from shared.config import settings_from_dict
    from shared.store import open_store
    from tests.web.conftest import MovableClock

    with MailServer() as mail, TestPrinter() as printer:
        data = files_config(
            kind="smtp",
            smtp_host="127.0.0.1",
            smtp_port=mail.port,
            smtp_starttls=False,
            sender="disnaker@lamongankab.go.id",
        )
        data["printer"] = {"type": "network", "host": "127.0.0.1", "port": printer.port}
        clock = MovableClock()
        settings = settings_from_dict(data, tmp_path)
        app = create_app(
            settings,
            store=open_store(f"sqlite:///{tmp_path / 'antrian.db'}"),
            clock=clock,
            secret_key="e2e",
        )
        hub = app.extensions["antrian"]
        hub.accounts.add_user("budi", "officer", PASSWORD)
        kiosk_token = hub.accounts.add_device("kiosk-1", "kiosk")
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{server.server_port}"
        officer = requests.post(
            f"{url}/api/login", json={"username": "budi", "password": PASSWORD}, timeout=10
        ).json()["token"]
        try:
            yield {
                "url": url,
                "clock": clock,
                "mail": mail,
                "printer": printer,
                "kiosk": kiosk_token,
                "officer": officer,
                "hub": hub,
            }
        finally:
            server.shutdown()
            thread.join(timeout=10)
            close_app(app)


def test_a_three_day_ak1_file_from_counter_to_pickup(browser, story):
    url, clock, mail, printer = story["url"], story["clock"], story["mail"], story["printer"]

    def post(path, body=None, token=None):
        return requests.post(
            f"{url}{path}",
            json=body or {},
            timeout=10,
            headers={"Authorization": f"Bearer {token or story['officer']}"},
        )

    # Day 1, Monday: an AK1 visit is finished at Loket 1; the pickup slip comes out.
    ticket = post("/api/tickets", {"service": "ak1-baru"}, story["kiosk"]).json()
    _serve_ak1(post)
    slip = printer.wait_for_job(timeout=30)
    text = slip.decode("cp437", errors="replace")
    assert "BUKTI PENGAMBILAN BERKAS" in text and b"\x1d(k" in slip
    _save_slip_text(slip, "files-pickup-slip")
    assert ticket["status_url"].encode() in slip
    code = requests.get(
        f"{url}/berkas/data", headers={"Authorization": f"Bearer {story['officer']}"}, timeout=10
    ).json()["processing"][0]["pickup_code"]
    assert code in text

    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(f"{url}/t/{ticket['status_url'].rsplit('/', 1)[1]}")
    expect(phone.locator("#berkas-message")).to_have_text(
        "Berkas diproses, perkiraan jadi Kamis, 26 November 2026."
    )
    expect(phone.locator("#berkas-code")).to_have_text(code)
    expect(phone.locator("#berkas-contact")).to_be_visible()
    screenshot(phone, "files-phone-day1-form")
    phone.fill("#berkas-contact-input", "nama@gmail")  # the browser lets it through
    phone.click("#berkas-contact-save")
    expect(phone.locator("#berkas-contact-error")).to_have_text(
        "Alamat e-mail tidak valid. Contoh: nama@gmail.com"
    )
    phone.fill("#berkas-contact-input", "pencaker@example.com")
    phone.click("#berkas-contact-save")
    expect(phone.locator("#berkas-contact-left")).to_be_visible()
    screenshot(phone, "files-phone-day1")

    # Day 2, Tuesday: the card is signed and printed; staff mark it ready on /berkas.
    clock.advance(DAY)
    staff = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    staff.goto(f"{url}/login?next=/berkas")
    staff.fill("input[name=username]", "budi")
    staff.fill("input[name=password]", PASSWORD)
    staff.keyboard.press("Enter")
    row = staff.locator("#processing tr", has_text=code)
    expect(row).to_contain_text("Kamis, 26 November 2026")
    screenshot(staff, "files-berkas-page-before")
    row.locator("button", has_text="Tandai jadi").click()
    expect(staff.locator("#message")).to_have_text("Berkas A-001 ditandai jadi.")
    expect(staff.locator("#ready tr", has_text=code)).to_contain_text("budi, Selasa")
    assert mail.received.wait(30), "no e-mail reached the test SMTP server"
    [sent] = mail.messages
    assert sent["X-Envelope-To"] == "pencaker@example.com"
    assert code in sent.get_payload(decode=True).decode()
    expect(staff.locator("#ready tr", has_text=code)).to_contain_text("terkirim")
    screenshot(staff, "files-berkas-page")

    phone.reload()
    expect(phone.locator("#berkas-message")).to_have_text(
        "Berkas sudah jadi, silakan ambil di Dinas Tenaga Kerja Kabupaten Lamongan pada jam "
        "layanan: pilih Ambil berkas di mesin antrean."
    )
    screenshot(phone, "files-phone-day2")

    # The visitor comes to the kiosk: Ambil berkas, the scanner types the code and Enter.
    kiosk = browser.new_page(viewport={"width": 1080, "height": 1920})
    pair(kiosk, type("Hub", (), {"url": url})(), story["kiosk"])
    expect(kiosk.locator("#choose-pickup")).to_be_visible()
    expect(kiosk.locator('.service[data-code="ambil-berkas"]')).to_have_count(0)
    screenshot(kiosk, "files-kiosk-start")
    kiosk.click("#choose-pickup")
    expect(kiosk.locator("#pickup-code")).to_be_focused()
    screenshot(kiosk, "files-kiosk-pickup-enter")
    kiosk.keyboard.type("ZZZ999")
    kiosk.keyboard.press("Enter")
    expect(kiosk.locator("#pickup-error")).to_contain_text("tidak dikenal")
    kiosk.fill("#pickup-code", "")
    kiosk.keyboard.type(code.lower())
    kiosk.keyboard.press("Enter")
    expect(kiosk.locator("#pickup-number")).to_have_text("P-001")
    expect(kiosk.locator("#pickup-print")).to_have_text("Silakan ambil tiket Anda di bawah layar.")
    assert b"P-001" in printer.wait_for_job(timeout=30)
    screenshot(kiosk, "files-kiosk-pickup-number")
    # The same screen on a landscape touch screen: the keypad and both buttons fit.
    landscape = browser.new_page(viewport={"width": 1366, "height": 768})
    pair(landscape, type("Hub", (), {"url": url})(), story["kiosk"])
    landscape.goto(f"{url}/kiosk/ambil")
    expect(landscape.locator("#pickup-take")).to_be_in_viewport()
    screenshot(landscape, "files-kiosk-pickup-landscape")

    # Loket 4's officer sees on /berkas which file P-001 is for.
    expect(staff.locator("#pickups tr", has_text="P-001")).to_contain_text(code)
    screenshot(staff, "files-berkas-page-pickup-line")
    # Loket 4 serves the pickup line: the file is collected, the contact erased.
    for action in ("call-next", "start", "finish"):
        assert post(f"/api/counters/4/{action}").status_code == 200
    phone.reload()
    expect(phone.locator("#berkas-message")).to_have_text(
        "Sudah diambil pada Selasa, 24 November 2026."
    )
    expect(phone.locator("#berkas-contact")).to_be_hidden()
    screenshot(phone, "files-phone-collected")
    file_id = next(iter(story["hub"].store.read("office:disnaker-lamongan:files"))).data["file_id"]
    assert story["hub"].store.load_contact(f"berkas:{file_id}") is None

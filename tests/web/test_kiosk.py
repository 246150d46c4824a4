"""The kiosk flow over HTTP: take a ticket, availability, the phone page; no printer here."""

from __future__ import annotations

import socket

import pytest

from tests.printer_server import TestPrinter
from tests.web.conftest import PASSWORD, bearer


def take(client, token, **body):
    return client.post(
        "/kiosk/tickets", json={"service": "ak1-baru", **body}, headers=bearer(token)
    )


def test_taking_a_ticket_returns_number_wait_and_qr(client, tokens):
    response = take(client, tokens.kiosk, request_id="r1")
    assert response.status_code == 201
    body = response.json
    assert body["ticket"]["number"] == "A-001"
    assert body["status_url"].startswith("http://localhost/t/")
    assert "<svg" in body["qr_svg"]
    assert body["printed"] is None  # config.yaml has no printer: shown on screen only


def test_double_tap_gives_one_ticket(client, tokens, api):
    first = take(client, tokens.kiosk, request_id="same-tap")
    second = take(client, tokens.kiosk, request_id="same-tap")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json["ticket"]["id"] == second.json["ticket"]["id"]
    assert api.queue()["services"][0]["issued_today"] == 1


def test_kiosk_without_a_device_token_is_refused(client):
    assert client.post("/kiosk/tickets", json={"service": "ak1-baru"}).status_code == 401
    assert client.get("/kiosk/availability").status_code == 401


def test_unknown_service_and_bad_priority_are_explained(client, tokens):
    unknown = take(client, tokens.kiosk, service="nope")
    assert (unknown.status_code, unknown.json["error"]) == (404, "Layanan 'nope' tidak dikenal.")
    assert take(client, tokens.kiosk, priority="vip").status_code == 422


def test_priority_is_marked_on_the_ticket(client, tokens):
    body = take(client, tokens.kiosk, priority="ibu_hamil").json
    assert body["ticket"]["priority_label"] == "Ibu hamil"


@pytest.fixture
def limited_app(settings, app_with):
    """Lamongan with a quota of 2 for AK1 baru and Monday-to-Friday ticket hours."""
    services = list(settings.services)
    services[0] = services[0].model_copy(update={"daily_quota": 2})
    hours = dict.fromkeys(("senin", "selasa", "rabu", "kamis"), "07:30-15:00")
    office = settings.office.model_copy(update={"opening_hours": {**hours, "jumat": "07:30-11:00"}})
    return app_with(services=tuple(services), office=office)


def test_quota_used_up_disables_the_button_and_refuses(limited_app):
    hub = limited_app.extensions["antrian"]
    kiosk = hub.accounts.add_device("kiosk-1", "kiosk")
    client = limited_app.test_client()
    for _ in range(2):
        assert take(client, kiosk).status_code == 201
    refused = take(client, kiosk)
    assert refused.status_code == 409
    assert "Kuota harian" in refused.json["error"]
    states = {
        s["code"]: s
        for s in client.get("/kiosk/availability", headers=bearer(kiosk)).json["services"]
    }
    assert states["ak1-baru"]["open"] is False
    assert states["ak1-baru"]["quota_left"] == 0
    assert "Kuota harian" in states["ak1-baru"]["reason"]
    assert states["ak1-perpanjangan"]["open"] is True


def test_office_closed_refuses_with_the_hours(limited_app, clock):
    hub = limited_app.extensions["antrian"]
    kiosk = hub.accounts.add_device("kiosk-1", "kiosk")
    client = limited_app.test_client()
    clock.advance(9 * 3600)  # 17:00 WIB
    refused = take(client, kiosk, service="ak1-perpanjangan")
    assert refused.status_code == 409
    assert "Layanan sedang tutup" in refused.json["error"]
    assert "Jumat 07.30-11.00" in refused.json["error"]
    states = client.get("/kiosk/availability", headers=bearer(kiosk)).json["services"]
    assert not any(s["open"] for s in states)


def test_phone_page_shows_the_ticket_without_personal_data(client, tokens):
    body = take(client, tokens.kiosk).json
    token = body["status_url"].rsplit("/", 1)[1]
    page = client.get(f"/t/{token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "A-001" in html and "Kartu AK1" in html
    status = client.get(f"/t/{token}.json").json
    assert status["state"] == "waiting"
    assert "status_token" not in status and "issued_by" not in status


def test_unknown_status_token_says_tickets_last_one_day(client):
    page = client.get("/t/not-a-real-token")
    assert page.status_code == 404
    assert "hanya berlaku pada hari diambil" in page.get_data(as_text=True)


@pytest.fixture
def printer_app(settings, app_with):
    """The hub with a network printer; each test points it at a TestPrinter or a closed port."""

    def build(port: int):
        printer = settings.printer.model_copy(
            update={"type": "network", "host": "127.0.0.1", "port": port, "timeout_seconds": 0.5}
        )
        app = app_with(printer=printer)
        return app, app.extensions["antrian"].accounts.add_device("kiosk-1", "kiosk")

    return build


def test_ticket_is_printed_on_the_network_printer(printer_app):
    with TestPrinter() as printer:
        app, kiosk = printer_app(printer.port)
        body = take(app.test_client(), kiosk).json
        job = printer.wait_for_job()
    assert body["printed"] is True and body["print_error"] is None
    assert b"A-001" in job and body["status_url"].encode() in job


def test_printer_fault_keeps_the_ticket_and_alerts_staff(printer_app, tokens, caplog):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    app, kiosk = printer_app(closed)
    hub = app.extensions["antrian"]
    hub.accounts.add_user("budi", "officer", PASSWORD)
    client = app.test_client()
    officer = client.post("/api/login", json={"username": "budi", "password": PASSWORD}).json[
        "token"
    ]
    staff_screen = hub.socketio.test_client(app, auth={"token": officer})
    staff_screen.get_received()

    response = take(client, kiosk)
    assert response.status_code == 201
    body = response.json
    assert body["ticket"]["number"] == "A-001"  # the ticket exists whatever the printer does
    assert body["printed"] is False
    assert body["print_error"] == (
        "Printer bermasalah, silakan catat/foto nomor Anda dan hubungi petugas."
    )
    alerts = client.get("/api/alerts", headers=bearer(officer)).json["alerts"]
    assert alerts[0]["device"] == "printer"
    # Where the printer lives and what the socket said: the admin's log, not the staff screen.
    assert "detail" not in alerts[0] and "127.0.0.1" not in str(alerts)
    assert f"127.0.0.1:{closed} unreachable" in caplog.text
    pushed = [m["args"][0] for m in staff_screen.get_received() if m["name"] == "device_alert"]
    assert pushed and pushed[0]["device"] == "printer"
    status = client.get(f"/api/tickets/{body['ticket']['id']}").json
    assert status["state"] == "waiting"

    failed_reprint = client.post(
        f"/kiosk/tickets/{body['ticket']['number']}/print", headers=bearer(officer)
    )
    assert failed_reprint.status_code == 503
    staff_screen.disconnect()


def test_officer_reprints_once_the_printer_is_back(printer_app):
    with TestPrinter() as printer:
        app, kiosk = printer_app(printer.port)
        hub = app.extensions["antrian"]
        hub.accounts.add_user("budi", "officer", PASSWORD)
        client = app.test_client()
        take(client, kiosk)
        printer.wait_for_job()
        officer = client.post("/api/login", json={"username": "budi", "password": PASSWORD}).json[
            "token"
        ]
        reprint = client.post("/kiosk/tickets/A-001/print", headers=bearer(officer))
        assert reprint.status_code == 200
        assert b"A-001" in printer.wait_for_job()
        assert client.post("/kiosk/tickets/A-001/print", headers=bearer(kiosk)).status_code == 403


def test_only_the_officer_at_the_counter_or_a_supervisor_reprints_a_ticket_being_served(
    printer_app,
):
    with TestPrinter() as printer:
        app, kiosk = printer_app(printer.port)
        hub = app.extensions["antrian"]
        client = app.test_client()
        tokens = {}
        for name, role in (("budi", "officer"), ("sari", "officer"), ("kasi", "supervisor")):
            hub.accounts.add_user(name, role, PASSWORD)
            login = {"username": name, "password": PASSWORD}
            tokens[name] = client.post("/api/login", json=login).json["token"]
        take(client, kiosk)
        printer.wait_for_job()
        client.post("/api/counters/1/call-next", headers=bearer(tokens["budi"]))
        refused = client.post("/kiosk/tickets/A-001/print", headers=bearer(tokens["sari"]))
        assert refused.status_code == 409
        assert "dipegang petugas 'budi'" in refused.json["error"]
        for name in ("budi", "kasi"):
            answer = client.post("/kiosk/tickets/A-001/print", headers=bearer(tokens[name]))
            assert answer.status_code == 200
            assert b"A-001" in printer.wait_for_job()

"""The office calendar and a supervisor closing a service for the day, as the kiosk sees them."""

from __future__ import annotations

from datetime import date

from shared.config import HolidayConfig
from shared.domain.events import event_from_data
from shared.domain.office_day import OfficeDay
from tests.web.conftest import bearer


def close(client, token, service="ak1-baru", reason="Blangko kartu habis"):
    return client.post(
        f"/api/services/{service}/close", json={"reason": reason}, headers=bearer(token)
    )


def availability(client, tokens, code="ak1-baru"):
    response = client.get("/kiosk/availability", headers=bearer(tokens.kiosk))
    assert response.status_code == 200
    return next(s for s in response.json["services"] if s["code"] == code)


def test_a_closed_service_is_refused_at_the_kiosk_with_the_supervisors_reason(client, tokens, api):
    assert close(client, tokens.supervisor).status_code == 200
    shown = availability(client, tokens)
    assert shown["open"] is False
    assert shown["reason"] == (
        "Layanan Kartu AK1 (Kartu Pencari Kerja) - Baru ditutup untuk hari ini: "
        "Blangko kartu habis."
    )
    refused = api.issue("ak1-baru")
    assert refused.status_code == 409
    assert "Blangko kartu habis" in refused.json["error"]
    assert api.issue("ak1-perpanjangan").status_code == 201  # the rest of the office goes on
    reopened = client.post("/api/services/ak1-baru/reopen", headers=bearer(tokens.supervisor))
    assert reopened.status_code == 200
    assert availability(client, tokens)["open"] is True
    assert api.issue("ak1-baru").status_code == 201


def test_the_closure_is_an_event_that_survives_a_restart_of_the_hub(app, hub, client, tokens):
    close(client, tokens.supervisor, service="id-ctki", reason="Siskotkln gangguan")
    stored = hub.store.read(hub.queue.stream_name(date(2026, 11, 23)))
    assert [e.type for e in stored][-1] == "ServiceClosed"
    assert stored[-1].data["by"] == "kasi"
    assert stored[-1].data["reason"] == "Siskotkln gangguan"
    refolded = OfficeDay()
    for event in stored:  # as a restarted hub folds the day again
        refolded.apply(event_from_data(event.type, event.data))
    assert refolded.closed_services == {"id-ctki": "Siskotkln gangguan"}


def test_only_supervisors_close_a_service_and_bad_input_is_explained(client, tokens):
    assert close(client, tokens.officer).status_code == 403
    assert close(client, tokens.kiosk).status_code == 403
    empty = close(client, tokens.supervisor, reason="")
    assert empty.status_code == 400
    unknown = close(client, tokens.supervisor, service="paspor")
    assert unknown.status_code == 404
    too_long = close(client, tokens.supervisor, reason="x" * 201)
    assert too_long.status_code == 400
    not_closed = client.post("/api/services/ak1-baru/reopen", headers=bearer(tokens.supervisor))
    assert not_closed.status_code == 409
    assert not_closed.json["error"].startswith("Layanan Kartu AK1")


def test_public_screens_hear_the_closure_at_once(connect, client, tokens):
    kiosk = connect({"token": tokens.kiosk})
    kiosk.get_received()
    close(client, tokens.supervisor)
    news = [m for m in kiosk.get_received() if m["name"] == "queue_changed"]
    assert news, "the kiosk must hear that a service closed"
    services = {s["code"]: s for s in news[-1]["args"][0]["services"]}
    assert services["ak1-baru"]["closed_reason"] == "Blangko kartu habis"
    assert services["ak1-perpanjangan"]["closed_reason"] is None


def test_a_holiday_closes_the_kiosk_with_its_name(app_with, settings):
    office = settings.office.model_copy(
        update={"holidays": (HolidayConfig(date=date(2026, 11, 23), name="Cuti bersama"),)}
    )
    app = app_with(office=office)
    kiosk = app.extensions["antrian"].accounts.add_device("kiosk-1", "kiosk")
    client = app.test_client()
    shown = client.get("/kiosk/availability", headers=bearer(kiosk)).json["services"][0]
    assert shown["open"] is False
    assert shown["reason"] == (
        "Hari ini libur: Cuti bersama. Pengambilan nomor dibuka kembali Selasa, 24 November 2026."
    )
    refused = client.post("/api/tickets", json={"service": "ak1-baru"}, headers=bearer(kiosk))
    assert refused.status_code == 409
    assert refused.json["error"].startswith("Hari ini libur: Cuti bersama.")

"""The JSON API through Flask's test client, against a real SQLite store."""

from __future__ import annotations

import pytest

from tests.web.conftest import bearer


def test_health_is_public_and_names_the_office(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["office"] == "disnaker-lamongan"


def test_services_are_public_with_steps_and_requirements(client):
    services = {s["code"]: s for s in client.get("/api/services").json["services"]}
    assert services["ak1-baru"]["total_minutes"] == 15
    assert services["ak1-baru"]["cost"] == "Gratis" and services["ak1-baru"]["free"] is True
    assert "Kartu AK1 lama" in " ".join(services["ak1-perpanjangan"]["requirements"])
    assert services["ak1-baru"]["steps"][0]["number"] == 1


def test_queue_needs_credentials(client):
    response = client.get("/api/queue")
    assert response.status_code == 401
    assert "masuk" in response.json["error"]


def test_issue_ticket_returns_number_place_and_wait(api):
    first = api.issue()
    assert first.status_code == 201
    body = first.json
    assert (body["number"], body["service"], body["state"], body["ahead"]) == (
        "A-001",
        "ak1-baru",
        "waiting",
        0,
    )
    assert body["issued_at"].startswith("2026-11-23T01:00")
    assert body["status_url"].startswith("http://localhost/t/")
    second = api.issue().json
    assert second["number"] == "A-002"
    assert second["ahead"] == 1
    assert second["estimated_wait_minutes"] > 0


def test_unknown_service_is_404_and_changes_nothing(api):
    before = api.queue()["version"]
    response = api.issue("paspor-palsu")
    assert response.status_code == 404
    assert response.json["error"] == "Layanan 'paspor-palsu' tidak dikenal."
    assert api.queue()["version"] == before


def test_malformed_bodies_are_400(api, client, tokens):
    response = client.post(
        "/api/tickets",
        data="{not json",
        headers={**bearer(tokens.kiosk), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert "JSON" in response.json["error"]
    assert api.issue(service=None).status_code == 400
    assert api.counter("1", "return", {"reason": 5.5}).status_code == 400


def test_repeated_tap_returns_the_same_ticket(api):
    first = api.issue(request_id="tap-42")
    again = api.issue(request_id="tap-42")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["id"] == first.json["id"]
    assert api.queue()["services"][0]["waiting"] == 1


def test_public_ticket_status_has_no_secrets(api, client):
    ticket = api.issue().json
    status = client.get(f"/api/tickets/{ticket['id']}")
    assert status.status_code == 200
    assert status.json["number"] == "A-001"
    assert "status_token" not in status.json
    assert client.get("/api/tickets/nope").status_code == 404


def test_wrong_role_is_403(api, tokens):
    api.issue()
    response = api.counter("1", "call-next", token=tokens.kiosk)
    assert response.status_code == 403
    display_issue = api.client.post(
        "/api/tickets", json={"service": "ak1-baru"}, headers=bearer(tokens.display)
    )
    assert display_issue.status_code == 403


def test_bad_tokens_and_passwords_are_401(client, tokens):
    assert client.get("/api/queue", headers=bearer("forged")).status_code == 401
    wrong = client.post("/api/login", json={"username": "budi", "password": "salah-sekali"})
    assert wrong.status_code == 401
    assert wrong.json["error"] == "Nama pengguna atau kata sandi salah."


def test_one_ticket_through_every_step(api, clock):
    ticket = api.issue().json
    called = api.counter("1", "call-next")
    assert called.status_code == 200
    assert called.json["counter"]["ticket"]["number"] == ticket["number"]
    assert called.json["counter"]["ticket"]["call_count"] == 1
    assert api.counter("1", "start").json["counter"]["ticket"]["state"] == "serving"
    for expected_step in range(2, 9):
        clock.advance(60)
        state = api.counter("1", "next-step").json["counter"]["ticket"]
        assert state["step"]["number"] == expected_step
    finished = api.counter("1", "finish")
    assert finished.status_code == 200, finished.json
    assert finished.json["counter"]["ticket"] is None
    assert api.client.get(f"/api/tickets/{ticket['id']}").json["state"] == "done"


def test_double_call_next_is_refused_until_recalled_max_times(api):
    api.issue()
    api.issue()
    api.counter("1", "call-next")
    second = api.counter("1", "call-next")
    assert second.status_code == 409
    assert "panggil ulang atau lewati" in second.json["error"]
    assert api.queue()["counters"][0]["ticket"]["number"] == "A-001"
    assert api.counter("1", "recall").json["counter"]["ticket"]["call_count"] == 2
    assert api.counter("1", "recall").json["counter"]["ticket"]["call_count"] == 3
    assert api.counter("1", "recall").status_code == 409
    moved_on = api.counter("1", "call-next").json["counter"]["ticket"]
    assert moved_on["number"] == "A-002"


def test_skip_reinstate_and_call_a_chosen_number(api):
    api.issue()
    api.counter("1", "call-next")
    assert api.counter("1", "skip").json["counter"]["ticket"] is None
    assert api.counter("1", "reinstate", {"ticket": "A-001"}).status_code == 200
    chosen = api.counter("2", "call-next", {"ticket": "a1"})
    assert chosen.json["counter"]["ticket"]["number"] == "A-001"


def test_return_needs_a_reason(api):
    api.issue()
    api.counter("1", "call-next")
    api.counter("1", "start")
    missing = api.counter("1", "return", {})
    assert (missing.status_code, missing.json["error"]) == (
        422,
        "Sebutkan berkas yang kurang (alasan pengembalian).",
    )
    returned = api.counter("1", "return", {"reason": "Fotokopi KTP belum ada"})
    assert returned.status_code == 200
    assert returned.json["counter"]["ticket"] is None


def test_transfer_keeps_the_number(api):
    ticket = api.issue().json
    api.counter("1", "call-next")
    api.counter("1", "start")
    assert api.counter("1", "transfer", {"counter": "konseling"}).status_code == 200
    at_desk = api.counter("konseling", "call-next").json["counter"]["ticket"]
    assert (at_desk["id"], at_desk["number"]) == (ticket["id"], "A-001")


@pytest.mark.parametrize(
    ("action", "status", "fragment"),
    [
        ("start", 409, "Belum ada nomor"),
        ("finish", 409, "Belum ada nomor"),
        ("call-next", 409, "Tidak ada nomor antrian"),
        ("fly", 400, "tidak dikenal"),
    ],
)
def test_commands_in_the_wrong_state_are_refused_clearly(api, action, status, fragment):
    response = api.counter("1", action)
    assert response.status_code == status
    assert fragment in response.json["error"]


def test_unknown_counter_is_404(api):
    response = api.counter("99", "call-next")
    assert response.status_code == 404
    assert "Loket '99'" in response.json["error"]


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert "error" in response.json


def test_cookie_session_needs_csrf_for_changes(client, tokens):
    page = client.get("/login")
    csrf = _csrf_from(page.get_data(as_text=True))
    signed_in = client.post(
        "/login", data={"username": "budi", "password": "rahasia-petugas", "csrf_token": csrf}
    )
    assert signed_in.status_code == 302
    # Signing in starts a fresh session (against session fixation), with a fresh CSRF token.
    old_csrf, csrf = csrf, _csrf_from(client.get("/counter").get_data(as_text=True))
    assert csrf != old_csrf
    client.post("/api/tickets", json={"service": "ak1-baru"}, headers={"X-CSRF-Token": csrf})
    without = client.post("/api/counters/1/call-next", json={})
    assert without.status_code == 403
    assert "CSRF" in without.json["error"]
    with_token = client.post("/api/counters/1/call-next", json={}, headers={"X-CSRF-Token": csrf})
    assert with_token.status_code == 200


def test_login_form_refuses_missing_csrf(client, tokens):
    response = client.post("/login", data={"username": "budi", "password": "rahasia-petugas"})
    assert response.status_code == 403


def test_pages_send_strangers_to_sign_in_or_pair(client):
    assert client.get("/counter").headers["Location"].startswith("/login")
    assert client.get("/kiosk").headers["Location"].startswith("/pair")
    assert client.get("/display").headers["Location"].startswith("/pair")


def test_pairing_a_kiosk_opens_the_kiosk_page(client, tokens):
    csrf = _csrf_from(client.get("/pair").get_data(as_text=True))
    bad = client.post("/pair", data={"token": "nope", "csrf_token": csrf})
    assert bad.status_code == 401
    paired = client.post("/pair", data={"token": tokens.kiosk, "csrf_token": csrf})
    assert paired.headers["Location"] == "/kiosk"
    assert client.get("/kiosk").status_code == 200
    assert client.get("/counter").status_code == 403


def _csrf_from(html: str) -> str:
    marker = 'name="csrf-token" content="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def return_with(api, reason: str) -> str:
    """Issue, serve and return a ticket with this reason; the ticket id."""
    ticket = api.issue().json
    api.counter("1", "call-next")
    api.counter("1", "start")
    assert api.counter("1", "return", {"reason": reason}).status_code == 200
    return ticket["id"]


def test_public_status_names_a_missing_requirement_but_never_free_text(api, client):
    listed = return_with(api, "Fotokopi KTP (1 lembar)")
    assert client.get(f"/api/tickets/{listed}").json["return_reason"] == "Fotokopi KTP (1 lembar)"
    typed = return_with(api, "Ibu Sari, NIK 3524xxxx: KTP palsu?")
    assert client.get(f"/api/tickets/{typed}").json["return_reason"] == "Berkas belum lengkap"


def skipped_at_loket_3(api) -> str:
    """An ID CTKI ticket (Loket 3's service) called and skipped there by another officer."""
    api.issue("id-ctki")
    api.counter("3", "call-next", token=api.tokens.supervisor)
    api.counter("3", "skip", token=api.tokens.supervisor)
    return "C-001"


@pytest.mark.parametrize("action", ["cancel", "reinstate"])
def test_an_officer_cannot_cancel_or_reinstate_another_counters_ticket(api, action):
    number = skipped_at_loket_3(api)
    refused = api.counter("1", action, {"ticket": number})
    assert refused.status_code == 409
    assert "Loket 1 tidak melayani ID CTKI" in refused.json["error"]


def test_a_supervisor_cancels_or_reinstates_any_ticket(api, tokens):
    number = skipped_at_loket_3(api)
    reinstated = api.counter("1", "reinstate", {"ticket": number}, token=tokens.supervisor)
    assert reinstated.status_code == 200
    cancelled = api.counter("2", "cancel", {"ticket": number}, token=tokens.supervisor)
    assert cancelled.status_code == 200
    assert cancelled.json["counter"]["officer"] is None  # Loket 2 was not taken on the way

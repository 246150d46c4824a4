"""Taking a counter, breaks, the officer's day and the supervisor view, over HTTP and Socket.IO."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import PASSWORD, bearer


@pytest.fixture
def sari(hub, client):
    """A second officer."""
    hub.accounts.add_user("sari", "officer", PASSWORD)
    return client.post("/api/login", json={"username": "sari", "password": PASSWORD}).json["token"]


def state(client, token, counter="1"):
    return client.get(f"/counter/state?counter={counter}", headers=bearer(token)).json


def test_a_counter_held_by_one_officer_refuses_another_and_says_who(api, client, tokens, sari):
    assert api.counter("1", "open").status_code == 200
    refused = api.counter("1", "open", token=sari)
    assert refused.status_code == 409
    assert "Loket 1 sedang dipegang petugas 'budi' sejak pukul 08.00" in refused.json["error"]
    api.issue()
    assert api.counter("1", "call-next", token=sari).status_code == 409
    held = state(client, sari)
    assert (held["officer"], held["me"], held["allowed"]) == ("budi", "sari", [])
    assert api.counter("1", "close").status_code == 200
    assert api.counter("1", "call-next", token=sari).status_code == 200
    assert state(client, sari)["officer"] == "sari"


def test_leaving_a_counter_with_a_ticket_still_there_is_refused(api):
    api.issue()
    api.counter("1", "call-next")
    refused = api.counter("1", "close")
    assert refused.status_code == 409
    assert refused.json["error"].startswith("Nomor A-001 masih di Loket 1")


def test_a_break_stops_calls_is_announced_and_recorded(api, client, tokens, hub, app, clock):
    socket = hub.socketio.test_client(app, auth={"token": tokens.supervisor})
    tv = hub.socketio.test_client(app, auth={"token": tokens.display})
    socket.get_received()
    tv.get_received()
    api.issue()
    api.issue()
    api.counter("2", "call-next")
    api.counter("1", "open")
    assert api.counter("1", "pause", {"reason": "Sholat"}).status_code == 200
    paused = [m for m in socket.get_received() if m["name"] == "counter_paused"]
    assert paused[0]["args"][0]["counter"]["paused_since"] == "2026-11-23T01:00:00+00:00"
    # Who is on a break, and why, is for staff; the waiting room is not told.
    assert not [m for m in tv.get_received() if m["name"] == "counter_paused"]
    refused = api.counter("1", "call-next")
    assert refused.status_code == 409 and "istirahat" in refused.json["error"]
    assert api.queue()["counters"][0]["pause_reason"] == "Sholat"
    # With Loket 1 on a break, A-003 waits for Loket 2 alone: 1 ahead x 15 min / 1 counter.
    third = api.issue().json
    assert third["estimated_wait_minutes"] == 15
    clock.advance(20 * 60)
    api.counter("1", "resume")
    assert state(client, tokens.officer)["today"]["break_minutes"] == 20.0
    again = client.get(f"/api/tickets/{third['id']}").json
    assert again["estimated_wait_minutes"] == 8  # back to two counters: 15 / 2, rounded up
    assert api.counter("1", "call-next").json["counter"]["ticket"]["number"] == "A-002"
    socket.disconnect()


def test_the_officers_day_and_waiting_time_on_the_panel(api, client, tokens, clock):
    for _ in range(3):
        api.issue()
    clock.advance(5 * 60)
    api.counter("1", "call-next")
    called = state(client, tokens.officer)
    assert called["waiting_standard_minutes"] == 3
    ticket = called["ticket"]
    assert (ticket["issued_at"], ticket["first_called_at"]) == (
        "2026-11-23T01:00:00+00:00",
        "2026-11-23T01:05:00+00:00",
    )
    api.counter("1", "start")
    for _ in range(8):
        clock.advance(60)
        api.counter("1", "next-step")
    clock.advance(60)
    assert api.counter("1", "finish").status_code == 200
    api.counter("1", "call-next")
    api.counter("1", "skip")
    api.counter("1", "call-next")
    api.counter("1", "start")
    api.counter("1", "transfer", {"counter": "konseling"})
    assert state(client, tokens.officer)["today"] == {
        "served": 1,
        "skipped": 1,
        "returned": 0,
        "transferred": 1,
        "mean_service_minutes": 9.0,
        "mean_standard_minutes": 15.0,
        "within_standard_percent": 100,
        "break_minutes": 0.0,
        "came_back": 0,
        "not_entered_online": 0,
    }


def test_handing_a_step_over_marks_it_on_the_ticket(api, client, tokens):
    api.issue("id-ctki")
    api.counter("3", "call-next")
    api.counter("3", "start")
    for _ in range(3):
        api.counter("3", "next-step")
    handed = api.counter("3", "hand-over")
    assert handed.status_code == 200
    ticket = handed.json["counter"]["ticket"]
    assert ticket["handed_over"] == {"4": ticket["step"]["actor"]}
    assert api.counter("3", "hand-over").status_code == 409


def test_panel_lists_numbers_to_call_by_number_and_places_to_transfer_to(api, client, tokens):
    api.issue()
    api.issue("id-ctki")
    api.counter("1", "call-next")
    api.counter("1", "skip")
    panel = state(client, tokens.officer)
    assert panel["callable"] == [{"number": "A-001", "state": "skipped"}]
    assert {"id": "konseling", "name": "Meja Konseling"} in panel["transfer_to"]["counters"]
    assert all(k["id"] != "1" for k in panel["transfer_to"]["counters"])
    api.counter("1", "call-next", {"ticket": "A-001"})
    api.counter("1", "start")
    api.counter("1", "transfer", {"counter": "3"})
    loket3 = state(client, tokens.officer, counter="3")
    assert loket3["sent_here"] == {"waiting": 1, "next_numbers": ["A-001"]}
    assert loket3["waiting"][0]["next_numbers"] == ["C-001"]


def test_supervisor_view_needs_a_supervisor(client, tokens):
    assert client.get("/supervisor/state", headers=bearer(tokens.officer)).status_code == 403
    assert client.get("/supervisor/state", headers=bearer(tokens.supervisor)).status_code == 200
    assert api_post(client, tokens.officer, "/api/counters/1/release").status_code == 403


def api_post(client, token, url, body=None):
    return client.post(url, json=body or {}, headers=bearer(token))


def test_supervisor_sees_counters_long_waits_and_alerts(api, client, tokens, hub, clock):
    api.issue()
    api.issue()
    api.counter("1", "call-next")
    api.counter("1", "start")
    clock.advance(31 * 60)
    hub.raise_alert("printer", "Printer bermasalah", "paper out (status 0x0c)", clock())
    view = client.get("/supervisor/state", headers=bearer(tokens.supervisor)).json
    loket1 = view["counters"][0]
    assert (loket1["officer"], loket1["ticket"]["number"], loket1["service_total_minutes"]) == (
        "budi",
        "A-001",
        15,
    )
    assert loket1["ticket"]["step"]["started_at"] == "2026-11-23T01:00:00+00:00"
    assert [w["number"] for w in view["long_waits"]] == ["A-002"]
    assert view["long_waits"][0]["minutes_in_office"] == 31
    assert view["alerts"][0]["detail"] == "paper out (status 0x0c)"
    assert view["services"][0]["waits"] == {
        "called": 1,
        "mean_minutes": 0.0,
        "within_standard_percent": 100,
    }
    first_step = next(s for s in view["steps"] if s["service"] == "ak1-baru")
    assert (first_step["number"], first_step["visits"]) == (1, 0)  # still at step 1


def test_supervisor_pulls_a_ticket_back_and_sends_another_to_a_counter(api, client, tokens):
    api.issue()
    api.issue()
    api.counter("1", "call-next")
    api.counter("1", "start")
    pulled = api_post(client, tokens.supervisor, "/api/tickets/A-001/reassign")
    assert (pulled.status_code, pulled.json["state"]) == (200, "waiting")
    sent = api_post(client, tokens.supervisor, "/api/tickets/A-002/reassign", {"counter": "3"})
    assert sent.json["target_counter"] == "3"
    assert api.counter("3", "call-next").json["counter"]["ticket"]["number"] == "A-002"
    assert api.counter("1", "call-next").json["counter"]["ticket"]["number"] == "A-001"
    missing = api_post(client, tokens.supervisor, "/api/tickets/Z-404/reassign")
    assert missing.status_code == 404


def test_supervisor_frees_a_counter_left_held(api, client, tokens, sari):
    api.issue()
    api.counter("1", "call-next")
    refused = api_post(client, tokens.supervisor, "/api/counters/1/release")
    assert refused.status_code == 409 and "tarik ke antrean" in refused.json["error"]
    api_post(client, tokens.supervisor, "/api/tickets/A-001/reassign")
    assert api_post(client, tokens.supervisor, "/api/counters/1/release").status_code == 200
    assert api.counter("1", "open", token=sari).status_code == 200


def test_break_and_take_over_over_socketio_are_acknowledged(app, hub, tokens, api, sari):
    api.issue()
    budi = hub.socketio.test_client(app, auth={"token": tokens.officer, "counter": "1"})
    other = hub.socketio.test_client(app, auth={"token": sari, "counter": "1"})
    assert budi.emit("pause", {"counter": "1", "reason": "Rapat"}, callback=True)["ok"] is True
    refused = budi.emit("call_next", {"counter": "1"}, callback=True)
    assert refused == {"ok": False, "error": refused["error"]} and "istirahat" in refused["error"]
    taken = other.emit("open", {"counter": "1"}, callback=True)
    assert not taken["ok"] and "'budi'" in taken["error"]
    assert budi.emit("resume", {"counter": "1"}, callback=True)["ok"] is True
    called = budi.emit("call_next", {"counter": "1"}, callback=True)
    assert called["counter"]["ticket"]["number"] == "A-001"
    budi.disconnect()
    other.disconnect()


def test_a_display_that_drops_off_is_an_alert_until_it_is_back(app, hub, client, tokens):
    def alerts():
        return client.get("/api/alerts", headers=bearer(tokens.supervisor)).json["alerts"]

    tv = hub.socketio.test_client(app, auth={"token": tokens.display})
    second_tab = hub.socketio.test_client(app, auth={"token": tokens.display})
    tv.disconnect()
    assert alerts() == []  # the same display is still connected
    second_tab.disconnect()
    (alert,) = alerts()
    assert alert["device"] == "display:tv-1"
    assert alert["message"] == "Layar ruang tunggu 'tv-1' terputus dari sistem antrian."
    back = hub.socketio.test_client(app, auth={"token": tokens.display})
    assert alerts() == []
    back.disconnect()


def test_a_past_day_is_reported_against_the_standards(api, client, tokens, clock):
    api.issue()
    api.counter("1", "call-next")
    api.counter("1", "start")
    for _ in range(8):
        clock.advance(150)
        api.counter("1", "next-step")
    clock.advance(150)
    api.counter("1", "finish")  # 22.5 minutes against AK1's 15
    clock.advance(24 * 3600)  # the next office day
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"username": "kasi", "password": PASSWORD, "csrf_token": csrf})
    page = client.get("/supervisor/report?date=2026-11-23")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Pelayanan Senin, 23 November 2026" in html
    assert "<td>Loket 1</td><td>1</td><td>0</td><td>0</td><td>0</td>" in html
    assert '<td class="over">22,5 menit</td>' in html
    today = client.get("/supervisor/report").get_data(as_text=True)
    assert "Pelayanan Selasa, 24 November 2026" in today
    assert "Nomor antrian diambil: <strong>0</strong>" in today
    future = client.get("/supervisor/report?date=2026-12-01")
    assert future.status_code == 400 and "belum terjadi" in future.get_data(as_text=True)
    assert client.get("/supervisor/report?date=kemarin").status_code == 400


def test_going_back_a_step_is_recorded_and_announced_as_such(api, hub, app, tokens):
    api.issue()
    api.counter("1", "call-next")
    api.counter("1", "start")
    api.counter("1", "next-step")
    api.counter("1", "next-step")
    screen = hub.socketio.test_client(app, auth={"token": tokens.officer, "counter": "1"})
    screen.get_received()
    back = api.counter("1", "previous-step", {"step": 2})  # "jika salah kembali ke langkah 2"
    assert back.json["counter"]["ticket"]["step"]["number"] == 2
    fact = next(m["args"][0] for m in screen.get_received() if m["name"] == "step_changed")
    assert (fact["event"]["from_step"], fact["event"]["to_step"]) == (2, 1)  # 0-based in events
    stored = hub.store.read(hub.queue.stream_name(hub.queue.office_date()))
    assert stored[-1].type == "StepChanged"
    assert (stored[-1].data["from_step"], stored[-1].data["to_step"]) == (2, 1)
    screen.disconnect()

"""The counter panel's state: the ticket, its SOP steps, and what may be pressed now."""

from __future__ import annotations

from tests.web.conftest import bearer


def state(client, token, counter="1"):
    return client.get(f"/counter/state?counter={counter}", headers=bearer(token))


def test_state_lists_allowed_actions_and_the_steps(api, client, tokens, clock):
    assert state(client, tokens.officer).json["allowed"] == []
    api.issue()
    idle = state(client, tokens.officer).json
    assert idle["allowed"] == ["call_next", "call_number"]
    assert idle["next_number"] == "A-001"
    assert idle["waiting"][0] == {
        "code": "ak1-baru",
        "name": "Kartu AK1 (Kartu Pencari Kerja) - Baru",
        "prefix": "A",
        "waiting": 1,
        "next_numbers": ["A-001"],
        "priority_numbers": [],
    }
    assert idle["next_reason"] == "paling lama menunggu"
    assert idle["sent_here"] == {"waiting": 0, "next_numbers": [], "priority_numbers": []}
    api.counter("1", "call-next")
    api.counter("1", "start")
    clock.advance(90)
    serving = state(client, tokens.officer).json
    assert serving["ticket"]["step"]["number"] == 1
    assert serving["service"]["steps"][0]["minutes"] == 1
    assert serving["server_time"].startswith("2026-11-23T01:0")
    assert "next_step" in serving["allowed"] and "call_next" not in serving["allowed"]


def test_state_needs_staff_and_a_known_counter(client, tokens):
    assert client.get("/counter/state?counter=1").status_code == 401
    assert state(client, tokens.display).status_code == 403
    assert state(client, tokens.officer, counter="99").status_code == 404

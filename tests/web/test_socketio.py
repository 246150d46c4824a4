"""Socket.IO: who may connect, what they receive, and counter commands with acks."""

from __future__ import annotations

import json


def names(received) -> list[str]:
    return [message["name"] for message in received]


def first(received, name):
    return next(m["args"][0] for m in received if m["name"] == name)


def test_strangers_cannot_connect(connect):
    assert not connect().is_connected()
    assert not connect({"token": "forged"}).is_connected()


def test_display_gets_a_snapshot_on_connect(connect, api, tokens):
    api.issue()
    display = connect({"token": tokens.display})
    assert display.is_connected()
    snapshot = first(display.get_received(), "snapshot")
    assert snapshot["services"][0]["waiting"] == 1


def test_a_call_reaches_the_display(connect, api, tokens):
    api.issue()
    display = connect({"token": tokens.display})
    display.get_received()
    api.counter("1", "call-next")
    received = display.get_received()
    assert names(received)[-2:] == ["ticket_called", "queue_changed"]
    called = first(received, "ticket_called")
    assert called["ticket"]["number"] == "A-001"
    assert called["ticket"]["counter_name"] == "Loket 1"
    # The waiting room learns the number and the counter, never who serves there or who
    # is next at that counter.
    assert "officer" not in called["event"]
    assert "counter" not in called
    assert "officer" not in json.dumps(received)


def test_staff_screens_get_the_whole_fact(connect, api, tokens):
    api.issue()
    api.issue()
    screen = connect({"token": tokens.supervisor})
    screen.get_received()
    api.counter("1", "call-next")
    called = first(screen.get_received(), "ticket_called")
    assert called["counter"]["name"] == "Loket 1"
    assert called["counter"]["next_number"] == "A-002"
    assert called["event"]["officer"] == "budi"


def test_the_public_overview_names_no_officer(api, tokens):
    api.issue()
    api.counter("1", "call-next")
    for device in (tokens.display, tokens.kiosk):
        overview = api.queue(device)
        assert overview["counters"][0]["ticket"]["number"] == "A-001"
        assert "officer" not in json.dumps(overview)
        assert "next_number" not in json.dumps(overview)
    assert api.queue()["counters"][0]["officer"] == "budi"


def test_issued_fact_does_not_leak_the_status_token(connect, api, tokens):
    staff = connect({"token": tokens.supervisor})
    display = connect({"token": tokens.display})
    staff.get_received()
    display.get_received()
    api.issue()
    issued = first(staff.get_received(), "ticket_issued")
    assert "status_token" not in issued["event"]
    # The waiting room draws calls, not issues: it gets the new count only.
    assert names(display.get_received()) == ["queue_changed"]


def test_pages_that_ask_for_less_get_only_their_counters_facts(connect, api, tokens):
    api.issue()
    api.issue()
    api.counter("1", "open")
    loket1 = connect({"token": tokens.officer, "counter": "1", "facts": "counter"})
    loket2 = connect({"token": tokens.officer, "counter": "2", "facts": "counter"})
    loket1.get_received()
    loket2.get_received()
    api.counter("1", "call-next")
    assert names(loket1.get_received()) == ["ticket_called", "queue_changed"]
    assert names(loket2.get_received()) == ["queue_changed"]
    # A step changes only that counter: its panel and the supervisor hear it, the other
    # panels and the TVs hear nothing of it.
    display = connect({"token": tokens.display})
    supervisor = connect({"token": tokens.supervisor, "facts": "none"})
    display.get_received()
    supervisor.get_received()
    api.counter("1", "start")
    api.counter("1", "next-step")
    assert names(loket1.get_received()) == ["ticket_started", "queue_changed"] + [
        "step_changed",
        "queue_changed",
    ]
    assert names(loket2.get_received()) == []
    assert names(supervisor.get_received()) == ["queue_changed", "queue_changed"]
    assert names(display.get_received()) == ["ticket_started"]


def test_counter_commands_over_socket_are_acked(connect, api, tokens):
    api.issue()
    officer = connect({"token": tokens.officer, "counter": "1"})
    ack = officer.emit("call_next", {"counter": "1"}, callback=True)
    assert ack["ok"] is True
    assert ack["counter"]["ticket"]["number"] == "A-001"
    refused = officer.emit("call_next", {"counter": "1"}, callback=True)
    assert refused == {
        "ok": False,
        "error": "Nomor A-001 baru dipanggil 1 dari 3 kali: panggil ulang atau lewati dulu.",
    }
    assert (
        officer.emit("recall", {"counter": "1"}, callback=True)["counter"]["ticket"]["call_count"]
        == 2
    )
    assert officer.emit("call_next", {}, callback=True)["ok"] is False


def test_counter_screens_get_their_own_counter_updates(connect, api, tokens):
    api.issue()
    screen = connect({"token": tokens.officer, "counter": "2"})
    screen.get_received()
    api.counter("2", "call-next")
    # One copy, though the screen is in both the staff room and its counter's room.
    assert names(screen.get_received()).count("ticket_called") == 1


def test_devices_cannot_run_counter_commands(connect, api, tokens):
    api.issue()
    kiosk = connect({"token": tokens.kiosk})
    ack = kiosk.emit("call_next", {"counter": "1"}, callback=True)
    assert ack == {"ok": False, "error": "Anda tidak berwenang melakukan ini."}


def test_kiosk_issues_over_socket(connect, tokens):
    kiosk = connect({"token": tokens.kiosk})
    ack = kiosk.emit("issue_ticket", {"service": "ak1-perpanjangan"}, callback=True)
    assert ack["ok"] is True
    assert ack["ticket"]["number"] == "B-001"
    unknown = kiosk.emit("issue_ticket", {"service": "xyz"}, callback=True)
    assert unknown == {"ok": False, "error": "Layanan 'xyz' tidak dikenal."}


def test_phone_follows_one_ticket_by_its_token(connect, api, hub):
    ticket = api.issue().json
    token = ticket["status_url"].rsplit("/", 1)[1]
    phone = connect({"ticket": token})
    assert first(phone.get_received(), "snapshot")["ticket"]["state"] == "waiting"
    api.counter("1", "call-next")
    called = first(phone.get_received(), "ticket_called")
    assert called["ticket"]["counter_name"] == "Loket 1"
    assert not connect({"ticket": "guess"}).is_connected()


def test_reconnect_gets_the_current_state_not_old_calls(connect, api, tokens):
    api.issue()
    display = connect({"token": tokens.display})
    display.disconnect()
    api.counter("1", "call-next")
    again = connect({"token": tokens.display})
    received = again.get_received()
    assert names(received) == ["snapshot"]
    assert first(received, "snapshot")["counters"][0]["ticket"]["number"] == "A-001"

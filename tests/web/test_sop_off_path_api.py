"""Issue 13 through the hub on both stores: Tunggu TTD, substitutes, comebacks, the backlog."""

from __future__ import annotations

import threading

import pytest

from shared import online_backlog_service
from shared.app import close_app, create_app
from shared.connections import stop_watching
from shared.domain import errors
from tests.web.conftest import PASSWORD, Api, Tokens, bearer

SIGNATURE_STEP = 7  # AK1 in config.yaml: "Tanda tangan dan cap dinas", handover, substitutes
KABID = "Kabid Penempatan"


@pytest.fixture
def app(settings, clock, store):
    """The shipped config on a fresh store, once per adapter (SQLite and Redis)."""
    app = create_app(settings, store=store, clock=clock, secret_key="test-secret")
    app.config["TESTING"] = True
    yield app
    close_app(app)


def to_signature(api: Api, counter: str = "1") -> str:
    """An AK1 number called at the counter and served up to its signature step."""
    number = api.issue().json["number"]
    assert api.counter(counter, "call-next").status_code == 200
    api.counter(counter, "start")
    for _ in range(SIGNATURE_STEP - 1):
        assert api.counter(counter, "next-step").status_code == 200
    return number


def panel(client, tokens: Tokens, counter: str = "1") -> dict:
    return client.get(f"/counter/state?counter={counter}", headers=bearer(tokens.officer)).json


def supervisor(client, tokens: Tokens) -> dict:
    return client.get("/supervisor/state", headers=bearer(tokens.supervisor)).json


def test_park_serve_others_resume_and_finish_with_the_substitute(api, client, tokens, clock):
    parked_number = to_signature(api)
    signers = panel(client, tokens)["service"]["steps"][SIGNATURE_STEP - 1]["signers"]
    assert signers == ["Pengantar Kerja/Petugas Antar Kerja", "Kasi Penempatan", KABID]
    assert "park" in panel(client, tokens)["allowed"]
    answer = api.counter("1", "park", {"signer": KABID})
    assert answer.status_code == 200, answer.json
    assert answer.json["counter"]["ticket"] is None
    (parked,) = answer.json["counter"]["parked"]
    assert (parked["number"], parked["signer"], parked["substitute"]) == (
        parked_number,
        KABID,
        True,
    )
    assert parked["step"]["number"] == SIGNATURE_STEP
    # The counter calls and serves two other numbers meanwhile, and may take a break.
    for _ in range(2):
        other = api.issue().json["number"]
        assert api.counter("1", "call-next").json["counter"]["ticket"]["number"] == other
        api.counter("1", "start")
        refused = api.counter("1", "resume-ticket", {"ticket": parked_number})
        assert refused.status_code == 409
        assert f"Nomor {other} masih di Loket 1" in refused.json["error"]
        assert "resume_ticket" not in panel(client, tokens)["allowed"]
        api.counter("1", "return", {"reason": "Fotokopi KTP (1 lembar)"})
    assert api.counter("1", "pause", {"reason": "Sholat"}).status_code == 200
    assert api.counter("1", "resume").status_code == 200
    clock.advance(600)
    watch = supervisor(client, tokens)
    (away,) = watch["parked"]
    assert away["number"] == parked_number and away["minutes_parked"] >= 10
    assert away["counter_name"] == "Loket 1"
    # The signed file is back: resume, then finish.
    back = api.counter("1", "resume-ticket", {"ticket": parked_number})
    assert back.status_code == 200, back.json
    assert back.json["counter"]["ticket"]["number"] == parked_number
    assert back.json["counter"]["parked"] == []
    assert api.counter("1", "next-step").status_code == 200
    assert api.counter("1", "finish").status_code == 200
    steps = supervisor(client, tokens)["steps"]
    signature = next(s for s in steps if s["service"] == "ak1-baru" and s["number"] == 7)
    assert signature["signed_by"] == [{"signer": KABID, "visits": 1}]
    assert signature["parked_visits"] == 1 and signature["mean_minutes"] >= 10
    report = client.get("/supervisor/report", headers=bearer(tokens.supervisor))
    assert f"TTD: {KABID} (pengganti) 1×" in report.get_data(as_text=True)


def test_parking_refusals_are_clear(api, client, tokens):
    api.issue()
    api.counter("1", "call-next")
    api.counter("1", "start")
    not_here = api.counter("1", "park")
    assert not_here.status_code == 409 and "tidak perlu diserahkan" in not_here.json["error"]
    for _ in range(SIGNATURE_STEP - 1):
        api.counter("1", "next-step")
    nobody = api.counter("1", "park", {"signer": "<b>Bupati</b>"})
    assert nobody.status_code == 422
    assert "pilih: Pengantar Kerja/Petugas Antar Kerja, Kasi Penempatan" in nobody.json["error"]
    assert api.counter("1", "park", {"signer": "x" * 81}).status_code == 400
    assert api.counter("1", "resume-ticket").status_code == 400
    unknown = api.counter("1", "resume-ticket", {"ticket": "Z-999"})
    assert unknown.status_code == 404
    assert api.counter("1", "finish", {"not_entered_online": "ya"}).status_code == 400
    assert panel(client, tokens)["ticket"]["state"] == "serving"  # nothing stored


def test_a_parked_ticket_is_never_waiting_nor_public(api, client, tokens):
    number = to_signature(api)
    api.counter("1", "park")
    queue = api.queue()
    assert all(number not in s["next_numbers"] for s in queue["services"])
    assert (
        client.get("/counter/state?counter=2", headers=bearer(tokens.officer)).json["callable"]
        == []
    )
    public = api.queue(tokens.display)
    assert "Pengantar" not in str(public) and "parked" not in str(public)


def test_a_returned_visitor_comes_back_and_is_counted(api, client, tokens):
    number = api.issue().json["number"]
    api.counter("1", "call-next")
    api.counter("1", "start")
    api.counter("1", "return", {"reason": "Pas foto 3x4 (2 lembar)"})
    api.issue()  # someone else is waiting meanwhile
    again = api.counter("2", "call-next", {"ticket": number.lower().replace("-", "")})
    assert again.status_code == 200, again.json
    assert again.json["counter"]["ticket"]["number"] == number
    api.counter("2", "start")
    for _ in range(SIGNATURE_STEP - 1):
        api.counter("2", "next-step")
    api.counter("2", "next-step")
    assert api.counter("2", "finish").status_code == 200
    counters = {k["id"]: k["today"] for k in supervisor(client, tokens)["counters"]}
    assert counters["1"]["returned"] == 1
    assert (counters["2"]["served"], counters["2"]["came_back"]) == (1, 1)
    report = client.get("/supervisor/report", headers=bearer(tokens.supervisor))
    assert "Kembali dilayani" in report.get_data(as_text=True)


def test_a_comeback_put_back_in_line_keeps_its_place(api, client, tokens):
    first = api.issue().json["number"]
    api.counter("1", "call-next")
    api.counter("1", "start")
    api.counter("1", "return", {"reason": "Fotokopi KTP (1 lembar)"})
    later = api.issue().json["number"]
    assert api.counter("1", "reinstate", {"ticket": first}).status_code == 200
    line = next(s for s in api.queue()["services"] if s["code"] == "ak1-baru")
    assert line["next_numbers"] == [first, later]  # call_rules.returned_rejoin: original_time


def finish_offline(api: Api, counter: str = "1") -> str:
    number = to_signature(api, counter)
    api.counter(counter, "next-step")
    answer = api.counter(counter, "finish", {"not_entered_online": True})
    assert answer.status_code == 200, answer.json
    return number


def backlog(client, token: str) -> dict:
    return client.get("/api/online-backlog", headers=bearer(token)).json


def test_backlog_lives_across_days_and_is_cleared_once(api, client, tokens, clock):
    number = finish_offline(api)
    listed = backlog(client, tokens.officer)
    assert listed["count"] == 1
    (entry,) = listed["entries"]
    assert (entry["number"], entry["age_days"], entry["officer"]) == (number, 0, "budi")
    assert entry["office_day_label"] == "Senin, 23 November 2026"
    assert supervisor(client, tokens)["online_backlog"] == 1
    counters = {k["id"]: k["today"] for k in supervisor(client, tokens)["counters"]}
    assert counters["1"]["not_entered_online"] == 1
    clock.advance(24 * 3600)  # the next office day: still to be entered
    (entry,) = backlog(client, tokens.officer)["entries"]
    assert entry["age_days"] == 1
    url = f"/api/online-backlog/{entry['ticket_id']}/clear"
    cleared = client.post(url, headers=bearer(tokens.supervisor))
    assert cleared.status_code == 200
    assert cleared.json["cleared_by"] == "kasi" and cleared.json["cleared_at"]
    again = client.post(url, headers=bearer(tokens.officer))
    assert again.status_code == 409
    assert "sudah diinput oleh kasi pada Selasa, 24 November 2026" in again.json["error"]
    assert backlog(client, tokens.officer)["count"] == 0
    assert supervisor(client, tokens)["online_backlog"] == 0


def test_backlog_refusals(api, client, tokens):
    assert client.get("/api/online-backlog").status_code == 401
    assert client.get("/api/online-backlog", headers=bearer(tokens.display)).status_code == 403
    unknown = client.post(
        "/api/online-backlog/" + "x" * 300 + "/clear", headers=bearer(tokens.officer)
    )
    assert unknown.status_code == 404 and len(unknown.json["error"]) < 120
    page = client.get("/supervisor/backlog", headers=bearer(tokens.officer))
    assert page.status_code == 200 and "Belum diinput online" in page.get_data(as_text=True)
    assert 'href="/supervisor"' not in page.get_data(as_text=True)  # officers cannot open it
    page = client.get("/supervisor/backlog", headers=bearer(tokens.supervisor))
    assert 'href="/supervisor"' in page.get_data(as_text=True)


def lose_backlog_entries(monkeypatch, how=lambda *args: []) -> None:
    """The backlog append after a finish writes nothing, as if the process died first."""
    monkeypatch.setattr(online_backlog_service, "entries_for", how)


def broken(*args):
    raise RuntimeError("a bug in the backlog bookkeeping")


@pytest.mark.parametrize("how", [lambda *args: [], broken], ids=["lost", "broken"])
def test_a_lost_backlog_entry_is_repaired_from_the_day(api, client, tokens, hub, monkeypatch, how):
    # As if the hub died between storing the finish and its backlog entry; or the bookkeeping
    # failed, which must not turn the officer's finish into an error.
    lose_backlog_entries(monkeypatch, how)
    finish_offline(api)
    assert hub.store.version(hub.backlog.stream) == 0
    assert backlog(client, tokens.officer)["count"] == 1
    assert hub.store.version(hub.backlog.stream) == 1
    assert backlog(client, tokens.officer)["count"] == 1  # repaired once, not on every read


def test_a_fresh_hub_repairs_a_past_day(api, tokens, hub, monkeypatch, settings, clock, store):
    lose_backlog_entries(monkeypatch)
    finish_offline(api)
    monkeypatch.undo()
    clock.advance(3 * 24 * 3600)
    restarted = create_app(settings, store=store, clock=clock, secret_key="test-secret")
    try:
        client = restarted.test_client()
        restarted.extensions["antrian"].accounts.add_user("sari", "officer", PASSWORD)
        token = client.post("/api/login", json={"username": "sari", "password": PASSWORD})
        (entry,) = backlog(client, token.json["token"])["entries"]
        assert entry["age_days"] == 3
    finally:
        # As close_app, but the store stays open: the first hub (and the fixture) own it.
        stop_watching(restarted)
        announcer = restarted.extensions.get("antrian_announcer")
        if announcer is not None:
            announcer.voice.close()


def test_park_and_resume_over_socketio(api, tokens, connect):
    number = to_signature(api)
    officer = connect(auth={"token": tokens.officer, "counter": "1"})
    officer.get_received()
    parked = officer.emit("park", {"counter": "1", "signer": "Kasi Penempatan"}, callback=True)
    assert parked["ok"] is True, parked
    assert parked["counter"]["parked"][0]["signer"] == "Kasi Penempatan"
    facts = [m["name"] for m in officer.get_received()]
    assert "step_handed_over" in facts
    resumed = officer.emit("resume_ticket", {"counter": "1", "ticket": number}, callback=True)
    assert resumed["ok"] is True and resumed["counter"]["ticket"]["number"] == number
    assert "ticket_resumed" in [m["name"] for m in officer.get_received()]


def test_two_hubs_clearing_at_once_clear_once(api, tokens, hub, settings, clock, store):
    """A double click on two PCs, through two hub processes on one store: one clear wins."""
    finish_offline(api)
    (entry,) = hub.backlog.open_entries()
    other = create_app(settings, store=store, clock=clock, secret_key="test-secret")
    results: list[object] = []
    start = threading.Barrier(2)

    def clear(backlog, who):
        start.wait()
        try:
            results.append(backlog.clear(entry.ticket_id, who))
        except errors.Conflict as refused:
            results.append(refused)

    try:
        threads = [
            threading.Thread(target=clear, args=(hub.backlog, "budi")),
            threading.Thread(target=clear, args=(other.extensions["antrian"].backlog, "sari")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        stop_watching(other)
    refused = [r for r in results if isinstance(r, errors.Conflict)]
    cleared = [r for r in results if not isinstance(r, errors.Conflict)]
    assert len(refused) == 1 and len(cleared) == 1, results
    assert "sudah diinput oleh" in refused[0].message
    stored = [s.type for s in store.read(hub.backlog.stream)]
    assert stored == ["OnlineEntryPending", "OnlineEntryCleared"]

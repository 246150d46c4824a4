"""A panel fetches its state only when its counter's revision changes, and never misses one."""

from __future__ import annotations

import pytest

from tests.web.conftest import bearer


@pytest.fixture
def staff_screen(app, hub, tokens):
    screen = hub.socketio.test_client(app, auth={"token": tokens.officer, "counter": "2"})
    screen.get_received()
    yield screen
    screen.disconnect()


@pytest.fixture
def office_screen(app, hub, tokens):
    screen = hub.socketio.test_client(app, auth={"token": tokens.supervisor})
    screen.get_received()
    yield screen
    screen.disconnect()


def latest_overview(screen) -> dict:
    changes = [m["args"][0] for m in screen.get_received() if m["name"] == "queue_changed"]
    assert changes, "no queue_changed reached the staff screen"
    return changes[-1]


def counter_entry(overview: dict, counter_id: str) -> dict:
    return next(k for k in overview["counters"] if k["id"] == counter_id)


def test_revision_moves_with_what_concerns_the_counter_only(api, client, tokens, staff_screen):
    for _ in range(4):
        api.issue()
    api.counter("2", "open")
    loket2 = counter_entry(latest_overview(staff_screen), "2")
    state = client.get("/counter/state?counter=2", headers=bearer(tokens.officer)).json
    assert state["revision"] == loket2["revision"]  # the panel compares the two

    # Another officer calls from the same line, which stays non-empty: nothing to fetch,
    # and the line's numbers come with the overview itself.
    api.counter("1", "call-next", token=tokens.supervisor)
    overview = latest_overview(staff_screen)
    assert counter_entry(overview, "2")["revision"] == loket2["revision"]
    assert overview["services"][0]["next_numbers"][0] == "A-002"

    # Its own call, its break, a supervisor's moves: each changes the revision the panel
    # holds (a state can come back, e.g. after a break, to a revision seen before).
    last = loket2["revision"]
    steps = [
        lambda: api.counter("2", "call-next"),
        lambda: api.counter("2", "skip"),
        lambda: api.counter("2", "pause", {"reason": "Sholat"}),
        lambda: api.counter("2", "resume"),
        lambda: api.counter("2", "call-next"),
        lambda: client.post(
            "/api/tickets/A-003/reassign", json={}, headers=bearer(tokens.supervisor)
        ),
        lambda: client.post("/api/counters/2/release", headers=bearer(tokens.supervisor)),
    ]
    for step in steps:
        assert step().status_code == 200
        revision = counter_entry(latest_overview(staff_screen), "2")["revision"]
        assert revision != last
        last = revision


def test_a_ticket_sent_to_the_counter_reaches_its_panel(api, tokens, office_screen):
    api.issue()
    api.counter("1", "call-next")
    api.counter("1", "start")
    before = counter_entry(latest_overview(office_screen), "konseling")
    assert api.counter("1", "transfer", {"counter": "konseling"}).status_code == 200
    after = counter_entry(latest_overview(office_screen), "konseling")
    assert after["sent_here"] == {
        "waiting": 1,
        "next_numbers": ["A-001"],
        "priority_numbers": [],
    }
    # Its line went from empty to waiting: "Panggil berikutnya" is possible now, so fetch.
    assert after["revision"] != before["revision"]


def test_staff_news_after_a_change_is_small(api, staff_screen):
    api.issue()
    api.counter("1", "call-next")
    news = latest_overview(staff_screen)
    # Not the whole overview: no ticket of every counter, only what decides a fetch.
    assert all(
        set(k) == {"id", "revision", "next_number", "next_reason", "sent_here"}
        for k in news["counters"]
    )

"""What the TV and kiosk are told: the cost and call rule from config, the office logo, each
counter's state, the latest calls in call order, and the wait a new ticket would have."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from display.board import running_text
from kiosk.slips import cost_line
from shared.config import ConfigError, settings_from_dict
from tests.web.conftest import ROOT, bearer

SHIPPED = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))


def config_with(tmp_path: Path, **office) -> dict:
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["office"].update(office)
    return data


@pytest.mark.parametrize(
    ("cost", "label", "free"),
    [
        (0, "Gratis", True),
        ("GRATIS", "Gratis", True),
        ("gratis", "Gratis", True),
        (50000, "Rp 50.000", False),
        ("Rp 10.000 per lembar", "Rp 10.000 per lembar", False),
    ],
)
def test_a_service_cost_is_rupiah_or_published_text(tmp_path, cost, label, free):
    data = config_with(tmp_path)
    data["services"][0]["cost"] = cost
    service = settings_from_dict(data, tmp_path).catalogue().services[0]
    assert (service.cost, service.free) == (label, free)


@pytest.mark.parametrize("cost", [-1, True, 12.5, "", " ", "x" * 61, [1]])
def test_a_bad_cost_names_the_field_and_the_fix(tmp_path, cost):
    data = config_with(tmp_path)
    data["services"][0]["cost"] = cost
    with pytest.raises(ConfigError) as raised:
        settings_from_dict(data, tmp_path)
    assert any(p.startswith("services[0].cost") for p in raised.value.problems), raised.value


def test_the_tv_running_text_and_ticket_say_what_config_says(tmp_path):
    data = config_with(tmp_path)
    data["call_rules"]["max_calls"] = 2
    data["services"][3]["cost"] = 50000
    settings = settings_from_dict(data, tmp_path)
    text = " ".join(running_text(settings))
    assert "dipanggil 2 kali" in text and "3 kali" not in text
    assert "D Rekomendasi Paspor Pekerja Migran Indonesia: Rp 50.000" in text
    assert "Semua layanan GRATIS" not in text
    assert "Semua layanan GRATIS" in " ".join(running_text(settings_from_dict(SHIPPED, tmp_path)))
    assert cost_line(50000) == "Biaya layanan: Rp 50.000"
    assert cost_line(0) == "Layanan ini GRATIS - tidak dipungut biaya"


def test_the_office_logo_comes_from_config_or_is_our_mark(tmp_path, app_with, settings):
    with app_with().test_client().get("/office/logo") as shipped:
        assert shipped.status_code == 200 and shipped.mimetype == "image/svg+xml"
        assert b"<svg" in shipped.data
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    own = settings.model_copy(
        update={"office": settings.office.model_copy(update={"logo": "logo.png"})}
    )
    with app_with(office=own.office).test_client().get("/office/logo") as answer:
        assert answer.mimetype == "image/png" and answer.data == logo.read_bytes()


@pytest.mark.parametrize(
    ("logo", "problem"),
    [
        ("missing.svg", "file not found"),
        ("logo.gif", "must be an image file"),
        ("big.png", "at most 1 MB"),
    ],
)
def test_a_bad_logo_is_refused_with_the_fix(tmp_path, logo, problem):
    (tmp_path / "big.png").write_bytes(b"\0" * (1024 * 1024 + 1))
    with pytest.raises(ConfigError) as raised:
        settings_from_dict(config_with(tmp_path, logo=logo), tmp_path)
    assert any(p.startswith("office.logo") and problem in p for p in raised.value.problems)


def board(api):
    return {k["id"]: (k["status"], k["number"]) for k in api.queue(api.tokens.display)["board"]}


def test_the_board_shows_each_counter_number_break_or_closed(api):
    for _ in range(3):
        api.issue()
    assert board(api) == {
        "1": ("closed", None),
        "2": ("closed", None),
        "3": ("closed", None),
        "konseling": ("closed", None),
    }
    api.counter("1", "call-next")
    api.counter("1", "start")
    api.counter("3", "open")
    api.counter("3", "pause", {"reason": "sholat"})
    assert board(api) == {
        "1": ("serving", "A-001"),
        "2": ("closed", None),
        "3": ("paused", None),
        "konseling": ("closed", None),
    }
    public = api.queue(api.tokens.display)
    assert "officer" not in str(public["board"]) and "sholat" not in str(public)


def test_recent_calls_are_in_call_order_and_serving_moves_nothing(api, clock, connect, tokens):
    for _ in range(4):
        api.issue()
    for counter in ("1", "2", "3"):
        if counter == "3":
            api.issue("id-ctki")
        api.counter(counter, "call-next")
        clock.advance(30)
    api.counter("1", "start")  # service starts: A-001 stays where its call put it
    tv = connect({"token": tokens.display})
    snapshot = next(m["args"][0] for m in tv.get_received() if m["name"] == "snapshot")
    assert [c["number"] for c in snapshot["recent_calls"]] == ["C-001", "A-002", "A-001"]
    clock.advance(30)
    api.counter("2", "skip")
    api.counter("2", "call-next")
    tv2 = connect({"token": tokens.display})
    snapshot = next(m["args"][0] for m in tv2.get_received() if m["name"] == "snapshot")
    calls = [(c["number"], c["counter_name"], c["skipped"]) for c in snapshot["recent_calls"]]
    assert calls == [
        ("A-003", "Loket 2", False),
        ("C-001", "Loket 3", False),
        ("A-002", None, True),
        ("A-001", "Loket 1", False),
    ]


def test_the_kiosk_is_told_the_wait_of_a_ticket_taken_now(api, client, tokens):
    def estimate(code):
        states = client.get("/kiosk/availability", headers=bearer(tokens.kiosk)).json["services"]
        return next(s for s in states if s["code"] == code)["estimated_wait_minutes"]

    assert estimate("ak1-baru") == 0
    for _ in range(4):
        api.issue()
    # 4 ahead x 15 minutes (the standard, until 3 visits are timed) / 2 counters serving AK1.
    assert estimate("ak1-baru") == 30
    taken = api.issue().json
    assert taken["estimated_wait_minutes"] == 30  # the kiosk promised what the ticket says
    assert estimate("id-ctki") == 0


def test_staff_checking_the_tv_get_what_the_public_sees(connect, tokens, api):
    api.issue()
    api.counter("1", "call-next")
    tv = connect({"token": tokens.supervisor, "public": True})
    snapshot = next(m["args"][0] for m in tv.get_received() if m["name"] == "snapshot")
    assert snapshot["board"][0] == {
        "id": "1",
        "name": "Loket 1",
        "status": "serving",
        "number": "A-001",
    }
    assert "officer" not in str(snapshot)

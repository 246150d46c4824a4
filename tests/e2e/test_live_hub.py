"""The hub as a real process: kill -9 loses nothing; eventlet mode still reaches displays."""

from __future__ import annotations

import threading

import socketio

from tests.e2e.conftest import PASSWORD, add_user, antrian, make_hub, wait_until


def test_kill_minus_nine_mid_day_loses_no_ticket_call_or_step(live_hub):
    hub = live_hub
    for _ in range(3):
        assert hub.post("/api/tickets", {"service": "ak1-baru"}, hub.kiosk_token).status_code == 201
    hub.post("/api/counters/1/call-next")
    hub.post("/api/counters/1/start")
    hub.post("/api/counters/1/next-step")
    hub.post("/api/counters/2/call-next")
    hub.post("/api/counters/2/recall")
    before = hub.get("/api/queue").json()

    hub.kill()
    hub.start()

    after = hub.get("/api/queue").json()
    assert after == before
    counters = {c["id"]: c["ticket"] for c in after["counters"]}
    assert (counters["1"]["number"], counters["1"]["step"]["number"]) == ("A-001", 2)
    assert (counters["2"]["number"], counters["2"]["call_count"]) == ("A-002", 2)
    # The day goes on where it stopped: the next number continues, it does not restart.
    issued = hub.post("/api/tickets", {"service": "ak1-baru"}, hub.kiosk_token).json()
    assert issued["number"] == "A-004"


def test_check_config_reports_the_field(tmp_path):
    bad = tmp_path / "config.yaml"
    bad.write_text("office:\n  id: x\n", encoding="utf-8")
    result = antrian("check-config", str(bad), config=bad)
    assert result.returncode == 2
    assert "services" in result.stderr


def test_run_refuses_a_bad_config_with_the_field(tmp_path):
    bad = tmp_path / "config.yaml"
    bad.write_text("office: [\n", encoding="utf-8")
    result = antrian("run", config=bad)
    assert result.returncode == 2
    assert "invalid configuration" in result.stderr


def test_eventlet_mode_delivers_a_call_to_a_display(tmp_path):
    hub = make_hub(tmp_path, async_mode="eventlet")
    display = socketio.Client()
    called = threading.Event()
    received = {}

    @display.on("ticket_called")
    def on_called(data):
        received.update(data)
        called.set()

    try:
        display.connect(hub.url, auth={"token": hub.display_token}, wait_timeout=10)
        hub.post("/api/tickets", {"service": "ak1-baru"}, hub.kiosk_token)
        hub.post("/api/counters/1/call-next")
        wait_until(called.is_set, 10, "ticket_called on the display")
        assert received["ticket"]["number"] == "A-001"
        assert "eventlet" in hub.log.read_text()
        # Reports are made by the worker process under eventlet too, today's day included.
        add_user(hub.config, "kasi", "supervisor")
        kasi = hub.post("/api/login", {"username": "kasi", "password": PASSWORD}).json()["token"]
        report = hub.get("/laporan/data", token=kasi)
        assert report.status_code == 200, report.text
        assert report.json()["visits"] == 1
        assert "reports:" not in hub.log.read_text()  # no worker failure, no fallback
    finally:
        display.disconnect()
        hub.stop()


def test_print_test_sends_a_sample_ticket(tmp_path):
    import yaml

    from tests.e2e.conftest import ROOT
    from tests.printer_server import TestPrinter

    with TestPrinter() as printer:
        data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
        data["printer"] = {"type": "network", "host": "127.0.0.1", "port": printer.port}
        config = tmp_path / "config.yaml"
        config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        result = antrian("print-test", config=config)
        assert result.returncode == 0, result.stderr
        assert b"A-000" in printer.wait_for_job()
    data["printer"]["port"] = 9
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    failed = antrian("print-test", config=config)
    assert failed.returncode == 2
    assert "127.0.0.1:9 unreachable" in failed.stderr

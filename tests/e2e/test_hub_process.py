"""The hub as an OS process: it leaves no process behind, refuses what cannot work, and says
clearly where it is and how to sign in."""

from __future__ import annotations

import re
import signal
import socket
import stat
from pathlib import Path

import pytest
import requests

from shared.network import lan_address
from tests.e2e.conftest import antrian, free_port, make_hub, wait_until, write_config

EXIT_CEILING = 30  # seconds; a loaded 2-core machine needs far less


def _process_table() -> dict[int, tuple[int, str, str]]:
    """pid -> (parent pid, state, start time) of every process, read from /proc."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue  # ended while we looked
        # The command name may hold spaces and parentheses: the fields follow the last ")".
        fields = text.rsplit(")", 1)[1].split()
        table[int(entry.name)] = (int(fields[1]), fields[0], fields[19])
    return table


def _descendants(pid: int) -> dict[int, str]:
    """Every process started under pid, with its start time (to tell a reused pid apart)."""
    table = _process_table()
    found: dict[int, str] = {}
    parents = [pid]
    while parents:
        parent = parents.pop()
        for child, (ppid, _, started) in table.items():
            if ppid == parent and child not in found:
                found[child] = started
                parents.append(child)
    return found


def _still_running(processes: dict[int, str]) -> list[int]:
    table = _process_table()
    return [
        pid
        for pid, started in processes.items()
        if pid in table and table[pid][2] == started and table[pid][1] != "Z"
    ]


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "kill-9"])
def test_a_stopped_hub_leaves_no_process_behind(tmp_path, how):
    hub = make_hub(tmp_path)
    try:
        spoken = hub.get("/display/voice.wav?number=A-001&counter=1")
        assert spoken.status_code == 200  # the voice worker and its resource tracker run now
        children = _descendants(hub.process.pid)
        assert len(children) >= 2, children
        hub.process.send_signal(how)
        code = hub.process.wait(timeout=EXIT_CEILING)
        wait_until(
            lambda: not _still_running(children),
            EXIT_CEILING,
            f"the hub's processes {sorted(children)} to end after {how.name}",
        )
    finally:
        hub.kill()
    if how == signal.SIGTERM:
        assert code == 0, hub.log.read_text()  # stopped through the clean path


def test_a_second_hub_on_the_same_sqlite_file_is_refused(live_hub):
    second = antrian("run", "--port", str(free_port()), config=live_hub.config)
    assert second.returncode == 2
    assert "One hub process per SQLite file" in second.stderr
    assert f"pid {live_hub.process.pid}" in second.stderr
    assert "/kiosk" not in second.stdout
    assert live_hub.get("/api/health").status_code == 200  # the first one serves on


def test_a_busy_port_is_named_before_anything_is_printed(tmp_path):
    hub = write_config(tmp_path)
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", hub.port))
        squatter.listen()
        refused = antrian("run", config=hub.config)
    assert refused.returncode == 2
    assert f"port {hub.port} sudah dipakai" in refused.stderr
    assert f"--port {hub.port + 1}" in refused.stderr
    assert refused.stdout == ""  # no URLs, no one-time password used up
    assert not (tmp_path / "instance" / "admin-password.txt").exists()


def test_first_start_on_the_lan_ends_with_the_password_and_keeps_it_in_a_private_file(tmp_path):
    lan = lan_address()
    if lan is None:
        pytest.skip("this machine has no network address besides loopback")
    hub = write_config(tmp_path, host="0.0.0.0")  # noqa: S104 (the documented LAN step)
    hub.start()
    try:
        output = wait_until(lambda: _start_up_output(hub.log), 30, "the password box")
        base = f"http://{lan}:{hub.port}"
        assert f"kiosk:   {base}/kiosk" in output
        tokens = dict(
            re.findall(rf"pair the (\w+) by opening: {re.escape(base)}/pair#token=(\S+)", output)
        )
        password = re.search(r"password: (\S+)", output).group(1)
        saved = tmp_path / "instance" / "admin-password.txt"
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
        assert password in saved.read_text()
        assert str(saved) in output

        login = requests.post(
            f"{hub.url}/api/login", json={"username": "admin", "password": password}, timeout=10
        )
        assert login.status_code == 200
        # A ticket taken at a kiosk that reaches the hub as 127.0.0.1 still gets a QR code a
        # phone on the office network can open.
        ticket = hub.post("/api/tickets", {"service": "ak1-baru"}, token=tokens["kiosk"])
        assert ticket.json()["status_url"].startswith(f"{base}/t/")
        assert hub.get("/display/voice.wav?number=A-001&counter=1", token=tokens["display"]).ok
    finally:
        hub.stop()
    # Nothing scrolled the password away: no access log, no "Audio saved to ..." per call.
    assert hub.log.read_text().rstrip().endswith("+")


def _start_up_output(log: Path) -> str | None:
    text = log.read_text()
    return text if re.search(r"\+-+\+\s*$", text) and "password:" in text else None

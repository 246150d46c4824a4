"""The `antrian user` and `antrian device` commands on a real SQLite store."""

from __future__ import annotations

import io

import pytest
import yaml

from shared import cli, serve
from shared.accounts import Accounts
from shared.config import load_settings
from shared.first_start import first_start
from shared.store import open_store
from tests.web.conftest import PASSWORD, ROOT


@pytest.fixture
def config(tmp_path):
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["store"] = {"url": f"sqlite:///{tmp_path / 'antrian.db'}"}
    data["server"] = {**data["server"], "host": "192.168.1.10", "port": 5000}
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def run(config, capsys, monkeypatch):
    """Run the command as typed, with `stdin` as its input; returns (exit code, out, err)."""

    def run_command(*args: str, stdin: str = ""):
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = cli.main([*args, "--config", str(config)])
        out, err = capsys.readouterr()
        return code, out, err

    return run_command


def test_users_are_listed_disabled_and_enabled(run):
    assert run("user", "add", "budi", "--role", "officer", stdin=PASSWORD)[0] == 0
    assert run("user", "add", "kasi", "--role", "supervisor", stdin=PASSWORD)[0] == 0
    code, out, _ = run("user", "disable", "budi")
    assert code == 0 and "disabled" in out
    listed = run("user", "list")[1].splitlines()
    assert listed[0].split()[:3] == ["budi", "officer", "disabled"]
    assert listed[1].split()[:3] == ["kasi", "supervisor", "active"]
    assert "already disabled" in run("user", "disable", "budi")[1]
    run("user", "enable", "budi")
    assert run("user", "list")[1].split()[2] == "active"


def test_disabling_an_unknown_user_fails_clearly(run):
    code, _, err = run("user", "disable", "nobody")
    assert code == 2
    assert "no user named 'nobody'" in err


def test_a_trivial_password_is_refused_with_the_reason(run):
    code, _, err = run("user", "add", "budi", "--role", "officer", stdin="bismillah")
    assert code == 2
    assert "common" in err


def test_devices_are_listed_and_removed(run, config):
    code, out, _ = run("device", "add", "kiosk-1", "--kind", "kiosk")
    token = out.splitlines()[-1]
    assert f"http://192.168.1.10:5000/pair#token={token}" in out
    run("device", "add", "tv-1", "--kind", "display")
    assert [line.split()[:2] for line in run("device", "list")[1].splitlines()] == [
        ["kiosk-1", "kiosk"],
        ["tv-1", "display"],
    ]
    code, out, _ = run("device", "remove", "kiosk-1")
    assert code == 0 and "removed" in out
    assert run("device", "list")[1].split()[0] == "tv-1"
    assert run("device", "remove", "kiosk-1")[0] == 2


def test_first_start_links_keep_the_token_out_of_the_query(config, capsys):
    settings = load_settings(config)
    store = open_store(settings.store_url)
    try:
        made = first_start(Accounts(store))
    finally:
        store.close()
    serve._announce_first_start(settings, "http://192.168.1.10:5000", made)
    links = [line for line in capsys.readouterr().out.splitlines() if "/pair" in line]
    assert len(links) == 2
    assert all("/pair#token=" in link and "?" not in link for link in links)

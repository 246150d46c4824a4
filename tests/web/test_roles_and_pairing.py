"""Where each role lands after signing in, the page index, and pairing by a short code;
on both stores, since accounts and codes are events in the store."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from shared.app import close_app, create_app
from shared.pairing_codes import CODE_VALID, PairingCodes
from shared.store import open_store
from tests.web.conftest import PASSWORD, MovableClock

USERS = {"budi": "officer", "kasi": "supervisor", "root": "admin"}
HOMES = {"budi": "/counter", "kasi": "/supervisor", "root": "/admin"}


@pytest.fixture
def hub_on(store_url, settings):
    """The app on each store adapter, with an officer, a supervisor and an admin."""
    url, prefix = store_url
    clock = MovableClock()
    app = create_app(
        settings, store=open_store(url, key_prefix=prefix), clock=clock, secret_key="roles"
    )
    app.config["TESTING"] = True
    hub = app.extensions["antrian"]
    for name, role in USERS.items():
        hub.accounts.add_user(name, role, PASSWORD)
    yield app, clock
    close_app(app)


def sign_in(client, name: str, next_path: str = ""):
    client.get("/login")
    with client.session_transaction() as session:
        csrf = session["csrf_token"]
    query = f"?next={next_path}" if next_path else ""
    return client.post(
        f"/login{query}", data={"username": name, "password": PASSWORD, "csrf_token": csrf}
    )


@pytest.mark.parametrize("name", USERS)
def test_each_role_lands_on_its_own_start(hub_on, name):
    app, _ = hub_on
    client = app.test_client()
    answer = sign_in(client, name)
    assert answer.status_code == 302
    assert answer.headers["Location"] == HOMES[name]
    assert client.get(HOMES[name]).status_code == 200


def test_a_link_followed_before_signing_in_still_wins(hub_on):
    app, _ = hub_on
    answer = sign_in(app.test_client(), "kasi", "/supervisor/report")
    assert answer.headers["Location"] == "/supervisor/report"


def test_a_supervisor_opening_the_panel_does_not_take_the_counter(hub_on):
    app, _ = hub_on
    client = app.test_client()
    sign_in(client, "kasi")
    page = client.get("/counter").get_data(as_text=True)
    # The page tells its script not to sit down, and offers the choice instead.
    assert 'data-serve-on-open="false"' in page and 'id="take-seat"' in page
    officer = app.test_client()
    sign_in(officer, "budi")
    assert 'data-serve-on-open="true"' in officer.get("/counter").get_data(as_text=True)


def test_the_index_says_in_indonesian_who_opens_what_as_the_guards_do(hub_on):
    app, _ = hub_on
    hub = app.extensions["antrian"]
    kiosk = hub.accounts.add_device("kiosk-1", "kiosk")
    display = hub.accounts.add_device("tv-1", "display")
    anonymous = app.test_client().get("/").get_data(as_text=True)
    assert "(officer)" not in anonymous and "Petugas loket" in anonymous
    rows = re.findall(r'<tr data-url="([^"]+)" data-roles="([^"]*)"', anonymous)
    assert {path for path, _ in rows} >= {"/kiosk", "/display", "/counter", "/supervisor", "/admin"}
    labels = {"Petugas loket": "budi", "Kepala seksi": "kasi", "Admin": "root"}
    devices = {"Anjungan (kiosk)": kiosk, "Layar TV": display}
    for path, who in rows:
        allowed = set(who.split("|"))
        for label, name in labels.items():
            client = app.test_client()
            sign_in(client, name)
            status = client.get(path).status_code
            assert (status == 200) == (label in allowed), (path, label, status)
        for label, token in devices.items():
            status = app.test_client().get(path, headers={"Authorization": f"Bearer {token}"})
            assert (status.status_code == 200) == (label in allowed), (path, label)
    # Signed in, the index marks what this person may open.
    client = app.test_client()
    sign_in(client, "kasi")
    mine = client.get("/").get_data(as_text=True)
    marked = re.findall(r'<tr data-url="[^"]+" data-roles="([^"]*)" class="mine"', mine)
    kasi_pages = [who for _, who in rows if "Kepala seksi" in who.split("|")]
    assert len(marked) == len(kasi_pages) >= 3  # the panel, the supervisor view, the reports


def test_the_forbidden_page_names_the_role_in_indonesian(hub_on):
    app, _ = hub_on
    client = app.test_client()
    sign_in(client, "budi")
    answer = client.get("/admin")
    assert answer.status_code == 403
    assert "Petugas loket" in answer.get_data(as_text=True)


def pair_with(client, code: str):
    client.get("/pair")
    with client.session_transaction() as session:
        csrf = session["csrf_token"]
    return client.post("/pair", data={"code": code, "csrf_token": csrf})


def test_a_code_pairs_one_device_once_within_ten_minutes(hub_on):
    app, clock = hub_on
    hub = app.extensions["antrian"]
    codes = PairingCodes(hub.store, hub.accounts)  # as the CLI makes it, another process
    code = codes.issue("kiosk-lobi", "kiosk", "root", clock())
    assert re.fullmatch(r"\d{6}", code)

    first = app.test_client()
    answer = pair_with(first, code)
    assert answer.status_code == 302 and answer.headers["Location"] == "/kiosk"
    assert first.get("/kiosk").status_code == 200
    assert [d.name for d in hub.accounts.devices()] == ["kiosk-lobi"]

    again = pair_with(app.test_client(), code)  # the same code on a second screen
    assert again.status_code == 401
    assert "salah atau sudah kedaluwarsa" in again.get_data(as_text=True)

    late = codes.issue("tv-lobi", "display", "root", clock())
    clock.advance(CODE_VALID.total_seconds())
    assert pair_with(app.test_client(), late).status_code == 401
    assert [d.name for d in hub.accounts.devices()] == ["kiosk-lobi"]


def test_two_screens_racing_with_one_code_pair_once(hub_on):
    app, clock = hub_on
    hub = app.extensions["antrian"]
    code = PairingCodes(hub.store, hub.accounts).issue("tv-2", "display", "root", clock())
    # Two hub processes, each with its own view of the codes, redeem at the same moment.
    a = PairingCodes(hub.store, hub.accounts)
    b = PairingCodes(hub.store, hub.accounts)
    a._catch_up(), b._catch_up()  # both have seen the code unused
    results = [a.redeem(code, clock()), b.redeem(code, clock())]
    assert sum(r is not None for r in results) == 1


def test_wrong_codes_are_rate_limited_per_address(hub_on):
    app, clock = hub_on
    hub = app.extensions["antrian"]
    code = PairingCodes(hub.store, hub.accounts).issue("kiosk-2", "kiosk", "root", clock())
    wrong = "000000" if code != "000000" else "111111"
    client = app.test_client()
    statuses = [pair_with(client, wrong).status_code for _ in range(6)]
    assert statuses[:5] == [401] * 5
    assert statuses[5] == 429
    # Even the right code waits now: guessing cannot go on at full speed.
    refused = pair_with(client, code)
    assert refused.status_code == 429
    assert "Terlalu banyak kode yang salah" in refused.get_data(as_text=True)


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "abcdef", "<b>1</b>", "１２３４５６"])
def test_malformed_codes_are_refused_without_pairing(hub_on, bad):
    app, _ = hub_on
    answer = pair_with(app.test_client(), bad)
    assert answer.status_code == 401
    assert app.extensions["antrian"].accounts.devices() == []


def test_only_an_admin_makes_codes_on_the_admin_home(hub_on):
    app, clock = hub_on
    admin = app.test_client()
    sign_in(admin, "root")
    admin.get("/admin")
    with admin.session_transaction() as session:
        csrf = session["csrf_token"]
    made = admin.post(
        "/admin/pairing-codes", data={"name": "kiosk-lobi", "kind": "kiosk", "csrf_token": csrf}
    )
    assert made.status_code == 200
    shown = re.search(r'id="pairing-code">(\d{3}) (\d{3})<', made.get_data(as_text=True))
    assert shown, "the new code is shown"
    assert pair_with(app.test_client(), "".join(shown.groups())).status_code == 302

    bad = admin.post(
        "/admin/pairing-codes", data={"name": "kiosk lobi<", "kind": "kiosk", "csrf_token": csrf}
    )
    assert bad.status_code == 400 and "Nama perangkat" in bad.get_data(as_text=True)
    no_csrf = admin.post("/admin/pairing-codes", data={"name": "x1", "kind": "kiosk"})
    assert no_csrf.status_code == 403

    supervisor = app.test_client()
    sign_in(supervisor, "kasi")
    supervisor.get("/supervisor")
    with supervisor.session_transaction() as session:
        csrf = session["csrf_token"]
    refused = supervisor.post(
        "/admin/pairing-codes", data={"name": "kiosk-x", "kind": "kiosk", "csrf_token": csrf}
    )
    assert refused.status_code == 403
    assert [d.name for d in app.extensions["antrian"].accounts.devices()] == ["kiosk-lobi"]


def test_a_removed_device_name_loses_its_open_code(hub_on):
    app, clock = hub_on
    hub = app.extensions["antrian"]
    hub.accounts.add_device("tv-3", "display")
    code = PairingCodes(hub.store, hub.accounts).issue("tv-3", "display", "root", clock())
    hub.accounts.remove_device("tv-3")
    clock.advance(timedelta(seconds=1).total_seconds())
    assert pair_with(app.test_client(), code).status_code == 401

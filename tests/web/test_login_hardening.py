"""Signing in: no open redirect, backoff under guessing, bounded hashing, security headers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shared.config import ConfigError, load_settings
from shared.login_guard import GuardLimits, LoginGuard, LoginRefused
from tests.web.conftest import PASSWORD, ROOT

WRONG = "salah-sekali"


def _csrf_from(html: str) -> str:
    marker = 'name="csrf-token" content="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def form_login(client, next_url: str | None = None, user: str = "budi", password: str = PASSWORD):
    query = {"next": next_url} if next_url is not None else {}
    csrf = _csrf_from(client.get("/login", query_string=query).get_data(as_text=True))
    data = {"username": user, "password": password, "csrf_token": csrf}
    return client.post("/login", query_string=query, data=data)


def api_login(client, user: str = "budi", password: str = PASSWORD, address: str = "10.0.0.5"):
    return client.post(
        "/api/login",
        json={"username": user, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


# --- open redirect ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example/phish",
        "/\n/evil.example",
        "//evil.example/phish",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        " /counter",
        "/ /evil.example",
        "/\x7f/evil.example",
    ],
)
def test_sign_in_never_sends_the_browser_to_another_host(client, tokens, target):
    response = form_login(client, target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/counter"


def test_sign_in_goes_back_to_the_page_asked_for(client, tokens):
    response = form_login(client, "/supervisor/report?date=2026-11-23")
    assert response.headers["Location"] == "/supervisor/report?date=2026-11-23"


# --- backoff ---------------------------------------------------------------------------


def test_wrong_passwords_for_one_user_lead_to_a_wait(client, tokens, clock):
    for _ in range(5):
        assert api_login(client, password=WRONG).status_code == 401
    refused = api_login(client)  # even the right password waits now
    assert refused.status_code == 429
    assert "Coba lagi dalam" in refused.json["error"]
    assert int(refused.headers["Retry-After"]) >= 1
    clock.advance(int(refused.headers["Retry-After"]))
    assert api_login(client).status_code == 200


def test_the_wait_doubles_up_to_a_quarter_of_an_hour(client, tokens, clock):
    waits, message = [], ""
    for _ in range(40):  # about 25 tries reach the longest wait
        if waits and waits[-1] >= 15 * 60:
            break
        response = api_login(client, password=WRONG)
        if response.status_code == 429:
            waits.append(int(response.headers["Retry-After"]))
            message = response.json["error"]
            clock.advance(waits[-1])
    assert waits[:4] == [1, 2, 4, 8]
    assert "15 menit" in message


def test_one_address_guessing_many_names_is_slowed(client, tokens):
    for n in range(20):
        assert api_login(client, user=f"tamu{n}", password=WRONG).status_code == 401
    assert api_login(client, user="kasi").status_code == 429
    # Another PC is not affected.
    assert api_login(client, user="kasi", address="10.0.0.6").status_code == 200


def test_a_sign_in_queued_for_the_slot_is_refused_if_a_wait_was_earned_meanwhile(hub, tokens):
    guard = LoginGuard(hub.accounts, lambda: 0.0, GuardLimits(address_free=1))
    keys = (("user", "budi"), ("address", "10.0.0.5"))
    # Past the first check; then another request from the same PC fails while this one waits.
    with pytest.raises(LoginRefused):
        guard.sign_in("tamu", WRONG, "10.0.0.5")
    with pytest.raises(LoginRefused) as refused:
        guard._check("budi", PASSWORD, keys)  # now holding the slot: no hash is spent
    assert refused.value.status == 429


def test_huge_names_and_passwords_are_wrong_without_hashing(hub, tokens):
    guard = LoginGuard(hub.accounts, lambda: 0.0, GuardLimits(hash_wait_seconds=0.05))
    guard._slots.acquire()  # the slot is busy: only a check that skips hashing can answer 401
    try:
        for name, password in (("budi" * 50_000, PASSWORD), ("budi", "x" * 100_000)):
            with pytest.raises(LoginRefused) as refused:
                guard.sign_in(name, password, "10.0.0.5")
            assert refused.value.status == 401
    finally:
        guard._slots.release()


def test_the_login_form_shows_the_wait(client, tokens):
    for _ in range(5):
        assert form_login(client, password=WRONG).status_code == 401
    page = form_login(client)
    assert page.status_code == 429
    assert "Terlalu banyak percobaan" in page.get_data(as_text=True)
    assert "Retry-After" in page.headers


def test_password_checks_run_one_at_a_time_and_the_rest_are_told_to_wait(hub, tokens):
    guard = LoginGuard(hub.accounts, lambda: 0.0, GuardLimits(hash_wait_seconds=0.05))
    guard._slots.acquire()  # another sign-in is being checked right now
    try:
        with pytest.raises(LoginRefused) as refused:
            guard.sign_in("budi", PASSWORD, "10.0.0.5")
    finally:
        guard._slots.release()
    assert refused.value.status == 429
    assert guard.sign_in("budi", PASSWORD, "10.0.0.5").name == "budi"


def test_unknown_names_cost_a_password_check_too(hub, tokens):
    # The answer for an unknown name takes as long as for a known one (see bench/login_flood).
    assert hub.accounts.check_password("tidak-ada", PASSWORD) is None
    assert "_dummy_hash" in vars(hub.accounts)


# --- headers and cookies ---------------------------------------------------------------


@pytest.mark.parametrize("path", ["/login", "/pair", "/", "/api/health", "/t/unknown"])
def test_every_answer_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "connect-src 'self' ws://localhost wss://localhost" in policy
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


TEMPLATES = sorted(ROOT.glob("*/templates/**/*.html"))
# A script element that runs (not a JSON data island), or an inline event handler.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|\son[a-z]+\s*=|javascript:", re.I
)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_script(template: Path):
    assert not INLINE.search(template.read_text(encoding="utf-8"))


def test_cookies_are_secure_when_configured(app_with, settings, tokens):
    server = settings.server.model_copy(update={"secure_cookies": True})
    app = app_with(server=server)
    client = app.test_client()
    response = client.get("/login")
    assert "Secure" in response.headers["Set-Cookie"]


def test_cookies_are_not_secure_by_default(client):
    assert "Secure" not in client.get("/login").headers["Set-Cookie"]


def test_secure_cookies_must_be_true_or_false(tmp_path):
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    text = text.replace("secure_cookies: false", "secure_cookies: perhaps")
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="server.secure_cookies"):
        load_settings(path)

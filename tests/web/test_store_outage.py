"""The store unavailable: every route answers the documented 503, every socket is refused
at once with the reason, and the kiosk says the system is busy."""

from __future__ import annotations

import os
import signal
import sqlite3

import pytest

from shared.app import close_app, create_app
from shared.errors_web import STORE_BUSY
from shared.store.redis_store import RedisEventStore
from shared.store.sqlite import SqliteEventStore
from tests.conftest import _redis_server_binary, start_redis_server
from tests.web.conftest import bearer, refusal

JSON_ROUTES = [
    ("GET", "/t/{token}.json", None),
    ("GET", "/kiosk/availability", "kiosk"),
    ("POST", "/kiosk/tickets", "kiosk"),
    ("GET", "/counter/state?counter=1", "officer"),
    ("GET", "/supervisor/state", "supervisor"),
    ("GET", "/api/queue", "display"),
]
PAGES = [
    ("/kiosk", "kiosk"),
    ("/display", "display"),
    ("/t/{token}", None),
    ("/counter?counter=1", "officer"),
    ("/supervisor/report", "supervisor"),
    ("/laporan", "supervisor"),
    ("/laporan/bulanan", "supervisor"),
    ("/", "officer"),
]


def unplug(store: SqliteEventStore) -> None:
    """The store's file goes away and a folder takes its place (an unmounted share, say)."""
    store.close()
    for part in store.path.parent.glob(store.path.name + "*"):
        part.unlink()
    store.path.mkdir()


@pytest.fixture
def status_token(api):
    return api.issue().json["status_url"].rsplit("/", 1)[1]


@pytest.fixture
def unplugged(hub, tokens, status_token):
    """The hub, its accounts and one ticket made, then its store gone."""
    unplug(hub.store)
    return status_token


@pytest.mark.parametrize(("method", "path", "who"), JSON_ROUTES)
def test_json_routes_answer_503_json_while_the_store_is_down(
    client, tokens, unplugged, method, path, who
):
    headers = bearer(getattr(tokens, who)) if who else {}
    body = {"service": "ak1-baru"} if method == "POST" else None
    response = client.open(path.format(token=unplugged), method=method, json=body, headers=headers)
    assert response.status_code == 503
    assert response.json == {"error": STORE_BUSY}


@pytest.mark.parametrize(("path", "who"), PAGES)
def test_pages_answer_a_styled_503_page_while_the_store_is_down(
    client, tokens, unplugged, path, who
):
    headers = bearer(getattr(tokens, who)) if who else {}
    response = client.get(path.format(token=unplugged), headers=headers)
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Sistem sedang sibuk" in page
    assert STORE_BUSY in page
    assert "base.css" in page  # the office's own look, not Werkzeug's bare error page


def test_the_kiosk_is_told_the_system_is_busy_while_the_store_is_locked(settings, clock, tmp_path):
    path = tmp_path / "antrian.db"
    store = SqliteEventStore(path, busy_timeout=0.2)
    app = create_app(settings, store=store, clock=clock, secret_key="test")
    client = app.test_client()
    kiosk = app.extensions["antrian"].accounts.add_device("kiosk-1", "kiosk")
    holder = sqlite3.connect(path, isolation_level=None)  # e.g. a backup holding the file
    take = {"service": "ak1-baru", "request_id": "tap-1"}
    try:
        holder.execute("BEGIN IMMEDIATE")
        busy = client.post("/kiosk/tickets", json=take, headers=bearer(kiosk))
        assert (busy.status_code, busy.json) == (503, {"error": STORE_BUSY})
        holder.execute("ROLLBACK")
        again = client.post("/kiosk/tickets", json=take, headers=bearer(kiosk))
        assert again.status_code == 201
    finally:
        holder.close()
        close_app(app)


def test_a_socket_connect_is_refused_at_once_while_sqlite_is_down(
    app, hub, tokens, unplugged, serve
):
    url = serve(app)
    assert refusal(url, {"token": tokens.display}) == {"message": STORE_BUSY}
    assert refusal(url, {"ticket": unplugged}) == {"message": STORE_BUSY}


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of this test's own, which it may freeze (a hung Redis, not a dead one)."""
    binary = _redis_server_binary()
    if binary is None:
        pytest.skip("no redis-server binary to start a private Redis")
    url, server = start_redis_server(binary, tmp_path)
    try:
        yield url, server
    finally:
        os.kill(server.pid, signal.SIGCONT)
        server.terminate()
        server.wait(timeout=30)


def test_a_socket_connect_is_refused_within_the_store_timeout_while_redis_hangs(
    settings, clock, private_redis, serve
):
    url, server = private_redis
    store = RedisEventStore(url, socket_timeout=0.5)
    app = create_app(settings, store=store, clock=clock, secret_key="test")
    try:
        display = app.extensions["antrian"].accounts.add_device("tv-1", "display")
        hub_url = serve(app)
        os.kill(server.pid, signal.SIGSTOP)  # Redis accepts connections but answers nothing
        assert refusal(hub_url, {"token": display}) == {"message": STORE_BUSY}
    finally:
        os.kill(server.pid, signal.SIGCONT)
        close_app(app)


def test_health_says_the_store_is_down_without_saying_where_it_is(client, hub, unplugged):
    answer = client.get("/api/health")
    assert answer.status_code == 503
    assert answer.json == {"status": "error", "store": "unavailable"}
    assert str(hub.store.path) not in answer.get_data(as_text=True)

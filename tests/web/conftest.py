"""A hub on the shipped config.yaml with its own SQLite file, a movable clock and accounts."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import socketio
from werkzeug.serving import make_server

from shared.app import close_app, create_app
from shared.config import load_settings
from shared.store import open_store

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "rahasia-petugas"
# The hub's wait for a call's WAV (10 s in an office) is a ceiling here: a fresh voice worker
# on a 2-core machine running the suite in parallel can need far longer for its first call.
VOICE_CEILING = 60


class MovableClock:
    """The hub's clock in tests: it moves only when a test says so."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 08:00 WIB, a Monday

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Tokens:
    kiosk: str
    display: str
    officer: str
    supervisor: str


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def settings(tmp_path):
    # As if config.yaml lay in this test's folder: the hub's instance/ files (voice cache,
    # secret key) land there, never beside the checkout's live database.
    shipped = load_settings(ROOT / "config.yaml")
    voice = shipped.voice.model_copy(update={"timeout_seconds": VOICE_CEILING})
    return shipped.model_copy(update={"config_path": tmp_path / "config.yaml", "voice": voice})


@pytest.fixture
def app(settings, clock, tmp_path):
    # A fresh SQLite file per test, so tests never see each other's tickets.
    store = open_store(f"sqlite:///{tmp_path / 'antrian.db'}")
    app = create_app(settings, store=store, clock=clock, secret_key="test-secret")
    app.config["TESTING"] = True
    yield app
    close_app(app)


@pytest.fixture
def app_with(settings, clock, tmp_path):
    """Build hubs whose settings differ from config.yaml, e.g. app_with(printer=...)."""
    built = []

    def build(**changes):
        store = open_store(f"sqlite:///{tmp_path / f'hub-{len(built)}.db'}")
        app = create_app(
            settings.model_copy(update=changes), store=store, clock=clock, secret_key="test"
        )
        built.append(app)
        return app

    yield build
    for app in built:
        close_app(app)


@pytest.fixture
def hub(app):
    return app.extensions["antrian"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def tokens(hub, client) -> Tokens:
    hub.accounts.add_user("budi", "officer", PASSWORD)
    hub.accounts.add_user("kasi", "supervisor", PASSWORD)

    def login(name: str) -> str:
        response = client.post("/api/login", json={"username": name, "password": PASSWORD})
        assert response.status_code == 200, response.json
        return response.json["token"]

    return Tokens(
        kiosk=hub.accounts.add_device("kiosk-1", "kiosk"),
        display=hub.accounts.add_device("tv-1", "display"),
        officer=login("budi"),
        supervisor=login("kasi"),
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class Api:
    """Short calls for tests: issue a ticket as the kiosk, act at a counter as the officer."""

    def __init__(self, client, tokens: Tokens) -> None:
        self.client = client
        self.tokens = tokens

    def issue(self, service: str = "ak1-baru", **extra):
        return self.client.post(
            "/api/tickets", json={"service": service, **extra}, headers=bearer(self.tokens.kiosk)
        )

    def counter(
        self, counter: str, action: str, body: dict | None = None, token: str | None = None
    ):
        return self.client.post(
            f"/api/counters/{counter}/{action}",
            json=body or {},
            headers=bearer(token or self.tokens.officer),
        )

    def queue(self, token: str | None = None):
        """The overview as an officer sees it, or as the device whose token is given."""
        headers = bearer(token or self.tokens.officer)
        return self.client.get("/api/queue", headers=headers).json


@pytest.fixture
def api(client, tokens) -> Api:
    return Api(client, tokens)


@pytest.fixture
def serve():
    """Serve apps over real HTTP from a thread; yields a function returning the base URL."""
    running = []

    def start(app) -> str:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        running.append((server, thread))
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server, thread in running:
        server.shutdown()
        thread.join(timeout=30)


def refusal(url: str, auth: dict) -> dict:
    """The reason the hub gives a real Socket.IO client for refusing it."""
    client = socketio.Client(reconnection=False)
    reasons = []
    client.on("connect_error", reasons.append)
    try:
        # A generous ceiling: the refusal must come from the hub, long before this runs out.
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(url, auth=auth, transports=["polling"], wait_timeout=60)
    finally:
        client.disconnect()
    assert reasons, "the hub never answered the connect: the client waited for its timeout"
    return reasons[-1]


@pytest.fixture
def connect(app, hub):
    """Socket.IO test clients of this hub, disconnected after the test."""
    clients = []

    def open_client(auth=None, flask_client=None):
        client = hub.socketio.test_client(app, auth=auth, flask_test_client=flask_client)
        clients.append(client)
        return client

    yield open_client
    for client in clients:
        if client.is_connected():
            client.disconnect()

"""A real hub process started through the `antrian` CLI, on a free port and its own store."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import yaml

from shared.cli import with_accounts

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "rahasia-petugas"
# Ceilings a 2-core machine running the suite in parallel workers, among other loads, still
# meets: they only matter when something is wrong, and then the test fails anyway.
START_TIMEOUT = 90  # a fresh interpreter importing the hub, its store opened, its port bound
REQUEST_CEILING = 60  # seconds for one answer, e.g. a call's first WAV from a fresh voice worker
VOICE_CEILING = 60  # the hub's own wait for a WAV before the TV falls back to browser speech


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def antrian(*args: str, config: Path, stdin: str = "") -> subprocess.CompletedProcess:
    """Run the CLI as a user would, in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "shared", *args, "--config", str(config)],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )


def wait_until(condition, timeout: float, what: str):
    """Poll a real condition until it holds; fail with `what` if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@dataclass
class LiveHub:
    """A hub process, the config it runs with, and tokens to act on it."""

    config: Path
    port: int
    kiosk_token: str = ""
    display_token: str = ""
    officer_token: str = ""
    process: subprocess.Popen | None = None
    log: Path = field(default=Path())

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.log = self.config.parent / f"hub-{time.monotonic_ns()}.log"
        with self.log.open("w") as out:
            self.process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "shared", "run", "--config", str(self.config)],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        wait_until(self._healthy, START_TIMEOUT, f"the hub on {self.url} (log: {self.log})")

    def _healthy(self) -> bool:
        if self.process and self.process.poll() is not None:
            raise AssertionError(f"hub exited early:\n{self.log.read_text()}")
        try:
            return requests.get(f"{self.url}/api/health", timeout=5).status_code == 200
        except (requests.ConnectionError, requests.Timeout):
            return False  # not listening yet, or too busy starting up to answer

    def kill(self) -> None:
        """Kill -9: no clean shutdown, as when the office PC loses power."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def post(self, path: str, body: dict | None = None, token: str | None = None):
        headers = {"Authorization": f"Bearer {token or self.officer_token}"}
        return requests.post(
            f"{self.url}{path}", json=body or {}, headers=headers, timeout=REQUEST_CEILING
        )

    def get(self, path: str, token: str | None = None):
        # As staff by default: the tests look at who holds each counter.
        headers = {"Authorization": f"Bearer {token or self.officer_token}"}
        return requests.get(f"{self.url}{path}", headers=headers, timeout=REQUEST_CEILING)


def write_config(
    tmp_path: Path,
    printer: dict | None = None,
    office: dict | None = None,
    config_changes: dict | None = None,
    **server,
) -> LiveHub:
    """A private hub's config (its own SQLite file and free port), not started; the shipped
    config.yaml unless `config_changes` gives another, with `office` fields changed."""
    data = config_changes or yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["office"].update(office or {})
    data.setdefault("voice", {})["timeout_seconds"] = VOICE_CEILING
    port = free_port()
    data["store"] = {"url": f"sqlite:///{tmp_path / 'antrian.db'}"}
    data["server"] = {**data.get("server", {}), "host": "127.0.0.1", "port": port, **server}
    if printer is not None:
        data["printer"] = printer
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return LiveHub(config=config, port=port)


def make_hub(
    tmp_path: Path,
    printer: dict | None = None,
    office: dict | None = None,
    config_changes: dict | None = None,
    **server,
) -> LiveHub:
    """Write a config for a private hub, add an officer and devices as the CLI does, start it."""
    hub = write_config(tmp_path, printer, office, config_changes, **server)
    config = hub.config
    add_user(config, "budi", "officer")
    hub.kiosk_token = add_device(config, "kiosk-1", "kiosk")
    hub.display_token = add_device(config, "tv-1", "display")
    hub.start()
    login = requests.post(
        f"{hub.url}/api/login",
        json={"username": "budi", "password": PASSWORD},
        timeout=REQUEST_CEILING,
    )
    hub.officer_token = login.json()["token"]
    return hub


def add_user(config: Path, name: str, role: str) -> None:
    """What `antrian user add` does, in this process (the CLI itself is tested in
    tests/web/test_cli_accounts.py): a fresh interpreter per account cost each hub seconds."""
    with_accounts(str(config), lambda accounts: accounts.add_user(name, role, PASSWORD))


def add_device(config: Path, name: str, kind: str) -> str:
    """What `antrian device add` does, in this process; the device's token."""
    return with_accounts(str(config), lambda accounts: accounts.add_device(name, kind))


@pytest.fixture
def live_hub(tmp_path):
    hub = make_hub(tmp_path)
    yield hub
    hub.stop()


# Outside the checkout: tests write only into temporary folders.
SCREENSHOTS = Path(
    os.environ.get("ANTRIAN_SCREENSHOTS", Path(tempfile.gettempdir()) / "antrian-screenshots")
)
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps dialling hosts this machine cannot reach.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def playwright():
    """One Playwright driver for the session: the sync API allows only one at a time."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("the browser tests need Debian's Chromium: apt-get install chromium")
    with sync_playwright() as driver:
        yield driver


# Pages are awaited on what they show, with a ceiling a loaded machine still meets: the
# ceiling only matters when something is wrong, and then the test fails anyway.
EXPECT_CEILING_MS = 30_000


@pytest.fixture(scope="session")
def browser(playwright):
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_CEILING_MS)
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield launched
    launched.close()


def screenshot(page, name: str) -> Path:
    """Save a screenshot to look at (screenshots/ is not committed)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def sign_in(browser, url: str, user: str):
    """A fresh browser context (its own cookies) signed in as this user at this page."""
    from playwright.sync_api import expect

    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    page.goto(url)
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("body[data-connected=true]")).to_have_count(1)
    return page


def pair(page, hub: LiveHub, token: str) -> None:
    """Pair the browser as a device the way an admin does it: the /pair form."""
    page.goto(f"{hub.url}/pair")
    page.fill("input[name=token]", token)
    page.click("button[type=submit]")


@dataclass
class InProcessHub:
    """A hub served from this test process, so a test can move its clock."""

    url: str
    hub: object
    clock: object


@pytest.fixture
def inprocess_hub(tmp_path):
    """The real app on a real port, with the web tests' movable clock instead of the wall clock."""
    import threading

    from werkzeug.serving import make_server

    from shared.app import close_app, create_app
    from shared.config import load_settings
    from shared.store import open_store
    from tests.web.conftest import MovableClock

    clock = MovableClock()
    # Its instance/ files (the voice cache) go to this test's folder, not the checkout's.
    shipped = load_settings(ROOT / "config.yaml")
    settings = shipped.model_copy(
        update={
            "config_path": tmp_path / "config.yaml",
            "voice": shipped.voice.model_copy(update={"timeout_seconds": VOICE_CEILING}),
        }
    )
    store = open_store(f"sqlite:///{tmp_path / 'antrian.db'}")
    app = create_app(settings, store=store, clock=clock, secret_key="e2e-secret")
    hub = app.extensions["antrian"]
    for user, role in (("budi", "officer"), ("kasi", "supervisor")):
        hub.accounts.add_user(user, role, PASSWORD)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield InProcessHub(f"http://127.0.0.1:{server.server_port}", hub, clock)
    server.shutdown()
    thread.join(timeout=10)
    close_app(app)

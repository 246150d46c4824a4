"""Fixtures for the whole suite: a real Redis, a key prefix per test, a store per adapter."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import redis

from shared.store import open_store, redact_url

pytest_plugins = ["tests.xdist_groups"]

DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
_INSTANCE_BEFORE = pytest.StashKey[set[Path]]()
INSTALL_HINT = (
    "The Redis half of the suite needs a Redis server: install it "
    "(apt-get install redis-server), start one on 127.0.0.1:6379, or set "
    "ANTRIAN_TEST_REDIS_URL. ANTRIAN_SKIP_REDIS=1 skips those tests."
)


def _answers(url: str) -> bool:
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _redis_server_binary() -> str | None:
    found = shutil.which("redis-server")
    if found is None and os.access("/usr/bin/redis-server", os.X_OK):
        found = "/usr/bin/redis-server"
    return found


PRIVATE_REDIS_CEILING = 30  # seconds for a redis-server to answer on a loaded machine


def start_redis_server(binary: str, workdir: Path) -> tuple[str, subprocess.Popen]:
    """A redis-server of our own on a free port, once it answers PING: (url, process)."""
    port = _free_port()
    # No persistence: the data is thrown away, and a dump could not land outside workdir.
    server = subprocess.Popen(  # noqa: S603
        [binary, "--port", str(port), "--bind", "127.0.0.1"]
        + ["--save", "", "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + PRIVATE_REDIS_CEILING
    while not _answers(url):
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            server.wait()
            pytest.fail(f"the private redis-server on port {port} did not start")
        time.sleep(0.05)
    return url, server


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A real Redis: $ANTRIAN_TEST_REDIS_URL, the local one, or a private redis-server."""
    configured = os.environ.get("ANTRIAN_TEST_REDIS_URL")
    if configured:
        if not _answers(configured):
            pytest.fail(f"ANTRIAN_TEST_REDIS_URL={redact_url(configured)} does not answer PING")
        yield configured
        return
    if _answers(DEFAULT_REDIS):
        yield DEFAULT_REDIS
        return
    binary = _redis_server_binary()
    if binary is None:
        if os.environ.get("ANTRIAN_SKIP_REDIS") == "1":
            pytest.skip("no Redis and ANTRIAN_SKIP_REDIS=1")
        pytest.fail(INSTALL_HINT)
    url, server = start_redis_server(binary, tmp_path_factory.mktemp("redis"))
    yield url
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@pytest.fixture
def redis_prefix(redis_url):
    """A key prefix of this test's own, whose keys are deleted afterwards."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
    client.close()


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def store_url(request, tmp_path):
    """(url, key prefix) of a fresh store, once per adapter."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'events.db'}", "antrian"
    return request.getfixturevalue("redis_url"), request.getfixturevalue("redis_prefix")


@pytest.fixture
def store(store_url):
    """A fresh event store, once per adapter."""
    url, prefix = store_url
    opened = open_store(url, key_prefix=prefix)
    yield opened
    opened.close()


def _files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file()} if folder.exists() else set()


def _is_xdist_worker(config: pytest.Config) -> bool:
    """True in a pytest-xdist worker: the controller watches the whole run instead."""
    return hasattr(config, "workerinput")


def _checkout_instance(session: pytest.Session) -> Path:
    return session.config.rootpath / "instance"  # the checkout's, beside pyproject.toml


def pytest_sessionstart(session: pytest.Session) -> None:
    # Tests write into temporary folders only, never beside the checkout's live database.
    # Watched once for the whole run, in the one process that sees every worker start and end.
    if not _is_xdist_worker(session.config):
        session.config.stash[_INSTANCE_BEFORE] = _files_under(_checkout_instance(session))


def pytest_sessionfinish(session: pytest.Session) -> None:
    before = session.config.stash.get(_INSTANCE_BEFORE, None)
    if before is None:
        return
    instance = _checkout_instance(session)
    added = sorted(str(path) for path in _files_under(instance) - before)
    if not added:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    message = (
        f"the tests wrote {len(added)} file(s) into {instance} (or a hub run from "
        f"this checkout did meanwhile), e.g. {added[:3]}; give the code under test a tmp_path"
    )
    if reporter is not None:
        reporter.write_sep("=", "checkout instance/ touched", red=True)
        reporter.write_line(message)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED

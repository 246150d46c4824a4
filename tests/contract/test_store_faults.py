"""A store that cannot be reached says which one and why; a bad URL is refused."""

from __future__ import annotations

import time

import pytest

from shared.store import StoreUnavailable, open_store
from tests.conftest import _free_port


def test_redis_on_a_closed_port_is_unavailable_with_its_url():
    url = f"redis://127.0.0.1:{_free_port()}/0"
    store = open_store(url)
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match=f"127.0.0.1:{url.rsplit(':', 1)[1]}"):
        store.append("day:1", [], 0)
    with pytest.raises(StoreUnavailable):
        store.ping()
    assert time.monotonic() - started < 10  # a short timeout, not the default minutes
    store.close()


def test_redis_password_is_never_in_the_message():
    store = open_store(f"redis://user:s3cret@127.0.0.1:{_free_port()}/0")
    with pytest.raises(StoreUnavailable) as failure:
        store.read("day:1")
    assert "s3cret" not in str(failure.value)
    store.close()


def test_sqlite_under_a_regular_file_is_unavailable_naming_the_path(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(StoreUnavailable, match="not-a-folder"):
        open_store(f"sqlite:///{blocker / 'antrian.db'}")


def test_sqlite_file_that_is_not_a_database_is_unavailable(tmp_path):
    garbage = tmp_path / "antrian.db"
    garbage.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreUnavailable, match="antrian.db"):
        open_store(f"sqlite:///{garbage}")


def test_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="sqlite:/// or redis://"):
        open_store("postgres://localhost/antrian")

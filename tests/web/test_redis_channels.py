"""Hubs sharing one Redis: live events reach the hubs on the same store, and no other."""

from __future__ import annotations

import time

import pytest
import redis

from shared.app import close_app, create_app
from tests.web.conftest import bearer

pytestmark = pytest.mark.redis
CEILING = 30  # seconds for a message through a real Redis on a loaded machine


@pytest.fixture
def redis_hub(settings, clock):
    """Build hubs on a Redis database and key prefix of the test's choosing."""
    built = []

    def build(url: str, prefix: str):
        store = settings.store.model_copy(update={"url": url, "key_prefix": prefix})
        app = create_app(settings.model_copy(update={"store": store}), clock=clock, secret_key="t")
        built.append(app)
        return app

    yield build
    for app in built:
        close_app(app)


def _channel(app) -> str:
    return app.extensions["antrian"].socketio.server.manager.channel


def _other_database(url: str) -> str:
    base, _, db = url.rpartition("/")
    return f"{base}/{(int(db or 0) + 1) % 16}"


def test_the_channel_names_the_redis_database_and_the_key_prefix(redis_hub, redis_url):
    here = redis_hub(redis_url, "kantor")
    same_store = redis_hub(redis_url, "kantor")
    other_prefix = redis_hub(redis_url, "kantor-uji")
    other_database = redis_hub(_other_database(redis_url), "kantor")
    assert _channel(here) == _channel(same_store)  # several processes of one hub still meet
    assert len({_channel(here), _channel(other_prefix), _channel(other_database)}) == 3


def test_a_hub_on_another_key_prefix_hears_none_of_the_calls(redis_hub, redis_url, redis_prefix):
    talking = redis_hub(redis_url, f"{redis_prefix}:a")
    other = redis_hub(redis_url, f"{redis_prefix}:b")
    # What each hub's Socket.IO listener would receive: one subscription per hub's channel.
    near, far = _listen(redis_url, _channel(talking)), _listen(redis_url, _channel(other))
    try:
        kiosk = talking.extensions["antrian"].accounts.add_device("kiosk-a", "kiosk")
        for _ in range(2):
            taken = talking.test_client().post(
                "/api/tickets", json={"service": "ak1-baru"}, headers=bearer(kiosk)
            )
            assert taken.status_code == 201
        assert len(_messages(near, until=lambda heard: len(heard) >= 2)) >= 2
        # Both tickets' events were published before the near listener read them.
        assert _messages(far, until=lambda heard: True) == []
    finally:
        near.close()
        far.close()


def _listen(url: str, channel: str):
    listener = redis.Redis.from_url(url).pubsub(ignore_subscribe_messages=True)
    listener.subscribe(channel)
    listener.get_message(timeout=CEILING, ignore_subscribe_messages=False)  # subscribed now
    return listener


def _messages(listener, until) -> list[bytes]:
    """Messages read until `until(heard)` holds after a read (bounded by CEILING)."""
    heard: list[bytes] = []
    deadline = time.monotonic() + CEILING
    while time.monotonic() < deadline:
        message = listener.get_message(timeout=0.5)
        if message is not None:
            heard.append(message["data"])
            continue
        if until(heard):
            return heard
    raise AssertionError(f"only {len(heard)} message(s) within {CEILING} s")

"""Hubs starting at once on a new store: one first start, one admin password that works."""

from __future__ import annotations

import threading

import pytest

from shared.accounts import ACCOUNTS_STREAM, Accounts
from shared.first_start import first_start
from shared.store import open_store

HUBS = 3


@pytest.mark.parametrize("attempt", range(2))
def test_hubs_starting_together_make_the_first_accounts_once(store_url, attempt):
    url, prefix = store_url
    stores = [open_store(url, key_prefix=prefix) for _ in range(HUBS)]  # one per process
    everyone_ready = threading.Barrier(HUBS)
    made = [None] * HUBS

    def start(index: int) -> None:
        accounts = Accounts(stores[index])
        accounts.has_users()  # each hub has read the empty store before any writes
        everyone_ready.wait(timeout=30)
        made[index] = first_start(accounts)

    threads = [threading.Thread(target=start, args=(i,)) for i in range(HUBS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        winners = [m for m in made if m is not None]
        assert len(winners) == 1, made
        events = stores[0].read(ACCOUNTS_STREAM)
        assert [e.type for e in events] == ["UserSaved", "DevicePaired", "DevicePaired"]
        fresh = Accounts(stores[0])
        assert fresh.check_password("admin", winners[0].password) is not None
        for name, token in winners[0].device_tokens.items():
            assert fresh.device_for_token(token).name == name
    finally:
        for store in stores:
            store.close()


def test_a_device_paired_before_the_first_start_does_not_prevent_it(store):
    accounts = Accounts(store)
    accounts.add_device("tv-lobi", "display")
    made = first_start(accounts)
    assert made is not None
    assert accounts.check_password("admin", made.password) is not None
    assert first_start(Accounts(store)) is None

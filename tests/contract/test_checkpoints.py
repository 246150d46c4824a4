"""A restarted hub starts from the day's checkpoint and folds only what came after it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from shared.checkpoints import Checkpointer, decode, encode
from shared.config import load_settings
from shared.domain import commands as c
from shared.domain.office_day import OfficeDay
from shared.queue_service import QueueService
from shared.store import open_store

ROOT = Path(__file__).resolve().parents[2]

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def test_a_restart_folds_only_the_events_after_the_checkpoint(store_url):
    url, prefix = store_url
    catalogue = load_settings(ROOT / "config.yaml").catalogue()
    store = open_store(url, key_prefix=prefix)
    first = QueueService(store, catalogue, clock=lambda: NOW)
    first.checkpoints = Checkpointer(store, every=10)
    saved = []
    original = first.checkpoints.consider
    first.checkpoints.consider = lambda s, d: saved.append(original(s, d))  # type: ignore
    for i in range(25):
        first.execute(c.IssueTicket("ak1-baru", request_id=f"r{i}"))
    first.execute(c.CallNext("1", "budi"))
    for thread in filter(None, saved):
        thread.join(timeout=60)
    stream = first.stream_name(first.office_date())
    version, _ = store.load_checkpoint(stream)
    assert version in (10, 20)  # the latest saved of the two thresholds crossed

    reopened = open_store(url, key_prefix=prefix)
    reads_after = []
    read = reopened.read
    reopened.read = lambda s, after=0: reads_after.append(after) or read(s, after)  # type: ignore
    restarted = QueueService(reopened, catalogue, clock=lambda: NOW)
    assert restarted.today() == first.today()  # the same state as the hub that never stopped
    assert reads_after == [version]  # it read only the events after the checkpoint
    reopened.close()
    store.close()


def test_a_checkpoint_of_other_code_is_ignored():
    day = OfficeDay()
    assert decode(encode(day)) == day
    assert decode(b"another version of the fold" + encode(day)) is None

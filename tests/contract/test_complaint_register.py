"""The complaints register on each real store: races between hubs, durability, the contact.

Two ComplaintService objects on one store stand for two hub processes (two supervisors'
browsers on different hubs of one Redis, or a hub and a second process on one SQLite file).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from shared.complaint_service import ComplaintService
from shared.domain.complaints import (
    PUBLIC_CHANNEL,
    CloseComplaint,
    ComplaintPolicy,
    ComplaintState,
    FollowUpComplaint,
    ForwardComplaint,
    InvalidComplaint,
    ReceiveComplaint,
    WrongComplaintState,
)
from shared.store import StoreUnavailable, open_store

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
POLICY = ComplaintPolicy("Asia/Jakarta", channels=("Surat",))


def service(store) -> ComplaintService:
    return ComplaintService(
        store, "disnaker-lamongan", POLICY, clock=lambda: NOW, supervisors=lambda: ["kasi", "kabid"]
    )


def complaint(text: str = "Antrean terlalu lama hari ini", **extra) -> ReceiveComplaint:
    return ReceiveComplaint("pengaduan", "Waktu pelayanan", PUBLIC_CHANNEL, text, **extra)


def run_together(*actions):
    """Run the actions at the same moment on their own threads; their results or errors."""
    start = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def run(i, action):
        start.wait(timeout=30)
        try:
            results[i] = action()
        except Exception as exc:  # the loser's refusal is the point of the test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "an action hung"
    return results


def test_filings_from_two_hubs_at_once_get_unique_gap_free_numbers(store, store_url):
    url, prefix = store_url
    other_store = open_store(url, key_prefix=prefix)
    try:
        hubs = [service(store), service(other_store)]
        per_hub = 15

        def file_many(hub):
            return [
                hub.receive(complaint(f"Pengaduan nomor {i} dari hub")).complaint.number
                for i in range(per_hub)
            ]

        results = run_together(lambda: file_many(hubs[0]), lambda: file_many(hubs[1]))
        numbers = [n for result in results for n in result]  # type: ignore[union-attr]
        assert sorted(numbers) == [f"PGD-2026-{i:04d}" for i in range(1, 2 * per_hub + 1)]
        assert len(hubs[0].register().complaints) == 2 * per_hub
    finally:
        other_store.close()


def test_two_supervisors_closing_at_once_one_wins_the_other_is_refused(store, store_url):
    url, prefix = store_url
    other_store = open_store(url, key_prefix=prefix)
    try:
        first, second = service(store), service(other_store)
        filed = first.receive(complaint(), contact="0812-3456-7890").complaint
        first.act(ForwardComplaint(filed.id, "kasi", "kabid"))
        first.act(FollowUpComplaint(filed.id, "kabid", "Petugas ditegur"))
        second.register()  # both hubs have read the complaint before either closes it
        results = run_together(
            lambda: first.act(CloseComplaint(filed.id, "kasi", "Jawaban dari kasi")),
            lambda: second.act(CloseComplaint(filed.id, "kabid", "Jawaban dari kabid")),
        )
        refused = [r for r in results if isinstance(r, WrongComplaintState)]
        closed = [r for r in results if not isinstance(r, Exception)]
        assert len(refused) == 1 and len(closed) == 1, results
        assert "sudah selesai" in refused[0].message
        final = first.register().complaints[filed.id]
        assert [t.state for t in final.history].count(ComplaintState.CLOSED) == 1
        assert final.answer == closed[0].answer  # type: ignore[union-attr]
        assert store.load_contact(final.contact_key) is None
    finally:
        other_store.close()


def test_a_reopened_store_has_every_acknowledged_step(store, store_url):
    hub = service(store)
    filed = hub.receive(complaint()).complaint
    hub.act(ForwardComplaint(filed.id, "kasi", "kabid"))
    url, prefix = store_url
    reopened = open_store(url, key_prefix=prefix)
    try:
        again = service(reopened).register().complaints[filed.id]
        assert again.state is ComplaintState.FORWARDED
        assert again.forwarded_to == "kabid"
        assert again.number == filed.number
    finally:
        reopened.close()


def test_the_contact_is_kept_apart_and_erased_when_the_complaint_closes(store):
    hub = service(store)
    filed = hub.receive(complaint(), contact="  wa 0812-3456-7890 ").complaint
    assert filed.has_contact
    assert hub.contact(filed) == "wa 0812-3456-7890"
    stored = [e.data for e in store.read(hub.stream)]
    assert "0812" not in repr(stored)  # never in an event
    hub.act(ForwardComplaint(filed.id, "kasi", "kabid"))
    hub.act(FollowUpComplaint(filed.id, "kabid", "sudah ditindaklanjuti"))
    closed = hub.act(CloseComplaint(filed.id, "kabid", "sudah kami jawab"))
    assert store.load_contact(filed.contact_key) is None
    assert hub.contact(closed) is None


def test_an_anonymous_complaint_with_a_contact_is_refused_and_nothing_is_stored(store):
    hub = service(store)
    with pytest.raises(InvalidComplaint, match="anonim"):
        hub.receive(complaint(anonymous=True), contact="0812-3456-7890")
    assert store.version(hub.stream) == 0
    assert hub.register().complaints == {}


def test_a_repeated_submit_returns_the_same_complaint_and_saves_a_missing_contact(store):
    hub = service(store)
    first = hub.receive(complaint(request_id="form-123"), contact="0812-1111")
    store.erase_contact(first.complaint.contact_key)  # as if the first request died here
    again = hub.receive(complaint(request_id="form-123"), contact="0812-1111")
    assert (again.created, again.complaint.number) == (False, first.complaint.number)
    assert store.version(hub.stream) == 1
    assert hub.contact(again.complaint) == "0812-1111"


def test_a_hub_that_died_before_erasing_erases_when_it_starts_again(store, store_url):
    hub = service(store)
    filed = hub.receive(complaint(), contact="0812-2222").complaint
    hub.act(ForwardComplaint(filed.id, "kasi", "kabid"))
    hub.act(FollowUpComplaint(filed.id, "kabid", "ditindaklanjuti"))
    # The close is appended, then the store fails before the contact is erased.
    erase = store.erase_contact
    store.erase_contact = lambda key: (_ for _ in ()).throw(StoreUnavailable("down"))
    hub.act(CloseComplaint(filed.id, "kabid", "jawaban"))
    store.erase_contact = erase
    assert store.load_contact(filed.contact_key) == "0812-2222"
    url, prefix = store_url
    restarted_store = open_store(url, key_prefix=prefix)
    try:
        service(restarted_store).register()  # a new process's first read of the register
        assert restarted_store.load_contact(filed.contact_key) is None
    finally:
        restarted_store.close()


def test_a_close_decided_on_a_stale_register_is_decided_again_and_refused(store, store_url):
    """The race's narrow window made certain: B decides before it can see A's close."""
    url, prefix = store_url
    other_store = open_store(url, key_prefix=prefix)
    try:
        first, second = service(store), service(other_store)
        filed = first.receive(complaint()).complaint
        first.act(ForwardComplaint(filed.id, "kasi", "kabid"))
        first.act(FollowUpComplaint(filed.id, "kabid", "Petugas ditegur"))
        second.register()
        first.act(CloseComplaint(filed.id, "kasi", "Jawaban dari kasi"))
        read, appends = other_store.read, []
        stale = iter([True])  # the first read after this misses A's close
        other_store.read = lambda stream, after=0: [] if next(stale, False) else read(stream, after)
        append = other_store.append
        other_store.append = lambda *a: appends.append(a) or append(*a)
        with pytest.raises(WrongComplaintState, match="sudah selesai: dijawab oleh kasi"):
            second.act(CloseComplaint(filed.id, "kabid", "Jawaban dari kabid"))
        assert len(appends) == 1  # it tried once on the stale state, met the conflict
        assert first.register().complaints[filed.id].answer == "Jawaban dari kasi"
        assert store.version(first.stream) == 4
    finally:
        other_store.close()


def test_a_contact_saved_after_another_hub_closed_the_complaint_is_erased(store, store_url):
    url, prefix = store_url
    other_store = open_store(url, key_prefix=prefix)
    try:
        first, second = service(store), service(other_store)
        save = store.save_contact

        def save_after_a_quick_close(key, text):
            # Between the append and the save, another hub forwards, follows up and closes.
            (filed,) = second.register().complaints.values()
            second.act(ForwardComplaint(filed.id, "kasi", "kabid"))
            second.act(FollowUpComplaint(filed.id, "kabid", "ditindaklanjuti"))
            second.act(CloseComplaint(filed.id, "kabid", "dijawab"))
            save(key, text)

        store.save_contact = save_after_a_quick_close
        filed = first.receive(complaint(), contact="0812-3333").complaint
        assert store.load_contact(filed.contact_key) is None
    finally:
        other_store.close()

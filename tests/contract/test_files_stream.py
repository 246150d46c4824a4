"""The files stream on both stores: derived from the day's finish, idempotent, picked up once."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.domain import commands as c
from shared.domain.catalogue import Counter, Service, Step
from shared.domain.files import (
    PICKUP_REQUEST_PREFIX,
    FileAlreadyPickedUp,
    FileState,
    LeaveContact,
    MarkReady,
    PickUp,
)
from shared.files_desk import FileDesk, contact_key
from shared.queue_service import QueueService
from tests.unit.office import small_office

PICKUP = Service(
    "ambil-berkas",
    "P",
    "Ambil berkas",
    ("Bukti",),
    (Step("Serahkan", "Petugas", 1),),
    2,
    pickup=True,
)


def office():
    base = small_office()
    ak1 = replace(base.services[0], finished_later_days=3)
    return replace(
        base,
        services=(ak1, *base.services[1:], PICKUP),
        counters=(*base.counters, Counter("4", "Loket 4", ("ambil-berkas",))),
    )


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 08.00 WIB

    def __call__(self) -> datetime:
        return self.now


def hub(store, clock, *, derive: bool = True):
    """A queue and a files desk on one store; derive=False is a hub that died between them."""
    catalogue = office()
    desk = FileDesk(store, catalogue, clock=clock)
    publish = (
        (lambda events, after, before: desk.after_queue(events, after.day)) if derive else None
    )
    return QueueService(store, catalogue, clock=clock, publish=publish), desk


def serve(queue: QueueService, service: str = "ak1-baru", counter: str = "1", **issue) -> str:
    ticket = queue.execute(c.IssueTicket(service, **issue)).ticket
    queue.execute(c.CallTicket(counter, "budi", ticket=ticket.number))
    queue.execute(c.Start(counter, "budi"))
    steps = queue.catalogue.service(service).steps
    for index in [i for i, step in enumerate(steps) if not step.optional][1:]:
        queue.execute(c.NextStep(counter, "budi", to_step=index))  # over optional steps
    queue.execute(c.Finish(counter, "budi"))
    assert queue.today().tickets[ticket.id].state.value == "done"
    return ticket.id


def test_a_finished_visit_opens_its_file_and_another_process_sees_it(store):
    clock = Clock()
    queue, desk = hub(store, clock)
    ticket_id = serve(queue)
    berkas = desk.current().files[ticket_id]
    assert berkas.state is FileState.PROCESSING
    assert str(berkas.ready_by) == "2026-11-26"  # Monday + 3 working days
    other = FileDesk(store, office(), clock=clock)
    assert other.find(berkas.pickup_code) == berkas
    serve(queue, "id-ctki", counter="3")  # a service finished at the counter leaves no file
    assert len(other.current().files) == 1


def test_a_hub_that_died_between_the_two_streams_loses_no_file(store):
    clock = Clock()
    queue, _ = hub(store, clock, derive=False)
    ticket_id = serve(queue)
    restarted_queue, desk = hub(store, clock)
    assert desk.current().files == {}
    desk.reconcile(restarted_queue.day_on)
    assert list(desk.current().files) == [ticket_id]
    code = desk.current().files[ticket_id].pickup_code
    # Again (another restart, two processes reconciling): still that one file, same code.
    desk.reconcile(restarted_queue.day_on)
    FileDesk(store, office(), clock=clock).reconcile(restarted_queue.day_on)
    assert [(f.id, f.pickup_code) for f in desk.current().files.values()] == [(ticket_id, code)]
    # Days later, the reconciliation still finds it (the day's stream is the truth).
    clock.now += timedelta(days=2)
    desk.reconcile(restarted_queue.day_on)
    assert len(desk.current().files) == 1


def test_serving_the_pickup_line_marks_the_file_collected_once(store):
    clock = Clock()
    queue, desk = hub(store, clock)
    file_id = serve(queue)
    desk.execute(MarkReady(file_id, "siti"))
    clock.now += timedelta(days=1)
    serve(queue, "ambil-berkas", counter="4", request_id=f"{PICKUP_REQUEST_PREFIX}{file_id}")
    berkas = desk.current().files[file_id]
    assert berkas.state is FileState.PICKED_UP and berkas.pickup_ticket is not None
    with pytest.raises(FileAlreadyPickedUp):
        desk.pick_up(PickUp(file_id, "budi"))
    # Reconciling that day again records nothing more.
    version = store.version(desk.stream)
    desk.reconcile(queue.day_on)
    assert store.version(desk.stream) == version


def _pick(desk: FileDesk, officer: str, file_id: str, start, outcomes: list[str]) -> None:
    start.wait()
    try:
        desk.pick_up(PickUp(file_id, officer))
        outcomes.append("ok")
    except FileAlreadyPickedUp:
        outcomes.append("refused")


def test_two_pickups_at_once_one_wins_one_is_refused(store):
    """Two hub processes (two desks, each with its own cache) hand the same files over at once."""
    clock = Clock()
    queue, desk = hub(store, clock)
    files = [serve(queue) for _ in range(5)]
    for file_id in files:
        desk.execute(MarkReady(file_id, "siti"))
    desks = [FileDesk(store, office(), clock=clock) for _ in range(2)]
    for file_id in files:
        start = threading.Barrier(2)
        outcomes: list[str] = []
        threads = [
            threading.Thread(target=_pick, args=(d, f"o{i}", file_id, start, outcomes))
            for i, d in enumerate(desks)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(outcomes) == ["ok", "refused"]
    pickups = [e for e in store.read(desk.stream) if e.type == "FilePickedUp"]
    assert sorted(e.data["file_id"] for e in pickups) == sorted(files)


def test_a_collected_file_takes_its_contact_with_it(store):
    clock = Clock()
    queue, desk = hub(store, clock)
    file_id = serve(queue)
    store.save_contact(contact_key(file_id), "pencaker@example.com")
    desk.execute(LeaveContact(file_id, "email"))
    desk.execute(MarkReady(file_id, "siti"))
    assert store.load_contact(contact_key(file_id)) == "pencaker@example.com"
    desk.pick_up(PickUp(file_id, "budi"))
    assert store.load_contact(contact_key(file_id)) is None
    # The stream names the channel only, never the address.
    assert "pencaker" not in str([e.data for e in store.read(desk.stream)])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    visits=st.lists(st.tuples(st.sampled_from(["ak1-baru", "id-ctki"]), st.booleans()), max_size=6)
)
def test_property_every_finished_visit_that_leaves_a_file_has_exactly_one(tmp_path_factory, visits):
    """Whatever crashes between the two streams (True: the hub died before deriving), after a
    restart's reconciliation every finished AK1 visit has one file, and nothing else has."""
    from shared.store import open_store

    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('files') / 'events.db'}")
    try:
        clock = Clock()
        finished = []
        for service, crashed in visits:
            queue, _ = hub(store, clock, derive=not crashed)
            counter = "1" if service == "ak1-baru" else "3"
            finished.append((service, serve(queue, service, counter=counter)))
        queue, desk = hub(store, clock)
        desk.reconcile(queue.day_on)
        expected = sorted(ticket for service, ticket in finished if service == "ak1-baru")
        assert sorted(desk.current().files) == expected
        codes = [f.pickup_code for f in desk.current().files.values()]
        assert len(set(codes)) == len(codes)
        opened = [e for e in store.read(desk.stream) if e.type == "FileOpened"]
        assert len(opened) == len(expected)
    finally:
        store.close()


def test_the_expected_date_skips_the_office_calendars_holidays(store):
    from datetime import date

    from shared.domain.catalogue import Holiday

    clock = Clock()
    catalogue = replace(office(), holidays=(Holiday(date(2026, 11, 25), "Hari Guru"),))
    desk = FileDesk(store, catalogue, clock=clock)
    queue = QueueService(
        store, catalogue, clock=clock, publish=lambda e, a, b: desk.after_queue(e, a.day)
    )
    file_id = serve(queue)
    assert str(desk.current().files[file_id].ready_by) == "2026-11-27"  # Mon + 3, Wed off


def test_a_derivation_failing_while_a_reconciliation_runs_is_retried(store):
    """A request's derivation fails (the store refused) while the worker is reconciling: the
    flag it raised must survive that reconciliation, or the file waits for the next restart."""
    clock = Clock()
    queue, desk = hub(store, clock)

    def day_on_while_a_request_fails(day):
        desk.needs_reconcile.set()  # what after_queue does when its derivation fails
        return queue.day_on(day)

    desk.reconcile(day_on_while_a_request_fails)
    assert desk.needs_reconcile.is_set()

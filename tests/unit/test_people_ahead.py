"""People ahead and the wait estimate, counted over the line a ticket's counters call from."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.domain import commands as c
from shared.domain.errors import QueueError
from shared.domain.events import TicketCalled
from shared.domain.office_day import TicketState
from shared.domain.timing import estimated_wait_minutes
from shared.domain.waiting import people_ahead
from tests.unit.office import Desk


def test_an_a_ticket_waits_behind_the_b_tickets_its_counters_call_first():
    desk = Desk()
    # Loket 1 and 2 serve A and B from one line: B-001 and B-002 came before A-002.
    ids = [desk.issue(s) for s in ("ak1-baru", "ak1-perpanjangan", "ak1-perpanjangan", "ak1-baru")]
    desk.issue("id-ctki")  # Loket 3's line is another line
    a2 = desk.day.tickets[ids[3]]
    assert people_ahead(desk.day, desk.catalogue, a2) == 3
    # 3 visits x 15 min standard / 2 counters, rounded up.
    assert estimated_wait_minutes(desk.day, desk.catalogue, a2) == 23


def test_a_priority_ticket_of_another_service_counts_only_where_it_is_called_first():
    desk = Desk()
    a1 = desk.issue("ak1-baru")
    desk.issue("ak1-perpanjangan", priority="lansia")  # B-001: its line's oldest is itself
    assert people_ahead(desk.day, desk.catalogue, desk.day.tickets[a1]) == 0
    a2 = desk.issue("ak1-baru")
    assert people_ahead(desk.day, desk.catalogue, desk.day.tickets[a2]) == 2


def test_a_ticket_sent_to_one_desk_waits_only_behind_that_desks_line():
    desk = Desk()
    first = desk.issue("ak1-baru")
    desk.issue("ak1-baru")
    desk.run(c.CallTicket("1", "budi", ticket=first))
    desk.run(c.Start("1", "budi"))
    desk.run(c.Transfer("1", "budi", to_counter="konseling"))
    sent = desk.day.tickets[first]
    assert sent.state is TicketState.WAITING
    assert people_ahead(desk.day, desk.catalogue, sent) == 0


SERVICES = ("ak1-baru", "ak1-perpanjangan", "id-ctki")
issues = st.tuples(st.sampled_from(SERVICES), st.sampled_from([None, None, None, "lansia"]))
# Between issues: call at Loket 1 or 2 and skip, so the lines move as on a real morning.
steps = st.lists(st.one_of(issues, st.sampled_from(["1", "2"])), min_size=1, max_size=25)


def call_until(desk: Desk, ticket_id: str) -> int:
    """Loket 1 and 2 call in turn (skipping whoever does not come) until the ticket is called;
    the number of others called before it."""
    others = 0
    for turn in range(200):
        counter = "12"[turn % 2]
        if desk.at(counter) is not None:
            desk.run(c.Skip(counter, "x"))
        (called,) = [e for e in desk.run(c.CallNext(counter, "x")) if isinstance(e, TicketCalled)]
        if called.ticket_id == ticket_id:
            return others
        others += 1
    raise AssertionError("never called")


@settings(max_examples=150, deadline=None)
@given(steps)
def test_people_ahead_is_how_many_its_counters_call_before_it(script):
    desk = Desk()
    for step in script:
        desk.tick(17)
        if isinstance(step, tuple):
            desk.issue(*step)
            continue
        try:
            if desk.at(step) is not None:
                desk.run(c.Skip(step, "x"))
            desk.run(c.CallNext(step, "x"))
        except QueueError:
            pass
    waiting = [t for t in desk.day.waiting() if t.service != "id-ctki"]
    for ticket in waiting:
        predicted = people_ahead(desk.day, desk.catalogue, ticket)
        replay = Desk(desk.catalogue)
        replay.day, replay.now = desk.day, desk.now
        assert call_until(replay, ticket.id) == predicted, ticket.number

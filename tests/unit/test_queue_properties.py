"""Invariants of the queue under random sequences of commands (hypothesis)."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.domain import commands as c
from shared.domain.errors import QueueError
from shared.domain.events import CounterEvent, TicketCalled, TicketRecalled, TicketSkipped
from shared.domain.office_day import OfficeDay, Outcome, TicketState
from tests.unit.office import Desk, small_office

COUNTERS = ("1", "2", "3", "konseling")
SERVICES = ("ak1-baru", "ak1-perpanjangan", "id-ctki")

counter_ids = st.sampled_from(COUNTERS)
# Mostly one officer, so lines get served; sometimes another, so holding a counter matters.
officers = st.sampled_from(["x", "x", "x", "y"])
ticket_refs = st.builds(
    lambda letter, n: f"{letter}-{n:03d}", st.sampled_from("ABC"), st.integers(1, 6)
)

issue = st.builds(
    c.IssueTicket,
    service=st.sampled_from(SERVICES),
    priority=st.sampled_from([None, None, "lansia", "ibu_hamil"]),
)
other_commands = [
    st.builds(c.CallTicket, counter_ids, officers, ticket=ticket_refs),
    st.builds(c.Recall, counter_ids, officers),
    st.builds(c.ExpireCall, counter_ids, officers),
    st.builds(c.Skip, counter_ids, officers),
    st.builds(c.Start, counter_ids, officers),
    st.builds(c.NextStep, counter_ids, officers),
    st.builds(c.PreviousStep, counter_ids, officers),
    st.builds(c.Finish, counter_ids, officers),
    st.builds(c.ReturnIncomplete, counter_ids, officers, reason=st.just("KTP")),
    st.builds(
        c.Transfer,
        counter_ids,
        officers,
        to_service=st.sampled_from([None, "id-ctki", "ak1-baru"]),
        to_counter=st.sampled_from([None, "konseling"]),
    ),
    st.builds(c.Reinstate, counter_ids, officers, ticket=ticket_refs),
    st.builds(c.Cancel, counter_ids, officers, ticket=ticket_refs),
    st.builds(c.HandOverStep, counter_ids, officers),
    st.builds(c.OpenCounter, counter_ids, officers),
    st.builds(c.CloseCounter, counter_ids, officers),
    st.builds(c.PauseCounter, counter_ids, officers),
    st.builds(c.ResumeCounter, counter_ids, officers),
    st.builds(c.ReleaseCounter, st.just("kasi"), counter=counter_ids),
    st.builds(c.SupervisorReinstate, st.just("kasi"), ticket=ticket_refs),
    st.builds(c.SupervisorCancel, st.just("kasi"), ticket=ticket_refs),
    st.builds(
        c.Reassign,
        st.just("kasi"),
        ticket=ticket_refs,
        to_counter=st.sampled_from([None, *COUNTERS]),
    ),
]
# Issuing and calling are weighted up so that lines of several tickets actually form
# (st.one_of would fold repeated branches into one).
weighted = [issue] * 6 + [st.builds(c.CallNext, counter_ids, officers)] * 4 + other_commands
commands = st.sampled_from(range(len(weighted))).flatmap(lambda i: weighted[i])
scripts = st.lists(commands, min_size=10, max_size=80)


def same_line(a, b) -> bool:
    return a.service == b.service and a.target_counter == b.target_counter


def assert_next_in_line_was_called(desk: Desk, command: c.Command) -> None:
    """A plain "call next" never passes over an earlier ticket of the same class and line."""
    if not isinstance(command, c.CallNext | c.ExpireCall):
        return
    # Copies: calling changes the ticket in place (a ticket sent to a counter loses its target).
    waiting_before = {t.id: copy.copy(t) for t in desk.day.waiting()}
    try:
        events = desk.run(command)
    except QueueError:
        return
    for event in events:
        if isinstance(event, TicketCalled):
            called = waiting_before[event.ticket_id]
            for other in waiting_before.values():
                if same_line(other, called) and bool(other.priority) == bool(called.priority):
                    assert other.queue_key >= called.queue_key, (other.number, called.number)


def _holder(desk: Desk, command: c.Command) -> str | None:
    if not isinstance(command, c.CounterCommand):
        return None
    session = desk.day.session(command.counter)
    return session.officer if session else None


def assert_lines_are_the_waiting_tickets_in_order(day: OfficeDay) -> None:
    expected: dict = {}
    for ticket in sorted(day.waiting(), key=lambda t: t.queue_key):
        expected.setdefault((ticket.service, ticket.target_counter), []).append(ticket.id)
    assert day.lines == expected
    for line in expected.values():
        for place, ticket_id in enumerate(line):
            assert day.place_in_line(day.tickets[ticket_id]) == place
    skipped = {t.id for t in day.tickets.values() if t.state is TicketState.SKIPPED}
    assert day.skipped_ids == skipped


def run_and_check(desk: Desk, script: list[c.Command]) -> None:
    max_calls = desk.catalogue.call_rules.max_calls
    for command in script:
        desk.tick(31)
        holder = _holder(desk, command)
        logged = len(desk.log)
        before, as_it_was = desk.day, copy.deepcopy(desk.day)
        if isinstance(command, c.CallNext | c.ExpireCall):
            assert_next_in_line_was_called(desk, command)
        else:
            try:
                desk.run(command)
            except QueueError:
                pass
        day = desk.day
        # A day handed out is never changed by the days after it.
        assert before == as_it_was
        assert_lines_are_the_waiting_tickets_in_order(day)
        # Nobody acts at a counter another officer holds (the recall timer is nobody).
        if holder is not None and not isinstance(command, c.ExpireCall):
            for event in desk.log[logged:]:
                if isinstance(event, CounterEvent) and event.counter == command.counter:
                    assert event.officer == holder, (holder, event)
        # A break is open exactly while its counter is paused, and a paused counter is empty.
        open_breaks = {p.counter for p in day.pauses if p.ended_at is None}
        assert open_breaks == {k for k, s in day.sessions.items() if s.pause is not None}
        assert not open_breaks & set(day.active_by_counter)
        # Every finished visit is counted once, at the counter that finished it.
        served = sum(t.get(Outcome.SERVED, 0) for t in day.outcomes_by_counter.values())
        assert served == sum(1 for t in day.tickets.values() if t.state is TicketState.DONE)
        # No ticket is active at two counters, and a counter's ticket points back at it.
        active = list(day.active_by_counter.values())
        assert len(active) == len(set(active))
        for counter, ticket_id in day.active_by_counter.items():
            ticket = day.tickets[ticket_id]
            assert ticket.counter == counter
            assert ticket.state in (TicketState.CALLED, TicketState.SERVING)
        # No number is issued twice.
        numbers = [t.number for t in day.tickets.values()]
        assert len(numbers) == len(set(numbers))
        # Waiting means exactly: in the waiting set.
        assert {t.id for t in day.tickets.values() if t.state is TicketState.WAITING} == (
            day.waiting_ids
        )
        assert all(t.call_count <= max_calls for t in day.tickets.values())
    # Folding every event into one day gives the day the successors reached.
    folded = OfficeDay()
    folded.apply_all(desk.log)
    assert folded == desk.day
    for event in desk.log:
        if isinstance(event, TicketSkipped):
            assert 1 <= event.call_count <= max_calls
            if event.automatic:
                assert event.call_count == max_calls
        if isinstance(event, TicketRecalled):
            assert event.call_count <= max_calls


@settings(max_examples=300, deadline=None)
@given(scripts)
def test_invariants_hold_for_any_command_sequence(script):
    run_and_check(Desk(), script)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 5), scripts)
def test_invariants_hold_for_any_call_limit(max_calls, script):
    run_and_check(Desk(small_office(max_calls=max_calls, auto_recall_seconds=30)), script)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 5))
def test_automatic_skip_comes_after_exactly_max_calls(max_calls):
    desk = Desk(small_office(max_calls=max_calls, auto_recall_seconds=30))
    desk.issue()
    desk.run(c.CallNext("1", "x"))
    skipped = []
    while not skipped:
        desk.tick(30)
        skipped = [e for e in desk.run(c.ExpireCall("1", "x")) if isinstance(e, TicketSkipped)]
    assert skipped[0].call_count == max_calls
    calls = [e for e in desk.log if isinstance(e, TicketCalled | TicketRecalled)]
    assert len(calls) == max_calls

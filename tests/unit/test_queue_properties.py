"""Invariants of the queue under random sequences of commands (hypothesis)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

from hypothesis import Phase, given, seed, settings
from hypothesis import strategies as st

from shared.domain import commands as c
from shared.domain.errors import QueueError
from shared.domain.events import (
    CounterEvent,
    TicketCalled,
    TicketRecalled,
    TicketReinstated,
    TicketResumed,
    TicketSkipped,
)
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
    # Issue 13: "Tunggu TTD" (to the actor or a substitute, or someone not allowed),
    # "Lanjutkan", and finishing "belum diinput online".
    st.builds(
        c.HandOverStep,
        counter_ids,
        officers,
        signer=st.sampled_from([None, "Kabid", "Sekdin"]),
        park=st.just(True),
    ),
    st.builds(c.ResumeTicket, counter_ids, officers, ticket=ticket_refs),
    st.builds(c.Finish, counter_ids, officers, not_entered_online=st.just(True)),
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
        assert_each_ticket_in_exactly_one_place(day)
        assert_parked_time_lies_inside_one_visit_of_its_step(day)
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


def assert_each_ticket_in_exactly_one_place(day: OfficeDay) -> None:
    """Waiting, skipped, at a counter, parked at a counter, or ended: one of them, never two."""
    ended = {TicketState.DONE, TicketState.RETURNED, TicketState.CANCELLED}
    parked = [i for ids in day.parked_by_counter.values() for i in ids]
    assert len(parked) == len(set(parked))
    for ticket in day.tickets.values():
        places = [
            ticket.id in day.waiting_ids,
            ticket.id in day.skipped_ids,
            ticket.id in day.active_by_counter.values(),
            ticket.id in parked,
            ticket.state in ended,
        ]
        assert places.count(True) == 1, (ticket.number, ticket.state, places)
        assert (ticket.state is TicketState.PARKED) == (ticket.id in parked)
    for counter, ids in day.parked_by_counter.items():
        assert ids, "an empty parked list is removed"
        for ticket_id in ids:
            ticket = day.tickets[ticket_id]
            assert ticket.counter == counter
            assert ticket.parkings[-1].ended_at is None
            assert ticket.step == ticket.parkings[-1].step


def _until(moment: datetime | None) -> datetime:
    return moment or datetime.max.replace(tzinfo=UTC)  # still open


def assert_parked_time_lies_inside_one_visit_of_its_step(day: OfficeDay) -> None:
    """Parked time is counted once: each stay away lies inside exactly one visit of its step."""
    for ticket in day.tickets.values():
        for stay in ticket.parkings:
            holding = [
                v
                for v in ticket.step_visits
                if v.service == stay.service
                and v.step == stay.step
                and v.started_at <= stay.started_at
                and _until(stay.ended_at) <= _until(v.ended_at)
            ]
            assert len(holding) == 1, (ticket.number, stay, ticket.step_visits)
        closed = [p for p in ticket.parkings if p.ended_at is not None]
        for earlier, later in zip(closed, closed[1:], strict=False):
            assert earlier.ended_at <= later.started_at  # stays never overlap


# A day where files often go upstairs for a signature. Random commands rarely walk a visit
# to its hand-over step, so each move here is built from the day as it stands (the counter's
# parked tickets, the returned ones): deep states are reached, and still every move may be
# refused. Loket 1 and 2 serve AK1, whose step 4 (index) is the signature with substitutes.
MOVES = (
    *["work"] * 12, "issue", "issue", "call", "start", "next", "jump", "park", "resume",
    "finish", "return", "call_back", "skip", "pause", "unpause", "close", "open", "reassign",
    "cancel", "transfer",
)  # fmt: skip
SIGNERS = (None, "Kasi", "Kabid", "Sekdin")  # the last is nobody's substitute: refused
moves = st.lists(
    st.tuples(st.sampled_from(MOVES), st.sampled_from(["1", "1", "2"]), st.integers(0, 5)),
    min_size=20,
    max_size=80,
)


def _pick(tickets: list, index: int) -> str:
    return tickets[index % len(tickets)].number if tickets else "A-001"


def signature_day(desk: Desk, script):
    """Commands for the moves, each built from the day as the previous ones left it."""
    for move, k, i in script:
        who = "x" if i else "y"
        day = desk.day
        if move == "work":
            yield _work(day, k, i)
        elif move == "issue":
            yield c.IssueTicket("ak1-baru")
        elif move == "call":
            yield c.CallNext(k, "x")
        elif move == "start":
            yield c.Start(k, "x")
        elif move == "next":
            yield c.NextStep(k, "x")
        elif move == "jump":
            yield c.NextStep(k, "x", to_step=4)
        elif move == "park":
            yield c.HandOverStep(k, "x", signer=SIGNERS[i % len(SIGNERS)], park=True)
        elif move == "resume":
            yield c.ResumeTicket(k, who, ticket=_pick(day.all_parked(), i))
        elif move == "finish":
            yield c.Finish(k, "x", not_entered_online=i % 2 == 0)
        elif move == "return":
            yield c.ReturnIncomplete(k, "x", reason="KTP")
        elif move == "call_back":
            returned = [t for t in day.tickets.values() if t.state is TicketState.RETURNED]
            yield c.CallTicket(k, "x", ticket=_pick(returned, i))
        elif move == "skip":
            yield c.Skip(k, "x")
        elif move == "pause":
            yield c.PauseCounter(k, "x")
        elif move == "unpause":
            yield c.ResumeCounter(k, "x")
        elif move == "close":
            yield c.CloseCounter(k, "x")
        elif move == "open":
            yield c.OpenCounter(k, who)
        elif move == "reassign":
            yield c.Reassign("kasi", ticket=_pick(list(day.tickets.values()), i))
        elif move == "cancel":
            yield c.SupervisorCancel("kasi", ticket=_pick(list(day.tickets.values()), i))
        else:
            yield c.Transfer(k, "x", to_counter="konseling")


def _work(day, k: str, i: int) -> c.Command:
    """What the officer at counter k would do next: call, start, step on, park, resume, finish."""
    active = day.active_ticket(k)
    if active is None:
        if day.parked(k) and i % 2:
            return c.ResumeTicket(k, "x", ticket=_pick(day.parked(k), i))
        return c.CallNext(k, "x") if day.waiting_ids else c.IssueTicket("ak1-baru")
    if active.state is TicketState.CALLED:
        return c.Start(k, "x")
    step = active.step or 0
    if step < 4:
        return c.NextStep(k, "x", to_step=4 if step == 2 else None)
    if step == 4 and len(active.parkings) < 2 and i % 3:
        return c.HandOverStep(k, "x", signer=SIGNERS[i % len(SIGNERS)], park=True)
    return c.Finish(k, "x", not_entered_online=i % 2 == 0)


@settings(max_examples=80, deadline=None)
@given(moves)
def test_parked_tickets_are_never_lost_nor_in_two_places(script):
    desk = Desk()
    run_and_check(desk, signature_day(desk, script))


def test_the_signature_moves_do_park_resume_and_come_back():
    """The moves above reach what they are meant to test (else the property is vacuous)."""
    reached: set[str] = set()

    # A fixed seed: this checks the generator's reach, which must not depend on luck.
    @seed(20261202)
    @settings(max_examples=400, deadline=None, database=None, phases=[Phase.generate])
    @given(moves)
    def explore(script):
        desk = Desk()
        for command in signature_day(desk, script):
            try:
                desk.run(command)
            except QueueError:
                pass
        for event in desk.log:
            if isinstance(event, TicketResumed) and event.signed_by == "Kabid":
                reached.add("resumed after the substitute signed")
            if isinstance(event, TicketReinstated) and event.came_back:
                reached.add("came back")

    explore()
    assert reached == {"resumed after the substitute signed", "came back"}


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

"""Who holds a counter, breaks, hand-overs and a supervisor's moves, in the pure rules."""

from __future__ import annotations

import pytest

from shared.domain import commands as c
from shared.domain import errors
from shared.domain.events import CounterClosed, CounterOpened, StepHandedOver, TicketReassigned
from shared.domain.office_day import TicketState
from shared.domain.rules import allowed_actions
from shared.domain.timing import estimated_wait_minutes
from tests.unit.office import Desk


def test_taking_a_counter_held_by_another_officer_says_who_and_since_when():
    desk = Desk()
    assert desk.run(c.OpenCounter("1", "budi")) == [
        CounterOpened(at=desk.now.replace(second=0), counter="1", officer="budi")
    ]
    with pytest.raises(errors.CounterHeld, match="Loket 1 sedang dipegang petugas 'budi' sejak"):
        desk.run(c.OpenCounter("1", "sari"))
    assert desk.day.session("1").officer == "budi"


def test_opening_the_same_counter_again_is_harmless_for_a_second_screen():
    desk = Desk()
    desk.run(c.OpenCounter("1", "budi"))
    assert desk.run(c.OpenCounter("1", "budi")) == []


def test_any_command_at_a_free_counter_seats_the_officer_and_others_are_refused():
    desk = Desk()
    desk.issue()
    events = desk.run(c.CallNext("2", "sari"))
    assert isinstance(events[0], CounterOpened) and events[0].officer == "sari"
    with pytest.raises(errors.CounterHeld, match="'sari'"):
        desk.run(c.Recall("2", "budi"))
    assert desk.at("2").call_count == 1


def test_closing_is_refused_while_a_ticket_is_at_the_counter():
    desk = Desk()
    desk.issue()
    desk.run(c.CallNext("1", "budi"))
    with pytest.raises(errors.StillServing, match="masih di Loket 1"):
        desk.run(c.CloseCounter("1", "budi"))
    desk.run(c.Skip("1", "budi"))
    assert isinstance(desk.run(c.CloseCounter("1", "budi"))[0], CounterClosed)
    assert desk.day.session("1") is None
    desk.run(c.OpenCounter("1", "sari"))  # free again for the next officer


def test_a_paused_counter_takes_no_calls_and_the_break_is_recorded():
    desk = Desk()
    desk.issue()
    desk.run(c.OpenCounter("1", "budi"))
    desk.run(c.PauseCounter("1", "budi", reason="sholat"))
    loket1 = desk.catalogue.counter("1")
    assert allowed_actions(desk.day, desk.catalogue, loket1, "budi", desk.now) == []
    with pytest.raises(errors.CounterOnBreak, match="istirahat"):
        desk.run(c.CallNext("1", "budi"))
    with pytest.raises(errors.CounterOnBreak):
        desk.run(c.CallTicket("1", "budi", ticket="A-001"))
    desk.tick(600)
    desk.run(c.ResumeCounter("1", "budi"))
    (pause,) = desk.day.pauses
    assert (pause.reason, (pause.ended_at - pause.started_at).total_seconds()) == ("sholat", 601)
    desk.run(c.CallNext("1", "budi"))
    assert desk.at("1").number == "A-001"


def test_pausing_is_refused_with_a_ticket_at_the_counter():
    desk = Desk()
    desk.issue()
    desk.run(c.CallNext("1", "budi"))
    with pytest.raises(errors.StillServing):
        desk.run(c.PauseCounter("1", "budi"))


def test_paused_counters_do_not_count_in_the_wait_estimate():
    desk = Desk()
    ids = [desk.issue() for _ in range(4)]
    last = desk.day.tickets[ids[-1]]
    both_open = estimated_wait_minutes(desk.day, desk.catalogue, last)
    desk.run(c.PauseCounter("2", "sari"))
    one_open = estimated_wait_minutes(desk.day, desk.catalogue, last)
    assert (both_open, one_open) == (23, 45)  # 3 ahead x 15 min / 2 counters, then / 1


def test_a_step_done_by_another_actor_is_handed_over_once():
    desk = Desk()
    ticket = desk.issue()
    desk.run(c.CallNext("1", "budi"))
    desk.run(c.Start("1", "budi"))
    for _ in range(4):
        desk.run(c.NextStep("1", "budi"))
    (event,) = desk.run(c.HandOverStep("1", "budi"))
    assert event == StepHandedOver(
        at=event.at,
        ticket_id=ticket,
        counter="1",
        officer="budi",
        step=4,
        to_actor="Pengantar Kerja",
    )
    assert desk.day.tickets[ticket].handed_over == {4: "Pengantar Kerja"}
    with pytest.raises(errors.WrongTicketState, match="sudah diserahkan"):
        desk.run(c.HandOverStep("1", "budi"))


def test_supervisor_pulls_a_ticket_back_to_its_line_keeping_its_place():
    desk = Desk()
    first = desk.issue()
    desk.issue()
    desk.run(c.CallNext("1", "budi"))
    desk.run(c.Start("1", "budi"))
    (event,) = desk.run(c.Reassign("kasi", ticket="A-001"))
    assert isinstance(event, TicketReassigned) and event.from_counter == "1"
    assert desk.day.tickets[first].state is TicketState.WAITING
    assert desk.at("1") is None
    desk.run(c.CallNext("2", "sari"))
    assert desk.at("2").id == first  # still first in line by its original time


def test_supervisor_sends_a_waiting_ticket_to_one_counter():
    desk = Desk()
    desk.issue()
    second = desk.issue()
    desk.run(c.Reassign("kasi", ticket="A-002", to_counter="konseling"))
    desk.run(c.CallNext("konseling", "rina"))
    assert desk.at("konseling").id == second
    with pytest.raises(errors.Invalid, match="sudah menunggu"):
        desk.run(c.Reassign("kasi", ticket="A-001"))
    with pytest.raises(errors.UnknownCounter):
        desk.run(c.Reassign("kasi", ticket="A-001", to_counter="9"))


def test_supervisor_frees_a_counter_left_held():
    desk = Desk()
    desk.run(c.OpenCounter("1", "budi"))
    (event,) = desk.run(c.ReleaseCounter("kasi", counter="1"))
    assert (event.officer, event.closed_by) == ("budi", "kasi")
    desk.run(c.OpenCounter("1", "sari"))
    assert desk.day.session("1").officer == "sari"


def test_every_new_event_survives_the_trip_through_stored_data():
    from shared.domain.events import event_from_data

    desk = Desk()
    desk.issue()
    desk.run(c.PauseCounter("2", "sari", reason="rapat"))
    desk.run(c.ResumeCounter("2", "sari"))
    desk.run(c.CallNext("1", "budi"))
    desk.run(c.Start("1", "budi"))
    for _ in range(4):
        desk.run(c.NextStep("1", "budi"))
    desk.run(c.HandOverStep("1", "budi"))
    desk.run(c.Reassign("kasi", ticket="A-001", to_counter="2"))
    desk.run(c.ReleaseCounter("kasi", counter="1"))
    assert len({type(e) for e in desk.log}) == 10
    for event in desk.log:
        assert event_from_data(event.type_name, event.to_data()) == event


def test_a_step_done_at_the_counter_cannot_be_handed_over():
    desk = Desk()
    desk.issue()
    desk.run(c.CallNext("1", "budi"))
    desk.run(c.Start("1", "budi"))
    with pytest.raises(errors.WrongTicketState, match="dikerjakan di loket"):
        desk.run(c.HandOverStep("1", "budi"))


def test_a_counter_is_freed_only_once_its_number_is_moved():
    desk = Desk()
    desk.issue()
    desk.run(c.CallNext("1", "budi"))  # budi walks away mid-call
    with pytest.raises(errors.WrongTicketState, match="tarik ke antrean atau pindahkan"):
        desk.run(c.ReleaseCounter("kasi", counter="1"))
    desk.run(c.Reassign("kasi", ticket="A-001"))
    desk.run(c.ReleaseCounter("kasi", counter="1"))
    assert desk.day.session("1") is None
    assert desk.day.tickets[desk.day.ids_by_number["A-001"]].state is TicketState.WAITING


def test_nobody_cancels_a_number_being_called_at_another_counter():
    desk = Desk()
    desk.issue()
    desk.run(c.CallNext("2", "sari"))
    with pytest.raises(errors.WrongTicketState, match="dipanggil di loket lain"):
        desk.run(c.Cancel("1", "budi", ticket="A-001"))


def test_transfer_and_return_say_first_that_the_visit_has_not_started():
    desk = Desk()
    desk.issue()
    desk.run(c.CallNext("1", "budi"))
    with pytest.raises(errors.WrongTicketState, match="Mulai layani"):
        desk.run(c.Transfer("1", "budi"))
    with pytest.raises(errors.WrongTicketState, match="Mulai layani"):
        desk.run(c.ReturnIncomplete("1", "budi", reason=""))


def test_skipping_an_optional_step_is_offered_only_before_one():
    desk = Desk()
    desk.issue()
    desk.run(c.CallNext("1", "budi"))
    desk.run(c.Start("1", "budi"))
    loket1 = desk.catalogue.counter("1")

    def offered():
        return "skip_optional" in allowed_actions(
            desk.day, desk.catalogue, loket1, "budi", desk.now
        )

    assert not offered()  # step 2 (input data) is required
    desk.run(c.NextStep("1", "budi"))
    desk.run(c.NextStep("1", "budi"))  # at step 3; step 4 (counselling) is optional
    assert offered()
    desk.run(c.NextStep("1", "budi", to_step=4))  # past counselling
    assert not offered()  # the last optional step is left by "Selesai"
    assert desk.log[-1].skipped_steps == (3,)

"""The queue rules, one behaviour per test, with no Flask and no store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.domain import commands as c
from shared.domain import errors
from shared.domain.events import StepChanged, TicketCalled, TicketSkipped
from shared.domain.office_day import TicketState, normalise_number, office_day_of
from tests.unit.office import Desk, small_office

OFFICER = "budi"


def call_next(counter: str = "1") -> c.CallNext:
    return c.CallNext(counter, OFFICER)


def test_numbers_run_per_service_prefix():
    desk = Desk()
    numbers = [desk.number(desk.issue(s)) for s in ("ak1-baru", "ak1-baru", "ak1-perpanjangan")]
    assert numbers == ["A-001", "A-002", "B-001"]


def test_numbering_day_follows_the_office_timezone():
    # 23:30 UTC is already the next morning in Jakarta (UTC+7) and Makassar (UTC+8).
    late = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    assert office_day_of(late, "Asia/Jakarta").isoformat() == "2026-11-24"
    assert office_day_of(datetime(2026, 11, 23, 16, 30, tzinfo=UTC), "Asia/Jakarta").day == 23
    assert office_day_of(datetime(2026, 11, 23, 16, 30, tzinfo=UTC), "Asia/Makassar").day == 24


@pytest.mark.parametrize(
    ("typed", "number"),
    [("a12", "A-012"), ("A-012", "A-012"), (" b 7 ", "B-007"), ("A1000", "A-1000"), ("12", None)],
)
def test_officers_can_type_numbers_loosely(typed, number):
    assert normalise_number(typed) == number


def test_unknown_service_is_refused_in_indonesian():
    with pytest.raises(errors.UnknownService, match="tidak dikenal"):
        Desk().issue("paspor-palsu")


def test_unknown_priority_is_refused():
    with pytest.raises(errors.Invalid, match="prioritas"):
        Desk().issue("ak1-baru", priority="vip")


def test_daily_quota_stops_issuing():
    desk = Desk(small_office(quota=2))
    desk.issue()
    desk.issue()
    with pytest.raises(errors.QuotaReached, match="Kuota harian"):
        desk.issue()
    assert len(desk.day.tickets) == 2


def test_same_request_id_issues_one_ticket():
    desk = Desk()
    desk.run(c.IssueTicket("ak1-baru", request_id="tap-1"))
    assert desk.run(c.IssueTicket("ak1-baru", request_id="tap-1")) == []
    assert len(desk.day.tickets) == 1


def test_call_next_is_first_come_first_served_across_services():
    desk = Desk()
    first = desk.issue("ak1-perpanjangan")
    second = desk.issue("ak1-baru")
    desk.run(call_next("1"))
    desk.run(call_next("2"))
    assert desk.at("1").id == first
    assert desk.at("2").id == second


def test_priority_ticket_goes_before_regular_ones_of_its_service():
    desk = Desk()
    regular = desk.issue("ak1-baru")
    elderly = desk.issue("ak1-baru", priority="lansia")
    desk.run(call_next())
    assert desk.at("1").id == elderly
    desk.run(c.Skip("1", OFFICER))
    desk.run(call_next())
    assert desk.at("1").id == regular


def test_counter_only_calls_services_it_serves():
    desk = Desk()
    desk.issue("id-ctki")
    with pytest.raises(errors.NoTicketWaiting):
        desk.run(call_next("1"))
    desk.run(call_next("3"))
    assert desk.at("3").number == "C-001"


def test_call_next_refused_while_current_ticket_has_calls_left():
    desk = Desk()
    desk.issue()
    desk.issue()
    desk.run(call_next())
    with pytest.raises(errors.StillCalling, match="panggil ulang atau lewati"):
        desk.run(call_next())
    assert desk.at("1").number == "A-001"


def test_recall_counts_up_to_max_calls_then_refuses():
    desk = Desk()
    desk.issue()
    desk.run(call_next())
    desk.run(c.Recall("1", OFFICER))
    desk.run(c.Recall("1", OFFICER))
    assert desk.at("1").call_count == 3
    with pytest.raises(errors.CallLimitReached):
        desk.run(c.Recall("1", OFFICER))


def test_call_next_after_max_calls_skips_and_calls_the_next_number():
    desk = Desk()
    absent = desk.issue()
    present = desk.issue()
    desk.run(call_next())
    desk.run(c.Recall("1", OFFICER))
    desk.run(c.Recall("1", OFFICER))
    events = desk.run(call_next())
    assert [type(e) for e in events] == [TicketSkipped, TicketCalled]
    assert events[0].automatic and events[0].call_count == 3
    assert desk.day.tickets[absent].state is TicketState.SKIPPED
    assert desk.at("1").id == present


def test_skip_is_allowed_at_any_call_count_and_records_it():
    desk = Desk()
    desk.issue()
    desk.run(call_next())
    (event,) = desk.run(c.Skip("1", OFFICER))
    assert event.call_count == 1 and not event.automatic
    assert desk.at("1") is None


def test_skipped_ticket_can_be_reinstated_and_called_again():
    desk = Desk()
    ticket = desk.issue()
    desk.run(call_next())
    desk.run(c.Skip("1", OFFICER))
    desk.run(c.Reinstate("1", OFFICER, ticket="A-001"))
    assert desk.day.tickets[ticket].state is TicketState.WAITING
    desk.run(call_next("2"))
    assert desk.at("2").id == ticket


def test_only_skipped_tickets_can_be_reinstated():
    desk = Desk()
    desk.issue()
    with pytest.raises(errors.WrongTicketState, match="terlewat"):
        desk.run(c.Reinstate("1", OFFICER, ticket="A-001"))


def test_call_a_chosen_skipped_number_reinstates_it():
    desk = Desk()
    desk.issue()
    desk.issue()
    desk.run(call_next())
    desk.run(c.Skip("1", OFFICER))
    events = desk.run(c.CallTicket("2", OFFICER, ticket="a1"))
    assert events[-1].chosen
    assert desk.at("2").number == "A-001"


def test_chosen_number_must_belong_to_the_counter():
    desk = Desk()
    desk.issue("id-ctki")
    with pytest.raises(errors.WrongTicketState, match="tidak melayani"):
        desk.run(c.CallTicket("1", OFFICER, ticket="C-001"))


def test_unknown_counter_and_ticket_are_not_found():
    desk = Desk()
    with pytest.raises(errors.UnknownCounter):
        desk.run(call_next("99"))
    with pytest.raises(errors.TicketNotFound):
        desk.run(c.Reinstate("1", OFFICER, ticket="Z-999"))


def serve(desk: Desk, counter: str = "1") -> str:
    ticket = desk.issue()
    desk.run(call_next(counter))
    desk.run(c.Start(counter, OFFICER))
    return ticket


def test_full_visit_walks_every_step_and_records_durations():
    desk = Desk()
    ticket = serve(desk)
    for _ in range(5):
        desk.tick(60)
        desk.run(c.NextStep("1", OFFICER))
    desk.run(c.Finish("1", OFFICER))
    done = desk.day.tickets[ticket]
    assert done.state is TicketState.DONE
    assert [v.step for v in done.step_visits] == [0, 1, 2, 3, 4, 5]
    assert all(v.ended_at is not None for v in done.step_visits)
    assert desk.at("1") is None


def test_counter_holds_one_active_ticket():
    desk = Desk()
    serve(desk)
    desk.issue()
    with pytest.raises(errors.CounterBusy):
        desk.run(call_next())


def test_start_needs_a_called_ticket():
    desk = Desk()
    with pytest.raises(errors.NoActiveTicket):
        desk.run(c.Start("1", OFFICER))


def test_steps_need_the_visit_started():
    desk = Desk()
    desk.issue()
    desk.run(call_next())
    with pytest.raises(errors.WrongTicketState, match="Mulai layani"):
        desk.run(c.NextStep("1", OFFICER))


def test_optional_steps_may_be_passed_over_but_required_ones_not():
    desk = Desk()
    serve(desk)
    desk.run(c.NextStep("1", OFFICER))
    desk.run(c.NextStep("1", OFFICER))
    (event,) = desk.run(c.NextStep("1", OFFICER, to_step=4))
    assert event.skipped_steps == (3,)
    desk2 = Desk()
    serve(desk2)
    with pytest.raises(errors.Invalid, match="wajib"):
        desk2.run(c.NextStep("1", OFFICER, to_step=2))


def test_finish_refused_while_required_steps_remain():
    desk = Desk()
    serve(desk)
    with pytest.raises(errors.WrongTicketState, match="belum dikerjakan"):
        desk.run(c.Finish("1", OFFICER))


def test_finish_passes_over_trailing_optional_steps():
    desk = Desk()
    serve(desk)
    for _ in range(4):
        desk.run(c.NextStep("1", OFFICER))
    (event,) = desk.run(c.Finish("1", OFFICER))
    assert event.skipped_steps == (5,)


def test_going_back_to_an_earlier_step_is_recorded_as_such():
    desk = Desk()
    serve(desk)
    desk.run(c.NextStep("1", OFFICER))
    desk.run(c.NextStep("1", OFFICER))
    (event,) = desk.run(c.PreviousStep("1", OFFICER, to_step=1))
    assert isinstance(event, StepChanged) and event.went_back
    assert desk.at("1").step == 1
    desk.run(c.PreviousStep("1", OFFICER))
    with pytest.raises(errors.WrongTicketState, match="pertama"):
        desk.run(c.PreviousStep("1", OFFICER))
    assert [v.step for v in desk.at("1").step_visits] == [0, 1, 2, 1, 0]


def test_last_step_says_press_finish():
    desk = Desk()
    serve(desk)
    for _ in range(5):
        desk.run(c.NextStep("1", OFFICER))
    with pytest.raises(errors.WrongTicketState, match="Selesai"):
        desk.run(c.NextStep("1", OFFICER))


def test_return_needs_a_reason_and_ends_the_visit():
    desk = Desk()
    ticket = serve(desk)
    with pytest.raises(errors.Invalid, match="berkas yang kurang"):
        desk.run(c.ReturnIncomplete("1", OFFICER, reason="  "))
    desk.run(c.ReturnIncomplete("1", OFFICER, reason="Fotokopi ijazah belum ada"))
    assert desk.day.tickets[ticket].state is TicketState.RETURNED
    assert desk.day.tickets[ticket].return_reason == "Fotokopi ijazah belum ada"


def test_transfer_to_a_service_keeps_number_and_original_time():
    desk = Desk()
    ticket = serve(desk)
    issued_at = desk.day.tickets[ticket].issued_at
    later = desk.issue("id-ctki")
    desk.run(c.Transfer("1", OFFICER, to_service="id-ctki"))
    moved = desk.day.tickets[ticket]
    assert (moved.number, moved.service, moved.issued_at) == ("A-001", "id-ctki", issued_at)
    desk.run(call_next("3"))
    assert desk.at("3").id == ticket  # its original time puts it before C-001
    assert desk.day.tickets[later].state is TicketState.WAITING


def test_transfer_to_a_counter_waits_for_that_counter_only():
    desk = Desk()
    ticket = serve(desk)
    desk.run(c.Transfer("1", OFFICER, to_counter="konseling"))
    with pytest.raises(errors.NoTicketWaiting):
        desk.run(call_next("2"))
    desk.run(call_next("konseling"))
    assert desk.at("konseling").id == ticket


def test_transfer_needs_exactly_one_destination():
    desk = Desk()
    serve(desk)
    with pytest.raises(errors.Invalid, match="tujuan"):
        desk.run(c.Transfer("1", OFFICER))
    with pytest.raises(errors.Invalid, match="sendiri"):
        desk.run(c.Transfer("1", OFFICER, to_counter="1"))


def test_cancel_frees_the_counter():
    desk = Desk()
    desk.issue()
    desk.run(call_next())
    desk.run(c.Cancel("1", OFFICER, ticket="A-001", reason="pulang"))
    assert desk.at("1") is None
    assert desk.day.tickets["t1"].state is TicketState.CANCELLED


def skipped_at(desk: Desk, counter: str, service: str) -> str:
    """A ticket of the service called and skipped at the counter; its number."""
    ticket = desk.issue(service)
    desk.run(call_next(counter))
    desk.run(c.Skip(counter, OFFICER))
    return desk.number(ticket)


@pytest.mark.parametrize(
    "command",
    [
        lambda number: c.Cancel("1", "sari", ticket=number),
        lambda number: c.Reinstate("1", "sari", ticket=number),
    ],
)
def test_an_officer_cannot_cancel_or_reinstate_another_services_ticket(command):
    desk = Desk()
    number = skipped_at(desk, "3", "id-ctki")  # Loket 1 serves only the AK1 services
    with pytest.raises(errors.NotYourTicket, match="Loket 1 tidak melayani ID CTKI"):
        desk.run(command(number))
    assert desk.day.tickets[desk.day.ids_by_number[number]].state is TicketState.SKIPPED


def test_an_officer_may_cancel_for_any_counter_they_hold():
    desk = Desk()
    number = skipped_at(desk, "3", "id-ctki")
    desk.run(c.OpenCounter("1", OFFICER))  # the officer of Loket 3 also covers Loket 1
    desk.run(c.Reinstate("1", OFFICER, ticket=number))
    desk.run(c.Cancel("1", OFFICER, ticket=number))
    assert desk.day.tickets[desk.day.ids_by_number[number]].state is TicketState.CANCELLED


def test_the_counter_a_ticket_was_sent_to_may_cancel_it():
    desk = Desk()
    ticket = serve(desk)
    desk.run(c.Transfer("1", OFFICER, to_counter="konseling"))
    # The counselling desk serves no service of its own, only what is sent to it.
    desk.run(c.Cancel("konseling", "sari", ticket=desk.number(ticket)))
    assert desk.day.tickets[ticket].state is TicketState.CANCELLED


def test_a_supervisor_cancels_and_reinstates_any_ticket_from_no_counter():
    desk = Desk()
    number = skipped_at(desk, "3", "id-ctki")
    desk.run(c.SupervisorReinstate("kasi", ticket=number))
    desk.run(call_next("3"))
    desk.run(c.SupervisorCancel("kasi", ticket=number, reason="pulang"))
    ticket = desk.day.tickets[desk.day.ids_by_number[number]]
    assert ticket.state is TicketState.CANCELLED
    assert desk.at("3") is None
    assert desk.day.session("1") is None  # no counter was taken on the way


def test_a_supervisor_cannot_cancel_a_returned_ticket_but_may_let_it_come_back():
    desk = Desk()
    ticket = serve(desk)
    desk.run(c.ReturnIncomplete("1", OFFICER, reason="KTP"))
    with pytest.raises(errors.WrongTicketState, match="tidak bisa dibatalkan"):
        desk.run(c.SupervisorCancel("kasi", ticket=desk.number(ticket)))
    # Issue 13: a returned visitor who came back with the document rejoins its line.
    (event,) = desk.run(c.SupervisorReinstate("kasi", ticket=desk.number(ticket)))
    assert event.came_back
    assert desk.day.tickets[ticket].state is TicketState.WAITING


def test_expire_call_recalls_then_skips_and_calls_next():
    desk = Desk(small_office(auto_recall_seconds=30))
    desk.issue()
    desk.issue()
    desk.run(call_next())
    with pytest.raises(errors.WrongTicketState, match="belum waktunya"):
        desk.run(c.ExpireCall("1", OFFICER))
    for expected in (2, 3):
        desk.tick(30)
        (event,) = desk.run(c.ExpireCall("1", OFFICER))
        assert event.call_count == expected and event.automatic
    desk.tick(30)
    events = desk.run(c.ExpireCall("1", OFFICER))
    assert [type(e) for e in events] == [TicketSkipped, TicketCalled]
    assert desk.at("1").number == "A-002"


def test_expire_call_refused_when_automatic_recall_is_off():
    desk = Desk(small_office(auto_recall_seconds=0))
    desk.issue()
    desk.run(call_next())
    with pytest.raises(errors.Invalid, match="otomatis"):
        desk.run(c.ExpireCall("1", OFFICER))


def office_with_hours():
    from dataclasses import replace
    from datetime import time

    from shared.domain.catalogue import OpeningHours

    hours = (OpeningHours(0, time(7, 30), time(15, 0)), OpeningHours(4, time(7, 30), time(11, 0)))
    return replace(small_office(), opening_hours=hours)


def test_no_tickets_outside_opening_hours():
    desk = Desk(office_with_hours())
    desk.now = datetime(2026, 11, 23, 0, 29, tzinfo=UTC)  # Monday 07:29 WIB
    with pytest.raises(errors.OfficeClosed, match="Senin 07.30-15.00, Jumat 07.30-11.00"):
        desk.issue()
    desk.now = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)  # 07:30 WIB: open
    desk.issue()
    desk.now = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # Tuesday: not an opening day here
    with pytest.raises(errors.OfficeClosed):
        desk.issue()


def test_allowed_actions_follow_the_ticket_state():
    from shared.domain.rules import allowed_actions

    desk = Desk()
    counter = desk.catalogue.counter("1")
    assert allowed_actions(desk.day, desk.catalogue, counter, "budi", desk.now) == []
    desk.issue()
    assert allowed_actions(desk.day, desk.catalogue, counter, "budi", desk.now) == [
        "call_next",
        "call_number",
    ]
    desk.run(call_next())
    assert allowed_actions(desk.day, desk.catalogue, counter, "budi", desk.now) == [
        "recall",
        "start",
        "skip",
    ]
    desk.run(c.Start("1", OFFICER))
    assert allowed_actions(desk.day, desk.catalogue, counter, "budi", desk.now) == [
        "next_step",
        "return",
        "transfer",
    ]
    for _ in range(4):
        desk.run(c.NextStep("1", OFFICER))
    assert "finish" in allowed_actions(desk.day, desk.catalogue, counter, "budi", desk.now)
    assert "previous_step" in allowed_actions(desk.day, desk.catalogue, counter, "budi", desk.now)


def test_a_reason_without_a_word_is_refused_for_a_return_and_a_break():
    from shared.domain import errors as domain_errors

    desk = Desk()
    desk.issue()
    desk.run(c.CallNext("1", "budi"))
    desk.run(c.Start("1", "budi"))
    for typed in ("2", "(1)", " 3 "):
        with pytest.raises(domain_errors.Invalid, match="bukan kata-kata"):
            desk.run(c.ReturnIncomplete("1", "budi", reason=typed))
    desk.run(c.ReturnIncomplete("1", "budi", reason="KTP"))
    with pytest.raises(domain_errors.Invalid, match="bukan kata-kata"):
        desk.run(c.PauseCounter("1", "budi", reason="(1)"))
    desk.run(c.PauseCounter("1", "budi", reason=""))  # a break needs no reason

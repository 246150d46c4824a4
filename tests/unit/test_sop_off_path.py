"""Issue 13 in the domain: parking at a signature, substitutes, comebacks, the online backlog."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.domain import commands as c
from shared.domain import errors
from shared.domain.events import (
    OnlineEntryPending,
    StepHandedOver,
    TicketCalled,
    TicketFinished,
    TicketReinstated,
    TicketResumed,
)
from shared.domain.office_day import OfficeDay, Outcome, TicketState
from shared.domain.online_backlog import (
    OnlineBacklog,
    decide_clear,
    entries_for,
    missing_entries,
)
from shared.domain.rules import allowed_actions, callable_tickets, next_in_line
from shared.domain.standards import counter_day, step_records
from tests.unit.office import Desk, small_office

OFFICER = "budi"
SIGNATURE = 4  # index of "Tanda tangan" (handover, substitutes Kasi and Kabid) in AK1_STEPS


def at_signature(desk: Desk, counter: str = "1") -> str:
    """An AK1 ticket served at the counter up to the signature step; its id."""
    ticket = desk.issue()
    desk.run(c.CallNext(counter, OFFICER))
    desk.run(c.Start(counter, OFFICER))
    desk.run(c.NextStep(counter, OFFICER))
    desk.run(c.NextStep(counter, OFFICER))
    desk.run(c.NextStep(counter, OFFICER, to_step=SIGNATURE))
    return ticket


def park(desk: Desk, counter: str = "1", signer: str | None = None):
    return desk.run(c.HandOverStep(counter, OFFICER, signer=signer, park=True))


def test_parking_frees_the_counter_and_keeps_the_step_running():
    desk = Desk()
    ticket = at_signature(desk)
    desk.issue()
    step_started = desk.day.tickets[ticket].step_visits[-1].started_at
    (event,) = park(desk)
    assert (
        isinstance(event, StepHandedOver) and event.parked and event.to_actor == "Pengantar Kerja"
    )
    parked = desk.day.tickets[ticket]
    assert parked.state is TicketState.PARKED
    assert parked.step == SIGNATURE and parked.step_visits[-1].ended_at is None
    assert parked.step_visits[-1].started_at == step_started
    assert desk.at("1") is None
    assert [t.id for t in desk.day.parked("1")] == [ticket]
    # The counter may call the next number, or take a break once it is empty again.
    (called,) = desk.run(c.CallNext("1", OFFICER))
    assert called.ticket_id != ticket
    desk.run(c.Skip("1", OFFICER))
    desk.run(c.PauseCounter("1", OFFICER, reason="Sholat"))
    assert desk.day.is_paused("1")


def test_a_parked_ticket_is_never_callable_nor_waiting():
    desk = Desk()
    ticket = at_signature(desk)
    park(desk)
    number = desk.number(ticket)
    assert ticket not in desk.day.waiting_ids
    assert next_in_line(desk.day, desk.catalogue, desk.catalogue.counter("2")) is None
    assert ticket not in [t.id for t in callable_tickets(desk.day, desk.catalogue.counter("1"))]
    with pytest.raises(errors.WrongTicketState, match="tidak sedang menunggu"):
        desk.run(c.CallTicket("2", OFFICER, ticket=number))
    with pytest.raises(errors.WrongTicketState, match="tidak bisa dibatalkan"):
        desk.run(c.SupervisorCancel("kasi", ticket=number))
    with pytest.raises(errors.WrongTicketState, match="tidak bisa dipindah"):
        desk.run(c.Reassign("kasi", ticket=number))


def test_resume_waits_until_the_counter_is_empty_and_says_so():
    desk = Desk()
    ticket = at_signature(desk)
    park(desk)
    other = desk.issue()
    desk.run(c.CallNext("1", OFFICER))
    number = desk.number(ticket)
    with pytest.raises(errors.WrongTicketState, match=f"{desk.number(other)} masih di Loket 1"):
        desk.run(c.ResumeTicket("1", OFFICER, ticket=number))
    assert "resume_ticket" not in allowed_actions(
        desk.day, desk.catalogue, desk.catalogue.counter("1"), OFFICER, desk.now
    )
    desk.run(c.Start("1", OFFICER))
    desk.run(c.ReturnIncomplete("1", OFFICER, reason="KTP"))
    assert "resume_ticket" in allowed_actions(
        desk.day, desk.catalogue, desk.catalogue.counter("1"), OFFICER, desk.now
    )
    (event,) = desk.run(c.ResumeTicket("1", OFFICER, ticket=number))
    assert isinstance(event, TicketResumed) and event.step == SIGNATURE
    assert desk.at("1").id == ticket and desk.at("1").state is TicketState.SERVING
    assert desk.day.parked("1") == []


def test_only_the_counter_it_was_parked_at_resumes_it():
    desk = Desk()
    ticket = at_signature(desk)
    park(desk)
    with pytest.raises(errors.WrongTicketState, match="diparkir di Loket 1, bukan di Loket 2"):
        desk.run(c.ResumeTicket("2", OFFICER, ticket=desk.number(ticket)))
    waiting = desk.issue()
    with pytest.raises(errors.WrongTicketState, match="tidak sedang menunggu tanda tangan"):
        desk.run(c.ResumeTicket("1", OFFICER, ticket=desk.number(waiting)))


def test_a_parked_ticket_outlives_its_officer_leaving():
    desk = Desk()
    ticket = at_signature(desk)
    park(desk)
    desk.run(c.CloseCounter("1", OFFICER))
    desk.run(c.OpenCounter("1", "sari"))
    desk.run(c.ResumeTicket("1", "sari", ticket=desk.number(ticket)))
    assert desk.at("1").id == ticket


def test_parking_only_at_a_handover_step_and_only_to_its_signers():
    desk = Desk()
    desk.issue()
    desk.run(c.CallNext("1", OFFICER))
    desk.run(c.Start("1", OFFICER))
    with pytest.raises(errors.WrongTicketState, match="tidak perlu diserahkan"):
        park(desk)
    desk.run(c.NextStep("1", OFFICER))
    desk.run(c.NextStep("1", OFFICER))
    desk.run(c.NextStep("1", OFFICER, to_step=SIGNATURE))
    with pytest.raises(errors.Invalid, match="pilih: Pengantar Kerja, Kasi, Kabid"):
        park(desk, signer="Sekdin")
    assert desk.at("1").state is TicketState.SERVING


def test_the_substitute_who_signed_is_recorded_and_reported_with_parked_time_once():
    desk = Desk()
    ticket = at_signature(desk)
    step_started = desk.now - timedelta(seconds=1)
    desk.tick(60)
    (event,) = park(desk, signer="Kabid")
    assert event.to_actor == "Kabid" and event.substitute_for == "Pengantar Kerja"
    desk.tick(600)  # ten minutes upstairs
    desk.run(c.ResumeTicket("1", OFFICER, ticket=desk.number(ticket)))
    desk.tick(60)
    (finished,) = desk.run(c.Finish("1", OFFICER))
    assert isinstance(finished, TicketFinished)
    done = desk.day.tickets[ticket]
    assert done.handed_over == {SIGNATURE: "Kabid"}
    (stay,) = done.parkings
    assert (stay.ended_at - stay.started_at) == timedelta(seconds=601)
    record = next(
        r for r in step_records(desk.day, desk.catalogue)
        if r.service == "ak1-baru" and r.number == SIGNATURE + 1
    )  # fmt: skip
    assert record.signed_by == (("Kabid", 1),)
    assert record.parked_visits == 1
    assert record.mean_parked_minutes == pytest.approx(601 / 60)
    # The step's time holds the parked time once: from entering the step to finishing.
    visit = done.step_visits[-1]
    assert visit.started_at == step_started
    assert record.mean_minutes == pytest.approx((visit.ended_at - visit.started_at).seconds / 60)
    assert record.mean_minutes < 15


def test_a_returned_visitor_comes_back_and_is_counted():
    desk = Desk()
    ticket = desk.issue()
    desk.run(c.CallNext("1", OFFICER))
    desk.run(c.Start("1", OFFICER))
    desk.run(c.ReturnIncomplete("1", OFFICER, reason="KTP"))
    # The visitor shows the paper ticket: the officer types its number ("Panggil nomor").
    _opened, reinstated, called = desk.run(c.CallTicket("2", OFFICER, ticket=desk.number(ticket)))
    assert isinstance(reinstated, TicketReinstated) and reinstated.came_back
    assert isinstance(called, TicketCalled) and called.counter == "2"
    desk.run(c.Start("2", OFFICER))
    desk.run(c.NextStep("2", OFFICER))
    desk.run(c.NextStep("2", OFFICER))
    desk.run(c.NextStep("2", OFFICER, to_step=SIGNATURE))
    desk.run(c.Finish("2", OFFICER))
    assert desk.day.tickets[ticket].state is TicketState.DONE
    assert counter_day(desk.day, desk.catalogue, "1", desk.now).returned == 1
    back = counter_day(desk.day, desk.catalogue, "2", desk.now)
    assert (back.served, back.came_back) == (1, 1)


@pytest.mark.parametrize(("rule", "place"), [("original_time", 0), ("back_of_line", 1)])
def test_a_comeback_rejoins_by_the_configured_rule(rule, place):
    desk = Desk(small_office(returned_rejoin=rule))
    first = desk.issue()
    desk.run(c.CallNext("1", OFFICER))
    desk.run(c.Start("1", OFFICER))
    desk.run(c.ReturnIncomplete("1", OFFICER, reason="KTP"))
    later = desk.issue()
    (event,) = desk.run(c.Reinstate("1", OFFICER, ticket=desk.number(first)))
    assert event.back_of_line is (rule == "back_of_line")
    assert desk.day.line("ak1-baru") == [
        desk.day.tickets[i] for i in ([first, later] if place == 0 else [later, first])
    ]


def test_finish_belum_diinput_online_is_counted_and_makes_one_backlog_entry():
    desk = Desk()
    ticket = at_signature(desk)
    (event,) = desk.run(c.Finish("1", OFFICER, not_entered_online=True))
    assert event.not_entered_online
    assert desk.day.outcomes_by_counter["1"][Outcome.NOT_ENTERED_ONLINE] == 1
    today = desk.now.date()
    (entry,) = entries_for([event], desk.day, today)
    assert isinstance(entry, OnlineEntryPending) and entry.number == desk.number(ticket)
    backlog = OnlineBacklog()
    assert [e.ticket_id for e in missing_entries(backlog, desk.day, today)] == [ticket]
    backlog.apply(entry)
    backlog.apply(entry)  # two processes repairing at once: one entry
    assert missing_entries(backlog, desk.day, today) == []
    assert len(backlog.open_entries()) == 1


def test_a_backlog_entry_is_cleared_once():
    backlog = OnlineBacklog()
    desk = Desk()
    at_signature(desk)
    (event,) = desk.run(c.Finish("1", OFFICER, not_entered_online=True))
    for entry in entries_for([event], desk.day, desk.now.date()):
        backlog.apply(entry)
    clear = c.ClearOnlineEntry(ticket=event.ticket_id, cleared_by="sari")
    (cleared,) = decide_clear(backlog, clear, desk.now, "Asia/Jakarta")
    backlog.apply(cleared)
    assert backlog.open_entries() == []
    assert backlog.entries[event.ticket_id].cleared_by == "sari"
    with pytest.raises(
        errors.Conflict, match="sudah diinput oleh sari pada Senin, 23 November 2026"
    ):
        decide_clear(backlog, c.ClearOnlineEntry(event.ticket_id, "budi"), desk.now, "Asia/Jakarta")
    with pytest.raises(errors.NotFound, match="tidak ada di daftar"):
        decide_clear(backlog, c.ClearOnlineEntry("nope", "budi"), desk.now, "Asia/Jakarta")


def test_a_day_folds_the_same_from_its_events():
    desk = Desk()
    ticket = at_signature(desk)
    park(desk, signer="Kasi")
    desk.run(c.ResumeTicket("1", OFFICER, ticket=desk.number(ticket)))
    desk.run(c.Finish("1", OFFICER, not_entered_online=True))
    folded = OfficeDay()
    folded.apply_all(desk.log)
    assert folded == desk.day

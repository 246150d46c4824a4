"""Service against the published standards: the officer's day, step times, long waits."""

from __future__ import annotations

import pytest

from shared.domain import commands as c
from shared.domain.standards import counter_day, long_waits, step_records, waited_minutes
from tests.unit.office import Desk


def serve(desk: Desk, counter: str, minutes_per_step: float) -> None:
    """Call, start and walk one ticket through the five required AK1 steps."""
    desk.run(c.CallNext(counter, "budi"))
    desk.run(c.Start(counter, "budi"))
    for target in (1, 2, 4):
        desk.tick(minutes_per_step * 60)
        desk.run(c.NextStep(counter, "budi", to_step=target))
    desk.tick(minutes_per_step * 60)
    desk.run(c.Finish(counter, "budi"))


def test_officers_day_counts_outcomes_and_service_time_against_the_standard():
    desk = Desk()
    for _ in range(5):
        desk.issue()
    serve(desk, "1", 2)  # ~8 min, within the 15 min standard
    serve(desk, "1", 5)  # ~20 min, over
    desk.run(c.CallNext("1", "budi"))
    desk.run(c.Skip("1", "budi"))
    desk.run(c.CallNext("1", "budi"))
    desk.run(c.Start("1", "budi"))
    desk.run(c.ReturnIncomplete("1", "budi", reason="KTP"))
    desk.run(c.CallNext("1", "budi"))
    desk.run(c.Start("1", "budi"))
    desk.run(c.Transfer("1", "budi", to_counter="konseling"))

    today = counter_day(desk.day, desk.catalogue, "1", desk.now)
    assert (today.served, today.skipped, today.returned, today.transferred) == (1 + 1, 1, 1, 1)
    assert today.mean_standard_minutes == 15
    assert today.mean_service_minutes == pytest.approx((8 + 20) / 2, abs=0.2)
    assert today.within_standard_share == 0.5
    assert counter_day(desk.day, desk.catalogue, "2", desk.now).served == 0


def test_step_records_add_up_time_at_a_step_gone_back_to():
    desk = Desk()
    desk.issue()
    desk.run(c.CallNext("1", "budi"))
    desk.run(c.Start("1", "budi"))
    desk.tick(60)
    desk.run(c.NextStep("1", "budi"))  # to step 2 (input data), standard 3 min
    desk.tick(120)
    desk.run(c.NextStep("1", "budi"))
    desk.tick(30)
    desk.run(c.PreviousStep("1", "budi"))  # "jika salah kembali ke langkah 2"
    desk.tick(150)
    desk.run(c.NextStep("1", "budi"))
    records = {(r.service, r.number): r for r in step_records(desk.day, desk.catalogue)}
    input_data = records[("ak1-baru", 2)]
    assert (input_data.visits, input_data.over_standard) == (1, 1)
    assert input_data.mean_minutes == pytest.approx((121 + 151) / 60)
    assert records[("ak1-baru", 3)].visits == 1  # step 3 once, its second visit still open
    assert records[("ak1-perpanjangan", 2)].mean_minutes is None


def test_waits_are_measured_to_the_first_call_and_long_waits_flagged():
    desk = Desk()
    first = desk.issue()
    desk.issue()
    desk.tick(4 * 60)
    desk.run(c.CallNext("1", "budi"))
    called = desk.day.tickets[first]
    assert waited_minutes(called, desk.now) == pytest.approx(4 + 1 / 60, abs=0.02)
    desk.tick(40 * 60)
    assert waited_minutes(called, desk.now) == pytest.approx(4 + 1 / 60, abs=0.02)
    assert [t.number for t in long_waits(desk.day, desk.now, 30)] == ["A-002"]
    assert long_waits(desk.day, desk.now, 60) == []


def test_waits_to_the_first_call_per_service_against_the_waiting_standard():
    from shared.domain.standards import wait_records

    desk = Desk()
    desk.issue()
    desk.issue()
    desk.tick(2 * 60)
    desk.run(c.CallNext("1", "budi"))  # A-001 waited ~2 min: within the 3-minute standard
    desk.run(c.Skip("1", "budi"))
    desk.tick(4 * 60)
    desk.run(c.CallNext("1", "budi"))  # A-002 waited ~6 min
    records = {r.service: r for r in wait_records(desk.day, desk.catalogue)}
    ak1 = records["ak1-baru"]
    assert (ak1.called, ak1.within_standard_share) == (2, 0.5)
    assert ak1.mean_minutes == pytest.approx((2 + 6) / 2, abs=0.1)
    assert records["id-ctki"].mean_minutes is None


def test_step_records_keep_a_transferred_tickets_steps_with_their_own_service():
    desk = Desk()
    desk.issue("ak1-baru")
    desk.run(c.CallNext("1", "budi"))
    desk.run(c.Start("1", "budi"))
    desk.tick(10 * 60)
    desk.run(c.Transfer("1", "budi", to_service="id-ctki"))
    desk.run(c.CallNext("3", "sari"))
    desk.run(c.Start("3", "sari"))
    desk.tick(2 * 60)
    desk.run(c.Finish("3", "sari"))
    records = {(r.service, r.number): r for r in step_records(desk.day, desk.catalogue)}
    assert records[("id-ctki", 1)].mean_minutes == pytest.approx(2 + 1 / 60, abs=0.05)
    assert records[("ak1-baru", 1)].mean_minutes == pytest.approx(10 + 1 / 60, abs=0.05)


def test_a_six_second_visit_is_flagged_too_short_not_within_standard():
    desk = Desk()
    for _ in range(2):
        desk.issue()
    serve(desk, "1", 2)  # ~8 min: a real visit, within the standard
    serve(desk, "1", 0.02)  # a few seconds: finished by mistake
    today = counter_day(desk.day, desk.catalogue, "1", desk.now)
    assert today.served == 2
    assert today.too_short == 1
    assert today.within_standard_share == 0.5  # only the real visit counts as within


def test_the_minimum_comes_from_the_call_rules():
    from dataclasses import replace

    desk = Desk()
    desk.catalogue = replace(
        desk.catalogue,
        call_rules=replace(desk.catalogue.call_rules, minimum_service_minutes=10),
    )
    desk.issue()
    serve(desk, "1", 2)  # ~8 min: under a 10-minute minimum
    today = counter_day(desk.day, desk.catalogue, "1", desk.now)
    assert (today.too_short, today.within_standard_share) == (1, 0)

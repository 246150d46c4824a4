"""A day with visits entered afterwards from paper numbers folds into the register and reports."""

from __future__ import annotations

from shared.domain import commands as c
from shared.reports.exports import register_table
from shared.reports.period import Period, period_report
from shared.reports.register import VisitOutcome, day_register, visit_register
from shared.reports.summaries import summarise
from tests.unit.office import Desk
from tests.unit.test_paper_visits import DAY, paper


def a_day_with_paper_visits() -> Desk:
    desk = Desk()
    ticket = desk.issue()
    desk.run(c.CallNext("1", "budi"))
    desk.run(c.Start("1", "budi"))
    desk.run(paper())
    desk.run(paper(number="A-013", outcome="dikembalikan", finished_at=None, return_reason="KTP"))
    assert desk.day.tickets[ticket].started_at is not None
    return desk


def test_paper_visits_are_rows_of_the_register_marked_as_entered_afterwards():
    desk = a_day_with_paper_visits()
    rows = {r.number: r for r in visit_register(desk.log, desk.catalogue, DAY)}
    assert rows["A-012"].entered_afterwards and rows["A-012"].outcome is VisitOutcome.SELESAI
    assert rows["A-012"].service_minutes == 8
    assert rows["A-012"].counters == ("1",) and rows["A-012"].legs == ()
    assert rows["A-013"].outcome is VisitOutcome.DIKEMBALIKAN
    assert rows["A-013"].missing_document == "KTP"
    assert not rows["A-001"].entered_afterwards
    table = register_table(rows.values(), desk.catalogue)
    marks = {row[1]: row[-1] for row in table.rows}
    assert marks == {"A-001": "", "A-012": "ya", "A-013": "ya"}


def test_a_period_report_counts_paper_visits():
    desk = a_day_with_paper_visits()
    summary = summarise(day_register(desk.log, desk.catalogue, DAY))
    report = period_report([summary], desk.catalogue, Period.day(DAY))
    assert report.visits == 3

"""The recap for the performance evaluation: periods, counts, median, share within target."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from shared.domain.complaint_recap import BadPeriod, parse_period, period_containing, recap
from shared.domain.complaints import PUBLIC_CHANNEL, ComplaintState
from tests.unit.test_complaints import POLICY, Office


@pytest.mark.parametrize(
    ("text", "label", "start", "end"),
    [
        ("2026-11", "November 2026", date(2026, 11, 1), date(2026, 11, 30)),
        ("2026-02", "Februari 2026", date(2026, 2, 1), date(2026, 2, 28)),
        ("2024-02", "Februari 2024", date(2024, 2, 1), date(2024, 2, 29)),
        ("2026-12", "Desember 2026", date(2026, 12, 1), date(2026, 12, 31)),
        ("2026-S1", "Semester I 2026", date(2026, 1, 1), date(2026, 6, 30)),
        ("2026-s2", "Semester II 2026", date(2026, 7, 1), date(2026, 12, 31)),
        ("2026", "Tahun 2026", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_periods_are_read_from_their_keys(text, label, start, end):
    period = parse_period(text)
    assert (period.label, period.start, period.end) == (label, start, end)
    assert start in period and end in period and end + timedelta(days=1) not in period


@pytest.mark.parametrize("text", ["", "2026-13", "2026-S3", "minggu lalu", "1999", "2026-1"])
def test_a_bad_period_says_how_to_write_one(text):
    with pytest.raises(BadPeriod, match="2026-S1|tidak ada|jangkauan"):
        parse_period(text)


def test_the_period_containing_a_day():
    assert period_containing(date(2026, 8, 3), "semester").key == "2026-S2"
    assert period_containing(date(2026, 8, 3), "bulan").key == "2026-08"
    assert period_containing(date(2026, 8, 3), "tahun").key == "2026"


def test_the_recap_counts_every_way_and_measures_answers_in_working_days():
    office = Office()
    monday = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # Monday 2 November 2026, 09:00 WIB
    # Answered on Wednesday: 2 working days, within the 5-day target.
    quick = office.file(now=monday, category="Persyaratan")
    office.through(quick, ComplaintState.CLOSED, now=monday + timedelta(days=2))
    # Answered on Thursday 12 November: 8 working days, late.
    late = office.file(now=monday, kind="saran")
    office.through(late, ComplaintState.CLOSED, now=monday + timedelta(days=10))
    # Answered a week later, on Monday 9 November: 5 working days, just within.
    just = office.file(
        channel="Surat", recorded_by="budi", received_on=date(2026, 11, 2), now=monday
    )
    office.through(just, ComplaintState.CLOSED, now=monday + timedelta(days=7))
    # Open and past due by 20 November; open and not yet due; a complaint of October.
    office.file(now=monday + timedelta(days=1), channel="Surat", recorded_by="budi")
    office.through(
        office.file(now=datetime(2026, 11, 18, 2, 0, tzinfo=UTC)), ComplaintState.FORWARDED
    )
    office.file(now=datetime(2026, 10, 30, 2, 0, tzinfo=UTC))

    now = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    result = recap(
        office.register,
        POLICY,
        parse_period("2026-11"),
        now,
        channels=(*POLICY.channels, PUBLIC_CHANNEL),
    )
    assert [c.number for c in result.complaints] == [
        "PGD-2026-0001",
        "PGD-2026-0002",
        "PGD-2026-0003",
        "PGD-2026-0004",
        "PGD-2026-0005",
    ]  # October's PGD-2026-0006 is not in November
    assert dict(result.by_channel) == {
        "Telepon dinas": 0,
        "Surat": 2,
        "Kotak saran": 0,
        PUBLIC_CHANNEL: 3,
    }
    assert dict(result.by_category)["Persyaratan"] == 1
    assert dict(result.by_category)["Waktu pelayanan"] == 4
    assert dict(result.by_category)["Lainnya"] == 0  # every configured category is listed
    assert dict(result.by_kind) == {"pengaduan": 4, "saran": 1}
    assert dict(result.by_state) == {
        ComplaintState.RECEIVED: 1,
        ComplaintState.FORWARDED: 1,
        ComplaintState.FOLLOWED_UP: 0,
        ComplaintState.CLOSED: 3,
    }
    assert result.answered == 3
    assert result.median_days_to_answer == 5.0  # of 2, 8 and 5 working days
    assert result.overdue_open == 1
    # Known outcome: 3 answered (2 on time) + 1 overdue; the one not yet due is not counted.
    assert (result.within_target, result.target_known) == (2, 4)
    assert result.within_target_percent == 50.0


def test_an_empty_period_has_no_median_and_no_share():
    result = recap(
        Office().register, POLICY, parse_period("2026"), datetime(2026, 11, 20, tzinfo=UTC)
    )
    assert result.complaints == ()
    assert result.median_days_to_answer is None and result.within_target_percent is None

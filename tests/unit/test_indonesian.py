"""Numbers and dates are written the Indonesian way everywhere a report shows them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from shared import indonesian as fmt


@pytest.mark.parametrize(
    ("value", "decimals", "written"),
    [
        (1234, 0, "1.234"),
        (1234567, 0, "1.234.567"),
        (0, 0, "0"),
        (12.5, 1, "12,5"),
        (12.25, 1, "12,3"),  # halves round up, as on paper (not to even)
        (2.675, 2, "2,68"),  # from the written decimal, not the float's binary tail
        (1234.5, 1, "1.234,5"),
        (-0.04, 1, "0,0"),  # never "-0,0"
        (-3.5, 1, "-3,5"),
    ],
)
def test_numbers_group_thousands_with_dots_and_decimals_with_a_comma(value, decimals, written):
    assert fmt.number(value, decimals) == written


def test_minutes_and_shares_carry_their_unit():
    assert fmt.minutes(12.5) == "12,5 menit"
    assert fmt.percent(87.5) == "87,5 %"
    assert fmt.share(0.875) == "87,5 %"
    assert fmt.share(1) == "100,0 %"


def test_no_figure_is_a_dash_never_zero():
    for write in (fmt.number, fmt.minutes, fmt.percent, fmt.share, fmt.long_date, fmt.clock):
        assert write(None) == "–"


def test_dates_spell_the_month():
    assert fmt.long_date(date(2026, 12, 2)) == "2 Desember 2026"
    assert fmt.weekday_date(date(2026, 12, 2)) == "Rabu, 2 Desember 2026"
    assert fmt.month_year(date(2026, 11, 30)) == "November 2026"
    assert fmt.short_date(date(2026, 8, 17)) == "17 Agu"
    assert fmt.date_time(datetime(2026, 11, 23, 8, 5)) == "23 November 2026 08.05"


def test_a_month_key_reads_as_its_name():
    assert fmt.month_label("2026-11") == "November 2026"
    assert fmt.month_label(None) == "–"

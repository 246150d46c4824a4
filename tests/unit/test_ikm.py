"""The IKM as PermenPAN-RB 14/2017 computes it, checked against hand computation and
against published office tabulations."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.domain.ikm import (
    DEFAULT_ELEMENTS,
    compute_ikm,
    ikm_mutu,
    minimum_sample,
    nrr_mutu,
    previous_semester,
    representative,
    rounded,
    semester_of,
)

# Sekadau regency (Kalimantan Barat), "Nilai hasil survey kepuasan masyarakat semester I
# 2019", the per-respondent tabulation published on
# https://sekadaukab.go.id/index.php/artikel/baca/923/NILAI-HASIL-SURVEY-KEPUASAN-MASYARAKAT-SEMESTER-I-2019.html
# (U1..U9 as that office orders them; the stored copy holds respondents 1-49). The totals,
# NRR and IKM below were computed by hand from these rows.
SEKADAU_2019_S1 = (
    (2, 2, 3, 4, 3, 4, 4, 4, 3), (3, 3, 2, 3, 3, 3, 3, 2, 3), (3, 3, 3, 4, 4, 3, 3, 3, 4),
    (2, 2, 4, 4, 4, 4, 3, 4, 3), (3, 3, 2, 3, 3, 3, 3, 2, 3), (3, 3, 3, 4, 3, 3, 3, 3, 4),
    (3, 3, 3, 3, 3, 3, 3, 2, 4), (3, 4, 3, 3, 3, 4, 4, 3, 4), (3, 3, 3, 3, 3, 3, 3, 3, 3),
    (3, 2, 3, 4, 4, 4, 4, 4, 3), (2, 3, 4, 4, 4, 4, 4, 4, 3), (3, 3, 3, 3, 3, 3, 3, 2, 3),
    (3, 4, 3, 4, 3, 3, 3, 2, 4), (3, 4, 4, 4, 3, 3, 4, 4, 4), (3, 2, 3, 3, 3, 3, 3, 2, 3),
    (3, 3, 3, 3, 3, 3, 3, 2, 3), (3, 3, 3, 3, 3, 3, 4, 3, 2), (2, 2, 4, 4, 4, 4, 4, 4, 4),
    (3, 3, 3, 4, 3, 3, 3, 3, 4), (1, 1, 3, 4, 3, 3, 3, 3, 2), (3, 3, 3, 2, 3, 3, 3, 2, 3),
    (3, 3, 4, 4, 3, 4, 4, 4, 3), (3, 3, 3, 3, 3, 3, 3, 2, 3), (2, 3, 3, 4, 4, 4, 3, 4, 2),
    (3, 1, 2, 2, 3, 3, 3, 3, 3), (3, 3, 3, 4, 3, 3, 3, 3, 4), (4, 4, 4, 4, 3, 4, 3, 4, 4),
    (3, 3, 3, 4, 3, 3, 3, 3, 4), (3, 3, 2, 3, 3, 2, 2, 2, 2), (2, 2, 4, 4, 4, 4, 4, 3, 3),
    (3, 3, 3, 4, 3, 3, 3, 3, 3), (3, 3, 3, 4, 3, 4, 4, 4, 3), (3, 3, 3, 4, 3, 3, 3, 3, 4),
    (2, 2, 3, 4, 4, 3, 3, 3, 2), (3, 3, 3, 4, 3, 3, 3, 3, 4), (3, 3, 3, 4, 3, 4, 3, 3, 4),
    (3, 3, 3, 3, 3, 3, 3, 3, 4), (3, 3, 2, 3, 2, 2, 3, 2, 3), (3, 3, 3, 4, 4, 4, 3, 2, 3),
    (3, 3, 3, 4, 3, 3, 3, 3, 3), (2, 2, 3, 4, 4, 4, 4, 3, 3), (3, 3, 2, 4, 3, 4, 3, 2, 3),
    (3, 4, 4, 4, 3, 3, 4, 3, 4), (3, 3, 3, 4, 3, 3, 3, 3, 4), (3, 3, 4, 3, 4, 3, 4, 3, 4),
    (3, 3, 4, 4, 4, 4, 4, 4, 3), (3, 2, 1, 3, 2, 3, 3, 1, 2), (3, 3, 4, 4, 4, 4, 4, 4, 3),
    (3, 3, 3, 4, 4, 4, 3, 2, 3),
)  # fmt: skip


def test_a_published_tabulation_totals_nrr_and_ikm_by_hand():
    result = compute_ikm(SEKADAU_2019_S1)
    assert result.respondents == 49
    # Column sums of the 49 rows, added up by hand.
    assert [e.total for e in result.elements] == [138, 139, 150, 177, 159, 163, 161, 143, 159]
    assert all(e.respondents == 49 for e in result.elements)
    shown = [str(rounded(e.nrr, 4)) for e in result.elements]  # type: ignore[arg-type]
    assert shown == [
        "2.8163", "2.8367", "3.0612", "3.6122", "3.2449", "3.3265", "3.2857", "2.9184", "3.2449",
    ]  # fmt: skip
    # 3,0612 lies below B's 3,0644: C, as the regulation's element table says.
    assert [e.mutu for e in result.elements] == ["C", "C", "C", "A", "B", "B", "B", "C", "B"]
    # (138+139+150+177+159+163+161+143+159) / 49 / 9 * 25 = 1389 / 441 * 25 = 78,7415
    assert result.ikm == Fraction(1389 * 25, 49 * 9)
    assert str(rounded(result.ikm, 2)) == "78.74"
    assert (result.mutu, result.kinerja) == ("B", "Baik")
    assert [e.element.code for e in result.weakest_first()[:3]] == ["U1", "U2", "U8"]


def test_a_published_all_fours_result_is_100_exactly_not_99_9():
    # Tulang Bawang Barat, Disdukcapil, SKM 2023 semester 1
    # (https://e-smile.tubaba.go.id/main/skm/laporan/online): one respondent, 4 on every
    # unsur, "NRR Tertimbang / Unsur 0.44", "IKM UNIT PELAYANAN 100 (Sangat Baik)". With the
    # weight written 0,111 it would be 99,90; the published 100 is the exact 1/9.
    result = compute_ikm([(4,) * 9])
    assert [e.nrr for e in result.elements] == [4] * 9
    assert [str(rounded(e.weighted, 2)) for e in result.elements] == ["0.44"] * 9  # type: ignore[arg-type]
    assert result.ikm == 100
    assert (result.mutu, result.kinerja) == ("A", "Sangat Baik")


def test_small_hand_example_with_unanswered_scores():
    # Three respondents; the third skipped U4 and U9.
    result = compute_ikm(
        [
            (4, 3, 3, 4, 3, 3, 4, 2, 3),
            (3, 3, 2, 4, 3, 4, 4, 3, 3),
            (3, 2, 3, None, 3, 3, 4, 2, None),
        ]
    )
    u4, u9 = result.elements[3], result.elements[8]
    assert (u4.total, u4.respondents, u4.nrr) == (8, 2, 4)
    assert (u9.total, u9.respondents, u9.nrr) == (6, 2, 3)
    # NRR: 10/3, 8/3, 8/3, 4, 3, 10/3, 4, 7/3, 3 -> (10+8+8+10+7)/3 + 14 = 85/3
    assert sum(e.nrr for e in result.elements) == Fraction(85, 3)  # type: ignore[misc]
    assert result.ikm == Fraction(85, 3) / 9 * 25  # 2125/27 = 78,7037...
    assert str(rounded(result.ikm, 2)) == "78.70"
    assert result.mutu == "B"


def test_no_ikm_until_every_element_has_an_answer():
    result = compute_ikm([(4, 4, 4, 4, 4, 4, 4, 4, None)])
    assert not result.complete
    assert result.ikm is None and result.mutu is None and result.kinerja is None
    assert result.weakest_first()[-1].element.code == "U9"
    assert compute_ikm([]).ikm is None


@pytest.mark.parametrize("bad", [0, 5, 2.5, "3"])
def test_a_score_outside_1_to_4_is_refused(bad):
    with pytest.raises(ValueError):
        compute_ikm([(bad, 4, 4, 4, 4, 4, 4, 4, 4)])


@pytest.mark.parametrize(
    ("ikm", "mutu"),
    [
        ("25", "D"), ("64.99", "D"), ("64.994", "D"), ("64.995", "C"), ("65", "C"),
        ("76.60", "C"), ("76.61", "B"), ("88.30", "B"), ("88.305", "A"), ("88.31", "A"),
        ("100", "A"),
    ],
)  # fmt: skip
def test_ikm_conversion_table(ikm, mutu):
    assert ikm_mutu(Fraction(ikm)) == mutu


@pytest.mark.parametrize(
    ("nrr", "mutu"),
    [
        ("1", "D"), ("2.5996", "D"), ("2.5998", "D"), ("2.60", "C"), ("3.064", "C"),
        ("3.0642", "C"), ("3.0644", "B"), ("3.532", "B"), ("3.5324", "A"), ("4", "A"),
    ],
)  # fmt: skip
def test_element_intervals_and_their_gaps(nrr, mutu):
    assert nrr_mutu(Fraction(nrr)) == mutu


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        (0, 0), (7, 7), (10, 10), (11, 14), (100, 80), (101, 86), (500, 217), (1000, 278),
        (1001, 285), (5000, 357), (100000, 384), (5_000_000, 384),
    ],
)  # fmt: skip
def test_krejcie_morgan_minimum_sample(population, sample):
    assert minimum_sample(population) == sample


def test_representative_only_at_the_minimum_sample():
    assert not representative(79, 100)
    assert representative(80, 100)
    assert not representative(0, 0)


def test_semesters():
    assert semester_of(date(2026, 12, 2)).label == "Semester II 2026"
    assert semester_of(date(2026, 6, 30)).label == "Semester I 2026"
    assert previous_semester(date(2026, 12, 2)).label == "Semester I 2026"
    last = previous_semester(date(2027, 3, 1))
    assert (last.label, last.start, last.end) == (
        "Semester II 2026",
        date(2026, 7, 1),
        date(2026, 12, 31),
    )


score = st.one_of(st.none(), st.integers(1, 4))
response = st.tuples(*[st.integers(1, 4)] + [score] * 8)
responses = st.lists(st.lists(st.integers(1, 4), min_size=9, max_size=9), min_size=1, max_size=30)


@given(responses)
def test_ikm_stays_within_25_and_100(rows):
    ikm = compute_ikm(rows).ikm
    assert ikm is not None and 25 <= ikm <= 100


@given(responses, st.data())
def test_raising_any_score_never_lowers_the_ikm(rows, data):
    row = data.draw(st.integers(0, len(rows) - 1))
    col = data.draw(st.integers(0, len(DEFAULT_ELEMENTS) - 1))
    if rows[row][col] == 4:
        return
    better = [list(r) for r in rows]
    better[row][col] += 1
    assert compute_ikm(better).ikm > compute_ikm(rows).ikm  # type: ignore[operator]


@given(st.lists(response, min_size=1, max_size=20))
def test_with_skipped_answers_the_ikm_is_within_range_or_undefined(rows):
    result = compute_ikm(rows)
    assert result.ikm is None or 25 <= result.ikm <= 100
    assert result.complete == all(any(r[i] is not None for r in rows) for i in range(9))

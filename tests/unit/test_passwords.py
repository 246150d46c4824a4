"""The password rule refuses what an attacker tries first, and nothing a person chose well."""

from __future__ import annotations

import pytest

from shared.passwords import password_problem


@pytest.mark.parametrize(
    "password",
    [
        "12345678",
        "password",
        "        ",
        "\t\t\t\t\t\t\t\t",
        "Password1",
        "rahasia123",
        "Bismillah!",
        "indonesia45",
        "sayang123",
        "aaaaaaaa",
        "12121212",
        "abcabcabc",
        "87654321",
        "abcdefgh",
        "qwertyuiop",
        "budi1234",
    ],
)
def test_common_and_trivial_passwords_are_refused(password):
    assert password_problem(password, "budi") is not None


def test_too_short_says_how_long():
    assert "at least 8" in (password_problem("Xy7#q", "budi") or "")


def test_too_long_says_how_long():
    assert "at most 1024" in (password_problem("Lw7!xq2Rt" * 200, "budi") or "")


def test_the_user_name_is_refused_whatever_its_case():
    assert "user name" in (password_problem("Kasi-Lamongan", "kasi-lamongan") or "")


@pytest.mark.parametrize(
    "password", ["rahasia-petugas", "kopi tubruk pagi", "98127364", "Lw7!xq2Rt"]
)
def test_chosen_passwords_pass(password):
    assert password_problem(password, "budi") is None

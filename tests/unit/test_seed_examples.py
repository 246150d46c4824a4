"""Each examples/*.yaml against the numbers of its seed document, and check-config's warnings.

The seed figures are copied here by hand from the team's seed documents (000-004), with the
document's own section named beside each, so a config edited away from its office's published
standard fails here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from shared.config import check_config, load_settings, settings_from_dict
from shared.config_warnings import config_warnings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@dataclass(frozen=True)
class SeedService:
    code: str
    total_minutes: float
    requirements: int
    # The per-step minutes, where the document gives them; None where they are our split.
    step_minutes: tuple[float, ...] | None = None


@dataclass(frozen=True)
class Seed:
    example: str
    office: str
    timezone: str
    complaint_channels: int
    services: tuple[SeedService, ...]
    max_calls: int = 3
    waiting_standard_minutes: float | None = None


SEEDS = (
    # 000: SP Kartu AK1, Lamongan: 4 requirements (4 for renewal), 15 menit, 6 channels.
    Seed(
        "lamongan.yaml",
        "Dinas Tenaga Kerja Kabupaten Lamongan",
        "Asia/Jakarta",
        6,
        (SeedService("ak1-baru", 15, 3), SeedService("ak1-perpanjangan", 15, 4)),
    ),
    # 001: SOP Penerbitan Kartu AK-1, Pekalongan: six steps of 5/5/15/5/5/5 menit.
    Seed(
        "pekalongan.yaml",
        "Dinas Perindustrian dan Tenaga Kerja Kota Pekalongan",
        "Asia/Jakarta",
        1,
        (SeedService("ak1", 40, 2, (5, 5, 15, 5, 5, 5)),),
    ),
    # 002: SOP DNK-PNP-PM-02, Lombok Tengah: steps 3-10 of 1/3/3/1/1/1/1/1 menit, counselling
    # 5, legalised copy 1 + 1; waiting 3 menit; "lebih dari 3 kali" moves on.
    Seed(
        "lombok-tengah.yaml",
        "Dinas Tenaga Kerja dan Transmigrasi Kabupaten Lombok Tengah",
        "Asia/Makassar",
        2,
        (SeedService("ak1", 12, 2, (1, 3, 3, 1, 1, 1, 1, 1, 5, 1, 1)),),
        waiting_standard_minutes=3,
    ),
    # 003: SP Klungkung: AK I 20 menit (9 requirements), ID CTKI 25 (9), Rekomendasi Paspor
    # 60 (11), Tanda Daftar BKK 50 (6), Rekomendasi LPK 50; 3 complaint channels.
    Seed(
        "klungkung.yaml",
        "Dinas Perindustrian dan Tenaga Kerja Kabupaten Klungkung",
        "Asia/Makassar",
        3,
        (
            SeedService("ak1", 20, 9),
            SeedService("id-ctki", 25, 9),
            SeedService("rekomendasi-paspor", 60, 11),
            SeedService("tanda-daftar-bkk", 50, 6),
            SeedService("rekomendasi-lpk", 50, 4),
        ),
    ),
    # 004: AK 1 tatap muka, Balongbendo: 6 requirements; section 1.1: upload 30, check 15,
    # verify 15 menit, register 30; the card received in 10 menit; 4 complaint channels.
    Seed(
        "balongbendo.yaml",
        "Kecamatan Balongbendo",
        "Asia/Jakarta",
        4,
        (
            SeedService("ak1", 60, 6, (30, 15, 15, 30)),
            SeedService("ambil-ak1", 10, 2, (10,)),
        ),
    ),
)


def test_every_example_is_covered_here():
    assert {seed.example for seed in SEEDS} == {p.name for p in EXAMPLES.glob("*.yaml")}


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.example)
def test_example_keeps_its_seeds_numbers(seed: Seed):
    settings = load_settings(EXAMPLES / seed.example)
    assert settings.office.name == seed.office
    assert settings.office.timezone == seed.timezone
    assert len(settings.office.complaint_channels) == seed.complaint_channels
    assert settings.call_rules.max_calls == seed.max_calls
    if seed.waiting_standard_minutes is not None:
        assert settings.call_rules.waiting_standard_minutes == seed.waiting_standard_minutes
    services = {s.code: s for s in settings.services}
    assert set(services) == {s.code for s in seed.services}
    for expected in seed.services:
        service = services[expected.code]
        assert service.total_minutes == expected.total_minutes, service.code
        assert len(service.requirements) == expected.requirements, service.code
        assert service.cost == 0, service.code  # every seed: tidak dipungut biaya (GRATIS)
        if expected.step_minutes is not None:
            assert tuple(s.minutes for s in service.steps) == expected.step_minutes, service.code


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.example)
def test_example_passes_check_config_without_warnings(seed: Seed):
    ok, report = check_config(EXAMPLES / seed.example)
    assert ok, report
    assert "warning" not in report, report


def _settings(tmp_path, change):
    data = yaml.safe_load((EXAMPLES / "lamongan.yaml").read_text(encoding="utf-8"))
    change(data)
    return settings_from_dict(data, tmp_path)


def test_steps_over_the_total_standard_are_warned_about(tmp_path):
    def longer(data):
        data["services"][0]["total_minutes"] = 10

    (warning,) = config_warnings(_settings(tmp_path, longer))
    assert warning.startswith("services[0] (ak1-baru): the mandatory steps add up to 13 minutes")


def test_optional_steps_do_not_count_against_the_total(tmp_path):
    def exact(data):
        data["services"][0]["total_minutes"] = 13  # 15 minus the optional correction

    assert config_warnings(_settings(tmp_path, exact)) == []


def test_an_actor_nobody_covers_is_warned_about(tmp_path):
    def no_signer(data):
        data["counters"][0]["staff"] = ["Petugas Layanan AK1"]

    warnings = config_warnings(_settings(tmp_path, no_signer))
    assert len(warnings) == 2  # the shared step list of both AK1 services
    assert "actor 'Petugas Pengantar Kerja' is on no counter's staff" in warnings[0]


def test_an_official_covers_a_signature_away_from_the_counter(tmp_path):
    def official(data):
        data["counters"][0]["staff"] = ["Petugas Layanan AK1"]
        data["office"]["officials"] = ["Petugas Pengantar Kerja"]

    assert config_warnings(_settings(tmp_path, official)) == []


def test_actors_are_not_checked_when_no_roles_are_declared(tmp_path):
    def undeclared(data):
        del data["counters"][0]["staff"]

    assert config_warnings(_settings(tmp_path, undeclared)) == []


def test_a_cut_off_without_opening_hours_is_warned_about(tmp_path, capsys):
    def cutoff(data):
        data["office"]["ticket_cutoff_minutes"] = 30

    (warning,) = config_warnings(_settings(tmp_path, cutoff))
    assert "has no effect without office.opening_hours" in warning


def test_check_config_prints_warnings_and_still_passes(tmp_path):
    data = yaml.safe_load((EXAMPLES / "lamongan.yaml").read_text(encoding="utf-8"))
    data["services"][0]["total_minutes"] = 10
    data["store"]["url"] = "sqlite:///antrian.db"
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    ok, report = check_config(path)
    assert ok
    assert "1 warning(s):\n  - services[0] (ak1-baru)" in report


@pytest.mark.parametrize(
    ("holidays", "expected"),
    [
        ([{"date": "2026-13-01", "name": "x"}], "office.holidays[0].date must be a date"),
        ([{"date": "2026-12-25"}], "office.holidays[0].name is required"),
        (
            [{"date": "2026-12-25", "name": "a"}, {"date": "2026-12-25", "name": "b"}],
            "2026-12-25 is listed twice",
        ),
    ],
)
def test_bad_holidays_are_explained(tmp_path, holidays, expected):
    from shared.config import ConfigError

    with pytest.raises(ConfigError) as refused:
        _settings(tmp_path, lambda d: d["office"].update(holidays=holidays))
    assert expected in refused.value.problems[0]


def test_holidays_and_cut_off_reach_the_catalogue(tmp_path):
    def calendar(data):
        data["office"]["holidays"] = [{"date": "2026-12-25", "name": "Hari Raya Natal"}]
        data["office"]["ticket_cutoff_minutes"] = 30

    catalogue = _settings(tmp_path, calendar).catalogue()
    assert [(h.day.isoformat(), h.name) for h in catalogue.holidays] == [
        ("2026-12-25", "Hari Raya Natal")
    ]
    assert catalogue.ticket_cutoff_minutes == 30

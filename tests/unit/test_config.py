"""config.yaml validation: the shipped examples load, and each mistake names its field."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from shared.config import ConfigError, check_config, load_settings
from shared.domain.office_day import office_day_of

ROOT = Path(__file__).resolve().parents[2]


def test_lamongan_example_loads_as_a_catalogue():
    settings = load_settings(ROOT / "config.yaml")
    catalogue = settings.catalogue()
    assert settings.office.timezone == "Asia/Jakarta"
    assert len(settings.office.complaint_channels) == 6
    codes = [s.code for s in catalogue.services]
    assert codes == [
        "ak1-baru",
        "ak1-perpanjangan",
        "id-ctki",
        "rekomendasi-paspor",
        "tanda-daftar-bkk",
    ]
    ak1 = catalogue.service("ak1-baru")
    assert ak1.total_minutes == 15
    assert [s.minutes for s in ak1.steps if s.optional] == [5, 1, 1]
    assert "Kartu AK1 lama" in catalogue.service("ak1-perpanjangan").requirements
    assert "Kartu AK1 lama" not in ak1.requirements
    totals = {s.code: s.total_minutes for s in catalogue.services}
    assert (totals["id-ctki"], totals["rekomendasi-paspor"], totals["tanda-daftar-bkk"]) == (
        25,
        60,
        50,
    )
    assert catalogue.call_rules.max_calls == 3
    assert catalogue.counter("konseling").name == "Meja Konseling"


def test_klungkung_example_is_a_wita_office():
    settings = load_settings(ROOT / "examples" / "klungkung.yaml")
    assert settings.office.timezone == "Asia/Makassar"
    assert settings.catalogue().service("ak1").total_minutes == 20
    # 16:30 UTC is 23:30 in Jakarta but already the next day in Klungkung.
    moment = datetime(2026, 11, 23, 16, 30, tzinfo=UTC)
    assert office_day_of(moment, "Asia/Makassar").day == 24
    assert office_day_of(moment, "Asia/Jakarta").day == 23


def test_relative_sqlite_path_resolves_against_the_config_folder():
    settings = load_settings(ROOT / "examples" / "klungkung.yaml")
    assert settings.store_url == f"sqlite:///{ROOT / 'instance' / 'klungkung.db'}"


def base() -> dict:
    return yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))


def problems_of(tmp_path: Path, data) -> str:
    path = tmp_path / "config.yaml"
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as failure:
        load_settings(path)
    return str(failure.value)


def mutate(change):
    data = base()
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["services"][2]["steps"][1].update(minutes=0),
            "services[2].steps[1].minutes must be > 0",
        ),
        (lambda d: d["office"].update(timezone="Asia/Jkt"), "office.timezone unknown timezone"),
        (lambda d: d["counters"][0]["services"].append("paspor"), "counters[0].services[2]"),
        (
            lambda d: d["services"][3].update(prefix="A"),
            "services[3].prefix 'A' is already used by services[0] (ak1-baru)",
        ),
        (
            lambda d: d.update(printer={"type": "network"}),
            "printer.host is required when printer.type is network",
        ),
        (
            lambda d: d["office"].update(nmae="x"),
            "office.nmae: unknown field (did you mean 'name'?)",
        ),
        (lambda d: d.update(store={"url": "postgres://x"}), "store.url must start with sqlite:///"),
        (
            lambda d: d["voice"].update(phrase="Nomor {nomor}"),
            "voice.phrase unknown placeholder {nomor}",
        ),
        (lambda d: d["services"][0].pop("requirements"), "services[0].requirements is required"),
        (
            lambda d: d["counters"].__setitem__(slice(None), [d["counters"][2]]),
            "services[0] (ak1-baru) is served by no counter",
        ),
        (
            lambda d: d["services"][4]["steps"].__setitem__(
                slice(None), [{"name": "x", "actor": "y", "minutes": 1, "optional": True}]
            ),
            "services[4] needs at least one step with optional: false",
        ),
        (lambda d: d["call_rules"].update(max_calls=0), "call_rules.max_calls"),
        (lambda d: d["server"].update(async_mode="gevent"), "server.async_mode"),
    ],
)
def test_each_mistake_names_its_field(tmp_path, change, expected):
    assert expected in problems_of(tmp_path, mutate(change))


def test_yaml_syntax_error_gives_the_line(tmp_path):
    message = problems_of(tmp_path, "office:\n  id: x\n  name: [unclosed\n")
    assert "not valid YAML at line" in message


def test_top_level_must_be_a_mapping(tmp_path):
    assert "mapping of sections" in problems_of(tmp_path, "- just\n- a list\n")


def test_missing_file_says_how_to_fix(tmp_path):
    with pytest.raises(ConfigError, match="--config PATH"):
        load_settings(tmp_path / "nope.yaml")


def test_check_config_reports_ok_and_problems(tmp_path):
    ok, report = check_config(ROOT / "config.yaml")
    assert ok and report.startswith("OK: Dinas Tenaga Kerja Kabupaten Lamongan")
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(mutate(lambda d: d["office"].pop("timezone"))))
    ok, report = check_config(bad)
    assert not ok
    assert "office.timezone is required" in report


def test_opening_hours_become_the_catalogue_hours():
    hours = load_settings(ROOT / "examples" / "klungkung.yaml").catalogue().opening_hours
    assert [h.describe() for h in hours][-1] == "Jumat 08.00-11.30"


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        ({"senen": "07:30-15:00"}, "unknown day 'senen'"),
        ({"senin": "7.30 sampai 15"}, 'write hours as "07:30-15:00"'),
        ({"senin": "15:00-07:30"}, "opening time must be before closing time"),
    ],
)
def test_bad_opening_hours_are_explained(tmp_path, hours, expected):
    data = mutate(lambda d: d["office"].update(opening_hours=hours))
    assert expected in problems_of(tmp_path, data)

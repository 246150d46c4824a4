"""config.yaml validation: the shipped examples load, and each mistake names its field."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.config import ConfigError, check_config, load_settings, settings_from_dict
from shared.domain.catalogue import Catalogue, Step
from shared.domain.office_day import office_day_of

ROOT = Path(__file__).resolve().parents[2]
LAMONGAN = ROOT / "config.yaml"
KLUNGKUNG = ROOT / "examples" / "klungkung.yaml"


# ---- the shipped examples -------------------------------------------------------------------


def test_lamongan_example_loads_as_a_catalogue():
    settings = load_settings(LAMONGAN)
    catalogue = settings.catalogue()
    assert isinstance(catalogue, Catalogue)
    assert (catalogue.office_id, catalogue.timezone) == ("disnaker-lamongan", "Asia/Jakarta")
    assert settings.office.phone == "(0322) 316147"
    assert len(settings.office.complaint_channels) == 6
    assert any("disnakerlamongankab@gmail.com" in c for c in settings.office.complaint_channels)
    assert [(s.code, s.prefix) for s in catalogue.services] == [
        ("ak1-baru", "A"),
        ("ak1-perpanjangan", "B"),
        ("id-ctki", "C"),
        ("rekomendasi-paspor", "D"),
        ("tanda-daftar-bkk", "E"),
    ]
    assert {c.id: c.services for c in catalogue.counters} == {
        "1": ("ak1-baru", "ak1-perpanjangan"),
        "2": ("ak1-baru", "ak1-perpanjangan"),
        "3": ("id-ctki", "rekomendasi-paspor", "tanda-daftar-bkk"),
        "konseling": (),
    }
    assert catalogue.counter("konseling").name == "Meja Konseling"
    assert catalogue.call_rules.max_calls == 3
    assert catalogue.call_rules.auto_recall_seconds == 0


def test_lamongan_ak1_follows_the_lamongan_standard_and_the_lombok_sop():
    catalogue = load_settings(LAMONGAN).catalogue()
    new, renewal = catalogue.service("ak1-baru"), catalogue.service("ak1-perpanjangan")
    assert new.total_minutes == renewal.total_minutes == 15
    assert new.cost == "Gratis" and new.free  # config: cost: GRATIS (seed 000, "Biaya Tarif")
    assert len(new.requirements) == 3
    assert "Kartu AK1 lama" in renewal.requirements
    assert "Kartu AK1 lama" not in new.requirements
    assert isinstance(new.steps, tuple) and all(isinstance(s, Step) for s in new.steps)
    assert new.steps == renewal.steps
    # Lombok Tengah online SOP steps 3-10, then counselling and the legalised copy.
    assert [s.minutes for s in new.steps] == [1, 3, 3, 1, 1, 1, 1, 1, 5, 1, 1]
    assert [s.minutes for s in new.steps if s.optional] == [5, 1, 1]
    assert len(new.required_step_indexes) == 8


def test_klungkung_example_is_a_wita_office():
    settings = load_settings(KLUNGKUNG)
    catalogue = settings.catalogue()
    assert catalogue.timezone == "Asia/Makassar"
    assert len(settings.office.complaint_channels) == 3
    totals = {s.code: s.total_minutes for s in catalogue.services}
    assert totals == {
        "ak1": 20,
        "id-ctki": 25,
        "rekomendasi-paspor": 60,
        "tanda-daftar-bkk": 50,
        "rekomendasi-lpk": 50,
    }
    assert len(catalogue.service("ak1").requirements) == 9
    actors = {s.actor for s in catalogue.service("ak1").steps}
    assert {"Kasi Penempatan dan Informasi Pasar Kerja"} <= actors
    assert {"Kabid Penempatan dan Perluasan Kesempatan Kerja"} <= actors
    # 16:30 UTC is 23:30 in Jakarta but already the next day in Klungkung.
    moment = datetime(2026, 11, 23, 16, 30, tzinfo=UTC)
    assert office_day_of(moment, "Asia/Makassar").day == 24
    assert office_day_of(moment, "Asia/Jakarta").day == 23


@pytest.mark.parametrize("path", [LAMONGAN, KLUNGKUNG], ids=["lamongan", "klungkung"])
def test_shipped_steps_fit_their_standard_and_the_counter_screen(path):
    for service in load_settings(path).catalogue().services:
        required = sum(s.minutes for s in service.steps if not s.optional)
        assert required <= service.total_minutes, service.code
        assert all(len(s.name) <= 60 for s in service.steps), service.code


def test_seed_003_services_apportion_exactly_their_total():
    # Where the seed gives only a total, our per-step minutes must add up to it.
    for path in (LAMONGAN, KLUNGKUNG):
        for service in load_settings(path).catalogue().services:
            if not service.code.startswith("ak1"):
                assert sum(s.minutes for s in service.steps) == service.total_minutes


def test_relative_sqlite_path_resolves_against_the_config_folder():
    settings = load_settings(KLUNGKUNG)
    assert settings.config_path == KLUNGKUNG
    assert settings.store_url == f"sqlite:///{ROOT / 'instance' / 'klungkung.db'}"
    assert settings.store_url.startswith("sqlite:////")


def test_settings_from_a_dict_resolve_against_base_dir(tmp_path):
    settings = settings_from_dict(base(), tmp_path)
    assert settings.config_path.is_absolute()
    assert settings.store_url == f"sqlite:///{tmp_path.resolve() / 'instance' / 'antrian.db'}"
    absolute = mutate(lambda d: d["store"].update(url="sqlite:////var/lib/antrian.db"))
    assert settings_from_dict(absolute, tmp_path).store_url == "sqlite:////var/lib/antrian.db"
    redis = mutate(lambda d: d["store"].update(url="redis://127.0.0.1:6379/0"))
    assert settings_from_dict(redis, tmp_path).store_url == "redis://127.0.0.1:6379/0"


def test_check_config_reports_ok_and_problems(tmp_path):
    ok, report = check_config(LAMONGAN)
    assert ok
    assert report.startswith("OK: Dinas Tenaga Kerja Kabupaten Lamongan (Asia/Jakarta)")
    assert "5 layanan, 4 loket, store sqlite:////" in report
    bad = write(tmp_path, mutate(lambda d: d["office"].pop("timezone")))
    ok, report = check_config(bad)
    assert not ok
    assert "office.timezone is required" in report


# ---- mistakes -----------------------------------------------------------------------------


def base() -> dict[str, Any]:
    # Through JSON so the YAML anchor's shared step list becomes two lists to change apart.
    return json.loads(json.dumps(yaml.safe_load(LAMONGAN.read_text(encoding="utf-8"))))


def mutate(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    data = base()
    change(data)
    return data


def write(tmp_path: Path, data: dict[str, Any] | str) -> Path:
    path = tmp_path / "config.yaml"
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, data: dict[str, Any] | str) -> str:
    with pytest.raises(ConfigError) as failure:
        load_settings(write(tmp_path, data))
    assert str(failure.value) == "\n".join(failure.value.problems)
    return str(failure.value)


def only_counter_3(d: dict[str, Any]) -> None:
    d["counters"] = [d["counters"][2]]


def all_steps_optional(d: dict[str, Any]) -> None:
    d["services"][4]["steps"] = [{"name": "x", "actor": "y", "minutes": 1, "optional": True}]


MISTAKES = {
    "step minutes zero": (
        lambda d: d["services"][2]["steps"][1].update(minutes=0),
        "services[2].steps[1].minutes must be > 0 (got 0); set the step's standard time in minutes",
    ),
    "step minutes text": (
        lambda d: d["services"][0]["steps"][0].update(minutes="lima"),
        "services[0].steps[0].minutes must be a number (got 'lima')",
    ),
    "timezone": (
        lambda d: d["office"].update(timezone="Asia/Jakrta"),
        "office.timezone 'Asia/Jakrta' is not a time zone name (did you mean 'Asia/Jakarta'?)",
    ),
    "timezone as WIB": (
        lambda d: d["office"].update(timezone="WIB"),
        "(did you mean 'Asia/Jakarta'?); use Asia/Jakarta (WIB), Asia/Makassar (WITA)",
    ),
    "unknown counter service": (
        lambda d: d["counters"][0]["services"].append("rekomendasi-pasport"),
        "counters[0].services[2] 'rekomendasi-pasport' is not a service "
        "(did you mean 'rekomendasi-paspor'?); known services: ak1-baru,",
    ),
    "service listed twice at a counter": (
        lambda d: d["counters"][0]["services"].append("ak1-baru"),
        "counters[0].services[2] 'ak1-baru' is listed twice for Loket 1",
    ),
    "duplicate prefix": (
        lambda d: d["services"][3].update(prefix="A"),
        "services[3].prefix 'A' is already used by services[0] (ak1-baru); "
        "give each service its own letter",
    ),
    "duplicate code": (
        lambda d: d["services"][1].update(code="ak1-baru"),
        "services[1].code 'ak1-baru' is already used by services[0]",
    ),
    "duplicate counter id": (
        lambda d: d["counters"][1].update(id="1"),
        "counters[1].id '1' is already used by counters[0] (Loket 1)",
    ),
    "lowercase prefix": (
        lambda d: d["services"][0].update(prefix="a"),
        "services[0].prefix has the wrong form (got 'a'); use one capital letter A-Z",
    ),
    "printer network without host": (
        lambda d: d.update(printer={"type": "network"}),
        "printer.host is required when printer.type is network; set it to",
    ),
    "printer usb without ids": (
        lambda d: d.update(printer={"type": "usb", "vendor_id": "0x04b8"}),
        "printer.product_id is required when printer.type is usb",
    ),
    "printer bad hex": (
        lambda d: d.update(printer={"type": "usb", "vendor_id": "0xZZ", "product_id": 1}),
        "printer.vendor_id must be a number such as 0x04b8 (got '0xZZ')",
    ),
    "printer paper width": (
        lambda d: d["printer"].update(paper_width_mm=76),
        "printer.paper_width_mm must be 58 or 80 (got 76)",
    ),
    "unknown key": (
        lambda d: d["office"].update(nmae="x"),
        "office.nmae: unknown field (did you mean 'name'?)",
    ),
    "unknown step key": (
        lambda d: d["services"][1]["steps"][2].update(minute=3),
        "services[1].steps[2].minute: unknown field (did you mean 'minutes'?)",
    ),
    "key in the wrong section": (
        lambda d: d.update(timezone="Asia/Jakarta"),
        "timezone: unknown field (it belongs under office:)",
    ),
    "store scheme": (
        lambda d: d.update(store={"url": "postgres://x"}),
        "store.url must start with sqlite:/// or redis:// (got 'postgres://x')",
    ),
    "store sqlite without a path": (
        lambda d: d.update(store={"url": "sqlite:///"}),
        "store.url needs a file path after sqlite:///",
    ),
    "store sqlite with two slashes": (
        lambda d: d.update(store={"url": "sqlite://instance/antrian.db"}),
        "store.url needs three slashes (got 'sqlite://instance/antrian.db')",
    ),
    "store redis bad port": (
        lambda d: d.update(store={"url": "redis://localhost:port/0"}),
        "store.url has a bad port",
    ),
    "phrase placeholder": (
        lambda d: d["voice"].update(phrase="Nomor {nomor}"),
        "voice.phrase unknown placeholder {nomor}; use only {letter}, {number}, {counter}",
    ),
    "phrase without number": (
        lambda d: d["voice"].update(phrase="Silakan menuju {counter}"),
        "voice.phrase must say {number}",
    ),
    "phrase unbalanced": (
        lambda d: d["voice"].update(phrase="Nomor {number"),
        "voice.phrase has an unmatched { or }",
    ),
    "voice wait": (
        lambda d: d["voice"].update(timeout_seconds=0),
        "voice.timeout_seconds must be > 0 (got 0); use a few seconds, e.g. 10",
    ),
    "missing requirements": (
        lambda d: d["services"][0].pop("requirements"),
        "services[0].requirements is required; list the documents to bring",
    ),
    "empty requirements": (
        lambda d: d["services"][0].update(requirements=[]),
        "services[0].requirements needs at least 1 item(s) (got an empty list)",
    ),
    "service served by no counter": (
        only_counter_3,
        "services[0] (ak1-baru) is served by no counter; add ak1-baru to the services",
    ),
    "all steps optional": (
        all_steps_optional,
        "services[4].steps has no mandatory step (every step of tanda-daftar-bkk is optional)",
    ),
    "max calls": (
        lambda d: d["call_rules"].update(max_calls=0),
        "call_rules.max_calls must be >= 1 (got 0)",
    ),
    "negative recall": (
        lambda d: d["call_rules"].update(auto_recall_seconds=-5),
        "call_rules.auto_recall_seconds must be >= 0 (got -5)",
    ),
    "async mode": (
        lambda d: d["server"].update(async_mode="gevent"),
        "server.async_mode must be 'threading' or 'eventlet' (got 'gevent')",
    ),
    "port": (
        lambda d: d["server"].update(port=70000),
        "server.port must be <= 65535 (got 70000)",
    ),
    "public url": (
        lambda d: d["server"].update(public_url="192.168.1.10:5000"),
        "server.public_url must be a web address such as http://",
    ),
    "phone as a number": (
        lambda d: d["office"].update(phone=322316147),
        "office.phone must be text (got 322316147); put it in quotes",
    ),
    "office not a section": (
        lambda d: d.update(office=["x"]),
        "office must be a section of key: value lines (got a list)",
    ),
    "no complaint channels": (
        lambda d: d["office"].update(complaint_channels=[]),
        "office.complaint_channels needs at least 1 item(s)",
    ),
    "office id not a slug": (
        lambda d: d["office"].update(id="Disnaker Lamongan"),
        "office.id has the wrong form (got 'Disnaker Lamongan'); use lowercase letters",
    ),
    "attribute naming personal data": (
        lambda d: d["services"][0]["attributes"].update(nik=["a", "b"]),
        "attribute 'nik' looks like personal data",
    ),
    "attribute with one choice": (
        lambda d: d["services"][0]["attributes"].update(status=["bekerja"]),
        "attribute 'status' needs 2 to 12 choices (got 1)",
    ),
    "attribute as free text": (
        lambda d: d["services"][0]["attributes"].update(catatan="bebas"),
        "services[0].attributes.catatan",
    ),
    "attribute choice too long": (
        lambda d: d["services"][0]["attributes"].update(jenis=["baru", "x" * 30]),
        "attribute 'jenis': every choice must be text of 1-24 characters",
    ),
    "attribute choice twice": (
        lambda d: d["services"][0]["attributes"].update(jenis=["baru", "Baru"]),
        "attribute 'jenis' lists a choice twice",
    ),
    "reports delimiter": (
        lambda d: d["reports"].update(csv_delimiter="|"),
        "reports.csv_delimiter",
    ),
}


def test_lamongan_ak1_records_sex_and_education_for_the_labour_market_report():
    catalogue = load_settings(LAMONGAN).catalogue()
    for code in ("ak1-baru", "ak1-perpanjangan"):
        service = catalogue.service(code)
        assert [(a.key, a.label, a.choices) for a in service.attributes] == [
            ("jenis_kelamin", "Jenis kelamin", ("L", "P")),
            ("pendidikan", "Pendidikan", ("SD", "SMP", "SMA/SMK", "D1-D3", "D4/S1", "S2/S3")),
        ]
    assert catalogue.service("id-ctki").attributes == ()


@pytest.mark.parametrize(("change", "expected"), MISTAKES.values(), ids=MISTAKES.keys())
def test_each_mistake_names_its_field_and_fix(tmp_path, change, expected):
    assert expected in problems_of(tmp_path, mutate(change))


def test_every_problem_is_reported_at_once(tmp_path):
    def two_mistakes(d: dict[str, Any]) -> None:
        d["services"][0]["steps"][0]["minutes"] = -1
        d["server"]["port"] = 0

    problems = problems_of(tmp_path, mutate(two_mistakes)).splitlines()
    assert len(problems) == 2
    assert problems[0].startswith("services[0].steps[0].minutes")
    assert problems[1].startswith("server.port")


def test_forgiving_forms_are_accepted(tmp_path):
    def relaxed(d: dict[str, Any]) -> None:
        d["counters"][0]["id"] = 7  # unquoted in YAML
        d["printer"] = {"type": "usb", "vendor_id": "0x04b8", "product_id": 514}
        d["printer"]["paper_width_mm"] = 58

    settings = load_settings(write(tmp_path, mutate(relaxed)))
    assert settings.counters[0].id == "7"
    assert (settings.printer.vendor_id, settings.printer.product_id) == (0x04B8, 514)
    assert settings.printer.chars_per_line == settings.printer.line_width == 32


def test_yaml_syntax_error_gives_the_line(tmp_path):
    message = problems_of(tmp_path, "office:\n  id: x\n  name: [unclosed\nservices: []\n")
    assert "is not valid YAML at line 4, column" in message
    assert "(while parsing a flow sequence at line 3, column 9)" in message


def test_top_level_must_be_a_mapping(tmp_path):
    assert "must be a mapping of sections" in problems_of(tmp_path, "- just\n- a list\n")


def test_empty_file_says_so(tmp_path):
    assert "is empty" in problems_of(tmp_path, "# nothing yet\n")


def test_missing_file_says_how_to_fix(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as failure:
        load_settings(missing)
    assert failure.value.problems == [
        f"config file not found: {missing.resolve()}; copy config.yaml from the project root "
        "or pass --config PATH"
    ]


def test_non_text_keys_are_named(tmp_path):
    message = problems_of(tmp_path, mutate(lambda d: d["office"].update({2024: "x"})))
    assert "office: key 2024 is not a field name" in message


def test_config_path_cannot_be_set_from_the_file(tmp_path):
    assert "config_path: unknown field" in problems_of(
        tmp_path, mutate(lambda d: d.update(config_path="/etc/x.yaml"))
    )


# ---- opening hours ------------------------------------------------------------------------


def test_opening_hours_become_the_catalogue_hours():
    hours = load_settings(KLUNGKUNG).catalogue().opening_hours
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
    message = problems_of(tmp_path, data)
    assert message.startswith("office.opening_hours ")
    assert expected in message


SUBSTITUTE_MISTAKES = {
    "substitutes on a counter step": (
        lambda d: d["services"][0]["steps"][0].update(substitutes=["Kabid"]),
        "services[0].steps[0] substitutes are only for steps done away from the counter",
    ),
    "substitute repeats the actor": (
        lambda d: d["services"][0]["steps"][6].update(
            substitutes=["Pengantar Kerja/Petugas Antar Kerja"]
        ),
        "services[0].steps[6] substitutes repeat the actor or one another",
    ),
    "empty substitute": (
        lambda d: d["services"][0]["steps"][6].update(substitutes=[" "]),
        "substitutes must not hold an empty name",
    ),
    "unknown rejoin rule": (
        lambda d: d["call_rules"].update(returned_rejoin="random"),
        "call_rules.returned_rejoin must be 'original_time' or 'back_of_line'",
    ),
}


@pytest.mark.parametrize(
    ("change", "expected"), SUBSTITUTE_MISTAKES.values(), ids=SUBSTITUTE_MISTAKES.keys()
)
def test_substitutes_and_rejoin_rule_are_checked(tmp_path, change, expected):
    assert expected in problems_of(tmp_path, mutate(change))


def test_ak1_signature_names_the_sops_substitutes():
    catalogue = load_settings(LAMONGAN).catalogue()
    step = catalogue.service("ak1-baru").steps[6]
    assert step.handover and step.signers == (
        "Pengantar Kerja/Petugas Antar Kerja",
        "Kasi Penempatan",
        "Kabid Penempatan",
    )
    assert catalogue.call_rules.returned_rejoin == "original_time"

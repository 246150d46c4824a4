"""reports: in config.yaml: the signatures under the monthly report, validated and optional."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from shared.config import ConfigError, load_settings, settings_from_dict

ROOT = Path(__file__).resolve().parents[2]


def _shipped() -> dict:
    return yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))


def test_the_shipped_config_signs_as_kasi_and_reporting_officer():
    reports = load_settings(ROOT / "config.yaml").reports
    assert reports.place == "Lamongan"
    assert [(s.label, s.title) for s in reports.signatories] == [
        ("Mengetahui,", "Kepala Seksi Penempatan Tenaga Kerja"),
        ("Yang membuat laporan,", "Petugas Pelayanan Kartu AK1"),
    ]
    assert all(s.name == "" and s.nip == "" for s in reports.signatories)  # filled in by hand


def test_reports_section_is_optional(tmp_path):
    data = _shipped()
    del data["reports"]
    reports = settings_from_dict(data, tmp_path).reports
    assert reports.signatories == () and reports.place == ""


def test_a_nip_with_spaces_is_kept_as_written(tmp_path):
    data = _shipped()
    data["reports"]["signatories"][0].update(name="Sri Wahyuni, S.E.", nip="19800101 200501 2 003")
    (kasi, _) = settings_from_dict(data, tmp_path).reports.signatories
    assert (kasi.name, kasi.nip) == ("Sri Wahyuni, S.E.", "19800101 200501 2 003")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda r: r["signatories"][0].update(nip="1980 0101"),
            "reports.signatories[0].nip must be the 18 digits of a NIP, spaces allowed, "
            "e.g. 19730707 199303 1 010 (got '1980 0101'); or leave it out",
        ),
        (
            lambda r: r["signatories"][1].update(nip="19800101-200501-2-003"),
            "reports.signatories[1].nip must be the 18 digits of a NIP",
        ),
        (
            lambda r: r["signatories"][0].pop("title"),
            "reports.signatories[0].title is required; write the position, e.g. Kepala Seksi",
        ),
        (
            lambda r: r["signatories"][0].update(title=""),
            "reports.signatories[0].title must not be empty",
        ),
        (
            lambda r: r["signatories"].extend([{"title": "Kabid"}, {"title": "Kadis"}]),
            "reports.signatories has more than 3 items",
        ),
        (
            lambda r: r["signatories"][0].update(nama="Budi"),
            "reports.signatories[0].nama: unknown field (did you mean 'name'?)",
        ),
        (lambda r: r.update(tempat="Lamongan"), "reports.tempat: unknown field"),
    ],
)
def test_a_bad_signatory_names_the_field_and_the_fix(tmp_path, change, message):
    data = _shipped()
    change(data["reports"])
    with pytest.raises(ConfigError) as raised:
        settings_from_dict(data, tmp_path)
    assert message in str(raised.value)

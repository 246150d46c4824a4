"""The shipped config with files finished later: AK1 Baru takes 3 working days (seed 004),
and a pickup line (P) served at Loket 4."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]

PICKUP_SERVICE = {
    "code": "ambil-berkas",
    "prefix": "P",
    "name": "Ambil berkas yang sudah jadi",
    "pickup": True,
    "total_minutes": 2,
    "requirements": ["Bukti pengambilan berkas (kode pengambilan)"],
    "steps": [
        {"name": "Memeriksa kode dan menyerahkan berkas", "actor": "Petugas Loket", "minutes": 1}
    ],
}


def files_config(**notices) -> dict:
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    for service in data["services"]:
        if service["code"] == "ak1-baru":
            service["finished_later"] = {"days": 3}
    data["services"].append(PICKUP_SERVICE)
    data["counters"].append({"id": "4", "name": "Loket 4", "services": ["ambil-berkas"]})
    if notices:
        data["notices"] = notices
    return data

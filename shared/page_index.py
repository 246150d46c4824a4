"""Which page each role opens: the start page's index and where a sign-in lands.

The roles of each page are read from its own guard (`require_page`), so the index cannot
promise a page its guard refuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, url_for

from shared.accounts import Principal, Role

ROLE_LABELS = {
    Role.OFFICER: "Petugas loket",
    Role.SUPERVISOR: "Kepala seksi",
    Role.ADMIN: "Admin",
    Role.KIOSK: "Anjungan (kiosk)",
    Role.DISPLAY: "Layar TV",
}
ROLE_ORDER = (Role.KIOSK, Role.DISPLAY, Role.OFFICER, Role.SUPERVISOR, Role.ADMIN)

# Where each role starts after signing in or pairing.
HOME = {
    Role.OFFICER: "counter.panel",
    Role.SUPERVISOR: "counter.supervisor",
    Role.ADMIN: "admin.home",
    Role.KIOSK: "kiosk.index",
    Role.DISPLAY: "display.index",
    Role.SURVEY: "kiosk.survey_tablet",
}


@dataclass(frozen=True)
class PageEntry:
    endpoint: str
    title: str
    what: str


# Other parts add their pages here (e.g. the reports).
PAGES: list[PageEntry] = [
    PageEntry("kiosk.index", "Anjungan ambil nomor", "Pengunjung mengambil nomor antrean."),
    PageEntry("display.index", "Layar ruang tunggu", "Nomor yang dipanggil, dengan suara."),
    PageEntry("counter.panel", "Panel loket", "Memanggil dan melayani pengunjung sesuai SOP."),
    PageEntry("counter.supervisor", "Pantauan semua loket", "Setiap loket, antrean dan standar."),
    PageEntry("counter.report", "Laporan harian", "Satu hari terhadap standar, siap dicetak."),
    PageEntry("counter.ikm_report", "Laporan IKM", "Indeks Kepuasan Masyarakat per semester."),
    PageEntry(
        "kiosk.survey_tablet", "Tablet survei kepuasan", "Di pintu keluar, setelah dilayani."
    ),
    PageEntry("admin.home", "Beranda admin", "Perangkat, kode pemasangan dan pengguna."),
]


def role_label(role: Role) -> str:
    return ROLE_LABELS.get(role, role.value)


def home_endpoint(principal: Principal) -> str:
    return HOME.get(principal.role, "pages.index")


def page_index(principal: Principal | None) -> list[dict[str, Any]]:
    """Each page with its address, who may open it, and whether this visitor may."""
    entries = []
    for entry in PAGES:
        from shared.pages import PAGE_ROLES  # pages imports this module

        view = current_app.view_functions.get(entry.endpoint)
        roles = getattr(view, PAGE_ROLES, None)
        if view is None or roles is None:
            continue  # a page of a part this hub does not run
        entries.append(
            {
                "url": url_for(entry.endpoint),
                "title": entry.title,
                "what": entry.what,
                "roles": [role_label(r) for r in ROLE_ORDER if r in roles],
                "mine": principal is not None and principal.role in roles,
            }
        )
    return entries

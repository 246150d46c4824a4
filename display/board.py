"""What the TV says besides the calls: the running text, built from config (no rule in JS)."""

from __future__ import annotations

from shared.config import Settings


def running_text(settings: Settings) -> list[str]:
    """The running text's items, in order; other parts add their own (e.g. a survey note)."""
    return [cost_notice(settings), call_rule_notice(settings), complaint_notice(settings)]


def cost_notice(settings: Settings) -> str:
    """What the services cost, from each service's `cost`."""
    if all(s.cost == 0 for s in settings.services):
        return "Semua layanan GRATIS, tidak dipungut biaya"
    catalogue = settings.catalogue()
    costs = (f"{s.prefix} {s.name}: {s.cost}" for s in catalogue.services)
    return "Biaya layanan: " + " · ".join(costs)


def call_rule_notice(settings: Settings) -> str:
    """The skip rule, with the office's own `call_rules.max_calls`."""
    calls = settings.call_rules.max_calls
    return f"Nomor yang dipanggil {calls} kali tanpa datang akan dilewati; silakan lapor ke petugas"


def complaint_notice(settings: Settings) -> str:
    return "Pengaduan: " + " · ".join(settings.office.complaint_channels)

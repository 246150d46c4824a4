"""The office calendar at the kiosk: a holiday, and a service the supervisor closes for the day."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, add_user, make_hub, pair, screenshot

PORTRAIT = {"width": 1080, "height": 1920}


def test_a_holiday_closes_every_service_at_the_kiosk(tmp_path, browser):
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()  # config.yaml's office is WIB
    hub = make_hub(tmp_path, office={"holidays": [{"date": today, "name": "Hari Buruh"}]})
    try:
        page = browser.new_context(viewport=PORTRAIT).new_page()
        pair(page, hub, hub.kiosk_token)
        services = page.locator(".service")
        expect(services.first).to_contain_text("Hari ini libur: Hari Buruh.")
        for index in range(services.count()):
            expect(services.nth(index)).to_be_disabled()
        screenshot(page, "kiosk-holiday-portrait")
    finally:
        hub.stop()


def test_a_service_closed_by_the_supervisor_greys_out_at_the_kiosk_at_once(tmp_path, browser):
    hub = make_hub(tmp_path)
    try:
        add_user(hub.config, "kasi", "supervisor")
        kiosk = browser.new_context(viewport=PORTRAIT).new_page()
        pair(kiosk, hub, hub.kiosk_token)
        ak1 = kiosk.locator('.service[data-code="ak1-baru"]')
        expect(ak1).to_be_enabled()

        kasi = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        kasi.goto(f"{hub.url}/login?next=/supervisor")
        kasi.fill("input[name=username]", "kasi")
        kasi.fill("input[name=password]", PASSWORD)
        kasi.keyboard.press("Enter")
        row = kasi.locator("#services tbody tr", has_text="Kartu AK1 (Kartu Pencari Kerja) - Baru")
        row.get_by_role("button", name="Tutup hari ini…").click()
        kasi.locator("#choose-input").fill("Blangko kartu habis")
        kasi.keyboard.press("Enter")
        expect(row).to_contain_text("Ditutup: Blangko kartu habis")

        # No reload: the kiosk hears the closure over its socket.
        expect(ak1).to_be_disabled()
        expect(ak1).to_contain_text("ditutup untuk hari ini: Blangko kartu habis")
        expect(kiosk.locator('.service[data-code="ak1-perpanjangan"]')).to_be_enabled()
        screenshot(kiosk, "kiosk-service-closed-portrait")

        row.get_by_role("button", name="Buka lagi").click()
        expect(ak1).to_be_enabled()
    finally:
        hub.stop()

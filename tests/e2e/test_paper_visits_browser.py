"""An officer enters yesterday's paper-number visits after an outage, in Chromium."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, screenshot


def test_officer_enters_paper_visits_for_the_day_the_hub_was_down(live_hub, browser):
    yesterday = (datetime.now(ZoneInfo("Asia/Jakarta")) - timedelta(days=1)).date()
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    page.goto(f"{live_hub.url}/catat-kertas?tanggal={yesterday.isoformat()}")
    page.fill("input[name=username]", "budi")
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("nomor kertas")
    expect(page.locator("#paper-visits")).to_contain_text("Belum ada kunjungan")

    form = page.locator("#paper-form")
    form.locator("select[name=service]").select_option("ak1-baru")
    form.locator("input[name=number]").fill("A-003")
    form.locator("select[name=counter]").select_option("1")
    form.locator("input[name=issued]").fill("09.10")
    form.locator("input[name=started]").fill("09.25")
    form.locator("input[name=finished]").fill("9:38")
    form.locator("button[type=submit]").click()
    expect(page.locator("#paper-message")).to_contain_text("A-003 tersimpan")
    expect(page.locator("#paper-visits tbody tr")).to_have_count(1)
    expect(page.locator("#paper-visits")).to_contain_text("selesai")

    # A returned visit names the missing document from the service's requirement list.
    form.locator("input[name=number]").fill("A-004")
    form.locator("input[name=issued]").fill("09.12")
    form.locator("input[name=started]").fill("09.40")
    form.locator("input[name=finished]").fill("")
    form.locator("select[name=outcome]").select_option("dikembalikan")
    expect(page.locator("#reason-field")).to_be_visible()
    form.locator("select[name=return_reason]").select_option("Fotokopi KTP (1 lembar)")
    form.locator("button[type=submit]").click()
    expect(page.locator("#paper-visits tbody tr")).to_have_count(2)
    expect(page.locator("#paper-visits")).to_contain_text("dikembalikan (Fotokopi KTP (1 lembar))")

    # The same paper number again: refused with the hub's reason, nothing added.
    expect(form.locator("input[name=number]")).to_be_focused()  # ready for the next entry
    form.locator("input[name=number]").fill("a-004")
    form.locator("button[type=submit]").click()
    expect(page.locator("#paper-message")).to_contain_text("sudah dicatat pada hari itu")
    expect(page.locator("#paper-visits tbody tr")).to_have_count(2)
    expect(page.locator("#paper-count")).to_have_text("2")
    screenshot(page, "paper-visits-1366")

    page.reload()  # what was entered is the hub's, not the page's
    expect(page.locator("#paper-visits tbody tr")).to_have_count(2)

"""The officer records jenis kelamin and pendidikan with two digits each while serving."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in


def test_two_digits_record_an_attribute_and_escape_cancels(browser, live_hub):
    hub = live_hub
    hub.post("/kiosk/tickets", {"service": "ak1-baru"}, hub.kiosk_token)
    officer = sign_in(browser, f"{hub.url}/counter?counter=1", "budi")
    expect(officer.locator("body[data-connected=true]")).to_have_count(1)
    rows = officer.locator("#attributes")
    officer.keyboard.press("F2")
    expect(officer.locator("#number")).to_have_text("A-001")
    expect(rows).to_be_hidden()  # only while serving
    officer.keyboard.press("F4")
    expect(rows).to_be_visible()
    expect(rows.locator(".attribute")).to_have_count(2)
    expect(rows.locator("[data-key=jenis_kelamin]")).to_contain_text("Jenis kelamin:")

    officer.keyboard.press("1")
    expect(rows.locator("[data-key=jenis_kelamin].pending")).to_have_count(1)
    officer.keyboard.press("Escape")  # changed their mind: nothing recorded
    expect(rows.locator(".pending")).to_have_count(0)
    officer.keyboard.press("1")
    officer.keyboard.press("2")
    sex = rows.locator("[data-key=jenis_kelamin] button[aria-pressed=true]")
    expect(sex).to_have_text("2 P")
    officer.keyboard.press("2")
    officer.keyboard.press("3")
    education = rows.locator("[data-key=pendidikan] button[aria-pressed=true]")
    expect(education).to_have_text("3 SMA/SMK")
    # A click works too, and a digit never moves the visit on.
    rows.locator("[data-key=jenis_kelamin] button", has_text="L").click()
    expect(sex).to_have_text("1 L")
    expect(officer.locator("#steps li.current")).to_contain_text("Menyerahkan berkas")
    expect(officer.locator("#message")).to_have_text("")
    screenshot(officer, "counter-1366x768-attributes")
    officer.keyboard.press("F7")  # the panel's own keys still work
    expect(officer.locator("#steps li.done")).to_have_count(1)

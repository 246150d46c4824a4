"""The visitor's phone at 390x844: people ahead over the shared line, which call this is,
why a number was passed over, which paper is missing, one tap for vibration and sound, and
an Indonesian page for yesterday's QR code."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot

PHONE = {"width": 390, "height": 844}
# Records what the page asks of the vibration motor (headless Chromium has none).
RECORD_VIBRATION = """
window.__vibrations = [];
navigator.vibrate = (pattern) => { window.__vibrations.push(pattern); return true; };
"""


def take(hub, service="ak1-baru"):
    answer = hub.post("/kiosk/tickets", {"service": service}, hub.kiosk_token).json()
    return answer["status_url"].replace(hub.url, ""), answer["ticket"]["number"]


def phone(browser, hub, path):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.add_init_script(RECORD_VIBRATION)
    page = context.new_page()
    page.goto(f"{hub.url}{path}")
    return page


def test_people_ahead_count_the_shared_line_and_a_call_vibrates_after_one_tap(browser, live_hub):
    hub = live_hub
    take(hub, "ak1-baru")
    take(hub, "ak1-perpanjangan")
    take(hub, "ak1-perpanjangan")
    path, number = take(hub, "ak1-baru")
    assert number == "A-002"
    page = phone(browser, hub, path)
    # Loket 1 and 2 call A and B from one line: three people stand before A-002.
    expect(page.locator("#wait")).to_have_text(
        "3 orang di depan Anda · perkiraan tunggu ± 23 menit"
    )
    expect(page.locator("#enable-alert")).to_have_text("Aktifkan getar/suara")
    screenshot(page, "phone-390x844-waiting")
    page.locator("#enable-alert").tap()
    expect(page.locator("#enable-alert")).to_have_text("Getar/suara aktif")
    for _ in range(3):
        hub.post("/api/counters/1/call-next")
        hub.post("/api/counters/1/skip")
    hub.post("/api/counters/1/call-next")
    expect(page.locator("#state")).to_have_text("Dipanggil ke Loket 1! Silakan menuju Loket 1.")
    expect(page.locator("#detail")).to_have_text("Panggilan ke-1 dari 3")
    assert page.evaluate("window.__vibrations.length") >= 2  # the tap's buzz and the call
    hub.post("/api/counters/1/recall")
    hub.post("/api/counters/1/recall")
    expect(page.locator("#detail")).to_have_text("Panggilan ke-3 dari 3 (terakhir)")
    screenshot(page, "phone-390x844-last-call")
    hub.post("/api/counters/1/skip")
    expect(page.locator("#state")).to_have_text("Nomor Anda dilewati setelah dipanggil 3 kali.")


def test_a_manual_skip_and_a_return_say_what_really_happened(browser, live_hub):
    hub = live_hub
    skipped_path, _ = take(hub)
    returned_path, _ = take(hub)
    skipped = phone(browser, hub, skipped_path)
    expect(skipped.locator("#wait")).to_have_text("Anda berikutnya.")
    hub.post("/api/counters/1/call-next")
    hub.post("/api/counters/1/skip")
    expect(skipped.locator("#state")).to_have_text(
        "Nomor Anda dilewati petugas setelah dipanggil sekali."
    )
    expect(skipped.locator("#detail")).to_contain_text("lapor ke petugas")
    screenshot(skipped, "phone-390x844-skipped-by-officer")

    returned = phone(browser, hub, returned_path)
    hub.post("/api/counters/1/call-next")
    hub.post("/api/counters/1/start")
    hub.post("/api/counters/1/return", {"reason": "Fotokopi KTP (1 lembar)"})
    expect(returned.locator("#state")).to_have_text("Berkas belum lengkap.")
    expect(returned.locator("#detail")).to_have_text(
        "Yang kurang: Fotokopi KTP (1 lembar). Lengkapi lalu ambil nomor baru."
    )
    expect(returned.locator("#enable-alert")).to_be_hidden()  # nothing more to be called for
    screenshot(returned, "phone-390x844-returned")


def test_yesterdays_qr_code_opens_an_indonesian_page(browser, live_hub):
    page = phone(browser, live_hub, "/t/tiket-kemarin")
    expect(page.locator("h1")).to_have_text("Nomor antrian tidak ditemukan")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    assert "Not Found" not in page.content()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a 390 px phone"
    screenshot(page, "phone-390x844-unknown-ticket")

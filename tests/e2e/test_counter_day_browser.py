"""A day at the counter in Chromium: taking the counter, every panel button by keyboard, a break,
the officer's day, and the supervisor moving a ticket, on a real hub process."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import add_user, pair, screenshot, sign_in, wait_until


def current_step(page):
    return page.locator("#steps li.current .name")


def test_an_officers_day_with_the_keyboard_alone(browser, live_hub):
    hub = live_hub
    for user, role in (("sari", "officer"), ("kasi", "supervisor")):
        add_user(hub.config, user, role)
    for service in ("ak1-baru", "ak1-baru", "ak1-perpanjangan", "ak1-baru", "ak1-baru"):
        assert hub.post("/kiosk/tickets", {"service": service}, hub.kiosk_token).status_code == 201
    tv = browser.new_page(viewport={"width": 1920, "height": 1080})
    pair(tv, hub, hub.display_token)
    expect(tv.locator("body[data-connected=true]")).to_have_count(1)

    budi = sign_in(browser, f"{hub.url}/counter?counter=1", "budi")
    expect(budi.locator("#next")).to_have_text("Berikutnya: A-001 (paling lama menunggu)")
    assert hub.get("/api/queue").json()["counters"][0]["officer"] == "budi"

    kiosk = browser.new_page(viewport={"width": 1080, "height": 1920})
    pair(kiosk, hub, hub.kiosk_token)
    kiosk.locator(".service", has_text="Perpanjangan").click()
    kiosk.click("#take")
    expect(kiosk.locator("#number")).to_have_text("B-002")
    expect(budi.locator("#waiting")).to_contain_text("Perpanjangan: 2")  # live on the panel

    sari = sign_in(browser, f"{hub.url}/counter?counter=1", "sari")
    expect(sari.locator("#blocker-text")).to_contain_text("dipegang petugas 'budi' sejak pukul")
    expect(sari.locator("[data-action=call_next]")).to_be_disabled()
    screenshot(sari, "counter-1366x768-held-by-another")

    # served in full, going back one step and handing the signature over.
    budi.keyboard.press("F2")
    expect(tv.locator("#call-number")).to_have_text("A-001")
    budi.keyboard.press("F4")
    budi.keyboard.press("F7")
    expect(current_step(budi)).to_have_text("Input data pencaker dan wawancara")
    budi.keyboard.press("F7")
    budi.keyboard.press("F8")
    expect(budi.locator("#choose")).to_be_visible()
    budi.keyboard.press("2")  # the digit is the step's number; it only points
    expect(budi.locator("#choose")).to_be_visible()
    budi.keyboard.press("Enter")
    expect(current_step(budi)).to_have_text("Input data pencaker dan wawancara")
    for _ in range(5):
        budi.keyboard.press("F7")
    expect(current_step(budi)).to_have_text("Tanda tangan dan cap dinas")
    budi.keyboard.press("H")
    # The signer is chosen among the SOP's actor and its substitutes (issue 13).
    expect(budi.locator("#choose-options")).to_contain_text("Kabid Penempatan (pengganti)")
    budi.keyboard.press("1")
    budi.keyboard.press("Enter")
    expect(budi.locator("#steps li.current .handed")).to_have_text(
        "diserahkan ke Pengantar Kerja/Petugas Antar Kerja"
    )
    budi.keyboard.press("F7")
    expect(budi.locator("[data-action=skip_optional]")).to_be_enabled()
    budi.keyboard.press("L")  # no counselling today
    expect(current_step(budi)).to_have_text("Menyerahkan salinan AK1 untuk legalisir (opsional)")
    screenshot(budi, "counter-1366x768-handed-over")
    budi.keyboard.press("F9")
    expect(budi.locator("#number")).to_have_text("–")

    # sent on to the counselling desk, keeping its number.
    budi.keyboard.press("F2")
    expect(budi.locator("#number")).to_have_text("A-002")
    budi.keyboard.press("F4")
    budi.keyboard.press("A")
    expect(budi.locator("#choose-options")).to_contain_text("Meja Konseling")
    budi.locator("#choose-options button", has_text="Meja Konseling").press("Enter")
    expect(budi.locator("#number")).to_have_text("–")
    queue = hub.get("/api/queue").json()
    assert queue["counters"][3]["next_number"] == "A-002"

    # B-001: the papers are incomplete; the reason is picked from the requirements.
    budi.keyboard.press("F2")
    expect(budi.locator("#number")).to_have_text("B-001")
    budi.keyboard.press("F4")
    budi.keyboard.press("F10")
    expect(budi.locator("#choose-title")).to_have_text("Berkas apa yang kurang?")
    expect(budi.locator("#choose-input")).to_be_focused()  # a reason may be typed
    budi.keyboard.press("ArrowDown")  # or the first requirement picked from the list
    screenshot(budi, "counter-1366x768-return-reason")
    budi.keyboard.press("Enter")
    expect(budi.locator("#number")).to_have_text("–")

    # A-003 does not come; later it is called again by number.
    budi.keyboard.press("F2")
    budi.keyboard.press("F6")
    expect(budi.locator("#number")).to_have_text("–")
    budi.keyboard.press("N")
    expect(budi.locator("#choose-input")).to_be_focused()
    expect(budi.locator("#choose-options")).to_contain_text("A-003 (terlewat)")
    budi.keyboard.type("a3")
    budi.keyboard.press("Enter")
    expect(budi.locator("#number")).to_have_text("A-003")
    expect(budi.locator("#calls")).to_have_text("Panggilan 1/3")
    budi.keyboard.press("F6")
    expect(budi.locator("#today")).to_have_text(
        re.compile(
            r"^dilayani 1 · terlewat 2 · dikembalikan 1 · dialihkan 1 · "
            r"rata-rata (< 1|\d+(,\d)?) mnt \(standar 15\) · \d+% sesuai standar"
            r"( · 1 terlalu singkat)?$"
        )
    )

    # Istirahat: no calls, recorded; Enter resumes.
    budi.keyboard.press("I")
    expect(budi.locator("#choose-title")).to_contain_text("Istirahat")
    budi.keyboard.press("ArrowDown")
    budi.keyboard.press("Enter")
    expect(budi.locator("#blocker-text")).to_contain_text("ISTIRAHAT sejak pukul")
    expect(budi.locator("#blocker-text")).to_contain_text("(Sholat)")
    assert hub.get("/api/queue").json()["counters"][0]["pause_reason"] == "Sholat"
    screenshot(budi, "counter-1366x768-break")
    budi.keyboard.press("Enter")
    expect(budi.locator("#blocker")).to_be_hidden()

    # The supervisor sees every counter and moves A-004 from Loket 1 to Loket 2.
    kasi = sign_in(browser, f"{hub.url}/supervisor", "kasi")
    expect(kasi.locator(".counter-card[data-counter='1'] .who")).to_contain_text("budi sejak")
    expect(kasi.locator("#services tbody tr").first).to_contain_text("A · Kartu AK1")
    screenshot(kasi, "supervisor-1366x768")
    budi.keyboard.press("F2")
    expect(budi.locator("#number")).to_have_text("A-004")
    expect(kasi.locator(".counter-card[data-counter='1'] .number")).to_have_text("A-004")
    kasi.locator(".counter-card[data-counter='1'] button", has_text="Pindahkan ke loket").click()
    expect(kasi.locator("#choose-title")).to_have_text("Pindahkan A-004 ke:")
    kasi.keyboard.press("2")  # Loket 2
    kasi.keyboard.press("Enter")
    expect(budi.locator("#number")).to_have_text("–")
    assert hub.get("/api/queue").json()["counters"][1]["next_number"] == "A-004"

    kasi.click("a.report-link")
    expect(kasi.locator("#report-counters tbody tr").first).to_contain_text("Loket 1")
    expect(kasi.locator("#report-steps")).to_contain_text("Tanda tangan dan cap dinas")
    screenshot(kasi, "supervisor-report-1366x768")

    # Logging out leaves the counter free for the next officer.
    budi.click("#logout")
    expect(budi.locator("input[name=username]")).to_be_visible()
    sari.reload()
    expect(sari.locator("#blocker")).to_be_hidden()
    expect(sari.locator("[data-action=call_number]")).to_be_enabled()  # A-003, skipped
    wait_until(
        lambda: hub.get("/api/queue").json()["counters"][0]["officer"] == "sari",
        5,
        "sari's reloaded panel to take the free counter",
    )

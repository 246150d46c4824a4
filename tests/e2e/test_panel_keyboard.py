"""The officer's panel at 1366x768 as an eight-hour day meets it: one keyboard rule in every
dialog, a layout that does not jump, buttons that look disabled, a timer read at a glance,
feedback from the hub, priority explained, and a hub that goes away and comes back."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in


def panel(browser, hub):
    page = sign_in(browser, f"{hub.url}/counter?counter=1", "budi")
    expect(page.locator("#seat")).to_have_text("Anda di Loket 1")
    return page


def current_step(page):
    return page.locator("#steps li.current .name")


def test_every_dialog_follows_one_keyboard_rule(browser, live_hub):
    hub = live_hub
    for _ in range(3):
        hub.post("/kiosk/tickets", {"service": "ak1-baru"}, hub.kiosk_token)
    page = panel(browser, hub)
    page.keyboard.press("F2")
    page.keyboard.press("F4")
    page.keyboard.press("F7")
    page.keyboard.press("F7")
    expect(page.locator("#step-timer")).not_to_be_empty()
    expect(page.locator("#step-name")).to_contain_text("Langkah 3")

    # Kembali ke langkah: a list without a field; the digit is the step's number.
    page.keyboard.press("F8")
    badges = page.locator("#choose-options kbd")
    expect(badges).to_have_text(["2", "1"])
    expect(page.locator("#choose-options button").first).to_contain_text("Input data pencaker")
    screenshot(page, "panel-1366x768-back-to-step")
    page.keyboard.press("2")
    expect(page.locator("#choose")).to_be_visible()  # a digit only points
    page.keyboard.press("Enter")
    expect(current_step(page)).to_have_text("Input data pencaker dan wawancara")
    assert hub.get("/api/queue").json()["counters"][0]["ticket"]["step"]["number"] == 2

    # Berkas tidak lengkap: a field; no digit badges, a digit goes into the field and a
    # wordless reason is not taken.
    page.keyboard.press("F10")
    expect(page.locator("#choose-input")).to_be_focused()
    expect(page.locator("#choose-options kbd:visible")).to_have_count(0)
    page.keyboard.press("2")
    expect(page.locator("#choose-input")).to_have_value("2")
    page.keyboard.press("Enter")
    expect(page.locator("#choose-hint")).to_contain_text("bukan nama berkas atau alasan")
    expect(page.locator("#choose")).to_be_visible()
    screenshot(page, "panel-1366x768-return-refuses-a-digit")
    assert hub.get("/api/queue").json()["counters"][0]["ticket"]["state"] == "serving"
    page.keyboard.press("ArrowDown")  # the first requirement, picked from the list
    page.keyboard.press("2")  # typing on an option still goes into the field
    expect(page.locator("#choose-input")).to_be_focused()
    expect(page.locator("#choose-input")).to_have_value("22")
    page.keyboard.press("ArrowDown")
    first_requirement = page.locator("#choose-options button").first.inner_text().strip()
    page.keyboard.press("Enter")
    expect(page.locator("#message")).to_have_text(f"A-001 dikembalikan: {first_requirement}")

    # Istirahat: a field too; "1" is not the first reason, and is not stored.
    page.keyboard.press("I")
    expect(page.locator("#choose-title")).to_contain_text("Istirahat")
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    expect(page.locator("#choose-hint")).to_contain_text("bukan nama berkas atau alasan")
    assert hub.get("/api/queue").json()["counters"][0]["paused_since"] is None
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#blocker-text")).to_contain_text("(Makan siang)")
    assert hub.get("/api/queue").json()["counters"][0]["pause_reason"] == "Makan siang"
    page.keyboard.press("Enter")
    expect(page.locator("#blocker")).to_be_hidden()

    # Panggil nomor: a field; digits are part of the number typed.
    page.keyboard.press("N")
    expect(page.locator("#choose-options kbd:visible")).to_have_count(0)
    page.keyboard.type("a3")
    expect(page.locator("#choose-input")).to_have_value("a3")
    page.keyboard.press("Enter")
    expect(page.locator("#number")).to_have_text("A-003")


def box(page, selector):
    found = page.locator(selector).bounding_box()
    assert found is not None, selector
    return found


def test_the_grid_stays_put_disabled_looks_disabled_and_the_timer_is_large(browser, live_hub):
    hub = live_hub
    hub.post("/kiosk/tickets", {"service": "ak1-baru"}, hub.kiosk_token)
    page = panel(browser, hub)
    idle = box(page, "#actions")
    finish = page.locator("[data-action=finish]")
    call = page.locator("[data-action=call_next]")
    expect(finish).to_be_disabled()
    expect(finish).to_have_attribute("aria-disabled", "true")
    expect(call).to_have_attribute("aria-disabled", "false")
    style = """(b) => {
        const s = getComputedStyle(b);
        return [s.backgroundColor, s.cursor, s.borderStyle];
    }"""
    disabled = finish.evaluate(style)
    enabled = page.locator("[data-action=recall]")
    assert disabled[1] == "not-allowed" and disabled[2] == "dashed"
    assert disabled[0] != "rgb(11, 122, 62)"  # Selesai is not green while it cannot be pressed
    screenshot(page, "panel-1366x768-idle")

    page.keyboard.press("F2")
    expect(page.locator("#calls")).to_have_text("Panggilan 1/3")
    assert box(page, "#actions") == idle, "the buttons moved when a number was called"
    page.keyboard.press("F4")
    expect(current_step(page)).to_contain_text("Menyerahkan berkas")
    assert box(page, "#actions") == idle, "the buttons moved when service started"
    expect(finish).to_be_disabled()
    assert enabled.evaluate(style)[0] == disabled[0]  # recall is disabled now: same look
    active = page.locator("[data-action=next_step]").evaluate(style)
    assert active[0] != disabled[0] and active[1] == "pointer"
    timer = page.locator("#step-timer")
    expect(timer).not_to_be_empty()
    size = timer.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 40, f"the step timer is {size} px"
    screenshot(page, "panel-1366x768-serving-big-timer")
    for _ in range(7):
        page.keyboard.press("F7")
    expect(current_step(page)).to_have_text("Pencaker menerima Kartu AK1")
    page.keyboard.press("F9")
    expect(page.locator("#number")).to_have_text("–")
    assert box(page, "#actions") == idle, "the buttons moved when the visit ended"


def test_feedback_priority_and_the_too_short_visit(browser, live_hub):
    hub = live_hub
    hub.post("/kiosk/tickets", {"service": "ak1-baru"}, hub.kiosk_token)
    hub.post("/kiosk/tickets", {"service": "ak1-baru", "priority": "lansia"}, hub.kiosk_token)
    page = panel(browser, hub)
    expect(page.locator("#next")).to_have_text("Berikutnya: A-002 (prioritas lansia)")
    expect(page.locator("#waiting .number.priority")).to_have_text("A-002")
    expect(page.locator("#waiting .priority-mark")).to_have_count(1)
    screenshot(page, "panel-1366x768-priority-next")
    page.keyboard.press("F2")
    expect(page.locator("#number")).to_have_text("A-002")
    page.keyboard.press("F6")
    expect(page.locator("#message")).to_have_text("A-002 dilewati")
    expect(page.locator("#message")).to_have_attribute("data-kind", "done")
    expect(page.locator("#next")).to_have_text("Berikutnya: A-001 (paling lama menunggu)")
    page.keyboard.press("F2")
    page.keyboard.press("F4")
    for _ in range(7):
        page.keyboard.press("F7")
    expect(current_step(page)).to_have_text("Pencaker menerima Kartu AK1")
    page.keyboard.press("F9")
    expect(page.locator("#message")).to_contain_text("A-001 selesai, ")
    expect(page.locator("#message")).to_contain_text("dtk (terlalu singkat)")
    expect(page.locator("#today")).to_contain_text("1 terlalu singkat")
    expect(page.locator("#today")).to_contain_text("0% sesuai standar")
    screenshot(page, "panel-1366x768-finished-feedback")


def test_an_unreachable_hub_disables_everything_in_indonesian_until_it_is_back(browser, live_hub):
    hub = live_hub
    hub.post("/kiosk/tickets", {"service": "ak1-baru"}, hub.kiosk_token)
    page = panel(browser, hub)
    expect(page.locator("[data-action=call_next]")).to_be_enabled()

    hub.stop()
    expect(page.locator("#connection")).to_be_visible()
    expect(page.locator("#connection")).to_have_text(
        "Tidak terhubung ke server antrian. Mencoba lagi…"
    )
    for button in page.locator("#actions button").all():
        expect(button).to_be_disabled()
    expect(page.locator("#pause")).to_be_disabled()
    page.keyboard.press("F2")  # pressed anyway: said in Indonesian, never "Failed to fetch"
    expect(page.locator("#message")).to_have_text(
        "Tidak terhubung ke server antrian. Mencoba lagi…"
    )
    screenshot(page, "panel-1366x768-offline")
    assert "Failed" not in page.locator("body").inner_text()

    hub.start()
    expect(page.locator("#connection")).to_be_hidden()
    expect(page.locator("[data-action=call_next]")).to_be_enabled()
    expect(page.locator("#message")).to_have_text("")
    page.keyboard.press("F2")
    expect(page.locator("#number")).to_have_text("A-001")

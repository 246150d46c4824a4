"""An officer serves a visitor with the keyboard alone, while the TV shows the call."""

from __future__ import annotations

import requests
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, add_user, pair, screenshot, sign_in


def test_officer_serves_a_whole_visit_from_the_keyboard(browser, live_hub):
    hub = live_hub
    hub.post("/kiosk/tickets", {"service": "ak1-baru"}, hub.kiosk_token)
    tv = browser.new_page(viewport={"width": 1920, "height": 1080})
    pair(tv, hub, hub.display_token)
    expect(tv.locator("body[data-connected=true]")).to_have_count(1)

    officer = browser.new_page(viewport={"width": 1366, "height": 768})
    officer.goto(f"{hub.url}/counter?counter=1")
    officer.fill("input[name=username]", "budi")
    officer.fill("input[name=password]", PASSWORD)
    officer.keyboard.press("Enter")
    expect(officer.locator("body[data-connected=true]")).to_have_count(1)
    expect(officer.locator("#next")).to_have_text("Berikutnya: A-001 (paling lama menunggu)")
    expect(officer.locator("[data-action=start]")).to_be_disabled()

    officer.keyboard.press("F2")
    expect(officer.locator("#number")).to_have_text("A-001")
    expect(officer.locator("#calls")).to_have_text("Panggilan 1/3")
    expect(tv.locator("#call-number")).to_have_text("A-001")
    officer.keyboard.press("F2")  # again, too soon: refused with the reason
    expect(officer.locator("#message")).to_contain_text("panggil ulang atau lewati")

    officer.keyboard.press("F4")
    expect(officer.locator("#steps li.current")).to_contain_text("Menyerahkan berkas")
    for step in range(2, 9):
        officer.keyboard.press("F7")
        expect(officer.locator("#steps li.current")).to_have_count(1)
        expect(officer.locator("#steps li.done")).to_have_count(step - 1)
    screenshot(officer, "counter-1366x768-serving")
    officer.keyboard.press("F9")
    expect(officer.locator("#number")).to_have_text("–")
    assert hub.get("/api/queue").json()["counters"][0]["ticket"] is None


def test_the_panel_survives_a_hub_restart_with_the_counter_still_held(browser, live_hub):
    hub = live_hub
    hub.post("/kiosk/tickets", {"service": "ak1-baru"}, hub.kiosk_token)
    officer = sign_in(browser, f"{hub.url}/counter?counter=1", "budi")
    officer.keyboard.press("F2")
    expect(officer.locator("#number")).to_have_text("A-001")

    hub.kill()  # the office PC loses power mid-call
    expect(officer.locator("#connection")).to_be_visible()
    hub.start()
    expect(officer.locator("body[data-connected=true]")).to_have_count(1)
    expect(officer.locator("#connection")).to_be_hidden()
    assert hub.get("/api/queue").json()["counters"][0]["officer"] == "budi"
    officer.keyboard.press("F3")
    expect(officer.locator("#calls")).to_have_text("Panggilan 2/3")
    expect(officer.locator("#blocker")).to_be_hidden()


def test_a_reloaded_panel_respects_a_release_and_a_held_key_is_one_press(browser, live_hub):
    hub = live_hub
    add_user(hub.config, "kasi", "supervisor")
    hub.post("/kiosk/tickets", {"service": "ak1-baru"}, hub.kiosk_token)
    officer = sign_in(browser, f"{hub.url}/counter?counter=1", "budi")
    expect(officer.locator("#seat")).to_have_text("Anda di Loket 1")
    officer.reload()  # F5, or the PC coming back: the counter is already the officer's
    expect(officer.locator("#seat")).to_have_text("Anda di Loket 1")

    kasi = requests.post(
        f"{hub.url}/api/login", json={"username": "kasi", "password": PASSWORD}, timeout=10
    ).json()["token"]
    assert hub.post("/api/counters/1/release", token=kasi).status_code == 200
    expect(officer.locator("#seat")).to_contain_text("Loket 1 kosong")
    assert hub.get("/api/queue").json()["counters"][0]["officer"] is None  # not taken back

    officer.keyboard.press("F2")  # acting again takes the counter, on purpose
    expect(officer.locator("#number")).to_have_text("A-001")
    officer.keyboard.press("F4")
    expect(officer.locator("#steps li.current .name")).to_have_text(
        "Menyerahkan berkas persyaratan"
    )
    for _ in range(3):
        officer.keyboard.down("F7")  # held: the second and third are auto-repeats
    officer.keyboard.up("F7")
    expect(officer.locator("#steps li.current .name")).to_have_text(
        "Input data pencaker dan wawancara"
    )
    ticket = hub.get("/api/queue").json()["counters"][0]["ticket"]
    assert ticket["step"]["number"] == 2


def test_typing_after_a_refused_key_never_moves_a_ticket(browser, live_hub):
    hub = live_hub
    for _ in range(2):
        hub.post("/kiosk/tickets", {"service": "ak1-baru"}, hub.kiosk_token)
    officer = sign_in(browser, f"{hub.url}/counter?counter=1", "budi")
    officer.keyboard.press("F2")
    officer.keyboard.press("F4")
    expect(officer.locator("#steps li.current")).to_have_count(1)
    # Typed at once, before the list is even on screen: it still lands in the number field.
    officer.keyboard.press("N")  # not possible while serving, but the field opens for the number
    officer.keyboard.type("a2")
    # An Enter before the list is on screen is swallowed on purpose (it must not choose
    # anything unseen): press it once the typed number stands in the field.
    expect(officer.locator("#choose-input")).to_have_value("a2")
    officer.keyboard.press("Enter")
    expect(officer.locator("#message")).to_contain_text("selesaikan dulu")
    officer.keyboard.press("F10")
    officer.keyboard.type("KTP asli 2 lembar")  # typed, not picked: option 2 stays untouched
    expect(officer.locator("#choose-input")).to_have_value("KTP asli 2 lembar")
    officer.keyboard.press("Escape")
    officer.keyboard.press("A")
    expect(officer.locator("#choose-title")).to_contain_text("Alihkan A-001")
    officer.keyboard.press("1")  # a stray digit only points at Loket 2
    officer.keyboard.press("Escape")
    expect(officer.locator("#number")).to_have_text("A-001")
    ticket = hub.get("/api/queue").json()["counters"][0]["ticket"]
    assert (ticket["number"], ticket["state"]) == ("A-001", "serving")

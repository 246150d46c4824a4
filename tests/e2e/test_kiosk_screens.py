"""The kiosk as a job seeker meets it (1080x1920 portrait, 1920x1080 landscape), pairing a
touch screen by a short code, and where each role lands after signing in."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, add_user, antrian, make_hub, pair, screenshot
from tests.e2e.layout import measure

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}


@pytest.fixture
def hub(tmp_path):
    live = make_hub(tmp_path)
    yield live
    live.stop()


def open_kiosk(browser, hub, size):
    width, height = SIZES[size]
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    pair(page, hub, hub.kiosk_token)
    expect(page).to_have_url(f"{hub.url}/kiosk")
    expect(page.locator("body[data-connected=true]")).to_have_count(1)
    return page


@pytest.mark.parametrize("size", SIZES)
def test_the_home_fills_the_screen_and_labels_both_times(browser, hub, size):
    for _ in range(4):
        hub.post("/api/tickets", {"service": "ak1-baru"}, hub.kiosk_token)
    states = {s["code"]: s for s in hub.get("/kiosk/availability").json()["services"]}
    assert states["ak1-baru"]["estimated_wait_minutes"] == 30
    page = open_kiosk(browser, hub, size)
    tile = page.locator(".service", has_text="Baru")
    expect(tile.locator(".times")).to_have_text(
        "Perkiraan tunggu ± 30 menit · Lama layanan ± 15 menit"
    )
    expect(page.locator(".service", has_text="Paspor").locator(".times")).to_have_text(
        "Perkiraan tunggu: tanpa antrean · Lama layanan ± 60 menit"
    )
    expect(tile).to_be_enabled()
    # One typeface: the buttons read in the page's own font.
    fonts = page.evaluate(
        "() => [document.body, ...document.querySelectorAll('button')]"
        ".map((el) => getComputedStyle(el).fontFamily)"
    )
    assert len(set(fonts)) == 1, set(fonts)
    # The tiles use the screen: from under the heading to near the bottom, edge to edge.
    width, height = SIZES[size]
    tiles = page.locator("#services").bounding_box()
    assert tiles["y"] + tiles["height"] >= 0.93 * height
    assert tiles["width"] >= 0.9 * width
    last = page.locator(".service").last.bounding_box()
    assert last["y"] + last["height"] >= 0.9 * height
    found = measure(page, boxes=(".tile", ".tile .name", ".topbar", "#services"), inside=(".tile",))
    assert found["overflowing"] == [] and found["offscreen"] == [], found
    assert found["smallest"] >= 18
    screenshot(page, f"kiosk-{size}-home")
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_requirements_are_a_list_to_read_and_all_on_screen(browser, hub, size):
    page = open_kiosk(browser, hub, size)
    page.locator(".service", has_text="Paspor").click()
    items = page.locator("#requirements li")
    expect(items).to_have_count(11)
    expect(page.locator("#confirm-times")).to_have_text(
        "Perkiraan tunggu: tanpa antrean · Lama layanan ± 60 menit"
    )
    looks = items.evaluate_all(
        """(lis) => lis.map((li) => ({
          before: getComputedStyle(li, "::before").content,
          cursor: getComputedStyle(li).cursor,
          inputs: li.querySelectorAll("input, button").length,
          bottom: li.getBoundingClientRect().bottom,
        }))"""
    )
    assert all(look["before"] in ("none", "normal") for look in looks), looks[0]
    assert all(look["cursor"] != "pointer" and look["inputs"] == 0 for look in looks)
    height = SIZES[size][1]
    bring = page.locator(".bring").bounding_box()
    assert all(look["bottom"] <= bring["y"] + bring["height"] for look in looks)
    assert bring["y"] + bring["height"] <= height
    found = measure(page, boxes=(".bring", ".priority", ".actions button"), inside=("#confirm",))
    assert found["overflowing"] == [] and found["offscreen"] == [], found
    expect(page.locator("#take")).to_be_in_viewport()
    screenshot(page, f"kiosk-{size}-requirements")
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_ticket_screen_shows_the_time_and_says_to_watch(browser, hub, size):
    page = open_kiosk(browser, hub, size)
    page.locator(".service", has_text="Baru").click()
    with page.expect_response("**/kiosk/tickets") as answer:
        page.click("#take")
    expect(page.locator("#number")).to_have_text("A-001")
    issued = answer.value.json()["ticket"]["issued_at"]
    local = datetime.fromisoformat(issued).astimezone(ZoneInfo("Asia/Jakarta"))
    expect(page.locator("#issued")).to_have_text(f"Diambil pukul {local:%H.%M}")
    expect(page.locator(".watch")).to_have_text("Perhatikan layar dan panggilan suara.")
    expect(page.locator(".watch")).to_be_in_viewport()
    expect(page.locator("#qr svg")).to_be_visible()
    found = measure(page, boxes=(".ticket-card", ".ticket-card p"), inside=("#done",))
    assert found["overflowing"] == [] and found["offscreen"] == [], found
    screenshot(page, f"kiosk-{size}-ticket")
    page.context.close()


def test_while_the_hub_is_down_no_service_can_be_tapped(browser, hub):
    page = open_kiosk(browser, hub, "portrait")
    expect(page.locator(".service").first).to_be_enabled()
    hub.kill()
    note = page.locator("#offline-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("tidak terhubung")
    for tile in page.locator(".service").all():
        expect(tile).to_be_disabled()
    found = measure(page, boxes=(".tile", "#offline-note"), inside=(".tile",))
    assert found["overflowing"] == [] and found["offscreen"] == [], found
    screenshot(page, "kiosk-portrait-hub-down")
    hub.start()
    expect(note).to_be_hidden()
    expect(page.locator(".service").first).to_be_enabled()
    page.context.close()


def test_a_touch_screen_pairs_by_a_short_code_once(browser, hub):
    made = antrian("device", "add", "kiosk-lobi", "--kind", "kiosk", "--code", config=hub.config)
    assert made.returncode == 0, made.stderr
    code = made.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"\d{6}", code) and "valid 10 minutes" in made.stdout

    page = browser.new_context(viewport={"width": 1080, "height": 1920}).new_page()
    page.goto(f"{hub.url}/pair")
    for digit in code:
        page.locator(f'#keypad button[data-digit="{digit}"]').click()
    expect(page.locator("#digits .digit.filled")).to_have_count(6)
    found = measure(page, boxes=(".pair-card", ".keypad button"), inside=(".pair-card",))
    assert found["overflowing"] == [] and found["offscreen"] == [], found
    keys = page.locator("#keypad button").first.bounding_box()
    assert keys["height"] >= 60 and keys["width"] >= 150  # a finger, not a mouse
    screenshot(page, "pair-keypad-portrait")
    page.click("#code-submit")
    expect(page).to_have_url(f"{hub.url}/kiosk")
    expect(page.locator("body[data-connected=true]")).to_have_count(1)

    other = browser.new_context(viewport={"width": 1080, "height": 1920}).new_page()
    other.goto(f"{hub.url}/pair#code={code}")  # the same code again: refused
    expect(other.locator("#pair-error")).to_have_text(re.compile("salah atau sudah kedaluwarsa"))
    screenshot(other, "pair-refused-portrait")

    made = antrian("device", "add", "tv-lobi", "--kind", "display", "--code", config=hub.config)
    link = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    requested: list[str] = []
    link.on("request", lambda request: requested.append(request.url))
    link.goto(f"{hub.url}/pair#code={made.stdout.strip().splitlines()[-1]}")
    expect(link).to_have_url(f"{hub.url}/display")
    assert not any(made.stdout.strip().splitlines()[-1] in url for url in requested)
    for p in (page, other, link):
        p.context.close()


def sign_in_as(browser, hub, name):
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    page.goto(f"{hub.url}/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    return page


def test_each_role_lands_on_its_own_page_and_the_kasi_takes_no_counter(browser, hub):
    for name, role in (("kasi", "supervisor"), ("root", "admin")):
        add_user(hub.config, name, role)
    login = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    login.goto(f"{hub.url}/login")
    screenshot(login, "login-1366x768")
    login.context.close()

    kasi = sign_in_as(browser, hub, "kasi")
    expect(kasi).to_have_url(f"{hub.url}/supervisor")
    kasi.goto(f"{hub.url}/counter?counter=1")
    expect(kasi.locator("#seat")).to_have_text("Loket 1 kosong (Anda hanya melihat)")
    expect(kasi.locator("#take-seat")).to_be_visible()
    counters = {c["id"]: c for c in hub.get("/api/queue").json()["counters"]}
    assert counters["1"]["officer"] is None  # the real officer can still take Loket 1
    kasi.goto(f"{hub.url}/")
    kasi_pages = kasi.locator('tr[data-roles*="Kepala seksi"]')
    expect(kasi.locator("tr.mine")).to_have_count(kasi_pages.count())
    assert kasi_pages.count() >= 3  # the panel, the supervisor view, the reports
    screenshot(kasi, "index-kepala-seksi-1366x768")

    officer = sign_in_as(browser, hub, "budi")
    expect(officer).to_have_url(re.compile(r"/counter$"))
    expect(officer.locator("#seat")).to_have_text("Anda di Loket 1")

    admin = sign_in_as(browser, hub, "root")
    expect(admin).to_have_url(f"{hub.url}/admin")
    admin.fill("input[name=name]", "kiosk-lantai-2")
    admin.click("#pairing button[type=submit]")
    expect(admin.locator("#pairing-code")).to_have_text(re.compile(r"^\d{3} \d{3}$"))
    found = measure(admin, boxes=(".card", "table"), inside=(".card",))
    assert found["overflowing"] == [], found
    screenshot(admin, "admin-home-1366x768")
    for page in (kasi, officer, admin):
        page.context.close()

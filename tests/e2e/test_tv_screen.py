"""The waiting-room TV as a visitor 5 m away meets it, at 1920x1080, 1366x768 and 1280x720:
measured boxes (nothing overlaps or spills, no text under 28 px at 1080p, the number at least
200 px), calls in call order, each counter's state, every standard item, a prompt reconnect."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import make_hub, pair, screenshot
from tests.e2e.layout import box, intersects, measure
from tests.e2e.test_display_browser import BLOCK_AUTOPLAY_UNTIL_CLICK

SIZES = [(1920, 1080), (1366, 768), (1280, 720)]
CARDS = (
    ".call",
    ".call-now p",
    ".call-idle p",
    ".recent",
    ".recent li",
    ".board li",
    ".board .name",
    ".waiting",
    ".waiting .name",
    ".standard",
    ".standard h3",
    ".standard .items",
    ".topbar",
    ".brand-name",
    ".clock",
    ".connection",
)
HEADER = (".brand-logo", ".brand-name", "#enable-sound", ".clock")
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")


@pytest.fixture
def hub(tmp_path):
    live = make_hub(tmp_path)
    yield live
    live.stop()


def open_tv(browser, hub, width, height, context=None):
    page = (context or browser.new_context(viewport={"width": width, "height": height})).new_page()
    pair(page, hub, hub.display_token)
    expect(page).to_have_url(f"{hub.url}/display")
    expect(page.locator("#connection")).to_have_text("Terhubung")
    return page


def min_text(height: int) -> float:
    """28 px on a 1080-line TV; the same share of the height on a smaller one."""
    return 28 * height / 1080 - 0.01


def assert_readable(page, width, height):
    found = measure(page, boxes=CARDS, apart=HEADER)
    assert found["overflowing"] == [], found["overflowing"]
    assert found["overlaps"] == [], found["overlaps"]
    assert found["offscreen"] == [], found["offscreen"]
    assert found["smallest"] >= min_text(height), (found["smallest"], found["smallestText"])
    return found


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_idle_tv_is_calm_and_readable(browser, hub, width, height):
    page = open_tv(browser, hub, width, height)
    expect(page.locator(".idle-title")).to_have_text("Selamat datang")
    expect(page.locator("#call-number")).to_be_hidden()  # no placeholder bar
    expect(page.locator("#recent-empty")).to_have_text("Belum ada panggilan hari ini.")
    expect(page.locator("#board li")).to_have_count(4)
    expect(page.locator('#board li[data-counter="1"]')).to_contain_text("Tutup")
    assert_readable(page, width, height)
    # The standard's page indicator and list are shown, and the logo is the shipped mark.
    expect(page.locator("#standard-items li").first).to_be_visible()
    assert page.evaluate("document.querySelector('.brand-logo').naturalWidth") > 0
    screenshot(page, f"tv-idle-{width}x{height}")
    page.context.close()


def test_calls_breaks_and_closed_counters_in_call_order(browser, hub):
    for _ in range(4):
        hub.post("/api/tickets", {"service": "ak1-baru"}, hub.kiosk_token)
    hub.post("/api/tickets", {"service": "id-ctki"}, hub.kiosk_token)
    pages = {size: open_tv(browser, hub, *size) for size in SIZES}
    hub.post("/api/counters/1/call-next")
    hub.post("/api/counters/2/call-next")
    hub.post("/api/counters/3/call-next")  # C-001
    hub.post("/api/counters/1/start")  # serving starts: A-001 does not move up
    hub.post("/api/counters/2/skip")  # A-002 did not come
    hub.post("/api/counters/2/pause", {"reason": "rapat"})
    for (width, height), page in pages.items():
        recent = page.locator("#recent li")
        expect(recent).to_have_count(3)
        expect(recent.nth(0)).to_have_text(re.compile(r"C-001\s*Loket 3"))
        expect(recent.nth(1)).to_have_text(re.compile(r"A-002\s*terlewat"))
        expect(recent.nth(2)).to_have_text(re.compile(r"A-001\s*Loket 1"))
        board = page.locator("#board li")
        expect(board.nth(0)).to_have_text(re.compile(r"Loket 1\s*A-001"))
        expect(board.nth(1)).to_have_text(re.compile(r"Loket 2\s*Istirahat"))
        expect(board.nth(2)).to_have_text(re.compile(r"Loket 3\s*C-001"))
        expect(board.nth(3)).to_have_text(re.compile(r"Meja Konseling\s*Tutup"))
        expect(page.locator("#call-number")).to_have_text("C-001")
        assert "rapat" not in page.content()  # a break's reason is for staff
        assert_readable(page, width, height)
        if height == 1080:
            size = page.evaluate(
                "parseFloat(getComputedStyle(document.querySelector('#call-number')).fontSize)"
            )
            assert size >= 200
        screenshot(page, f"tv-calls-{width}x{height}")
    # A recall is a call: the number goes back on top, everywhere at once.
    hub.post("/api/counters/1/call-next")  # refused while A-001 is served: nothing moves
    hub.post("/api/counters/3/recall")
    page = pages[(1920, 1080)]
    expect(page.locator("#call-count")).to_have_text("Panggilan ke-2")
    expect(page.locator("#recent li").nth(0)).to_contain_text("C-001")
    for page in pages.values():
        page.context.close()


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_requirement_and_step_is_shown_at_full_size(browser, hub, width, height):
    page = open_tv(browser, hub, width, height)
    services = hub.get("/api/services").json()["services"]
    expected = {(s["code"], "Persyaratan", r) for s in services for r in s["requirements"]}
    expected |= {(s["code"], "Prosedur", step["name"]) for s in services for step in s["steps"]}
    pages = page.evaluate(
        """() => {
          const pager = window.__standardPager;
          const seen = [];
          const first = pager.views.length;
          let views = 0;
          do {
            const items = document.querySelector("#standard-items");
            seen.push({
              service: pager.views[pager.view].service.code,
              title: pager.views[pager.view].title,
              items: [...items.children].map((li) => li.textContent),
              fits: items.scrollHeight <= items.clientHeight + 1,
              smallest: Math.min(...[...document.querySelectorAll("#standard *")]
                .filter((el) => el.textContent.trim())
                .map((el) => parseFloat(getComputedStyle(el).fontSize))),
              label: document.querySelector("#standard-page").textContent,
            });
            const before = pager.view;
            pager.next();
            if (pager.view !== before) views += 1;
          } while (views < first && seen.length < 200);
          return seen;
        }"""
    )
    shown = {
        (p["service"], p["title"], re.sub(r" \(\d+(,\d+)? mnt.*\)$", "", text))
        for p in pages
        for text in p["items"]
    }
    assert expected <= shown, sorted(expected - shown)[:5]
    assert all(p["fits"] for p in pages), [p["label"] for p in pages if not p["fits"]]
    assert min(p["smallest"] for p in pages) >= min_text(height)
    longest = max(len(s["requirements"]) for s in services)
    assert longest > 6  # the 11 passport requirements: more than the 6 the old TV showed
    paged = [p["label"] for p in pages if "dari" in p["label"]]
    assert paged, "a long list is paged with its place: 1–4 dari 11"
    page.evaluate(
        "() => { const p = window.__standardPager;"
        " while (!(p.views[p.view].service.code === 'rekomendasi-paspor'"
        " && p.views[p.view].title === 'Persyaratan')) p.next(); p.next(); }"
    )
    screenshot(page, f"tv-standard-paged-{width}x{height}")
    page.context.close()


def test_after_a_hub_restart_the_tv_says_connected_quietly_in_a_corner(browser, hub):
    page = open_tv(browser, hub, 1920, 1080)
    badge, name = box(page, "#connection"), box(page, "#office-name")
    assert not intersects(badge, name)
    assert badge["y"] > 900 and badge["x"] > 1500  # bottom right, beside the running text
    hub.kill()
    expect(page.locator("#connection")).to_have_text(re.compile("Terputus"))
    assert not intersects(box(page, "#connection"), box(page, "#office-name"))
    screenshot(page, "tv-disconnected-1920x1080")
    hub.start()
    # Retries every 0.5-2 s: back as soon as the hub answers (generous ceiling: a loaded VM).
    expect(page.locator("#connection")).to_have_text("Terhubung")
    hub.post("/api/tickets", {"service": "ak1-baru"}, hub.kiosk_token)
    hub.post("/api/counters/1/call-next")
    expect(page.locator("#call-number")).to_have_text("A-001")
    page.context.close()


def test_the_sound_button_is_a_shipped_icon_clear_of_the_standard(browser, hub):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.add_init_script(BLOCK_AUTOPLAY_UNTIL_CLICK)
    page = open_tv(browser, hub, 1920, 1080, context)
    hub.post("/api/tickets", {"service": "ak1-baru"}, hub.kiosk_token)
    hub.post("/api/counters/1/call-next")
    button = page.locator("#enable-sound")
    expect(button).to_be_visible()
    expect(button).to_have_text("Aktifkan suara")
    assert not EMOJI.search(button.inner_text())
    icon = button.locator("img")
    expect(icon).to_have_attribute("src", re.compile(r"/static/brand/sound\.svg$"))
    assert icon.evaluate("img => img.complete && img.naturalWidth > 0")
    for other in ("#standard", "#call", "#recent", ".brand-name", ".clock"):
        assert not intersects(box(page, "#enable-sound"), box(page, other)), other
    assert_readable(page, 1920, 1080)
    screenshot(page, "tv-sound-button-1920x1080")
    context.close()


def test_the_running_text_says_what_config_says(browser, tmp_path):
    import yaml

    from tests.e2e.conftest import ROOT

    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["call_rules"]["max_calls"] = 2
    data["services"][3]["cost"] = 50000
    live = make_hub(tmp_path, config_changes=data)
    try:
        page = open_tv(browser, live, 1920, 1080)
        ticker = page.locator("#ticker")
        expect(ticker).to_contain_text("dipanggil 2 kali")
        expect(ticker).to_contain_text("Rekomendasi Paspor Pekerja Migran Indonesia: Rp 50.000")
        expect(ticker).not_to_contain_text("Semua layanan GRATIS")
        page.evaluate(
            "() => { const p = window.__standardPager;"
            " while (p.views[p.view].service.code !== 'rekomendasi-paspor') p.next(); }"
        )
        expect(page.locator("#standard-facts")).to_contain_text("Biaya: Rp 50.000")
        page.context.close()
    finally:
        live.stop()

"""The waiting-room TV in headless Chromium: calls seen within a second, heard once, in order."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, make_hub, pair, screenshot

# One worker runs this module: its two browsers of its own are launched once, not per worker.
pytestmark = pytest.mark.xdist_group("display-browsers")

BLOCK_AUTOPLAY_UNTIL_CLICK = """
(() => {
  let clicked = false;
  document.addEventListener("click", () => { clicked = true; }, true);
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    if (!clicked) return Promise.reject(new DOMException("no gesture yet", "NotAllowedError"));
    return play.call(this);
  };
})();
"""


def tv(playwright_browser, hub, token):
    page = playwright_browser.new_page(viewport={"width": 1920, "height": 1080})
    pair(page, hub, token)
    expect(page).to_have_url(f"{hub.url}/display")
    expect(page.locator("body[data-connected=true]")).to_have_count(1)
    return page


@pytest.fixture(scope="module")
def tv_browsers(playwright):
    """Two browsers: a TV started as the README says (sound allowed), and one that blocks it."""
    allowed = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, "--autoplay-policy=no-user-gesture-required"],
    )
    blocked = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, "--autoplay-policy=document-user-activation-required"],
    )
    yield allowed, blocked
    allowed.close()
    blocked.close()


@pytest.fixture
def hub(tmp_path):
    live = make_hub(tmp_path)
    for _ in range(3):
        live.post("/api/tickets", {"service": "ak1-baru"}, live.kiosk_token)
    yield live
    live.stop()


def announcements(page):
    return page.evaluate("window.__announcements.map(a => `${a.number}@${a.counter}:${a.via}`)")


def test_calls_show_at_once_and_are_announced_in_order(tv_browsers, hub):
    page = tv(tv_browsers[0], hub, hub.display_token)
    hub.post("/api/counters/1/call-next")
    expect(page.locator("#call-number")).to_have_text("A-001")
    expect(page.locator("#call-counter")).to_have_text("LOKET 1")
    hub.post("/api/counters/2/call-next")  # a second call while the first is still spoken
    expect(page.locator("#call-number")).to_have_text("A-002")
    expect(page.locator("#recent li")).to_have_count(2)
    page.wait_for_function("() => window.__announcements.length >= 2", timeout=40000)
    assert announcements(page) == ["A-001@1:wav", "A-002@2:wav"]

    hub.post("/api/counters/1/recall")
    expect(page.locator("#call-count")).to_have_text("Panggilan ke-2")
    page.wait_for_function("() => window.__announcements.length >= 3", timeout=40000)
    assert announcements(page)[-1] == "A-001@1:wav"
    screenshot(page, "display-1920x1080")
    expect(page.locator("#standard-list")).to_have_text(re.compile("^(Persyaratan|Prosedur)$"))
    expect(page.locator("#standard")).to_contain_text("GRATIS")
    page.close()


def queued(page):
    return page.evaluate("window.__queued.map(c => `${c.number}@${c.counter}#${c.count}`)")


def test_a_hub_restart_resynchronises_without_replaying_calls(tv_browsers, hub):
    page = tv(tv_browsers[0], hub, hub.display_token)
    hub.post("/api/counters/1/call-next")
    page.wait_for_function("() => window.__queued.length >= 1")

    hub.kill()
    expect(page.locator("#connection")).to_be_visible()
    screenshot(page, "display-disconnected")
    # The TV stays away (its network down) until after the next call, however fast the hub
    # comes back: otherwise it might reconnect first and rightly speak that call live.
    page.context.set_offline(True)
    hub.start()
    hub.post("/api/counters/2/call-next")  # made while the TV was away
    page.context.set_offline(False)
    expect(page.locator("body[data-connected=true]")).to_have_count(1, timeout=40000)
    # The snapshot shows both calls, but neither is spoken again.
    expect(page.locator("#recent li")).to_have_count(2)
    expect(page.locator("#call-number")).to_have_text("A-002")
    hub.post("/api/counters/1/recall")  # a live call after the reconnect is spoken
    page.wait_for_function("() => window.__queued.length >= 2")
    assert queued(page) == ["A-001@1#1", "A-001@1#2"]
    page.close()


def test_blocked_sound_asks_once_for_a_tap_then_announces(tv_browsers, hub):
    context = tv_browsers[1].new_context(viewport={"width": 1920, "height": 1080})
    # Headless Chromium does not enforce the autoplay policy, so play() is made to refuse as
    # Chrome on a TV does: NotAllowedError until the first click in the document.
    context.add_init_script(BLOCK_AUTOPLAY_UNTIL_CLICK)
    pair(context.new_page(), hub, hub.display_token)
    page = context.new_page()
    page.goto(f"{hub.url}/display")
    expect(page.locator("body[data-connected=true]")).to_have_count(1)
    hub.post("/api/counters/1/call-next")
    expect(page.locator("#call-number")).to_have_text("A-001")
    expect(page.locator("#enable-sound")).to_be_visible()
    page.click("#enable-sound")
    page.wait_for_function("() => window.__announcements.length >= 1", timeout=40000)
    assert announcements(page) == ["A-001@1:wav"]
    expect(page.locator("#enable-sound")).to_be_hidden()
    context.close()

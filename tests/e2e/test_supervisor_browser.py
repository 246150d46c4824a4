"""The section head's view and the day report at 1366x768: short times said as such, only
steps with data, a day-first date, alerts in Indonesian that survive a restart, the restart
itself, releasing a counter only when held and only after confirming, and a number called
too long without service in a warning colour."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from shared.domain import commands as c
from tests.e2e.conftest import add_user, pair, screenshot, sign_in


def test_a_number_called_too_long_turns_amber_and_release_asks_first(browser, inprocess_hub):
    served = inprocess_hub
    queue = served.hub.queue
    for _ in range(3):
        queue.execute(c.IssueTicket("ak1-baru"))
    queue.execute(c.CallNext("1", "budi"))
    queue.execute(c.OpenCounter("2", "sari"))
    kasi = sign_in(browser, f"{served.url}/supervisor", "kasi")
    loket1 = kasi.locator(".counter-card[data-counter='1']")
    expect(loket1.locator(".timers")).to_contain_text("dipanggil 0:00 lalu")
    assert "called-long" not in (loket1.get_attribute("class") or "")

    served.clock.advance(6 * 60)  # past call_rules.called_alert_minutes (5)
    queue.execute(c.IssueTicket("ak1-baru"))  # any change: the view fetches the server's time
    expect(loket1).to_have_class("counter-card called-long")
    expect(loket1.locator(".timers")).to_have_text("dipanggil 6:00 lalu, belum mulai dilayani")
    colour = loket1.evaluate("(e) => getComputedStyle(e).backgroundColor")
    plain = kasi.locator(".counter-card[data-counter='3']").evaluate(
        "(e) => getComputedStyle(e).backgroundColor"
    )
    assert colour != plain
    screenshot(kasi, "supervisor-1366x768-called-too-long")

    # Release: offered on the held, empty Loket 2 only; never on a free counter.
    expect(kasi.locator(".counter-card[data-counter='3'] button")).to_have_count(0)
    expect(loket1.locator("button", has_text="Lepaskan")).to_have_count(0)  # a number is there
    release = kasi.locator(".counter-card[data-counter='2'] button", has_text="Lepaskan loket")
    release.click()
    expect(kasi.locator("#choose-title")).to_contain_text("Lepaskan Loket 2 dari petugas sari?")
    screenshot(kasi, "supervisor-1366x768-release-confirm")
    kasi.keyboard.press("Escape")
    expect(kasi.locator("#choose")).to_be_hidden()
    assert queue.current().day.session("2") is not None  # cancelled: still held
    release.click()
    kasi.keyboard.press("1")
    kasi.keyboard.press("Enter")
    expect(kasi.locator(".counter-card[data-counter='2'] .who")).to_have_text("tidak ada petugas")
    assert queue.current().day.session("2") is None


def test_short_times_and_empty_steps_in_the_view_and_the_report(browser, inprocess_hub):
    served = inprocess_hub
    queue = served.hub.queue
    queue.execute(c.IssueTicket("ak1-baru"))
    queue.execute(c.CallNext("1", "budi"))
    served.clock.advance(20)
    queue.execute(c.Start("1", "budi"))
    for _ in range(7):
        served.clock.advance(5)
        queue.execute(c.NextStep("1", "budi"))
    served.clock.advance(5)
    queue.execute(c.Finish("1", "budi"))
    kasi = sign_in(browser, f"{served.url}/supervisor", "kasi")
    rows = kasi.locator("#steps tbody tr")
    expect(rows).to_have_count(9)  # eight steps done, one line for the rest
    expect(rows.first).to_contain_text("< 1 mnt (1×)")
    expect(rows.last).to_have_text(re.compile(r"^\d+ langkah lain: tidak ada data hari ini\.$"))
    expect(kasi.locator("#steps")).not_to_contain_text("0 mnt")
    expect(kasi.locator("#services tbody tr").first).to_contain_text("< 1 mnt · 100% ≤ standar")
    card = kasi.locator(".counter-card[data-counter='1'] .today")
    expect(card).to_contain_text("1 terlalu singkat")
    expect(card).to_contain_text("0% sesuai standar")
    screenshot(kasi, "supervisor-1366x768-short-times")

    kasi.goto(f"{served.url}/supervisor/report")
    expect(kasi.locator("#report-date")).to_have_value("23-11-2026")
    expect(kasi.locator("#report-long-date")).to_have_text("Senin, 23 November 2026")
    expect(kasi.locator("h1")).to_contain_text("Senin, 23 November 2026")
    expect(kasi.locator("#report-steps tbody tr:not(.no-data)")).to_have_count(8)
    expect(kasi.locator("#steps-without-data summary")).to_have_text(
        re.compile(r"^\d+ langkah lain: tidak ada data hari ini$")
    )
    expect(kasi.locator("#report-counters tbody tr").first).to_contain_text("< 1 mnt")
    screenshot(kasi, "report-1366x768")
    kasi.fill("#report-date", "22-11-2026")  # typed day first, as on paper
    kasi.keyboard.press("Enter")
    expect(kasi.locator("h1")).to_contain_text("Minggu, 22 November 2026")
    expect(kasi.locator("#report-date")).to_have_value("22-11-2026")


def test_device_alerts_in_indonesian_survive_a_restart_that_is_itself_reported(browser, live_hub):
    hub = live_hub
    add_user(hub.config, "kasi", "supervisor")
    hub.post("/kiosk/tickets", {"service": "ak1-baru"}, hub.kiosk_token)
    kiosk = browser.new_page(viewport={"width": 1080, "height": 1920})
    pair(kiosk, hub, hub.kiosk_token)
    expect(kiosk.locator(".service", has_text="Baru").locator("[data-status]")).to_have_text(
        "1 orang menunggu"
    )  # connected: its live counts arrived
    kasi = sign_in(browser, f"{hub.url}/supervisor", "kasi")
    kiosk.close()
    alerts = kasi.locator("#alerts")
    expect(alerts).to_contain_text("Kios 'kiosk-1' terputus dari hub.")
    expect(alerts).not_to_contain_text("Socket")

    hub.stop()
    hub.start()
    kasi.reload()
    expect(alerts).to_contain_text("Kios 'kiosk-1' terputus dari hub.")
    expect(kasi.locator("#restarts")).to_contain_text("Hub dimulai ulang pukul ")
    text = alerts.inner_text() + kasi.locator("#restarts").inner_text()
    assert "127.0.0.1" not in text and "connection" not in text
    screenshot(kasi, "supervisor-1366x768-alerts-after-restart")

"""Step and visit timers turn amber near their standard and red past it, on every screen,
measured from server timestamps: the hub's clock is moved, the browsers' clocks are not."""

from __future__ import annotations

from playwright.sync_api import expect

from shared.domain import commands as c
from tests.e2e.conftest import screenshot, sign_in


def test_timers_follow_the_server_clock_through_amber_to_red(browser, inprocess_hub):
    served = inprocess_hub
    served.hub.queue.execute(c.IssueTicket("ak1-baru"))
    panel = sign_in(browser, f"{served.url}/counter?counter=1", "budi")
    panel.keyboard.press("F2")
    expect(panel.locator("#number")).to_have_text("A-001")
    panel.keyboard.press("F4")
    step = panel.locator("#steps li.current")
    expect(step).to_have_class("current ok")  # step 1's standard is 1 minute
    supervisor = sign_in(browser, f"{served.url}/supervisor", "kasi")
    card = supervisor.locator(".counter-card[data-counter='1']")
    expect(card).to_have_class("counter-card ok")
    expect(card.locator(".who")).to_have_text("budi sejak 08.00")  # office time, not the PC's

    served.clock.advance(50)  # past 80% of the step's minute
    panel.reload()
    expect(step).to_have_class("current near")
    expect(panel.locator("#steps li.current .timer")).to_contain_text("0:5")
    supervisor.reload()
    expect(card).to_have_class("counter-card near")

    served.clock.advance(15)
    second_screen = panel.context.new_page()
    second_screen.set_viewport_size({"width": 1366, "height": 768})
    second_screen.goto(f"{served.url}/counter?counter=1")
    expect(second_screen.locator("#steps li.current")).to_have_class("current over")
    expect(panel.locator("#total")).to_have_class("total ok")
    supervisor.reload()
    expect(card).to_have_class("counter-card over")

    served.clock.advance(15 * 60)  # the whole visit is now past AK1's 15 minutes
    panel.reload()
    expect(panel.locator("#total")).to_have_class("total over")
    expect(panel.locator("#total")).to_contain_text("Total 16:")
    screenshot(panel, "counter-1366x768-over-standard")
    supervisor.reload()
    expect(card.locator(".timers")).to_contain_text("total 16:")
    screenshot(supervisor, "supervisor-1366x768-over-standard")

"""The kiosk in headless Chromium: pair, tap, read the requirements, take, print, follow."""

from __future__ import annotations

import sqlite3

import pytest
from playwright.sync_api import expect

from shared.errors_web import STORE_BUSY
from tests.e2e.conftest import make_hub, pair, screenshot
from tests.printer_server import TestPrinter

SIZES = {"portrait": (1080, 1920), "landscape": (1366, 768)}


@pytest.fixture
def printer():
    with TestPrinter() as test_printer:
        yield test_printer


@pytest.fixture
def kiosk_hub(tmp_path, printer):
    hub = make_hub(
        tmp_path,
        printer={
            "type": "network",
            "host": "127.0.0.1",
            "port": printer.port,
            "timeout_seconds": 2,
        },
    )
    yield hub
    hub.stop()


@pytest.mark.parametrize("size", SIZES)
def test_a_job_seeker_takes_a_printed_ticket(browser, kiosk_hub, printer, size):
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    pair(page, kiosk_hub, kiosk_hub.kiosk_token)
    expect(page).to_have_url(f"{kiosk_hub.url}/kiosk")
    button = page.locator(".service", has_text="Baru")
    expect(button.locator("[data-status]")).to_have_text("0 orang menunggu")
    screenshot(page, f"kiosk-{size}-1-choose")

    button.click()
    expect(page.locator("#requirements li")).to_have_count(3)
    expect(page.locator("#done")).to_be_hidden()  # one screen at a time, at every size
    expect(page.locator("#choose")).to_be_hidden()
    expect(page.locator("#requirements")).to_contain_text("Fotokopi KTP")
    page.check("input[name=priority][value=lansia]")
    screenshot(page, f"kiosk-{size}-2-requirements")

    page.locator("#take").dblclick()  # a nervous double tap
    expect(page.locator("#number")).to_have_text("A-001")
    expect(page.locator("#print-status")).to_have_text("Silakan ambil tiket Anda di bawah layar.")
    expect(page.locator("#qr svg")).to_be_visible()
    screenshot(page, f"kiosk-{size}-3-ticket")

    job = printer.wait_for_job()
    assert b"A-001" in job and b"PRIORITAS: Lansia" in job
    queue = kiosk_hub.get("/api/queue").json()
    assert queue["services"][0]["issued_today"] == 1  # the double tap made one ticket

    page.click("#finish")
    expect(page.locator("#choose")).to_be_visible()
    expect(button.locator("[data-status]")).to_have_text("1 orang menunggu")
    page.close()


def test_printer_out_of_reach_says_so_and_keeps_the_ticket(browser, tmp_path):
    hub = make_hub(
        tmp_path, printer={"type": "network", "host": "127.0.0.1", "port": 9, "timeout_seconds": 1}
    )
    try:
        page = browser.new_page(viewport={"width": 1080, "height": 1920})
        pair(page, hub, hub.kiosk_token)
        page.locator(".service", has_text="Perpanjangan").click()
        page.click("#take")
        expect(page.locator("#number")).to_have_text("B-001")
        expect(page.locator("#print-status")).to_have_text(
            "Printer bermasalah, silakan catat/foto nomor Anda dan hubungi petugas."
        )
        screenshot(page, "kiosk-portrait-4-printer-fault")
        assert hub.get("/api/queue").json()["services"][1]["waiting"] == 1
        page.close()
    finally:
        hub.stop()


def test_the_phone_page_follows_the_ticket_live(browser, kiosk_hub, printer):
    ticket = kiosk_hub.post("/kiosk/tickets", {"service": "ak1-baru"}, kiosk_hub.kiosk_token).json()
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(ticket["status_url"])
    expect(phone.locator("#number")).to_have_text("A-001")
    expect(phone.locator("#wait")).to_have_text("Anda berikutnya.")
    expect(phone.locator("#live")).to_have_text("Memperbarui otomatis")
    kiosk_hub.post("/api/counters/2/call-next")
    expect(phone.locator("#state")).to_have_text("Dipanggil ke Loket 2! Silakan menuju Loket 2.")
    screenshot(phone, "phone-called")
    kiosk_hub.post("/api/counters/2/start")
    expect(phone.locator("#state")).to_have_text("Sedang dilayani di Loket 2.")
    phone.close()


def test_the_kiosk_says_the_system_is_busy_while_the_store_cannot_save(browser, live_hub, tmp_path):
    page = browser.new_page(viewport={"width": 1080, "height": 1920})
    pair(page, live_hub, live_hub.kiosk_token)
    page.locator(".service", has_text="Baru").click()
    # Another process (a backup, a stuck tool) holds the write lock past the busy timeout.
    holder = sqlite3.connect(tmp_path / "antrian.db", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        page.locator("#take").click()
        # The hub waits out its busy timeout (10 s) before answering; the ceiling is generous.
        expect(page.locator("#confirm-error")).to_have_text(STORE_BUSY, timeout=60_000)
        expect(page.locator("#confirm-error")).not_to_contain_text("500")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    page.locator("#take").click()  # the same tap again, once the store is free
    expect(page.locator("#number")).to_have_text("A-001", timeout=30_000)

"""A complaint in headless Chromium on a live hub: filed on a phone, answered by a supervisor.

The visitor files from the phone status page of their ticket (390x844) with a contact for
the reply and keeps the tracking link; the hub is killed (-9) and restarted; a supervisor
(1366x768) forwards, follows up, answers and closes; the visitor's link shows the answer,
and the contact is in no file of the store any more.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, add_user, make_hub, pair, screenshot

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1280, "height": 800}
DESK = {"width": 1366, "height": 768}
# Supervisors with names no public text contains by chance ("Terima kasih" contains "kasi").
HEAD, DEPUTY = "rahmawati", "hendrawan"
LETTER = date.today() - timedelta(days=14)  # the live hub runs on real time
LETTER_DAY = LETTER.isoformat()
CONTACT = "WA 0812-9999-4321 (Bu Ani)"
TEXT = "Saya menunggu hampir dua jam di loket AK1. <b>Mohon</b> tambah petugas pada jam sibuk."


@pytest.fixture
def complaint_hub(tmp_path):
    hub = make_hub(tmp_path)
    for name in (HEAD, DEPUTY):
        add_user(hub.config, name, "supervisor")
    yield hub
    hub.stop()


def store_bytes(folder: Path) -> bytes:
    """The SQLite file and its WAL as they lie on disk."""
    return b"".join(path.read_bytes() for path in sorted(folder.glob("antrian.db*")))


def signed_in(browser, hub, user: str, path: str):
    page = browser.new_context(viewport=DESK).new_page()
    page.goto(f"{hub.url}/login?next={path}")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{hub.url}{path}")
    return page


def test_a_visitor_files_on_a_phone_and_reads_the_answer(browser, complaint_hub, tmp_path):
    hub = complaint_hub
    ticket = hub.post("/api/tickets", {"service": "ak1-baru"}, token=hub.kiosk_token).json()

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(ticket["status_url"])
    phone.get_by_role("link", name="Sampaikan pengaduan atau saran").click()
    expect(phone.locator("#visit")).to_contain_text("A-001")

    phone.locator("#send").click()  # nothing typed yet
    expect(phone.locator("#form-error")).to_have_text("Pilih kategori dari daftar.")
    phone.select_option("#kategori", "Waktu pelayanan")
    phone.fill("#isi", TEXT)
    phone.fill("#kontak", CONTACT)
    phone.check("#anonim")  # the contact field is switched off while anonymous is ticked
    expect(phone.locator("#kontak")).to_be_disabled()
    phone.uncheck("#anonim")
    phone.fill("#kontak", CONTACT)
    fits = phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits, "the form is wider than the phone"
    screenshot(phone, "complaint-1-phone-form")
    phone.locator("#send").click()

    expect(phone.locator("#complaint-number")).to_have_text("PGD-2026-0001")
    expect(phone.locator("#complaint-state")).to_have_text("Diterima")
    expect(phone.locator("#complaint-text")).to_have_text(TEXT)  # HTML shown as typed text
    expect(phone.locator("#qr svg")).to_be_visible()
    tracking = phone.locator("#tracking-link").get_attribute("href")
    assert re.fullmatch(rf"{hub.url}/pengaduan/[A-Za-z0-9_-]{{24}}", tracking)
    screenshot(phone, "complaint-2-phone-tracking")
    phone.screenshot(path=str(screenshot(phone, "complaint-2-phone-tracking-full")), full_page=True)

    # Nothing acknowledged is lost when the office PC dies.
    hub.kill()
    hub.start()
    phone.goto(tracking)
    expect(phone.locator("#complaint-number")).to_have_text("PGD-2026-0001")
    assert CONTACT.encode() in store_bytes(tmp_path)  # kept while the complaint is open

    kasi = signed_in(browser, hub, HEAD, "/supervisor")
    expect(kasi.locator("#complaints-count")).to_have_text("1 terbuka")
    screenshot(kasi, "complaint-3a-supervisor-view")
    kasi.goto(f"{hub.url}/pengaduan/kelola")
    # A letter that came two weeks ago, recorded only now: past its target at once.
    record = kasi.locator("#record-form")
    record.locator("select[name=channel]").select_option("Surat")
    record.locator("input[name=received_on]").fill(LETTER_DAY)
    record.locator("select[name=category]").select_option("Persyaratan")
    record.locator("textarea[name=text]").fill("Surat: syarat di papan informasi berbeda.")
    record.get_by_role("button", name="Catat").click()
    letter = kasi.locator("#open-list .complaint-card").first
    expect(letter).to_have_id("complaint-PGD-2026-0002")  # overdue first
    expect(letter).to_have_class(re.compile("overdue"))
    expect(letter.locator(".badge.late")).to_have_text("Lewat target")
    card = kasi.locator("#complaint-PGD-2026-0001")
    expect(card).to_contain_text(CONTACT)
    expect(card).to_contain_text("A-001 · Kartu AK1 (Kartu Pencari Kerja) - Baru")
    screenshot(kasi, "complaint-3-staff-register")
    card.locator("select[name=to]").select_option(DEPUTY)
    card.get_by_role("button", name="Teruskan").click()
    card = kasi.locator("#complaint-PGD-2026-0001")
    expect(card).to_have_attribute("data-state", "diteruskan")

    kabid = signed_in(browser, hub, DEPUTY, "/pengaduan/kelola")
    card = kabid.locator("#complaint-PGD-2026-0001")
    card.locator("textarea[name=text]").fill("Loket 3 dibuka untuk AK1 pada pukul 08.00-10.00.")
    card.get_by_role("button", name="Simpan tindak lanjut").click()
    expect(card).to_have_attribute("data-state", "ditindaklanjuti")
    phone.reload()
    expect(phone.locator("#complaint-state")).to_have_text("Ditindaklanjuti oleh petugas")
    kasi.reload()  # the head has the answer form open too
    expect(kasi.locator("#complaint-PGD-2026-0001 textarea[name=answer]")).to_be_visible()

    card.locator("textarea[name=answer]").fill(
        "Terima kasih. Mulai Senin Loket 3 ikut melayani AK1 pada jam sibuk."
    )
    card.get_by_role("button", name="Jawab dan tutup").click()
    closed = kabid.locator("#closed-list #complaint-PGD-2026-0001")
    expect(closed).to_have_attribute("data-state", "selesai")
    expect(closed).not_to_contain_text("0812")
    screenshot(kabid, "complaint-4-staff-closed")

    # The head, on a page loaded before the close, answers too: told plainly, nothing stored.
    stale = kasi.locator("#complaint-PGD-2026-0001")
    stale.locator("textarea[name=answer]").fill("Jawaban kedua yang terlambat.")
    stale.get_by_role("button", name="Jawab dan tutup").click()
    expect(stale.locator(".form-error")).to_contain_text(
        f"PGD-2026-0001 sudah selesai: dijawab oleh {DEPUTY}"
    )

    phone.goto(tracking)
    expect(phone.locator("#complaint-state")).to_have_text("Selesai: jawaban kantor tersedia")
    expect(phone.locator("#answer")).to_contain_text("Mulai Senin Loket 3 ikut melayani AK1")
    expect(phone.locator("#contact-state")).to_have_text("Kontak yang Anda berikan sudah dihapus.")
    public = phone.content()
    for name in (HEAD, DEPUTY, "budi", "Loket 3 dibuka untuk AK1", "Jawaban kedua"):
        assert name not in public  # no staff names, no internal follow-up
    screenshot(phone, "complaint-5-phone-answered")
    phone.screenshot(path=str(screenshot(phone, "complaint-5-phone-answered-full")), full_page=True)

    assert CONTACT.encode() not in store_bytes(tmp_path)  # erased from the file and the WAL

    kasi.goto(f"{hub.url}/supervisor")
    expect(kasi.locator("#complaints-count")).to_have_text("1 terbuka, 1 lewat target")
    expect(kasi.locator("#complaints-link")).to_have_class(re.compile("late"))

    kasi.goto(f"{hub.url}/laporan/pengaduan")
    # This semester's recap (the default) has the letter too, unless it came last semester.
    same_semester = (LETTER.year, LETTER.month <= 6) == (date.today().year, date.today().month <= 6)
    expect(kasi.locator("#total")).to_have_text("2" if same_semester else "1")
    expect(kasi.locator("#answered")).to_have_text("1")
    expect(kasi.locator("#recap-list")).to_contain_text("Loket 3 dibuka untuk AK1")
    kasi.emulate_media(media="print")
    kasi.set_viewport_size({"width": 1123, "height": 794})  # A4 landscape at 96 dpi
    screenshot(kasi, "complaint-6-recap-print")
    kasi.pdf(path=str(tmp_path / "recap.pdf"), format="A4", landscape=True)
    assert (tmp_path / "recap.pdf").read_bytes().startswith(b"%PDF")


def test_a_shared_tablet_files_anonymously_and_returns_to_its_start(browser, complaint_hub):
    page = browser.new_context(viewport=TABLET, has_touch=True).new_page()
    pair(page, complaint_hub, complaint_hub.kiosk_token)  # a paired screen others use next
    page.goto(f"{complaint_hub.url}/pengaduan")
    page.select_option("#kategori", "Sarana dan prasarana")
    page.get_by_text("Saran", exact=True).click()
    page.fill("#isi", "Mohon disediakan kursi roda di ruang tunggu.")
    page.check("#anonim")
    screenshot(page, "complaint-7-tablet-form")
    page.locator("#send").click()
    expect(page.locator("#complaint-number")).to_have_text("PGD-2026-0001")
    expect(page.locator(".yours .meta")).to_contain_text("Saran · Sarana dan prasarana")
    expect(page.locator("#shared-device")).to_contain_text("kembali ke awal dalam 60 detik")
    screenshot(page, "complaint-8-tablet-tracking")
    page.get_by_role("link", name="Selesai").click()
    expect(page).to_have_url(f"{complaint_hub.url}/kiosk")
    page.go_back()  # the next visitor presses "back": a blank form, not the last complaint
    expect(page).to_have_url(f"{complaint_hub.url}/pengaduan")
    expect(page.locator("#isi")).to_have_value("")
    expect(page.locator("#complaint-number")).to_have_count(0)
    page.select_option("#kategori", "Lainnya")
    page.fill("#isi", "Toilet pria di lantai dua rusak.")
    page.locator("#send").click()
    expect(page.locator("#complaint-number")).to_have_text("PGD-2026-0002")  # a new one

"""The IKM survey on a live hub in Chromium: a phone, the exit tablet (scanned ticket and
anonymous), and the supervisor's report showing the IKM computed here by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, add_device, add_user, make_hub, pair, screenshot

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1280, "height": 800}
PHONE_SCORES = [4, 4, 3, 3, 4, 3, 4, 3, 3]
TABLET_SCORES = [3, 3, 3, 4, 3, 3, 4, 2, 3]
ANONYMOUS_SCORES = [2, 3, 3, 4, 3, 4, 4, 3, 4]


@pytest.fixture
def survey_hub(tmp_path):
    hub = make_hub(tmp_path)
    add_user(hub.config, "kasi", "supervisor")
    hub.survey_token = add_device(hub.config, "tablet-keluar", "survey")
    yield hub
    hub.stop()


def take_ticket(hub) -> dict:
    issued = hub.post("/api/tickets", {"service": "ak1-baru"}, token=hub.kiosk_token)
    assert issued.status_code == 201, issued.text
    return issued.json()


def serve_to_the_end(hub) -> None:
    """What the officer's panel does for one visitor: call, start, every step, Selesai."""
    assert hub.post("/api/counters/1/call-next").status_code == 200
    assert hub.post("/api/counters/1/start").status_code == 200
    for _ in range(7):
        assert hub.post("/api/counters/1/next-step").status_code == 200
    finished = hub.post("/api/counters/1/finish")
    assert finished.status_code == 200, finished.text


def test_three_visitors_rate_the_office_and_the_kasi_reads_the_ikm(browser, survey_hub):
    hub = survey_hub
    # 1. A phone follows its ticket; the survey appears once the visit is finished.
    first = take_ticket(hub)
    phone = browser.new_context(viewport=PHONE, device_scale_factor=1).new_page()
    phone.goto(first["status_url"].replace("http://localhost", hub.url))
    expect(phone.locator("#number")).to_have_text("A-001")
    expect(phone.locator("#survey")).to_be_hidden()
    serve_to_the_end(hub)
    expect(phone.locator("#survey")).to_be_visible()
    expect(phone.locator("#survey h2")).to_have_text("Bagaimana pelayanan kami hari ini?")
    screenshot(phone, "survey-phone-1-open")
    for index, score in enumerate(PHONE_SCORES, start=1):
        phone.locator(f"fieldset[data-code=U{index}] label.answer-{score}").click()
    phone.select_option("select[name=pendidikan]", "SMA/SMK")
    phone.fill("textarea[name=saran]", "Petugas ramah. <b>Kipas</b> di ruang tunggu mati.")
    phone.locator("#survey-send").dblclick()  # a double tap sends once
    expect(phone.locator("#survey-done")).to_contain_text("Terima kasih atas penilaian Anda.")
    expect(phone.locator("#survey-form")).to_be_hidden()
    phone.locator("#survey").scroll_into_view_if_needed()
    screenshot(phone, "survey-phone-2-thanks")

    # 2. The exit tablet: the visitor scans the ticket's QR (the scanner types URL + Enter).
    second = take_ticket(hub)
    serve_to_the_end(hub)
    tablet = browser.new_context(viewport=TABLET, device_scale_factor=1).new_page()
    pair(tablet, hub, hub.survey_token)
    expect(tablet).to_have_url(f"{hub.url}/survei")
    expect(tablet.locator("#ref")).to_be_focused()
    screenshot(tablet, "survey-tablet-1-start")
    tablet.keyboard.type(second["status_url"] + "\n")
    expect(tablet.locator("#progress")).to_have_text("Pertanyaan 1 dari 9")
    expect(tablet.locator("#visit-label")).to_contain_text("Nomor A-002")
    screenshot(tablet, "survey-tablet-2-question")
    answer_on_tablet(tablet, TABLET_SCORES, back_once=True)
    tablet.locator("label.chip", has_text="30-39 tahun").click()
    screenshot(tablet, "survey-tablet-3-about")
    tablet.click("#send")
    expect(tablet.locator("#thanks h1")).to_have_text("Terima kasih")
    screenshot(tablet, "survey-tablet-4-thanks")

    # The same ticket typed again is refused kindly.
    tablet.click("#again")
    tablet.fill("#ref", "A-002")
    tablet.keyboard.press("Enter")
    expect(tablet.locator("#start-error")).to_have_text(
        "Survei untuk nomor ini sudah diisi. Terima kasih."
    )

    # 3. A third visitor answers anonymously.
    tablet.fill("#ref", "")
    tablet.click("#anonymous")
    answer_on_tablet(tablet, ANONYMOUS_SCORES)
    tablet.click("#send")
    expect(tablet.locator("#thanks")).to_be_visible()
    # Nobody touches it: the tablet starts over by itself for the next visitor.
    expect(tablet.locator("#start")).to_be_visible()
    expect(tablet.locator("#ref")).to_have_value("")

    # 4. The Kasi's report: the IKM computed here by hand.
    totals = [sum(s[i] for s in (PHONE_SCORES, TABLET_SCORES, ANONYMOUS_SCORES)) for i in range(9)]
    assert totals == [9, 10, 9, 11, 10, 10, 12, 8, 10]
    ikm = Fraction(sum(totals), 3) / 9 * 25  # 89/3 / 9 x 25 = 82,4074...
    expected = f"{float(ikm):.2f}".replace(".", ",")
    assert expected == "82,41"
    kasi = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    kasi.goto(f"{hub.url}/laporan/ikm")
    kasi.fill("input[name=username]", "kasi")
    kasi.fill("input[name=password]", PASSWORD)
    kasi.keyboard.press("Enter")
    expect(kasi).to_have_url(f"{hub.url}/laporan/ikm")
    expect(kasi.locator("#ikm-value")).to_have_text(expected)
    expect(kasi.locator("#ikm-mutu")).to_have_text("Mutu B · Baik")
    expect(kasi.locator("#ikm-respondents")).to_have_text("3")
    expect(kasi.locator("#ikm-population")).to_have_text("2")
    expect(kasi.locator("#ikm-saran")).to_contain_text("<b>Kipas</b> di ruang tunggu mati.")
    kasi.screenshot(path=str(screenshot(kasi, "survey-report-screen")), full_page=True)
    kasi.emulate_media(media="print")
    kasi.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    kasi.screenshot(path=str(screenshot(kasi, "survey-report-print")), full_page=True)
    for page in (phone, tablet, kasi):
        page.context.close()


def answer_on_tablet(tablet, scores, back_once=False) -> None:
    """Tap a face per screen; optionally go back once and change the first answer."""
    for index, score in enumerate(scores, start=1):
        expect(tablet.locator("#progress")).to_have_text(f"Pertanyaan {index} dari 9")
        tablet.locator(f"#faces button[data-score='{score}']").click()
        if back_once and index == 1:
            expect(tablet.locator("#progress")).to_have_text("Pertanyaan 2 dari 9")
            tablet.click("#back")
            expect(tablet.locator(f"#faces button[data-score='{score}']")).to_have_class(
                "face-button chosen"
            )
            tablet.click("#forward")
    expect(tablet.locator("#about")).to_be_visible()


def test_after_selesai_the_tv_and_the_tablet_invite_that_number(browser, tmp_path):
    import requests
    import yaml

    from tests.e2e.conftest import write_config

    hub = write_config(tmp_path)
    config = yaml.safe_load(hub.config.read_text(encoding="utf-8"))
    config["survey"] = {"prompt_after_finish": "both"}
    hub.config.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    add_user(hub.config, "budi", "officer")
    hub.kiosk_token = add_device(hub.config, "kiosk-1", "kiosk")
    display_token = add_device(hub.config, "tv-1", "display")
    survey_token = add_device(hub.config, "tablet-keluar", "survey")
    hub.start()
    try:
        login = {"username": "budi", "password": PASSWORD}
        hub.officer_token = requests.post(f"{hub.url}/api/login", json=login, timeout=10).json()[
            "token"
        ]
        tv = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
        pair(tv, hub, display_token)
        expect(tv.locator("body[data-connected=true]")).to_have_count(1)
        tablet = browser.new_context(viewport=TABLET).new_page()
        pair(tablet, hub, survey_token)
        expect(tablet.locator("#start")).to_be_visible()
        take_ticket(hub)
        serve_to_the_end(hub)
        expect(tv.locator("#survey-prompt")).to_have_text(
            "Nomor A-001: terima kasih, silakan isi survei kepuasan"
        )
        font_px = tv.locator("#survey-prompt").evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)"
        )
        assert font_px >= 28  # read from 5 m
        screenshot(tv, "survey-tv-prompt")
        expect(tablet.locator("#prompt-number")).to_have_text("A-001")
        screenshot(tablet, "survey-tablet-prompt")
        tablet.click("#prompt-number")
        expect(tablet.locator("#visit-label")).to_contain_text("Nomor A-001")
        for page in (tv, tablet):
            page.context.close()
    finally:
        hub.stop()

"""Issue 13 in Chromium on a live hub: Tunggu TTD with a substitute signer, a returned visitor
coming back, and a visit finished "belum diinput online" then cleared from the backlog."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import requests
import yaml
from playwright.sync_api import expect

from shared.domain.office_calendar import long_date
from tests.e2e.conftest import (
    PASSWORD,
    add_device,
    add_user,
    screenshot,
    sign_in,
    write_config,
)

KABID = "Kabid Penempatan dan Perluasan Kesempatan Kerja"


def paspor_hub(tmp_path):
    """The shipped config, with a substitute for the Kasi's step of Rekomendasi Paspor."""
    hub = write_config(tmp_path)
    data = yaml.safe_load(hub.config.read_text(encoding="utf-8"))
    paspor = next(s for s in data["services"] if s["code"] == "rekomendasi-paspor")
    interview = paspor["steps"][2]
    assert interview["handover"] and interview["actor"].startswith("Kasi")
    interview["substitutes"] = [KABID]
    hub.config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for user, role in (("budi", "officer"), ("kasi", "supervisor")):
        add_user(hub.config, user, role)
    hub.kiosk_token = add_device(hub.config, "kiosk-1", "kiosk")
    hub.start()
    login = requests.post(
        f"{hub.url}/api/login", json={"username": "budi", "password": PASSWORD}, timeout=10
    )
    hub.officer_token = login.json()["token"]
    return hub


def issue(hub, service: str) -> str:
    answer = hub.post("/kiosk/tickets", {"service": service}, hub.kiosk_token)
    assert answer.status_code == 201, answer.text
    return answer.json()["ticket"]["number"]


def serve_to_the_end(page, next_steps: int, finish_key: str = "F9") -> None:
    page.keyboard.press("F4")
    for _ in range(next_steps):
        page.keyboard.press("F7")
    page.keyboard.press(finish_key)
    expect(page.locator("#number")).to_have_text("–")


def test_park_at_the_kasis_signature_comeback_and_backlog(browser, tmp_path):
    hub = paspor_hub(tmp_path)
    try:
        run_the_day(browser, hub)
    finally:
        hub.stop()


def run_the_day(browser, hub) -> None:
    paspor = issue(hub, "rekomendasi-paspor")
    others = [issue(hub, "id-ctki"), issue(hub, "id-ctki")]
    budi = sign_in(browser, f"{hub.url}/counter", "budi")
    budi.goto(f"{hub.url}/counter?counter=3")  # signing in keeps the path, not the query
    expect(budi.locator("#seat")).to_have_text("Anda di Loket 3")

    # D-001 reaches the Kasi's interview and waits for the signature away from the counter.
    budi.keyboard.press("F2")
    expect(budi.locator("#number")).to_have_text(paspor)
    budi.keyboard.press("F4")
    budi.keyboard.press("F7")
    budi.keyboard.press("F7")
    expect(budi.locator("#steps li.current .name")).to_have_text(
        "Wawancara PMI dan pemeriksaan berkas"
    )
    budi.keyboard.press("T")
    expect(budi.locator("#choose-options")).to_contain_text(f"{KABID} (pengganti)")
    budi.keyboard.press("2")
    budi.keyboard.press("Enter")
    expect(budi.locator("#number")).to_have_text("–")
    parked = budi.locator("#parked li")
    expect(parked).to_have_count(1)
    expect(parked).to_contain_text(f"{paspor} 3. Wawancara PMI")
    expect(parked.locator(".who")).to_have_text(f"TTD {KABID} (pengganti)")

    # Two ID CTKI numbers are served meanwhile; "Lanjutkan" waits for an empty counter.
    kasi = None
    for number in others:
        budi.keyboard.press("F2")
        expect(budi.locator("#number")).to_have_text(number)
        budi.keyboard.press("K")
        expect(budi.locator("#message")).to_have_text(
            f"Nomor {number} masih di Loket 3: selesaikan, lewati, alihkan atau parkir dulu, "
            f"lalu lanjutkan nomor {paspor}."
        )
        if number == others[-1]:
            expect(parked).to_contain_text("di luar loket")
            screenshot(budi, "counter-1366x768-tunggu-ttd")
            kasi = sign_in(browser, f"{hub.url}/supervisor", "kasi")
            expect(kasi.locator("#parked li")).to_contain_text(f"{paspor} Loket 3")
            expect(kasi.locator("#parked li .away")).to_contain_text("menunggu 0:")
            screenshot(kasi, "supervisor-1366x768-tunggu-ttd")
        serve_to_the_end(budi, next_steps=4)

    # The signed file is back: resume it where it stood and finish.
    budi.keyboard.press("K")
    expect(budi.locator("#number")).to_have_text(paspor)
    expect(budi.locator("#steps li.current .name")).to_have_text(
        "Wawancara PMI dan pemeriksaan berkas"
    )
    expect(budi.locator("#steps li.current .handed")).to_have_text(f"diserahkan ke {KABID}")
    expect(parked).to_have_count(0)
    for _ in range(5):
        budi.keyboard.press("F7")
    budi.keyboard.press("F9")
    expect(budi.locator("#number")).to_have_text("–")
    expect(budi.locator("#today")).to_contain_text("dilayani 3")

    kasi.goto(f"{hub.url}/supervisor/report")
    expect(kasi.locator("#report-steps")).to_contain_text(f"TTD: {KABID} (pengganti) 1×")
    kasi.locator("#report-steps tr", has_text="TTD:").scroll_into_view_if_needed()
    screenshot(kasi, "report-1366x768-signed-by")

    # A visitor sent away for a missing document comes back the same day and is served.
    returned = issue(hub, "id-ctki")
    budi.keyboard.press("F2")
    expect(budi.locator("#number")).to_have_text(returned)
    budi.keyboard.press("F4")
    budi.keyboard.press("F10")
    expect(budi.locator("#choose-options")).to_be_visible()
    budi.keyboard.press("ArrowDown")  # the dialog has a field: the list is reached with ↓
    budi.keyboard.press("Enter")
    expect(budi.locator("#number")).to_have_text("–")
    budi.keyboard.press("N")
    expect(budi.locator("#choose-input")).to_be_focused()
    budi.keyboard.type(returned.replace("-0", "").lower())
    budi.keyboard.press("Enter")
    expect(budi.locator("#number")).to_have_text(returned)
    serve_to_the_end(budi, next_steps=4)
    expect(budi.locator("#today")).to_contain_text("dikembalikan 1")
    expect(budi.locator("#today")).to_contain_text("kembali dilayani 1")

    # SIAPkerja is down: the visit is finished "belum diinput online", entered later.
    offline = issue(hub, "id-ctki")
    budi.keyboard.press("F2")
    expect(budi.locator("#number")).to_have_text(offline)
    serve_to_the_end(budi, next_steps=4, finish_key="O")
    expect(budi.locator("#today")).to_contain_text("belum diinput online 1")
    kasi.goto(f"{hub.url}/supervisor")
    expect(kasi.locator("#backlog-count")).to_have_text("1 kunjungan")
    expect(kasi.locator(".counter-card[data-counter='3'] .today")).to_contain_text(
        "dikembalikan 1 · kembali dilayani 1 · belum diinput online 1"
    )
    budi.goto(f"{hub.url}/supervisor/backlog")
    row = budi.locator("#backlog tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(offline)
    expect(row).to_contain_text("Loket 3 · budi")
    expect(budi.locator("#summary")).to_have_text("1 kunjungan belum diinput.")
    screenshot(budi, "backlog-1366x768")
    row.locator("button", has_text="Sudah diinput").click()
    today = long_date(datetime.now(ZoneInfo("Asia/Jakarta")).date())  # the hub's own clock
    expect(budi.locator("#message")).to_contain_text(
        f"Nomor {offline} ({today}) dicatat sudah diinput oleh budi pukul"
    )
    expect(budi.locator("#summary")).to_have_text(
        "Semua kunjungan sudah diinput. Tidak ada tunggakan."
    )
    expect(row).to_have_count(0)
    kasi.reload()
    expect(kasi.locator("#backlog-count")).to_have_text("tidak ada")

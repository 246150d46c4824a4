"""Entering paper-number visits over HTTP, for today and for a day the hub was down."""

from __future__ import annotations

from datetime import date

from tests.web.conftest import bearer

VISIT = {
    "tanggal": "2026-11-23",
    "service": "ak1-baru",
    "number": "A-007",
    "counter": "1",
    "issued": "07.40",
    "started": "07:45",
    "finished": "07.55",
    "outcome": "selesai",
}


def enter(client, token, **changes):
    return client.post("/catat-kertas", json={**VISIT, **changes}, headers=bearer(token))


def test_an_officer_enters_a_paper_visit_for_today(client, tokens, hub):
    answer = enter(client, tokens.officer)
    assert answer.status_code == 201, answer.json
    assert answer.json["visit"] == {
        "number": "A-007",
        "service": "ak1-baru",
        "service_name": "Kartu AK1 (Kartu Pencari Kerja) - Baru",
        "outcome": "selesai",
        "issued": "07.40",
        "started": "07.45",
        "finished": "07.55",
        "counter": "1",
        "counter_name": "Loket 1",
        "recorded_by": "budi",
        "return_reason": None,
    }
    today = hub.queue.today()
    assert [t.number for t in today.tickets.values() if t.entered_afterwards] == ["A-007"]
    assert client.get("/api/queue", headers=bearer(tokens.officer)).status_code == 200


def test_a_past_day_gets_its_paper_visits_in_its_own_stream_and_report(client, tokens, hub):
    answer = enter(
        client,
        tokens.supervisor,
        tanggal="2026-11-20",
        issued="13.05",
        started=None,
        finished=None,
        outcome="terlewat",
    )
    assert answer.status_code == 201, answer.json
    stored = hub.store.read(hub.queue.stream_name(date(2026, 11, 20)))
    assert [e.type for e in stored] == ["PaperVisitRecorded"]
    assert stored[0].data["recorded_by"] == "kasi"
    assert hub.store.read(hub.queue.stream_name(date(2026, 11, 23))) == []
    report = client.get("/supervisor/report?date=2026-11-20", headers=bearer(tokens.supervisor))
    assert "Ditambah <strong>1</strong> kunjungan dengan nomor kertas" in report.text
    page = client.get("/catat-kertas?tanggal=2026-11-20", headers=bearer(tokens.officer))
    assert page.status_code == 200
    assert "A-007" in page.text and "terlewat" in page.text


def test_the_same_paper_number_twice_is_refused_kindly(client, tokens):
    assert enter(client, tokens.officer).status_code == 201
    again = enter(client, tokens.officer)
    assert again.status_code == 409
    assert again.json["error"] == (
        "Nomor kertas A-007 untuk Kartu AK1 (Kartu Pencari Kerja) - Baru "
        "sudah dicatat pada hari itu."
    )


def test_bad_entries_get_a_clear_message_and_store_nothing(client, tokens, hub):
    cases = [
        ({"tanggal": "23-11-2026"}, 400, "format TTTT-BB-HH"),
        ({"tanggal": "2026-11-24"}, 400, "belum terjadi"),
        ({"issued": "jam 8"}, 400, "Jam ambil nomor: tulis jam seperti 09.15"),
        ({"started": "24.10"}, 400, "Jam mulai dilayani: tulis jam"),
        ({"number": "x" * 65}, 400, None),
        ({"service": "paspor"}, 404, None),
        ({"outcome": "hilang"}, 422, "Hasil layanan harus"),
        ({"finished": "07.30"}, 422, "Urutan jam"),
        ({"finished": "23.00"}, 422, "masa depan"),
    ]
    for changes, status, message in cases:
        answer = enter(client, tokens.officer, **changes)
        assert answer.status_code == status, (changes, answer.json)
        if message:
            assert message in answer.json["error"], (changes, answer.json)
    assert hub.queue.today().tickets == {}


def test_only_staff_enter_paper_visits(client, tokens):
    assert enter(client, tokens.kiosk).status_code == 403
    assert enter(client, tokens.display).status_code == 403
    assert client.post("/catat-kertas", json=VISIT).status_code == 401

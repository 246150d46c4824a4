"""What the hub says after a command: the panel's feedback line and the phone's wording."""

from __future__ import annotations

from tests.web.conftest import bearer


def test_a_finish_reports_minutes_and_a_visit_of_seconds_is_too_short(api, clock):
    api.issue()
    api.issue()
    for number, seconds, said in (
        ("A-001", 12 * 60, "A-001 selesai, 12 mnt"),
        ("A-002", 6, "A-002 selesai, 6 dtk (terlalu singkat)"),
    ):
        api.counter("1", "call-next")
        api.counter("1", "start")
        for _ in range(8):
            api.counter("1", "next-step")
        clock.advance(seconds)
        answer = api.counter("1", "finish").json
        assert answer["done"] == said, number


def test_a_return_and_a_transfer_are_said_and_a_call_says_nothing(api):
    api.issue()
    api.issue()
    assert api.counter("1", "call-next").json["done"] == ""
    api.counter("1", "start")
    assert api.counter("1", "return", {"reason": "KTP"}).json["done"] == "A-001 dikembalikan: KTP"
    api.counter("1", "call-next")
    api.counter("1", "start")
    moved = api.counter("1", "transfer", {"counter": "konseling"}).json
    assert moved["done"] == "A-002 dialihkan ke Meja Konseling"


def phone(client, token):
    return client.get(f"/t/{token}.json").json


def token_of(api, number):
    return api.issue().json["status_url"].rsplit("/", 1)[1]


def test_the_phone_tells_a_manual_skip_from_the_call_limit(api, client):
    first = token_of(api, "A-001")
    second = token_of(api, "A-002")
    api.counter("1", "call-next")
    assert phone(client, first)["call_text"] == "Panggilan ke-1 dari 3"
    api.counter("1", "skip")
    assert phone(client, first)["skip_reason"] == (
        "Nomor Anda dilewati petugas setelah dipanggil sekali."
    )
    api.counter("1", "call-next")
    api.counter("1", "recall")
    api.counter("1", "recall")
    assert phone(client, second)["call_text"] == "Panggilan ke-3 dari 3 (terakhir)"
    api.counter("1", "skip")
    assert phone(client, second)["skip_reason"] == "Nomor Anda dilewati setelah dipanggil 3 kali."


def test_the_phone_names_the_missing_requirement_never_the_officers_words(api, client):
    listed = token_of(api, "A-001")
    typed = token_of(api, "A-002")
    api.counter("1", "call-next")
    api.counter("1", "start")
    requirement = client.get("/api/services").json["services"][0]["requirements"][0]
    api.counter("1", "return", {"reason": requirement})
    api.counter("1", "call-next")
    api.counter("1", "start")
    api.counter("1", "return", {"reason": "Pak Budi minta fotokopi lagi"})
    assert phone(client, listed)["return_reason"] == requirement
    assert phone(client, typed)["return_reason"] == "Berkas belum lengkap"


def test_the_next_number_says_why_it_is_next(api, client, tokens):
    api.issue()
    api.issue(priority="lansia")
    state = client.get("/counter/state?counter=1", headers=bearer(tokens.officer)).json
    assert (state["next_number"], state["next_reason"]) == ("A-002", "prioritas lansia")
    assert state["waiting"][0]["priority_numbers"] == ["A-002"]


def test_an_unknown_ticket_page_is_an_indonesian_page(client):
    response = client.get("/t/kemarin-punya")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Nomor antrian tidak ditemukan" in page
    assert "Not Found" not in page
    assert '<html lang="id">' in page

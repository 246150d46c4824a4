"""The IKM survey over HTTP, on both stores: one response per visit, only for a finished
visit, bad input refused with a clear message and nothing stored."""

from __future__ import annotations

import re

import pytest

from shared.app import close_app, create_app
from tests.web.conftest import bearer

ALL_FOURS = [4] * 9
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


@pytest.fixture
def survey_app(settings, clock, store):
    """The hub on each store adapter (SQLite file and real Redis)."""
    app = create_app(settings, store=store, clock=clock, secret_key="test-secret")
    app.config["TESTING"] = True
    yield app
    close_app(app)


@pytest.fixture
def hub(survey_app):
    return survey_app.extensions["antrian"]


@pytest.fixture
def client(survey_app):
    return survey_app.test_client()


def token_of(issued: dict) -> str:
    return issued["status_url"].rsplit("/t/", 1)[1]


def finished_visit(api, clock) -> str:
    """Issue a ticket and serve it through every step at counter 1; its status token."""
    issued = api.issue().json
    assert api.counter("1", "call-next").status_code == 200
    assert api.counter("1", "start").status_code == 200
    for _ in range(8):
        clock.advance(60)
        api.counter("1", "next-step")
    finished = api.counter("1", "finish")
    assert finished.status_code == 200, finished.json
    return token_of(issued)


def phone_csrf(client, token: str) -> dict[str, str]:
    page = client.get(f"/t/{token}")
    found = CSRF.search(page.get_data(as_text=True))
    assert found, page.get_data(as_text=True)[:500]
    return {"X-CSRF-Token": found.group(1)}


def answer(client, token, body, headers=None):
    return client.post(
        f"/t/{token}/survei", json=body, headers=headers or phone_csrf(client, token)
    )


def survey_events(app) -> list:
    survey = app.extensions["antrian_survey"]
    return survey.store.read(survey.stream)


def test_a_finished_visit_is_rated_once_from_its_phone(api, client, clock, survey_app, hub):
    token = finished_visit(api, clock)
    page = client.get(f"/t/{token}").get_data(as_text=True)
    assert "Bagaimana pelayanan kami hari ini?" in page and 'data-state="open"' in page
    body = {
        "scores": [4, 3, 3, 4, 3, 3, 4, 2, 3],
        "profile": {"usia": "20-29 tahun", "jenis_kelamin": "Perempuan"},
        "saran": "Antrian tertib, ruang tunggu panas.",
    }
    first = answer(client, token, body)
    assert first.status_code == 201, first.json
    again = answer(client, token, body)
    assert (again.status_code, again.json["error"]) == (
        409,
        "Survei untuk nomor ini sudah diisi. Terima kasih.",
    )
    events = survey_events(survey_app)
    assert len(events) == 1
    data = events[0].data
    assert data["scores"] == body["scores"] and data["channel"] == "ponsel"
    assert data["visit"]["number"] == "A-001" and data["visit"]["counter"] == "1"
    assert set(data) == {
        "response_id", "at", "answered_on", "channel", "scores", "profile", "saran", "visit",
    }  # fmt: skip
    # Who served the visit is not part of the response: the IKM rates the office.
    assert "budi" not in str(data)
    assert client.get(f"/t/{token}/survei.json").json == {"state": "answered"}


def test_a_ticket_not_yet_finished_is_refused_and_nothing_stored(api, client, survey_app):
    token = token_of(api.issue().json)
    page = client.get(f"/t/{token}").get_data(as_text=True)
    assert 'data-state="not_finished"' in page  # the form stays hidden until it is done
    refused = answer(client, token, {"scores": ALL_FOURS})
    assert (refused.status_code, refused.json["error"]) == (
        409,
        "Survei dapat diisi setelah layanan selesai.",
    )
    assert survey_events(survey_app) == []


def test_a_forged_token_is_refused(api, client, survey_app, clock):
    real = finished_visit(api, clock)
    headers = phone_csrf(client, real)
    for forged in (
        "AAAAAAAAAAAAAAAAAAAAAA",
        real[:-1] + ("x" if real[-1] != "x" else "y"),
        "x" * 5000,
    ):
        refused = client.post(f"/t/{forged}/survei", json={"scores": ALL_FOURS}, headers=headers)
        assert refused.status_code == 404
        assert refused.json["error"].startswith("Nomor antrian tidak ditemukan.")
    assert client.get("/t/AAAAAAAAAAAAAAAAAAAAAA/survei").status_code == 404
    assert survey_events(survey_app) == []


def test_without_the_pages_csrf_token_nothing_is_stored(api, client, survey_app, clock):
    token = finished_visit(api, clock)
    phone_csrf(client, token)  # a session exists, but the header is missing
    refused = client.post(f"/t/{token}/survei", json={"scores": ALL_FOURS})
    assert refused.status_code == 403
    assert survey_events(survey_app) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Jawaban survei harus berisi 9 nilai."),
        ({"scores": [None] * 9}, "Jawablah paling sedikit satu pertanyaan."),
        ({"scores": [5] + [4] * 8}, "Setiap jawaban bernilai 1 sampai 4, atau dikosongkan."),
        ({"scores": [True] + [4] * 8}, "Setiap jawaban bernilai 1 sampai 4, atau dikosongkan."),
        ({"scores": [4] * 8}, "Jawaban survei harus berisi 9 nilai."),
        (
            {"scores": ALL_FOURS, "saran": "x" * 10_000},
            "Saran terlalu panjang (10.000 karakter); maksimal 1.000 karakter.",
        ),
        ({"scores": ALL_FOURS, "saran": 12}, "Saran harus berupa teks."),
        (
            {"scores": ALL_FOURS, "profile": {"nama": "Budi"}},
            "Profil responden hanya berisi usia, jenis kelamin, pendidikan, pekerjaan.",
        ),
        ({"scores": ALL_FOURS, "profile": {"usia": "33"}}, "Pilihan usia tidak dikenal."),
    ],
)
def test_bad_answers_get_a_clear_message_and_store_nothing(
    api, client, survey_app, clock, body, message
):
    token = finished_visit(api, clock)
    refused = answer(client, token, body)
    assert (refused.status_code, refused.json["error"]) == (422, message)
    assert survey_events(survey_app) == []
    # The visit can still be rated once the answer is right.
    assert answer(client, token, {"scores": ALL_FOURS}).status_code == 201


def test_html_in_the_saran_is_stored_as_text(api, client, survey_app, clock):
    token = finished_visit(api, clock)
    saran = '<script>alert("x")</script><b>AC mati</b>'
    assert answer(client, token, {"scores": ALL_FOURS, "saran": saran}).status_code == 201
    assert survey_events(survey_app)[0].data["saran"] == saran


def test_two_answers_racing_for_one_visit_store_one(api, client, survey_app, clock, store):
    """Two hub processes' services over the same store: the version check decides."""
    token = finished_visit(api, clock)
    hub = survey_app.extensions["antrian"]
    from shared.survey_service import SurveyService

    first = survey_app.extensions["antrian_survey"]
    second = SurveyService(store, hub.catalogue, hub.queue, first.questionnaire)
    visit_a, visit_b = first.visit_for_token(token), second.visit_for_token(token)
    first.submit({"scores": ALL_FOURS}, visit_a, "ponsel")  # b has not read it yet
    from shared.domain.survey import SurveyAlreadyAnswered

    with pytest.raises(SurveyAlreadyAnswered):
        second.submit({"scores": [1] * 9}, visit_b, "tablet")
    assert len(survey_events(survey_app)) == 1


def test_yesterdays_visit_may_be_rated_until_the_next_office_day_ends(
    api, client, survey_app, clock
):
    token = finished_visit(api, clock)  # Monday 23 November 2026
    clock.advance(24 * 3600)  # Tuesday: the ticket's own page is gone, its survey is not
    moved = client.get(f"/t/{token}")
    assert moved.status_code == 302 and moved.location.endswith(f"/t/{token}/survei")
    page = client.get(f"/t/{token}/survei").get_data(as_text=True)
    assert "A-001" in page and 'data-state="open"' in page
    clock.advance(24 * 3600)  # Wednesday: too late for this visit
    late = answer(client, token, {"scores": ALL_FOURS}, headers=phone_csrf_from(client, token))
    assert late.status_code == 409 and late.json["error"].startswith("Waktu pengisian survei")
    assert survey_events(survey_app) == []


def phone_csrf_from(client, token):
    page = client.get(f"/t/{token}/survei")
    return {"X-CSRF-Token": CSRF.search(page.get_data(as_text=True)).group(1)}


@pytest.fixture
def tablet(hub):
    """The bearer token of a paired survey tablet."""
    return hub.accounts.add_device("tablet-keluar", "survey")


def test_the_tablet_ties_a_response_to_a_typed_number_or_a_scanned_code(
    api, client, survey_app, clock, tablet
):
    typed = finished_visit(api, clock)
    scanned = finished_visit(api, clock)
    page = client.get("/survei", headers=bearer(tablet))
    assert page.status_code == 200 and "Ketik atau pindai nomor antrian" in page.get_data(True)
    looked = client.post("/survei/kunjungan", json={"ref": "a1"}, headers=bearer(tablet))
    assert looked.json == {"number": "A-001", "service_name": looked.json["service_name"]}
    by_number = {"ref": "A-001", "scores": ALL_FOURS}
    assert client.post("/survei/jawaban", json=by_number, headers=bearer(tablet)).status_code == 201
    # A USB scanner types the QR code's whole status URL.
    by_qr = {"ref": f"http://192.168.1.10:5000/t/{scanned}", "scores": [3] * 9}
    assert client.post("/survei/jawaban", json=by_qr, headers=bearer(tablet)).status_code == 201
    anonymous = {"scores": [2] * 9, "saran": "Kursi kurang."}
    assert client.post("/survei/jawaban", json=anonymous, headers=bearer(tablet)).status_code == 201
    again = client.post("/survei/jawaban", json=by_number, headers=bearer(tablet))
    assert (again.status_code, again.json["error"]) == (
        409,
        "Survei untuk nomor ini sudah diisi. Terima kasih.",
    )
    # The phone cannot rate the visit the tablet already rated.
    assert answer(client, typed, {"scores": ALL_FOURS}).status_code == 409
    events = survey_events(survey_app)
    assert [(e.data["channel"], (e.data["visit"] or {}).get("number")) for e in events] == [
        ("tablet", "A-001"),
        ("tablet", "A-002"),
        ("tablet", None),
    ]


def test_the_tablet_refuses_unknown_and_unfinished_numbers(api, client, survey_app, tablet):
    api.issue()  # A-001, waiting
    for ref, message in (
        ("A-001", "Survei dapat diisi setelah layanan selesai."),
        ("B-999", "Nomor antrian tidak ditemukan."),
        ("<img src=x>", "Nomor antrian tidak ditemukan."),
        ("http://hub/t/AAAAAAAAAAAAAAAAAAAAAA", "Nomor antrian tidak ditemukan."),
    ):
        refused = client.post("/survei/kunjungan", json={"ref": ref}, headers=bearer(tablet))
        assert refused.json["error"].startswith(message), ref
        body = {"ref": ref, "scores": ALL_FOURS}
        assert client.post("/survei/jawaban", json=body, headers=bearer(tablet)).status_code >= 400
    assert survey_events(survey_app) == []


def test_a_survey_tablet_reaches_no_staff_route_and_others_cannot_use_its_pages(
    api, client, tokens, tablet
):
    for method, path in (
        ("get", "/counter/state?counter=1"),
        ("get", "/supervisor/state"),
        ("get", "/laporan/ikm"),
        ("get", "/laporan/ikm.xlsx"),
        ("get", "/api/queue"),
        ("post", "/api/counters/1/call-next"),
        ("post", "/api/tickets"),
        ("post", "/kiosk/tickets"),
    ):
        answer_ = getattr(client, method)(path, headers=bearer(tablet), json={})
        assert answer_.status_code in (401, 403), (path, answer_.status_code)
    for token in (tokens.kiosk, tokens.display):
        assert client.get("/survei", headers=bearer(token)).status_code == 403
        refused = client.post("/survei/jawaban", json={"scores": ALL_FOURS}, headers=bearer(token))
        assert refused.status_code == 403
    assert client.get("/survei").status_code == 302  # a stranger is sent to pairing


def supervisor_page(client, tokens, path):
    return client.get(path, headers=bearer(tokens.supervisor))


def test_the_ikm_report_shows_the_hand_computed_ikm_and_escapes_saran(
    api, client, survey_app, clock, tokens, tablet
):
    phone = finished_visit(api, clock)
    finished_visit(api, clock)  # A-002, rated on the tablet
    answer(
        client,
        phone,
        {"scores": [4, 3, 3, 4, 3, 3, 4, 2, 3], "saran": "<script>alert(1)</script>=1+1"},
    )
    tablet_body = {
        "ref": "A-002",
        "scores": [3, 3, 2, 4, 3, 4, 4, 3, 3],
        "profile": {"usia": "30-39 tahun"},
    }
    assert (
        client.post("/survei/jawaban", json=tablet_body, headers=bearer(tablet)).status_code == 201
    )
    anonymous = {"scores": [3, 2, 3, None, 3, 3, 4, 2, None]}
    assert client.post("/survei/jawaban", json=anonymous, headers=bearer(tablet)).status_code == 201
    # By hand: NRR 10/3, 8/3, 8/3, 4, 3, 10/3, 4, 7/3, 3 -> sum 85/3; IKM = 85/3 / 9 x 25
    # = 78,70 -> B (Baik). Population: 2 finished visits -> minimum sample 2 (ask everyone).
    page = supervisor_page(client, tokens, "/laporan/ikm").get_data(as_text=True)
    assert 'id="ikm-period">Semester II 2026<' in page
    assert 'id="ikm-value">78,70<' in page and "Mutu B · Baik" in page
    assert 'id="ikm-respondents">3<' in page and 'id="ikm-population">2<' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;=1+1" in page and "<script>alert(1)" not in page
    assert "Belum representatif" not in page  # 3 responses >= 2
    # The weakest element first: U8 (7/3 = 2,3333, D).
    first_row = page.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert "U8" in first_row and "2,3333" in first_row and ">D<" in first_row

    from io import BytesIO

    from openpyxl import load_workbook

    xlsx = supervisor_page(client, tokens, "/laporan/ikm.xlsx")
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(BytesIO(xlsx.data))
    sheet = book["Tabulasi"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value is not None}
    ikm_label = cells["IKM UNIT PELAYANAN (Σ NRR tertimbang x 25)"]
    assert sheet.cell(ikm_label.row, 4).value == 78.7
    assert [sheet.cell(6, col).value for col in range(1, 11)] == [1, 4, 3, 3, 4, 3, 3, 4, 2, 3]
    saran = book["Saran"].cell(2, 3)
    assert saran.value == "<script>alert(1)</script>=1+1" and saran.data_type == "s"


def test_the_report_says_when_the_survey_is_not_yet_representative(api, client, clock, tokens):
    for _ in range(12):
        finished_visit(api, clock)
    page = supervisor_page(client, tokens, "/laporan/ikm").get_data(as_text=True)
    assert "Belum representatif:" in page
    assert "0 responden dari sampel minimal 14 untuk 12 kunjungan (kurang 14)" in page
    assert "IKM belum dapat dihitung" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?semester=2026-3", "Semester &#39;2026-3&#39; tidak dikenali"),
        ("?semester=0000-1", "Semester &#39;0000-1&#39; tidak dikenali"),
        ("?dari=2026-13-01&sampai=2026-12-31", "Tanggal tidak dikenali"),
        ("?dari=2026-12-31&sampai=2026-01-01", "harus sebelum"),
        ("?dari=2020-01-01&sampai=2026-12-31", "Rentang paling lama 366 hari"),
    ],
)
def test_a_bad_period_is_explained(client, tokens, query, message):
    refused = supervisor_page(client, tokens, f"/laporan/ikm{query}")
    assert refused.status_code == 400 and message in refused.get_data(as_text=True)


def test_officers_do_not_see_the_ikm_report(client, tokens):
    assert client.get("/laporan/ikm", headers=bearer(tokens.officer)).status_code == 403


def test_the_tv_and_tablet_hear_the_survey_prompt_when_configured(app_with, clock):
    from shared.survey_config import SurveyConfig
    from tests.web.conftest import Api

    app = app_with(survey=SurveyConfig(prompt_after_finish="both"))
    hub, client, tokens = signed_up(app)
    tv = hub.socketio.test_client(app, auth={"token": tokens.display})
    tablet_token = hub.accounts.add_device("tablet-1", "survey")
    tablet = hub.socketio.test_client(app, auth={"token": tablet_token})
    for screen in (tv, tablet):
        screen.get_received()
    finished_visit(Api(client, tokens), clock)
    for screen in (tv, tablet):
        prompts = [m["args"][0] for m in screen.get_received() if m["name"] == "survey_prompt"]
        assert prompts == [{"number": "A-001", "on": ["tv", "tablet"]}]
        screen.disconnect()
    page = client.get("/display", headers=bearer(tokens.display)).get_data(as_text=True)
    assert 'data-prompt="on"' in page


def test_no_prompt_unless_configured(api, clock, survey_app, hub, tokens):
    tv = hub.socketio.test_client(survey_app, auth={"token": tokens.display})
    tv.get_received()
    finished_visit(api, clock)
    assert "survey_prompt" not in [m["name"] for m in tv.get_received()]
    tv.disconnect()


def test_the_last_closed_semester_is_published_on_the_tv_and_kiosk(app_with, clock):
    from datetime import UTC, datetime

    from shared.survey_config import SurveyConfig
    from tests.web.conftest import Api

    app = app_with(survey=SurveyConfig(publish=True))
    hub, client, tokens = signed_up(app)
    kiosk_page = client.get("/kiosk", headers=bearer(tokens.kiosk)).get_data(as_text=True)
    assert "ikm-published" not in kiosk_page  # nothing rated in Semester I 2026
    clock.now = datetime(2026, 5, 4, 1, 0, tzinfo=UTC)  # a Monday in Semester I
    token = finished_visit(Api(client, tokens), clock)
    assert answer(client, token, {"scores": [4, 3, 3, 4, 3, 3, 4, 3, 3]}).status_code == 201
    clock.now = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    # 30 / 9 x 25 = 83,33 -> B (Baik)
    line = "IKM Semester I 2026: 83,33 - B (Baik)"
    assert line in client.get("/kiosk", headers=bearer(tokens.kiosk)).get_data(as_text=True)
    tv_page = client.get("/display", headers=bearer(tokens.display)).get_data(as_text=True)
    assert f'data-ikm="{line}"' in tv_page


def signed_up(app):
    """A hub built by app_with, with an officer, a kiosk and a TV: (hub, client, tokens)."""
    from tests.web.conftest import PASSWORD, Tokens

    hub = app.extensions["antrian"]
    client = app.test_client()
    hub.accounts.add_user("budi", "officer", PASSWORD)
    login = {"username": "budi", "password": PASSWORD}
    officer = client.post("/api/login", json=login).json["token"]
    kiosk = hub.accounts.add_device("kiosk-1", "kiosk")
    return hub, client, Tokens(kiosk, hub.accounts.add_device("tv-1", "display"), officer, "")


def test_while_the_store_is_down_nothing_is_lost_silently(settings, clock, tmp_path):
    from shared.errors_web import STORE_BUSY
    from shared.store.sqlite import SqliteEventStore
    from tests.web.conftest import Api
    from tests.web.test_store_outage import unplug

    store = SqliteEventStore(tmp_path / "antrian.db")
    app = create_app(settings, store=store, clock=clock, secret_key="test")
    try:
        hub, client, tokens = signed_up(app)
        tablet = hub.accounts.add_device("tablet-1", "survey")
        token = finished_visit(Api(client, tokens), clock)
        headers = phone_csrf(client, token)
        unplug(store)
        down = answer(client, token, {"scores": ALL_FOURS}, headers=headers)
        assert (down.status_code, down.json) == (503, {"error": STORE_BUSY})
        body = {"ref": "A-001", "scores": ALL_FOURS}
        down = client.post("/survei/jawaban", json=body, headers=bearer(tablet))
        assert (down.status_code, down.json) == (503, {"error": STORE_BUSY})
    finally:
        close_app(app)


def test_a_friday_visit_may_be_rated_until_the_next_open_day_ends(survey_app):
    from dataclasses import replace
    from datetime import date, time

    from shared.domain.catalogue import Holiday, OpeningHours
    from shared.survey_service import SurveyService

    hub = survey_app.extensions["antrian"]
    weekdays = tuple(OpeningHours(d, time(7, 30), time(15)) for d in range(5))
    holiday = Holiday(date(2026, 12, 25), "Hari Raya Natal")  # a Friday
    catalogue = replace(hub.catalogue, opening_hours=weekdays, holidays=(holiday,))
    survey = SurveyService(hub.store, catalogue, hub.queue, ())
    assert survey.next_office_day(date(2026, 11, 27)) == date(2026, 11, 30)  # Fri -> Mon
    assert survey.next_office_day(date(2026, 11, 23)) == date(2026, 11, 24)  # Mon -> Tue
    assert survey.next_office_day(date(2026, 12, 24)) == date(2026, 12, 28)  # Thu -> Mon


def test_with_the_survey_switched_off_nothing_is_taken(app_with, clock):
    from shared.survey_config import SurveyConfig
    from tests.web.conftest import Api

    app = app_with(survey=SurveyConfig(enabled=False))
    hub, client, tokens = signed_up(app)
    token = finished_visit(Api(client, tokens), clock)
    assert 'id="survey"' not in client.get(f"/t/{token}").get_data(as_text=True)
    refused = answer(client, token, {"scores": ALL_FOURS})
    assert (refused.status_code, refused.json["error"]) == (
        404,
        "Survei kepuasan tidak diadakan di kantor ini.",
    )


def test_yesterdays_unfinished_ticket_says_it_is_gone_not_an_empty_survey(
    api, client, survey_app, clock
):
    """A ticket never served (skipped, left) has nothing to rate on a later day: its QR code
    says the ticket was for its own day, rather than leading to a blank survey page."""
    token = token_of(api.issue().json)  # Monday, never called
    clock.advance(24 * 3600)
    gone = client.get(f"/t/{token}")
    assert gone.status_code == 404
    assert "Tiket hanya berlaku pada hari diambil" in gone.get_data(as_text=True)
    assert client.get(f"/t/{token}/survei").status_code == 404

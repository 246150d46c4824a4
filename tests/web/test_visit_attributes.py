"""Visit attributes (statistics, never personal data) recorded by the officer while serving."""

from __future__ import annotations

from datetime import date

import pytest

from shared.reports.register import visit_register
from shared.reports.summaries import SummaryService
from tests.web.conftest import bearer

STREAM = "office:disnaker-lamongan:day:2026-11-23"


def serving(api, service="ak1-baru"):
    api.issue(service)
    api.counter("1" if service.startswith("ak1") else "3", "call-next")
    api.counter("1" if service.startswith("ak1") else "3", "start")


def record(api, attributes, counter="1"):
    return api.counter(counter, "record-attributes", {"attributes": attributes})


def panel(client, tokens, counter="1"):
    return client.get(f"/counter/state?counter={counter}", headers=bearer(tokens.officer)).json


def test_recorded_values_show_on_the_panel_and_in_the_register(api, client, tokens, hub):
    serving(api)
    state = panel(client, tokens)
    assert "record_attributes" in state["allowed"]
    assert state["service"]["attributes"] == [
        {"key": "jenis_kelamin", "label": "Jenis kelamin", "choices": ["L", "P"]},
        {
            "key": "pendidikan",
            "label": "Pendidikan",
            "choices": ["SD", "SMP", "SMA/SMK", "D1-D3", "D4/S1", "S2/S3"],
        },
    ]
    assert state["visit_attributes"] == {}
    assert record(api, {"jenis_kelamin": "L"}).status_code == 200
    assert record(api, {"pendidikan": "D4/S1"}).status_code == 200
    assert record(api, {"jenis_kelamin": "P"}).status_code == 200  # a slip, corrected
    assert panel(client, tokens)["visit_attributes"] == {
        "jenis_kelamin": "P",
        "pendidikan": "D4/S1",
    }
    api.counter("1", "next-step")
    for _ in range(7):
        api.counter("1", "next-step")
    assert api.counter("1", "finish").status_code == 200
    reports = SummaryService(hub.queue.store, hub.catalogue)
    (row,) = reports.register(date(2026, 11, 23)).visits
    assert row.attributes == (("jenis_kelamin", "P"), ("pendidikan", "D4/S1"))
    (digest,) = reports.summary(date(2026, 11, 23)).visits
    assert digest.attributes == row.attributes


def test_the_same_value_again_records_nothing_new(api, hub):
    serving(api)
    assert record(api, {"jenis_kelamin": "P"}).status_code == 200
    version = hub.queue.store.version(STREAM)
    assert record(api, {"jenis_kelamin": "P"}).status_code == 200  # a double press
    assert hub.queue.store.version(STREAM) == version


@pytest.mark.parametrize(
    ("attributes", "status", "says"),
    [
        ({"nama": "Budi"}, 422, "Atribut 'nama' tidak dicatat untuk layanan"),
        ({"jenis_kelamin": "X"}, 422, "'X' bukan pilihan Jenis kelamin: pilih L, P."),
        ({"jenis_kelamin": "<b>P</b>" * 7}, 422, "'<b>P</b><b>P</b><b>P</b><b>P</b><b>P</b>…'"),
        ({}, 400, "Kolom 'attributes' harus berisi atribut dan pilihannya"),
        ({"jenis_kelamin": 1}, 400, "Kolom 'attributes' harus berisi"),
        ({"jenis_kelamin": "P" * 65}, 400, "terlalu panjang (maksimal 64 karakter)"),
        ({f"k{i}": "P" for i in range(17)}, 400, "Kolom 'attributes' harus berisi"),
    ],
)
def test_bad_attributes_are_refused_and_store_nothing(api, hub, attributes, status, says):
    serving(api)
    version = hub.queue.store.version(STREAM)
    answer = record(api, attributes)
    assert answer.status_code == status
    assert says in answer.json["error"]
    assert hub.queue.store.version(STREAM) == version


def test_not_a_mapping_is_a_bad_request(api):
    serving(api)
    answer = api.counter("1", "record-attributes", {"attributes": ["jenis_kelamin", "P"]})
    assert answer.status_code == 400


def test_only_while_serving_and_only_for_services_that_declare_them(api, client, tokens):
    api.issue()
    assert record(api, {"jenis_kelamin": "P"}).status_code == 409  # nobody called
    api.counter("1", "call-next")
    called = record(api, {"jenis_kelamin": "P"})
    assert called.status_code == 409 and "belum mulai dilayani" in called.json["error"]
    assert "record_attributes" not in panel(client, tokens)["allowed"]
    serving(api, "id-ctki")
    other = record(api, {"jenis_kelamin": "P"}, counter="3")
    assert other.status_code == 409
    assert "tidak mencatat atribut kunjungan" in other.json["error"]
    assert "record_attributes" not in panel(client, tokens, counter="3")["allowed"]


def test_the_public_never_sees_the_attributes(api, client):
    ticket = api.issue().json
    api.counter("1", "call-next")
    api.counter("1", "start")
    record(api, {"jenis_kelamin": "P", "pendidikan": "SMA/SMK"})
    public = client.get(f"/api/tickets/{ticket['id']}").json
    assert "SMA/SMK" not in str(public) and "jenis_kelamin" not in str(public)


def test_a_register_reads_past_event_types_it_does_not_know(hub, api):
    """Another feature (merged later, or a newer hub) may have written events this one lacks."""
    from shared.store.base import NewEvent

    serving(api)
    store = hub.queue.store
    store.append(STREAM, [NewEvent("ParkedAtSignature", {"at": "x"})], store.version(STREAM))
    rows = SummaryService(store, hub.catalogue).register(date(2026, 11, 23)).visits
    assert [r.number for r in rows] == ["A-001"]
    assert visit_register([], hub.catalogue) == []

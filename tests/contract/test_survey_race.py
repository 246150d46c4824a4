"""One response per visit on both stores, even when many devices of several processes send
theirs at the same instant: the stream's version decides, and anonymous responses all land."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from shared.config import load_settings
from shared.domain.survey import SurveyAlreadyAnswered, VisitLink
from shared.queue_service import QueueService
from shared.store import open_store
from shared.survey_service import SurveyService

ROOT = Path(__file__).resolve().parents[2]
SENDERS = 8
VISIT = VisitLink("ticket-1", date(2026, 11, 23), "A-001", "ak1-baru", "1")


def _survey(url: str, prefix: str) -> SurveyService:
    settings = load_settings(ROOT / "config.yaml")
    catalogue = settings.catalogue()
    store = open_store(url, key_prefix=prefix)
    return SurveyService(
        store, catalogue, QueueService(store, catalogue), settings.survey.questionnaire()
    )


def test_racing_responses_rate_a_visit_once_and_keep_every_anonymous_one(store_url):
    url, prefix = store_url
    start = threading.Barrier(SENDERS)
    outcomes: list[str] = []

    def send(index: int) -> None:
        survey = _survey(url, prefix)  # its own connection, as another hub process has
        survey.book()
        start.wait()
        try:
            survey.submit({"scores": [(index % 4) + 1] * 9}, VISIT, "ponsel")
            outcomes.append("stored")
        except SurveyAlreadyAnswered:
            outcomes.append("refused")
        survey.submit({"scores": [4] * 9}, None, "tablet")  # anonymous: never refused
        survey.store.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["refused"] * (SENDERS - 1) + ["stored"]
    reader = _survey(url, prefix)
    book = reader.book()
    assert len(book.responses) == SENDERS + 1
    assert [r.visit for r in book.responses if r.visit] == [VISIT]
    assert [e.version for e in reader.store.read(reader.stream)] == list(range(1, SENDERS + 2))
    reader.store.close()

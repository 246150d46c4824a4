"""Satisfaction survey responses: what one may hold, the fold of an office's responses, and
the rule that a visit is rated once. No name, NIK or phone is ever part of a response."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from shared.domain.errors import Conflict, Invalid, NotFound
from shared.domain.ikm import SCORES

SARAN_MAX_CHARS = 1000
# The respondent profile of the regulation's questionnaire, as closed lists: a visitor picks
# or skips, never types, so nothing identifying can slip in.
PROFILE_CHOICES: dict[str, tuple[str, ...]] = {
    "usia": ("Di bawah 20 tahun", "20-29 tahun", "30-39 tahun", "40-49 tahun", "50 tahun ke atas"),
    "jenis_kelamin": ("Laki-laki", "Perempuan"),
    "pendidikan": ("SD ke bawah", "SMP", "SMA/SMK", "D1-D4", "S1", "S2 ke atas"),
    "pekerjaan": (
        "Belum bekerja",
        "Pelajar/Mahasiswa",
        "Karyawan swasta",
        "Wirausaha",
        "PNS/TNI/Polri",
        "Lainnya",
    ),
}
PROFILE_LABELS = {
    "usia": "Usia",
    "jenis_kelamin": "Jenis kelamin",
    "pendidikan": "Pendidikan",
    "pekerjaan": "Pekerjaan",
}
CHANNELS = ("ponsel", "tablet")


class SurveyAlreadyAnswered(Conflict):
    def __init__(self) -> None:
        super().__init__("Survei untuk nomor ini sudah diisi. Terima kasih.")


class SurveyNotYet(Conflict):
    def __init__(self) -> None:
        super().__init__("Survei dapat diisi setelah layanan selesai.")


class SurveyClosed(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "Waktu pengisian survei untuk nomor ini sudah lewat. "
            "Anda tetap dapat mengisi survei tanpa nomor antrian."
        )


class SurveyTicketUnknown(NotFound):
    def __init__(self) -> None:
        super().__init__(
            "Nomor antrian tidak ditemukan. Periksa nomornya, atau isi survei tanpa nomor."
        )


class SurveyInvalid(Invalid):
    """A response that cannot be stored as sent; the message says what to fix."""


@dataclass(frozen=True)
class VisitLink:
    """The finished visit a response rates: public facts only, never who served it."""

    ticket_id: str
    visit_date: date
    number: str
    service: str
    counter: str | None

    @property
    def key(self) -> str:
        # Ticket ids are unique; the date keeps the key readable in the register.
        return f"{self.visit_date.isoformat()}/{self.ticket_id}"


@dataclass(frozen=True)
class SurveyResponse:
    """One respondent's answers: a score 1-4 or None per element, an optional profile and saran."""

    scores: tuple[int | None, ...]
    profile: Mapping[str, str] = field(default_factory=dict)
    saran: str = ""


@dataclass(frozen=True)
class SurveyAnswered:
    """The fact stored in the office's survey stream."""

    type_name = "SurveyAnswered"
    response_id: str
    at: datetime
    answered_on: date  # the office day it was given
    channel: str
    response: SurveyResponse
    visit: VisitLink | None

    def to_data(self) -> dict[str, Any]:
        visit = self.visit
        return {
            "response_id": self.response_id,
            "at": self.at.isoformat(),
            "answered_on": self.answered_on.isoformat(),
            "channel": self.channel,
            "scores": list(self.response.scores),
            "profile": dict(self.response.profile),
            "saran": self.response.saran,
            "visit": None
            if visit is None
            else {
                "ticket_id": visit.ticket_id,
                "visit_date": visit.visit_date.isoformat(),
                "number": visit.number,
                "service": visit.service,
                "counter": visit.counter,
            },
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> SurveyAnswered:
        raw_visit = data.get("visit")
        visit = None
        if raw_visit:
            visit = VisitLink(
                raw_visit["ticket_id"],
                date.fromisoformat(raw_visit["visit_date"]),
                raw_visit["number"],
                raw_visit["service"],
                raw_visit.get("counter"),
            )
        return cls(
            response_id=data["response_id"],
            at=datetime.fromisoformat(data["at"]),
            answered_on=date.fromisoformat(data["answered_on"]),
            channel=data["channel"],
            response=SurveyResponse(
                tuple(data["scores"]), dict(data.get("profile") or {}), data.get("saran", "")
            ),
            visit=visit,
        )

    @property
    def period_day(self) -> date:
        """The day a response counts in: its visit's day, else the day it was given."""
        return self.visit.visit_date if self.visit else self.answered_on


@dataclass
class SurveyBook:
    """Every response of an office, folded from its survey stream."""

    version: int = 0
    responses: list[SurveyAnswered] = field(default_factory=list)
    rated_visits: set[str] = field(default_factory=set)

    def apply(self, event: SurveyAnswered) -> None:
        self.responses.append(event)
        if event.visit is not None:
            self.rated_visits.add(event.visit.key)
        self.version += 1

    def rated(self, visit: VisitLink) -> bool:
        return visit.key in self.rated_visits


def decide_answer(
    book: SurveyBook,
    response: SurveyResponse,
    visit: VisitLink | None,
    *,
    response_id: str,
    now: datetime,
    today: date,
    channel: str,
) -> SurveyAnswered:
    """The fact of one response; a visit already rated is refused."""
    if visit is not None and book.rated(visit):
        raise SurveyAlreadyAnswered()
    if channel not in CHANNELS:
        raise SurveyInvalid(f"Saluran survei tidak dikenal; gunakan {', '.join(CHANNELS)}.")
    return SurveyAnswered(response_id, now, today, channel, response, visit)


def parse_response(data: Mapping[str, Any], element_count: int) -> SurveyResponse:
    """A response from what a page sent; anything off is refused with what to fix."""
    raw_scores = data.get("scores")
    if not isinstance(raw_scores, list) or len(raw_scores) != element_count:
        raise SurveyInvalid(f"Jawaban survei harus berisi {element_count} nilai.")
    scores: list[int | None] = []
    for raw in raw_scores:
        if raw is None:
            scores.append(None)
        elif isinstance(raw, int) and not isinstance(raw, bool) and raw in SCORES:
            scores.append(raw)
        else:
            raise SurveyInvalid("Setiap jawaban bernilai 1 sampai 4, atau dikosongkan.")
    if all(score is None for score in scores):
        raise SurveyInvalid("Jawablah paling sedikit satu pertanyaan.")
    profile = _profile(data.get("profile"))
    saran = data.get("saran", "")
    if saran is None:
        saran = ""
    if not isinstance(saran, str):
        raise SurveyInvalid("Saran harus berupa teks.")
    saran = saran.strip()
    if len(saran) > SARAN_MAX_CHARS:
        raise SurveyInvalid(
            f"Saran terlalu panjang ({len(saran):,} karakter); "
            f"maksimal {SARAN_MAX_CHARS:,} karakter.".replace(",", ".")
        )
    if any(ch != "\n" and not ch.isprintable() for ch in saran):
        saran = "".join(ch if ch == "\n" or ch.isprintable() else " " for ch in saran)
    return SurveyResponse(tuple(scores), profile, saran)


def _profile(raw: Any) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise SurveyInvalid("Profil responden tidak dikenali.")
    profile: dict[str, str] = {}
    for key, value in raw.items():
        if value in (None, ""):
            continue
        choices = PROFILE_CHOICES.get(key)
        if choices is None:
            raise SurveyInvalid(
                "Profil responden hanya berisi usia, jenis kelamin, pendidikan, pekerjaan."
            )
        if value not in choices:
            raise SurveyInvalid(f"Pilihan {PROFILE_LABELS[key].lower()} tidak dikenal.")
        profile[key] = value
    return profile

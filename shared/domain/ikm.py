"""The IKM (Indeks Kepuasan Masyarakat) exactly as PermenPAN-RB 14/2017 computes it.

Per element (unsur): NRR = total score / respondents who answered it; weighted NRR = NRR x 1/9
(the regulation writes the weight as 0,111); IKM = sum of weighted NRR x 25, which converts
the 1-4 scale to 25-100. Arithmetic is exact (fractions): offices publish "100" for a survey
where everyone answered 4, which 0,111 x 9 x 4 x 25 = 99,9 would not give.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

SCORES = (1, 2, 3, 4)
CONVERSION = 25  # IKM unit = weighted NRR sum x 25


@dataclass(frozen=True)
class Element:
    """One unsur: its code (U1..U9), its name, the question, and the four answers for 1..4."""

    code: str
    name: str
    question: str
    answers: tuple[str, str, str, str]


# The nine unsur of PermenPAN-RB 14/2017 (Lampiran, ruang lingkup a-i) with the questions
# and answer words of the regulation's sample questionnaire.
DEFAULT_ELEMENTS: tuple[Element, ...] = (
    Element(
        "U1",
        "Persyaratan",
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan "
        "dengan jenis pelayanannya?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Element(
        "U2",
        "Sistem, mekanisme, dan prosedur",
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    Element(
        "U3",
        "Waktu penyelesaian",
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ),
    Element(
        "U4",
        "Biaya/tarif",
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ),
    Element(
        "U5",
        "Produk spesifikasi jenis pelayanan",
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang "
        "tercantum dalam standar pelayanan dengan hasil yang diberikan?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Element(
        "U6",
        "Kompetensi pelaksana",
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    Element(
        "U7",
        "Perilaku pelaksana",
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan "
        "terkait kesopanan dan keramahan?",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
    ),
    Element(
        "U8",
        "Penanganan pengaduan, saran dan masukan",
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
    ),
    Element(
        "U9",
        "Sarana dan prasarana",
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
    ),
)

KINERJA = {"A": "Sangat Baik", "B": "Baik", "C": "Kurang Baik", "D": "Tidak Baik"}
# Lower bounds of each mutu, as the regulation's conversion table prints them. The printed
# intervals leave hairline gaps (2,5996 | 2,60; 3,064 | 3,0644; 3,532 | 3,5324): a value in a
# gap is below the next lower bound, so it takes the lower mutu.
IKM_BOUNDS = ((Decimal("88.31"), "A"), (Decimal("76.61"), "B"), (Decimal("65.00"), "C"))
NRR_BOUNDS = ((Decimal("3.5324"), "A"), (Decimal("3.0644"), "B"), (Decimal("2.60"), "C"))


def rounded(value: Fraction, places: int) -> Decimal:
    """The value rounded half up, as offices round by hand and spreadsheets print."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def ikm_mutu(ikm: Fraction) -> str:
    """Mutu A-D of an IKM, judged on the value as published (two decimals)."""
    shown = rounded(ikm, 2)
    return next((mutu for bound, mutu in IKM_BOUNDS if shown >= bound), "D")


def nrr_mutu(nrr: Fraction) -> str:
    """Mutu A-D of one element's NRR, judged on four decimals as the table is written."""
    shown = rounded(nrr, 4)
    return next((mutu for bound, mutu in NRR_BOUNDS if shown >= bound), "D")


@dataclass(frozen=True)
class ElementResult:
    """One element over a set of responses."""

    element: Element
    total: int
    respondents: int

    @property
    def nrr(self) -> Fraction | None:
        """Total / respondents who answered it; None when nobody did."""
        return Fraction(self.total, self.respondents) if self.respondents else None

    @property
    def weighted(self) -> Fraction | None:
        return self.nrr / len(DEFAULT_ELEMENTS) if self.nrr is not None else None

    @property
    def mutu(self) -> str | None:
        return nrr_mutu(self.nrr) if self.nrr is not None else None


@dataclass(frozen=True)
class IkmResult:
    """The IKM of a set of responses, with each element's part."""

    elements: tuple[ElementResult, ...]
    respondents: int

    @property
    def complete(self) -> bool:
        """True when every element has at least one answer, so the IKM is defined."""
        return all(e.respondents for e in self.elements)

    @property
    def weighted_total(self) -> Fraction | None:
        if not self.complete:
            return None
        return sum((e.nrr or Fraction(0) for e in self.elements), Fraction(0)) / len(self.elements)

    @property
    def ikm(self) -> Fraction | None:
        total = self.weighted_total
        return total * CONVERSION if total is not None else None

    @property
    def mutu(self) -> str | None:
        return ikm_mutu(self.ikm) if self.ikm is not None else None

    @property
    def kinerja(self) -> str | None:
        return KINERJA[self.mutu] if self.mutu else None

    def weakest_first(self) -> list[ElementResult]:
        """Elements by NRR, lowest first; unanswered ones last."""
        answered = sorted(
            (e for e in self.elements if e.respondents),
            key=lambda e: Fraction(e.total, e.respondents),
        )
        return answered + [e for e in self.elements if e.nrr is None]


def compute_ikm(
    responses: Sequence[Sequence[int | None]], elements: Sequence[Element] = DEFAULT_ELEMENTS
) -> IkmResult:
    """The IKM of these responses, each a score 1-4 (or None, unanswered) per element."""
    totals = [0] * len(elements)
    counts = [0] * len(elements)
    for scores in responses:
        if len(scores) != len(elements):
            raise ValueError(f"a response has {len(scores)} scores for {len(elements)} elements")
        for i, score in enumerate(scores):
            if score is None:
                continue
            if score not in SCORES:
                raise ValueError(f"score {score!r} is not 1-4")
            totals[i] += score
            counts[i] += 1
    return IkmResult(
        tuple(ElementResult(e, totals[i], counts[i]) for i, e in enumerate(elements)),
        len(responses),
    )


# The Krejcie-Morgan table (Krejcie & Morgan 1970, "Determining Sample Size for Research
# Activities", Educational and Psychological Measurement 30: 607-610), which PermenPAN-RB
# 14/2017 (Lampiran, "Penentuan jumlah responden") reproduces: population N -> sample S at
# 95 % confidence and 5 % error. A population between two rows takes the larger row's sample.
KREJCIE_MORGAN: tuple[tuple[int, int], ...] = (
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40),
    (50, 44), (55, 48), (60, 52), (65, 56), (70, 59), (75, 63), (80, 66), (85, 70),
    (90, 73), (95, 76), (100, 80), (110, 86), (120, 92), (130, 97), (140, 103),
    (150, 108), (160, 113), (170, 118), (180, 123), (190, 127), (200, 132), (210, 136),
    (220, 140), (230, 144), (240, 148), (250, 152), (260, 155), (270, 159), (280, 162),
    (290, 165), (300, 169), (320, 175), (340, 181), (360, 186), (380, 191), (400, 196),
    (420, 201), (440, 205), (460, 210), (480, 214), (500, 217), (550, 226), (600, 234),
    (650, 242), (700, 248), (750, 254), (800, 260), (850, 265), (900, 269), (950, 274),
    (1000, 278), (1100, 285), (1200, 291), (1300, 297), (1400, 302), (1500, 306),
    (1600, 310), (1700, 313), (1800, 317), (1900, 320), (2000, 322), (2200, 327),
    (2400, 331), (2600, 335), (2800, 338), (3000, 341), (3500, 346), (4000, 351),
    (4500, 354), (5000, 357), (6000, 361), (7000, 364), (8000, 367), (9000, 368),
    (10000, 370), (15000, 375), (20000, 377), (30000, 379), (40000, 380), (50000, 381),
    (75000, 382), (1000000, 384),
)  # fmt: skip


def minimum_sample(population: int) -> int:
    """The fewest respondents that represent this many visits (Krejcie-Morgan)."""
    if population <= KREJCIE_MORGAN[0][0]:
        return max(population, 0)  # ten visits or fewer: ask everyone
    for size, sample in KREJCIE_MORGAN:
        if population <= size:
            return sample
    return KREJCIE_MORGAN[-1][1]


def representative(respondents: int, population: int) -> bool:
    """True when the respondents reach the minimum sample of the population."""
    return population > 0 and respondents >= minimum_sample(population)


@dataclass(frozen=True)
class Period:
    """A reporting period: a semester by default, or any range of office days."""

    start: date
    end: date  # inclusive
    label: str

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def semester_of(day: date) -> Period:
    """The semester (I: January-June, II: July-December) holding this day."""
    if day.month <= 6:
        return Period(date(day.year, 1, 1), date(day.year, 6, 30), f"Semester I {day.year}")
    return Period(date(day.year, 7, 1), date(day.year, 12, 31), f"Semester II {day.year}")


def previous_semester(day: date) -> Period:
    """The last semester that has closed before this day."""
    current = semester_of(day)
    return semester_of(date.fromordinal(current.start.toordinal() - 1))

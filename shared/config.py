"""config.yaml read once, validated, and frozen; problems name the field and the fix."""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Mapping
from datetime import date, time
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from shared.domain.catalogue import (
    CallRules,
    Catalogue,
    Counter,
    Holiday,
    OpeningHours,
    Service,
    Step,
    VisitAttribute,
)
from shared.domain.complaints import DEFAULT_CATEGORIES
from shared.notices.config import NoticesConfig
from shared.survey_config import SurveyConfig

SLUG = r"^[a-z0-9][a-z0-9-]*$"
COUNTER_ID = r"^[A-Za-z0-9][A-Za-z0-9-]*$"
WEEKDAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")
PHRASE_FIELDS = ("letter", "number", "counter")
INDONESIAN_ZONES = "use Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)"
# People write the Indonesian zone names; zoneinfo only knows the region names.
ZONE_ALIASES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
STORE_EXAMPLES = "e.g. sqlite:///instance/antrian.db or redis://127.0.0.1:6379/0"
LOGO_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}
LOGO_MAX_BYTES = 1024 * 1024  # a logo, not a photo: every screen loads it
# Words that mean "no charge" when an office writes the cost as text.
FREE_WORDS = {"gratis", "free", "0", "rp 0", "rp0", "rp. 0", "tidak dipungut biaya"}
# A civil servant's NIP: birth date, appointment month, sex, serial (e.g. 19730707 199303 1 010).
NIP_DIGITS = 18


class ConfigError(Exception):
    """The configuration cannot be used; `problems` lists each one with its fix."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _parse_span(span: str, day: str) -> tuple[time, time]:
    match = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*-\s*(\d{1,2})[:.](\d{2})\s*", span)
    if not match:
        raise ValueError(f'{day}: write hours as "07:30-15:00" (got {span!r})')
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    try:
        opens, closes = time(h1, m1), time(h2, m2)
    except ValueError:
        raise ValueError(f"{day}: {span!r} is not a valid time span") from None
    if opens >= closes:
        raise ValueError(f"{day}: opening time must be before closing time (got {span!r})")
    return opens, closes


def _timezone_problem(value: str) -> str | None:
    """Why `value` is not a usable zoneinfo name, or None if it is."""
    try:
        ZoneInfo(value)
        return None
    except (ZoneInfoNotFoundError, ValueError):
        pass
    guess = ZONE_ALIASES.get(value.strip().upper())
    if guess is None:
        close = difflib.get_close_matches(value, sorted(available_timezones()), n=1)
        guess = close[0] if close else None
    hint = f" (did you mean {guess!r}?)" if guess else ""
    return f"{value!r} is not a time zone name{hint}; {INDONESIAN_ZONES}"


def _store_url_problem(url: str) -> str | None:
    """Why the store URL cannot be opened, or None if its form is right."""
    if url.startswith("sqlite:///"):
        if not url.removeprefix("sqlite:///").strip("/"):
            return "needs a file path after sqlite:///, e.g. sqlite:///instance/antrian.db"
        return None
    if url.startswith(("redis://", "rediss://")):
        parts = urlsplit(url)
        try:
            _ = parts.port  # urlsplit checks the port only when it is read
        except ValueError:
            return f"has a bad port (got {url!r}); {STORE_EXAMPLES}"
        if not parts.hostname:
            return f"needs a host (got {url!r}); {STORE_EXAMPLES}"
        if not re.fullmatch(r"/?\d*", parts.path):
            return f"database must be a number such as /0 (got {url!r}); {STORE_EXAMPLES}"
        return None
    if url.startswith("sqlite:"):
        return (
            f"needs three slashes (got {url!r}); write sqlite:///instance/antrian.db for a path "
            "relative to the config file, sqlite:////var/lib/antrian.db for an absolute one"
        )
    return f"must start with sqlite:/// or redis:// (got {url!r}); {STORE_EXAMPLES}"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class HolidayConfig(_Model):
    date: date
    name: str = Field(min_length=1, max_length=80)


class Office(_Model):
    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    address: str = ""
    timezone: str
    phone: str = ""
    complaint_channels: tuple[str, ...] = Field(min_length=1)
    # e.g. {senin: "07:30-15:00", jumat: "07:30-11:00"}; days left out are closed.
    opening_hours: dict[str, str] = Field(default_factory=dict)
    # Dates with no service (libur nasional, cuti bersama), e.g. {date: 2026-12-25, name: ...}.
    holidays: tuple[HolidayConfig, ...] = ()
    # No new numbers this many minutes before closing, so the last ones are served in time.
    ticket_cutoff_minutes: int = Field(default=0, ge=0, le=240)
    # Who signs away from the counter (Kasi, Kabid, Kepala Dinas): covers handover actors.
    officials: tuple[str, ...] = ()
    # The visitor's own roles in the SOPs' actor columns: their steps need no staff.
    applicants: tuple[str, ...] = (
        "Pencari Kerja",
        "Pencaker",
        "Pemohon",
        "Calon PMI",
        "Pemohon (pengurus BKK)",
    )

    @field_validator("holidays")
    @classmethod
    def _one_holiday_a_day(cls, value: tuple[HolidayConfig, ...]) -> tuple[HolidayConfig, ...]:
        seen: set[date] = set()
        for holiday in value:
            if holiday.date in seen:
                raise ValueError(f"{holiday.date.isoformat()} is listed twice; keep one entry")
            seen.add(holiday.date)
        return value

    # The office's logo on every screen (SVG, PNG, JPEG or WebP), relative to this file;
    # left out, the hub shows its own mark (shared/static/brand/mark.svg).
    logo: str | None = None

    @field_validator("logo")
    @classmethod
    def _logo_kind(cls, value: str | None) -> str | None:
        if value is not None and Path(value).suffix.lower() not in LOGO_TYPES:
            kinds = ", ".join(sorted(LOGO_TYPES))
            raise ValueError(f"must be an image file ({kinds}); got {value!r}")
        return value

    @field_validator("opening_hours")
    @classmethod
    def _valid_hours(cls, value: dict[str, str]) -> dict[str, str]:
        for day, span in value.items():
            if day not in WEEKDAYS:
                raise ValueError(f"unknown day {day!r}; use {', '.join(WEEKDAYS)}")
            _parse_span(span, day)
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        problem = _timezone_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    def hours(self) -> tuple[OpeningHours, ...]:
        """Opening hours as the queue rules see them."""
        return tuple(
            OpeningHours(WEEKDAYS.index(day), *_parse_span(span, day))
            for day, span in sorted(self.opening_hours.items(), key=lambda i: WEEKDAYS.index(i[0]))
        )


# Visit attributes are statistics, never a way to note who someone is (UU 27/2022): a key
# naming personal data is refused, and every attribute is a short closed list of choices.
ATTRIBUTE_KEY = r"^[a-z][a-z0-9_]{1,31}$"
MAX_ATTRIBUTES = 6
MAX_CHOICES = 12
MAX_CHOICE_LENGTH = 24
PERSONAL_DATA_WORDS = frozenset(
    {
        "nama",
        "name",
        "nik",
        "ktp",
        "kk",
        "telepon",
        "telp",
        "phone",
        "hp",
        "wa",
        "whatsapp",
        "alamat",
        "address",
        "email",
        "lahir",
        "npwp",
        "rekening",
        "foto",
        "paspor",
        "nip",
    }
)


def attribute_problems(attributes: dict[str, tuple[str, ...]]) -> list[str]:
    """What is wrong with a service's visit attributes, each with its fix."""
    problems = []
    if len(attributes) > MAX_ATTRIBUTES:
        problems.append(f"at most {MAX_ATTRIBUTES} attributes per service (got {len(attributes)})")
    for key, choices in attributes.items():
        if not re.match(ATTRIBUTE_KEY, key):
            problems.append(
                f"attribute {key!r} must be 2-32 lowercase letters, digits or _, e.g. jenis_kelamin"
            )
            continue
        if PERSONAL_DATA_WORDS & set(key.split("_")):
            problems.append(
                f"attribute {key!r} looks like personal data; attributes are statistics with "
                "closed choices only (e.g. jenis_kelamin: [L, P]), never a name, NIK, phone "
                "number or address (UU 27/2022)"
            )
            continue
        if not 2 <= len(choices) <= MAX_CHOICES:
            problems.append(
                f"attribute {key!r} needs 2 to {MAX_CHOICES} choices (got {len(choices)})"
            )
        for choice in choices:
            if not isinstance(choice, str) or not 1 <= len(choice.strip()) <= MAX_CHOICE_LENGTH:
                problems.append(
                    f"attribute {key!r}: every choice must be text of 1-{MAX_CHOICE_LENGTH} "
                    f"characters (got {choice!r:.40})"
                )
        if len({c.strip().lower() for c in choices if isinstance(c, str)}) != len(choices):
            problems.append(f"attribute {key!r} lists a choice twice")
    return problems


def attribute_label(key: str) -> str:
    """jenis_kelamin -> "Jenis kelamin"."""
    return key.replace("_", " ").capitalize()


class StepConfig(_Model):
    name: str = Field(min_length=1, max_length=80)
    actor: str = Field(min_length=1)
    minutes: float = Field(gt=0)
    optional: bool = False
    repeatable: bool = False
    # Done away from the counter (the section head signs): the officer marks it handed over.
    handover: bool = False
    # Working days the step takes after the visit (seed 004: the camat signs, 1 day).
    days: int = Field(default=0, ge=0, le=60)
    # Who may sign instead of the actor (SOP 002: "Kasi atau Kabid"); hand-over steps only.
    substitutes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _sensible_substitutes(self) -> StepConfig:
        if not self.substitutes:
            return self
        if not self.handover:
            raise ValueError(
                "substitutes are only for steps done away from the counter; add handover: true "
                "or remove substitutes"
            )
        for name in self.substitutes:
            if not name.strip():
                raise ValueError("substitutes must not hold an empty name")
            if len(name) > 80:
                raise ValueError("a substitute's name must be at most 80 characters")
        names = [self.actor, *self.substitutes]
        if len(set(names)) != len(names):
            raise ValueError("substitutes repeat the actor or one another; list each signer once")
        return self


class FinishedLaterConfig(_Model):
    # Working days until the file is ready; left out: the sum of the steps' days.
    days: int | None = Field(default=None, ge=1, le=60)


class ServiceConfig(_Model):
    code: str = Field(pattern=SLUG)
    prefix: str = Field(pattern=r"^[A-Z]$")
    name: str = Field(min_length=1)
    product: str = ""
    # Rupiah as a whole number (0 = free, shown "Gratis"), or the tariff as published.
    cost: int | str = 0
    total_minutes: float = Field(gt=0)
    daily_quota: int | None = Field(default=None, gt=0)
    requirements: tuple[str, ...] = Field(min_length=1)
    steps: tuple[StepConfig, ...] = Field(min_length=1)
    # The file is finished on a later day: the visit leaves a file with a pickup code.
    finished_later: FinishedLaterConfig | None = None
    # The short pickup line ("Ambil berkas"): issued at the kiosk by pickup code only.
    pickup: bool = False
    # Statistics the officer records per visit, each a closed list of choices, e.g.
    # {jenis_kelamin: [L, P], pendidikan: [SD, SMP, SMA/SMK, D1-D3, D4/S1, S2/S3]}.
    attributes: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    @property
    def finished_later_days(self) -> int | None:
        """Working days until the file is ready, or None when it is handed over at once."""
        step_days = sum(step.days for step in self.steps)
        if self.finished_later is None:
            return step_days or None
        return self.finished_later.days or step_days or None

    @field_validator("attributes")
    @classmethod
    def _closed_lists(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        problems = attribute_problems(value)
        if problems:
            raise ValueError("; ".join(problems))
        return value

    @field_validator("cost", mode="before")
    @classmethod
    def _cost(cls, value: Any) -> Any:
        if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
            raise ValueError(f"must be rupiah as a whole number, e.g. 0 or 50000 (got {value!r})")
        if isinstance(value, float):
            value = int(value)
        if isinstance(value, int) and value < 0:
            raise ValueError(f"must be 0 (free) or more rupiah (got {value})")
        if isinstance(value, str):
            text = " ".join(value.split())
            if not text or len(text) > 60:
                raise ValueError(
                    "must be rupiah as a number (0 = Gratis) or a short tariff text "
                    f"of at most 60 characters (got {value[:40]!r})"
                )
            return 0 if text.lower() in FREE_WORDS else text
        return value

    @field_validator("steps")
    @classmethod
    def _has_required_step(
        cls, steps: tuple[StepConfig, ...], info: ValidationInfo
    ) -> tuple[StepConfig, ...]:
        # A ticket is finished only after its required steps; with none, nothing is checked.
        if all(step.optional for step in steps):
            code = info.data.get("code", "this service")
            raise ValueError(
                f"has no mandatory step (every step of {code} is optional); "
                "mark the SOP's mandatory steps optional: false"
            )
        return steps


class CounterConfig(_Model):
    id: str = Field(pattern=COUNTER_ID)
    name: str = Field(min_length=1)
    # Empty for a desk that takes only tickets transferred to it (e.g. counselling).
    services: tuple[str, ...] = ()
    # The roles working here (pelaksana), checked against the steps' actors by check-config.
    staff: tuple[str, ...] = ()

    @field_validator("id", mode="before")
    @classmethod
    def _number_as_text(cls, value: Any) -> Any:
        # `id: 1` without quotes is an int in YAML; it plainly means counter "1".
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value


class CallRulesConfig(_Model):
    max_calls: int = Field(default=3, ge=1, le=10)
    auto_recall_seconds: int = Field(default=0, ge=0)
    waiting_standard_minutes: float = Field(default=3, gt=0)
    # The supervisor is alerted when someone has waited this long without being served.
    waiting_alert_minutes: float = Field(default=30, gt=0)
    # Where a returned visitor who came back rejoins a line (the office sent them away, so
    # by default they keep their place).
    returned_rejoin: Literal["original_time", "back_of_line"] = "original_time"
    # A visit shorter than this is flagged "terlalu singkat", never counted as within standard.
    minimum_service_minutes: float = Field(default=1, ge=0)
    # A number called this long without "Mulai layani" turns its counter amber for the Kasi.
    called_alert_minutes: float = Field(default=5, gt=0)


class StoreConfig(_Model):
    url: str = "sqlite:///instance/antrian.db"
    key_prefix: str = Field(default="antrian", pattern=r"^[A-Za-z0-9:_-]+$")

    @field_validator("url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        problem = _store_url_problem(value)
        if problem:
            raise ValueError(problem)
        return value


class ServerConfig(_Model):
    host: str = "127.0.0.1"
    port: int = Field(default=5000, ge=1, le=65535)
    async_mode: Literal["threading", "eventlet"] = "threading"
    public_url: str | None = None
    # True when browsers reach the hub over HTTPS (e.g. behind a TLS proxy): cookies are then
    # never sent in clear. Over plain http a Secure cookie is dropped and nobody stays signed in.
    secure_cookies: bool = False

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        # Printed as a QR code on every ticket: a phone must be able to open it.
        if value is not None and not re.match(r"^https?://[^/\s]+", value):
            raise ValueError(
                f"must be a web address such as http://192.168.1.10:5000 (got {value!r})"
            )
        return value


# What each printer type needs, with an example value for the message.
PRINTER_NEEDS: dict[str, tuple[tuple[str, str], ...]] = {
    "network": (("host", "the printer's IP address, e.g. 192.168.1.50"),),
    "usb": (
        ("vendor_id", "the number `lsusb` shows, e.g. 0x04b8"),
        ("product_id", "the number `lsusb` shows, e.g. 0x0202"),
    ),
    "serial": (("device", "the serial port, e.g. /dev/ttyUSB0"),),
    "file": (("device", "the device file, e.g. /dev/usb/lp0"),),
}


class PrinterConfig(_Model):
    type: Literal["none", "network", "usb", "serial", "file"] = "none"
    host: str | None = None
    port: int = Field(default=9100, ge=1, le=65535)
    timeout_seconds: float = Field(default=3, gt=0, le=30)
    vendor_id: int | None = None
    product_id: int | None = None
    device: str | None = None
    baudrate: int = Field(default=9600, gt=0)
    paper_width_mm: Literal[58, 80] = 80
    chars_per_line: int | None = Field(default=None, ge=16, le=64)
    profile: str = "TM-T88V"
    # Ask a network printer for its paper status before and after each ticket: the only way
    # to notice a printer that accepts a small job but never prints it. Turn off for printers
    # that never answer status queries.
    status_check: bool = True

    @model_validator(mode="before")
    @classmethod
    def _width_from_paper(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("chars_per_line") is None:
            paper = data.get("paper_width_mm", 80)
            return {**data, "chars_per_line": 32 if paper == 58 else 48}
        return data

    @field_validator("vendor_id", "product_id", mode="before")
    @classmethod
    def _hex_or_int(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return int(value, 16 if value.lower().startswith("0x") else 10)
            except ValueError:
                raise ValueError(f"must be a number such as 0x04b8 (got {value!r})") from None
        return value

    @model_validator(mode="after")
    def _type_needs(self) -> PrinterConfig:
        missing = [
            f"printer.{name} is required when printer.type is {self.type}; set it to {example}"
            for name, example in PRINTER_NEEDS.get(self.type, ())
            if getattr(self, name) is None
        ]
        if missing:
            raise ValueError("\n".join(missing))
        return self

    @property
    def line_width(self) -> int:
        """Characters per line: set, or the usual for the paper width."""
        return self.chars_per_line or (48 if self.paper_width_mm == 80 else 32)


class VoiceConfig(_Model):
    enabled: bool = True
    voice: str = "id"
    rate: int = Field(default=150, ge=60, le=300)
    phrase: str = "Nomor antrian, {letter}, {number}, silakan menuju {counter}"
    chime: bool = True
    # How long a call waits for its WAV before the display speaks it with the browser's voice.
    timeout_seconds: float = Field(default=10, gt=0, le=120)

    @field_validator("phrase")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        allowed = ", ".join(f"{{{name}}}" for name in PHRASE_FIELDS)
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        except ValueError:
            raise ValueError(f"has an unmatched {{ or }}; use only {allowed}") from None
        unknown = sorted(used - set(PHRASE_FIELDS))
        if unknown:
            raise ValueError(f"unknown placeholder {{{unknown[0]}}}; use only {allowed}")
        if "number" not in used:
            raise ValueError("must say {number}, or the caller never hears the ticket number")
        return value


class ComplaintsConfig(_Model):
    # The answer is due within this many working days (hari kerja) of receipt.
    response_days: int = Field(default=5, ge=1, le=60)
    categories: tuple[str, ...] = Field(default=DEFAULT_CATEGORIES, min_length=1)
    # Channels staff record from besides office.complaint_channels, e.g. the Kotak Saran.
    extra_channels: tuple[str, ...] = ()
    # Public filings accepted from one address per hour (a flood guard, not a quota).
    public_per_hour: int = Field(default=5, ge=1, le=1000)

    @field_validator("categories", "extra_channels")
    @classmethod
    def _distinct_names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            if not name.strip() or len(name) > 80:
                raise ValueError(f"names must be 1-80 characters (got {name!r})")
        if len(set(value)) != len(value):
            raise ValueError("lists a name twice; remove the repeat")
        return value


class SignatoryConfig(_Model):
    """One signature on a printed report: who signs, in which office, under which words."""

    # The words above the title, e.g. "Mengetahui," or "Yang membuat laporan,".
    label: str = Field(default="Mengetahui,", max_length=60)
    title: str = Field(min_length=1, max_length=120)  # e.g. Kepala Seksi Penempatan Tenaga Kerja
    # Left out: a dotted line to write the name on by hand.
    name: str = Field(default="", max_length=80)
    nip: str = Field(default="", max_length=30)

    @field_validator("nip")
    @classmethod
    def _eighteen_digits(cls, value: str) -> str:
        digits = value.replace(" ", "")
        if digits and (not digits.isdigit() or len(digits) != NIP_DIGITS):
            raise ValueError(
                f"must be the {NIP_DIGITS} digits of a NIP, spaces allowed, "
                f"e.g. 19730707 199303 1 010 (got {value!r}); or leave it out"
            )
        return value


class ReportsConfig(_Model):
    """What printed reports carry besides the figures."""

    # The town written before the date of a signed report: "Lamongan, 30 November 2026".
    place: str = Field(default="", max_length=60)
    # Printed left to right under the monthly report; none: no signature block.
    signatories: tuple[SignatoryConfig, ...] = Field(default=(), max_length=3)
    # Indonesian Excel reads decimal commas, so its CSV columns are split by semicolons.
    csv_delimiter: Literal[";", ","] = ";"


class Settings(_Model):
    office: Office
    services: tuple[ServiceConfig, ...] = Field(min_length=1)
    counters: tuple[CounterConfig, ...] = Field(min_length=1)
    call_rules: CallRulesConfig = CallRulesConfig()
    store: StoreConfig = StoreConfig()
    server: ServerConfig = ServerConfig()
    printer: PrinterConfig = PrinterConfig()
    voice: VoiceConfig = VoiceConfig()
    survey: SurveyConfig = SurveyConfig()
    notices: NoticesConfig = NoticesConfig()
    complaints: ComplaintsConfig = ComplaintsConfig()
    reports: ReportsConfig = ReportsConfig()
    config_path: Path = Path("config.yaml")

    @property
    def store_url(self) -> str:
        """The store URL with a relative SQLite path resolved against the config's folder."""
        url = self.store.url
        if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
            path = (self.config_path.parent / url.removeprefix("sqlite:///")).resolve()
            return f"sqlite:///{path}"
        return url

    def logo_path(self) -> Path | None:
        """The office's own logo file, resolved against the config's folder; None: our mark."""
        if self.office.logo is None:
            return None
        return (self.config_path.parent / self.office.logo).resolve()

    def catalogue(self) -> Catalogue:
        """The office as the queue rules see it."""
        return Catalogue(
            office_id=self.office.id,
            timezone=self.office.timezone,
            services=tuple(_service(s) for s in self.services),
            counters=tuple(Counter(c.id, c.name, c.services) for c in self.counters),
            call_rules=CallRules(**self.call_rules.model_dump()),
            opening_hours=self.office.hours(),
            holidays=tuple(Holiday(h.date, h.name) for h in self.office.holidays),
            ticket_cutoff_minutes=self.office.ticket_cutoff_minutes,
        )


def _service(config: ServiceConfig) -> Service:
    return Service(
        code=config.code,
        prefix=config.prefix,
        name=config.name,
        requirements=config.requirements,
        steps=tuple(
            Step(
                s.name,
                s.actor,
                s.minutes,
                s.optional,
                s.repeatable,
                s.handover,
                s.days,
                substitutes=s.substitutes,
            )
            for s in config.steps
        ),
        total_minutes=config.total_minutes,
        daily_quota=config.daily_quota,
        product=config.product,
        cost=cost_label(config.cost),
        free=config.cost == 0,
        finished_later_days=config.finished_later_days,
        pickup=config.pickup,
        attributes=tuple(
            VisitAttribute(key, attribute_label(key), tuple(c.strip() for c in choices))
            for key, choices in config.attributes.items()
        ),
    )


def cost_label(cost: int | str) -> str:
    """The tariff as the public reads it: "Gratis", "Rp 50.000", or the published text."""
    if cost == 0:
        return "Gratis"
    if isinstance(cost, int):
        return f"Rp {cost:,}".replace(",", ".")
    return cost


# ---- checks that span several fields -------------------------------------------------------


def _duplicate_services(services: tuple[ServiceConfig, ...]) -> list[str]:
    problems: list[str] = []
    for attr, what in (("code", "code"), ("prefix", "letter")):
        first: dict[str, int] = {}
        for i, service in enumerate(services):
            value = getattr(service, attr)
            if value in first:
                j = first[value]
                problems.append(
                    f"services[{i}].{attr} {value!r} is already used by services[{j}] "
                    f"({services[j].code}); give each service its own {what}"
                )
            first.setdefault(value, i)
    return problems


def _counter_problems(settings: Settings) -> list[str]:
    codes = list(dict.fromkeys(s.code for s in settings.services))
    problems: list[str] = []
    first: dict[str, int] = {}
    for i, counter in enumerate(settings.counters):
        if counter.id in first:
            problems.append(
                f"counters[{i}].id {counter.id!r} is already used by counters[{first[counter.id]}] "
                f"({settings.counters[first[counter.id]].name}); give each counter its own id"
            )
        first.setdefault(counter.id, i)
        seen: set[str] = set()
        for j, code in enumerate(counter.services):
            where = f"counters[{i}].services[{j}]"
            if code in seen:
                problems.append(f"{where} {code!r} is listed twice for {counter.name}; remove one")
            elif code not in codes:
                close = difflib.get_close_matches(code, codes, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                problems.append(
                    f"{where} {code!r} is not a service{hint}; known services: {', '.join(codes)}"
                )
            seen.add(code)
    return problems


def _unserved_services(settings: Settings) -> list[str]:
    served = {code for counter in settings.counters for code in counter.services}
    return [
        f"services[{i}] ({s.code}) is served by no counter; "
        f"add {s.code} to the services of at least one counter"
        for i, s in enumerate(settings.services)
        if s.code not in served
    ]


def _files_problems(services: tuple[ServiceConfig, ...]) -> list[str]:
    """Files finished later and the pickup line (issue 13)."""
    problems: list[str] = []
    pickups = [i for i, s in enumerate(services) if s.pickup]
    for i in pickups[1:]:
        problems.append(
            f"services[{i}].pickup: services[{pickups[0]}] is already the pickup line; "
            "an office has one pickup line (set pickup: true on one service only)"
        )
    for i, service in enumerate(services):
        step_days = sum(step.days for step in service.steps)
        if service.finished_later is not None and service.finished_later_days is None:
            problems.append(
                f"services[{i}].finished_later needs days (e.g. finished_later: {{days: 3}}) "
                "or days on the steps that take them"
            )
        later = service.finished_later
        if later is not None and later.days is not None and later.days < step_days:
            problems.append(
                f"services[{i}].finished_later.days {later.days} is less than the "
                f"{step_days} day(s) its steps take; raise it or fix the steps' days"
            )
        if service.pickup and service.finished_later_days is not None:
            problems.append(
                f"services[{i}] ({service.code}) is the pickup line and cannot itself be "
                "finished later; remove finished_later and the steps' days"
            )
    return problems


def _logo_problems(settings: Settings) -> list[str]:
    path = settings.logo_path()
    if path is None:
        return []
    if not path.is_file():
        return [
            f"office.logo: file not found: {path}; put the logo there, or remove office.logo "
            "to show the hub's own mark"
        ]
    size = path.stat().st_size
    if size > LOGO_MAX_BYTES:
        return [
            f"office.logo: {path} is {size:,} bytes; use a file of at most 1 MB "
            "(an SVG, or a PNG about 400 px wide)"
        ]
    return []


def _cross_checks(settings: Settings) -> list[str]:
    """Problems that span several fields: duplicates and dangling references."""
    return (
        _duplicate_services(settings.services)
        + _counter_problems(settings)
        + _unserved_services(settings)
        + _files_problems(settings.services)
        + _logo_problems(settings)
    )


# ---- pydantic errors into sentences ---------------------------------------------------------

# How to fix a field, by its path without indexes; used whatever pydantic complained about.
FIXES = {
    "office": "add an office: section with id, name, timezone and complaint_channels",
    "office.id": "use lowercase letters, digits and '-', e.g. disnaker-lamongan",
    "office.name": "write the office's full name",
    "office.timezone": INDONESIAN_ZONES,
    "office.phone": 'put it in quotes, e.g. "(0322) 316147"',
    "office.complaint_channels": "list the channels from the service standard (pengaduan)",
    "office.holidays": "list dates as {date: 2026-12-25, name: Hari Raya Natal}",
    "office.holidays.date": "write the date as YYYY-MM-DD, e.g. 2026-12-25",
    "office.holidays.name": "name the holiday as the kiosk should show it",
    "office.ticket_cutoff_minutes": "use 0 to 240 minutes before closing, e.g. 30",
    "services": "list the services from the office's service standard",
    "services.code": "use lowercase letters, digits and '-', e.g. ak1-baru",
    "services.prefix": "use one capital letter A-Z; it starts every ticket number",
    "services.name": "write the service name shown on the kiosk",
    "services.cost": "write 0 for a free service, or the rupiah as a number, e.g. 50000",
    "services.total_minutes": "set the service's standard time (jangka waktu) in minutes",
    "services.daily_quota": "set the number of tickets a day, or null for no limit",
    "services.requirements": "list the documents to bring (persyaratan)",
    "services.steps": "list the SOP steps with name, actor and minutes",
    "services.steps.name": "write a short step name (at most 80 characters)",
    "services.steps.actor": "name who does the step (pelaksana), e.g. Petugas Antar Kerja",
    "services.steps.minutes": "set the step's standard time in minutes",
    "counters": "list the counters (loket) with id, name and services",
    "counters.id": "use letters, digits and '-', e.g. 1 or konseling",
    "counters.name": 'write the name the voice calls, e.g. "Loket 1"',
    "counters.services": "list service codes from services:",
    "call_rules.max_calls": "use 1 to 10; the SOP moves on after 3 calls",
    "call_rules.auto_recall_seconds": "use 0 (officer recalls) or seconds between calls, e.g. 30",
    "call_rules.waiting_standard_minutes": "set the waiting standard in minutes, e.g. 3",
    "call_rules.waiting_alert_minutes": "alert the supervisor after this many minutes, e.g. 30",
    "call_rules.returned_rejoin": "use original_time (keeps its place) or back_of_line",
    "services.steps.substitutes": "list who may sign instead, e.g. [Kasi Penempatan, Kabid]",
    "call_rules.minimum_service_minutes": "flag visits shorter than this many minutes, e.g. 1",
    "call_rules.called_alert_minutes": "warn when a called number is not served after, e.g. 5",
    "store.url": STORE_EXAMPLES,
    "store.key_prefix": "use letters, digits, ':', '_' or '-', e.g. antrian",
    "server.port": "use a port from 1 to 65535, e.g. 5000",
    "server.async_mode": "use threading, or eventlet if it is installed",
    "server.secure_cookies": "use true only when the hub is served over https, else false",
    "printer.port": "use the printer's TCP port, usually 9100",
    "printer.timeout_seconds": "use a few seconds, e.g. 3",
    "printer.paper_width_mm": "write the width of the paper roll in mm",
    "printer.chars_per_line": "use 48 for 80 mm paper or 32 for 58 mm, or leave it out",
    "voice.rate": "use 60 to 300 words a minute; 150 is calm",
    "services.steps.days": "set the working days the step takes after the visit, e.g. 1",
    "services.finished_later.days": "set the working days until the file is ready, e.g. 3",
    "notices.kind": "use none, smtp or webhook",
    "notices.smtp_port": "use the mail server's port, e.g. 587 (STARTTLS) or 25",
    "notices.timeout_seconds": "use a few seconds, e.g. 10",
    "complaints.response_days": "use the working days of the service standard, e.g. 5",
    "complaints.categories": "list the complaint categories shown on the form",
    "complaints.public_per_hour": "use a small number, e.g. 5",
    "reports.signatories": "list at most 3 people who sign the monthly report",
    "reports.signatories.title": "write the position, e.g. Kepala Seksi Penempatan Tenaga Kerja",
    "voice.timeout_seconds": "use a few seconds, e.g. 10",
}

PROBLEMS = {
    "missing": "is required",
    "greater_than": "must be > {gt}",
    "greater_than_equal": "must be >= {ge}",
    "less_than": "must be < {lt}",
    "less_than_equal": "must be <= {le}",
    "literal_error": "must be {expected}",
    "too_short": "needs at least {min_length} item(s)",
    "too_long": "has more than {max_length} items",
    "string_too_short": "must not be empty",
    "string_too_long": "must be at most {max_length} characters",
    "string_pattern_mismatch": "has the wrong form",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "date_type": "must be a date",
    "date_parsing": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "must be a date (YYYY-MM-DD)",
    "model_type": "must be a section of key: value lines",
    "model_attributes_type": "must be a section of key: value lines",
    "dict_type": "must be a section of key: value lines",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
}

GENERIC_FIXES = {
    "missing": "add it",
    "literal_error": "pick one of these",
    "string_type": 'put the value in "quotes"',
    "tuple_type": "write one '- item' per line",
    "list_type": "write one '- item' per line",
}


def _path(loc: tuple[Any, ...]) -> str:
    """A pydantic location as people write it: ('services', 2, 'name') -> services[2].name."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif "[" in str(part):
            continue  # validator tags such as function-after[...], not a field
        else:
            text += f".{part}" if text else str(part)
    return text


def _shown(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a section"
    if isinstance(value, list | tuple):
        return "a list" if value else "an empty list"
    text = repr(value)
    return text if len(text) <= 50 else text[:47] + "..."


def _plain(value: Any) -> Any:
    """0.0 as 0: limits on float fields read as people wrote them."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _known_keys() -> dict[str, set[str]]:
    """Known keys per section path, for did-you-mean hints."""
    return {
        "": set(Settings.model_fields) - {"config_path"},
        "office": set(Office.model_fields),
        "services": set(ServiceConfig.model_fields),
        "services.steps": set(StepConfig.model_fields),
        "counters": set(CounterConfig.model_fields),
        "call_rules": set(CallRulesConfig.model_fields),
        "store": set(StoreConfig.model_fields),
        "server": set(ServerConfig.model_fields),
        "printer": set(PrinterConfig.model_fields),
        "voice": set(VoiceConfig.model_fields),
        "services.finished_later": set(FinishedLaterConfig.model_fields),
        "notices": set(NoticesConfig.model_fields),
        "complaints": set(ComplaintsConfig.model_fields),
        "reports": set(ReportsConfig.model_fields),
        "reports.signatories": set(SignatoryConfig.model_fields),
    }


def _unknown_key(where: str) -> str:
    parent, _, key = where.rpartition(".")
    known = _known_keys()
    close = difflib.get_close_matches(key, sorted(known.get(re.sub(r"\[\d+\]", "", parent), ())))
    if close:
        hint = f" (did you mean {close[0]!r}?)"
    else:
        # A right key in the wrong section, e.g. timezone: at the top level.
        home = next((p for p, keys in known.items() if p and key in keys), None)
        hint = f" (it belongs under {home}:)" if home else ""
    return f"{where}: unknown field{hint}; remove it or fix its spelling"


def _describe(error: Mapping[str, Any]) -> list[str]:
    """One pydantic error as sentences naming the field path and the fix."""
    where = _path(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        return [_unknown_key(where)]
    if kind == "invalid_key":
        # A key YAML read as a number or date: the path would show it as a list index.
        section = _path(error["loc"][:-1]) or "the top level"
        return [f"{section}: key {error['input']!r} is not a field name; remove it"]
    if kind == "value_error":
        # Our validators already wrote the problem and the fix; some name their own fields.
        detail = error["msg"].removeprefix("Value error, ")
        return [
            line if line.startswith(f"{where}.") or not where else f"{where} {line}"
            for line in detail.splitlines()
        ]
    template = PROBLEMS.get(kind)
    if template is None:
        return [f"{where}: {error['msg']} (got {_shown(error.get('input'))})"]
    ctx = {k: _plain(v) for k, v in (error.get("ctx") or {}).items()}
    problem = template.format(**ctx)
    got = "" if kind == "missing" else f" (got {_shown(error.get('input'))})"
    fix = FIXES.get(re.sub(r"\[\d+\]", "", where)) or GENERIC_FIXES.get(kind, "fix the value")
    return [f"{where} {problem}{got}; {fix}"]


def _problems(exc: ValidationError) -> list[str]:
    lines = [line for error in exc.errors() for line in _describe(error)]
    return list(dict.fromkeys(lines))


# ---- public API --------------------------------------------------------------------------------


def settings_from_dict(data: object, base_dir: Path) -> Settings:
    """Validate an already-parsed config; relative paths resolve against base_dir."""
    if not isinstance(data, dict):
        raise ConfigError(
            [
                "the config must be a mapping of sections (office:, services:, ...), "
                f"not {_shown(data)}"
            ]
        )
    if "config_path" in data:
        raise ConfigError(["config_path: unknown field; remove it"])
    try:
        settings = Settings.model_validate(
            {**data, "config_path": Path(base_dir).resolve() / "config.yaml"}
        )
    except ValidationError as exc:
        raise ConfigError(_problems(exc)) from None
    problems = _cross_checks(settings)
    if problems:
        raise ConfigError(problems)
    return settings


def _at(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}"


def _yaml_problem(config_path: Path, exc: yaml.YAMLError) -> str:
    """A YAML error with its line, and where the broken construct began when that differs."""
    mark = getattr(exc, "problem_mark", None)
    where = f" at {_at(mark)}" if mark else ""
    problem = getattr(exc, "problem", None) or str(exc)
    context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    # PyYAML notices an unclosed bracket or quote only on a later line; say where it opened.
    began = f" ({context} at {_at(start)})" if context and start else ""
    return f"{config_path} is not valid YAML{where}: {problem}{began}; check indentation and quotes"


def _read_yaml(config_path: Path) -> object:
    try:
        text = config_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            [
                f"config file not found: {config_path}; copy config.yaml from the project root "
                "or pass --config PATH"
            ]
        ) from None
    except IsADirectoryError:
        raise ConfigError([f"{config_path} is a folder; pass the config file itself"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"cannot read {config_path}: {exc}; save it as UTF-8 text"]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError([_yaml_problem(config_path, exc)]) from None
    if data is None:
        raise ConfigError([f"{config_path} is empty; copy config.yaml from the project root"])
    return data


def load_settings(path: str | Path) -> Settings:
    """Read and validate a config file."""
    config_path = Path(path).resolve()
    settings = settings_from_dict(_read_yaml(config_path), config_path.parent)
    return settings.model_copy(update={"config_path": config_path})


def check_config(path: str | Path) -> tuple[bool, str]:
    """Validate a config file; returns (ok, a report for a person)."""
    try:
        settings = load_settings(path)
    except ConfigError as exc:
        return False, f"{Path(path)}: {len(exc.problems)} problem(s):\n" + "\n".join(
            f"  - {p}" for p in exc.problems
        )
    from shared.config_warnings import config_warnings

    warnings = config_warnings(settings)
    report = (
        f"OK: {settings.office.name} ({settings.office.timezone}), "
        f"{len(settings.services)} layanan, {len(settings.counters)} loket, "
        f"store {settings.store_url}"
    )
    if warnings:
        report += f"\n{len(warnings)} warning(s):\n" + "\n".join(f"  - {w}" for w in warnings)
    return True, report

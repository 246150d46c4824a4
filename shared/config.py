"""config.yaml read once, validated, and frozen; problems name the field and the fix."""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Mapping
from datetime import time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from shared.domain.catalogue import CallRules, Catalogue, Counter, OpeningHours, Service, Step

SLUG = r"^[a-z0-9][a-z0-9-]*$"
WEEKDAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")


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


PHRASE_FIELDS = {"letter", "number", "counter"}


class ConfigError(Exception):
    """The configuration cannot be used; `problems` lists each one with its fix."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Office(_Model):
    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    address: str = ""
    timezone: str
    phone: str = ""
    complaint_channels: tuple[str, ...] = Field(min_length=1)
    # e.g. {senin: "07:30-15:00", jumat: "07:30-11:00"}; days left out are closed.
    opening_hours: dict[str, str] = Field(default_factory=dict)

    @field_validator("opening_hours")
    @classmethod
    def _valid_hours(cls, value: dict[str, str]) -> dict[str, str]:
        for day, span in value.items():
            if day not in WEEKDAYS:
                raise ValueError(f"unknown day {day!r}; use {', '.join(WEEKDAYS)}")
            _parse_span(span, day)
        return value

    def hours(self) -> tuple[OpeningHours, ...]:
        """Opening hours as the queue rules see them."""
        return tuple(
            OpeningHours(WEEKDAYS.index(day), *_parse_span(span, day))
            for day, span in sorted(self.opening_hours.items(), key=lambda i: WEEKDAYS.index(i[0]))
        )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown timezone {value!r}; use Asia/Jakarta (WIB), "
                "Asia/Makassar (WITA) or Asia/Jayapura (WIT)"
            ) from None
        return value


class StepConfig(_Model):
    name: str = Field(min_length=1, max_length=80)
    actor: str = Field(min_length=1)
    minutes: float = Field(gt=0)
    optional: bool = False
    repeatable: bool = False


class ServiceConfig(_Model):
    code: str = Field(pattern=SLUG)
    prefix: str = Field(pattern=r"^[A-Z]$")
    name: str = Field(min_length=1)
    product: str = ""
    cost: str = "GRATIS"
    total_minutes: float = Field(gt=0)
    daily_quota: int | None = Field(default=None, gt=0)
    requirements: tuple[str, ...] = Field(min_length=1)
    steps: tuple[StepConfig, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _has_required_step(self) -> ServiceConfig:
        if all(step.optional for step in self.steps):
            raise ValueError("needs at least one step with optional: false")
        return self


class CounterConfig(_Model):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$")
    name: str = Field(min_length=1)
    # Empty for a desk that takes only tickets transferred to it (e.g. counselling).
    services: tuple[str, ...] = ()


class CallRulesConfig(_Model):
    max_calls: int = Field(default=3, ge=1, le=10)
    auto_recall_seconds: int = Field(default=0, ge=0)
    waiting_standard_minutes: float = Field(default=3, gt=0)


class StoreConfig(_Model):
    url: str = "sqlite:///instance/antrian.db"
    key_prefix: str = Field(default="antrian", pattern=r"^[A-Za-z0-9:_-]+$")

    @field_validator("url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if not value.startswith(("sqlite:///", "redis://", "rediss://")):
            raise ValueError(
                f"must start with sqlite:/// or redis:// (got {value!r}); "
                "e.g. sqlite:///instance/antrian.db"
            )
        return value


class ServerConfig(_Model):
    host: str = "127.0.0.1"
    port: int = Field(default=5000, ge=1, le=65535)
    async_mode: Literal["threading", "eventlet"] = "threading"
    public_url: str | None = None


class PrinterConfig(_Model):
    type: Literal["none", "network", "usb", "serial", "file"] = "none"
    host: str | None = None
    port: int = Field(default=9100, ge=1, le=65535)
    timeout_seconds: float = Field(default=3, gt=0, le=30)
    vendor_id: int | None = None
    product_id: int | None = None
    device: str | None = None
    baudrate: int = 9600
    paper_width_mm: Literal[58, 80] = 80
    chars_per_line: int | None = Field(default=None, ge=16, le=64)
    profile: str = "TM-T88V"
    # Ask a network printer for its paper status before and after each ticket: the only way
    # to notice a printer that accepts a small job but never prints it. Turn off for printers
    # that never answer status queries.
    status_check: bool = True

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
        needed = {"network": ("host",), "usb": ("vendor_id", "product_id")}.get(
            self.type, ("device",) if self.type in ("serial", "file") else ()
        )
        for name in needed:
            if getattr(self, name) is None:
                raise ValueError(f"printer.{name} is required when printer.type is {self.type}")
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

    @field_validator("phrase")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        used = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        unknown = used - PHRASE_FIELDS
        if unknown:
            raise ValueError(
                f"unknown placeholder {{{sorted(unknown)[0]}}}; use only {{letter}}, "
                "{number} and {counter}"
            )
        return value


class Settings(_Model):
    office: Office
    services: tuple[ServiceConfig, ...] = Field(min_length=1)
    counters: tuple[CounterConfig, ...] = Field(min_length=1)
    call_rules: CallRulesConfig = CallRulesConfig()
    store: StoreConfig = StoreConfig()
    server: ServerConfig = ServerConfig()
    printer: PrinterConfig = PrinterConfig()
    voice: VoiceConfig = VoiceConfig()
    config_path: Path = Path("config.yaml")

    @property
    def store_url(self) -> str:
        """The store URL with a relative SQLite path resolved against the config's folder."""
        url = self.store.url
        if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
            path = (self.config_path.parent / url.removeprefix("sqlite:///")).resolve()
            return f"sqlite:///{path}"
        return url

    def catalogue(self) -> Catalogue:
        """The office as the queue rules see it."""
        return Catalogue(
            office_id=self.office.id,
            timezone=self.office.timezone,
            services=tuple(
                Service(
                    code=s.code,
                    prefix=s.prefix,
                    name=s.name,
                    requirements=s.requirements,
                    steps=tuple(
                        Step(t.name, t.actor, t.minutes, t.optional, t.repeatable) for t in s.steps
                    ),
                    total_minutes=s.total_minutes,
                    daily_quota=s.daily_quota,
                    product=s.product,
                    cost=s.cost,
                )
                for s in self.services
            ),
            counters=tuple(Counter(c.id, c.name, c.services) for c in self.counters),
            call_rules=CallRules(**self.call_rules.model_dump()),
            opening_hours=self.office.hours(),
        )


def _cross_checks(settings: Settings) -> list[str]:
    """Problems that span several fields: duplicates and dangling references."""
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for i, service in enumerate(settings.services):
        for attr in ("code", "prefix"):
            value = getattr(service, attr)
            if (attr, value) in seen:
                j = seen[(attr, value)]
                problems.append(
                    f"services[{i}].{attr} {value!r} is already used by services[{j}] "
                    f"({settings.services[j].code}); give each service its own {attr}"
                )
            seen.setdefault((attr, value), i)
    codes = [s.code for s in settings.services]
    counter_ids: dict[str, int] = {}
    served: set[str] = set()
    for i, counter in enumerate(settings.counters):
        if counter.id in counter_ids:
            first = counter_ids[counter.id]
            problems.append(
                f"counters[{i}].id {counter.id!r} is already used by counters[{first}]; "
                "give each counter its own id"
            )
        counter_ids.setdefault(counter.id, i)
        for j, code in enumerate(counter.services):
            if code not in codes:
                problems.append(
                    f"counters[{i}].services[{j}] {code!r} is not a service; "
                    f"known services: {', '.join(codes)}"
                )
            served.add(code)
    for i, service in enumerate(settings.services):
        if service.code not in served:
            problems.append(
                f"services[{i}] ({service.code}) is served by no counter; "
                "add it to some counters[].services"
            )
    return problems


def _path(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in ("function-after", "function-before") or "[" in str(part):
            continue
        else:
            text += f".{part}" if text else str(part)
    return text


def _describe(error: Mapping[str, Any], model_fields: dict[str, set[str]]) -> str:
    where = _path(error["loc"])
    kind, message = error["type"], error["msg"]
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        parent, _, key = where.rpartition(".")
        known = model_fields.get(re.sub(r"\[\d+\]", "", parent), set())
        hint = difflib.get_close_matches(key.split("[")[0], sorted(known), n=1)
        suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
        return f"{where}: unknown field{suggestion}; remove it or fix its spelling"
    if kind == "missing":
        return f"{where} is required; add it"
    if kind == "greater_than":
        return f"{where} must be > {ctx.get('gt')} (got {error.get('input')!r}); fix the value"
    if kind == "string_pattern_mismatch":
        return f"{where} {error.get('input')!r} has the wrong form; expected {ctx.get('pattern')}"
    if kind == "value_error":
        detail = message.removeprefix("Value error, ")
        if detail.startswith("printer."):
            return detail
        return f"{where} {detail}" if where else detail
    return f"{where}: {message} (got {error.get('input')!r})"


def _model_fields() -> dict[str, set[str]]:
    """Known keys per config path, for did-you-mean hints."""
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
    }


def settings_from_dict(data: Any, base_dir: Path) -> Settings:
    """Validate an already-parsed config; relative paths resolve against base_dir."""
    if not isinstance(data, dict):
        raise ConfigError(["the config must be a mapping of sections (office:, services:, ...)"])
    if "config_path" in data:
        raise ConfigError(["config_path: unknown field; remove it"])
    try:
        settings = Settings(**data, config_path=base_dir / "config.yaml")
    except ValidationError as exc:
        fields = _model_fields()
        raise ConfigError([_describe(e, fields) for e in exc.errors()]) from None
    problems = _cross_checks(settings)
    if problems:
        raise ConfigError(problems)
    return settings


def load_settings(path: str | Path) -> Settings:
    """Read and validate a config file."""
    config_path = Path(path).resolve()
    try:
        text = config_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            [
                f"config file not found: {config_path}; copy config.yaml from the project root "
                "or pass --config PATH"
            ]
        ) from None
    except OSError as exc:
        raise ConfigError([f"cannot read {config_path}: {exc.strerror}"]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([f"{config_path} is not valid YAML{where}: {problem}"]) from None
    settings = settings_from_dict(data, config_path.parent)
    return settings.model_copy(update={"config_path": config_path})


def check_config(path: str | Path) -> tuple[bool, str]:
    """Validate a config file; returns (ok, a report for a person)."""
    try:
        settings = load_settings(path)
    except ConfigError as exc:
        return False, f"{Path(path)}: {len(exc.problems)} problem(s):\n" + "\n".join(
            f"  - {p}" for p in exc.problems
        )
    return True, (
        f"OK: {settings.office.name} ({settings.office.timezone}), "
        f"{len(settings.services)} layanan, {len(settings.counters)} loket, "
        f"store {settings.store_url}"
    )

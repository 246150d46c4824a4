"""What the complaint pages share: the service of this app, a flood guard, and presenters.

Two presenters, on purpose: the public one (the complainant's tracking page) says what
happened and when, never who; the staff one carries names, the follow-up and the contact.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app, request

from shared.complaint_service import ComplaintService
from shared.domain.complaints import (
    PUBLIC_STATE_LABELS,
    STATE_LABELS,
    Complaint,
    ComplaintPolicy,
    ComplaintState,
    answered_on,
    answered_within_target,
    due_date,
    indonesian_date,
    is_overdue,
    working_days_to_answer,
)

PUBLIC_DONE_LABELS = {
    ComplaintState.RECEIVED: "Pengaduan diterima",
    ComplaintState.FORWARDED: "Diteruskan ke penanggung jawab",
    ComplaintState.FOLLOWED_UP: "Ditindaklanjuti oleh petugas",
    ComplaintState.CLOSED: "Dijawab dan selesai",
}


SERVICE_KEY = "antrian_complaints"
GUARD_KEY = "antrian_complaint_guard"


def init_app(app: Flask, service: ComplaintService, per_hour: int) -> None:
    """Attach the register and the public form's flood guard to the app."""
    app.extensions[SERVICE_KEY] = service
    app.extensions[GUARD_KEY] = IntakeGuard(per_hour)


def current_complaints() -> ComplaintService:
    """The complaints register of the app handling this request."""
    return current_app.extensions[SERVICE_KEY]


def open_counts() -> dict[str, int]:
    """Open and overdue complaints, for the supervisor view."""
    service = current_complaints()
    now = service.clock()
    open_ones = [c for c in service.register().complaints.values() if not c.is_closed]
    overdue = sum(1 for c in open_ones if is_overdue(c, service.policy, now))
    return {"open": len(open_ones), "overdue": overdue}


def public_url(path: str) -> str:
    """An address a phone can open: server.public_url if set, else the host it asked."""
    settings = current_app.extensions["antrian"].settings
    base = settings.server.public_url or request.host_url
    return f"{base.rstrip('/')}{path}"


# ---- the flood guard ------------------------------------------------------------------------


class IntakeGuard:
    """At most `per_hour` public filings per source in any hour (in this process's memory)."""

    WINDOW_SECONDS = 3600.0
    CAPACITY = 10_000  # sources remembered; the oldest are forgotten first

    def __init__(self, per_hour: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_hour = per_hour
        self.clock = clock
        self._lock = threading.Lock()
        self._filed: OrderedDict[str, deque[float]] = OrderedDict()

    def wait_seconds(self, source: str, allowance: int = 1) -> int:
        """0 if `source` may file now, else the seconds until it may."""
        limit = self.per_hour * allowance
        with self._lock:
            times = self._recent(source)
            if len(times) < limit:
                return 0
            return max(1, math.ceil(times[0] + self.WINDOW_SECONDS - self.clock()))

    def filed(self, source: str) -> None:
        """Count one filing (only accepted ones count: refused input stores nothing)."""
        with self._lock:
            self._recent(source).append(self.clock())
            self._filed.move_to_end(source)
            while len(self._filed) > self.CAPACITY:
                self._filed.popitem(last=False)

    def _recent(self, source: str) -> deque[float]:
        times = self._filed.setdefault(source, deque())
        horizon = self.clock() - self.WINDOW_SECONDS
        while times and times[0] <= horizon:
            times.popleft()
        return times


def wait_text(seconds: int) -> str:
    """E.g. "12 menit", "40 detik"."""
    return f"{math.ceil(seconds / 60)} menit" if seconds >= 60 else f"{seconds} detik"


# ---- presenters -----------------------------------------------------------------------------


ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def local_time_text(moment: datetime, timezone: str) -> str:
    """E.g. "23 November 2026 08.05 WIB"."""
    local = moment.astimezone(ZoneInfo(timezone))
    zone = ZONE_NAMES.get(timezone, local.strftime("%Z"))
    return f"{indonesian_date(local.date())} {local:%H.%M} {zone}"


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _day(value: date | None) -> str | None:
    return indonesian_date(value) if value else None


def public_complaint_view(complaint: Complaint, policy: ComplaintPolicy) -> dict[str, Any]:
    """What the complainant's tracking page shows: no staff names, no follow-up notes."""
    return {
        "number": complaint.number,
        "kind": complaint.kind,
        "category": complaint.category,
        "text": complaint.text,
        "received_on": _day(complaint.received_on),
        "state": complaint.state.value,
        "state_label": PUBLIC_STATE_LABELS[complaint.state],
        "steps": [
            {
                "label": PUBLIC_DONE_LABELS[step.state],
                "on": _day(policy.office_date(step.at)),
            }
            for step in complaint.history
        ],
        "due_on": _day(due_date(complaint, policy)),
        "response_days": policy.response_days,
        "answer": complaint.answer,
        "closed": complaint.is_closed,
        "had_contact": complaint.has_contact,
        "visit_number": complaint.visit_number,
    }


def staff_complaint_view(
    complaint: Complaint,
    policy: ComplaintPolicy,
    now: datetime,
    service_names: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A complaint as staff work it: who did what and when, against the target."""
    days = working_days_to_answer(complaint, policy)
    names = service_names or {}
    service = names.get(complaint.visit_service or "", complaint.visit_service)
    return {
        "id": complaint.id,
        "number": complaint.number,
        "kind": complaint.kind,
        "category": complaint.category,
        "channel": complaint.channel,
        "text": complaint.text,
        "received_on": complaint.received_on.isoformat(),
        "received_on_text": indonesian_date(complaint.received_on),
        "recorded_by": complaint.recorded_by,
        "anonymous": complaint.anonymous,
        "has_contact": complaint.has_contact,
        "visit": (
            f"{complaint.visit_number} · {service} · {_day(complaint.visit_date)}"
            if complaint.visit_number
            else None
        ),
        "state": complaint.state.value,
        "state_label": STATE_LABELS[complaint.state],
        "due_on": due_date(complaint, policy).isoformat(),
        "due_on_text": indonesian_date(due_date(complaint, policy)),
        "overdue": is_overdue(complaint, policy, now),
        "forwarded_to": complaint.forwarded_to,
        "follow_up": complaint.follow_up,
        "answer": complaint.answer,
        "answered_on": _iso(answered_on(complaint, policy)),
        "answered_on_text": _day(answered_on(complaint, policy)),
        "working_days_to_answer": days,
        "within_target": answered_within_target(complaint, policy),
        "history": [
            {
                "state": step.state.value,
                # Staff record a complaint later than it came (a letter): say when it was noted.
                "label": "Dicatat"
                if step.state is ComplaintState.RECEIVED and complaint.recorded_by
                else STATE_LABELS[step.state],
                "at": step.at.isoformat(),
                "at_text": local_time_text(step.at, policy.timezone),
                "by": step.by or "pelapor (formulir daring)",
                "to": step.to,
                "text": step.text,
            }
            for step in complaint.history
        ],
    }

"""Sign-in, device pairing and the start page, for people in a browser."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import Blueprint, redirect, render_template, request, send_file, url_for

from shared.accounts import DEVICE_KINDS, Role
from shared.auth import (
    check_csrf,
    csrf_token,
    current_principal,
    end_session,
    start_device_session,
    start_user_session,
)
from shared.config import LOGO_TYPES
from shared.hub import current_hub
from shared.login_guard import LoginRefused, current_guard
from shared.page_index import home_endpoint, page_index, role_label

bp = Blueprint("pages", __name__)

DEFAULT_MARK = Path(__file__).parent / "static" / "brand" / "mark.svg"

_PAGE_MARK = "antrian_renders_page"
PAGE_ROLES = "antrian_page_roles"  # who may open a page, read by the page index


def page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view as a page for people: its errors are answered as a page, not as JSON."""
    setattr(view, _PAGE_MARK, True)
    return view


def renders_page(view: Callable[..., Any]) -> bool:
    """True for views marked by `page` (every view guarded by require_page is)."""
    return getattr(view, _PAGE_MARK, False)


def require_page(roles: Iterable[Role]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Send a stranger to sign in (people) or to pairing (devices); refuse the wrong role."""
    allowed = frozenset(roles)
    # A device page (kiosk, display) sends strangers to pairing; an admin may still sign in.
    for_devices = bool(allowed & set(DEVICE_KINDS))

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            principal = current_principal()
            if principal is None or principal.role not in allowed:
                target = "pages.pair" if for_devices else "pages.login"
                if principal is not None:
                    return render_template("forbidden.html", principal=principal), 403
                # The query too: a report's date must survive the sign-in.
                back = request.full_path if request.query_string else request.path
                return redirect(url_for(target, next=back))
            return view(*args, **kwargs)

        setattr(wrapped, PAGE_ROLES, allowed)
        return page(wrapped)

    return decorator


@bp.app_context_processor
def page_globals() -> dict[str, Any]:
    hub = current_hub()
    return {"office": hub.settings.office, "csrf_token": csrf_token}


@bp.app_template_filter("minute_count")
def minutes_text(value: float) -> str:
    """Minutes as Indonesians write them: 15, 12,5 (a decimal comma, no trailing zero)."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


@bp.app_template_filter("office_time")
def office_time(moment: datetime) -> str:
    """An instant as the office's wall clock, as Indonesians write it (08.15)."""
    local = moment.astimezone(ZoneInfo(current_hub().catalogue.timezone))
    return f"{local:%H.%M}"


bp.add_app_template_filter(role_label, "role_label")


@bp.get("/")
@page
def index():
    principal = current_principal()
    return render_template(
        "index.html",
        principal=principal,
        pages=page_index(principal),
        role=role_label(principal.role) if principal else None,
    )


@bp.get("/office/logo")
def office_logo():
    """The office's logo from config (office.logo), or the hub's own mark; public."""
    settings = current_hub().settings
    path = settings.logo_path() or DEFAULT_MARK
    return send_file(path, mimetype=LOGO_TYPES[path.suffix.lower()], max_age=3600)


@bp.get("/favicon.ico")
def favicon():
    return "", 204  # no icon; answering keeps every page's console free of 404s


@bp.route("/login", methods=["GET", "POST"])
@page
def login():
    if request.method == "GET":
        return render_template("login.html", error=None)
    check_csrf()
    try:
        principal = current_guard().sign_in(
            request.form.get("username", ""),
            request.form.get("password", ""),
            request.remote_addr or "",
        )
    except LoginRefused as refused:
        page = render_template("login.html", error=refused.message)
        return page, refused.status, _retry_after(refused)
    start_user_session(principal)
    # Each role to its own start: a section head or admin never lands on (and takes) a counter.
    home = url_for(home_endpoint(principal))
    return redirect(safe_next(request.args.get("next", "")) or home)


@bp.post("/logout")
def logout():
    check_csrf()
    end_session()
    return redirect(url_for("pages.login"))


@bp.route("/pair", methods=["GET", "POST"])
@page
def pair():
    """Pair this browser as a kiosk or display: a 6-digit code from staff, typed on the
    page's keypad, or the token from `antrian device add`.

    Pairing links carry the code or token after `#`, which the browser never sends: the
    page's script posts it, so it stays out of access logs and browser history.
    """
    from shared.admin_pages import CodeRefused, pair_with_code

    if request.method == "GET":
        return render_template("pair.html", error=None)
    check_csrf()
    code = request.form.get("code", "").strip()
    if code:
        try:
            device = pair_with_code(code, request.remote_addr or "")
        except CodeRefused as refused:
            return render_template("pair.html", error=refused.message), refused.status
    else:
        device = current_hub().accounts.device_for_token(request.form.get("token", "").strip())
        if device is None:
            error = "Token perangkat tidak dikenal. Buat token baru dengan: antrian device add"
            return render_template("pair.html", error=error, token_open=True), 401
    start_device_session(device)
    return redirect(url_for(home_endpoint(device)))


def _retry_after(refused: LoginRefused) -> dict[str, str]:
    return {"Retry-After": str(refused.retry_after)} if refused.retry_after else {}


def safe_next(target: str) -> str | None:
    """`target` if it is a path on this hub, else None, so a link cannot send anyone away."""
    # Browsers drop tabs and newlines and read a backslash as a slash, so "/\t/evil" and
    # "/\\evil" both mean "//evil", another host: refuse them rather than clean them.
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ch.isspace() or not ch.isprintable() for ch in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None

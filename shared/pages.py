"""Sign-in, device pairing and the start page, for people in a browser."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for

from shared.accounts import DEVICE_KINDS, Role
from shared.auth import (
    check_csrf,
    csrf_token,
    current_principal,
    end_session,
    start_device_session,
    start_user_session,
)
from shared.hub import current_hub

bp = Blueprint("pages", __name__)

_PAGE_MARK = "antrian_renders_page"


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
                return redirect(url_for(target, next=request.path))
            return view(*args, **kwargs)

        return page(wrapped)

    return decorator


@bp.app_context_processor
def page_globals() -> dict[str, Any]:
    hub = current_hub()
    return {"office": hub.settings.office, "csrf_token": csrf_token}


@bp.get("/")
@page
def index():
    return render_template("index.html", principal=current_principal())


@bp.get("/favicon.ico")
def favicon():
    return "", 204  # no icon; answering keeps every page's console free of 404s


@bp.route("/login", methods=["GET", "POST"])
@page
def login():
    if request.method == "GET":
        return render_template("login.html", error=None)
    check_csrf()
    principal = current_hub().accounts.check_password(
        request.form.get("username", ""), request.form.get("password", "")
    )
    if principal is None:
        return render_template("login.html", error="Nama pengguna atau kata sandi salah."), 401
    start_user_session(principal)
    return redirect(_safe_next() or url_for("counter.panel"))


@bp.post("/logout")
def logout():
    check_csrf()
    end_session()
    return redirect(url_for("pages.login"))


@bp.route("/pair", methods=["GET", "POST"])
@page
def pair():
    """Pair this browser as a kiosk or display with the token from `antrian device add`.

    The pairing link carries the token after `#`, which the browser never sends: the page's
    script posts it, so it stays out of access logs and browser history.
    """
    if request.method == "GET":
        return render_template("pair.html", error=None)
    check_csrf()
    device = current_hub().accounts.device_for_token(request.form.get("token", "").strip())
    if device is None:
        error = "Token perangkat tidak dikenal. Buat token baru dengan: antrian device add"
        return render_template("pair.html", error=error), 401
    start_device_session(device)
    return redirect(url_for("kiosk.index" if device.role is Role.KIOSK else "display.index"))


def _safe_next() -> str | None:
    target = request.args.get("next", "")
    # Only paths on this hub, so a crafted link cannot send an officer elsewhere.
    return target if target.startswith("/") and not target.startswith("//") else None

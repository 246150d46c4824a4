"""Who is asking, for HTTP and Socket.IO: bearer tokens, session cookies, CSRF, roles."""

from __future__ import annotations

import functools
import hmac
import logging
import secrets
import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import abort, current_app, g, jsonify, request, session
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from shared.accounts import USER_SESSION_MAX_AGE, Accounts, Principal, Role, token_digest
from shared.store.base import StoreUnavailable

log = logging.getLogger(__name__)

LOGIN_TOKEN_MAX_AGE = 12 * 3600  # one working day; an API client logs in again tomorrow
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _accounts() -> Accounts:
    return current_app.extensions["antrian"].accounts


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt="antrian-api-login")


def issue_login_token(principal: Principal) -> str:
    """A signed token an API client sends as `Authorization: Bearer`."""
    # The epoch ties the token to the password it was won with: a new password ends it.
    return _serializer().dumps({"user": principal.name, "epoch": principal.grant.epoch})


def principal_for_token(token: str) -> Principal | None:
    """The device or user a bearer token stands for, if it is valid."""
    device = _accounts().device_for_token(token)
    if device is not None:
        return device
    try:
        data = _serializer().loads(token, max_age=LOGIN_TOKEN_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("epoch"), int):
        return None  # a token from before epochs: its user signs in again
    # Looked up again so that a changed role or a disabled user takes effect at once.
    return _accounts().user(str(data.get("user", "")), data["epoch"])


def start_user_session(principal: Principal) -> None:
    """Sign this browser in: a fresh session with its own id, epoch and start time."""
    session.clear()  # a fresh session on sign-in, against session fixation
    session["user"] = principal.name
    session["epoch"] = principal.grant.epoch
    session["sid"] = secrets.token_urlsafe(18)
    session["since"] = int(time.time())


def start_device_session(device: Principal) -> None:
    """Pair this browser as the device; the cookie holds the token's digest, not the token."""
    session.clear()
    session.permanent = True  # a kiosk or TV stays paired across restarts
    session["device_key"] = device.grant.device_key


def end_session() -> None:
    """Sign out on the server too, so a copied cookie of this session is refused from now on."""
    if "sid" in session:
        try:
            _accounts().end_session(session["sid"], float(session.get("since", time.time())))
        except StoreUnavailable:
            # The browser is still signed out; a copy of its cookie lives until it expires.
            log.warning(
                "store unavailable: session of %s ended in the browser only", session["user"]
            )
    session.clear()


def principal_for_session() -> Principal | None:
    """The user signed in, or the device paired, in this browser session."""
    if "user" in session:
        return _session_user()
    if "device_token" in session:
        # A browser paired before cookies held only the digest: switch it over once.
        session["device_key"] = token_digest(session.pop("device_token"))
    if "device_key" in session:
        return _accounts().device_for_key(str(session["device_key"]))
    return None


def _session_user() -> Principal | None:
    since = session.get("since")
    sid = session.get("sid")
    epoch = session.get("epoch")
    if not isinstance(since, int) or not isinstance(sid, str) or not isinstance(epoch, int):
        return None  # a cookie from before server-side sessions: sign in again
    if time.time() - since > USER_SESSION_MAX_AGE:
        return None
    return _accounts().user(str(session["user"]), epoch, sid)


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_principal() -> Principal | None:
    """Who is asking in this request; a cookie-authenticated change must carry CSRF."""
    if "principal" in g:
        return g.principal
    token = bearer_token()
    if token is not None:
        principal = principal_for_token(token)
    else:
        principal = principal_for_session()
        if principal is not None and request.method not in _SAFE_METHODS:
            check_csrf()
    g.principal = principal
    return principal


def signed_in() -> Principal:
    """The principal of a view already guarded by `require`."""
    principal = current_principal()
    if principal is None:
        abort(_error(401, "Silakan masuk (login) atau pasangkan perangkat terlebih dahulu."))
    return principal


def csrf_token() -> str:
    """The session's CSRF token, made on first use; pages put it in forms and fetch headers."""
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(24)
    return session[CSRF_FIELD]


def check_csrf() -> None:
    """Refuse a cookie-authenticated change whose CSRF token does not match the session's."""
    sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD) or ""
    expected = session.get(CSRF_FIELD, "")
    if not expected or not hmac.compare_digest(sent, expected):
        abort(_error(403, "Sesi formulir tidak valid (CSRF). Muat ulang halaman lalu coba lagi."))


def _error(status: int, message: str) -> Any:
    response = jsonify(error=message)
    response.status_code = status
    return response


def require(roles: Iterable[Role]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Let a view run only for these roles: 401 without credentials, 403 with the wrong role."""
    allowed = frozenset(roles)

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            principal = current_principal()
            if principal is None:
                abort(
                    _error(401, "Silakan masuk (login) atau pasangkan perangkat terlebih dahulu.")
                )
            if principal.role not in allowed:
                abort(_error(403, "Anda tidak berwenang melakukan ini."))
            return view(*args, **kwargs)

        return wrapped

    return decorator


def socket_principal(auth: Any) -> Principal | None:
    """Who opens a Socket.IO connection: a token in the auth payload, or the session cookie."""
    if isinstance(auth, dict) and isinstance(auth.get("token"), str):
        return principal_for_token(auth["token"])
    return principal_for_session()

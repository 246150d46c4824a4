"""JSON from outside the hub, decoded so that no payload can crash a handler.

Used for HTTP bodies (as the app's JSON provider) and Socket.IO packets alike. Python's
decoder accepts what later breaks us: nesting deep enough to exhaust the recursion limit,
and lone surrogates ("\\ud800"), which no UTF-8 encoder (SQLite, Redis, the response
itself) can write. Both are refused here, once, before any handler sees the data.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Our requests are an object of scalars; 32 levels leaves room for any honest client.
MAX_DEPTH = 32
NOT_JSON = "Isi permintaan bukan JSON yang sah."
TOO_DEEP = f"Isi permintaan terlalu bertingkat (maksimal {MAX_DEPTH} tingkat)."
BAD_TEXT = "Isi permintaan memuat karakter yang tidak sah (surrogate Unicode tanpa pasangan)."
# json.loads joins a valid surrogate pair into one character, so any left is a lone one.
_SURROGATE = re.compile("[\ud800-\udfff]")


class UnreadableJson(ValueError):
    """The payload is not JSON the hub accepts; the message (Bahasa Indonesia) says why."""


def loads(text: str | bytes, **kwargs: Any) -> Any:
    """json.loads, refusing deep nesting and lone surrogates with UnreadableJson."""
    try:
        value = json.loads(text, **kwargs)
    except RecursionError:
        raise UnreadableJson(TOO_DEEP) from None
    except ValueError:  # also UnicodeDecodeError of bytes that are not UTF-8
        raise UnreadableJson(NOT_JSON) from None
    check(value)
    return value


def dumps(value: Any, **kwargs: Any) -> str:
    """json.dumps, so that this module can stand in for `json` (python-socketio asks both)."""
    return json.dumps(value, **kwargs)


def check(value: Any) -> None:
    """Refuse a decoded value nested deeper than MAX_DEPTH or holding a lone surrogate."""
    # Iterative: a recursive walk would itself hit the recursion limit it guards against.
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise UnreadableJson(TOO_DEEP)
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise UnreadableJson(BAD_TEXT)
        elif isinstance(item, dict):
            pending.extend((key, depth + 1) for key in item)
            pending.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)

"""Requests from the API and Socket.IO turned into domain commands, checked for shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.domain import commands as c
from shared.domain.rules import MAX_REASON_LENGTH

# Every text a command carries is stored in the day's events and broadcast to every screen,
# so none may be longer than a person would type: a 10 MB reason once grew the store by
# 20 MB and went out to every display. Names and references (service codes, counter ids,
# ticket numbers or ids, request ids) are short; reasons get the rules' own limit.
MAX_REF_LENGTH = 64
# A signer is one of the step's actor and substitutes, named as config.yaml names them.
MAX_SIGNER_LENGTH = 80


class BadRequest(Exception):
    """The request is malformed; the message (in Bahasa Indonesia) says how."""


def text_field(
    body: dict[str, Any], key: str, *, required: bool = False, max_length: int = MAX_REF_LENGTH
) -> str | None:
    """A trimmed text field of at most max_length; numbers are taken as text."""
    value = body.get(key)
    if value is None:
        if required:
            raise BadRequest(f"Kolom '{key}' wajib diisi.")
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"Kolom '{key}' harus berupa teks.")
    value = value.strip()
    if len(value) > max_length:
        # The value itself is not repeated: it may be megabytes long.
        raise BadRequest(f"Kolom '{key}' terlalu panjang (maksimal {max_length} karakter).")
    return value


def reason_field(body: dict[str, Any]) -> str:
    """The free-text `reason` (return, cancel, break), empty when not given."""
    return text_field(body, "reason", max_length=MAX_REASON_LENGTH) or ""


def _step(body: dict[str, Any]) -> int | None:
    """The SOP step number the officer chose (1-based, as printed in the SOP) as an index."""
    value = body.get("step")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise BadRequest("Kolom 'step' harus nomor langkah (1, 2, 3, ...).")
    return value - 1


def issue_command(body: dict[str, Any], *, issued_by: str | None) -> c.IssueTicket:
    """An IssueTicket from `{"service", "priority", "request_id"}`."""
    service = text_field(body, "service", required=True) or ""
    return c.IssueTicket(
        service=service,
        priority=text_field(body, "priority"),
        issued_by=issued_by,
        request_id=text_field(body, "request_id"),
    )


def counter_command(
    action: str, counter: str, officer: str, body: dict[str, Any], *, supervisor: bool = False
) -> c.Command:
    """The command for a counter action name such as `call_next` or `return`.

    A supervisor's cancel or reinstate is their own command, for a ticket of any line;
    the caller says `supervisor` only after checking the role.
    """
    if supervisor and action in _SUPERVISOR_ACTIONS:
        return _SUPERVISOR_ACTIONS[action](officer, body)
    if action == "call_next":
        ticket = text_field(body, "ticket")
        if ticket is not None:
            return c.CallTicket(counter, officer, ticket=ticket)
        return c.CallNext(counter, officer)
    simple = _SIMPLE.get(action)
    if simple is not None:
        return simple(counter, officer)
    if action == "next_step":
        return c.NextStep(counter, officer, to_step=_step(body))
    if action == "previous_step":
        return c.PreviousStep(counter, officer, to_step=_step(body))
    if action == "return":
        # An empty reason is the rules' to refuse, after they have checked the ticket's state.
        return c.ReturnIncomplete(counter, officer, reason=reason_field(body))
    if action == "transfer":
        return c.Transfer(
            counter,
            officer,
            to_service=text_field(body, "service"),
            to_counter=text_field(body, "counter"),
        )
    if action == "record_attributes":
        return c.RecordAttributes(counter, officer, attributes=_attributes(body))
    if action in ("hand_over", "park"):
        signer = text_field(body, "signer", max_length=MAX_SIGNER_LENGTH)
        return c.HandOverStep(counter, officer, signer=signer, park=action == "park")
    if action == "resume_ticket":
        return c.ResumeTicket(counter, officer, ticket=_ticket_ref(body))
    if action == "finish":
        return c.Finish(counter, officer, not_entered_online=_flag(body, "not_entered_online"))
    if action == "pause":
        return c.PauseCounter(counter, officer, reason=reason_field(body))
    if action == "reinstate":
        return c.Reinstate(counter, officer, ticket=_ticket_ref(body))
    if action == "cancel":
        return c.Cancel(counter, officer, ticket=_ticket_ref(body), reason=reason_field(body))
    # The action comes from the URL: named, not repeated, since it may be any length.
    raise BadRequest("Perintah loket tidak dikenal.")


# A service declares a handful of attributes; more in one request is not a person's doing.
MAX_ATTRIBUTES = 16


def _attributes(body: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """`{"attributes": {"jenis_kelamin": "P"}}` as pairs; which ones exist is the rules' to say."""
    value = body.get("attributes")
    shape = 'Kolom \'attributes\' harus berisi atribut dan pilihannya, mis. {"jenis_kelamin": "P"}.'
    if not isinstance(value, dict) or not value or len(value) > MAX_ATTRIBUTES:
        raise BadRequest(shape)
    pairs = []
    for key, choice in value.items():
        if not isinstance(choice, str):
            raise BadRequest(shape)
        name = text_field({"attributes": key}, "attributes") or ""
        picked = text_field({"attributes": choice}, "attributes") or ""
        pairs.append((name, picked))
    return tuple(pairs)


def _flag(body: dict[str, Any], key: str) -> bool:
    value = body.get(key, False)
    if not isinstance(value, bool):
        raise BadRequest(f"Kolom '{key}' harus true atau false.")
    return value


def _ticket_ref(body: dict[str, Any]) -> str:
    return text_field(body, "ticket", required=True) or ""


_SUPERVISOR_ACTIONS: dict[str, Callable[[str, dict[str, Any]], c.SupervisorCommand]] = {
    "reinstate": lambda who, body: c.SupervisorReinstate(who, ticket=_ticket_ref(body)),
    "cancel": lambda who, body: c.SupervisorCancel(
        who, ticket=_ticket_ref(body), reason=reason_field(body)
    ),
}


_SIMPLE: dict[str, type[c.CounterCommand]] = {
    "recall": c.Recall,
    "start": c.Start,
    "skip": c.Skip,
    "open": c.OpenCounter,
    "close": c.CloseCounter,
    "resume": c.ResumeCounter,
}

"""Requests from the API and Socket.IO turned into domain commands, checked for shape."""

from __future__ import annotations

from typing import Any

from shared.domain import commands as c


class BadRequest(Exception):
    """The request is malformed; the message (in Bahasa Indonesia) says how."""


def text_field(body: dict[str, Any], key: str, *, required: bool = False) -> str | None:
    """A trimmed text field; numbers are taken as text, anything else is refused."""
    value = body.get(key)
    if value is None:
        if required:
            raise BadRequest(f"Kolom '{key}' wajib diisi.")
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"Kolom '{key}' harus berupa teks.")
    return value.strip()


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


def counter_command(action: str, counter: str, officer: str, body: dict[str, Any]) -> c.Command:
    """The command for a counter action name such as `call_next` or `return`."""
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
        return c.ReturnIncomplete(counter, officer, reason=text_field(body, "reason") or "")
    if action == "transfer":
        return c.Transfer(
            counter,
            officer,
            to_service=text_field(body, "service"),
            to_counter=text_field(body, "counter"),
        )
    if action == "pause":
        return c.PauseCounter(counter, officer, reason=text_field(body, "reason") or "")
    if action == "reinstate":
        return c.Reinstate(counter, officer, ticket=text_field(body, "ticket", required=True) or "")
    if action == "cancel":
        return c.Cancel(
            counter,
            officer,
            ticket=text_field(body, "ticket", required=True) or "",
            reason=text_field(body, "reason") or "",
        )
    raise BadRequest(f"Perintah loket '{action}' tidak dikenal.")


_SIMPLE: dict[str, type[c.CounterCommand]] = {
    "recall": c.Recall,
    "start": c.Start,
    "finish": c.Finish,
    "skip": c.Skip,
    "hand_over": c.HandOverStep,
    "open": c.OpenCounter,
    "close": c.CloseCounter,
    "resume": c.ResumeCounter,
}

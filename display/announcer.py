"""What the display says for a call, rendered as soon as the call is committed."""

from __future__ import annotations

from pathlib import Path

from display.voice import Voice, VoiceUnavailable, call_phrase
from shared.domain.events import DomainEvent, TicketCalled, TicketRecalled
from shared.domain.office_day import OfficeDay, normalise_number
from shared.hub import Hub

ANNOUNCED = (TicketCalled, TicketRecalled)


class Announcer:
    """Builds call phrases from the office's template and gets them spoken."""

    def __init__(self, hub: Hub, voice: Voice) -> None:
        self.hub = hub
        self.voice = voice

    def phrase(self, number: str, counter_id: str) -> str | None:
        """The phrase for a number called to a counter, or None if either is unknown."""
        counter = self.hub.catalogue.counter(counter_id)
        normalised = normalise_number(number)
        if counter is None or normalised is None:
            return None
        return call_phrase(self.hub.settings.voice.phrase, normalised, counter.name)

    def on_events(self, events: list[DomainEvent], day: OfficeDay) -> None:
        """Start rendering each call now, so the display's request finds it ready."""
        for event in events:
            if isinstance(event, ANNOUNCED):
                phrase = self.phrase(day.tickets[event.ticket_id].number, event.counter)
                if phrase:
                    self.voice.prepare(phrase)

    def wav(self, phrase: str) -> Path:
        """The WAV of a phrase; on failure, staff see why and the display speaks for itself."""
        try:
            path = self.voice.wav(phrase)
        except VoiceUnavailable as exc:
            self.hub.raise_alert(
                "voice",
                "Suara panggilan dari server tidak tersedia; layar memakai suara peramban.",
                str(exc),
                self.hub.queue.clock(),
            )
            raise
        self.hub.clear_alert("voice")
        return path

"""The display's part of the hub: its blueprint and its voice, attached to the app."""

from pathlib import Path

from flask import Blueprint, Flask

bp = Blueprint(
    "display",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/display/static",
)


def init_app(app: Flask) -> None:
    """Give the app its voice (the worker starts on first use) and pre-render every call."""
    from display.announcer import Announcer
    from display.voice import Voice

    hub = app.extensions["antrian"]
    settings = hub.settings
    cache = Path(settings.config_path).parent / "instance" / "voice-cache"
    voice = Voice(
        cache,
        voice=settings.voice.voice,
        rate=settings.voice.rate,
        timeout=settings.voice.timeout_seconds,
    )
    announcer = Announcer(hub, voice)
    app.extensions["antrian_announcer"] = announcer
    if settings.voice.enabled:
        hub.publisher.listeners.append(announcer.on_events)


from display import routes  # noqa: E402,F401  (routes attach themselves to bp)

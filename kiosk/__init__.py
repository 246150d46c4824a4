"""The ticket kiosk: pages and the ticket socket events."""

from flask import Blueprint

bp = Blueprint(
    "kiosk",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/kiosk/static",
)

from kiosk import (  # noqa: E402,F401  (routes attach themselves to bp)
    complaints,
    file_status,
    pickup,
    routes,
    survey_routes,
)

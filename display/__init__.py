"""The waiting-room display: the TV page."""

from flask import Blueprint

bp = Blueprint(
    "display",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/display/static",
)

from display import routes  # noqa: E402,F401  (routes attach themselves to bp)

"""The counter panel for officers."""

from flask import Blueprint

bp = Blueprint(
    "counter",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/counter/static",
)

from counter import (  # noqa: E402,F401  (they attach themselves to bp)
    backlog,
    complaint_report,
    complaints,
    ikm_report,
    paper_visits,
    reports,
    routes,
    supervisor,
)

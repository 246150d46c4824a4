"""Counter pages."""

from flask import render_template

from counter import bp
from shared.accounts import STAFF
from shared.hub import current_hub
from shared.pages import require_page


@bp.get("/counter")
@require_page(STAFF)
def panel():
    return render_template("counter/panel.html", counters=current_hub().catalogue.counters)

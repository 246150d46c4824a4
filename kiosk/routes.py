"""Kiosk pages."""

from flask import render_template

from kiosk import bp
from shared.accounts import Role
from shared.hub import current_hub
from shared.pages import require_page


@bp.get("/kiosk")
@require_page([Role.KIOSK, Role.ADMIN])
def index():
    return render_template("kiosk/index.html", services=current_hub().catalogue.services)

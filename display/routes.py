"""Display pages."""

from flask import render_template

from display import bp
from shared.accounts import Role
from shared.pages import require_page


@bp.get("/display")
@require_page([Role.DISPLAY, Role.ADMIN])
def index():
    return render_template("display/index.html")

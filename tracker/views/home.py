"""The home page: the agreements in force order, with links to their pages."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from tracker.db import get_session
from tracker.forms.agreements import AGREEMENT_KIND_LABELS
from tracker.models import Agreement
from tracker.permissions import requires

bp = Blueprint("home", __name__)


@bp.route("/")
@requires("viewer")
def index() -> str:
    agreements = get_session().scalars(select(Agreement).order_by(Agreement.effective_from))
    return render_template(
        "home/index.html", agreements=list(agreements), kinds=AGREEMENT_KIND_LABELS
    )

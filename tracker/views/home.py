"""The home page: what changed, per agreement in force; what waits for review; the user's
recent work; the last imports; then every agreement."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, render_template, send_from_directory
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker import labels
from tracker.charts import sparkline_svg
from tracker.db import get_session
from tracker.forms.agreements import AGREEMENT_KIND_LABELS
from tracker.forms.incidents import CATEGORY_LABELS, STATUS_LABELS
from tracker.i18n import lazy_labels
from tracker.models import Agreement
from tracker.permissions import allowed, requires
from tracker.queries import home
from tracker.queries.visibility import shown_statuses
from tracker.views.common import audience, local_zone, signed_in_user

bp = Blueprint("home", __name__)


@bp.route("/")
@requires("viewer")
def index() -> str:
    session = get_session()
    today = dt.datetime.now(local_zone()).date()
    analyst = allowed(current_user.role, "analyst")
    public = audience().public
    statuses = [str(s) for s in shown_statuses(public=public)]
    activity = home.activity(session, home.in_force(session, today), today, statuses)
    trends = {
        a.agreement.id: sparkline_svg(
            a.daily,
            title=_("Violations per day over the last %(days)s days", days=home.TREND_DAYS),
        )
        for a in activity
    }
    agreements = session.scalars(select(Agreement).order_by(Agreement.effective_from))
    return render_template(
        "home/index.html",
        activity=activity,
        trends=trends,
        waiting=home.waiting_for_review(session) if analyst else None,
        recent=home.recent_work(session, signed_in_user()) if analyst else [],
        imports=None if public else home.last_imports(session),
        import_kinds=lazy_labels(labels.IMPORT_KIND_LABELS),
        agreements=list(agreements),
        kinds=AGREEMENT_KIND_LABELS,
        categories=CATEGORY_LABELS,
        statuses=STATUS_LABELS,
        today=today,
    )


@bp.route("/favicon.ico")
@requires("public")
def favicon() -> Response:
    """The tab icon browsers ask for at this address (an SVG picture)."""
    return send_from_directory(
        current_app.static_folder or "", "favicon.svg", mimetype="image/svg+xml", max_age=86400
    )

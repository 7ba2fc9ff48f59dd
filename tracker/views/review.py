"""The review queue: what waits for review, oldest first; claim, decide, go on to the next."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker.db import get_session
from tracker.forms.review import DecisionForm
from tracker.forms.sources import ConfirmForm
from tracker.models import Incident, RecordState, ReviewClaim, Status
from tracker.permissions import requires
from tracker.queries.applicability import verdicts_of_incident
from tracker.queries.review import drafts_of, next_for, returned_to, waiting
from tracker.rules.values import parse_id
from tracker.services import review as service
from tracker.views.common import save, signed_in_user, store_ready
from tracker.views.incidents import LABELS

bp = Blueprint("review", __name__, url_prefix="/review")


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"labels": LABELS}


@bp.route("/")
@requires("analyst")
def index() -> str:
    """Reviewers see what waits for review; everyone sees their drafts and what came back."""
    session = get_session()
    user = signed_in_user()
    reviewer = user.has_role("reviewer")
    store_ready()
    return render_template(
        "review/index.html",
        waiting=waiting(session) if reviewer else [],
        drafts=drafts_of(session, user),
        returned=returned_to(session, user),
        reviewer=reviewer,
        user=user,
        confirm_form=ConfirmForm(),
    )


def _incident(incident_id: int) -> Incident:
    incident = get_session().get(Incident, incident_id)
    if incident is None:
        abort(404)
    return incident


@bp.route("/<int:incident_id>")
@requires("reviewer")
def item(incident_id: int) -> str:
    """One incident under review: its facts, its verdict, its sources and the decision form."""
    incident = _incident(incident_id)
    user = signed_in_user()
    form = DecisionForm(version=str(incident.version))
    form.reason.id = form.reason.label.field_id = "decision-reason"
    claim = get_session().get(ReviewClaim, incident_id)
    links = [link for link in incident.source_links if link.state == RecordState.ACTIVE]
    store_ready()
    return render_template(
        "review/item.html",
        incident=incident,
        judged=verdicts_of_incident(get_session(), incident),
        links=links,
        claim=claim,
        own=incident.created_by_id == user.id,
        waiting_for_review=incident.status == Status.SUBMITTED,
        form=form,
        confirm_form=ConfirmForm(),
        next_id=next_for(get_session(), user, after=incident_id),
    )


@bp.route("/<int:incident_id>/claim", methods=["POST"])
@requires("reviewer")
def claim(incident_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        user = signed_in_user()
        save(lambda db: service.claim_incident(db, incident_id, actor=user), None)
    return redirect(url_for("review.item", incident_id=incident_id))


@bp.route("/<int:incident_id>/release", methods=["POST"])
@requires("reviewer")
def release(incident_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        user = signed_in_user()
        save(lambda db: service.release_claim(db, incident_id, actor=user), None)
    return redirect(url_for("review.index"))


@bp.route("/<int:incident_id>/decide", methods=["POST"])
@requires("reviewer")
def decide(incident_id: int) -> Response:
    """Record the decision, then open the next incident waiting (claimed), or the queue."""
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("Nothing was decided: choose verify, dispute or reject."), "error")
        return redirect(url_for("review.item", incident_id=incident_id))
    user = signed_in_user()
    session = get_session()
    decided = save(
        lambda db: service.decide(
            db,
            incident_id,
            form.decision.data or "",
            parse_id(form.version.data) or 0,
            form.reason.data,
            actor=user,
        ),
        None,
    )
    if not decided.committed:
        return redirect(url_for("review.item", incident_id=incident_id))
    flash(_("Incident %(number)s: decision recorded.", number=incident_id), "success")
    following = next_for(session, user, after=incident_id)
    if following is None:
        flash(_("Nothing else waits for your review."), "success")
        return redirect(url_for("review.index"))
    save(lambda db: service.claim_incident(db, following, actor=user), None)
    return redirect(url_for("review.item", incident_id=following))

"""Writes of the review queue: claim an incident, release it, decide on it (verify, dispute or
reject with a reason); never on one's own entries."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tracker.models import Incident, ReviewClaim, Role, Status, User, utcnow
from tracker.models.review import CLAIM_LIFETIME
from tracker.services.errors import InvalidInputError
from tracker.services.history import audit
from tracker.services.incidents import change_status, get_incident

#: What a reviewer decides from the queue; a dispute or a rejection needs a reason.
DECISIONS = (Status.VERIFIED, Status.DISPUTED, Status.REJECTED)
#: A claim older than this no longer keeps other reviewers away.


def _check_reviewer(incident: Incident, actor: User) -> None:
    if not actor.has_role(Role.REVIEWER):
        raise InvalidInputError(_("Only reviewers review incidents."), {})
    if incident.created_by_id == actor.id:
        raise InvalidInputError(
            _("You entered this incident: another reviewer must review it."), {}
        )


def claim_incident(session: Session, incident_id: int, *, actor: User) -> ReviewClaim:
    """Take ``incident_id`` for review, unless another reviewer holds a live claim on it.

    :raises NotFoundError: for an unknown incident.
    :raises InvalidInputError: for an incident not waiting for review, one's own entry, or one
        another reviewer claimed less than ``CLAIM_LIFETIME`` ago.
    """
    incident = get_incident(session, incident_id)
    _check_reviewer(incident, actor)
    if incident.status != Status.SUBMITTED:
        raise InvalidInputError(_("This incident is not waiting for review."), {})
    claim = session.get(ReviewClaim, incident_id, with_for_update=True)
    now = utcnow()
    if claim is not None and claim.user_id != actor.id and claim.age(now) < CLAIM_LIFETIME:
        holder = claim.user.label
        raise InvalidInputError(_("%(name)s is already reviewing this incident.", name=holder), {})
    if claim is None:
        claim = ReviewClaim(incident_id=incident_id, user_id=actor.id, claimed_at=now)
        session.add(claim)
    else:
        claim.user_id, claim.claimed_at = actor.id, now
    audit(session, "review.claim", user=actor, entity_type="incidents", entity_id=incident_id)
    return claim


def release_claim(session: Session, incident_id: int, *, actor: User) -> None:
    """Give back one's claim on ``incident_id`` (nothing happens without one)."""
    claim = session.get(ReviewClaim, incident_id)
    if claim is not None and claim.user_id == actor.id:
        session.delete(claim)
        audit(session, "review.release", user=actor, entity_type="incidents", entity_id=incident_id)


def decide(
    session: Session,
    incident_id: int,
    decision: str,
    expected_version: int,
    reason: str | None,
    *,
    actor: User,
) -> Incident:
    """Verify, dispute or reject an incident waiting for review, and end the claim on it.

    :raises NotFoundError: for an unknown incident.
    :raises StaleEditError: when it was saved since version ``expected_version``.
    :raises InvalidInputError: for another decision, a dispute or rejection without a reason,
        one's own entry, or an incident another reviewer holds.
    """
    incident = get_incident(session, incident_id)
    _check_reviewer(incident, actor)
    if decision not in {d.value for d in DECISIONS}:
        raise InvalidInputError(_("Choose verify, dispute or reject."), {})
    text = (reason or "").strip() or None
    if decision != Status.VERIFIED and text is None:
        message = _("Say why: a dispute or a rejection goes back to the analyst with its reason.")
        raise InvalidInputError(message, {"reason": message})
    claim = session.get(ReviewClaim, incident_id, with_for_update=True)
    if claim is not None and claim.user_id != actor.id and claim.age(utcnow()) < CLAIM_LIFETIME:
        holder = claim.user.label
        raise InvalidInputError(_("%(name)s is already reviewing this incident.", name=holder), {})
    incident = change_status(
        session, incident_id, decision, expected_version, actor=actor, reason=text
    )
    if claim is not None:
        session.delete(claim)
    return incident

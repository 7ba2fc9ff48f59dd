"""What waits for review, oldest first, with the verdicts at stake; an analyst's drafts and
the incidents that came back to them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from tracker.models import Incident, ReviewClaim, Status, User, utcnow
from tracker.models.review import CLAIM_LIFETIME
from tracker.queries.incident_list import stored_verdicts
from tracker.rules.applicability import Verdict

#: The most incidents one list of the queue shows.
QUEUE_LIMIT = 200


@dataclass(frozen=True)
class QueueItem:
    """An incident in a list of the queue, its stored verdict against its alleged agreement,
    and who has claimed it."""

    incident: Incident
    verdict: Verdict | None
    claim: ReviewClaim | None

    def claimed_by_other(self, user: User) -> bool:
        """Whether another reviewer holds a live claim on it."""
        claim = self.claim
        return (
            claim is not None and claim.user_id != user.id and claim.age(utcnow()) < CLAIM_LIFETIME
        )


def _items(session: Session, incidents: list[Incident]) -> list[QueueItem]:
    ids = [i.id for i in incidents]
    claims = (
        {
            c.incident_id: c
            for c in session.scalars(select(ReviewClaim).where(ReviewClaim.incident_id.in_(ids)))
        }
        if ids
        else {}
    )
    verdicts = stored_verdicts(session, incidents)
    return [QueueItem(i, verdicts.get(i.id), claims.get(i.id)) for i in incidents]


def _incidents(session: Session, *conditions: object, newest_first: bool = False) -> list[Incident]:
    order = (
        (Incident.updated_at.desc(), Incident.id.desc())
        if newest_first
        else (
            Incident.created_at,
            Incident.id,
        )
    )
    statement = (
        select(Incident)
        .where(*conditions)  # type: ignore[arg-type]
        .options(selectinload(Incident.place), selectinload(Incident.alleged_agreement))
        .order_by(*order)
        .limit(QUEUE_LIMIT)
    )
    return list(session.scalars(statement))


def waiting(session: Session) -> list[QueueItem]:
    """Incidents submitted for review, oldest first."""
    return _items(session, _incidents(session, Incident.status == Status.SUBMITTED))


def drafts_of(session: Session, user: User) -> list[QueueItem]:
    """``user``'s drafts, most recently changed first."""
    return _items(
        session,
        _incidents(
            session,
            Incident.status == Status.DRAFT,
            Incident.created_by_id == user.id,
            Incident.reviewed_by_id.is_(None),
            newest_first=True,
        ),
    )


def returned_to(session: Session, user: User) -> list[QueueItem]:
    """``user``'s incidents a reviewer disputed, rejected or sent back to draft."""
    sent_back = (Incident.status == Status.DRAFT) & Incident.reviewed_by_id.is_not(None)
    return _items(
        session,
        _incidents(
            session,
            Incident.created_by_id == user.id,
            or_(Incident.status.in_([Status.DISPUTED, Status.REJECTED]), sent_back),
            newest_first=True,
        ),
    )


def next_for(session: Session, user: User, after: int | None = None) -> int | None:
    """The oldest incident waiting for review that ``user`` may review next: not their own,
    not ``after``, and not held by another reviewer's live claim."""
    live = utcnow() - CLAIM_LIFETIME
    held = select(ReviewClaim.incident_id).where(
        ReviewClaim.user_id != user.id, ReviewClaim.claimed_at > live
    )
    statement = (
        select(Incident.id)
        .where(
            Incident.status == Status.SUBMITTED,
            or_(Incident.created_by_id.is_(None), Incident.created_by_id != user.id),
            Incident.id.not_in(held),
        )
        .order_by(Incident.created_at, Incident.id)
        .limit(2)
    )
    found = [i for i in session.scalars(statement) if i != after]
    return found[0] if found else None

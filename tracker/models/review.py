"""Review claims: which reviewer has taken an incident waiting for review."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, created_at, internal
from tracker.models.users import User

#: How long a reviewer's claim keeps other reviewers away from an incident.
CLAIM_LIFETIME = dt.timedelta(hours=4)


class ReviewClaim(Base):
    """A reviewer's claim on an incident waiting for review, so that two reviewers do not
    review the same one; it ends with the reviewer's decision or when released."""

    __tablename__ = "review_claims"

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="RESTRICT"), primary_key=True, info=internal()
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True, info=internal()
    )
    claimed_at: Mapped[created_at] = mapped_column(info=internal())

    user: Mapped[User] = relationship()

    def age(self, now: dt.datetime) -> dt.timedelta:
        """How long ago the claim was made."""
        return now - self.claimed_at

    def __repr__(self) -> str:
        return f"<ReviewClaim incident {self.incident_id} by user {self.user_id}>"

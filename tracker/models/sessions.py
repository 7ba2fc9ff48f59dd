"""Server-side sign-in sessions and the log of sign-in attempts used for throttling."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, confidential, created_at, internal, intpk
from tracker.models.users import User


class UserSession(Base):
    """One signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so
    the table alone cannot be replayed. A session ends on sign-out, on a password change, on
    deactivation, or when it has been idle too long."""

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user_open", "user_id", "ended_at"),)

    id: Mapped[intpk] = mapped_column(info=internal())
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, info=confidential())
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), info=internal()
    )
    created_at: Mapped[created_at] = mapped_column(info=internal())
    last_seen_at: Mapped[dt.datetime] = mapped_column(info=internal())
    ended_at: Mapped[dt.datetime | None] = mapped_column(info=internal())
    end_reason: Mapped[str | None] = mapped_column(String(30), info=internal())
    address: Mapped[str | None] = mapped_column(String(45), info=internal())
    user_agent: Mapped[str | None] = mapped_column(String(300), info=internal())

    user: Mapped[User] = relationship()

    @property
    def is_open(self) -> bool:
        """Whether the session has not been ended."""
        return self.ended_at is None

    def __repr__(self) -> str:
        return f"<UserSession {self.id} of user {self.user_id}>"


class LoginAttempt(Base):
    """One sign-in attempt, kept to limit attempts per address and for the audit of sign-ins."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_address_created_at", "address", "created_at"),
        Index("ix_login_attempts_username_created_at", "username", "created_at"),
    )

    id: Mapped[intpk] = mapped_column(info=internal())
    username: Mapped[str] = mapped_column(String(80), info=internal())
    address: Mapped[str] = mapped_column(String(45), info=internal())
    succeeded: Mapped[bool] = mapped_column(Boolean, info=internal())
    created_at: Mapped[created_at] = mapped_column(info=internal())

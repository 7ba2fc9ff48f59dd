"""Personal API tokens: a user's keys to the JSON API, stored as SHA-256 digests."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, created_at, enum_check, intpk
from tracker.models.users import User


class TokenScope(enum.StrEnum):
    READ = "read"  # GET requests only
    WRITE = "write"  # reads and writes, within the user's role


class ApiToken(Base):
    """One personal API token. The secret is shown once when created; only its SHA-256 is
    kept. A token acts with its user's role, never beyond its scope, until it expires or is
    revoked."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        enum_check("scope", TokenScope),
        Index("ix_api_tokens_user_id", "user_id"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    scope: Mapped[str] = mapped_column(String(5), default=TokenScope.READ)
    created_at: Mapped[created_at]
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    last_used_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship()

    def usable(self, now: dt.datetime) -> bool:
        """Whether the token is neither revoked nor expired at ``now``."""
        return self.revoked_at is None and self.expires_at > now

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix} of user {self.user_id}>"

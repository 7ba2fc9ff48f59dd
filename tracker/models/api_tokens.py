"""Personal API tokens: a user's keys to the JSON API, stored as SHA-256 digests."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, confidential, created_at, enum_check, internal, intpk
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

    id: Mapped[intpk] = mapped_column(info=internal())
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), info=internal()
    )
    name: Mapped[str] = mapped_column(String(100), info=internal())
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, info=confidential())
    prefix: Mapped[str] = mapped_column(String(12), info=internal())
    scope: Mapped[str] = mapped_column(String(5), default=TokenScope.READ, info=internal())
    created_at: Mapped[created_at] = mapped_column(info=internal())
    expires_at: Mapped[dt.datetime] = mapped_column(info=internal())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(info=internal())
    last_used_at: Mapped[dt.datetime | None] = mapped_column(info=internal())

    user: Mapped[User] = relationship()

    def usable(self, now: dt.datetime) -> bool:
        """Whether the token is neither revoked nor expired at ``now``."""
        return self.revoked_at is None and self.expires_at > now

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix} of user {self.user_id}>"

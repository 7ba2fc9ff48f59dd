"""Users of the tracker and their roles."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, confidential, created_at, enum_check, internal, intpk


class Role(enum.StrEnum):
    VIEWER = "viewer"
    ANALYST = "analyst"
    REVIEWER = "reviewer"
    ADMIN = "admin"


#: Roles in increasing order of what they may do.
ROLE_ORDER = (Role.VIEWER, Role.ANALYST, Role.REVIEWER, Role.ADMIN)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        enum_check("role", Role),
        CheckConstraint("locale IN ('en', 'ar')", name="locale_allowed"),
    )

    id: Mapped[intpk] = mapped_column(info=internal())
    username: Mapped[str] = mapped_column(String(80), unique=True, info=internal())
    display_name: Mapped[str | None] = mapped_column(String(200), info=internal())
    password_hash: Mapped[str] = mapped_column(String(300), info=confidential())
    role: Mapped[str] = mapped_column(String(10), default=Role.VIEWER, info=internal())
    locale: Mapped[str] = mapped_column(String(5), default="en", info=internal())
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, info=internal())
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, info=internal())
    locked_until: Mapped[dt.datetime | None] = mapped_column(info=internal())
    created_at: Mapped[created_at] = mapped_column(info=internal())
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(info=internal())
    last_login_at: Mapped[dt.datetime | None] = mapped_column(info=internal())

    @property
    def label(self) -> str:
        """The display name, else the username."""
        return self.display_name or self.username

    def has_role(self, needed: str) -> bool:
        """Whether this user's role is ``needed`` or a more powerful one."""
        return ROLE_ORDER.index(Role(self.role)) >= ROLE_ORDER.index(Role(needed))

    def __repr__(self) -> str:
        return f"<User {self.username}>"

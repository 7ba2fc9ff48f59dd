"""Users of the tracker and their roles."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, created_at, enum_check, intpk


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

    id: Mapped[intpk]
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(10), default=Role.VIEWER)
    locale: Mapped[str] = mapped_column(String(5), default="en")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None]
    created_at: Mapped[created_at]
    password_changed_at: Mapped[dt.datetime | None]
    last_login_at: Mapped[dt.datetime | None]

    @property
    def label(self) -> str:
        """The display name, else the username."""
        return self.display_name or self.username

    def has_role(self, needed: str) -> bool:
        """Whether this user's role is ``needed`` or a more powerful one."""
        return ROLE_ORDER.index(Role(self.role)) >= ROLE_ORDER.index(Role(needed))

    def __repr__(self) -> str:
        return f"<User {self.username}>"

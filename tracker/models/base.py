"""Declarative base, constraint naming convention, the UTC datetime type and column aliases."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated, Any

from sqlalchemy import CheckConstraint, DateTime, Integer, MetaData, String, Text, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A time-zone-aware timestamp stored in UTC; naive values are refused."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: a time zone is required")
        value = value.astimezone(dt.UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        moment: dt.datetime = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
        if moment.tzinfo is None:
            return moment.replace(tzinfo=dt.UTC)
        return moment.astimezone(dt.UTC)


class Visibility(enum.StrEnum):
    """Who may see a column's values, for the rows they may see (the rows an audience sees are
    decided by :mod:`tracker.queries.visibility`)."""

    #: anyone, in public reports, exports and dumps
    PUBLIC = "public"
    #: analysts, reviewers and admins: notes, reasons, who did what, provenance
    INTERNAL = "internal"
    #: secrets no page shows: only an admin's full dump carries them
    CONFIDENTIAL = "confidential"


def public() -> dict[str, Any]:
    """The ``info=`` of a column anyone may see."""
    return {"visibility": Visibility.PUBLIC}


def internal() -> dict[str, Any]:
    """The ``info=`` of a column only analysts, reviewers and admins may see."""
    return {"visibility": Visibility.INTERNAL}


def confidential() -> dict[str, Any]:
    """The ``info=`` of a column only an admin's full dump carries."""
    return {"visibility": Visibility.CONFIDENTIAL}


def utcnow() -> dt.datetime:
    """The current instant, time-zone-aware in UTC."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """The base of every model; constraint names come from ``NAMING_CONVENTION``."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime()}  # noqa: RUF012


intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
str_short = Annotated[str, mapped_column(String(200))]
str_name = Annotated[str, mapped_column(String(300))]
text = Annotated[str, mapped_column(Text)]
created_at = Annotated[dt.datetime, mapped_column(UTCDateTime(), default=utcnow, nullable=False)]
updated_at = Annotated[
    dt.datetime, mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False)
]


def enum_values(kind: type[enum.Enum]) -> list[str]:
    """The stored values of a string enumeration, in declaration order."""
    return [str(member.value) for member in kind]


def enum_column(kind: type[enum.StrEnum], **kwargs: Any) -> Any:
    """A VARCHAR column sized for the values of ``kind``; pair it with :func:`enum_check`."""
    length = max(len(v) for v in enum_values(kind))
    return mapped_column(String(max(length, 10)), **kwargs)


def enum_check(column: str, kind: type[enum.StrEnum]) -> CheckConstraint:
    """A CHECK constraint that admits only the values of ``kind`` (or NULL) in ``column``."""
    allowed = ", ".join(f"'{v}'" for v in enum_values(kind))
    return CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_allowed")


def range_check(column: str, low: int | float, high: int | float) -> CheckConstraint:
    """A CHECK constraint keeping ``column`` between ``low`` and ``high`` inclusive."""
    return CheckConstraint(f"{column} BETWEEN {low} AND {high}", name=f"{column}_range")


def non_negative(column: str) -> CheckConstraint:
    """A CHECK constraint refusing negative values in ``column``."""
    return CheckConstraint(f"{column} >= 0", name=f"{column}_non_negative")

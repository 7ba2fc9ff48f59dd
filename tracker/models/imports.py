"""Imports from outside data sets: admin areas with their shapes, import runs, external ids."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, created_at, intpk, range_check


class AdminArea(Base):
    """An administrative area of OCHA's common operational data set (country, governorate,
    district, sub-district), with its P-code, names in both languages and polygon."""

    __tablename__ = "admin_areas"
    __table_args__ = (range_check("level", 0, 4),)

    id: Mapped[intpk]
    pcode: Mapped[str] = mapped_column(String(20), unique=True)
    level: Mapped[int] = mapped_column(Integer, index=True)
    name_en: Mapped[str] = mapped_column(String(300))
    name_ar: Mapped[str | None] = mapped_column(String(300))
    name_ref: Mapped[str | None] = mapped_column(String(300))
    parent_pcode: Mapped[str | None] = mapped_column(String(20), index=True)
    geometry: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    valid_on: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[created_at]


class ImportRun(Base):
    """One import of a file: who ran it, when, the file's SHA-256 and what became of its rows."""

    __tablename__ = "import_runs"
    __table_args__ = (
        CheckConstraint(
            "rows_read = imported + updated + unchanged + rejected", name="counts_add_up"
        ),
    )

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(300))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    run_by: Mapped[str] = mapped_column(String(200))
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    rows_read: Mapped[int] = mapped_column(Integer)
    imported: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[dt.datetime]
    created_at: Mapped[created_at]


class ExternalRecord(Base):
    """The id an outside data set gives a record (ACLED ``event_id_cnty``, a GED id) and the
    incident it became, with a digest of the row last imported (an unchanged row is skipped)."""

    __tablename__ = "external_records"
    __table_args__ = (UniqueConstraint("system", "external_id"),)

    id: Mapped[intpk]
    system: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(120))
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="RESTRICT"), unique=True
    )
    row_sha256: Mapped[str] = mapped_column(String(64))
    #: What the row said that no incident column holds (ACLED's associated actors, event
    #: types, tags; GED's death totals and source articles).
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    import_run_id: Mapped[int] = mapped_column(
        ForeignKey("import_runs.id", ondelete="RESTRICT"), index=True
    )

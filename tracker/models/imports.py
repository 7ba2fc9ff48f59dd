"""Imports from outside data sets: admin areas with their shapes, import runs, external ids."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, created_at, internal, intpk, public, range_check


class AdminArea(Base):
    """An administrative area of OCHA's common operational data set (country, governorate,
    district, sub-district), with its P-code, names in both languages and polygon."""

    __tablename__ = "admin_areas"
    __table_args__ = (range_check("level", 0, 4),)

    id: Mapped[intpk] = mapped_column(info=public())
    pcode: Mapped[str] = mapped_column(String(20), unique=True, info=public())
    level: Mapped[int] = mapped_column(Integer, index=True, info=public())
    name_en: Mapped[str] = mapped_column(String(300), info=public())
    name_ar: Mapped[str | None] = mapped_column(String(300), info=public())
    name_ref: Mapped[str | None] = mapped_column(String(300), info=public())
    parent_pcode: Mapped[str | None] = mapped_column(String(20), index=True, info=public())
    geometry: Mapped[dict[str, Any] | None] = mapped_column(JSON, info=public())
    valid_on: Mapped[str | None] = mapped_column(String(20), info=public())
    created_at: Mapped[created_at] = mapped_column(info=public())


class ImportRun(Base):
    """One import of a file: who ran it, when, the file's SHA-256 and what became of its rows."""

    __tablename__ = "import_runs"
    __table_args__ = (
        CheckConstraint(
            "rows_read = imported + updated + unchanged + rejected", name="counts_add_up"
        ),
    )

    id: Mapped[intpk] = mapped_column(info=internal())
    kind: Mapped[str] = mapped_column(String(20), info=internal())
    file_name: Mapped[str] = mapped_column(String(300), info=internal())
    file_sha256: Mapped[str] = mapped_column(String(64), index=True, info=internal())
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), info=internal()
    )
    run_by: Mapped[str] = mapped_column(String(200), info=internal())
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, info=internal())
    rows_read: Mapped[int] = mapped_column(Integer, info=internal())
    imported: Mapped[int] = mapped_column(Integer, info=internal())
    updated: Mapped[int] = mapped_column(Integer, info=internal())
    unchanged: Mapped[int] = mapped_column(Integer, info=internal())
    rejected: Mapped[int] = mapped_column(Integer, info=internal())
    started_at: Mapped[dt.datetime] = mapped_column(info=internal())
    created_at: Mapped[created_at] = mapped_column(info=internal())


class ExternalRecord(Base):
    """The id an outside data set gives a record (ACLED ``event_id_cnty``, a GED id) and the
    incident it became, with a digest of the row last imported (an unchanged row is skipped)."""

    __tablename__ = "external_records"
    __table_args__ = (UniqueConstraint("system", "external_id"),)

    id: Mapped[intpk] = mapped_column(info=internal())
    system: Mapped[str] = mapped_column(String(20), info=internal())
    external_id: Mapped[str] = mapped_column(String(120), info=internal())
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="RESTRICT"), unique=True, info=internal()
    )
    row_sha256: Mapped[str] = mapped_column(String(64), info=internal())
    #: What the row said that no incident column holds (ACLED's associated actors, event
    #: types, tags; GED's death totals and source articles).
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, info=internal())
    import_run_id: Mapped[int] = mapped_column(
        ForeignKey("import_runs.id", ondelete="RESTRICT"), index=True, info=internal()
    )

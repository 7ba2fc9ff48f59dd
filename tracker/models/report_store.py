"""What reports keep between requests: each incident's verdict, and each agreement's totals.

These tables are derived: everything in them can be computed again from the evidence tables,
and :mod:`tracker.queries.report_store` does so when an agreement has no
:class:`ReportState` (a database loaded from a dump, or after its rules changed). Write
services keep them current in the same transaction as the evidence they change. SQL dumps
leave them out (``info={"derived": True}``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, UTCDateTime, public, range_check

DERIVED = {"derived": True}

#: Measure columns of a :class:`ReportCell` (``n0`` is always the number of incidents or rows).
MEASURES = 24
#: Stored in place of a missing key, so that cells have a primary key.
NO_KEY = ""
NO_FINDING = -1


class IncidentVerdict(Base):
    """The verdict of an incident against one agreement it may fall under, as numbers of
    :class:`tracker.rules.applicability.Finding` (0 violation, 1 contested, 2 indeterminate,
    3 outside scope).

    A pair is stored for the incident's alleged agreement and for every agreement whose
    window, widened by the report's before and after windows, and whose territory could hold
    the incident. ``scope_finding`` leaves out the time tests (window and deadlines): what the
    incident would be inside the window (the rates before and after use it);
    ``territory_finding`` is the territory test alone. ``in_report`` marks the pairs the
    agreement's report counts: the alleged agreement's, and those inside the agreement's
    window and not outside its territory."""

    __tablename__ = "incident_verdicts"
    __table_args__ = (
        range_check("finding", 0, 3),
        range_check("scope_finding", 0, 3),
        range_check("territory_finding", 0, 3),
        Index(
            "ix_incident_verdicts_listing",
            "agreement_id",
            "in_report",
            "finding",
            "occurred_on",
            "incident_id",
        ),
        Index(
            "ix_incident_verdicts_by_day", "agreement_id", "in_report", "occurred_on", "incident_id"
        ),
        {"info": DERIVED},
    )

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True, info=public()
    )
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True, info=public()
    )
    occurred_on: Mapped[dt.date] = mapped_column(Date, info=public())
    finding: Mapped[int] = mapped_column(SmallInteger, info=public())
    scope_finding: Mapped[int] = mapped_column(SmallInteger, info=public())
    territory_finding: Mapped[int] = mapped_column(SmallInteger, info=public())
    in_report: Mapped[bool] = mapped_column(Boolean, info=public())


class ReportCell(Base):
    """One row of an agreement's report totals for one audience: the rows the report's
    statement (:mod:`tracker.queries.report_sql`) gives over all the agreement's incidents.
    ``part`` names the aggregate, ``finding`` the verdict (or :data:`NO_FINDING`), ``k1`` and
    ``k2`` the group keys as text (or :data:`NO_KEY`), ``n0``..``n23`` the measures."""

    __tablename__ = "report_cells"
    __table_args__ = ({"info": DERIVED},)

    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True, info=public()
    )
    audience: Mapped[str] = mapped_column(String(8), primary_key=True, info=public())
    part: Mapped[str] = mapped_column(String(16), primary_key=True, info=public())
    finding: Mapped[int] = mapped_column(SmallInteger, primary_key=True, info=public())
    k1: Mapped[str] = mapped_column(String(64), primary_key=True, info=public())
    k2: Mapped[str] = mapped_column(String(64), primary_key=True, info=public())
    n0: Mapped[int] = mapped_column(BigInteger, info=public())
    n1: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n2: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n3: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n4: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n5: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n6: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n7: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n8: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n9: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n10: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n11: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n12: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n13: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n14: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n15: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n16: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n17: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n18: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n19: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n20: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n21: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n22: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    n23: Mapped[int] = mapped_column(BigInteger, default=0, info=public())


class ReportState(Base):
    """An agreement whose verdicts and cells are built and kept current; without a row here
    they are rebuilt before the agreement's next report. ``rules`` is the
    :data:`tracker.queries.report_store.RULES_VERSION` they were built with."""

    __tablename__ = "report_states"
    __table_args__ = ({"info": DERIVED},)

    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True, info=public()
    )
    rules: Mapped[int] = mapped_column(Integer, info=public())
    built_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, info=public())

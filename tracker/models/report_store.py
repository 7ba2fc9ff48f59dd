"""What reports keep between requests: each incident's verdict, and each agreement's totals.

These tables are derived: everything in them can be computed again from the evidence tables,
and :mod:`tracker.services.report_store` does so when an agreement has no
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
    statement (:mod:`tracker.queries.report_cells`) gives over all the agreement's incidents.
    ``part`` names the aggregate, ``finding`` the verdict (or :data:`NO_FINDING`), ``k1`` and
    ``k2`` the group keys as text (or :data:`NO_KEY`); the other columns are the measures
    (:data:`MEASURES`), of which each part fills those it names
    (:data:`tracker.queries.report_cells.PART_MEASURES`) and leaves the others 0.

    ``incidents`` counts incidents (of sources for ``quality``; none for ``grade`` and
    ``grades``), ``violations`` .. ``outside_scope`` those of each verdict; the casualty and
    event sums and flags are the ``summary`` part's; ``sources`` and ``citations`` are the
    cited sources and their citations; ``independent`` the incidents with two or more
    independent sources, ``disputed`` those whose sources blame different sides and
    ``blamed_perpetrator`` those where the blamed actor is the perpetrator."""

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
    incidents: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    violations: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    contested: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    indeterminate: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    outside_scope: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    civilians_killed_low: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    civilians_killed_best: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    civilians_killed_high: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    civilians_injured_low: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    civilians_injured_best: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    civilians_injured_high: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    combatants_killed_low: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    combatants_killed_best: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    combatants_killed_high: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    events_exact: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    events_about: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    events_at_least: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    events_more_than: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    with_event_count: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    civilians_killed_open_high: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    civilians_injured_open_high: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    combatants_killed_open_high: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    civilians_killed_about: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    civilians_injured_about: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    combatants_killed_about: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    civilians_killed_at_most: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    civilians_injured_at_most: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    combatants_killed_at_most: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    sources: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    citations: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    independent: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    disputed: Mapped[int] = mapped_column(BigInteger, default=0, info=public())
    blamed_perpetrator: Mapped[int] = mapped_column(BigInteger, default=0, info=public())


#: The key columns of a :class:`ReportCell`.
CELL_KEY = ("agreement_id", "audience", "part", "finding", "k1", "k2")
#: The measure columns of a :class:`ReportCell`, in table order.
MEASURES: tuple[str, ...] = tuple(
    column.name for column in ReportCell.__table__.columns if column.name not in CELL_KEY
)


class ReportState(Base):
    """An agreement whose verdicts and cells are built and kept current; without a row here
    they are rebuilt before the agreement's next report. ``rules`` is the
    :data:`tracker.services.report_rebuild.RULES_VERSION` they were built with."""

    __tablename__ = "report_states"
    __table_args__ = ({"info": DERIVED},)

    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True, info=public()
    )
    rules: Mapped[int] = mapped_column(Integer, info=public())
    built_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, info=public())

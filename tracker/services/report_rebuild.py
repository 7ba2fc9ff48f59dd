"""Build the stored verdicts and report totals of an agreement from scratch, in SQL: when they
are missing (a restored dump carries none), stale (:func:`invalidate`, or rules of another
:data:`RULES_VERSION`), or asked for (``manage.py db rebuild-reports``). Writes of single
records keep them current instead (:mod:`tracker.services.report_store`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import (
    Column,
    MetaData,
    Table,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.orm import Session

from tracker.models import Agreement, Incident, IncidentVerdict, ReportCell, ReportState, utcnow
from tracker.models.report_store import CELL_KEY, MEASURES, NO_FINDING, NO_KEY
from tracker.queries.applicability import judged_agreements
from tracker.queries.report_cells import audience_cell_rows
from tracker.queries.report_verdicts import load_gazetteer, verdict_sql

#: Raise this when the applicability rule or the form of the stored cells changes: every
#: agreement is then built again. 3: on PostgreSQL, date ranges are keyed by their text in UTC
#: whatever the server's time zone.
RULES_VERSION = 3
_VERDICT_COLUMNS = [
    "incident_id",
    "agreement_id",
    "occurred_on",
    "finding",
    "scope_finding",
    "territory_finding",
    "in_report",
]


def invalidate(session: Session, agreement_ids: Iterable[int] | None = None) -> None:
    """Have the report store of ``agreement_ids`` (every agreement when None) built again
    before their next report."""
    statement = delete(ReportState)
    if agreement_ids is not None:
        statement = statement.where(ReportState.agreement_id.in_(sorted(set(agreement_ids))))
    session.execute(statement)


def ensure_built(session: Session, agreement_id: int) -> bool:
    """Build the agreement's verdicts and totals when they are missing or were built with
    other rules; True when they were built now."""
    if _is_built(session, agreement_id):
        return False
    # another request may be building them: wait for it, then look again
    session.execute(
        select(Agreement.id).where(Agreement.id == agreement_id).with_for_update()
    ).all()
    if _is_built(session, agreement_id):
        return False
    rebuild(session, agreement_id)
    return True


def _is_built(session: Session, agreement_id: int) -> bool:
    rules = session.scalar(
        select(ReportState.rules).where(ReportState.agreement_id == agreement_id)
    )
    return rules == RULES_VERSION


def rebuild(session: Session, agreement_id: int) -> None:
    """Judge every incident against the agreement in SQL, store the verdicts of those it may
    hold and the report statement's rows over them, replacing what was stored."""
    session.execute(
        select(Agreement.id).where(Agreement.id == agreement_id).with_for_update()
    ).all()
    agreement = session.scalars(judged_agreements().where(Agreement.id == agreement_id)).one()
    session.execute(delete(ReportState).where(ReportState.agreement_id == agreement_id))
    verdict = verdict_sql(session, agreement, load_gazetteer(session))
    judged = _SCRATCH
    judged.create(session.connection(), checkfirst=True)
    session.execute(delete(judged))
    session.execute(insert(judged).from_select(_VERDICT_COLUMNS, verdict.rows))
    _read_justifications(session, judged, verdict)
    postgresql = session.get_bind().dialect.name == "postgresql"
    if postgresql:
        # a temporary table has no statistics until it is analysed
        session.execute(text(f"ANALYZE {judged.name}"))
    verdicts = IncidentVerdict.__table__
    assert isinstance(verdicts, Table)  # noqa: S101 (a mapped class's table)
    _write_differences(session, agreement_id, verdicts, judged, _VERDICT_COLUMNS, ["incident_id"])
    if postgresql:
        # fresh statistics for the reads of the verdicts that follow
        session.execute(text("ANALYZE incident_verdicts"))
    columns = [*CELL_KEY, *MEASURES]
    # SQLite writes only the cells that differ (rewriting them all cost a sixth of its
    # rebuild); PostgreSQL rewrites them, since the comparison of a million cells with those
    # stored plans as index loops there and costs more than the writes it saves
    cells: Table = ReportCell.__table__ if postgresql else _CELLS  # type: ignore[assignment]
    if postgresql:
        session.execute(delete(cells).where(cells.c.agreement_id == agreement_id))
    else:
        cells.create(session.connection(), checkfirst=True)
        session.execute(delete(cells))
    c = audience_cell_rows(true(), verdicts=judged).subquery("c")
    session.execute(insert(cells).from_select(columns, select(*(c.c[n] for n in columns))))
    # emptied, not dropped: SQLite refuses to drop a table while any statement of the
    # connection is still open, and the next rebuild on this connection reuses it
    session.execute(delete(judged))
    grade = cells.alias("grade")
    session.execute(
        insert(cells).from_select(
            columns,
            select(
                grade.c.agreement_id,
                grade.c.audience,
                literal("grades"),
                literal(NO_FINDING),
                grade.c.k2,
                literal(NO_KEY),
                *(
                    func.count()
                    if name == "sources"
                    else func.sum(grade.c.citations)
                    if name == "citations"
                    else literal(0)
                    for name in MEASURES
                ),
            )
            .where(grade.c.agreement_id == agreement_id, grade.c.part == "grade")
            .group_by(grade.c.agreement_id, grade.c.audience, grade.c.k2),
        )
    )
    if not postgresql:
        stored = ReportCell.__table__
        assert isinstance(stored, Table)  # noqa: S101 (a mapped class's table)
        key = [name for name in CELL_KEY if name != "agreement_id"]
        _write_differences(session, agreement_id, stored, cells, columns, key)
        session.execute(delete(cells))
    session.execute(
        insert(ReportState).values(
            agreement_id=agreement_id, rules=RULES_VERSION, built_at=utcnow()
        )
    )
    if postgresql:
        session.execute(text("ANALYZE report_cells"))


def _write_differences(
    session: Session,
    agreement_id: int,
    stored: Table,
    computed: Table,
    columns: list[str],
    key: list[str],
) -> None:
    """Make the agreement's rows of ``stored`` those of ``computed`` (same ``columns``, rows
    told apart by ``key`` besides the agreement), writing only the rows that differ: a rebuild
    of an unchanged record writes none."""
    same = (
        select(computed.c[key[0]])
        .where(*(computed.c[name] == stored.c[name] for name in columns))
        .exists()
    )
    session.execute(delete(stored).where(stored.c.agreement_id == agreement_id, ~same))
    kept = (
        select(stored.c[key[0]])
        .where(
            *(stored.c[name] == computed.c[name] for name in key),
            stored.c.agreement_id == agreement_id,
        )
        .exists()
    )
    session.execute(
        insert(stored).from_select(
            columns,
            select(*(computed.c[name] for name in columns))
            .where(~kept)
            .order_by(*(computed.c[name] for name in key)),
        )
    )


def _read_justifications(session: Session, judged: Table, verdict: Any) -> None:
    """Make contested the verdicts in ``judged`` whose claimed justification names a party
    the agreement excludes (the rule reads the text; SQL only finds the candidates)."""
    if not verdict.excluded_names:
        return
    candidates = session.execute(
        select(
            judged.c.incident_id,
            judged.c.finding,
            judged.c.scope_finding,
            Incident.claimed_justification,
        )
        .join(Incident, Incident.id == judged.c.incident_id)
        .where(
            Incident.claimed_justification.is_not(None),
            or_(judged.c.finding == 0, judged.c.scope_finding == 0),
        )
        .order_by(judged.c.incident_id)
    ).all()
    for incident_id, finding, scope, claim in candidates:
        new = (verdict.resolve(finding, claim), verdict.resolve(scope, claim))
        if new != (finding, scope):
            session.execute(
                update(judged)
                .where(judged.c.incident_id == incident_id)
                .values(finding=new[0], scope_finding=new[1])
            )


def _temporary_copy(name: str, stored: Any, key: tuple[str, ...]) -> Table:
    """A temporary table ``name`` with the columns of the table ``stored``, keyed by ``key``."""
    return Table(
        name,
        MetaData(),
        *(Column(c.name, c.type, primary_key=c.name in key) for c in stored.columns),
        prefixes=["TEMPORARY"],
    )


#: The verdicts of the agreement being rebuilt (in incident order, so that the totals read the
#: incidents in the order they are stored), and its cells: one table object each for every
#: rebuild, so that the statements built over them are compiled once and found in the
#: statement cache afterwards.
_SCRATCH = _temporary_copy("rebuild_verdicts", IncidentVerdict.__table__, ("incident_id",))
_CELLS = _temporary_copy("rebuild_cells", ReportCell.__table__, CELL_KEY)


def rebuild_all(session: Session, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the store of every agreement (see :func:`rebuild`); return how many."""
    ids = list(session.scalars(select(Agreement.id).order_by(Agreement.id)))
    for done, agreement_id in enumerate(ids, start=1):
        rebuild(session, agreement_id)
        if progress is not None:
            progress(done, len(ids))
    return len(ids)


def ensure_all_built(session: Session) -> list[int]:
    """Build the store of every agreement whose store is missing or stale; return their ids."""
    stale = session.scalars(
        select(Agreement.id)
        .outerjoin(ReportState, ReportState.agreement_id == Agreement.id)
        .where(or_(ReportState.rules.is_(None), ReportState.rules != RULES_VERSION))
        .order_by(Agreement.id)
    ).all()
    return [agreement_id for agreement_id in stale if ensure_built(session, agreement_id)]

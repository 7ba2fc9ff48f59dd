"""Keep the stored verdicts and report totals (:mod:`tracker.models.report_store`) current.

- Every write that changes incidents or their sources runs inside :func:`changing`: the
  incidents' rows of the report statement are taken away before the write and added back
  after it, and their verdicts are judged again, in the same transaction. The statement is
  the one reports run (:func:`tracker.queries.report_cells.cell_rows`, of both audiences at
  once: :func:`tracker.queries.report_cells.audience_cell_rows`), so the stored totals
  are always the sum of its rows.
- A change to what the verdicts of many incidents depend on (an agreement's parties,
  provisions or territories, a place, an actor) calls
  :func:`tracker.services.report_rebuild.invalidate`: the agreement's totals are built again,
  in SQL, before its next report.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Table,
    bindparam,
    delete,
    insert,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from tracker.models import (
    Agreement,
    Incident,
    IncidentSource,
    IncidentVerdict,
    ReportCell,
    ReportState,
    Source,
)
from tracker.models.report_store import CELL_KEY, MEASURES, NO_FINDING, NO_KEY
from tracker.queries.applicability import judge_incidents, judged_agreements, judged_incidents
from tracker.queries.report_cells import (
    COUNTS,
    collected_rows,
    incident_cells,
)

#: Incidents per statement when many are judged or counted at once.
CHUNK = 500


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def judge(session: Session, incident_ids: Collection[int]) -> set[int]:
    """Judge the incidents ``incident_ids`` by the rule against every agreement and store a
    verdict for each agreement that may hold them; return the ids of the agreements whose
    verdicts of these incidents were or are now stored."""
    agreements = list(session.scalars(judged_agreements().order_by(Agreement.id)))
    touched: set[int] = set()
    for chunk in _chunks(incident_ids):
        touched.update(
            session.scalars(
                select(IncidentVerdict.agreement_id)
                .where(IncidentVerdict.incident_id.in_(chunk))
                .distinct()
            )
        )
        session.execute(delete(IncidentVerdict).where(IncidentVerdict.incident_id.in_(chunk)))
        incidents = list(
            session.scalars(
                judged_incidents()
                .where(Incident.id.in_(chunk))
                .execution_options(populate_existing=True)
            )
        )
        days = {incident.id: incident.occurred_on for incident in incidents}
        judged = judge_incidents(incidents, agreements)
        rows = [
            {
                "incident_id": incident_id,
                "agreement_id": agreement_id,
                "occurred_on": days[incident_id],
                "finding": j.finding,
                "scope_finding": j.scope_finding,
                "territory_finding": j.territory_finding,
                "in_report": j.in_report,
            }
            for (incident_id, agreement_id), j in sorted(judged.items())
        ]
        touched.update(agreement_id for _incident_id, agreement_id in judged)
        if rows:
            session.execute(insert(IncidentVerdict), rows)
    return touched


def _built(session: Session) -> set[int]:
    return set(session.scalars(select(ReportState.agreement_id)))


class Changes:
    """The report rows of some incidents, taken away before a write and added back after."""

    def __init__(
        self, session: Session, incident_ids: Iterable[int], *, rejudge: bool = True
    ) -> None:
        self.session = session
        self.rejudge = rejudge
        self.ids: set[int] = set()
        self.extra: list[Incident] = []
        self.delta: dict[tuple[Any, ...], dict[str, int]] = {}
        self.take(incident_ids)

    def include(self, incident: Incident) -> None:
        """Count ``incident`` (created by the write) once the write is done."""
        self.extra.append(incident)

    def include_ids(self, incident_ids: Iterable[int]) -> None:
        """Count the incidents ``incident_ids``, written by the write (in bulk, without ORM
        objects), once the write is done."""
        self.ids.update(incident_ids)

    def take(self, incident_ids: Iterable[int]) -> None:
        """Take away the rows of more existing incidents, before the write changes them."""
        more = set(incident_ids) - self.ids
        self._lock(more)
        self._collect(more, -1)
        self.ids |= more

    def _lock(self, ids: Collection[int]) -> None:
        """Wait for a rebuild of any agreement to finish (PostgreSQL; SQLite has one writer
        at a time anyway): a write may add or remove a verdict of any agreement."""
        if not ids or self.session.get_bind().dialect.name != "postgresql":
            return
        self.session.execute(
            select(Agreement.id).order_by(Agreement.id).with_for_update(read=True)
        ).all()

    def _collect(self, ids: Collection[int], sign: int) -> None:
        for chunk in _chunks(ids):
            rows = self.session.execute(incident_cells(), {"incident_ids": chunk})
            collected_rows(rows.mappings(), sign, self.delta)

    def finish(self) -> None:
        """Judge the incidents again and store the difference their write made."""
        self.session.flush()
        self.ids |= {incident.id for incident in self.extra}
        self._lock(self.ids)
        if self.rejudge or self.extra:
            judge(self.session, self.ids)
        self._collect(self.ids, +1)
        built = _built(self.session)
        changed = {
            key: measures
            for key, measures in self.delta.items()
            if key[0] in built and any(measures.values())
        }
        if changed:
            _add_cells(self.session, changed)


def _add_cells(session: Session, changed: dict[tuple[Any, ...], dict[str, int]]) -> None:
    """Add ``changed`` (key -> measures) to the stored cells, drop cells left empty, and keep
    each reliability grade's count of cited sources (``grades``) in step with the per-source
    ``grade`` cells."""
    grades = _grade_changes(session, [key for key in changed if key[2] == "grade"], changed)
    for key, measures in grades.items():
        totals = changed.setdefault(key, dict.fromkeys(MEASURES, 0))
        for name, value in measures.items():
            totals[name] += value
    table = ReportCell.__table__
    assert isinstance(table, Table)  # noqa: S101 (a mapped class's table)
    # in key order, so that two writers lock the cells they share in the same order
    rows = [
        {**dict(zip(CELL_KEY, key, strict=True)), **m}
        for key, m in sorted(changed.items())
        if any(m.values())
    ]
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    upsert = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(table)
    statement = upsert.on_conflict_do_update(
        index_elements=list(CELL_KEY),
        set_={name: table.c[name] + upsert.excluded[name] for name in MEASURES},
    )
    session.execute(statement, rows)
    emptied = [
        {f"key_{name}": value for name, value in zip(CELL_KEY, key, strict=True)}
        for key, m in sorted(changed.items())
        if any(m[name] < 0 for name in COUNTS)
    ]
    if emptied:
        session.execute(
            delete(table).where(
                *(table.c[name] == bindparam(f"key_{name}") for name in CELL_KEY),
                *(table.c[name] == 0 for name in COUNTS),
            ),
            emptied,
        )


def _grade_changes(
    session: Session,
    keys: list[tuple[Any, ...]],
    changed: dict[tuple[Any, ...], dict[str, int]],
) -> dict[tuple[Any, ...], dict[str, int]]:
    """What the change of the per-source ``grade`` cells ``keys`` does to the ``grades``
    cells: citations move with them, and a source counts once per grade while it is cited."""
    cells = ReportCell.__table__
    before: dict[tuple[Any, ...], int] = {}
    for agreement_id, audience in {(key[0], key[1]) for key in keys}:
        sources = sorted({key[4] for key in keys if key[:2] == (agreement_id, audience)})
        for start in range(0, len(sources), CHUNK):
            for k1, k2, citations in session.execute(
                select(cells.c.k1, cells.c.k2, cells.c.citations).where(
                    cells.c.agreement_id == agreement_id,
                    cells.c.audience == audience,
                    cells.c.part == "grade",
                    cells.c.finding == NO_FINDING,
                    cells.c.k1.in_(sources[start : start + CHUNK]),
                )
            ):
                before[(agreement_id, audience, "grade", NO_FINDING, k1, k2)] = citations
    grades: dict[tuple[Any, ...], dict[str, int]] = {}
    for key in keys:
        old = before.get(key, 0)
        new = old + changed[key]["citations"]
        grade = (key[0], key[1], "grades", NO_FINDING, key[5], NO_KEY)
        totals = grades.setdefault(grade, {"sources": 0, "citations": 0})
        totals["sources"] += (new > 0) - (old > 0)
        totals["citations"] += changed[key]["citations"]
    return grades


@contextmanager
def changing(
    session: Session, incident_ids: Iterable[int] = (), *, rejudge: bool = True
) -> Iterator[Changes]:
    """Keep the report store current across a write to the incidents ``incident_ids`` (and
    those the write creates, given to :meth:`Changes.include`). ``rejudge=False`` for a write
    that cannot change a verdict (to sources and their links: the rule does not read them)."""
    changes = Changes(session, incident_ids, rejudge=rejudge)
    yield changes
    changes.finish()


def citing(session: Session, source_id: int) -> list[int]:
    """The incidents that cite the source ``source_id`` or a source it carried (their
    independence depends on its publisher), in any state."""
    carried = select(Source.id).where(Source.carried_by_id == source_id)
    return list(
        session.scalars(
            select(IncidentSource.incident_id)
            .where(
                or_(IncidentSource.source_id == source_id, IncidentSource.source_id.in_(carried))
            )
            .distinct()
        )
    )

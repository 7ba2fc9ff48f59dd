"""What a dump holds: the tables and rows of a scope, public or full, all agreements or some.

Public dumps carry the columns classified public (``info={"visibility": ...}`` on each column,
read through :mod:`tracker.queries.visibility`); the others are written as NULL (they must be
nullable), and a table with no public column has no rows in them (users, sessions, sign-in
attempts, revisions and audit events: revision snapshots and audit details may quote
confidential fields, and the audit chain cannot be checked on a part of it). Their rows are
those :mod:`tracker.queries.visibility` shows the public: incidents in a public status, sources
that are neither confidential nor retracted (nor carried by one that is), only the links to
them.

Every table of the schema also says here whether a dump limited to some agreements carries
its related rows (a test fails for a table without a decision); a table nobody listed is left
out of per-agreement dumps. Derived tables (the report store, ``info={"derived": True}``)
have no rows in any dump: a restored database builds them again before its first report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, and_, or_, select, true, union
from sqlalchemy.sql import ClauseElement

from tracker.models import Base
from tracker.queries.visibility import incident_rows, link_rows, public_columns, source_rows

#: Whether a dump limited to some agreements carries the table's related rows (``False``: no
#: rows, as for the history and the sign-in tables).
IN_AGREEMENT_DUMPS: dict[str, bool] = {
    "alembic_version": True,
    "actors": True,
    "agreements": True,
    "agreement_parties": True,
    "provisions": True,
    "territories": True,
    "places": True,
    "incidents": True,
    "incident_provisions": True,
    "sources": True,
    "publishers": True,
    "incident_sources": True,
    "agreement_sources": True,
    "admin_areas": True,
    # where imported incidents came from: internal provenance (who imported, and the outside
    # data set's own fields, whose terms may forbid redistribution)
    "import_runs": False,
    "external_records": False,
    "users": True,
    "revisions": False,
    "audit_events": False,
    "user_sessions": False,
    "login_attempts": False,
    "review_claims": False,
    "api_tokens": False,
    # derived: no rows in any dump (see table_filter); rebuilt after a restore
    "incident_verdicts": False,
    "report_cells": False,
    "report_states": False,
}

#: A table's rows in a dump: every row (None), none (False), or those matching a condition.
RowFilter = ColumnElement[bool] | None | bool
#: Runs a SELECT in the dump's snapshot and returns its rows.
Runner = Callable[[ClauseElement], Sequence[Sequence[Any]]]


@dataclass(frozen=True)
class Scope:
    """What a dump covers: public or full, all agreements or some (their database ids)."""

    public: bool = False
    agreement_ids: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        return "public" if self.public else "full"


def _closure(run: Runner, table: str, seeds: Iterable[int]) -> list[int]:
    """``seeds`` and all their ancestors through the table's ``parent_id``."""
    t = Base.metadata.tables[table]
    parents = {row[0]: row[1] for row in run(select(t.c.id, t.c.parent_id))}
    found: set[int] = set()
    pending = [s for s in seeds if s is not None]
    while pending:
        current = pending.pop()
        if current in found or current not in parents:
            continue
        found.add(current)
        pending.append(parents[current])
    return sorted(found)


def row_filters(scope: Scope, run: Runner) -> dict[str, RowFilter]:
    """The row filter of every table the scope treats specially; tables missing from the
    result are dumped whole in full dumps and left out of limited ones."""
    t = Base.metadata.tables
    inc, src, links = t["incidents"], t["sources"], t["incident_sources"]
    ag_links, provisions = t["agreement_sources"], t["provisions"]
    limited = bool(scope.agreement_ids)

    incident_conditions: list[ColumnElement[bool]] = []
    if limited:
        verdicts = t["incident_verdicts"]
        judged = select(verdicts.c.incident_id).where(
            verdicts.c.agreement_id.in_(scope.agreement_ids), verdicts.c.in_report == true()
        )
        incident_conditions.append(
            or_(inc.c.alleged_agreement_id.in_(scope.agreement_ids), inc.c.id.in_(judged))
        )
    if scope.public:
        incident_conditions.append(incident_rows(public=True))
    incident_ids = select(inc.c.id).where(*incident_conditions)
    shown = source_rows(public=True)
    # a source whose carrier is withheld is withheld too (its carried_by_id would dangle)
    carriers = select(src.c.id).where(shown)
    public_sources = and_(
        shown, or_(src.c.carried_by_id.is_(None), src.c.carried_by_id.in_(carriers))
    )
    public_source_ids = select(src.c.id).where(public_sources)

    link_conditions: list[ColumnElement[bool]] = [links.c.incident_id.in_(incident_ids)]
    if scope.public:
        link_conditions.append(link_rows(public=True, source_ids=public_source_ids))
    filters: dict[str, RowFilter] = {
        "alembic_version": None,
        "incidents": and_(true(), *incident_conditions),
        "incident_provisions": t["incident_provisions"].c.incident_id.in_(incident_ids),
        "incident_sources": and_(*link_conditions),
    }
    if scope.public:
        filters["sources"] = public_sources
        filters["agreement_sources"] = ag_links.c.source_id.in_(public_source_ids)
    if not limited:
        return filters

    breached = select(provisions.c.agreement_id).where(
        provisions.c.id.in_(
            select(t["incident_provisions"].c.provision_id).where(
                t["incident_provisions"].c.incident_id.in_(incident_ids)
            )
        )
    )
    alleged = select(inc.c.alleged_agreement_id).where(*incident_conditions)
    agreement_ids = _closure(
        run,
        "agreements",
        [
            *scope.agreement_ids,
            *(row[0] for row in run(breached)),
            *(row[0] for row in run(alleged)),
        ],
    )
    included_links = select(links.c.source_id).where(*link_conditions)
    cited = or_(
        src.c.id.in_(included_links),
        src.c.id.in_(
            select(ag_links.c.source_id).where(ag_links.c.agreement_id.in_(agreement_ids))
        ),
    )
    source_condition = or_(cited, src.c.id.in_(select(src.c.carried_by_id).where(cited)))
    filters["sources"] = (
        and_(source_condition, public_sources) if scope.public else source_condition
    )
    ag_condition = ag_links.c.agreement_id.in_(agreement_ids)
    filters["agreement_sources"] = (
        and_(ag_condition, ag_links.c.source_id.in_(public_source_ids))
        if scope.public
        else ag_condition
    )
    filters["publishers"] = t["publishers"].c.id.in_(
        select(src.c.publisher_id).where(filters["sources"])  # type: ignore[arg-type]
    )
    filters["agreements"] = t["agreements"].c.id.in_(agreement_ids)
    for name in ("agreement_parties", "provisions", "territories"):
        filters[name] = t[name].c.agreement_id.in_(agreement_ids)
    filters["places"] = t["places"].c.id.in_(select(inc.c.place_id).where(*incident_conditions))

    parties = t["agreement_parties"]
    actor_refs: Select[Any] = union(
        *(
            select(column).where(*incident_conditions)
            for column in (inc.c.perpetrator_id, inc.c.target_actor_id, inc.c.claimed_target_id)
        ),
        select(parties.c.actor_id).where(parties.c.agreement_id.in_(agreement_ids)),
        select(links.c.blames_actor_id).where(*link_conditions),
    )  # type: ignore[assignment]
    actor_ids = _closure(run, "actors", [row[0] for row in run(actor_refs)])
    filters["actors"] = t["actors"].c.id.in_(actor_ids)

    if not scope.public:
        user_refs: Select[Any] = union(
            *(
                select(column).where(*incident_conditions)
                for column in (inc.c.created_by_id, inc.c.updated_by_id, inc.c.reviewed_by_id)
            ),
            select(src.c.created_by_id).where(source_condition),
        )  # type: ignore[assignment]
        user_ids = [row[0] for row in run(user_refs) if row[0] is not None]
        filters["users"] = t["users"].c.id.in_(user_ids)
    return filters


def table_filter(table: Table, scope: Scope, filters: dict[str, RowFilter]) -> RowFilter:
    """The rows of ``table`` that the dump of ``scope`` carries."""
    if table.info.get("derived"):
        return False  # computed from the rest; a restored database builds it again
    if scope.public and not public_columns(table):
        return False
    if scope.agreement_ids and not IN_AGREEMENT_DUMPS.get(table.name, False):
        return False
    return filters.get(table.name)

"""What a dump holds: the public allow-list of tables and columns, and the rows of a scope.

Every table of the schema has a decision here (a test fails for a table without one):

- ``public_columns``: the columns a public dump may carry; the others are written as NULL
  (they must be nullable). ``None`` means the table has no rows in public dumps.
- ``in_agreement_dumps``: whether a dump limited to some agreements carries the table's
  related rows (``False``: no rows, as for the history and the sign-in tables).

Public dumps hold the incidents whose status is public (never drafts or retracted ones), the
sources that are neither confidential nor retracted and only the links to them, and no user,
session, sign-in attempt, revision or audit event (revision snapshots and audit details may
quote confidential fields; the audit chain cannot be checked on a part of it). A table that
nobody listed is left out of public and per-agreement dumps. Derived tables (the report
store, ``info={"derived": True}``) have no rows in any dump: a restored database builds them
again before its first report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true, union
from sqlalchemy.sql import ClauseElement

from tracker.models import Base, RecordState
from tracker.queries.incidents import PUBLIC_STATUSES


@dataclass(frozen=True)
class TablePolicy:
    """The decision for one table: see the module's documentation."""

    public_columns: frozenset[str] | None
    in_agreement_dumps: bool


def _cols(*names: str) -> frozenset[str]:
    return frozenset(names)


POLICIES: dict[str, TablePolicy] = {
    "alembic_version": TablePolicy(_cols("version_num"), True),
    "actors": TablePolicy(
        _cols(
            "id", "slug", "name_en", "name_ar", "aliases", "kind", "parent_id", "country",
            "search_key", "created_at",
        ),
        True,
    ),
    "agreements": TablePolicy(
        _cols(
            "id", "slug", "kind", "name_en", "name_ar", "signed_on", "effective_from",
            "expires_at", "is_unilateral", "parent_id", "summary_en", "summary_ar", "text_url",
            "pax_id", "version", "created_at", "updated_at",
        ),
        True,
    ),
    "agreement_parties": TablePolicy(
        _cols("id", "agreement_id", "actor_id", "role", "note"), True
    ),
    "provisions": TablePolicy(
        _cols("id", "agreement_id", "code", "title_en", "title_ar", "text", "kind", "deadline"),
        True,
    ),
    "territories": TablePolicy(
        _cols("id", "agreement_id", "name_en", "name_ar", "geometry", "admin_pcodes"), True
    ),
    "places": TablePolicy(
        _cols(
            "id", "slug", "name_en", "name_ar", "aliases", "kind", "pcode", "admin1_name",
            "admin1_pcode", "admin2_name", "admin2_pcode", "admin3_name", "admin3_pcode",
            "latitude", "longitude", "search_key", "created_at",
        ),
        True,
    ),
    "incidents": TablePolicy(
        _cols(
            "id", "ref", "alleged_agreement_id", "occurred_start", "occurred_end", "occurred_on",
            "date_precision", "place_id", "location_precision", "perpetrator_id",
            "perpetrator_confidence", "target_actor_id", "category", "weapon", "event_count",
            "count_qualifier", "count_period_hours", "civilians_killed_low",
            "civilians_killed_best", "civilians_killed_high", "civilians_injured_low",
            "civilians_injured_best", "civilians_injured_high", "combatants_killed_low",
            "combatants_killed_best", "combatants_killed_high", "civilians_killed_qualifier",
            "civilians_injured_qualifier", "combatants_killed_qualifier", "description_en",
            "description_ar", "claimed_justification", "claimed_target_id", "status",
            "search_key", "version", "created_at", "updated_at",
        ),
        True,
    ),
    "incident_provisions": TablePolicy(_cols("incident_id", "provision_id"), True),
    "sources": TablePolicy(
        _cols(
            "id", "ref", "kind", "title", "url", "publisher", "publisher_id", "carried_by_id",
            "author", "language",
            "published_at", "accessed_at", "archive_url", "content_sha256", "reliability",
            "is_confidential", "state", "version", "created_at", "updated_at",
        ),
        True,
    ),
    "publishers": TablePolicy(_cols("id", "name", "aliases", "created_at"), True),
    "incident_sources": TablePolicy(
        _cols(
            "id", "incident_id", "source_id", "credibility", "blames_actor_id", "stance",
            "excerpt", "state", "created_at",
        ),
        True,
    ),
    "agreement_sources": TablePolicy(
        _cols("id", "agreement_id", "source_id", "claim", "stance", "excerpt"), True
    ),
    "admin_areas": TablePolicy(
        _cols(
            "id", "pcode", "level", "name_en", "name_ar", "name_ref", "parent_pcode",
            "geometry", "valid_on", "created_at",
        ),
        True,
    ),
    # where imported incidents came from: internal provenance (who imported, and the outside
    # data set's own fields, whose terms may forbid redistribution)
    "import_runs": TablePolicy(None, False),
    "external_records": TablePolicy(None, False),
    "users": TablePolicy(None, True),
    "revisions": TablePolicy(None, False),
    "audit_events": TablePolicy(None, False),
    "user_sessions": TablePolicy(None, False),
    "login_attempts": TablePolicy(None, False),
    "review_claims": TablePolicy(None, False),
    "api_tokens": TablePolicy(None, False),
    # derived: no rows in any dump (see table_filter); rebuilt after a restore
    "incident_verdicts": TablePolicy(None, False),
    "report_cells": TablePolicy(None, False),
    "report_states": TablePolicy(None, False),
}  # fmt: skip

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


def public_columns(table_name: str) -> frozenset[str] | None:
    """The allow-listed columns of ``table_name`` for public dumps (None: no public rows)."""
    policy = POLICIES.get(table_name)
    return policy.public_columns if policy else None


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
        incident_conditions.append(inc.c.status.in_([s.value for s in PUBLIC_STATUSES]))
    incident_ids = select(inc.c.id).where(*incident_conditions)
    shown = and_(src.c.is_confidential == false(), src.c.state == RecordState.ACTIVE)
    # a source whose carrier is withheld is withheld too (its carried_by_id would dangle)
    carriers = select(src.c.id).where(shown)
    public_sources = and_(
        shown, or_(src.c.carried_by_id.is_(None), src.c.carried_by_id.in_(carriers))
    )
    public_source_ids = select(src.c.id).where(public_sources)

    link_conditions: list[ColumnElement[bool]] = [links.c.incident_id.in_(incident_ids)]
    if scope.public:
        link_conditions += [
            links.c.state == RecordState.ACTIVE,
            links.c.source_id.in_(public_source_ids),
        ]
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


def table_filter(name: str, scope: Scope, filters: dict[str, RowFilter]) -> RowFilter:
    """The rows of table ``name`` that the dump of ``scope`` carries."""
    policy = POLICIES.get(name)
    table = Base.metadata.tables.get(name)
    if table is not None and table.info.get("derived"):
        return False  # computed from the rest; a restored database builds it again
    if scope.public and (policy is None or policy.public_columns is None):
        return False
    if scope.agreement_ids and (policy is None or not policy.in_agreement_dumps):
        return False
    return filters.get(name)

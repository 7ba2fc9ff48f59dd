"""The report's aggregates in one SQL statement: the agreement's incidents are read once.

An agreement can hold 200,000 incidents, and each pass over them costs a read of every row
they sit in. So the incidents in scope, with their verdict, go into one common table
expression (``s``), their source links into another (``l``), and every GROUP BY of the report
reads those, joined by ``UNION ALL`` into one result of uniform rows::

    part | v | text | k1 | k2 | n0 .. n14

where ``part`` names the aggregate, ``v`` is the verdict's finding number before the claimed
justification's text is read, ``text`` that text where it can still make a violation
contested, ``k1``/``k2`` the group keys as text and ``n*`` the measures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from tracker.models import CASUALTY_GROUPS, CountQualifier, Incident, IncidentSource, Source
from tracker.models import incident_provisions as links
from tracker.models.sources import RecordState, Stance
from tracker.queries.report_verdicts import VerdictSql

#: Measure columns of every row: the "summary" part fills them all (count, 9 casualty
#: figures, 4 event sums by qualifier, the number of incidents with an event count).
MEASURES = 15


@dataclass(frozen=True)
class WindowSpec:
    """A before/during/after window ``[start, end)`` for the rates."""

    name: str
    start: dt.datetime
    end: dt.datetime


@dataclass
class Aggregates:
    """The rows of the statement, sorted by part."""

    summary: list[tuple[int, str, str, list[int]]] = field(default_factory=list)
    perpetrator: list[tuple[int, int | None, int]] = field(default_factory=list)
    place: list[tuple[int, int | None, int]] = field(default_factory=list)
    provision: list[tuple[int, int, int]] = field(default_factory=list)
    timeline: list[tuple[dt.date, str | None, int]] = field(default_factory=list)
    rates: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: finding -> (day, incident id) of the first incidents with that finding, by date
    listed: dict[int, list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))
    #: (day, incident id) of the newest incidents, newest first
    table: list[tuple[str, int]] = field(default_factory=list)
    grades: dict[str, tuple[int, int]] = field(default_factory=dict)
    with_sources: int = 0
    two_or_more: int = 0
    blamed: list[tuple[int, int, int, int]] = field(default_factory=list)
    disputed: int = 0


def _key(value: ColumnElement[object]) -> ColumnElement[str]:
    return cast(value, String)


def _part(
    name: str,
    v: ColumnElement[int] | None,
    k1: ColumnElement[object] | None,
    k2: ColumnElement[object] | None,
    measures: Sequence[ColumnElement[int]],
    text: ColumnElement[str | None] | None = None,
) -> Select[*tuple[Any, ...]]:
    padded = [*measures, *(cast(null(), Integer) for _ in range(MEASURES - len(measures)))]
    return select(
        literal(name).label("part"),
        v if v is not None else cast(null(), Integer),
        text if text is not None else cast(null(), String),
        _key(k1) if k1 is not None else cast(null(), String),
        _key(k2) if k2 is not None else cast(null(), String),
        *padded,
    )


def _casualties() -> list[ColumnElement[int]]:
    columns: list[ColumnElement[int]] = []
    for group in CASUALTY_GROUPS:
        low, best, high = (getattr(Incident, f"{group}_{part}") for part in ("low", "best", "high"))
        columns += [
            func.coalesce(low, best, 0),
            func.coalesce(best, low, 0),
            func.coalesce(high, best, low, 0),
        ]
    return columns


def _contained(low: dt.datetime, high: dt.datetime) -> ColumnElement[bool]:
    start, end = Incident.occurred_start, Incident.occurred_end
    return and_(start >= low, start < high, end <= high)


def window_column(windows: Sequence[WindowSpec]) -> ColumnElement[str]:
    """The window an incident lies wholly in; ``imprecise`` when its date range overlaps the
    windows without fitting one; NULL when it is outside them all."""
    first, last = windows[0].start, windows[-1].end
    overlap = and_(Incident.occurred_end > first, Incident.occurred_start < last)
    return case(
        *((_contained(w.start, w.end), literal(w.name)) for w in windows),
        (overlap, literal("imprecise")),
        else_=null(),
    )


def aggregates(
    session: Session,
    scope: ColumnElement[bool],
    verdict: VerdictSql,
    *,
    stack: ColumnElement[Any],
    public: bool,
    windows: Sequence[WindowSpec] | None,
    listed_limit: int,
    table_limit: int,
) -> Aggregates:
    """Run the report's one statement and sort its rows. ``windows`` adds the
    before/during/after counts when the report's scope is the agreement's whole record."""
    columns: list[ColumnElement[Any]] = [
        Incident.id.label("id"),
        verdict.finding.label("v"),
        verdict.justification.label("cj"),
        Incident.category.label("category"),
        Incident.status.label("status"),
        Incident.perpetrator_id.label("perpetrator_id"),
        Incident.place_id.label("place_id"),
        Incident.occurred_on.label("occurred_on"),
        stack.label("stack"),
        *(c.label(f"c{i}") for i, c in enumerate(_casualties())),
        *(
            case((Incident.count_qualifier == q, Incident.event_count), else_=0).label(f"e{i}")
            for i, q in enumerate(CountQualifier)
        ),
        Incident.event_count.label("events"),
    ]
    if windows:
        columns += [window_column(windows).label("w"), verdict.scope_finding.label("sv")]
    s = select(*columns).where(scope).cte("s")
    sums = [func.sum(s.c[f"c{i}"]) for i in range(9)]
    sums += [func.sum(s.c[f"e{i}"]) for i in range(len(CountQualifier))]
    parts = [
        _part(
            "summary",
            s.c.v,
            s.c.category,
            s.c.status,
            [func.count(), *sums, func.count(s.c.events)],
        ).group_by(s.c.v, s.c.category, s.c.status),
        _part("perpetrator", s.c.v, s.c.perpetrator_id, None, [func.count()]).group_by(
            s.c.v, s.c.perpetrator_id
        ),
        _part("place", s.c.v, s.c.place_id, None, [func.count()]).group_by(s.c.v, s.c.place_id),
        _part("provision", s.c.v, links.c.provision_id, None, [func.count()])
        .select_from(s.join(links, links.c.incident_id == s.c.id))
        .group_by(s.c.v, links.c.provision_id),
        _part("timeline", None, s.c.occurred_on, s.c.stack, [func.count()]).group_by(
            s.c.occurred_on, s.c.stack
        ),
    ]
    if windows:
        scope_text = verdict.text_when_violation(s.c.sv, s.c.cj)
        parts.append(
            _part("rates", s.c.sv, s.c.w, None, [func.count()], scope_text)
            .where(s.c.w.is_not(None))
            .group_by(s.c.w, s.c.sv, scope_text)
        )
    for finding in (2, 3):  # indeterminate and outside scope: the first ones by date
        first = (
            select(s.c.id, s.c.occurred_on)
            .where(s.c.v == finding)
            .order_by(s.c.occurred_on, s.c.id)
            .limit(listed_limit)
            .subquery(f"listed_{finding}")
        )
        parts.append(_part("listed", literal(finding), first.c.id, first.c.occurred_on, []))
    newest = (
        select(s.c.id, s.c.occurred_on)
        .order_by(s.c.occurred_on.desc(), s.c.id.desc())
        .limit(table_limit)
        .subquery("newest")
    )
    parts.append(_part("table", None, newest.c.id, newest.c.occurred_on, []))
    parts += _link_parts(s, public)
    statement = union_all(*parts)
    return _sort(session.execute(statement).all(), verdict)


def _link_parts(s: object, public: bool) -> list[Select[*tuple[Any, ...]]]:
    conditions = [IncidentSource.state == RecordState.ACTIVE, Source.state == RecordState.ACTIVE]
    if public:
        conditions.append(Source.is_confidential.is_(False))
    publisher = func.coalesce(
        func.nullif(func.lower(func.trim(Source.publisher)), ""), "#" + cast(Source.id, String)
    )
    l = (  # noqa: E741 (the SQL alias)
        select(
            IncidentSource.incident_id.label("incident_id"),
            IncidentSource.blames_actor_id.label("blames"),
            case((IncidentSource.stance == Stance.SUPPORTS, publisher)).label("publisher"),
            Source.id.label("source_id"),
            Source.reliability.label("reliability"),
            s.c.perpetrator_id.label("perpetrator_id"),  # type: ignore[attr-defined]
        )
        .select_from(s)  # type: ignore[arg-type]
        .join(IncidentSource, IncidentSource.incident_id == s.c.id)  # type: ignore[attr-defined]
        .join(Source, Source.id == IncidentSource.source_id)
        .where(*conditions)
        .cte("l")
    )
    per_incident = (
        select(
            l.c.incident_id,
            func.count(func.distinct(l.c.publisher)).label("independent"),
            func.count(func.distinct(l.c.blames)).label("sides"),
        )
        .group_by(l.c.incident_id)
        .cte("per_incident")
    )
    pairs = (
        select(l.c.incident_id, l.c.blames, l.c.perpetrator_id)
        .where(l.c.blames.is_not(None))
        .distinct()
        .subquery("pairs")
    )
    return [
        _part(
            "grade",
            None,
            l.c.reliability,
            None,
            [func.count(func.distinct(l.c.source_id)), func.count()],
        ).group_by(l.c.reliability),
        _part(
            "quality",
            None,
            None,
            None,
            [
                func.count(),
                func.sum(case((per_incident.c.independent >= 2, 1), else_=0)),
                func.sum(case((per_incident.c.sides > 1, 1), else_=0)),
            ],
        ).select_from(per_incident),
        _part(
            "blame",
            None,
            pairs.c.blames,
            None,
            [
                func.count(),
                func.sum(case((per_incident.c.sides > 1, 1), else_=0)),
                func.sum(case((pairs.c.blames == pairs.c.perpetrator_id, 1), else_=0)),
            ],
        )
        .select_from(pairs.join(per_incident, per_incident.c.incident_id == pairs.c.incident_id))
        .group_by(pairs.c.blames),
    ]


def _int(value: str | None) -> int | None:
    return int(value) if value is not None else None


def _sort(rows: Sequence[tuple[object, ...]], verdict: VerdictSql) -> Aggregates:
    found = Aggregates()
    rates: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for part, v, text, k1, k2, *measures in rows:
        numbers = [int(str(m)) if m is not None else 0 for m in measures]
        finding = (
            verdict.resolve(int(str(v)), None if text is None else str(text))
            if v is not None
            else 0
        )
        key1 = None if k1 is None else str(k1)
        if part == "summary":
            found.summary.append((finding, str(key1), str(k2), numbers))
        elif part == "perpetrator":
            found.perpetrator.append((finding, _int(key1), numbers[0]))
        elif part == "place":
            found.place.append((finding, _int(key1), numbers[0]))
        elif part == "provision":
            found.provision.append((finding, int(str(key1)), numbers[0]))
        elif part == "timeline":
            day = dt.date.fromisoformat(str(key1)[:10])
            found.timeline.append((day, None if k2 is None else str(k2), numbers[0]))
        elif part == "rates":
            rates[str(key1)][0] += numbers[0]
            rates[str(key1)][1] += numbers[0] if finding == 0 else 0
        elif part == "listed":
            found.listed[finding].append((str(k2)[:10], int(str(key1))))
        elif part == "table":
            found.table.append((str(k2)[:10], int(str(key1))))
        elif part == "grade":
            found.grades[str(key1)] = (numbers[0], numbers[1])
        elif part == "quality":
            found.with_sources, found.two_or_more, found.disputed = numbers[:3]
        elif part == "blame":
            found.blamed.append((int(str(key1)), numbers[0], numbers[1], numbers[2]))
    found.rates = {name: (n, ok) for name, (n, ok) in rates.items()}
    found.table.sort(reverse=True)
    for ranks in found.listed.values():
        ranks.sort()
    return found

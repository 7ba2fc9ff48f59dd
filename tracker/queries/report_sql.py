"""The report's totals as one SQL statement, and the two ways of reading them.

The statement (:func:`cell_rows`) reads a set of incidents once, with their stored verdicts
(:class:`tracker.models.IncidentVerdict`), and gives uniform rows::

    agreement_id | part | finding | k1 | k2 | n0 .. n14

where ``part`` names the aggregate, ``finding`` is the verdict's finding number (or -1),
``k1``/``k2`` the group keys as text (or "") and ``n*`` the measures. Its rows over all of an
agreement's incidents are kept in ``report_cells`` (one set per audience) and updated
incident by incident, so the report of an agreement's whole record reads a few thousand
stored rows (:func:`stored_totals`). A report over a chosen period runs the statement over
the period's incidents instead (:func:`live_totals`). Both give :class:`Aggregates`.

Parts and their measures:

- ``summary`` (finding, category, status): incidents, low/best/high of each casualty group,
  event counts by qualifier (exact, about, at least, more than), incidents with a count;
- ``perpetrator``, ``place``, ``provision`` (id): incidents, then incidents of each finding;
- ``day_category``, ``day_actor`` (day, category or perpetrator id): incidents;
- ``span`` (scope finding, the local day of an exactly timed incident, or the start and end
  of any other): incidents (the rates before, during and after are computed from these);
- ``grade`` (source id, reliability): citations. Only stored: the report reads ``grades``
  (reliability): the sources cited and their citations, which the store keeps from these
  (distinct sources cannot be added up). ``quality``: incidents with sources, those
  with two or more independent ones, those whose sources blame different sides; ``blame``
  (blamed actor): incidents, disputed ones, those where the blamed actor is the perpetrator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from tracker.models import (
    CASUALTY_GROUPS,
    CountQualifier,
    DatePrecision,
    FigureQualifier,
    Incident,
    IncidentSource,
    IncidentVerdict,
    Provision,
    ReportCell,
    Source,
)
from tracker.models import incident_provisions as links
from tracker.models.report_store import MEASURES, NO_FINDING, NO_KEY
from tracker.models.sources import RecordState, Stance
from tracker.queries.incidents import COUNTED_STATUSES
from tracker.queries.visibility import incident_rows, link_rows

#: The two sets of stored totals: what analysts see, and the public version.
AUDIENCES = ("internal", "public")
PARTS = (
    "summary",
    "perpetrator",
    "place",
    "provision",
    "day_category",
    "day_actor",
    "span",
    "grade",
    "grades",
    "quality",
    "blame",
)
#: The series key of the perpetrators beyond the timeline's top ones.
OTHER = "other"
#: The timeline part of each way of stacking the timeline.
TIMELINE_PART = {"category": "day_category", "perpetrator": "day_actor"}


@dataclass(frozen=True)
class Span:
    """Incidents with one date range: ``day`` for an exactly timed incident (any time of that
    local day), else ``start`` and ``end``; ``scope_finding`` as in
    :class:`tracker.models.IncidentVerdict`."""

    scope_finding: int
    day: dt.date | None
    start: dt.datetime | None
    end: dt.datetime | None
    incidents: int
    #: of which violations (every test passed, the dates included)
    violations: int = 0


@dataclass
class Aggregates:
    """The report's totals, sorted by part."""

    summary: list[tuple[int, str, str, list[int]]] = field(default_factory=list)
    perpetrator: list[tuple[int, int | None, int]] = field(default_factory=list)
    place: list[tuple[int, int | None, int]] = field(default_factory=list)
    provision: list[tuple[int, int | None, int]] = field(default_factory=list)
    timeline: list[tuple[dt.date, str | None, int]] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    #: reliability -> (sources, citations)
    grades: dict[str, tuple[int, int]] = field(default_factory=dict)
    with_sources: int = 0
    two_or_more: int = 0
    blamed: list[tuple[int, int, int, int]] = field(default_factory=list)
    disputed: int = 0


def _text(value: ColumnElement[Any]) -> ColumnElement[str]:
    return func.coalesce(cast(value, String), NO_KEY)


def _part(
    name: str,
    agreement: ColumnElement[Any],
    finding: ColumnElement[int] | None,
    k1: ColumnElement[Any] | None,
    k2: ColumnElement[Any] | None,
    measures: Sequence[ColumnElement[Any]],
) -> Select[Any]:
    padded = [func.coalesce(m, 0) for m in measures] + [
        literal(0, Integer) for _ in range(MEASURES - len(measures))
    ]
    return select(
        agreement.label("agreement_id"),
        literal(name, String).label("part"),
        (finding if finding is not None else literal(NO_FINDING, Integer)).label("finding"),
        (_text(k1) if k1 is not None else literal(NO_KEY, String)).label("k1"),
        (_text(k2) if k2 is not None else literal(NO_KEY, String)).label("k2"),
        *(m.label(f"n{i}") for i, m in enumerate(padded)),
    )


def _casualties() -> list[ColumnElement[int]]:
    """Per casualty group, the incident's low, best and high figures as the report sums them
    (an "at most" figure's low is 0 unless given), then per group whether its high is open
    ("at least" with no high given), "about" and "at most" (see :data:`SUMMARY_MEASURES`)."""
    sums: list[ColumnElement[int]] = []
    flags: list[list[ColumnElement[int]]] = [[], [], []]
    for group in CASUALTY_GROUPS:
        low, best, high = (getattr(Incident, f"{group}_{part}") for part in ("low", "best", "high"))
        qualifier = getattr(Incident, f"{group}_qualifier")
        given = or_(low.is_not(None), best.is_not(None), high.is_not(None))
        at_most = qualifier == str(FigureQualifier.AT_MOST)
        sums += [
            case((at_most, func.coalesce(low, 0)), else_=func.coalesce(low, best, 0)),
            func.coalesce(best, low, 0),
            func.coalesce(high, best, low, 0),
        ]
        flags[0].append(
            case(
                (and_(given, qualifier == str(FigureQualifier.AT_LEAST), high.is_(None)), 1),
                else_=0,
            )
        )
        flags[1].append(case((and_(given, qualifier == str(FigureQualifier.ABOUT)), 1), else_=0))
        flags[2].append(case((and_(given, at_most), 1), else_=0))
    return sums + flags[0] + flags[1] + flags[2]


#: The measures of a ``summary`` cell, by position.
SUMMARY_MEASURES = (
    "incidents",
    *(f"{group}_{level}" for group in CASUALTY_GROUPS for level in ("low", "best", "high")),
    *(f"events_{q}" for q in CountQualifier),
    "with_event_count",
    *(f"{group}_open_high" for group in CASUALTY_GROUPS),
    *(f"{group}_about" for group in CASUALTY_GROUPS),
    *(f"{group}_at_most" for group in CASUALTY_GROUPS),
)
_CASUALTY_SUMS = 9


def cell_rows(scope: ColumnElement[bool], *, public: bool) -> Select[Any]:
    """The statement over the stored verdicts matching ``scope`` (of incidents the audience
    sees): one row per agreement, part and keys.

    ``summary`` covers the pairs the report counts (``in_report``) in every status, so that
    the report can say how many drafts and rejected incidents it left out; every other part
    covers the counted statuses only (:data:`tracker.queries.incidents.COUNTED_STATUSES`);
    ``span`` covers the pairs inside the agreement's territory, in report or not (the rates
    before and after read them)."""
    timed = Incident.date_precision == str(DatePrecision.TIME)
    casualties = _casualties()
    columns: list[ColumnElement[Any]] = [
        Incident.id.label("id"),
        IncidentVerdict.agreement_id.label("a"),
        IncidentVerdict.finding.label("v"),
        IncidentVerdict.scope_finding.label("sv"),
        IncidentVerdict.territory_finding.label("tv"),
        case((IncidentVerdict.in_report.is_(True), 1), else_=0).label("r"),
        case((Incident.status.in_([str(x) for x in COUNTED_STATUSES]), 1), else_=0).label(
            "counted"
        ),
        Incident.category.label("category"),
        Incident.status.label("status"),
        Incident.perpetrator_id.label("perpetrator_id"),
        Incident.place_id.label("place_id"),
        Incident.occurred_on.label("occurred_on"),
        case(
            (timed, cast(Incident.occurred_on, String)), else_=cast(Incident.occurred_start, String)
        ).label("span_from"),
        case((timed, literal(NO_KEY, String)), else_=cast(Incident.occurred_end, String)).label(
            "span_to"
        ),
        *(c.label(f"c{i}") for i, c in enumerate(casualties)),
        *(
            case((Incident.count_qualifier == str(q), Incident.event_count), else_=0).label(f"e{i}")
            for i, q in enumerate(CountQualifier)
        ),
        Incident.event_count.label("events"),
    ]
    s = (
        select(*columns)
        .select_from(IncidentVerdict)
        .join(Incident, IncidentVerdict.incident_id == Incident.id)
        .where(scope, incident_rows(public=public))
        .cte("s")
    )
    counted = and_(s.c.r == 1, s.c.counted == 1)
    sums: list[ColumnElement[Any]] = [func.sum(s.c[f"c{i}"]) for i in range(_CASUALTY_SUMS)]
    sums += [func.sum(s.c[f"e{i}"]) for i in range(len(CountQualifier))]
    sums.append(func.count(s.c.events))
    sums += [func.sum(s.c[f"c{i}"]) for i in range(_CASUALTY_SUMS, len(casualties))]
    count = func.count()
    by_finding = [count, *(func.sum(case((s.c.v == f, 1), else_=0)) for f in range(4))]
    provisions = Provision.__table__
    parts = [
        _part("summary", s.c.a, s.c.v, s.c.category, s.c.status, [count, *sums])
        .where(s.c.r == 1)
        .group_by(s.c.a, s.c.v, s.c.category, s.c.status),
        _part("perpetrator", s.c.a, None, s.c.perpetrator_id, None, by_finding)
        .where(counted)
        .group_by(s.c.a, s.c.perpetrator_id),
        _part("place", s.c.a, None, s.c.place_id, None, by_finding)
        .where(counted)
        .group_by(s.c.a, s.c.place_id),
        _part("provision", s.c.a, None, links.c.provision_id, None, by_finding)
        .select_from(
            s.join(links, links.c.incident_id == s.c.id).join(
                provisions,
                and_(provisions.c.id == links.c.provision_id, provisions.c.agreement_id == s.c.a),
            )
        )
        .where(counted)
        .group_by(s.c.a, links.c.provision_id),
        _part("day_category", s.c.a, None, s.c.occurred_on, s.c.category, [count])
        .where(counted)
        .group_by(s.c.a, s.c.occurred_on, s.c.category),
        _part("day_actor", s.c.a, None, s.c.occurred_on, s.c.perpetrator_id, [count])
        .where(counted)
        .group_by(s.c.a, s.c.occurred_on, s.c.perpetrator_id),
        _part(
            "span",
            s.c.a,
            s.c.sv,
            s.c.span_from,
            s.c.span_to,
            [count, func.sum(case((s.c.v == 0, 1), else_=0))],
        )
        .where(s.c.tv == 0, s.c.counted == 1)
        .group_by(s.c.a, s.c.sv, s.c.span_from, s.c.span_to),
        *_link_parts(s, counted, public),
    ]
    return union_all(*parts)  # type: ignore[return-value]


def origin_key(source: Any, carrier: Any) -> ColumnElement[str]:
    """Where a source's report comes from: the publisher of the source that carried it (or of
    the source itself), or that source when it has no publisher. Sources of one origin are
    not independent of each other."""
    root_publisher = case(
        (source.carried_by_id.is_not(None), carrier.publisher_id), else_=source.publisher_id
    )
    root = func.coalesce(source.carried_by_id, source.id)
    return case(
        (root_publisher.is_not(None), "p" + cast(root_publisher, String)),
        else_="s" + cast(root, String),
    )


def _link_parts(s: Any, counted: ColumnElement[bool], public: bool) -> list[Select[Any]]:
    conditions = [
        counted,
        IncidentSource.state == RecordState.ACTIVE,
        Source.state == RecordState.ACTIVE,
        link_rows(public=public),
    ]
    carrier = Source.__table__.alias("carrier")
    publisher = origin_key(Source, carrier.c)
    l = (  # noqa: E741 (the SQL alias)
        select(
            s.c.a.label("a"),
            IncidentSource.incident_id.label("incident_id"),
            IncidentSource.blames_actor_id.label("blames"),
            case((IncidentSource.stance == Stance.SUPPORTS, publisher)).label("publisher"),
            Source.id.label("source_id"),
            Source.reliability.label("reliability"),
            s.c.perpetrator_id.label("perpetrator_id"),
        )
        .select_from(s)
        .join(IncidentSource, IncidentSource.incident_id == s.c.id)
        .join(Source, Source.id == IncidentSource.source_id)
        .outerjoin(carrier, carrier.c.id == Source.carried_by_id)
        .where(*conditions)
        .cte("l")
    )
    per_incident = (
        select(
            l.c.a,
            l.c.incident_id,
            func.count(func.distinct(l.c.publisher)).label("independent"),
            func.count(func.distinct(l.c.blames)).label("sides"),
        )
        .group_by(l.c.a, l.c.incident_id)
        .cte("per_incident")
    )
    blamed = (
        select(l.c.a, l.c.incident_id, l.c.blames, l.c.perpetrator_id)
        .where(l.c.blames.is_not(None))
        .distinct()
        .subquery("blamed")
    )
    # each incident's number of blamed sides beside each of its rows (the rows are distinct by
    # blamed actor), so that the blame part needs no join back to per_incident: a join that
    # PostgreSQL's estimates turned into a nested loop quadratic in the incidents
    pairs = select(
        *blamed.c,
        func.count().over(partition_by=(blamed.c.a, blamed.c.incident_id)).label("sides"),
    ).subquery("pairs")
    disputed = func.sum(case((per_incident.c.sides > 1, 1), else_=0))
    return [
        _part("grade", l.c.a, None, l.c.source_id, l.c.reliability, [func.count()]).group_by(
            l.c.a, l.c.source_id, l.c.reliability
        ),
        _part(
            "quality",
            per_incident.c.a,
            None,
            None,
            None,
            [func.count(), func.sum(case((per_incident.c.independent >= 2, 1), else_=0)), disputed],
        ).group_by(per_incident.c.a),
        _part(
            "blame",
            pairs.c.a,
            None,
            pairs.c.blames,
            None,
            [
                func.count(),
                func.sum(case((pairs.c.sides > 1, 1), else_=0)),
                func.sum(case((pairs.c.blames == pairs.c.perpetrator_id, 1), else_=0)),
            ],
        ).group_by(pairs.c.a, pairs.c.blames),
    ]


@lru_cache(maxsize=2)
def incident_cells(public: bool) -> Select[Any]:
    """:func:`cell_rows` over the incidents whose ids are bound as ``incident_ids`` (an
    expanding parameter), with the audience first: built once, so that every write reuses the
    statement and its compiled form."""
    c = cell_rows(
        IncidentVerdict.incident_id.in_(bindparam("incident_ids", expanding=True)), public=public
    ).subquery("c")
    return select(literal(AUDIENCES[public]), *c.c)


def _measures(source: Any) -> list[ColumnElement[Any]]:
    return [source.c[f"n{i}"] for i in range(MEASURES)]


def stored_totals(
    session: Session,
    agreement_id: int,
    *,
    public: bool,
    stack: str,
    top_actors: Callable[[dict[int | None, int]], list[int | None]] | None = None,
) -> Aggregates:
    """The totals of an agreement's whole record, read from its stored cells (which must be
    built, see :func:`tracker.services.report_store.ensure_built`). Stacked by perpetrator,
    the timeline keeps the perpetrators ``top_actors`` picks (from the incidents per
    perpetrator) and adds up the others as :data:`OTHER`."""
    cells = ReportCell.__table__
    own = and_(
        cells.c.agreement_id == agreement_id,
        cells.c.audience == AUDIENCES[public],
    )
    wanted = [p for p in PARTS if p not in {"grade", "summary", "day_category", "day_actor"}]
    keys = (cells.c.part, cells.c.finding, cells.c.k1, cells.c.k2)
    rows = [
        *session.execute(select(*keys, *_measures(cells)).where(own, cells.c.part == "summary")),
        # the other parts have five measures at most
        *session.execute(select(*keys, *_measures(cells)[:5]).where(own, cells.c.part.in_(wanted))),
    ]
    found = _sort(rows)
    if stack == "category":
        timeline = select(*keys, cells.c.n0).where(own, cells.c.part == "day_category")
    else:
        counts: dict[int | None, int] = {}
        for _finding, actor_id, n in found.perpetrator:
            counts[actor_id] = counts.get(actor_id, 0) + n
        chosen = top_actors(counts) if top_actors else list(counts)
        kept = [NO_KEY if a is None else str(a) for a in chosen]
        series = case((cells.c.k2.in_(kept), cells.c.k2), else_=literal(OTHER))
        timeline = (
            select(cells.c.part, cells.c.finding, cells.c.k1, series, func.sum(cells.c.n0))
            .where(own, cells.c.part == "day_actor")
            .group_by(cells.c.part, cells.c.finding, cells.c.k1, series)
        )
    found.timeline = _sort(session.execute(timeline)).timeline
    return found


def stored_spans(session: Session, agreement_id: int, *, public: bool) -> list[Span]:
    """The stored ``span`` cells of an agreement (for its rates before, during and after)."""
    cells = ReportCell.__table__
    rows = session.execute(
        select(cells.c.part, cells.c.finding, cells.c.k1, cells.c.k2, *_measures(cells)).where(
            cells.c.agreement_id == agreement_id,
            cells.c.audience == AUDIENCES[public],
            cells.c.part == "span",
        )
    ).all()
    return _sort(rows).spans


def live_totals(
    session: Session, scope: ColumnElement[bool], *, public: bool, stack: str
) -> Aggregates:
    """The totals of the incidents matching ``scope`` (one agreement's), from the statement."""
    c = cell_rows(scope, public=public).subquery("c")
    skipped = [TIMELINE_PART[other] for other in TIMELINE_PART if other != stack]
    grade = c.c.part == "grade"
    part = case((grade, literal("grades")), else_=c.c.part)
    k1 = case((grade, c.c.k2), else_=c.c.k1)
    k2 = case((grade, literal(NO_KEY)), else_=c.c.k2)
    measures = [
        func.sum(case((grade, literal(1)), else_=c.c.n0)),
        func.sum(case((grade, c.c.n0), else_=c.c.n1)),
        *(func.sum(m) for m in _measures(c)[2:]),
    ]
    statement = (
        select(part, c.c.finding, k1, k2, *measures)
        .where(c.c.part.not_in(skipped))
        .group_by(part, c.c.finding, k1, k2)
    )
    return _sort(session.execute(statement).all())


def _int(value: str) -> int | None:
    return int(value) if value != NO_KEY else None


def _moment(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _sort(rows: Iterable[Sequence[Any]]) -> Aggregates:
    found = Aggregates()
    by_finding = {
        "perpetrator": found.perpetrator,
        "place": found.place,
        "provision": found.provision,
    }
    for part, finding, k1, k2, *measures in rows:
        n = int(measures[0] or 0)
        if part == "summary":
            found.summary.append((finding, k1, k2, [int(m or 0) for m in measures]))
        elif part in by_finding:
            key = _int(k1)
            counts = (int(m or 0) for m in measures[1:5])
            by_finding[part].extend((f, key, c) for f, c in enumerate(counts) if c)
        elif part in ("day_category", "day_actor"):
            day = dt.date.fromisoformat(k1[:10])
            found.timeline.append((day, k2 if k2 != NO_KEY else None, n))
        elif part == "span":
            breaches = int(measures[1] or 0)
            if k2 == NO_KEY:
                span = Span(finding, dt.date.fromisoformat(k1[:10]), None, None, n, breaches)
            else:
                span = Span(finding, None, _moment(k1), _moment(k2), n, breaches)
            found.spans.append(span)
        elif part == "grades":
            found.grades[k1] = (n, int(measures[1] or 0))
        elif part == "quality":
            found.with_sources, found.two_or_more, found.disputed = (
                int(m or 0) for m in measures[:3]
            )
        elif part == "blame":
            found.blamed.append((int(k1), n, int(measures[1] or 0), int(measures[2] or 0)))
    return found


def collected_rows(
    rows: Sequence[Sequence[Any]], sign: int, into: dict[tuple[Any, ...], list[int]]
) -> None:
    """Add ``rows`` of :func:`cell_rows` (with their audience first), times ``sign``, into
    ``into`` (key -> measures)."""
    for audience, agreement_id, part, finding, k1, k2, *measures in rows:
        key = (agreement_id, audience, part, finding, k1, k2)
        totals = into.setdefault(key, [0] * MEASURES)
        for i, value in enumerate(measures):
            totals[i] += sign * int(value or 0)

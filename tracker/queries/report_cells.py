"""The report's totals as one SQL statement: the rows the report store keeps.

The statement (:func:`cell_rows`) reads a set of incidents once, with their stored verdicts
(:class:`tracker.models.IncidentVerdict`), and gives uniform rows::

    agreement_id | part | finding | k1 | k2 | incidents | violations | ... | blamed_perpetrator

where ``part`` names the aggregate, ``finding`` is the verdict's finding number (or -1),
``k1``/``k2`` the group keys as text (or "") and the named measures
(:data:`tracker.models.report_store.MEASURES`) follow, of which each part fills those
:data:`PART_MEASURES` lists. Its rows over all of an agreement's incidents are kept in
``report_cells`` (one set per audience) and updated incident by incident; the report reads
them, or runs the statement over a chosen period's incidents
(:mod:`tracker.queries.report_totals`).

Parts and their keys:

- ``summary`` (finding, category, status): incidents, low/best/high of each casualty group,
  event counts by qualifier (exact, about, at least, more than), incidents with a count, and
  per casualty group the incidents whose figure is open-ended, "about" or "at most";
- ``perpetrator``, ``place``, ``provision`` (id): incidents, then incidents of each verdict;
- ``day_category``, ``day_actor`` (day, category or perpetrator id): incidents;
- ``span`` (scope finding, the local day of an exactly timed incident, or the start and end
  of any other): incidents and violations (the rates before, during and after are computed
  from these);
- ``date_range`` (the position of the date's precision in :data:`IMPRECISE` in place of a
  finding, the start and end of an incident dated to a week, a month or a year): incidents
  (the timeline draws them over their range);
- ``grade`` (source id, reliability): citations. Only stored: the report reads ``grades``
  (reliability): the sources cited and their citations, which the store keeps from these
  (distinct sources cannot be added up); over a period's incidents the statement gives
  ``grades`` itself, when asked (:data:`STORED_PARTS` are the others). ``quality``:
  incidents with sources, those with two or more independent ones, those whose sources blame
  different sides; ``blame`` (blamed actor): incidents, disputed ones, those where the blamed
  actor is the perpetrator.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
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
from sqlalchemy.engine import RowMapping

from tracker.models import (
    CASUALTY_GROUPS,
    CountQualifier,
    DatePrecision,
    FigureQualifier,
    Incident,
    IncidentSource,
    IncidentVerdict,
    Provision,
    Source,
)
from tracker.models import incident_provisions as links
from tracker.models.report_store import CELL_KEY, MEASURES, NO_FINDING, NO_KEY
from tracker.models.sources import RecordState, Stance
from tracker.queries.incidents import COUNTED_STATUSES
from tracker.queries.visibility import PUBLIC_STATUSES, incident_rows, link_rows
from tracker.rules.applicability import Finding

#: The two sets of stored totals: what analysts see, and the public version.
AUDIENCES = ("internal", "public")
#: The measure of the incidents of each verdict (by finding).
VERDICT_MEASURES = {
    Finding.INSIDE: "violations",
    Finding.CONTESTED: "contested",
    Finding.UNCERTAIN: "indeterminate",
    Finding.OUTSIDE: "outside_scope",
}
#: Per casualty group, the sums of its low, best and high figures.
CASUALTY_SUMS = tuple(
    f"{group}_{level}" for group in CASUALTY_GROUPS for level in ("low", "best", "high")
)
#: Per casualty group, the incidents whose figure is open-ended ("at least" with no high),
#: "about" and "at most".
CASUALTY_FLAGS = tuple(
    f"{group}_{flag}" for flag in ("open_high", "about", "at_most") for group in CASUALTY_GROUPS
)
#: The sums of event counts by qualifier.
EVENT_SUMS = tuple(f"events_{q}" for q in CountQualifier)
#: The precisions of the dates the ``date_range`` part counts, by their number in its cells.
IMPRECISE = (DatePrecision.WEEK, DatePrecision.MONTH, DatePrecision.YEAR)
#: The measures of a ``summary`` cell.
SUMMARY_MEASURES = ("incidents", *CASUALTY_SUMS, *EVENT_SUMS, "with_event_count", *CASUALTY_FLAGS)
_BY_VERDICT = ("incidents", *VERDICT_MEASURES.values())
#: The measures each part fills (the others stay 0).
PART_MEASURES: dict[str, tuple[str, ...]] = {
    "summary": SUMMARY_MEASURES,
    "perpetrator": _BY_VERDICT,
    "place": _BY_VERDICT,
    "provision": _BY_VERDICT,
    "day_category": ("incidents",),
    "day_actor": ("incidents",),
    "span": ("incidents", "violations"),
    "date_range": ("incidents",),
    "grade": ("citations",),
    "grades": ("sources", "citations"),
    "quality": ("incidents", "independent", "disputed"),
    "blame": ("incidents", "disputed", "blamed_perpetrator"),
}
#: The parts the statement gives for the store (``grades`` is kept from the ``grade`` cells,
#: since distinct sources cannot be added up; the statement gives it only when asked, over a
#: period's incidents).
STORED_PARTS = frozenset(PART_MEASURES) - {"grades"}
#: What a cell counts: it is empty (and dropped) when these are all 0.
COUNTS = ("incidents", "sources", "citations")


def _text(value: ColumnElement[Any]) -> ColumnElement[str]:
    return func.coalesce(cast(value, String), NO_KEY)


def _part(
    name: str,
    agreement: ColumnElement[Any],
    finding: ColumnElement[int] | None,
    k1: ColumnElement[Any] | None,
    k2: ColumnElement[Any] | None,
    measures: Mapping[str, ColumnElement[Any]],
) -> Select[Any]:
    """The select of one part: its keys, the ``measures`` it fills (those
    :data:`PART_MEASURES` names) and 0 for every other measure."""
    if tuple(measures) != PART_MEASURES[name]:
        raise ValueError(f"the part {name!r} fills {PART_MEASURES[name]}, not {tuple(measures)}")
    return select(
        agreement.label("agreement_id"),
        literal(name, String).label("part"),
        (finding if finding is not None else literal(NO_FINDING, Integer)).label("finding"),
        (_text(k1) if k1 is not None else literal(NO_KEY, String)).label("k1"),
        (_text(k2) if k2 is not None else literal(NO_KEY, String)).label("k2"),
        *(
            (func.coalesce(measures[m], 0) if m in measures else literal(0, Integer)).label(m)
            for m in MEASURES
        ),
    )


def _casualties() -> dict[str, ColumnElement[int]]:
    """Per casualty group, the incident's low, best and high figures as the report sums them
    (an "at most" figure's low is 0 unless given), and whether its high is open ("at least"
    with no high given), "about" and "at most" (:data:`CASUALTY_SUMS`,
    :data:`CASUALTY_FLAGS`)."""
    columns: dict[str, ColumnElement[int]] = {}
    for group in CASUALTY_GROUPS:
        low, best, high = (getattr(Incident, f"{group}_{part}") for part in ("low", "best", "high"))
        qualifier = getattr(Incident, f"{group}_qualifier")
        given = or_(low.is_not(None), best.is_not(None), high.is_not(None))
        at_most = qualifier == str(FigureQualifier.AT_MOST)
        columns[f"{group}_low"] = case(
            (at_most, func.coalesce(low, 0)), else_=func.coalesce(low, best, 0)
        )
        columns[f"{group}_best"] = func.coalesce(best, low, 0)
        columns[f"{group}_high"] = func.coalesce(high, best, low, 0)
        columns[f"{group}_open_high"] = case(
            (and_(given, qualifier == str(FigureQualifier.AT_LEAST), high.is_(None)), 1), else_=0
        )
        columns[f"{group}_about"] = case(
            (and_(given, qualifier == str(FigureQualifier.ABOUT)), 1), else_=0
        )
        columns[f"{group}_at_most"] = case((and_(given, at_most), 1), else_=0)
    return columns


def _verdict_rows(scope: ColumnElement[bool], *, public: bool, verdicts: Any = None) -> Any:
    """The verdicts matching ``scope`` of incidents the audience sees, one row each with what
    the parts group and add up (the CTE ``s``); ``verdicts``: a table with the columns of
    :class:`tracker.models.IncidentVerdict` read instead of the stored ones."""
    v = IncidentVerdict.__table__ if verdicts is None else verdicts
    timed = Incident.date_precision == str(DatePrecision.TIME)
    casualties = _casualties()
    columns: list[ColumnElement[Any]] = [
        Incident.id.label("id"),
        v.c.agreement_id.label("a"),
        v.c.finding.label("v"),
        v.c.scope_finding.label("sv"),
        v.c.territory_finding.label("tv"),
        case((v.c.in_report.is_(True), 1), else_=0).label("r"),
        case((Incident.status.in_([str(x) for x in COUNTED_STATUSES]), 1), else_=0).label(
            "counted"
        ),
        Incident.category.label("category"),
        Incident.status.label("status"),
        Incident.perpetrator_id.label("perpetrator_id"),
        Incident.place_id.label("place_id"),
        Incident.occurred_on.label("occurred_on"),
        Incident.date_precision.label("precision"),
        case(
            (timed, cast(Incident.occurred_on, String)), else_=cast(Incident.occurred_start, String)
        ).label("span_from"),
        case((timed, literal(NO_KEY, String)), else_=cast(Incident.occurred_end, String)).label(
            "span_to"
        ),
        *(c.label(name) for name, c in casualties.items()),
        *(
            case((Incident.count_qualifier == str(q), Incident.event_count), else_=0).label(name)
            for name, q in zip(EVENT_SUMS, CountQualifier, strict=True)
        ),
        Incident.event_count.label("events"),
    ]
    return (
        select(*columns)
        .select_from(v)
        .join(Incident, v.c.incident_id == Incident.id)
        .where(scope, incident_rows(public=public))
        .cte("s")
    )


def _counted(s: Any) -> ColumnElement[bool]:
    return and_(s.c.r == 1, s.c.counted == 1)


def _verdict_parts(s: Any) -> dict[str, Select[Any]]:
    """The parts read from the verdict rows ``s`` alone (every part but the sources'), by
    name."""
    counted = _counted(s)
    count = func.count()
    special = {"incidents": count, "with_event_count": func.count(s.c.events)}
    summary: dict[str, ColumnElement[Any]] = {
        name: special[name] if name in special else func.sum(s.c[name]) for name in SUMMARY_MEASURES
    }
    by_finding: dict[str, ColumnElement[Any]] = {
        "incidents": count,
        **{
            name: func.sum(case((s.c.v == int(finding), 1), else_=0))
            for finding, name in VERDICT_MEASURES.items()
        },
    }
    provisions = Provision.__table__
    precision = case(
        *((s.c.precision == str(p), literal(number, Integer)) for number, p in enumerate(IMPRECISE))
    )
    return {
        "summary": _part("summary", s.c.a, s.c.v, s.c.category, s.c.status, summary)
        .where(s.c.r == 1)
        .group_by(s.c.a, s.c.v, s.c.category, s.c.status),
        "perpetrator": _part("perpetrator", s.c.a, None, s.c.perpetrator_id, None, by_finding)
        .where(counted)
        .group_by(s.c.a, s.c.perpetrator_id),
        "place": _part("place", s.c.a, None, s.c.place_id, None, by_finding)
        .where(counted)
        .group_by(s.c.a, s.c.place_id),
        "provision": _part("provision", s.c.a, None, links.c.provision_id, None, by_finding)
        .select_from(
            s.join(links, links.c.incident_id == s.c.id).join(
                provisions,
                and_(provisions.c.id == links.c.provision_id, provisions.c.agreement_id == s.c.a),
            )
        )
        .where(counted)
        .group_by(s.c.a, links.c.provision_id),
        "day_category": _part(
            "day_category", s.c.a, None, s.c.occurred_on, s.c.category, {"incidents": count}
        )
        .where(counted)
        .group_by(s.c.a, s.c.occurred_on, s.c.category),
        "day_actor": _part(
            "day_actor", s.c.a, None, s.c.occurred_on, s.c.perpetrator_id, {"incidents": count}
        )
        .where(counted)
        .group_by(s.c.a, s.c.occurred_on, s.c.perpetrator_id),
        "span": _part(
            "span",
            s.c.a,
            s.c.sv,
            s.c.span_from,
            s.c.span_to,
            {"incidents": count, "violations": by_finding["violations"]},
        )
        .where(s.c.tv == 0, s.c.counted == 1)
        .group_by(s.c.a, s.c.sv, s.c.span_from, s.c.span_to),
        "date_range": _part(
            "date_range", s.c.a, precision, s.c.span_from, s.c.span_to, {"incidents": count}
        )
        .where(counted, s.c.precision.in_([str(p) for p in IMPRECISE]))
        .group_by(s.c.a, precision, s.c.span_from, s.c.span_to),
    }


def cell_rows(
    scope: ColumnElement[bool], *, public: bool, parts: Collection[str] | None = None
) -> Select[Any]:
    """The statement over the stored verdicts matching ``scope`` (of incidents the audience
    sees): one row per agreement, part and keys (of the ``parts`` named, by default those the
    store keeps, :data:`STORED_PARTS`).

    ``summary`` covers the pairs the report counts (``in_report``) in every status, so that
    the report can say how many drafts and rejected incidents it left out; every other part
    covers the counted statuses only (:data:`tracker.queries.incidents.COUNTED_STATUSES`);
    ``span`` covers the pairs inside the agreement's territory, in report or not (the rates
    before and after read them)."""
    s = _verdict_rows(scope, public=public)
    found = {**_verdict_parts(s), **_link_parts(_links(s, public=public))}
    wanted = STORED_PARTS if parts is None else parts
    return union_all(  # type: ignore[return-value]
        *(select_ for name, select_ in found.items() if name in wanted)
    )


def audience_cell_rows(scope: ColumnElement[bool], verdicts: Any = None) -> Select[Any]:
    """:func:`cell_rows` of both audiences (:data:`AUDIENCES`) in one statement, with the
    audience first, reading the verdicts and the source links once.

    The public sees every counted status, so the parts over counted incidents are the same
    for both audiences, and ``summary`` (grouped by status) differs only by the cells of the
    statuses the public does not see; of the sources' parts, the public's read the links that
    :func:`tracker.queries.visibility.link_rows` shows it. ``verdicts`` as for the verdict
    rows (:func:`_verdict_rows`)."""
    hidden = set(COUNTED_STATUSES) - set(PUBLIC_STATUSES)
    if hidden:
        raise ValueError(f"counted statuses the public does not see: {sorted(hidden)}")
    s = _verdict_rows(scope, public=False, verdicts=verdicts)
    shared = union_all(*_verdict_parts(s).values()).cte("shared")
    l = _links(s, public=None)  # noqa: E741 (the SQL alias)
    internal, public = AUDIENCES
    seen = or_(shared.c.part != "summary", shared.c.k2.in_([str(x) for x in PUBLIC_STATUSES]))
    return union_all(  # type: ignore[return-value]
        select(literal(internal, String).label("audience"), *shared.c),
        select(literal(public, String).label("audience"), *shared.c).where(seen),
        *_audience_link_parts(l),
    )


def _two_or_more(value: ColumnElement[Any]) -> ColumnElement[int]:
    """1 where a group holds two or more distinct non-null ``value``s, else 0: the least and the
    greatest differ (a group's distinct values need a sorted set of their own on SQLite)."""
    return case((func.min(value) < func.max(value), 1), else_=0)


def _audience_link_parts(l: Any) -> list[Select[Any]]:  # noqa: E741 (the SQL alias)
    """The sources' stored parts (``grade``, ``quality``, ``blame``) of both audiences, with the
    audience first, from one reading of the links ``l`` (those the staff sees, ``shown`` = 1 on
    those the public sees too): each grouping counts the staff's figures and, beside them, the
    public's from the shown links alone, so that the public's parts need no second pass. A
    public cell is given only where the public sees something, as grouping its links alone
    would."""
    internal, public = AUDIENCES
    shown = l.c.shown == 1

    def when_shown(value: ColumnElement[Any]) -> ColumnElement[Any]:
        return case((shown, value))

    def both(
        name: str,
        grouped: Any,
        k1: ColumnElement[Any] | None,
        k2: ColumnElement[Any] | None,
        staff: Mapping[str, ColumnElement[Any]],
        public_view: Mapping[str, ColumnElement[Any]],
        public_seen: ColumnElement[bool],
    ) -> list[Select[Any]]:
        def of(audience: str, measures: Mapping[str, ColumnElement[Any]]) -> Select[Any]:
            columns = _part(name, grouped.c.a, None, k1, k2, measures).selected_columns
            return select(literal(audience, String).label("audience"), *columns)

        return [of(internal, staff), of(public, public_view).where(public_seen)]

    grade = (
        select(
            l.c.a,
            l.c.source_id,
            l.c.reliability,
            func.count().label("citations"),
            func.sum(l.c.shown).label("shown_citations"),
        )
        .group_by(l.c.a, l.c.source_id, l.c.reliability)
        .cte("grade_both")
    )
    per_incident = (
        select(
            l.c.a,
            l.c.incident_id,
            _two_or_more(l.c.publisher).label("independent"),
            _two_or_more(l.c.blames).label("disputed"),
            func.max(l.c.shown).label("shown"),
            _two_or_more(when_shown(l.c.publisher)).label("shown_independent"),
            _two_or_more(when_shown(l.c.blames)).label("shown_disputed"),
        )
        .group_by(l.c.a, l.c.incident_id)
        .subquery("per_incident_both")
    )
    quality = (
        select(
            per_incident.c.a,
            func.count().label("incidents"),
            func.sum(per_incident.c.independent).label("independent"),
            func.sum(per_incident.c.disputed).label("disputed"),
            func.sum(per_incident.c.shown).label("shown_incidents"),
            func.sum(per_incident.c.shown_independent).label("shown_independent"),
            func.sum(per_incident.c.shown_disputed).label("shown_disputed"),
        )
        .group_by(per_incident.c.a)
        .cte("quality_both")
    )
    # each incident's blamed actors, one row each (whether the public sees a link that blames
    # it), with the incident's number of blamed sides for each audience beside it
    blamed = (
        select(
            l.c.a,
            l.c.incident_id,
            l.c.blames,
            l.c.perpetrator_id,
            func.max(l.c.shown).label("shown"),
        )
        .where(l.c.blames.is_not(None))
        .group_by(l.c.a, l.c.incident_id, l.c.blames, l.c.perpetrator_id)
        .subquery("blamed_both")
    )
    incident = (blamed.c.a, blamed.c.incident_id)
    pairs = select(
        *blamed.c,
        func.count().over(partition_by=incident).label("sides"),
        func.sum(blamed.c.shown).over(partition_by=incident).label("shown_sides"),
    ).subquery("pairs_both")
    is_perpetrator = pairs.c.blames == pairs.c.perpetrator_id
    blame = (
        select(
            pairs.c.a,
            pairs.c.blames,
            func.count().label("incidents"),
            func.sum(case((pairs.c.sides > 1, 1), else_=0)).label("disputed"),
            func.sum(case((is_perpetrator, 1), else_=0)).label("blamed_perpetrator"),
            func.sum(pairs.c.shown).label("shown_incidents"),
            func.sum(case((and_(pairs.c.shown == 1, pairs.c.shown_sides > 1), 1), else_=0)).label(
                "shown_disputed"
            ),
            func.sum(case((and_(pairs.c.shown == 1, is_perpetrator), 1), else_=0)).label(
                "shown_blamed_perpetrator"
            ),
        )
        .group_by(pairs.c.a, pairs.c.blames)
        .cte("blame_both")
    )
    return [
        *both(
            "grade",
            grade,
            grade.c.source_id,
            grade.c.reliability,
            {"citations": grade.c.citations},
            {"citations": grade.c.shown_citations},
            grade.c.shown_citations > 0,
        ),
        *both(
            "quality",
            quality,
            None,
            None,
            {
                "incidents": quality.c.incidents,
                "independent": quality.c.independent,
                "disputed": quality.c.disputed,
            },
            {
                "incidents": quality.c.shown_incidents,
                "independent": quality.c.shown_independent,
                "disputed": quality.c.shown_disputed,
            },
            quality.c.shown_incidents > 0,
        ),
        *both(
            "blame",
            blame,
            blame.c.blames,
            None,
            {
                "incidents": blame.c.incidents,
                "disputed": blame.c.disputed,
                "blamed_perpetrator": blame.c.blamed_perpetrator,
            },
            {
                "incidents": blame.c.shown_incidents,
                "disputed": blame.c.shown_disputed,
                "blamed_perpetrator": blame.c.shown_blamed_perpetrator,
            },
            blame.c.shown_incidents > 0,
        ),
    ]


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


def _links(s: Any, *, public: bool | None) -> Any:
    """The source links of the counted verdict rows ``s`` that the audience sees (the CTE
    ``l``); ``public=None``: those the staff sees, with ``shown`` = 1 on those the public
    sees too."""
    carrier = Source.__table__.alias("carrier")
    publisher = origin_key(Source, carrier.c)
    flag = [case((link_rows(public=True), 1), else_=0).label("shown")] if public is None else []
    return (
        select(
            s.c.a.label("a"),
            IncidentSource.incident_id.label("incident_id"),
            IncidentSource.blames_actor_id.label("blames"),
            case((IncidentSource.stance == Stance.SUPPORTS, publisher)).label("publisher"),
            Source.id.label("source_id"),
            Source.reliability.label("reliability"),
            s.c.perpetrator_id.label("perpetrator_id"),
            *flag,
        )
        .select_from(s)
        .join(IncidentSource, IncidentSource.incident_id == s.c.id)
        # an outer join tested through coalesce() rather than a join filtered on the source's
        # state: for a join so filtered SQLite builds a Bloom filter of every source, a scan
        # of the sources in each write's statement
        .outerjoin(Source, Source.id == IncidentSource.source_id)
        .outerjoin(carrier, carrier.c.id == Source.carried_by_id)
        .where(
            _counted(s),
            IncidentSource.state == RecordState.ACTIVE,
            func.coalesce(Source.state, NO_KEY) == RecordState.ACTIVE,
            link_rows(public=bool(public)),
        )
        .cte("l")
    )


def _link_parts(l: Any) -> dict[str, Select[Any]]:  # noqa: E741 (the SQL alias)
    """The sources' parts of one audience over the links ``l`` by name (the store's, of both
    audiences at once, are :func:`_audience_link_parts`)."""
    per_incident = (
        select(
            l.c.a,
            l.c.incident_id,
            _two_or_more(l.c.publisher).label("independent"),
            _two_or_more(l.c.blames).label("disputed"),
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
    return {
        "grade": _part(
            "grade", l.c.a, None, l.c.source_id, l.c.reliability, {"citations": func.count()}
        ).group_by(l.c.a, l.c.source_id, l.c.reliability),
        "grades": _part(
            "grades",
            l.c.a,
            None,
            l.c.reliability,
            None,
            {"sources": func.count(func.distinct(l.c.source_id)), "citations": func.count()},
        ).group_by(l.c.a, l.c.reliability),
        "quality": _part(
            "quality",
            per_incident.c.a,
            None,
            None,
            None,
            {
                "incidents": func.count(),
                "independent": func.sum(per_incident.c.independent),
                "disputed": func.sum(per_incident.c.disputed),
            },
        ).group_by(per_incident.c.a),
        "blame": _part(
            "blame",
            pairs.c.a,
            None,
            pairs.c.blames,
            None,
            {
                "incidents": func.count(),
                "disputed": func.sum(case((pairs.c.sides > 1, 1), else_=0)),
                "blamed_perpetrator": func.sum(
                    case((pairs.c.blames == pairs.c.perpetrator_id, 1), else_=0)
                ),
            },
        ).group_by(pairs.c.a, pairs.c.blames),
    }


@lru_cache(maxsize=1)
def incident_cells() -> Select[Any]:
    """:func:`audience_cell_rows` over the incidents whose ids are bound as ``incident_ids``
    (an expanding parameter): built once, so that every write reuses the statement and its
    compiled form."""
    return audience_cell_rows(
        IncidentVerdict.incident_id.in_(bindparam("incident_ids", expanding=True))
    )


def collected_rows(
    rows: Iterable[RowMapping], sign: int, into: dict[tuple[Any, ...], dict[str, int]]
) -> None:
    """Add ``rows`` of :func:`incident_cells`, times ``sign``, into ``into`` (the cell's key,
    as :data:`tracker.models.report_store.CELL_KEY`, -> its measures by name)."""
    for row in rows:
        key = tuple(row[name] for name in CELL_KEY)
        totals = into.get(key)
        if totals is None:
            totals = into[key] = dict.fromkeys(MEASURES, 0)
        for name in PART_MEASURES[row["part"]]:
            totals[name] += sign * int(row[name] or 0)

"""The report's totals as the report reads them: an agreement's stored cells, or the cell
statement (:mod:`tracker.queries.report_cells`) run over a chosen period's incidents; both
give :class:`Aggregates`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy.engine import Result, Row
from sqlalchemy.orm import Session

from tracker.models import IncidentVerdict, ReportCell
from tracker.models.report_store import MEASURES, NO_FINDING, NO_KEY
from tracker.queries.report_cells import (
    AUDIENCES,
    PART_MEASURES,
    VERDICT_MEASURES,
    cell_rows,
)

#: The series key of the perpetrators beyond the timeline's top ones.
OTHER = "other"
#: The timeline part of each way of stacking the timeline.
TIMELINE_PART = {"category": "day_category", "perpetrator": "day_actor"}
_KEYS = ("part", "finding", "k1", "k2")


@dataclass
class Aggregates:
    """The report's totals, sorted by part."""

    #: (finding, category, status, the summary measures by name)
    summary: list[tuple[int, str, str, dict[str, int]]] = field(default_factory=list)
    perpetrator: list[tuple[int, int | None, int]] = field(default_factory=list)
    #: place id (None: no place) -> incidents of each finding (violation, contested,
    #: indeterminate, outside scope); a report reads thousands, each once
    place: dict[int | None, tuple[int, int, int, int]] = field(default_factory=dict)
    provision: list[tuple[int, int | None, int]] = field(default_factory=list)
    timeline: list[tuple[dt.date, str | None, int]] = field(default_factory=list)
    #: the first and last days of the timeline's incidents when its rows may be binned by week
    timeline_days: tuple[dt.date, dt.date] | None = None
    #: reliability -> (sources, citations)
    grades: dict[str, tuple[int, int]] = field(default_factory=dict)
    with_sources: int = 0
    two_or_more: int = 0
    #: (blamed actor id, incidents, disputed ones, those where the actor is the perpetrator)
    blamed: list[tuple[int, int, int, int]] = field(default_factory=list)
    disputed: int = 0


def _measures_of(parts: Iterable[str]) -> list[str]:
    """The measures that any of ``parts`` fills, in table order."""
    wanted = {name for part in parts for name in PART_MEASURES[part]}
    return [name for name in MEASURES if name in wanted]


def stored_totals(
    session: Session,
    agreement_id: int,
    *,
    public: bool,
    stack: str,
    top_actors: Callable[[dict[int | None, int]], list[int | None]] | None = None,
    by_week: Callable[[dt.date, dt.date], bool] | None = None,
) -> Aggregates:
    """The totals of an agreement's whole record, read from its stored cells (which must be
    built, see :func:`tracker.services.report_rebuild.ensure_built`). Stacked by perpetrator,
    the timeline keeps the perpetrators ``top_actors`` picks (from the incidents per
    perpetrator) and adds up the others as :data:`OTHER`. When ``by_week`` says so of the
    timeline's first and last days, its days are added up by week in SQL (each week keyed by
    its Monday, as the chart bins them)."""
    cells = ReportCell.__table__
    own = and_(
        cells.c.agreement_id == agreement_id,
        cells.c.audience == AUDIENCES[public],
    )
    keys = [cells.c[key] for key in _KEYS]
    read_apart = {"grade", "summary", "span", "date_range", *TIMELINE_PART.values()}
    others = [p for p in PART_MEASURES if p not in read_apart]
    summary = select(*keys, *(cells.c[m] for m in PART_MEASURES["summary"]))
    rest = select(*keys, *(cells.c[m] for m in _measures_of(others)))
    found = _sort(
        [
            session.execute(summary.where(own, cells.c.part == "summary")),
            session.execute(rest.where(own, cells.c.part.in_(others))),
        ]
    )
    part = TIMELINE_PART[stack]
    # the day parts have no finding: with it named, the first and last days are two steps of
    # the cells' key
    first, last = session.execute(
        select(func.min(cells.c.k1), func.max(cells.c.k1)).where(
            own, cells.c.part == part, cells.c.finding == NO_FINDING
        )
    ).one()
    if first is None or last is None:
        return found
    found.timeline_days = (dt.date.fromisoformat(first[:10]), dt.date.fromisoformat(last[:10]))
    weekly = by_week(*found.timeline_days) if by_week else False
    day = _week_of(cells.c.k1, session.get_bind().dialect.name) if weekly else cells.c.k1
    if stack == "category":
        series: ColumnElement[Any] = cells.c.k2
    else:
        counts: dict[int | None, int] = {}
        for _finding, actor_id, n in found.perpetrator:
            counts[actor_id] = counts.get(actor_id, 0) + n
        chosen = top_actors(counts) if top_actors else list(counts)
        kept = [NO_KEY if a is None else str(a) for a in chosen]
        series = case((cells.c.k2.in_(kept), cells.c.k2), else_=literal(OTHER))
    timeline = (
        select(
            cells.c.part,
            cells.c.finding,
            day.label("k1"),
            series.label("k2"),
            func.sum(cells.c.incidents).label("incidents"),
        )
        .where(own, cells.c.part == part)
        .group_by(cells.c.part, cells.c.finding, day, series)
    )
    found.timeline = _sort([session.execute(timeline)]).timeline
    return found


def _week_of(day: ColumnElement[str], dialect: str) -> ColumnElement[str]:
    """The Monday of the week of ``day`` (a stored day's text), as text."""
    # constants written out, so that the grouped expression is the selected one on every engine
    if dialect == "sqlite":
        return func.date(day, literal_column("'-6 days'"), literal_column("'weekday 1'"))
    return func.to_char(
        func.date_trunc(literal_column("'week'"), cast(day, Date)), literal_column("'YYYY-MM-DD'")
    )


def live_totals(
    session: Session,
    agreement_id: int,
    *,
    date_from: dt.date | None,
    date_to: dt.date | None,
    public: bool,
    stack: str,
) -> Aggregates:
    """The totals of the agreement's incidents in the report from ``date_from`` to ``date_to``
    (local days, either open), from the statement over their stored verdicts."""
    statement = _period_statement(public, stack, date_from is not None, date_to is not None)
    values = {"agreement_id": agreement_id, "date_from": date_from, "date_to": date_to}
    return _sort([session.execute(statement, values)])


@lru_cache(maxsize=16)
def _period_statement(public: bool, stack: str, bounded_from: bool, bounded_to: bool) -> Any:
    """:func:`live_totals`' statement, its agreement and days bound as parameters: built once
    per audience, stack and kind of period, so that it is compiled once (a statement of a dozen
    parts costs tens of milliseconds to build and compile)."""
    verdict = IncidentVerdict
    # only the pairs in the report: every part read here counts them alone, and the index by
    # day is then read from the period's first day to its last
    scope = and_(
        verdict.agreement_id == bindparam("agreement_id"),
        verdict.in_report.is_(True),
        *([verdict.occurred_on >= bindparam("date_from", type_=Date)] if bounded_from else []),
        *([verdict.occurred_on <= bindparam("date_to", type_=Date)] if bounded_to else []),
    )
    # the timeline's imprecise date ranges and the rates' spans are read from the store alone
    # (of the whole record); the cited sources by reliability come from their own part, since
    # distinct sources cannot be added up from the store's per-source cells
    parts = {"summary", "perpetrator", "place", "provision", "grades", "quality", "blame"}
    return cell_rows(scope, public=public, parts={*parts, TIMELINE_PART[stack]})


def _int(value: str) -> int | None:
    return int(value) if value != NO_KEY else None


def stored_moment(text: str) -> dt.datetime:
    """A moment stored as a cell's key (the text of a date and time column), in UTC."""
    moment = dt.datetime.fromisoformat(text)
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _n(row: Row[Any], at: dict[str, int], name: str) -> int:
    """The measure ``name`` of a row whose columns are at the positions ``at``."""
    return int(row[at[name]] or 0)


#: The measures of the parts by verdict, with the finding each counts.
_BY_FINDING = [(int(f), m) for f, m in VERDICT_MEASURES.items()]


def _sort(results: Iterable[Result[Any]]) -> Aggregates:
    """The rows of ``results`` (keys and measures, named by their columns) sorted into
    :class:`Aggregates`; each row's values are read by position."""
    found = Aggregates()
    by_finding = {
        "perpetrator": found.perpetrator,
        "provision": found.provision,
    }
    places = found.place
    timeline_parts = set(TIMELINE_PART.values())
    for result in results:
        at = {name: i for i, name in enumerate(result.keys())}
        keys = [at[key] for key in _KEYS]
        summary = [(m, at[m]) for m in PART_MEASURES["summary"] if m in at]
        verdicts = [(f, at[m]) for f, m in _BY_FINDING if m in at]
        # the positions of the incidents of each finding, 0 to 3 (a place's measures)
        by_place = [i for _f, i in sorted(verdicts)]
        at_part, at_finding, at_k1, at_k2 = keys

        for row in result.all():  # fetched at once: a report reads thousands of rows
            part, finding, k1, k2 = row[at_part], row[at_finding], row[at_k1], row[at_k2]
            if part == "place":
                v, c, u, o = (int(row[i] or 0) for i in by_place)
                places[_int(k1)] = (v, c, u, o)
            elif part == "summary":
                found.summary.append((finding, k1, k2, {m: int(row[i] or 0) for m, i in summary}))
            elif part in by_finding:
                key = _int(k1)
                kept = by_finding[part]
                for f, i in verdicts:
                    count = row[i]
                    if count:
                        kept.append((f, key, int(count)))
            elif part in timeline_parts:
                day = dt.date.fromisoformat(k1[:10])
                found.timeline.append((day, k2 if k2 != NO_KEY else None, _n(row, at, "incidents")))
            elif part == "grades":
                found.grades[k1] = (_n(row, at, "sources"), _n(row, at, "citations"))
            elif part == "quality":
                found.with_sources, found.two_or_more, found.disputed = (
                    _n(row, at, "incidents"),
                    _n(row, at, "independent"),
                    _n(row, at, "disputed"),
                )
            elif part == "blame":
                found.blamed.append(
                    (
                        int(k1),
                        _n(row, at, "incidents"),
                        _n(row, at, "disputed"),
                        _n(row, at, "blamed_perpetrator"),
                    )
                )
    return found

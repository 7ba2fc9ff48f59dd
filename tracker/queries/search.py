"""Full-text search through the engines' own indexes: the match condition for the list filters,
and ranked pages of incidents and sources.

SQLite answers from FTS5 tables ranked by BM25, PostgreSQL from ``tsvector`` columns with GIN
indexes ranked by ``ts_rank``. Both hold the terms of :mod:`tracker.rules.search_terms`, so a
query is folded and stemmed the same way on both. A common word can match hundreds of
thousands of incidents: ranking all of them would read them all, so only the newest
:data:`RANK_WINDOW` matches that pass the other filters are ranked (every match of a rarer
query is).
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    cast,
    column,
    func,
    literal_column,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session

from tracker.models import Incident, Source
from tracker.models.search import INCIDENT_INDEX, SOURCE_INDEX
from tracker.queries.incident_list import preload, stored_verdicts
from tracker.queries.incidents import IncidentFilters, filtered
from tracker.queries.visibility import source_rows
from tracker.rules.applicability import Verdict
from tracker.rules.search_terms import Query, parse_query

#: How many of the newest matches are ranked at most.
RANK_WINDOW = 1000
#: On PostgreSQL, the highest id of a search index up to which the words are sent apart from
#: the statement (its plan is prepared once and kept); above it, they are written into it.
PREPARED_UP_TO = 128_000
#: How long the highest id of a search index is taken as read, in seconds.
NEWEST_TTL = 10.0
_NEWEST: dict[tuple[str, str], tuple[float, int]] = {}


def _ranked(
    session: Session,
    base: Select[Any],
    table_name: str,
    id_column: Any,
    query: Query,
    offset: int,
    size: int,
) -> list[tuple[int, float]]:
    """``(id, score)`` of the rows of ``base`` (a SELECT of ids) that match ``query``, best
    first (ties: newest first), ``size`` of them from ``offset``: of the newest
    :data:`RANK_WINDOW` matches, ranked as they are read.

    FTS5 hands its matches over newest first by itself (ORDER BY rowid DESC); it scores them
    by BM25, lower is better. On PostgreSQL the planner reads a common word's matches newest
    first through the id index and stops at the window, and a rare word's few matches
    through the GIN index; ``ts_rank`` scores them, higher is better. On a large index the
    words are written into the statement: a prepared statement's generic plan knows not how
    common they are and read the whole index for a rare word. (The index tables are scanned
    without parallel workers: for a thousand rows, starting them costs more than they save.)"""
    score: ColumnElement[float]
    postgresql = session.get_bind().dialect.name == "postgresql"
    if postgresql:
        index = table(table_name, column("id"), column("terms"))
        large = _newest_id(session, index) > PREPARED_UP_TO
        tsquery = cast(bindparam(None, query.tsquery(), literal_execute=large), TSQUERY)
        score, key = func.ts_rank(index.c.terms, tsquery), id_column
        joined, matched = index.c.id == id_column, index.c.terms.op("@@")(tsquery)
    else:
        index = table(table_name, column("rowid"))
        score, key = literal_column(f"bm25({table_name}, 1.0, 0.5)"), index.c.rowid
        joined = index.c.rowid == id_column
        matched = literal_column(table_name).op("MATCH")(query.fts5())
    window = (
        base.add_columns(score.label("score"))
        .join(index, joined)
        .where(matched)
        .order_by(key.desc())
        .limit(RANK_WINDOW)
        .subquery("window")
    )
    best = window.c.score.desc() if postgresql else window.c.score
    statement = (
        select(window.c.id, window.c.score)
        .order_by(best, window.c.id.desc())
        .limit(size)
        .offset(offset)
    )
    return [(int(r.id), float(r.score)) for r in session.execute(statement)]


def _newest_id(session: Session, index: Any) -> int:
    """The highest id of the search ``index``, read at most once every :data:`NEWEST_TTL`
    seconds per database. It only says how the words are sent: an older figure gives the
    same page."""
    key = (str(session.get_bind().engine.url), str(index.name))
    now = time.monotonic()
    read_at, newest = _NEWEST.get(key, (-NEWEST_TTL, 0))
    if now - read_at >= NEWEST_TTL:
        newest = int(session.scalar(select(func.max(index.c.id))) or 0)
        _NEWEST[key] = (now, newest)
    return newest


def ranked_incidents(
    session: Session, filters: IncidentFilters, *, offset: int = 0, size: int = 50
) -> list[tuple[Incident, float]]:
    """A page of the incidents that pass ``filters`` and match ``filters.text``, most relevant
    first, with their scores (higher is better on PostgreSQL, lower on SQLite: compare only
    within one engine)."""
    query = parse_query(filters.text)
    if query.empty:
        return []
    base = filtered(replace(filters, text=None)).with_only_columns(Incident.id)
    ranked = _ranked(session, base, INCIDENT_INDEX, Incident.id, query, offset, size)
    found = {
        i.id: i
        for i in session.scalars(select(Incident).where(Incident.id.in_([r for r, _s in ranked])))
    }
    return [(found[r], score) for r, score in ranked if r in found]


def ranked_sources(
    session: Session,
    text_query: str,
    *,
    public: bool,
    retracted: bool = False,
    offset: int = 0,
    size: int = 50,
) -> list[tuple[Source, float]]:
    """A page of the sources whose title, publisher, author or excerpts match ``text_query``,
    most relevant first, of those a public or staff audience sees (:func:`source_rows`; the
    staff's retracted ones with ``retracted``). What the public may not see is never matched:
    it is filtered inside the search, not after it."""
    query = parse_query(text_query)
    if query.empty:
        return []
    base = select(Source.id).where(source_rows(public=public, retracted=retracted))
    ranked = _ranked(session, base, SOURCE_INDEX, Source.id, query, offset, size)
    found = {
        s.id: s
        for s in session.scalars(select(Source).where(Source.id.in_([r for r, _s in ranked])))
    }
    return [(found[r], score) for r, score in ranked if r in found]


def ranked_page(
    session: Session, filters: IncidentFilters, offset: int, size: int
) -> tuple[list[Incident], dict[int, Verdict], bool]:
    """A page of the incidents list in order of relevance: the incidents, their stored
    verdicts (as :func:`tracker.queries.incident_list.incident_page` gives them) and whether
    more follow."""
    rows = ranked_incidents(session, filters, offset=offset, size=size + 1)
    page = [incident for incident, _score in rows[:size]]
    preload(session, page)
    return page, stored_verdicts(session, page, filters.agreement), len(rows) > size

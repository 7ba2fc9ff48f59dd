"""The condition that a record's search document matches a query, written for each engine:
FTS5's ``MATCH`` on SQLite, ``@@`` against a ``tsvector`` on PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, ColumnElement, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from tracker.models import Incident
from tracker.models.search import INCIDENT_INDEX
from tracker.rules.search_terms import Query, parse_query


class Matches(ColumnElement[bool]):
    """``id_column IN (the ids whose document in index table ``table`` matches ``query``)``,
    written for the engine the statement runs on."""

    inherit_cache = False
    type = Boolean()

    def __init__(self, table: str, id_column: Any, query: Query) -> None:
        self.table = table
        self.id_column = id_column
        self.query = query


@compiles(Matches)
def _matches_fts5(element: Matches, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.id_column, **kw)
    bound = compiler.process(literal(element.query.fts5()), **kw)
    name = element.table
    return f"{column} IN (SELECT rowid FROM {name} WHERE {name} MATCH {bound})"  # noqa: S608


@compiles(Matches, "postgresql")
def _matches_tsvector(element: Matches, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.id_column, **kw)
    bound = compiler.process(literal(element.query.tsquery()), **kw)
    name = element.table
    return f"{column} IN (SELECT id FROM {name} WHERE terms @@ CAST({bound} AS tsquery))"  # noqa: S608


def incident_match(text_query: str) -> ColumnElement[bool]:
    """The condition that an incident's document matches ``text_query`` (none matches an
    empty query)."""
    query = parse_query(text_query)
    if query.empty:
        return literal(False)
    return Matches(INCIDENT_INDEX, Incident.id, query)

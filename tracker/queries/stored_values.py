"""Stored rows that break the rules of :mod:`tracker.rules.values` (for ``db check``), and the
kind of rule each column follows."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Connection,
    Date,
    DateTime,
    Integer,
    Select,
    String,
    Table,
    Text,
    select,
)
from sqlalchemy.types import TypeDecorator, TypeEngine

from tracker.rules.values import value_problem

#: JSON columns that hold a GeoJSON shape, by table.
GEOMETRY_COLUMNS = {("territories", "geometry")}
#: At most this many offending ids are named per table and column.
MAX_IDS = 20


def _base_type(column_type: TypeEngine[object]) -> TypeEngine[object]:
    if isinstance(column_type, TypeDecorator):
        return _base_type(column_type.impl_instance)
    return column_type


def column_kind(table_name: str, column: Column[object]) -> str | None:
    """``text``, ``integer``, ``bigint``, ``date`` or ``geometry``: the rule of
    :func:`tracker.rules.values.value_problem` that ``column`` follows (None for none)."""
    if (table_name, column.name) in GEOMETRY_COLUMNS:
        return "geometry"
    kind = _base_type(column.type)
    if isinstance(kind, BigInteger):
        return "bigint"
    if isinstance(kind, Integer):
        return "integer"
    if isinstance(kind, String | Text):
        return "text"
    if isinstance(kind, Date | DateTime):
        return "date"
    if isinstance(kind, JSON):
        return None
    return None


@dataclass(frozen=True)
class BadRows:
    """Rows of ``table`` whose ``column`` breaks the rule ``problem``: their ids (at most
    :data:`MAX_IDS`) and how many there are."""

    table: str
    column: str
    problem: str
    ids: list[object]
    count: int

    def describe(self) -> str:
        """One line naming the table, the column, the problem and the ids."""
        shown = ", ".join(str(i) for i in self.ids)
        more = f" and {self.count - len(self.ids)} more" if self.count > len(self.ids) else ""
        return f"{self.table}.{self.column}: {self.problem} in rows {shown}{more}"


def bad_rows(
    connection: Connection | Callable[[Select[Any]], Iterable[Sequence[Any]]],
    tables: Iterable[Table],
) -> list[BadRows]:
    """Every column of ``tables`` whose stored values break the rules, with the rows' ids
    (the first primary-key column; tables without one are skipped). Reads every row once,
    through ``connection`` or a function that runs a SELECT and returns its rows."""
    run = connection.execute if isinstance(connection, Connection) else connection
    found: list[BadRows] = []
    for table in tables:
        keys = list(table.primary_key.columns)
        if not keys:
            continue
        checked = [
            (c, kind) for c in table.columns if (kind := column_kind(table.name, c)) is not None
        ]
        if not checked:
            continue
        problems: dict[tuple[str, str], list[object]] = {}
        query = select(keys[0], *(c for c, _k in checked))
        for row in run(query):
            for (column, kind), value in zip(checked, row[1:], strict=True):
                problem = value_problem(value, kind=kind)
                if problem:
                    problems.setdefault((column.name, problem), []).append(row[0])
        for (column_name, problem), ids in problems.items():
            found.append(BadRows(table.name, column_name, problem, ids[:MAX_IDS], len(ids)))
    return found

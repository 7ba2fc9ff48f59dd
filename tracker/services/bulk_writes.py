"""Bulk writes straight through the database driver (COPY on PostgreSQL, executemany on
SQLite) inside the session's transaction, and ids reserved ahead of them."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, func, select, text, update
from sqlalchemy.orm import Session

from tracker.services.import_runs import ImportRefusedError


def _json_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _default(column: Any) -> Any:
    default = column.default
    if default is None:
        return None
    if default.is_callable:
        return default.arg(None)
    return default.arg


def bulk_insert(session: Session, table: Any, rows: Iterable[dict[str, Any]]) -> None:
    """Insert ``rows`` into ``table`` in the session's transaction, straight through the
    driver: COPY on PostgreSQL, one ``executemany`` on SQLite (the references the import is
    measured against). Values go through the columns' own bind conversions (UTC timestamps,
    dates, JSON) and the column defaults written in Python are filled in; every row must name
    the same columns. ``rows`` may be a generator (it is read once, while the rows are sent);
    it must not use the session itself.

    :raises ImportRefusedError: when the session's connection is closed.
    """
    remaining = iter(rows)
    first = next(remaining, None)
    if first is None:
        return
    connection = session.connection()
    dialect = connection.dialect
    given = list(first)
    defaults = [c for c in table.columns if c.name not in given and c.default is not None]
    columns = [table.c[name] for name in given] + defaults
    postgres = dialect.name == "postgresql"
    processors: list[Callable[[Any], Any] | None] = [
        _json_text
        if postgres and isinstance(c.type, JSON)
        else c.type.dialect_impl(dialect).bind_processor(dialect)
        for c in columns
    ]
    raw = connection.connection.driver_connection
    if raw is None:
        raise ImportRefusedError("the database connection was closed")
    pick = itemgetter(*given)
    filled = tuple(_default(c) for c in defaults)  # one value per call: one transaction
    converted = [(i, p) for i, p in enumerate(processors) if p is not None]

    def values_of(row: dict[str, Any]) -> list[Any]:
        picked = pick(row)
        values = [*(picked if len(given) > 1 else (picked,)), *filled]
        for i, process in converted:
            values[i] = process(values[i])
        return values

    values = map(values_of, itertools.chain((first,), remaining))
    names = ", ".join(f'"{c.name}"' for c in columns)
    if postgres:
        copy_statement = f"COPY {table.name} ({names}) FROM STDIN"
        with raw.cursor() as cursor, cursor.copy(copy_statement) as copy:
            for row_values in values:
                copy.write_row(row_values)
        return
    marks = ", ".join("?" for _ in columns)
    statement = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"  # noqa: S608 (names from the model)
    raw.cursor().executemany(statement, values)


def reserve_ids(session: Session, table: Any, count: int) -> list[int]:
    """``count`` new ids for ``table``: from its sequence on PostgreSQL; on SQLite the ones
    after the largest (the transaction holds the write lock, so nobody else takes them)."""
    if session.get_bind().dialect.name == "postgresql":
        sequence = f"{table.name}_id_seq"
        return list(
            session.scalars(
                select(func.nextval(sequence)).select_from(func.generate_series(1, count))
            )
        )
    session.execute(update(table).where(text("0")).values(id=table.c.id))  # take the write lock
    largest = session.scalar(select(func.max(table.c.id))) or 0
    return list(range(largest + 1, largest + 1 + count))

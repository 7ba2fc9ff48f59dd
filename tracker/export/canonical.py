"""Canonical row text for checksums: the same bytes from SQLite and PostgreSQL for the same data.

A row's canonical text is the row written as a SQL row literal, ``(v1,v2,...)``, followed by a
comma and a newline, in the form that SQLite's ``quote()`` gives: the rows of a sqlite-dialect
dump's multi-row INSERT statements are their own canonical texts and cost nothing more to
checksum. Values are written as:

- NULL is ``NULL``; integers in decimal; booleans ``1`` / ``0``;
- text in single quotes, a quote doubled, every other character (UTF-8) as it is;
- dates ``'YYYY-MM-DD'``; timestamps in UTC as ``'YYYY-MM-DD HH:MM:SS.ffffff'`` (the form the
  tracker stores in SQLite);
- floating-point numbers as Python's shortest round-trip ``repr`` (computed in Python);
- JSON re-serialised with sorted keys and no spaces, non-ASCII characters kept, in quotes
  (computed in Python).

A table's checksum is the SHA-256 of its rows' canonical texts in primary-key order (strings
compared byte by byte). PostgreSQL renders the same literals with ``to_char`` and casts.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Float, Integer, Numeric
from sqlalchemy.types import TypeDecorator, TypeEngine


class Kind(enum.StrEnum):
    """How a column's values are written in dumps and canonical texts."""

    TEXT = "text"
    INTEGER = "integer"
    FLOAT = "float"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    JSON = "json"


#: Kinds whose canonical text is computed in Python rather than by the database.
PYTHON_KINDS = frozenset({Kind.FLOAT, Kind.JSON})
NULL = "NULL"
_COPY_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def kind_of(column: Column[Any]) -> Kind:
    """The kind of ``column`` from its SQLAlchemy type (model or reflected)."""
    sql_type: TypeEngine[Any] = column.type
    if isinstance(sql_type, TypeDecorator):
        sql_type = sql_type.impl_instance
    checks: tuple[tuple[type[TypeEngine[Any]], Kind], ...] = (
        (Boolean, Kind.BOOLEAN),
        (Integer, Kind.INTEGER),
        (Float, Kind.FLOAT),
        (Numeric, Kind.FLOAT),
        (DateTime, Kind.DATETIME),
        (Date, Kind.DATE),
        (JSON, Kind.JSON),
    )
    for type_class, kind in checks:
        if isinstance(sql_type, type_class):
            return kind
    return Kind.TEXT


def _utc_text(value: dt.datetime | str) -> str:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def canonical_value(kind: Kind, value: Any) -> str:
    """The canonical literal of one stored ``value`` of ``kind`` (as either engine returns it)."""
    if value is None:
        return NULL
    if kind is Kind.BOOLEAN:
        return "1" if value else "0"
    if kind is Kind.INTEGER:
        return str(int(value))
    if kind is Kind.FLOAT:
        return repr(float(value))
    if kind is Kind.DATETIME:
        return _quoted(_utc_text(value))
    if kind is Kind.DATE:
        return _quoted(value.isoformat() if isinstance(value, dt.date) else str(value))
    if kind is Kind.JSON:
        data = json.loads(value) if isinstance(value, str | bytes) else value
        return _quoted(json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False))
    return _quoted(str(value))


def canonical_row(kinds: list[Kind], values: tuple[Any, ...] | list[Any]) -> str:
    """The canonical text of one row (without its newline)."""
    return "(" + ",".join(canonical_value(k, v) for k, v in zip(kinds, values, strict=True)) + ")"


def copy_escaped(engine: str, expr: str) -> str:
    """``expr`` (a text expression) escaped for a field of PostgreSQL's COPY text format."""
    function = "char" if engine == "sqlite" else "chr"
    expr = f"replace({expr}, '\\', '\\\\')"
    for char, code in (("\n", 10), ("\r", 13), ("\t", 9)):
        expr = f"replace({expr}, {function}({code}), '{_COPY_ESCAPES[char]}')"
    return expr

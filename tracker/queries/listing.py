"""Keyset pages, for every list (incidents, sources, agreements, actors, places) and the API:
sorted by one column and the id, each page starting after the last row of the previous one,
so deep pages stay fast.

A page key is one query value, ``after=<key>_<id>``: the last row's sort key as text (a date,
a moment or a name) and its id, or ``after=<id>`` for a list sorted by id alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, tuple_
from sqlalchemy.orm import Session

from tracker.rules.values import ascii_digits

T = TypeVar("T")
#: The largest record id (a 32-bit integer column).
MAX_ID = 2**31 - 1


@dataclass
class Page(Generic[T]):
    """One page of rows and the page key of the next page (None on the last page)."""

    items: Sequence[T]
    next_key: str | None = None


@dataclass(frozen=True)
class SortOrder:
    """One way a list is sorted: a column (None: by id alone) whose values are text, moments
    (``is_time``) or dates (``is_date``), and a direction; the id breaks ties."""

    column: Any
    descending: bool = False
    is_time: bool = False
    is_date: bool = False

    def _value(self, text: str) -> Any:
        if self.is_date:
            return dt.date.fromisoformat(text)
        if self.is_time:
            moment = dt.datetime.fromisoformat(text)
            return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        return text

    def read(self, raw: str | None) -> tuple[Any, int] | None:
        """The ``(key, id)`` of the page key ``raw``, or None when it is absent or unreadable
        (the list then starts from its first page)."""
        if not raw:
            return None
        text, sep, number = raw.rpartition("_")
        if (
            not ascii_digits(number)
            or int(number) > MAX_ID
            or bool(sep) != (self.column is not None)
        ):
            return None
        if self.column is None:
            return None, int(number)
        try:
            return self._value(text), int(number)
        except ValueError:
            return None

    def key_of(self, row: Any) -> str:
        """The page key that starts the page after ``row``."""
        if self.column is None:
            return str(int(row.id))
        value = getattr(row, self.column.key)
        text = value.isoformat() if self.is_time or self.is_date else str(value)
        return f"{text}_{int(row.id)}"


def keyset_page(
    session: Session,
    statement: Select[Any],
    order: SortOrder,
    id_column: Any,
    *,
    after: tuple[Any, int] | None,
    size: int,
) -> Page[Any]:
    """The ``size`` rows of ``statement`` that follow ``after`` (see :meth:`SortOrder.read`)
    in ``order``. The key is also folded into a plain range bound, so that SQLite seeks on
    the index instead of scanning from the first row."""
    if order.column is None:
        if after is not None:
            last_id = after[1]
            statement = statement.where(
                id_column < last_id if order.descending else id_column > last_id
            )
        columns: tuple[Any, ...] = (id_column,)
    else:
        key = order.column
        if after is not None:
            last_key, last_id = after
            condition: ColumnElement[bool]
            if order.descending:
                condition = tuple_(key, id_column) < tuple_(last_key, last_id)
                statement = statement.where(key <= last_key, condition)
            else:
                condition = tuple_(key, id_column) > tuple_(last_key, last_id)
                statement = statement.where(key >= last_key, condition)
        columns = (key, id_column)
    ordering = [c.desc() if order.descending else c.asc() for c in columns]
    rows = list(session.scalars(statement.order_by(*ordering).limit(size + 1)))
    if len(rows) > size:
        rows = rows[:size]
        return Page(rows, order.key_of(rows[-1]))
    return Page(rows)


def sorted_page(
    session: Session,
    statement: Select[Any],
    order: SortOrder,
    id_column: Any,
    args: Mapping[str, str],
    size: int,
) -> Page[Any]:
    """The page of ``statement`` in ``order`` that follows the page key of the ``after``
    query argument (the first page when it is absent or unreadable)."""
    return keyset_page(
        session, statement, order, id_column, after=order.read(args.get("after")), size=size
    )

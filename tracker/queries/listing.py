"""Keyset pages for the catalogue lists (agreements, actors, places): sorted by one column and
the id, each page starting after the last row of the previous one, so deep pages stay fast."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session

from tracker.rules.values import ascii_digits

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    """One page of rows and the key of its last row when more rows follow."""

    items: Sequence[T]
    next_key: tuple[str, int] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def parse_after(raw_key: str | None, raw_id: str | None) -> tuple[str, int] | None:
    """The ``(key, id)`` of the ``after``/``after_id`` query arguments, or None when absent or
    unreadable (an unreadable key restarts from the first page, never an error page)."""
    if raw_key is None or not raw_id or not ascii_digits(raw_id):
        return None
    return raw_key, int(raw_id)


def keyset_page(
    session: Session,
    statement: Select[Any],
    key: InstrumentedAttribute[Any],
    id_column: InstrumentedAttribute[int],
    *,
    after: tuple[Any, int] | None,
    size: int,
    descending: bool = False,
    key_of: Callable[[T], tuple[str, int]],
) -> Page[T]:
    """The ``size`` rows of ``statement`` that follow ``after`` in ``(key, id)`` order. The
    key is also folded into a plain range bound, so that SQLite seeks on the index instead of
    scanning from the first row. ``key_of`` gives the ``(key, id)`` of a row."""
    if after is not None:
        last_key, last_id = after
        condition: ColumnElement[bool]
        if descending:
            condition = tuple_(key, id_column) < tuple_(last_key, last_id)
            statement = statement.where(key <= last_key, condition)
        else:
            condition = tuple_(key, id_column) > tuple_(last_key, last_id)
            statement = statement.where(key >= last_key, condition)
    order = (key.desc(), id_column.desc()) if descending else (key.asc(), id_column.asc())
    rows: list[T] = list(session.scalars(statement.order_by(*order).limit(size + 1)))
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        return Page(rows, key_of(last))
    return Page(rows)


@dataclass(frozen=True)
class SortOrder:
    """One way a list can be sorted: a column (text or timestamp) and a direction."""

    column: InstrumentedAttribute[Any]
    descending: bool = False
    is_time: bool = False

    def parse(self, raw: str) -> Any:
        """The column value written as ``raw`` in a page link, or None when unreadable."""
        if not self.is_time:
            return raw
        try:
            moment = dt.datetime.fromisoformat(raw)
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)

    def key_of(self, row: Any) -> tuple[str, int]:
        """The ``(key, id)`` of ``row`` as written in the next page's link."""
        value = getattr(row, self.column.key)
        return (value.isoformat() if self.is_time else str(value), int(row.id))


def sorted_page(
    session: Session,
    statement: Select[Any],
    order: SortOrder,
    id_column: InstrumentedAttribute[int],
    args: Mapping[str, str],
    size: int,
) -> Page[Any]:
    """The page of ``statement`` in ``order`` that follows the ``after``/``after_id`` query
    arguments (the first page when they are absent or unreadable)."""
    after = parse_after(args.get("after"), args.get("after_id"))
    key = order.parse(after[0]) if after else None
    return keyset_page(
        session,
        statement,
        order.column,
        id_column,
        after=(key, after[1]) if after and key is not None else None,
        size=size,
        descending=order.descending,
        key_of=order.key_of,
    )

"""Conditions on a column against a list of values that may run into the hundreds or
thousands, written the way each engine reads them fastest."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ARRAY, ColumnElement, any_, bindparam
from sqlalchemy.orm import Session


def among(session: Session, column: Any, values: list[Any]) -> ColumnElement[bool]:
    """``column IN values``: one array parameter on PostgreSQL (the driver neither splits a
    statement of thousands of parameters nor caches the parsing of one with more than a few
    dozen, so each list would be parsed again on every run), the usual list on SQLite."""
    if session.get_bind().dialect.name == "postgresql":
        found: ColumnElement[bool] = column == any_(
            bindparam(None, values, type_=ARRAY(column.type))
        )
        return found
    listed: ColumnElement[bool] = column.in_(values)
    return listed

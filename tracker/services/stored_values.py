"""The last guard before the database: every flush refuses new or changed column values that
break the rules of :mod:`tracker.rules.values`, whichever service, import or command wrote
them, so that both engines store the same things and every page can show them."""

from __future__ import annotations

from typing import Any

from flask import has_app_context
from flask_babel import gettext
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from tracker.queries.stored_values import column_kind
from tracker.rules.values import INT32_MAX, INT32_MIN, MESSAGES, date_bounds, value_problem
from tracker.services.errors import InvalidInputError


def _message(key: str) -> str:
    low, high = date_bounds()
    params = {
        "integer": {"low": f"{INT32_MIN:,}", "high": f"{INT32_MAX:,}"},
        "date": {"low": low.isoformat(), "high": high.isoformat()},
        "geometry_size": {"positions": "100,000"},
    }.get(key, {})
    text = gettext(MESSAGES[key]) if has_app_context() else MESSAGES[key]
    return text % params if params else text


def _problems(obj: Any, *, new: bool) -> dict[str, str]:
    state = inspect(obj)
    mapper = state.mapper
    found: dict[str, str] = {}
    for prop in mapper.column_attrs:
        if not new and not state.attrs[prop.key].history.has_changes():
            continue
        for column in prop.columns:
            table = getattr(column, "table", None)
            kind = column_kind(getattr(table, "name", ""), column)
            if kind is None:
                continue
            problem = value_problem(state.attrs[prop.key].value, kind=kind)
            if problem:
                found[prop.key] = _message(problem)
    return found


def check_flush(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    """Refuse the flush when a new or changed value breaks the rules.

    :raises InvalidInputError: with a message per offending attribute."""
    errors: dict[str, str] = {}
    for obj in session.new:
        errors.update(_problems(obj, new=True))
    for obj in session.dirty:
        errors.update(_problems(obj, new=False))
    if errors:
        raise InvalidInputError(" ".join(dict.fromkeys(errors.values())), errors)


def install() -> None:
    """Listen to every session's flushes (once per process)."""
    if not event.contains(Session, "before_flush", check_flush):
        event.listen(Session, "before_flush", check_flush)


install()

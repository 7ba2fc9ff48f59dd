"""The demo data set for tests that read it: entered through the services once per engine in
each test process (:func:`tracker.demo.load.load_demo`, itself tested in test_demo.py), then
copied in as the rows it wrote, which costs a fraction of entering it again."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Table, insert, select, text
from sqlalchemy.orm import Session

from tracker.demo.load import load_demo
from tracker.models import Base
from tracker.services.search_index import rebuild as rebuild_search_index

TZ = ZoneInfo("Asia/Damascus")
#: Per engine: every table's rows as the demo loader wrote them into an empty database.
_WRITTEN: dict[str, list[tuple[Table, list[dict[str, Any]]]]] = {}


def _is_empty(conn: Connection) -> bool:
    return all(
        conn.execute(select(1).select_from(table).limit(1)).first() is None
        for table in Base.metadata.sorted_tables
    )


def demo_into(session: Session) -> None:
    """Put the demo data set into ``session``'s transaction. Into an empty database the rows
    the loader wrote the first time are copied; otherwise (or the first time) the loader runs."""
    conn = session.connection()
    engine = conn.dialect.name
    if not _is_empty(conn):
        load_demo(session, TZ)
        return
    if engine not in _WRITTEN:
        load_demo(session, TZ)
        session.flush()
        # in the order of their keys: a row that points at another of its table (a source
        # carried by another, an actor's parent) comes after it, as the loader wrote them,
        # whereas PostgreSQL returns an emptied table's rows in whatever place each one took
        _WRITTEN[engine] = [
            (
                table,
                [
                    dict(row._mapping)
                    for row in conn.execute(select(table).order_by(*table.primary_key.columns))
                ],
            )
            for table in Base.metadata.sorted_tables
        ]
        return
    for table, rows in _WRITTEN[engine]:
        if rows:
            conn.execute(insert(table), rows)
    if engine == "postgresql":
        for table, rows in _WRITTEN[engine]:
            if rows and "id" in table.c and table.c.id.autoincrement in (True, "auto"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT max(id) FROM {table.name}))"
                    )
                )
    rebuild_search_index(conn)
    session.expire_all()

"""Engines per database URL, SQLite connection pragmas, and the per-request session."""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

#: How much of an SQLite database file is read through a memory map.
SQLITE_MMAP_BYTES = 2**31 - 2**16


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MB of page cache instead of 2 MB
    # Read the file through a memory map: the pages the system already caches are read in
    # place, without a system call and a copy each, and are shared by every connection and
    # server process instead of each keeping its own copy (SQLite caps the size at 2 GB).
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.close()


#: The settings of every PostgreSQL session: see :func:`create_tracker_engine`.
SESSION_OPTIONS = "-c TimeZone=UTC -c DateStyle=ISO"


def create_tracker_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url``: SQLite with foreign keys on for every connection,
    PostgreSQL through psycopg 3 with server-side prepared statements off (they can switch
    list queries to slow generic plans) and every session in UTC and the ISO date style; on
    both, SQL parameters are left out of error messages and logs."""
    parsed = make_url(url)
    # A failed statement's parameters (a witness's name, a confidential title) never reach
    # an exception message or a log.
    kwargs.setdefault("hide_parameters", True)
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        connect_args = kwargs.pop("connect_args", {})
        connect_args.setdefault("prepare_threshold", None)
        # Moments are written as text in UTC and ISO form whatever the server's settings (the
        # report store keys date ranges by that text and compares it as text).
        connect_args["options"] = f"{connect_args.get('options', '')} {SESSION_OPTIONS}".strip()
        return create_engine(parsed, connect_args=connect_args, **kwargs)
    engine = create_engine(parsed, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@cache
def engine_for(url: str) -> Engine:
    """One shared engine per URL for the life of the process."""
    _engine_urls.add(url)
    return create_tracker_engine(url)


def _forget_parent_connections() -> None:
    """In a forked child (a gunicorn worker of a preloaded app): never use the parent's pooled
    connections, whose sockets the parent keeps using; open new ones on demand."""
    for url in list(_engine_urls):
        engine_for(url).dispose(close=False)


_engine_urls: set[str] = set()
os.register_at_fork(after_in_child=_forget_parent_connections)


@cache
def session_factory(url: str) -> sessionmaker[Session]:
    """A session factory bound to the shared engine of ``url``."""
    return sessionmaker(bind=engine_for(url), expire_on_commit=False)


def get_session() -> Session:
    """The session of the current request (or app context), opened on first use."""
    if "db_session" not in g:
        g.db_session = session_factory(current_app.config["DATABASE_URL"])()
    session: Session = g.db_session
    return session


def _close_session(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    """Close the request's session when its app context ends (rolling back anything uncommitted)."""
    app.teardown_appcontext(_close_session)


#: PostgreSQL's codes for a write that lost a race: serialization failure, deadlock, lock
#: not available.
_CONFLICT_STATES = frozenset({"40001", "40P01", "55P03"})


def is_write_conflict(error: BaseException) -> bool:
    """Whether ``error`` is a write refused because another transaction wrote at the same
    moment (SQLite busy or locked; a PostgreSQL serialization failure or deadlock): the
    request may be tried again, nothing of it was written."""
    if isinstance(error, StaleDataError):
        return True
    if not isinstance(error, DBAPIError):
        return False
    original = error.orig
    if getattr(original, "sqlstate", None) in _CONFLICT_STATES:
        return True
    text = str(original).lower()
    return "database is locked" in text or "database is busy" in text

"""A consistent read of a whole database: one SQLite read transaction, or one PostgreSQL
REPEATABLE READ READ ONLY transaction, through the driver's own connection for speed."""

from __future__ import annotations

import contextlib
import queue
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from sqlalchemy import Dialect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.sql import ClauseElement

#: Rows fetched at a time: small enough to bound memory, large enough to amortise calls.
BATCH_ROWS = 2000
#: Batches a SQLite reader thread may hold ready before the writer takes them.
READ_AHEAD = 4


class SnapshotError(Exception):
    """The database cannot be read (unsupported URL, missing file, connection refused)."""


def engine_name(url: str) -> str:
    """``sqlite`` or ``postgresql`` for a database URL; other engines are refused."""
    backend = make_url(url).get_backend_name()
    if backend not in {"sqlite", "postgresql"}:
        raise SnapshotError(f"unsupported database engine {backend!r}: use SQLite or PostgreSQL")
    return backend


def sql_dialect(engine: str) -> Dialect:
    """The SQLAlchemy dialect that renders SQL for ``engine`` (named parameters on SQLite)."""
    if engine == "sqlite":
        return sqlite.dialect(paramstyle="named")
    dialect: Dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    return dialect


def sqlite_path(url: str) -> Path:
    """The file of a SQLite URL (in-memory databases are refused)."""
    database = make_url(url).database
    if not database or database == ":memory:":
        raise SnapshotError("an in-memory SQLite database cannot be dumped or restored")
    return Path(database)


def postgres_conninfo(url: str) -> str:
    """A libpq connection URI for a SQLAlchemy PostgreSQL URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class Snapshot:
    """An open read transaction; use as a context manager."""

    def __init__(
        self,
        url: str,
        *,
        connection: sqlite3.Connection | psycopg.Connection[Any] | None = None,
    ) -> None:
        """Open a read transaction on ``url``, or read through an open ``connection`` in its
        current transaction (a restore verifies what it loaded before committing)."""
        self.engine = engine_name(url)
        self.dialect = sql_dialect(self.engine)
        self._sqlite: sqlite3.Connection | None = None
        self._pg: psycopg.Connection[Any] | None = None
        self._owned = connection is None
        if isinstance(connection, sqlite3.Connection):
            self._sqlite = connection
        elif connection is not None:
            self._pg = connection
        elif self.engine == "sqlite":
            path = sqlite_path(url)
            if not path.exists():
                raise SnapshotError(f"no database file at {path}")
            self._sqlite = sqlite3.connect(
                f"file:{quote(str(path.resolve()))}?mode=ro",
                uri=True,
                isolation_level=None,
                check_same_thread=False,
            )
            self._sqlite.execute("BEGIN")
        else:
            try:
                self._pg = psycopg.connect(postgres_conninfo(url), prepare_threshold=None)
            except psycopg.OperationalError as exc:
                raise SnapshotError(f"the database cannot be reached: {exc}") from exc
            self._pg.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            self._pg.read_only = True
            for setting in (
                "SET LOCAL TimeZone = 'UTC'",
                "SET LOCAL DateStyle = 'ISO, YMD'",
                "SET LOCAL extra_float_digits = 1",
                "SET LOCAL client_encoding = 'UTF8'",
            ):
                self._pg.execute(setting)

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End the read transaction and close the connection (unless it was given)."""
        if not self._owned:
            return
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None
        if self._pg is not None:
            self._pg.close()
            self._pg = None

    @property
    def _postgres(self) -> psycopg.Connection[Any]:
        if self._pg is None:
            raise SnapshotError("the snapshot is closed")
        return self._pg

    def quote(self, name: str) -> str:
        """``name`` quoted as an identifier when it needs to be."""
        return str(self.dialect.identifier_preparer.quote(name))

    def compile(self, statement: ClauseElement) -> str:
        """``statement`` as SQL text with its (integer and constant) values inlined."""
        return str(statement.compile(dialect=self.dialect, compile_kwargs={"literal_binds": True}))

    def run(self, statement: ClauseElement) -> Sequence[Sequence[Any]]:
        """All rows of a small query (look-ups of ids, never a table's rows)."""
        return self.fetch_all(self.compile(statement))

    def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> Sequence[Sequence[Any]]:
        """All rows of a small query given as SQL text."""
        if self._sqlite is not None:
            return self._sqlite.execute(sql, params).fetchall()
        with self._postgres.cursor() as cursor:
            cursor.execute(sql.encode(), params or None)
            return cursor.fetchall()

    def batches(self, sql: str) -> Iterator[list[tuple[Any, ...]]]:
        """The rows of ``sql`` in batches. On SQLite a reader thread runs the query ahead (the
        driver releases the GIL while SQLite computes rows), at most :data:`READ_AHEAD`
        batches ahead; on PostgreSQL a server-side cursor pages through the result."""
        if self._sqlite is not None:
            yield from self._sqlite_batches(self._sqlite, sql)
            return
        with self._postgres.cursor(name="tracker_dump") as server_cursor:
            server_cursor.itersize = BATCH_ROWS
            server_cursor.execute(sql)
            while server_rows := server_cursor.fetchmany(BATCH_ROWS):
                yield server_rows

    @staticmethod
    def _sqlite_batches(
        connection: sqlite3.Connection, sql: str
    ) -> Iterator[list[tuple[Any, ...]]]:
        ready: queue.Queue[list[tuple[Any, ...]] | BaseException | None] = queue.Queue(
            maxsize=READ_AHEAD
        )
        stop = threading.Event()

        def read() -> None:
            try:
                cursor = connection.execute(sql)
                while not stop.is_set() and (rows := cursor.fetchmany(BATCH_ROWS)):
                    ready.put(rows)
                cursor.close()
                ready.put(None)
            except sqlite3.Error as exc:
                ready.put(exc)

        reader = threading.Thread(target=read, name="sqlite-dump-reader", daemon=True)
        reader.start()
        try:
            while (item := ready.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()
            while reader.is_alive():
                with contextlib.suppress(queue.Empty):
                    ready.get(timeout=0.05)
            reader.join()

    def copy_out(self, sql: str) -> Iterator[bytes]:
        """The text-format ``COPY`` output of a PostgreSQL query, in pieces."""
        with (
            self._postgres.cursor() as cursor,
            cursor.copy(f"COPY ({sql}) TO STDOUT".encode()) as copy,
        ):
            for data in copy:
                yield bytes(data)

"""Plain-SQL dumps that the stock ``sqlite3`` and ``psql`` clients load as they are.

This module writes a dump: header, schema, data, manifest and signature, in one snapshot.
The rows are formatted by the database itself in one SELECT per table
(:mod:`tracker.export.dump_rows`), so that each row reaches Python as one ready string:
SQLite's ``quote()`` for the sqlite dialect (multi-row INSERT statements), and ``COPY`` text
lines for the postgresql dialect (read with ``COPY ... TO STDOUT`` from PostgreSQL). The
canonical row texts of the checksums come from the same query (or a second ``COPY`` on
PostgreSQL). Memory stays bounded: rows are read in batches and written as they come. What a
public or per-agreement dump holds is decided in :mod:`tracker.export.scope`.

The schema is the models' (:mod:`tracker.export.dump_schema`; the database must be at the
newest migration): for PostgreSQL the tables are created without their foreign keys, loaded,
then the keys, indexes and sequences follow, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Iterator, Sequence

from sqlalchemy import Table, select

from tracker import migrate
from tracker.export.canonical import canonical_row
from tracker.export.dump_rows import (
    ROW_END,
    TableDigest,
    TableSpec,
    canonical_exprs,
    data_expr,
    select_sql,
    table_digest,
)
from tracker.export.dump_schema import dump_tables, schema_sql
from tracker.export.manifest import Manifest, TableEntry
from tracker.export.progress import Progress
from tracker.export.scope import RowFilter, Scope, row_filters, table_filter
from tracker.export.snapshot import Snapshot
from tracker.models import Base
from tracker.models.search import is_search_table
from tracker.queries.visibility import public_columns

DIALECTS = ("sqlite", "postgresql")
#: Rows per multi-row INSERT statement in sqlite-dialect dumps.
INSERT_ROWS = 500
#: Bytes gathered before a piece of the dump is handed on.
CHUNK_BYTES = 1 << 18


class DumpError(Exception):
    """The dump cannot be made; the message says why."""


def _where_sql(snapshot: Snapshot, row_filter: RowFilter) -> str:
    if row_filter is None or row_filter is True:
        return ""
    return " WHERE " + snapshot.compile(row_filter)  # type: ignore[arg-type]


class SqlDump:
    """One dump of a database: iterate :meth:`chunks` for its bytes; :attr:`manifest` is
    complete once they are all read.

    :raises DumpError: (while iterating) when the database is not at the newest migration or
        an agreement slug is unknown.
    """

    def __init__(
        self,
        url: str,
        *,
        dialect: str = "sqlite",
        public: bool = False,
        agreements: Sequence[str] = (),
        created_by: str,
        progress: Progress | None = None,
        tables: Sequence[Table] | None = None,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        sign_key: bytes | None = None,
    ) -> None:
        if dialect not in DIALECTS:
            raise DumpError(f"unknown dialect {dialect!r}: choose sqlite or postgresql")
        self.url = url
        self.dialect = dialect
        self.public = public
        self.agreement_slugs = sorted(set(agreements))
        self.created_by = created_by
        self.progress = progress or Progress(enabled=False)
        self._given_tables = (
            [t for t in tables if not is_search_table(t.name)] if tables is not None else None
        )
        self._clock = clock
        self._sign_key = sign_key
        self.manifest: Manifest | None = None

    def chunks(self) -> Iterator[bytes]:
        """The dump, in pieces of about :data:`CHUNK_BYTES`."""
        buffer = bytearray()
        for piece in self._pieces():
            if len(piece) >= CHUNK_BYTES // 4:
                if buffer:
                    yield bytes(buffer)
                    buffer.clear()
                yield piece
                continue
            buffer += piece
            if len(buffer) >= CHUNK_BYTES:
                yield bytes(buffer)
                buffer.clear()
        if buffer:
            yield bytes(buffer)

    def _pieces(self) -> Iterator[bytes]:
        dump_hash = hashlib.sha256()
        signature = hmac.new(self._sign_key, digestmod="sha256") if self._sign_key else None
        size = 0

        def out(data: bytes) -> bytes:
            nonlocal size
            dump_hash.update(data)
            if signature is not None:
                signature.update(data)
            size += len(data)
            return data

        with Snapshot(self.url) as snapshot:
            tables = self._given_tables or dump_tables()
            revision = self._revision(snapshot, check=self._given_tables is None)
            scope = Scope(public=self.public, agreement_ids=self._agreement_ids(snapshot))
            filters = (
                row_filters(scope, snapshot.run) if (scope.public or scope.agreement_ids) else {}
            )
            manifest = Manifest(
                dialect=self.dialect,
                revision=revision,
                scope=scope.label,
                agreements=self.agreement_slugs,
                created_at=self._clock().astimezone(dt.UTC).isoformat(timespec="seconds"),
                created_by=self.created_by,
                source_engine=snapshot.engine,
            )
            yield out(manifest.header_lines().encode())
            creates, after = schema_sql(tables, self.dialect)
            yield out(self._preamble().encode())
            yield out("".join(f"\n{sql};\n" for sql in creates).encode())
            self.progress.start(len(tables))
            for table in tables:
                spec = TableSpec.of(table)
                # a full dump is a backup: every column (tables of an older schema too)
                shown = public_columns(table) if scope.public else tuple(table.columns.keys())
                masked = frozenset(n for n, _ in spec.columns if n not in shown)
                row_filter = table_filter(table, scope, filters)
                entry = spec.entry()
                manifest.tables[table.name] = entry
                self.progress.table(table.name)
                if row_filter is False:
                    entry.sha256 = hashlib.sha256().hexdigest()
                    continue
                where = _where_sql(snapshot, row_filter)
                for data in self._table_data(snapshot, spec, where, masked, entry):
                    yield out(data)
            yield out(("\n" + "".join(f"{sql};\n" for sql in after)).encode())
            yield out(b"COMMIT;\n")
            self.progress.done()
        yield out(manifest.tables_line().encode())
        manifest.dump_sha256 = dump_hash.hexdigest()
        manifest.dump_bytes = size
        self.manifest = manifest
        last = f"-- dump-sha256 {manifest.dump_sha256} {size}\n".encode()
        yield last
        if signature is not None:
            signature.update(last)
            yield f"-- dump-hmac-sha256 {signature.hexdigest()}\n".encode()

    def _preamble(self) -> str:
        if self.dialect == "sqlite":
            return "PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n"
        return (
            "SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n"
            "SET client_min_messages = warning;\nSET TimeZone = 'UTC';\nBEGIN;\n"
        )

    def _revision(self, snapshot: Snapshot, *, check: bool) -> str:
        rows = snapshot.fetch_all("SELECT version_num FROM alembic_version")
        revision = str(rows[0][0]) if rows else ""
        heads = migrate.head_revisions()
        if check and revision not in heads:
            raise DumpError(
                f"the database is at schema revision {revision or 'none'}, not {heads[0]}: "
                "run `python manage.py db upgrade` before dumping it"
            )
        return revision

    def _agreement_ids(self, snapshot: Snapshot) -> tuple[int, ...]:
        if not self.agreement_slugs:
            return ()
        agreements = Base.metadata.tables["agreements"]
        rows = snapshot.run(
            select(agreements.c.id, agreements.c.slug).where(
                agreements.c.slug.in_(self.agreement_slugs)
            )
        )
        found = {slug: ident for ident, slug in rows}
        missing = [s for s in self.agreement_slugs if s not in found]
        if missing:
            raise DumpError(f"no agreement with the slug {', '.join(missing)}")
        return tuple(sorted(found.values()))

    def _table_data(
        self,
        snapshot: Snapshot,
        spec: TableSpec,
        where: str,
        masked: frozenset[str],
        entry: TableEntry,
    ) -> Iterator[bytes]:
        names = ", ".join(snapshot.quote(n) for n, _ in spec.columns)
        table = snapshot.quote(spec.name)
        if self.dialect == "postgresql":
            yield f"\nCOPY {table} ({names}) FROM stdin;\n".encode()
        if self.dialect == "postgresql" and snapshot.engine == "postgresql":
            columns = [
                f"NULL AS {snapshot.quote(n)}" if n in masked else snapshot.quote(n)
                for n, _ in spec.columns
            ]
            for data in snapshot.copy_out(select_sql(snapshot, spec, columns, where)):
                self.progress.rows(data.count(b"\n"))
                yield data
            digest = table_digest(snapshot, spec, where, masked)
        else:
            digest = TableDigest()
            kinds = [kind for _, kind in spec.columns]
            exprs = [data_expr(snapshot, spec, self.dialect, masked)]
            # a sqlite-dialect row literal is its own canonical text
            literal_is_canonical = self.dialect == "sqlite" and not spec.python_canonical
            if not literal_is_canonical:
                exprs += canonical_exprs(snapshot, spec, masked)
            insert = f"INSERT INTO {table} ({names}) VALUES\n".encode()
            for rows_batch in snapshot.batches(select_sql(snapshot, spec, exprs, where)):
                literals = [row[0] for row in rows_batch]
                self.progress.rows(len(rows_batch))
                if literal_is_canonical:
                    for start in range(0, len(literals), INSERT_ROWS):
                        part = literals[start : start + INSERT_ROWS]
                        body = ROW_END.join(part).encode()
                        digest.add_statement(len(part), body)
                        yield insert + body + b";\n"
                    continue
                if spec.python_canonical:
                    digest.add_text([canonical_row(kinds, row[1:]) for row in rows_batch])
                else:
                    digest.add_text([row[1] for row in rows_batch])
                if self.dialect == "postgresql":
                    yield ("\n".join(literals) + "\n").encode()
                    continue
                for start in range(0, len(literals), INSERT_ROWS):
                    body = ROW_END.join(literals[start : start + INSERT_ROWS]).encode()
                    yield insert + body + b";\n"
        if self.dialect == "postgresql":
            yield b"\\.\n"
        entry.rows = digest.rows
        entry.sha256 = digest.hexdigest()

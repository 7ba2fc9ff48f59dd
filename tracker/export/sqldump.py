"""Plain-SQL dumps that the stock ``sqlite3`` and ``psql`` clients load as they are.

The rows are formatted by the database itself in one SELECT per table, so that each row
reaches Python as one ready string: SQLite's ``quote()`` for the sqlite dialect (multi-row
INSERT statements), and ``COPY`` text lines for the postgresql dialect (read with
``COPY ... TO STDOUT`` from PostgreSQL). The canonical row texts of the checksums come from the
same query (or a second ``COPY`` on PostgreSQL). Memory stays bounded: rows are read in
batches and written as they come.

The schema is the models' (the database must be at the newest migration): for PostgreSQL the
tables are created without their foreign keys, loaded, then the keys, indexes and sequences
follow, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table, select
from sqlalchemy.schema import AddConstraint, CreateIndex, CreateTable

from tracker import migrate
from tracker.export.canonical import (
    PYTHON_KINDS,
    Kind,
    canonical_row,
    copy_escaped,
    kind_of,
)
from tracker.export.manifest import Manifest, TableEntry
from tracker.export.progress import Progress
from tracker.export.scope import RowFilter, Scope, row_filters, table_filter
from tracker.export.snapshot import Snapshot, sql_dialect
from tracker.models import Base
from tracker.models.base import public
from tracker.models.search import is_search_table, search_ddl
from tracker.queries.visibility import public_columns

DIALECTS = ("sqlite", "postgresql")
#: Rows per multi-row INSERT statement in sqlite-dialect dumps.
INSERT_ROWS = 500
#: Bytes gathered before a piece of the dump is handed on.
CHUNK_BYTES = 1 << 18
#: What follows each row literal in a multi-row INSERT, and in a canonical row text.
ROW_END = ",\n"
ROW_END_BYTES = ROW_END.encode()


class DumpError(Exception):
    """The dump cannot be made; the message says why."""


def alembic_version_table() -> Table:
    """The table in which Alembic keeps the schema revision, as Alembic creates it."""
    return Table(
        "alembic_version",
        MetaData(),
        Column("version_num", String(32), nullable=False, info=public()),
        PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
    )


def dump_tables() -> list[Table]:
    """The tables of a dump: Alembic's revision table, then the models' in dependency order."""
    return [alembic_version_table(), *Base.metadata.sorted_tables]


@dataclass(frozen=True)
class TableSpec:
    """What the dump needs of a table: its columns and kinds, the order of its rows."""

    name: str
    columns: tuple[tuple[str, Kind], ...]
    order_by: tuple[tuple[str, Kind], ...]
    not_null: frozenset[str] = frozenset()

    @classmethod
    def of(cls, table: Table) -> TableSpec:
        columns = tuple((c.name, kind_of(c)) for c in table.columns)
        keys = [c.name for c in table.primary_key.columns] or [c.name for c in table.columns]
        kinds = dict(columns)
        not_null = frozenset(c.name for c in table.columns if not c.nullable)
        return cls(table.name, columns, tuple((k, kinds[k]) for k in keys), not_null)

    @classmethod
    def from_entry(cls, name: str, entry: TableEntry) -> TableSpec:
        kinds = {n: Kind(k) for n, k in entry.columns}
        return cls(
            name,
            tuple((n, Kind(k)) for n, k in entry.columns),
            tuple((n, kinds[n]) for n in entry.order_by),
        )

    def entry(self) -> TableEntry:
        return TableEntry(
            columns=[[n, str(k)] for n, k in self.columns], order_by=[n for n, _ in self.order_by]
        )

    @property
    def python_canonical(self) -> bool:
        """Whether some column's canonical text is computed in Python."""
        return any(kind in PYTHON_KINDS for _, kind in self.columns)


def order_clause(snapshot: Snapshot, spec: TableSpec) -> str:
    """ORDER BY the key, strings compared byte by byte on both engines."""
    parts = []
    for name, kind in spec.order_by:
        column = snapshot.quote(name)
        if kind is Kind.TEXT and snapshot.engine == "postgresql":
            column += ' COLLATE "C"'
        parts.append(column)
    return ", ".join(parts)


def _where_sql(snapshot: Snapshot, row_filter: RowFilter) -> str:
    if row_filter is None or row_filter is True:
        return ""
    return " WHERE " + snapshot.compile(row_filter)  # type: ignore[arg-type]


def select_sql(snapshot: Snapshot, spec: TableSpec, exprs: Sequence[str], where: str) -> str:
    """``SELECT exprs FROM table [WHERE ...] ORDER BY key`` as text."""
    return (
        f"SELECT {', '.join(exprs)} FROM {snapshot.quote(spec.name)}{where} "  # noqa: S608
        f"ORDER BY {order_clause(snapshot, spec)}"
    )


def canonical_exprs(snapshot: Snapshot, spec: TableSpec, masked: frozenset[str]) -> list[str]:
    """Columns to select for the checksum: one SQL expression giving the canonical text (the
    sqlite-dialect row literal), or the raw values of every column when Python computes it."""
    if spec.python_canonical:
        return [
            "NULL" if name in masked else _raw_expr(snapshot, name, kind)
            for name, kind in spec.columns
        ]
    return [data_expr(snapshot, spec, "sqlite", masked)]


def _raw_expr(snapshot: Snapshot, name: str, kind: Kind) -> str:
    column = snapshot.quote(name)
    if kind is Kind.JSON and snapshot.engine == "postgresql":
        return f"{column}::text"
    return column


#: The SQL text ``' || char(13) || '``, written as a SQL string literal.
_CR_BREAK = "''' || char(13) || '''"


def _sqlite_literal(snapshot: Snapshot, name: str, kind: Kind) -> str:
    """A SQL expression rendering a column as a SQLite literal."""
    column = snapshot.quote(name)
    # A carriage return inside a literal would be lost by the sqlite3 shell, which drops the
    # CR of every CR LF it reads: it is written as char(13) outside the literal.
    if snapshot.engine == "sqlite":
        if kind is Kind.TEXT:
            return f"replace(quote({column}), char(13), {_CR_BREAK})"
        return f"quote({column})"

    def quoted(text: str) -> str:
        return f"'''' || replace({text}, '''', '''''') || ''''"

    def quoted_text(text: str) -> str:
        return f"'''' || replace(replace({text}, '''', ''''''), chr(13), {_CR_BREAK}) || ''''"

    rendered = {
        Kind.TEXT: quoted_text(f"{column}::text"),
        Kind.JSON: quoted(f"{column}::text"),
        Kind.INTEGER: f"{column}::text",
        Kind.FLOAT: f"{column}::text",
        Kind.BOOLEAN: f"CASE WHEN {column} THEN '1' WHEN NOT {column} THEN '0' END",
        Kind.DATE: quoted(f"to_char({column}, 'YYYY-MM-DD')"),
        Kind.DATETIME: quoted(f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"),
    }[kind]
    return f"coalesce({rendered}, 'NULL')"


def _copy_field(name: str, kind: Kind, snapshot: Snapshot) -> str:
    """A SQLite expression rendering a column as a field of PostgreSQL's COPY text format."""
    column = snapshot.quote(name)
    rendered = {
        Kind.TEXT: copy_escaped("sqlite", f"CAST({column} AS TEXT)"),
        Kind.JSON: copy_escaped("sqlite", f"CAST({column} AS TEXT)"),
        Kind.INTEGER: f"CAST({column} AS TEXT)",
        Kind.FLOAT: f"quote({column})",
        Kind.BOOLEAN: f"CASE WHEN {column} THEN 't' WHEN NOT {column} THEN 'f' END",
        Kind.DATE: f"CAST({column} AS TEXT)",
        Kind.DATETIME: f"{column} || '+00'",
    }[kind]
    return f"coalesce({rendered}, '\\N')"


#: Most arguments SQLite's printf() takes (SQLITE_MAX_FUNCTION_ARG is 127 by default).
PRINTF_ARGS = 120


def _join(snapshot: Snapshot, parts: list[tuple[str, str]], prefix: str, sep: str, end: str) -> str:
    """Concatenate ``(format, expression)`` pieces: through one printf() call on SQLite (one
    allocation per row instead of one per ``||``), through ``||`` elsewhere."""
    if snapshot.engine == "sqlite" and len(parts) <= PRINTF_ARGS:
        fmt = prefix + sep.join(f for f, _ in parts) + end
        return f"printf('{fmt}', " + ", ".join(e for _, e in parts) + ")"
    pieces = [{"%s": e, "%Q": f"quote({e})"}.get(f, f"CAST({e} AS TEXT)") for f, e in parts]
    separator = {"\t": "char(9)", ",": "','"}[sep]
    head = f"'{prefix}' || " if prefix else ""
    tail = f" || '{end}'" if end else ""
    return head + f" || {separator} || ".join(pieces) + tail


def _sqlite_timestamp(column: str) -> str:
    """A stored SQLite timestamp in the tracker's form ``YYYY-MM-DD HH:MM:SS.ffffff`` (rows
    written by other tools may lack the fraction)."""
    return (
        f"CASE WHEN length({column}) = 26 THEN {column} "
        f"ELSE strftime('%Y-%m-%d %H:%M:%S', {column}) || '.' || "
        f"substr(substr({column}, 21) || '000000', 1, 6) END"
    )


def data_expr(snapshot: Snapshot, spec: TableSpec, dialect: str, masked: frozenset[str]) -> str:
    """One SQL expression rendering a whole row for the dump: ``(v1,v2,...)`` for SQLite,
    a COPY line (without its newline) for PostgreSQL."""
    if dialect == "sqlite":
        parts = []
        for name, kind in spec.columns:
            if name in masked:
                parts.append(("%s", "'NULL'"))
            elif (
                snapshot.engine == "sqlite"
                and kind in {Kind.INTEGER, Kind.BOOLEAN}
                and name in spec.not_null
            ):
                parts.append(("%d", snapshot.quote(name)))
            elif snapshot.engine == "sqlite" and kind in {Kind.INTEGER, Kind.BOOLEAN}:
                parts.append(("%s", f"coalesce({snapshot.quote(name)}, 'NULL')"))
            elif snapshot.engine == "sqlite" and kind is Kind.DATETIME:
                parts.append(("%Q", _sqlite_timestamp(snapshot.quote(name))))
            elif snapshot.engine == "sqlite" and kind is Kind.TEXT:
                parts.append(("%s", _sqlite_literal(snapshot, name, kind)))
            elif snapshot.engine == "sqlite" and kind in {Kind.DATE, Kind.JSON}:
                parts.append(("%Q", snapshot.quote(name)))
            else:
                parts.append(("%s", _sqlite_literal(snapshot, name, kind)))
        return _join(snapshot, parts, "(", ",", ")")
    parts = [
        ("%s", "'\\N'" if name in masked else _copy_field(name, kind, snapshot))
        for name, kind in spec.columns
    ]
    return _join(snapshot, parts, "", "\t", "")


class TableDigest:
    """Row count and SHA-256 of a table's canonical rows, fed as they are read."""

    def __init__(self) -> None:
        self.rows = 0
        self._hash = hashlib.sha256()

    def add_text(self, lines: list[str]) -> None:
        """Add canonical row texts (each without its ending)."""
        if lines:
            self.rows += len(lines)
            self._hash.update((ROW_END.join(lines) + ROW_END).encode())

    def add_statement(self, rows: int, body: bytes) -> None:
        """Add the rows of a sqlite-dialect INSERT body (literals joined by :data:`ROW_END`)."""
        self.rows += rows
        self._hash.update(body)
        self._hash.update(ROW_END_BYTES)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def table_digest(
    snapshot: Snapshot, spec: TableSpec, where: str = "", masked: frozenset[str] = frozenset()
) -> TableDigest:
    """Count and checksum the rows of one table (used to verify restores and compare copies)."""
    digest = TableDigest()
    exprs = canonical_exprs(snapshot, spec, masked)
    kinds = [kind for _, kind in spec.columns]
    for rows in snapshot.batches(select_sql(snapshot, spec, exprs, where)):
        if spec.python_canonical:
            digest.add_text([canonical_row(kinds, row) for row in rows])
        else:
            digest.add_text([row[0] for row in rows])
    return digest


def schema_sql(tables: Sequence[Table], dialect: str) -> tuple[list[str], list[str]]:
    """The CREATE TABLE statements, and what follows the data (indexes; for PostgreSQL also the
    foreign keys and the sequences)."""
    compiler = sql_dialect(dialect)
    creates: list[str] = []
    after: list[str] = []
    for table in tables:
        if dialect == "sqlite":
            creates.append(str(CreateTable(table).compile(dialect=compiler)).strip())
        else:
            create = CreateTable(table, include_foreign_key_constraints=[])
            creates.append(str(create.compile(dialect=compiler)).strip())
            for fk in sorted(table.foreign_key_constraints, key=lambda c: str(c.name)):
                after.append(
                    str(
                        AddConstraint(fk, isolate_from_table=False).compile(dialect=compiler)
                    ).strip()
                )
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            after.append(str(CreateIndex(index).compile(dialect=compiler)).strip())
    if dialect == "postgresql":
        sequences = []
        for table in tables:
            keys = list(table.primary_key.columns)
            if len(keys) == 1 and kind_of(keys[0]) is Kind.INTEGER and keys[0].autoincrement:
                name = compiler.identifier_preparer.quote(table.name)
                column = compiler.identifier_preparer.quote(keys[0].name)
                sequences.append(
                    f"PERFORM pg_catalog.setval(pg_get_serial_sequence('{name}', "
                    f"'{keys[0].name}'), COALESCE(MAX({column}), 1), MAX({column}) IS NOT NULL) "
                    f"FROM {name};"
                )
        after.append("DO $$BEGIN " + " ".join(sequences) + " END$$")
    after += search_ddl(dialect)  # empty: `import sql` rebuilds the index after loading
    return creates, after


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
                allowed = frozenset(public_columns(table)) if scope.public else None
                masked = frozenset(
                    n for n, _ in spec.columns if allowed is not None and n not in allowed
                )
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

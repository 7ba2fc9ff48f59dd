"""A dump's rows as SQL renders them: what a table's rows are (:class:`TableSpec`), the
expressions that format a whole row in the database (a multi-row INSERT literal for the sqlite
dialect, a COPY text line for the postgresql one) and the checksums of canonical rows."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Table

from tracker.export.canonical import PYTHON_KINDS, Kind, canonical_row, copy_escaped, kind_of
from tracker.export.manifest import TableEntry
from tracker.export.snapshot import Snapshot

#: What follows each row literal in a multi-row INSERT, and in a canonical row text.
ROW_END = ",\n"
ROW_END_BYTES = ROW_END.encode()


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

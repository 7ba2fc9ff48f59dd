"""The schema of a dump: its tables, and the statements that create them for each dialect."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table
from sqlalchemy.schema import AddConstraint, CreateIndex, CreateTable

from tracker.export.canonical import Kind, kind_of
from tracker.export.snapshot import sql_dialect
from tracker.models import Base
from tracker.models.base import public
from tracker.models.search import search_ddl


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

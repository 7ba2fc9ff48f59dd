"""The search index tables: built by the migrations per engine (FTS5 on SQLite, ``tsvector``
with GIN on PostgreSQL), filled by the application, never mapped by the ORM."""

from __future__ import annotations

#: The index tables, one per searchable record kind (their rows are keyed by the record's id).
INCIDENT_INDEX = "incident_fts"
SOURCE_INDEX = "source_fts"
SEARCH_TABLES = (INCIDENT_INDEX, SOURCE_INDEX)


def is_search_table(name: str | None) -> bool:
    """Whether ``name`` is an index table or one of the tables FTS5 keeps behind it."""
    return bool(name) and any(
        name == table or str(name).startswith(table + "_") for table in SEARCH_TABLES
    )


def search_ddl(dialect: str) -> list[str]:
    """The statements that create the (empty) index tables on ``dialect``: the same as the
    migrations that made them, for SQL dumps, which carry the schema. On PostgreSQL they are
    scanned without parallel workers (ranked search reads a window of 1,000 rows)."""
    if dialect == "postgresql":
        return [
            statement
            for name in SEARCH_TABLES
            for statement in (
                f"CREATE TABLE IF NOT EXISTS {name} "
                "(id integer PRIMARY KEY, terms tsvector NOT NULL) WITH (parallel_workers = 0)",
                f"CREATE INDEX IF NOT EXISTS ix_{name}_terms ON {name} USING gin (terms)",
            )
        ]
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {name} USING fts5(words, variants, "
        "tokenize = 'unicode61 remove_diacritics 0')"
        for name in SEARCH_TABLES
    ]

"""Add full-text search indexes

The terms of incidents and sources, computed by the application: an FTS5 table per record kind
on SQLite, a table of ``tsvector`` with a GIN index on PostgreSQL. Their rows are derived: they
start empty here and are filled by ``manage.py search rebuild`` and by every later write.

Revision ID: c3f1a9d2e7b4
Revises: 6c1d2e9a7b30
Create Date: 2026-11-29 20:15:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c3f1a9d2e7b4"
down_revision: str | None = "6c1d2e9a7b30"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("incident_fts", "source_fts")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in TABLES:
            op.execute(
                f"CREATE TABLE IF NOT EXISTS {name} (id integer PRIMARY KEY, terms tsvector NOT NULL)"
            )
            op.execute(f"CREATE INDEX IF NOT EXISTS ix_{name}_terms ON {name} USING gin (terms)")
        return
    for name in TABLES:
        op.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {name} USING fts5(words, variants, "
            "tokenize = 'unicode61 remove_diacritics 0')"
        )


def downgrade() -> None:
    for name in TABLES:
        op.execute(f"DROP TABLE {name}")

"""Search indexes without parallel workers

On PostgreSQL, ranked search reads the window of the 1,000 newest matches of a query. For so
few rows, starting parallel workers costs more than they save: on a large index the planner
chose them for rare words and names (5 ms instead of 2 at 1,000,000 incidents). The index
tables are read by nothing else, so they are marked to be scanned without them. SQLite has
no such setting.

Revision ID: c5dd01491db3
Revises: 60c8121daefc
Create Date: 2026-11-30 07:40:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c5dd01491db3"
down_revision: str | None = "60c8121daefc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("incident_fts", "source_fts")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in TABLES:
            op.execute(f"ALTER TABLE {name} SET (parallel_workers = 0)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in TABLES:
            op.execute(f"ALTER TABLE {name} RESET (parallel_workers)")

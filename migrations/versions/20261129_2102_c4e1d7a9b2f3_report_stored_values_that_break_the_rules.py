"""Report stored values that break the rules

Rows written before the rules of stored values (no control characters in text, integers
within 32 bits, dates within the configured years, valid GeoJSON shapes) are listed with
their table, column and ids, so that they can be corrected; nothing is changed. ``db check``
fails until they are.

Revision ID: c4e1d7a9b2f3
Revises: 2403a22ed714
Create Date: 2026-11-29 21:00:00.000000+00:00
"""

import sys
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.queries.stored_values import bad_rows

revision: str = "c4e1d7a9b2f3"
down_revision: str | None = "2403a22ed714"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    connection = op.get_bind()
    metadata = sa.MetaData()
    metadata.reflect(bind=connection)
    tables = [t for t in metadata.sorted_tables if t.name != "alembic_version"]
    for bad in bad_rows(connection, tables):
        sys.stderr.write(f"stored value breaks the rules: {bad.describe()}\n")


def downgrade() -> None:
    pass

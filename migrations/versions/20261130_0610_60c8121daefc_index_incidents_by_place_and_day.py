"""Index incidents by place and day, places by coordinates

An incident's page looks for likely duplicates: incidents at its place on its day, and those of
its category at the places near it within a day. ``ix_places_latitude_longitude`` finds the
places inside a box around its place; ``ix_incidents_place_id_occurred_on`` (place, day,
category) seeks each place's days and leaves out the other categories before reading a row. It
replaces ``ix_incidents_place_id``, whose every look-up by place it serves too.

Revision ID: 60c8121daefc
Revises: 5b8e0c71d2a4
Create Date: 2026-11-30 06:10:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "60c8121daefc"
down_revision: str | None = "5b8e0c71d2a4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_incidents_place_id_occurred_on",
        "incidents",
        ["place_id", "occurred_on", "category"],
        unique=False,
    )
    op.drop_index("ix_incidents_place_id", table_name="incidents")
    op.create_index(
        "ix_places_latitude_longitude", "places", ["latitude", "longitude"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_places_latitude_longitude", table_name="places")
    op.create_index("ix_incidents_place_id", "incidents", ["place_id"], unique=False)
    op.drop_index("ix_incidents_place_id_occurred_on", table_name="incidents")

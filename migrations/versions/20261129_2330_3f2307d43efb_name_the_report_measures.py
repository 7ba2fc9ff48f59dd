"""Name the report measures

The measure columns of ``report_cells`` get names (``incidents``, ``violations``,
``civilians_killed_low``, ``citations``...) in place of positions (``n0`` .. ``n23``). The
table is derived data: it is created again empty, and every agreement's store is built again
before its next report (or by ``manage.py db rebuild-reports``).

Revision ID: 3f2307d43efb
Revises: c4e1d7a9b2f3
Create Date: 2026-11-29 23:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3f2307d43efb"
down_revision: str | None = "c4e1d7a9b2f3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = ("civilians_killed", "civilians_injured", "combatants_killed")
MEASURES = (
    "incidents",
    "violations",
    "contested",
    "indeterminate",
    "outside_scope",
    *(f"{group}_{level}" for group in GROUPS for level in ("low", "best", "high")),
    "events_exact",
    "events_about",
    "events_at_least",
    "events_more_than",
    "with_event_count",
    *(f"{group}_{flag}" for flag in ("open_high", "about", "at_most") for group in GROUPS),
    "sources",
    "citations",
    "independent",
    "disputed",
    "blamed_perpetrator",
)


def _report_cells(measures: Sequence[str]) -> None:
    op.execute("DELETE FROM report_states")
    op.drop_table("report_cells")
    op.create_table(
        "report_cells",
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("audience", sa.String(length=8), nullable=False),
        sa.Column("part", sa.String(length=16), nullable=False),
        sa.Column("finding", sa.SmallInteger(), nullable=False),
        sa.Column("k1", sa.String(length=64), nullable=False),
        sa.Column("k2", sa.String(length=64), nullable=False),
        *(sa.Column(name, sa.BigInteger(), nullable=False) for name in measures),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_report_cells_agreement_id_agreements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "agreement_id", "audience", "part", "finding", "k1", "k2", name=op.f("pk_report_cells")
        ),
        info={"derived": True},
    )


def upgrade() -> None:
    _report_cells(MEASURES)


def downgrade() -> None:
    _report_cells([f"n{i}" for i in range(24)])

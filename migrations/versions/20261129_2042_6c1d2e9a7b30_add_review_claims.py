"""Add review claims: which reviewer has taken an incident waiting for review.

Revision ID: 6c1d2e9a7b30
Revises: a3d44d542f8f
Create Date: 2026-11-29 20:40:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6c1d2e9a7b30"
down_revision: str | None = "a3d44d542f8f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_claims",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_review_claims_incident_id_incidents"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_review_claims_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("incident_id", name=op.f("pk_review_claims")),
    )
    with op.batch_alter_table("review_claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_claims_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_claims_user_id"))
    op.drop_table("review_claims")

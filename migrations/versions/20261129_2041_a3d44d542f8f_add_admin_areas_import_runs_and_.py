"""Add admin areas, import runs and external record ids

OCHA admin areas (P-code, names, level, polygon); one row per import of a file (who, when,
its SHA-256, the counts); and the outside id of each imported incident (ACLED event_id_cnty,
GED id) with a digest of the row last imported, so that importing a file again updates
instead of duplicating.

Revision ID: a3d44d542f8f
Revises: b7d41c9e2a10
Create Date: 2026-11-29 20:11:40.987061+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a3d44d542f8f"
down_revision: str | None = "b7d41c9e2a10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "admin_areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pcode", sa.String(length=20), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("name_ar", sa.String(length=300), nullable=True),
        sa.Column("name_ref", sa.String(length=300), nullable=True),
        sa.Column("parent_pcode", sa.String(length=20), nullable=True),
        sa.Column("geometry", sa.JSON(), nullable=True),
        sa.Column("valid_on", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("level BETWEEN 0 AND 4", name=op.f("ck_admin_areas_level_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_areas")),
        sa.UniqueConstraint("pcode", name=op.f("uq_admin_areas_pcode")),
    )
    with op.batch_alter_table("admin_areas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_admin_areas_level"), ["level"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_admin_areas_parent_pcode"), ["parent_pcode"], unique=False
        )

    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("run_by", sa.String(length=200), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "rows_read = imported + updated + unchanged + rejected",
            name=op.f("ck_import_runs_counts_add_up"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_import_runs_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_runs")),
    )
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_runs_file_sha256"), ["file_sha256"], unique=False
        )

    op.create_table(
        "external_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("system", sa.String(length=20), nullable=False),
        sa.Column("external_id", sa.String(length=120), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("row_sha256", sa.String(length=64), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("import_run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_run_id"],
            ["import_runs.id"],
            name=op.f("fk_external_records_import_run_id_import_runs"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_external_records_incident_id_incidents"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_records")),
        sa.UniqueConstraint("incident_id", name=op.f("uq_external_records_incident_id")),
        sa.UniqueConstraint(
            "system", "external_id", name=op.f("uq_external_records_system_external_id")
        ),
    )
    with op.batch_alter_table("external_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_external_records_import_run_id"), ["import_run_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("external_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_external_records_import_run_id"))

    op.drop_table("external_records")
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_runs_file_sha256"))

    op.drop_table("import_runs")
    with op.batch_alter_table("admin_areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_admin_areas_parent_pcode"))
        batch_op.drop_index(batch_op.f("ix_admin_areas_level"))

    op.drop_table("admin_areas")

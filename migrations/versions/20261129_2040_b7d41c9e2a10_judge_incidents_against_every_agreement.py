"""Judge incidents against every agreement

An incident no longer belongs to one agreement: ``incidents.agreement_id`` becomes the
*alleged* agreement (``alleged_agreement_id``, data kept), and the stored verdicts are keyed
by (incident, agreement) for every agreement an incident may fall under. The verdict store is
derived data: it is emptied here and built again before each agreement's next report (or by
``manage.py db rebuild-reports``).

Also: casualty figures keep their qualifier (exact, about, at least, at most), and sources
gain a publisher entity with aliases and the source that carried them, so that independent
sources are counted by origin.

Revision ID: b7d41c9e2a10
Revises: a5ad37426859
Create Date: 2026-11-29 20:40:00+00:00
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7d41c9e2a10"
down_revision: str | None = "a5ad37426859"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = ("civilians_killed", "civilians_injured", "combatants_killed")
QUALIFIERS = "'exact', 'about', 'at_least', 'at_most'"
_PARENTHESIS = re.compile(r"\s*\(([^)]*)\)\s*$")


def _create_verdicts(new: bool) -> None:
    columns = [
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("finding", sa.SmallInteger(), nullable=False),
        sa.Column("scope_finding", sa.SmallInteger(), nullable=False),
    ]
    checks = [
        sa.CheckConstraint(
            "finding BETWEEN 0 AND 3", name=op.f("ck_incident_verdicts_finding_range")
        ),
        sa.CheckConstraint(
            "scope_finding BETWEEN 0 AND 3", name=op.f("ck_incident_verdicts_scope_finding_range")
        ),
    ]
    if new:
        columns += [
            sa.Column("territory_finding", sa.SmallInteger(), nullable=False),
            sa.Column("in_report", sa.Boolean(), nullable=False),
        ]
        checks.append(
            sa.CheckConstraint(
                "territory_finding BETWEEN 0 AND 3",
                name=op.f("ck_incident_verdicts_territory_finding_range"),
            )
        )
    key = ("incident_id", "agreement_id") if new else ("incident_id",)
    op.create_table(
        "incident_verdicts",
        *columns,
        *checks,
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_incident_verdicts_agreement_id_agreements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_verdicts_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(*key, name=op.f("pk_incident_verdicts")),
        info={"derived": True},
    )
    listing = (
        ["agreement_id", "in_report", "finding", "occurred_on", "incident_id"]
        if new
        else ["agreement_id", "finding", "occurred_on", "incident_id"]
    )
    with op.batch_alter_table("incident_verdicts", schema=None) as batch_op:
        batch_op.create_index("ix_incident_verdicts_listing", listing, unique=False)
        if new:
            batch_op.create_index(
                "ix_incident_verdicts_by_day",
                ["agreement_id", "in_report", "occurred_on", "incident_id"],
                unique=False,
            )


def _publisher_name(text: str) -> tuple[str, str | None]:
    """``Sasa Post (ساسة بوست)`` -> (``Sasa Post``, ``ساسة بوست``)."""
    text = " ".join(text.split())
    match = _PARENTHESIS.search(text)
    if match and match.start() > 0:
        return text[: match.start()], match.group(1).strip() or None
    return text, None


def _fill_publishers() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT id, publisher FROM sources WHERE publisher IS NOT NULL ORDER BY id")
    ).all()
    publishers: dict[str, int] = {}
    aliases: dict[int, list[str]] = {}
    table = sa.table(
        "publishers",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("aliases", sa.JSON),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    for source_id, text in rows:
        if not text or not text.strip():
            continue
        name, alias = _publisher_name(text)
        key = name.casefold()
        if key not in publishers:
            conn.execute(table.insert().values(name=name, aliases=[], created_at=sa.func.now()))
            publishers[key] = conn.execute(
                sa.text("SELECT id FROM publishers WHERE name = :name"), {"name": name}
            ).scalar_one()
        publisher_id = publishers[key]
        if alias and alias not in aliases.setdefault(publisher_id, []):
            aliases[publisher_id].append(alias)
        conn.execute(
            sa.text("UPDATE sources SET publisher_id = :p WHERE id = :s"),
            {"p": publisher_id, "s": source_id},
        )
    for publisher_id, names in aliases.items():
        conn.execute(table.update().where(table.c.id == publisher_id).values(aliases=names))


def _report_cells(measures: int) -> None:
    op.create_table(
        "report_cells",
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("audience", sa.String(length=8), nullable=False),
        sa.Column("part", sa.String(length=16), nullable=False),
        sa.Column("finding", sa.SmallInteger(), nullable=False),
        sa.Column("k1", sa.String(length=64), nullable=False),
        sa.Column("k2", sa.String(length=64), nullable=False),
        *(sa.Column(f"n{i}", sa.BigInteger(), nullable=False) for i in range(measures)),
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
    op.execute("DELETE FROM report_states")
    op.drop_table("report_cells")
    _report_cells(24)
    with op.batch_alter_table("incident_verdicts", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_verdicts_listing")
    op.drop_table("incident_verdicts")
    _create_verdicts(new=True)

    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_incidents_agreement_id_occurred_on")
        batch_op.drop_constraint("fk_incidents_agreement_id_agreements", type_="foreignkey")
        batch_op.alter_column("agreement_id", new_column_name="alleged_agreement_id")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_incidents_alleged_agreement_id_agreements"),
            "agreements",
            ["alleged_agreement_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_index(
            "ix_incidents_alleged_agreement_id_occurred_on",
            ["alleged_agreement_id", "occurred_on", "id"],
            unique=False,
        )
        for group in GROUPS:
            batch_op.add_column(
                sa.Column(
                    f"{group}_qualifier",
                    sa.String(length=10),
                    nullable=False,
                    server_default="exact",
                )
            )
            batch_op.create_check_constraint(
                f"{group}_qualifier_allowed", f"{group}_qualifier IN ({QUALIFIERS})"
            )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        for group in GROUPS:
            batch_op.alter_column(f"{group}_qualifier", server_default=None)

    op.create_table(
        "publishers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publishers")),
        sa.UniqueConstraint("name", name=op.f("uq_publishers_name")),
    )
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("publisher_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("carried_by_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_sources_publisher_id"), ["publisher_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_sources_carried_by_id"), ["carried_by_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_sources_publisher_id_publishers"),
            "publishers",
            ["publisher_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_sources_carried_by_id_sources"),
            "sources",
            ["carried_by_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_check_constraint(
            "not_carried_by_self", "carried_by_id IS NULL OR carried_by_id <> id"
        )
    _fill_publishers()


def downgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_constraint("ck_sources_not_carried_by_self", type_="check")
        batch_op.drop_constraint("fk_sources_carried_by_id_sources", type_="foreignkey")
        batch_op.drop_constraint("fk_sources_publisher_id_publishers", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_sources_carried_by_id"))
        batch_op.drop_index(batch_op.f("ix_sources_publisher_id"))
        batch_op.drop_column("carried_by_id")
        batch_op.drop_column("publisher_id")
    op.drop_table("publishers")

    with op.batch_alter_table("incidents", schema=None) as batch_op:
        for group in GROUPS:
            batch_op.drop_constraint(f"ck_incidents_{group}_qualifier_allowed", type_="check")
            batch_op.drop_column(f"{group}_qualifier")
        batch_op.drop_index("ix_incidents_alleged_agreement_id_occurred_on")
        batch_op.drop_constraint("fk_incidents_alleged_agreement_id_agreements", type_="foreignkey")
        batch_op.alter_column("alleged_agreement_id", new_column_name="agreement_id")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_incidents_agreement_id_agreements"),
            "agreements",
            ["agreement_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_index(
            "ix_incidents_agreement_id_occurred_on",
            ["agreement_id", "occurred_on", "id"],
            unique=False,
        )

    op.execute("DELETE FROM report_states")
    op.drop_table("report_cells")
    _report_cells(15)
    with op.batch_alter_table("incident_verdicts", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_verdicts_by_day")
        batch_op.drop_index("ix_incident_verdicts_listing")
    op.drop_table("incident_verdicts")
    _create_verdicts(new=False)

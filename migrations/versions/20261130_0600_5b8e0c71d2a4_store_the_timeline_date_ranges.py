"""Store the timeline's date ranges

The report store keeps a ``date_range`` part in ``report_cells``: the incidents dated to a
week, a month or a year by their date range, which the report's timeline draws. The store is
derived data: every agreement's store is built again before its next report (or by
``manage.py db rebuild-reports``), with the new part.

Revision ID: 5b8e0c71d2a4
Revises: 3f2307d43efb
Create Date: 2026-11-30 06:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5b8e0c71d2a4"
down_revision: str | None = "3f2307d43efb"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DELETE FROM report_states")


def downgrade() -> None:
    op.execute("DELETE FROM report_cells WHERE part = 'date_range'")

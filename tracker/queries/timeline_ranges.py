"""The incidents of a report dated only to a week, a month or a year, by date range: the
timeline draws them over their range instead of on their first day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Agreement, ReportCell
from tracker.queries.report_cells import AUDIENCES, IMPRECISE
from tracker.queries.report_totals import stored_moment


@dataclass(frozen=True)
class DateRange:
    """``count`` incidents known only to lie between local days ``first`` and ``last``."""

    first: dt.date
    last: dt.date
    precision: str
    count: int


def imprecise_ranges(
    session: Session,
    slug: str,
    *,
    public: bool,
    date_from: dt.date | None,
    date_to: dt.date | None,
    tz: ZoneInfo,
) -> list[DateRange]:
    """The date ranges of the incidents of week, month or year precision that the report of
    the agreement ``slug`` counts, with how many share each range, that meet the period from
    ``date_from`` to ``date_to``: the agreement's stored ``date_range`` cells (which must be
    built, see :func:`tracker.services.report_rebuild.ensure_built`).

    :raises sqlalchemy.exc.SQLAlchemyError: when the database cannot be read."""
    rows = session.execute(
        select(ReportCell.finding, ReportCell.k1, ReportCell.k2, ReportCell.incidents)
        .join(Agreement, Agreement.id == ReportCell.agreement_id)
        .where(
            Agreement.slug == slug,
            ReportCell.audience == AUDIENCES[public],
            ReportCell.part == "date_range",
        )
        .order_by(ReportCell.k1, ReportCell.k2, ReportCell.finding)
    ).all()
    ranges = []
    for precision, start, end, count in rows:
        first = stored_moment(start).astimezone(tz).date()
        last = (stored_moment(end) - dt.timedelta(seconds=1)).astimezone(tz).date()
        if (date_from and last < date_from) or (date_to and first > date_to):
            continue
        ranges.append(DateRange(first, last, str(IMPRECISE[precision]), int(count)))
    return sorted(ranges, key=lambda r: (r.first, r.last))

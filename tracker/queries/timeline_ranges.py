"""The incidents of a report dated only to a week, a month or a year, by date range: the
timeline draws them over their range instead of on their first day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.models import Agreement, Incident, IncidentVerdict
from tracker.queries.incidents import COUNTED_STATUSES

IMPRECISE = ("week", "month", "year")


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
    date_from: dt.date | None,
    date_to: dt.date | None,
    tz: ZoneInfo,
) -> list[DateRange]:
    """The date ranges of the agreement's incidents of week, month or year precision that
    its report counts (the stored verdicts say which), with how many share each range.

    :raises sqlalchemy.exc.SQLAlchemyError: when the database cannot be read."""
    statuses = [s.value for s in COUNTED_STATUSES]  # the statuses a report counts, either audience
    conditions = [
        Agreement.slug == slug,
        Incident.date_precision.in_(IMPRECISE),
        Incident.status.in_(statuses),
    ]
    conditions.append(IncidentVerdict.in_report.is_(True))
    rows = session.execute(
        select(
            Incident.occurred_start, Incident.occurred_end, Incident.date_precision, func.count()
        )
        .join(IncidentVerdict, IncidentVerdict.incident_id == Incident.id)
        .join(Agreement, Agreement.id == IncidentVerdict.agreement_id)
        .where(*conditions)
        .group_by(Incident.occurred_start, Incident.occurred_end, Incident.date_precision)
    )
    ranges = []
    for start, end, precision, count in rows:
        first = start.astimezone(tz).date()
        last = (end - dt.timedelta(seconds=1)).astimezone(tz).date()
        if (date_from and last < date_from) or (date_to and first > date_to):
            continue
        ranges.append(DateRange(first, last, str(precision), int(count)))
    return sorted(ranges, key=lambda r: (r.first, r.last))

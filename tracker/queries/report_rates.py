"""The rates of incidents before, during and after an agreement (and the agreements nested
in it), from its stored spans; and the comparison of several agreements' rates."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    case,
    func,
    literal,
    null,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session, selectinload

from tracker.models import Agreement, Incident, IncidentVerdict, ReportCell
from tracker.models.base import UTCDateTime
from tracker.models.report_store import NO_KEY
from tracker.queries.applicability import judged_agreements
from tracker.queries.incidents import COUNTED_STATUSES
from tracker.queries.report_cells import AUDIENCES
from tracker.queries.report_types import RateLine, ReportRequest, Window
from tracker.queries.visibility import incident_rows
from tracker.rules.dates import interval
from tracker.services.errors import NotFoundError

#: Longest window of an open-ended agreement for the before/during rates, in days.
OPEN_ENDED_WINDOW_DAYS = 365


def judged_agreement(session: Session, slug: str) -> Agreement:
    agreement = session.scalars(
        judged_agreements().where(Agreement.slug == slug).options(selectinload(Agreement.parent))
    ).one_or_none()
    if agreement is None:
        raise NotFoundError(f"there is no agreement {slug!r}")
    return agreement


@dataclass(frozen=True)
class WindowSpec:
    """A before/during/after window ``[start, end)`` for the rates."""

    name: str
    start: dt.datetime
    end: dt.datetime


def _windows(agreement: Agreement, now: dt.datetime) -> tuple[dt.timedelta, list[WindowSpec]]:
    start = agreement.effective_from
    if agreement.expires_at is not None:
        length = agreement.expires_at - start
        return length, [
            WindowSpec("before", start - length, start),
            WindowSpec("during", start, agreement.expires_at),
            WindowSpec("after", agreement.expires_at, agreement.expires_at + length),
        ]
    elapsed = max(now - start, dt.timedelta(days=1))
    length = min(elapsed, dt.timedelta(days=OPEN_ENDED_WINDOW_DAYS))
    return length, [
        WindowSpec("before", start - length, start),
        WindowSpec("during", start, start + length),
    ]


def clip_windows(
    windows: list[WindowSpec], period: tuple[dt.date | None, dt.date | None], tz: ZoneInfo
) -> list[WindowSpec]:
    """The windows cut to the local days of ``period`` (either end open); windows left
    empty are dropped."""
    low = interval(period[0], "day", tz).start if period[0] else None
    high = interval(period[1], "day", tz).end if period[1] else None
    clipped = [
        WindowSpec(
            w.name,
            max(w.start, low) if low else w.start,
            min(w.end, high) if high else w.end,
        )
        for w in windows
    ]
    return [w for w in clipped if w.start < w.end]


def _window_of(start: dt.datetime, end: dt.datetime, windows: list[WindowSpec]) -> str | None:
    """The window that ``[start, end]`` lies wholly in; ``imprecise`` when it overlaps the
    windows without fitting one; None when it is outside them all."""
    for w in windows:
        if w.start <= start < w.end and end <= w.end:
            return w.name
    if end > windows[0].start and start < windows[-1].end:
        return "imprecise"
    return None


def window_column(windows: list[WindowSpec]) -> ColumnElement[str]:
    """:func:`_window_of` in SQL, over the incidents' date ranges."""
    start, end = Incident.occurred_start, Incident.occurred_end
    first, last = windows[0].start, windows[-1].end
    return case(
        *((and_(start >= w.start, start < w.end, end <= w.end), literal(w.name)) for w in windows),
        (and_(end > first, start < last), literal("imprecise")),
        else_=null(),
    )


def _split_days(windows: list[WindowSpec], tz: ZoneInfo) -> set[dt.date]:
    """The local days that a window starts or ends within (not at their midnight)."""
    split = set()
    for bound in {w.start for w in windows} | {w.end for w in windows}:
        local = bound.astimezone(tz).date()
        for day in (local - dt.timedelta(days=1), local, local + dt.timedelta(days=1)):
            whole = interval(day, "day", tz)
            if whole.start < bound < whole.end:
                split.add(day)
    return split


def _whole_days(windows: list[WindowSpec], tz: ZoneInfo) -> list[tuple[str, dt.date, dt.date]]:
    """Each window's name with the first and last local days that lie wholly inside it (the
    days' midnights grow with the days, so those days are the ones between)."""
    one = dt.timedelta(days=1)
    found = []
    for w in windows:
        first = w.start.astimezone(tz).date() - one
        while interval(first, "day", tz).start < w.start:
            first += one
        last = w.end.astimezone(tz).date() + one
        while interval(last, "day", tz).end > w.end:
            last -= one
        found.append((w.name, first, last))
    return found


def _stored_moment(column: ColumnElement[str], dialect: str) -> ColumnElement[Any]:
    """A moment stored as a cell's key (the text of a date and time column, or
    :data:`NO_KEY`), compared in SQL as text, byte by byte, with bounds written in the same
    form (:func:`_moment_bound`): its text orders as the moments do. On SQLite that is the
    column's own stored text; on PostgreSQL the text of a ``timestamptz`` in a session in UTC
    and the ISO style (:data:`tracker.db.SESSION_OPTIONS`), read without a cast per row."""
    text = func.nullif(column, NO_KEY)
    if dialect == "sqlite":
        return type_coerce(text, UTCDateTime())
    return text.collate("C")


def _moment_bound(moment: dt.datetime, dialect: str) -> ColumnElement[Any]:
    """``moment`` as :func:`_stored_moment` compares it."""
    if dialect == "sqlite":
        return literal(moment, UTCDateTime())
    return literal(postgres_moment_text(moment), String)


def postgres_moment_text(moment: dt.datetime) -> str:
    """How PostgreSQL writes ``moment`` as text in UTC and the ISO style
    (``2019-05-22 10:00:00+00``, a fraction of a second without its trailing zeros)."""
    utc = moment.astimezone(dt.UTC)
    text = utc.strftime("%Y-%m-%d %H:%M:%S")
    if utc.microsecond:
        text += "." + f"{utc.microsecond:06d}".rstrip("0")
    return f"{text}+00"


#: The prefix of the group of a day that a window starts or ends within.
_SPLIT = "#"


def window_counts(
    session: Session,
    agreement_id: int,
    windows: list[WindowSpec],
    *,
    public: bool,
    tz: ZoneInfo,
) -> dict[str, tuple[int, int, int]]:
    """Per window: incidents in the territory, those by bound parties (scope finding 0) and
    violations (finding 0), added up in SQL from the agreement's stored ``span`` cells.

    An exactly timed incident is stored by its local day; a day that a window starts or ends
    within (not at its midnight) has its incidents read one by one."""
    if not windows:
        return {}
    split_days = _split_days(windows, tz)
    whole_days = _whole_days(windows, tz)
    dialect = session.get_bind().dialect.name
    cells = ReportCell.__table__
    k1, k2 = cells.c.k1, cells.c.k2
    day = k2 == NO_KEY
    start, end = _stored_moment(k1, dialect), _stored_moment(k2, dialect)

    def bound(moment: dt.datetime) -> ColumnElement[Any]:
        return _moment_bound(moment, dialect)

    days = [*split_days, *(d for _w, first, last in whole_days for d in (first, last))]

    name = case(
        (
            and_(day, k1.in_(sorted(d.isoformat() for d in split_days))),
            literal(_SPLIT, String) + k1,
        ),
        *(
            (and_(day, k1 >= first.isoformat(), k1 <= last.isoformat()), literal(w))
            for w, first, last in whole_days
        ),
        *(
            (
                and_(~day, start >= bound(w.start), start < bound(w.end), end <= bound(w.end)),
                literal(w.name),
            )
            for w in windows
        ),
        (
            and_(~day, end > bound(windows[0].start), start < bound(windows[-1].end)),
            literal("imprecise"),
        ),
        else_=null(),
    ).label("window")
    stored = session.execute(
        select(
            name,
            func.sum(cells.c.incidents),
            func.sum(case((cells.c.finding == 0, cells.c.incidents), else_=0)),
            func.sum(cells.c.violations),
        )
        .where(
            cells.c.agreement_id == agreement_id,
            cells.c.audience == AUDIENCES[public],
            cells.c.part == "span",
            # only cells that some window may take (the others would be grouped under none),
            # told from the cells' keys alone
            or_(
                and_(day, k1 >= min(days).isoformat(), k1 <= max(days).isoformat()),
                and_(~day, start < bound(windows[-1].end)),
            ),
        )
        .group_by(name)
    ).all()
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    found_split: list[dt.date] = []
    for window, incidents, bound_ones, violations in stored:
        if window is None:
            continue
        if str(window).startswith(_SPLIT):
            found_split.append(dt.date.fromisoformat(str(window)[len(_SPLIT) :]))
            continue
        tally[str(window)][0] += int(incidents or 0)
        tally[str(window)][1] += int(bound_ones or 0)
        tally[str(window)][2] += int(violations or 0)
    if found_split:
        which = window_column(windows)
        rows = session.execute(
            select(which, IncidentVerdict.scope_finding, IncidentVerdict.finding, func.count())
            .join(IncidentVerdict, IncidentVerdict.incident_id == Incident.id)
            .where(
                IncidentVerdict.agreement_id == agreement_id,
                # in the report or not: both named, so that the index by day (agreement, in
                # report, day) reads the split days alone rather than every verdict
                IncidentVerdict.in_report.in_([True, False]),
                IncidentVerdict.territory_finding == 0,
                IncidentVerdict.occurred_on.in_(sorted(found_split)),
                Incident.date_precision == "time",
                Incident.status.in_([str(x) for x in COUNTED_STATUSES]),
                incident_rows(public=public),
                which.is_not(None),
            )
            .group_by(which, IncidentVerdict.scope_finding, IncidentVerdict.finding)
        )
        for window, scope, finding, count in rows:
            tally[str(window)][0] += count
            tally[str(window)][1] += count if scope == 0 else 0
            tally[str(window)][2] += count if finding == 0 else 0
    return {name: (n, bound, breaches) for name, (n, bound, breaches) in tally.items()}


def rate_line(
    session: Session,
    agreement: Agreement,
    *,
    public: bool,
    now: dt.datetime,
    tz: ZoneInfo,
    depth: int = 0,
    period: tuple[dt.date | None, dt.date | None] = (None, None),
) -> RateLine:
    """Incidents in the agreement's territory and violations (by the parties it binds, not
    contested) per day before, during and after ``agreement``, within ``period`` (local
    days), from its stored spans."""
    length, windows = _windows(agreement, now)
    windows = clip_windows(windows, period, tz)
    counts = window_counts(session, agreement.id, windows, public=public, tz=tz)
    return RateLine(
        slug=agreement.slug,
        name=agreement.name_en,
        depth=depth,
        window_days=length.total_seconds() / 86400,
        open_ended=agreement.expires_at is None,
        windows=[Window(w.name, w.start, w.end, *counts.get(w.name, (0, 0, 0))) for w in windows],
        imprecise=counts.get("imprecise", (0, 0, 0))[0],
    )


def rate_lines(
    session: Session,
    agreement: Agreement,
    request: ReportRequest,
    now: dt.datetime,
    tz: ZoneInfo,
) -> list[RateLine]:
    """The agreement's line and those of the agreements nested in it, depth first."""
    # every nested agreement at once, each parent's in the order they are drawn
    nested: dict[int, list[Agreement]] = defaultdict(list)
    for child in session.scalars(
        select(Agreement)
        .where(Agreement.parent_id.is_not(None))
        .order_by(Agreement.parent_id, Agreement.effective_from.desc(), Agreement.slug.desc())
    ):
        if child.parent_id is not None:
            nested[child.parent_id].append(child)
    lines = []
    queue: list[tuple[Agreement, int]] = [(agreement, 0)]
    seen: set[int] = set()
    while queue:
        current, depth = queue.pop(0)
        if current.id in seen:
            continue
        seen.add(current.id)
        lines.append(
            rate_line(
                session,
                current,
                public=request.public,
                now=now,
                tz=tz,
                depth=depth,
                period=(request.date_from, request.date_to),
            )
        )
        children = nested.get(current.id, [])
        queue[:0] = [(child, depth + 1) for child in reversed(children)]
    return lines


def compare(
    session: Session, slugs: list[str], *, public: bool, now: dt.datetime, tz: ZoneInfo
) -> list[RateLine]:
    """The before/during/after rates of each agreement in ``slugs``, in that order.

    :raises NotFoundError: when a slug names no agreement."""
    return [
        rate_line(session, judged_agreement(session, slug), public=public, now=now, tz=tz)
        for slug in slugs
    ]

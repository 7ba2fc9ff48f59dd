"""Dates with a precision: the interval an imprecise date stands for; parsing analysts' input."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from tracker.rules.date_words import rewrite
from tracker.rules.values import date_bounds, date_problem

PRECISIONS = ("time", "day", "week", "month", "year")


class DateInputError(ValueError):
    """The text is not a date this module understands; ``kind`` says why: ``unreadable``
    (no known form), ``impossible`` (a known form naming no real day) or ``reversed`` (a range
    that ends before it starts)."""

    def __init__(self, message: str, kind: str = "unreadable", text: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.text = text


@dataclass(frozen=True)
class When:
    """When something happened: somewhere in ``[start, end)``, or at ``start`` when they are
    equal (precision ``time``). Both are time-zone-aware."""

    start: dt.datetime
    end: dt.datetime
    precision: str

    @property
    def is_instant(self) -> bool:
        return self.start == self.end


def _local_midnight(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz)


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


@functools.lru_cache(maxsize=4096)  # imports read the same few days again and again
def span(first: dt.date, last: dt.date, precision: str, tz: ZoneInfo) -> When:
    """The interval from the start of local day ``first`` to the end of local day ``last``."""
    if last < first:
        raise DateInputError(f"the end {last} is before the start {first}", "reversed")
    start = _local_midnight(first, tz)
    end = _local_midnight(last + dt.timedelta(days=1), tz)
    return When(start.astimezone(dt.UTC), end.astimezone(dt.UTC), precision)


@functools.lru_cache(maxsize=4096)
def interval(day: dt.date, precision: str, tz: ZoneInfo) -> When:
    """The interval that a date known to ``precision`` (day, week, month, year) stands for;
    a week is the ISO week (Monday to Sunday) that holds ``day``."""
    if precision == "day":
        return span(day, day, precision, tz)
    if precision == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return span(monday, monday + dt.timedelta(days=6), precision, tz)
    if precision == "month":
        first = day.replace(day=1)
        return span(first, _add_months(first, 1) - dt.timedelta(days=1), precision, tz)
    if precision == "year":
        return span(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), precision, tz)
    raise DateInputError(f"unknown precision {precision!r}")


def instant(moment: dt.datetime, tz: ZoneInfo) -> When:
    """An exactly timed moment; a naive ``moment`` is local time in ``tz``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    moment = moment.astimezone(dt.UTC)
    return When(moment, moment, "time")


_PART_OF_YEAR = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$"), "time"),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "day"),
    (re.compile(r"^(\d{4})-W(\d{2})$"), "week"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(early|mid|late)\s+(\d{4})$", re.IGNORECASE), "part"),
]


_YEAR = re.compile(r"\d{4}")


def parse_when(text: str, tz: ZoneInfo) -> When:
    """Parse an analyst's date: ``2019-05-22 14:30`` (time), ``2019-05-22`` (day), ``2019-W21``
    (week), ``2019-05`` (month), ``2019`` (year), ``early 2018`` (January to April, month
    precision), or a range ``A/B`` of two days (day precision) or two months (month precision);
    also the ways people write dates that :func:`tracker.rules.date_words.rewrite` reads
    (``17 May 2019``, ``17/05/2019``, ``17 أيار 2019``, ``17–19 May 2019``, ``صباح 17 أيار 2019``).

    :raises DateInputError: when the text is none of these or names an impossible date.
    """
    text = text.strip()
    written = rewrite(text)
    if written is not None and written != text:
        try:
            return parse_when(written, tz)
        except DateInputError as exc:
            raise DateInputError(str(exc), exc.kind, text) from exc
    if "/" in text:
        left, right = (parse_when(part, tz) for part in text.split("/", 1))
        if right.end < left.start or (right.end == left.start and not right.is_instant):
            raise DateInputError("the end of the range is before its start", "reversed")
        precision = max(left.precision, right.precision, key=PRECISIONS.index)
        return When(left.start, max(left.end, right.end), precision)
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        low, high = date_bounds()
        years = [int(y) for y in _YEAR.findall(text)]
        if any(not low.year <= year <= high.year for year in years):
            raise DateInputError(f"{text!r} lies outside {low.year}..{high.year}", "range", text)
        try:
            when = _from_match(kind, match, tz)
        except (ValueError, OverflowError) as exc:
            raise DateInputError(f"{text!r} is not a real date: {exc}", "impossible", text) from exc
        last = when.end if when.is_instant else when.end - dt.timedelta(microseconds=1)
        if date_problem(when.start.astimezone(tz)) or date_problem(last.astimezone(tz)):
            raise DateInputError(f"{text!r} lies outside {low.year}..{high.year}", "range", text)
        return when
    raise DateInputError(
        f"{text!r} is not a date: write 2019-05-22, 2019-05-22 14:30, 2019-W21, 2019-05, 2019, "
        "early 2018, or a range such as 2019-05-18/2019-05-20",
        "unreadable",
        text,
    )


def _from_match(kind: str, match: re.Match[str], tz: ZoneInfo) -> When:
    groups = match.groups()
    if kind == "time":
        y, mo, d, h, mi = (int(g) for g in groups)
        return instant(dt.datetime(y, mo, d, h, mi), tz)  # noqa: DTZ001
    if kind == "day":
        return interval(dt.date(*(int(g) for g in groups)), "day", tz)
    if kind == "week":
        return interval(dt.date.fromisocalendar(int(groups[0]), int(groups[1]), 1), "week", tz)
    if kind == "month":
        return interval(dt.date(int(groups[0]), int(groups[1]), 1), "month", tz)
    if kind == "year":
        return interval(dt.date(int(groups[0]), 1, 1), "year", tz)
    first_month, last_month = _PART_OF_YEAR[groups[0].lower()]
    year = int(groups[1])
    last = _add_months(dt.date(year, last_month, 1), 1) - dt.timedelta(days=1)
    return span(dt.date(year, first_month, 1), last, "month", tz)


def local_date(moment: dt.datetime, tz: ZoneInfo) -> dt.date:
    """The local calendar day of ``moment`` in ``tz``."""
    return moment.astimezone(tz).date()

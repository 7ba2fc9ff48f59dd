"""Dates and times as a reader sees them: in the configured local zone, named, in words."""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from dataclasses import dataclass
from zoneinfo import ZoneInfo

#: The zone the tracker shows times in when nothing else was configured (see tracker.config).
DEFAULT_ZONE = "Asia/Damascus"

_display_zone: ContextVar[ZoneInfo | None] = ContextVar("display_zone", default=None)

#: Month names by number, in English and in Arabic as written in the Levant (Syria, Lebanon).
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS_AR = (
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
)
#: Arabic names of the zones' cities a reader may meet; others show their English name.
CITY_NAMES_AR = {
    "Damascus": "دمشق",
    "Beirut": "بيروت",
    "Amman": "عمّان",
    "Istanbul": "إسطنبول",
    "Baghdad": "بغداد",
    "Cairo": "القاهرة",
    "Moscow": "موسكو",
    "UTC": "UTC",
}


def set_display_zone(zone: ZoneInfo | str | None) -> None:
    """Make ``zone`` the zone that dates are shown in, for the current request or command."""
    _display_zone.set(ZoneInfo(zone) if isinstance(zone, str) else zone)


def display_zone() -> ZoneInfo:
    """The zone dates are shown in: the one set for this request or command, else the default."""
    return _display_zone.get() or ZoneInfo(DEFAULT_ZONE)


def zone_label(zone: ZoneInfo, language: str = "en") -> str:
    """The zone's short name for a reader: its city ("Damascus"), in ``language`` when known."""
    key = str(zone.key) if zone.key else "UTC"
    city = key.rsplit("/", 1)[-1].replace("_", " ")
    return CITY_NAMES_AR.get(city, city) if language == "ar" else city


def month_name(month: int, language: str = "en") -> str:
    """The name of month ``month`` (1 to 12) in ``language``."""
    return (MONTHS_AR if language == "ar" else MONTHS_EN)[month - 1]


def day_text(day: dt.date, language: str = "en") -> str:
    """A day in words: ``17 May 2019`` (``17 أيار 2019`` in Arabic)."""
    return f"{day.day} {month_name(day.month, language)} {day.year}"


def month_text(day: dt.date, language: str = "en") -> str:
    """The month holding ``day`` in words: ``May 2019``."""
    return f"{month_name(day.month, language)} {day.year}"


@dataclass(frozen=True)
class Shown:
    """A moment as a page shows it: the words, the machine value and the UTC hint."""

    text: str
    machine: str
    utc: str


def utc_text(moment: dt.datetime) -> str:
    """``2019-05-17 21:00 UTC``: the hint shown on hover and used in machine formats."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def show_moment(
    moment: dt.datetime,
    language: str = "en",
    *,
    zone: ZoneInfo | None = None,
    date_only: bool = False,
    midnight_as_date: bool = False,
) -> Shown:
    """``moment`` in the local zone with the zone's name: ``18 May 2019 00:00 Damascus``;
    only the local day with ``date_only`` (or at local midnight with ``midnight_as_date``,
    for values typed as a date). A naive ``moment`` is taken as UTC (as stored)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    zone = zone or display_zone()
    local = moment.astimezone(zone)
    machine = moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if date_only or (midnight_as_date and local.time() == dt.time(0)):
        return Shown(day_text(local.date(), language), machine, utc_text(moment))
    text = f"{day_text(local.date(), language)} {local:%H:%M} {zone_label(zone, language)}"
    return Shown(text, machine, utc_text(moment))


def show_day(day: dt.date, language: str = "en") -> Shown:
    """A date without a time, as typed: ``17 May 2019``; no zone applies."""
    return Shown(day_text(day, language), day.isoformat(), day.isoformat())


def span_text(
    start: dt.datetime,
    end: dt.datetime,
    precision: str,
    language: str = "en",
    *,
    zone: ZoneInfo | None = None,
) -> str:
    """When an incident happened, in words and local time: ``17 May 2019``, ``May 2019``,
    ``2019``, ``17–19 May 2019``, ``17 May 2019 06:00 Damascus`` or a range of times.
    ``end`` is exclusive except for an instant (``start == end``)."""
    zone = zone or display_zone()
    first = start.astimezone(zone)
    if precision == "time":
        if start == end:
            return show_moment(start, language, zone=zone).text
        last_moment = end.astimezone(zone)
        if last_moment.date() == first.date():
            return (
                f"{day_text(first.date(), language)} {first:%H:%M}–{last_moment:%H:%M} "
                f"{zone_label(zone, language)}"
            )
        return (
            f"{show_moment(start, language, zone=zone).text} – "
            f"{show_moment(end, language, zone=zone).text}"
        )
    last = (end.astimezone(zone) - dt.timedelta(seconds=1)).date()
    return days_text(first.date(), last, precision, language)


def days_text(first: dt.date, last: dt.date, precision: str = "day", language: str = "en") -> str:
    """The days ``first`` to ``last`` (inclusive) in words, as short as they read unambiguously:
    a whole month as ``May 2019``, a whole year as ``2019``, else ``17–19 May 2019``."""
    whole_months = first.day == 1 and (last + dt.timedelta(days=1)).day == 1
    if precision in {"month", "year"} and whole_months:
        if first.month == 1 and last.month == 12 and first.year == last.year:
            return str(first.year)
        if (first.year, first.month) == (last.year, last.month):
            return month_text(first, language)
        if first.year == last.year:
            return f"{month_name(first.month, language)}–{month_text(last, language)}"
        return f"{month_text(first, language)} – {month_text(last, language)}"
    if first == last:
        return day_text(first, language)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {month_text(first, language)}"
    if first.year == last.year:
        return f"{first.day} {month_name(first.month, language)} – {day_text(last, language)}"
    return f"{day_text(first, language)} – {day_text(last, language)}"

"""Dates as analysts type them: day first, month names in English and Arabic, Arabic-Indic
digits, parts of the day and ranges; refusals that say what works."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from tracker.rules.dates import DateInputError, When, parse_when

TZ = ZoneInfo("Asia/Damascus")


def local(when: When) -> tuple[str, str, str]:
    return (
        when.start.astimezone(TZ).strftime("%Y-%m-%d %H:%M"),
        when.end.astimezone(TZ).strftime("%Y-%m-%d %H:%M"),
        when.precision,
    )


DAY_17 = ("2019-05-17 00:00", "2019-05-18 00:00", "day")


@pytest.mark.parametrize(
    "text",
    [
        "17 May 2019",
        "17 may 2019",
        "May 17, 2019",
        "17th May 2019",
        "17/05/2019",
        "17.5.2019",
        "17 أيار 2019",
        "17 ايار 2019",
        "١٧ أيار ٢٠١٩",
        "١٧/٥/٢٠١٩",
        "17 مايو 2019",
        "يوم 17 أيار عام 2019",
    ],
)
def test_a_day_written_as_people_write_it_is_that_local_day(text: str) -> None:
    assert local(parse_when(text, TZ)) == DAY_17


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("17 كانون الثاني 2019", 1),
        ("17 يناير 2019", 1),
        ("17 شباط 2019", 2),
        ("17 آذار 2019", 3),
        ("17 نيسان 2019", 4),
        ("17 حزيران 2019", 6),
        ("17 يونيو 2019", 6),
        ("17 تموز 2019", 7),
        ("17 آب 2019", 8),
        ("17 أغسطس 2019", 8),
        ("17 أيلول 2019", 9),
        ("17 تشرين الأول 2019", 10),
        ("17 أكتوبر 2019", 10),
        ("17 تشرين الثاني 2019", 11),
        ("17 كانون الأول 2019", 12),
        ("17 ديسمبر 2019", 12),
    ],
)
def test_levantine_and_egyptian_month_names(text: str, month: int) -> None:
    start = parse_when(text, TZ).start.astimezone(TZ)
    assert (start.year, start.month, start.day) == (2019, month, 17)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-05-17 morning", ("2019-05-17 05:00", "2019-05-17 12:00", "time")),
        ("morning of 17 May 2019", ("2019-05-17 05:00", "2019-05-17 12:00", "time")),
        ("صباح 17 أيار 2019", ("2019-05-17 05:00", "2019-05-17 12:00", "time")),
        ("مساء 17 أيار 2019", ("2019-05-17 17:00", "2019-05-17 22:00", "time")),
        ("ليلة 17 أيار 2019", ("2019-05-17 20:00", "2019-05-18 06:00", "time")),
        ("17–19 May 2019", ("2019-05-17 00:00", "2019-05-20 00:00", "day")),
        ("17-19 May 2019", ("2019-05-17 00:00", "2019-05-20 00:00", "day")),
        ("من 17 إلى 19 أيار 2019", ("2019-05-17 00:00", "2019-05-20 00:00", "day")),
        ("30 May – 2 June 2019", ("2019-05-30 00:00", "2019-06-03 00:00", "day")),
        ("May 2019", ("2019-05-01 00:00", "2019-06-01 00:00", "month")),
        ("أيار 2019", ("2019-05-01 00:00", "2019-06-01 00:00", "month")),
        ("17 May 2019 14:30", ("2019-05-17 14:30", "2019-05-17 14:30", "time")),
        ("أوائل 2018", ("2018-01-01 00:00", "2018-05-01 00:00", "month")),
    ],
)
def test_parts_of_the_day_ranges_and_months(text: str, expected: tuple[str, str, str]) -> None:
    assert local(parse_when(text, TZ)) == expected


def test_the_canonical_forms_still_read_as_before() -> None:
    assert local(parse_when("2019-05-17", TZ)) == DAY_17
    assert parse_when("2019-05-18/2019-05-20", TZ).precision == "day"
    assert parse_when("2019-W21", TZ).precision == "week"


def test_an_impossible_day_first_date_is_refused_with_the_text_typed() -> None:
    with pytest.raises(DateInputError) as caught:
        parse_when("31/02/2019", TZ)
    assert caught.value.kind == "impossible"
    assert caught.value.text == "31/02/2019"


def test_nonsense_is_refused() -> None:
    with pytest.raises(DateInputError):
        parse_when("the day the truce broke", TZ)

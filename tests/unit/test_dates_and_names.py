"""Dates with a precision and the folding of Arabic and Latin names."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tracker.rules.dates import DateInputError, parse_when
from tracker.rules.names import fold, query_keys, search_key

TZ = ZoneInfo("Asia/Damascus")
UTC = dt.UTC


def test_a_day_covers_local_midnight_to_midnight_in_utc() -> None:
    when = parse_when("2019-05-22", TZ)
    assert when.precision == "day"
    assert when.start == dt.datetime(2019, 5, 21, 21, tzinfo=UTC)
    assert when.end == dt.datetime(2019, 5, 22, 21, tzinfo=UTC)


def test_an_exact_time_is_an_instant() -> None:
    when = parse_when("2019-06-12 00:00", TZ)
    assert when.is_instant
    assert when.start == dt.datetime(2019, 6, 11, 21, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "precision", "first", "last"),
    [
        ("2019-05", "month", dt.date(2019, 5, 1), dt.date(2019, 5, 31)),
        ("2019-W21", "week", dt.date(2019, 5, 20), dt.date(2019, 5, 26)),
        ("2018", "year", dt.date(2018, 1, 1), dt.date(2018, 12, 31)),
        ("early 2018", "month", dt.date(2018, 1, 1), dt.date(2018, 4, 30)),
        ("2019-07-10/2019-07-11", "day", dt.date(2019, 7, 10), dt.date(2019, 7, 11)),
    ],
)
def test_imprecise_dates_cover_their_whole_period(
    text: str, precision: str, first: dt.date, last: dt.date
) -> None:
    when = parse_when(text, TZ)
    assert when.precision == precision
    assert when.start.astimezone(TZ).date() == first
    assert (when.end - dt.timedelta(seconds=1)).astimezone(TZ).date() == last


@pytest.mark.parametrize("text", ["22 May", "2019-02-30", "2019-13", "2019-05-20/2019-05-18", ""])
def test_unreadable_dates_are_refused_with_a_message(text: str) -> None:
    with pytest.raises(DateInputError):
        parse_when(text, TZ)


def test_arabic_folding_ignores_diacritics_tatweel_and_letter_variants() -> None:
    assert fold("كَفْرنَبُّودَة") == fold("كفرنبوده")
    assert fold("إدلـــب") == fold("ادلب")
    assert fold("مصطفى") == fold("مصطفي")


def test_transliterations_of_kafr_nabudah_meet_in_one_key() -> None:
    key = search_key(["Kafr Nabudah", "كفرنبودة"])
    for query in ("Kafranbouda", "kafr nabudah", "كفرنبوده", "KAFR-NABUDAH"):
        assert any(k in key for k in query_keys(query)), query


def test_different_places_do_not_meet() -> None:
    key = search_key(["Kafr Nabudah", "كفرنبودة"])
    assert not any(k in key for k in query_keys("Khan Shaykhun"))

"""Dates as people type them (day first, month names in English and Arabic, Arabic-Indic digits,
"morning of", ranges), rewritten into the tracker's own forms (``2019-05-17``, ``A/B``)."""

from __future__ import annotations

import datetime as dt
import re

from tracker.rules.names import fold

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

#: Month names and abbreviations by month number: English, Levantine Arabic (Syria, Lebanon,
#: Iraq, Jordan) and Egyptian Arabic (the Gulf and North Africa), with common spellings.
_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "كانون الثاني", "كانون ثاني", "يناير"),
    2: ("february", "feb", "شباط", "فبراير"),
    3: ("march", "mar", "آذار", "اذار", "مارس"),
    4: ("april", "apr", "نيسان", "أبريل", "ابريل", "إبريل"),
    5: ("may", "أيار", "ايار", "مايو", "ماي"),
    6: ("june", "jun", "حزيران", "يونيو", "يونيه"),
    7: ("july", "jul", "تموز", "يوليو", "يوليه"),
    8: ("august", "aug", "آب", "اب", "أغسطس", "اغسطس"),
    9: ("september", "sept", "sep", "أيلول", "ايلول", "سبتمبر"),
    10: ("october", "oct", "تشرين الأول", "تشرين اول", "أكتوبر", "اكتوبر"),
    11: ("november", "nov", "تشرين الثاني", "تشرين ثاني", "نوفمبر"),
    12: ("december", "dec", "كانون الأول", "كانون اول", "ديسمبر"),
}
#: The hours a part of the day stands for (the night runs into the next morning).
PARTS_OF_DAY: dict[str, tuple[str, str, int]] = {
    "morning": ("05:00", "12:00", 0),
    "afternoon": ("12:00", "17:00", 0),
    "evening": ("17:00", "22:00", 0),
    "night": ("20:00", "06:00", 1),
}
_PART_WORDS = {
    "morning": "morning",
    "afternoon": "afternoon",
    "evening": "evening",
    "night": "night",
    fold("صباح"): "morning",
    fold("صباحا"): "morning",
    fold("فجر"): "morning",
    fold("ظهر"): "afternoon",
    fold("بعد الظهر"): "afternoon",
    fold("عصر"): "afternoon",
    fold("مساء"): "evening",
    fold("ليلة"): "night",
    fold("ليل"): "night",
    fold("ليلا"): "night",
}
#: Words that carry no date: "of", "on", "the", "in", Arabic "في", "يوم", "عام", "سنة", "من".
_FILLER = {fold(w) for w in ("of", "on", "the", "in", "في", "يوم", "عام", "سنة", "من", "بتاريخ")}
#: Arabic words for the parts of a year that the canonical parser reads in English.
_PART_OF_YEAR = {
    **{fold(w): "early" for w in ("أوائل", "مطلع", "بداية", "أول")},
    **{fold(w): "mid" for w in ("منتصف", "أواسط")},
    **{fold(w): "late" for w in ("أواخر", "نهاية", "آخر")},
}
_RANGE_WORDS = {fold(w) for w in ("to", "until", "till", "and", "إلى", "الى", "حتى", "و")}


def _month_tokens() -> list[tuple[re.Pattern[str], str]]:
    pairs = [(fold(name), number) for number, names in _MONTH_NAMES.items() for name in names]
    pairs.sort(key=lambda pair: -len(pair[0]))  # "كانون الثاني" before "كانون"
    return [(re.compile(rf"(?<!\w){re.escape(name)}(?!\w)"), f"m{n}") for name, n in pairs]


_MONTHS = _month_tokens()
_DAY_DASH = re.compile(r"(?<![\d-])(\d{1,2})\s*-\s*(\d{1,2})(?![\d:/.-])")
_LETTERS = re.compile(r"[^\W\d_]+(?:[ \u0640][^\W\d_]+)*")
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_TIME = r"(?: (\d{1,2}):(\d{2}))?"
_NUMERIC = re.compile(rf"^(\d{{1,2}})[./-](\d{{1,2}})[./-](\d{{4}}){_TIME}$")
_FORMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^{_DAY} m(\d+),? (\d{{4}}){_TIME}$"), "day"),
    (re.compile(rf"^m(\d+) {_DAY},? (\d{{4}}){_TIME}$"), "month_day"),
    (re.compile(r"^m(\d+),? (\d{4})$"), "month"),
    (re.compile(rf"^{_DAY} ?- ?{_DAY} m(\d+),? (\d{{4}})$"), "days"),
    (re.compile(rf"^{_DAY} m(\d+) ?- ?{_DAY} m(\d+),? (\d{{4}})$"), "days_months"),
    (re.compile(rf"^m(\d+) {_DAY} ?- ?{_DAY},? (\d{{4}})$"), "month_days"),
]


def _canonical_words(text: str) -> str:
    """Folded text with digits in ASCII, month names as ``m5``, dashes and range words as
    ``-``, and filler words dropped."""
    text = text.translate(_DIGITS).replace("–", " - ").replace("—", " - ").replace(",", " ")
    text = _LETTERS.sub(lambda m: fold(m.group(0)), text.replace("،", " ")).casefold()
    text = _DAY_DASH.sub(r"\1 - \2", text)
    for pattern, token in _MONTHS:
        text = pattern.sub(token, text)
    words = []
    for word in text.split():
        if word in _FILLER:
            continue
        words.append("-" if word in _RANGE_WORDS else _PART_OF_YEAR.get(word, word))
    return " ".join(words)


def _day(year: str, month: str, day: str) -> str:
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def _with_time(day: str, hour: str | None, minute: str | None) -> str:
    return f"{day} {int(hour):02d}:{minute}" if hour is not None and minute else day


def _take_part_of_day(text: str) -> tuple[str, str | None]:
    """``text`` without its part-of-day word ("morning of", "صباح"), and that part."""
    for word, part in sorted(_PART_WORDS.items(), key=lambda pair: -len(pair[0])):
        pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
        if pattern.search(text):
            return " ".join(pattern.sub(" ", text).split()), part
    return text, None


def _read_forms(text: str) -> str | None:
    match = _NUMERIC.match(text)
    if match:
        day, month, year, hour, minute = match.groups()
        return _with_time(_day(year, month, day), hour, minute)
    for pattern, kind in _FORMS:
        match = pattern.match(text)
        if match is None:
            continue
        g = match.groups()
        if kind == "day":
            return _with_time(_day(g[2], g[1], g[0]), g[3], g[4])
        if kind == "month_day":
            return _with_time(_day(g[2], g[0], g[1]), g[3], g[4])
        if kind == "month":
            return f"{int(g[1]):04d}-{int(g[0]):02d}"
        if kind == "days":
            return f"{_day(g[3], g[2], g[0])}/{_day(g[3], g[2], g[1])}"
        if kind == "days_months":
            return f"{_day(g[4], g[1], g[0])}/{_day(g[4], g[3], g[2])}"
        return f"{_day(g[3], g[0], g[1])}/{_day(g[3], g[0], g[2])}"
    return None


def rewrite(text: str) -> str | None:
    """``text`` in the tracker's own date forms when it is a date written another way:
    ``17 May 2019``, ``17/05/2019`` (day first), ``May 17, 2019``, ``May 2019``, ``17 أيار 2019``,
    ``١٧/٥/٢٠١٩``, ``17–19 May 2019``, ``2019-05-17 morning``, ``صباح 17 أيار 2019``; a part of
    the day becomes a range of times. None when it is none of these (or already canonical)."""
    words, part = _take_part_of_day(_canonical_words(text))
    canonical = _read_forms(words)
    if canonical is None and re.fullmatch(r"\d{4}-\d{2}-\d{2}|(?:early|mid|late) \d{4}", words):
        canonical = words
    if canonical is None:
        return None
    if part is None:
        return canonical
    if "/" in canonical or " " in canonical or len(canonical) != 10:
        return None  # a part of the day belongs to one day
    first, last, next_day = PARTS_OF_DAY[part]
    end_day = canonical
    if next_day:
        end_day = (dt.date.fromisoformat(canonical) + dt.timedelta(days=1)).isoformat()
    return f"{canonical} {first}/{end_day} {last}"

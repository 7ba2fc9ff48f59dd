"""What a stored value may be, on both engines: text, integers, dates and GeoJSON shapes.

One set of rules for the forms, the services, the query strings, the SQL-dump import and the
check of stored rows (``db check``). Each ``*_problem`` function returns None for a valid value
and otherwise the key of a message in :data:`MESSAGES` (English; the callers translate it).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from collections.abc import Iterator
from typing import Any

#: INTEGER columns hold 32-bit signed values on PostgreSQL; SQLite would take 64 bits and
#: write dumps that PostgreSQL refuses.
INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1
#: BIGINT, for the few 64-bit columns.
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
#: A number typed into a form or a query string with more digits than this is refused before
#: Python converts it (a 400-digit integer is no count of anything).
MAX_DIGITS = 19

DEFAULT_MIN_YEAR = 1900
DEFAULT_MAX_YEAR = 2100

#: The largest shape: positions over all rings, nesting depth and characters of GeoJSON text.
MAX_POSITIONS = 100_000
MAX_GEOMETRY_DEPTH = 6
MAX_GEOMETRY_CHARS = 1_000_000

#: Control characters other than tab, line feed and carriage return (C0, DEL, C1), and the
#: non-characters and lone surrogates that neither engine stores as they are.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def N_(text: str) -> str:  # noqa: N802 (the name gettext's extractor knows)
    """Mark ``text`` for translation without translating it here."""
    return text


MESSAGES = {
    "nul": N_("This text holds a NUL character, which cannot be stored: remove it."),
    "control": N_(
        "This text holds an invisible control character: only line breaks and tabs are kept."
    ),
    "integer": N_("Enter a whole number between %(low)s and %(high)s."),
    "date": N_("Dates must lie between %(low)s and %(high)s."),
    "geometry": N_("The shape must be a GeoJSON Polygon or MultiPolygon."),
    "geometry_size": N_("The shape is too large: at most %(positions)s positions."),
    "geometry_position": N_(
        "Every position of the shape must be two finite numbers, longitude between -180 and "
        "180, latitude between -90 and 90."
    ),
    "geometry_ring": N_("The shape's rings need at least four [longitude, latitude] positions."),
}


class ValueProblemError(ValueError):
    """A value breaks one of the rules; ``key`` names its message in :data:`MESSAGES` and
    ``params`` fills it."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(MESSAGES[key] % params if params else MESSAGES[key])
        self.key = key
        self.params = params


# -- text ---------------------------------------------------------------------------------


def text_problem(value: str) -> str | None:
    """``"nul"`` or ``"control"`` when ``value`` holds a character that is not stored as it is
    on both engines (tab, line feed and carriage return are fine)."""
    if "\x00" in value:
        return "nul"
    if _CONTROL.search(value):
        return "control"
    return None


def check_text(value: str | None) -> str | None:
    """``value`` unchanged when it is valid text (or None).

    :raises ValueProblemError: for a NUL or another control character."""
    if value is None:
        return None
    key = text_problem(value)
    if key:
        raise ValueProblemError(key)
    return value


# -- integers -------------------------------------------------------------------------------


def integer_problem(value: int, low: int = INT32_MIN, high: int = INT32_MAX) -> str | None:
    """``"integer"`` when ``value`` lies outside ``low..high`` (a 32-bit column by default);
    booleans are not integers here."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return "integer"
    return None


def parse_id(text: object) -> int | None:
    """``text`` as a record id (ASCII digits only, 1..2,147,483,647), else None: ``²`` and
    other Unicode digits, signs, spaces inside and 40-digit numbers are not ids."""
    raw = str(text if text is not None else "").strip()
    if not raw or len(raw) > 10 or not (raw.isascii() and raw.isdigit()):
        return None
    number = int(raw)
    return number if 0 < number <= INT32_MAX else None


def parse_integer(text: str, low: int = INT32_MIN, high: int = INT32_MAX) -> int:
    """``text`` as an integer in ``low..high`` (ASCII digits with an optional sign).

    :raises ValueProblemError: otherwise."""
    raw = text.strip()
    digits = raw[1:] if raw[:1] in {"-", "+"} else raw
    if not digits or len(digits) > MAX_DIGITS or not (digits.isascii() and digits.isdigit()):
        raise ValueProblemError("integer", low=low, high=high)
    number = int(raw)
    if integer_problem(number, low, high):
        raise ValueProblemError("integer", low=low, high=high)
    return number


# -- dates ----------------------------------------------------------------------------------


def _year(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= 9998:
        return int(raw)
    return default


def date_bounds() -> tuple[dt.date, dt.date]:
    """The first and last day a stored date may hold: 1 January 1900 to 31 December 2100,
    unless ``TRACKER_DATE_MIN_YEAR`` / ``TRACKER_DATE_MAX_YEAR`` say otherwise."""
    low = _year("TRACKER_DATE_MIN_YEAR", DEFAULT_MIN_YEAR)
    high = max(low, _year("TRACKER_DATE_MAX_YEAR", DEFAULT_MAX_YEAR))
    return dt.date(low, 1, 1), dt.date(high, 12, 31)


def date_problem(value: dt.date | dt.datetime) -> str | None:
    """``"date"`` when ``value`` (a date, or a datetime taken at its own day) lies outside
    :func:`date_bounds`."""
    day = value.date() if isinstance(value, dt.datetime) else value
    low, high = date_bounds()
    return None if low <= day <= high else "date"


def check_date(value: Any) -> Any:
    """``value`` unchanged when it is None or a date within :func:`date_bounds`.

    :raises ValueProblemError: otherwise."""
    if isinstance(value, dt.date) and date_problem(value):
        low, high = date_bounds()
        raise ValueProblemError("date", low=low.isoformat(), high=high.isoformat())
    return value


def parse_day(text: str | None) -> dt.date | None:
    """``text`` as a YYYY-MM-DD day within :func:`date_bounds`, else None."""
    raw = (text or "").strip()
    if len(raw) != 10 or not raw.isascii():
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return None
    return None if date_problem(day) else day


# -- shapes ---------------------------------------------------------------------------------


def _finite_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _polygons(geometry: dict[str, Any]) -> Iterator[Any]:
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        raise ValueProblemError("geometry")
    if geometry["type"] == "Polygon":
        yield coordinates
    else:
        yield from coordinates


def geometry_problem(geometry: Any) -> str | None:
    """The key of the first problem of a stored or typed GeoJSON shape: a Polygon or
    MultiPolygon whose positions are two (or three) finite numbers in range, with at least
    four positions per ring and at most :data:`MAX_POSITIONS` in all."""
    try:
        check_geometry(geometry)
    except ValueProblemError as problem:
        return problem.key
    return None


def check_geometry(geometry: Any) -> dict[str, Any]:
    """``geometry`` reduced to its ``type`` and ``coordinates`` when it is a valid shape.

    :raises ValueProblemError: otherwise."""
    if not isinstance(geometry, dict) or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        raise ValueProblemError("geometry")
    count = 0
    for polygon in _polygons(geometry):
        if not isinstance(polygon, list) or not polygon:
            raise ValueProblemError("geometry")
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                raise ValueProblemError("geometry_ring")
            count += len(ring)
            if count > MAX_POSITIONS:
                raise ValueProblemError("geometry_size", positions=f"{MAX_POSITIONS:,}")
            for position in ring:
                if not (
                    isinstance(position, list)
                    and len(position) in {2, 3}
                    and all(_finite_number(n) for n in position)
                    and -180 <= position[0] <= 180
                    and -90 <= position[1] <= 90
                ):
                    raise ValueProblemError("geometry_position")
    return {"type": geometry["type"], "coordinates": geometry["coordinates"]}


def _depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def parse_geometry_text(raw: str) -> dict[str, Any]:
    """The shape in GeoJSON text ``raw``, checked by :func:`check_geometry`.

    :raises ValueProblemError: for text that is too long, nested too deep, not JSON or not a
        valid shape."""
    if len(raw) > MAX_GEOMETRY_CHARS:
        raise ValueProblemError("geometry_size", positions=f"{MAX_POSITIONS:,}")
    if _depth(raw) > MAX_GEOMETRY_DEPTH:
        raise ValueProblemError("geometry")
    try:
        geometry = json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise ValueProblemError("geometry") from exc
    return check_geometry(geometry)


def _refuse_constant(_name: str) -> Any:
    raise ValueError("NaN and Infinity are not JSON numbers")


# -- stored rows ----------------------------------------------------------------------------


def value_problem(value: Any, *, kind: str) -> str | None:
    """The problem of a stored value of a column of ``kind`` (``text``, ``integer``,
    ``bigint``, ``date``, ``geometry``), None when it is valid or NULL."""
    if value is None:
        return None
    if kind == "text" and isinstance(value, str):
        return text_problem(value)
    if kind == "integer" and isinstance(value, int):
        return integer_problem(value)
    if kind == "bigint" and isinstance(value, int):
        return integer_problem(value, INT64_MIN, INT64_MAX)
    if kind == "date" and isinstance(value, str):  # SQLite's text, read without the ORM
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return "date"
    if kind == "date" and isinstance(value, dt.date):
        return date_problem(value)
    if kind == "geometry":
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return "geometry"
            if value is None:  # JSON null: no shape
                return None
        return geometry_problem(value)
    return None


def ascii_digits(text: str) -> bool:
    """Whether ``text`` is a run of the digits 0 to 9 (``str.isdigit`` also admits "²" and
    Arabic-Indic digits, which ``int()`` refuses or reads as another number)."""
    return text.isascii() and text.isdigit()

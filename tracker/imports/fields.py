"""Checks of single cells shared by the readers: numbers, dates, text lengths, coordinates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import TypeVar

from tracker.imports.table import Rejection

T = TypeVar("T")
_INTEGER = re.compile(r"^[+-]?\d+(?:\.0+)?$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T][0-9:.]+)?$")


class CellError(ValueError):
    """A cell that cannot be read; it becomes a :class:`Rejection`."""

    def __init__(self, column: str, value: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.value = value
        self.reason = reason

    def rejection(self, row: int) -> Rejection:
        return Rejection(row, self.column, self.value, self.reason)


def text(cells: dict[str, str], column: str, longest: int, *, required: bool = False) -> str:
    """The cell's text, stripped; refused when longer than ``longest`` or missing."""
    value = (cells.get(column) or "").strip()
    if required and not value:
        raise CellError(column, value, "a value is required")
    if len(value) > longest:
        raise CellError(column, value, f"longer than {longest:,} characters ({len(value):,})")
    return value


def integer(
    cells: dict[str, str], column: str, *, low: int = 0, high: int = 10_000_000
) -> int | None:
    """The cell as a whole number between ``low`` and ``high``, or None when empty."""
    value = (cells.get(column) or "").strip()
    if not value or value.upper() in {"NA", "NULL"}:
        return None
    if not _INTEGER.match(value):
        raise CellError(column, value, "not a whole number")
    number = int(float(value)) if "." in value else int(value)
    if not low <= number <= high:
        raise CellError(column, value, f"out of range ({low} to {high:,})")
    return number


def code(cells: dict[str, str], column: str, allowed: Mapping[int, str], scheme: str) -> str:
    """The meaning of the cell's number in ``allowed``, a code table of ``scheme`` (ACLED's,
    GED's)."""
    number = integer(cells, column, low=0, high=99)
    if number is None or number not in allowed:
        listed = ", ".join(map(str, sorted(allowed)))
        raise CellError(column, cells.get(column, ""), f"not a {scheme} code ({listed})")
    return allowed[number]


def day(cells: dict[str, str], column: str, *, required: bool = True) -> dt.date | None:
    """The cell as a calendar day (YYYY-MM-DD, a time after it is ignored; ACLED's
    ``13 January 2022`` is read too)."""
    value = (cells.get(column) or "").strip()
    if not value:
        if required:
            raise CellError(column, value, "a date is required")
        return None
    match = _DAY.match(value)
    try:
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        return dt.datetime.strptime(value, "%d %B %Y").date()  # noqa: DTZ007 (a day)
    except ValueError:
        raise CellError(column, value, "not a real calendar day") from None


def coordinate(cells: dict[str, str], column: str, limit: float) -> float | None:
    """The cell as a latitude or longitude within +-``limit``, or None when empty."""
    value = (cells.get(column) or "").strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise CellError(column, value, "not a number") from None
    if not -limit <= number <= limit or number != number:
        raise CellError(column, value, f"out of range (-{limit:g} to {limit:g})")
    return number


def split_names(value: str, separator: str = ";") -> list[str]:
    """The distinct non-empty names of a separated list, in order."""
    names = [part.strip() for part in value.split(separator)]
    return list(dict.fromkeys(n for n in names if n))


class Collector:
    """Reads cells of one row, keeping every :class:`CellError` as a rejection."""

    def __init__(self, row: int) -> None:
        self.row = row
        self.problems: list[Rejection] = []

    def __call__(self, read: Callable[[], T]) -> T | None:
        try:
            return read()
        except CellError as exc:
            self.problems.append(exc.rejection(self.row))
            return None

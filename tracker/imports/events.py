"""One event from an outside data set (ACLED, UCDP GED), read and checked, before matching."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any


def _fields(record: object | None) -> list[Any] | None:
    """The field values of a small dataclass, without :func:`dataclasses.astuple`'s deep copy."""
    if record is None:
        return None
    return list(vars(record).values())  # the fields, in their order


@dataclass(frozen=True)
class ActorName:
    """An actor as the data set names it, with the kind its codes imply."""

    name: str
    kind: str


@dataclass(frozen=True)
class PlaceName:
    """Where the data set says an event happened."""

    name: str
    admin1: str
    admin2: str
    admin3: str
    latitude: float | None
    longitude: float | None
    country: str


@dataclass
class Event:
    """An event ready to be matched and written as an incident."""

    system: str  # "acled" or "ged"
    external_id: str
    row: int
    country: str
    start: dt.datetime
    end: dt.datetime
    occurred_on: dt.date
    date_precision: str
    category: str
    location_precision: str
    place: PlaceName | None
    perpetrator: ActorName | None
    target: ActorName | None
    description_en: str | None
    casualties: dict[str, int | str | None]
    sources: list[str]
    source_excerpt: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def digest(self, options: dict[str, Any]) -> str:
        """A SHA-256 of everything this event would write (an unchanged row has the same)."""
        body = [
            self.external_id, self.country, self.start, self.end, self.occurred_on,
            self.date_precision, self.category, self.location_precision,
            _fields(self.place), _fields(self.perpetrator), _fields(self.target),
            self.description_en, self.casualties, self.sources, self.source_excerpt, self.extra,
        ]  # fmt: skip
        text = repr([body, sorted(options.items())])
        return hashlib.sha256(text.encode()).hexdigest()

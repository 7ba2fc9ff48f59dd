"""ACLED's CSV exports and API downloads (31 columns): one row to one :class:`Event`.

Precision codes are read as the inverse of :mod:`tracker.export.acled`: time precision 1 is the
day, 2 the ISO week holding ``event_date``, 3 its month; geo precision 1 is the place itself, 2
near it, 3 its district. ``fatalities`` are ACLED's conservative estimate, stored as the low
and best figure of civilians killed when civilians were targeted (``civilian_targeting``, the
event type Violence against civilians, or a civilian actor 2), else of combatants killed.
``inter1``/``inter2`` may be ACLED's numbers or its text labels.
"""

from __future__ import annotations

from functools import partial
from zoneinfo import ZoneInfo

from tracker.imports import fields
from tracker.imports.events import ActorName, Event, PlaceName
from tracker.imports.fields import CellError
from tracker.imports.table import RawRow, Rejection
from tracker.rules.dates import interval, local_date
from tracker.rules.values import ascii_digits

SYSTEM = "acled"
REQUIRED = (
    "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
    "country", "location", "latitude", "longitude", "geo_precision", "fatalities",
)  # fmt: skip
TIME_PRECISION = {1: "day", 2: "week", 3: "month"}
GEO_PRECISION = {1: "exact", 2: "near", 3: "admin2"}
SUB_EVENT_CATEGORY = {
    "air/drone strike": "air_strike",
    "shelling/artillery/missile attack": "shelling",
    "armed clash": "ground_assault",
    "government regains territory": "ground_assault",
    "non-state actor overtakes territory": "ground_assault",
}
#: ACLED's actor type codes, by number and by the labels of API downloads.
INTER_KIND = {
    1: "state_force",
    2: "armed_group",
    3: "militia",
    4: "militia",
    5: "other",
    6: "other",
    7: "civilians",
    8: "other",
}
INTER_LABELS = {
    "state forces": 1,
    "rebel groups": 2,
    "political militias": 3,
    "identity militias": 4,
    "rioters": 5,
    "protesters": 6,
    "civilians": 7,
    "external/other forces": 8,
}
_EXTRA = (
    "assoc_actor_1", "assoc_actor_2", "disorder_type", "event_type", "sub_event_type",
    "inter1", "inter2", "interaction", "civilian_targeting", "source_scale", "tags",
    "timestamp", "iso", "region",
)  # fmt: skip


def _inter(cells: dict[str, str], column: str) -> int:
    value = (cells.get(column) or "").strip()
    if not value:
        return 0
    if ascii_digits(value) and int(value) in INTER_KIND | {0: ""}:
        return int(value)
    code = INTER_LABELS.get(value.casefold())
    if code is None:
        raise CellError(column, value, "not an ACLED actor type (a number 0-8 or its label)")
    return code


def _actor(cells: dict[str, str], column: str, inter: int) -> ActorName | None:
    name = fields.text(cells, column, 300)
    if not name:
        return None
    kind = INTER_KIND.get(inter, "other")
    if inter == 8 and name.startswith("Military Forces of"):
        kind = "foreign_state_force"
    return ActorName(name, kind)


def _category(event_type: str, sub_event_type: str) -> str:
    category = SUB_EVENT_CATEGORY.get(sub_event_type.casefold())
    if category is not None:
        return category
    return "ground_assault" if event_type.casefold() == "battles" else "other"


def read_row(raw: RawRow, tz: ZoneInfo) -> Event | list[Rejection]:
    """The row as an event, or every reason it cannot be one."""
    if raw.problems:
        return raw.problems
    cells = raw.cells
    attempt = fields.Collector(raw.number)
    problems = attempt.problems

    external_id = attempt(lambda: fields.text(cells, "event_id_cnty", 120, required=True))
    day = attempt(lambda: fields.day(cells, "event_date"))
    precision = attempt(lambda: fields.code(cells, "time_precision", TIME_PRECISION, "ACLED"))
    location_precision = attempt(
        lambda: fields.code(cells, "geo_precision", GEO_PRECISION, "ACLED")
    )
    inter1 = attempt(lambda: _inter(cells, "inter1")) or 0
    inter2 = attempt(lambda: _inter(cells, "inter2")) or 0
    perpetrator = attempt(lambda: _actor(cells, "actor1", inter1))
    target = attempt(lambda: _actor(cells, "actor2", inter2))
    country = attempt(lambda: fields.text(cells, "country", 120, required=True))
    latitude = attempt(lambda: fields.coordinate(cells, "latitude", 90))
    longitude = attempt(lambda: fields.coordinate(cells, "longitude", 180))
    location = attempt(lambda: fields.text(cells, "location", 300))
    admins = [attempt(partial(fields.text, cells, c, 120)) or "" for c in _ADMINS]
    notes = attempt(lambda: fields.text(cells, "notes", 100_000))
    fatalities = attempt(lambda: fields.integer(cells, "fatalities", high=1_000_000))
    sources = attempt(lambda: fields.text(cells, "source", 10_000))
    event_type = (cells.get("event_type") or "").strip()
    sub_event_type = (cells.get("sub_event_type") or "").strip()
    if not problems and (latitude is None) != (longitude is None):
        problems.append(
            Rejection(raw.number, "longitude", cells.get("longitude", ""), "give both or neither")
        )
    if problems:
        return problems
    if not (day is not None and precision is not None and location_precision is not None):
        return [Rejection(raw.number, "", "", "the row cannot be read")]
    if not (external_id and country is not None):
        return [Rejection(raw.number, "", "", "the row cannot be read")]
    when = interval(day, precision, tz)
    civilian = (
        (cells.get("civilian_targeting") or "").strip() != ""
        or event_type.casefold() == "violence against civilians"
        or inter2 == 7
    )
    group = "civilians_killed" if civilian else "combatants_killed"
    # ACLED counts conservatively: its figure is a minimum
    casualties: dict[str, int | str | None] = {
        f"{group}_low": fatalities,
        f"{group}_best": fatalities,
        f"{group}_qualifier": "at_least",
    }
    place = None
    if location or latitude is not None:
        place = PlaceName(
            location or "", admins[0], admins[1], admins[2], latitude, longitude, country
        )
    return Event(
        system=SYSTEM,
        external_id=external_id,
        row=raw.number,
        country=country,
        start=when.start,
        end=when.end,
        occurred_on=local_date(when.start, tz),
        date_precision=when.precision,
        category=_category(event_type, sub_event_type),
        location_precision=location_precision,
        place=place,
        perpetrator=perpetrator,
        target=target,
        description_en=notes or None,
        casualties=casualties,
        sources=fields.split_names(sources or ""),
        extra={k: cells[k] for k in _EXTRA if cells.get(k)},
    )


_ADMINS = ("admin1", "admin2", "admin3")


def country_of(raw: RawRow) -> str:
    """The row's country as written (for ``--country``)."""
    return (raw.cells.get("country") or "").strip()

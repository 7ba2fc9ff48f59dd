"""UCDP Georeferenced Event Dataset (GED) CSV rows: one row to one :class:`Event`.

Columns and codes as the GED codebook defines them: ``date_prec`` 1 (exact day) to 5 (within
a year) with ``date_start`` and ``date_end``; ``where_prec`` 1 (exact place), 2 (within 25 km),
3 (second-order admin area), 4 (first-order), 5 (a linear feature), 6 (the country), 7 (waters
or airspace); deaths of side A and B (combatants), civilians and unknown, with the event's
low, best and high totals. ``source_office`` names the publishers (``;``-separated); the
headline, article and date go with each link. GED has no event type: the category is other.
"""

from __future__ import annotations

from functools import partial
from zoneinfo import ZoneInfo

from tracker.imports import fields
from tracker.imports.events import ActorName, Event, PlaceName
from tracker.imports.table import RawRow, Rejection
from tracker.rules.dates import span

SYSTEM = "ged"
REQUIRED = (
    "id", "date_prec", "date_start", "date_end", "where_prec", "side_a", "side_b", "country",
    "latitude", "longitude", "best", "deaths_a", "deaths_b", "deaths_civilians",
)  # fmt: skip
DATE_PRECISION = {1: "day", 2: "week", 3: "week", 4: "month", 5: "year"}
WHERE_PRECISION = {
    1: "exact",
    2: "near",
    3: "admin2",
    4: "admin1",
    5: "near",
    6: "admin1",
    7: "admin1",
}
_SUFFIXES = (" governorate", " province", " district", " town", " village", " city")
_EXTRA = (
    "relid", "year", "type_of_violence", "conflict_name", "dyad_name", "event_clarity",
    "deaths_unknown", "low", "best", "high", "where_description", "source_article",
    "source_date", "source_headline", "number_of_sources", "code_status", "region",
)  # fmt: skip


def _plain(name: str) -> str:
    lowered = name.casefold()
    for suffix in _SUFFIXES:
        if lowered.endswith(suffix):
            return name[: -len(suffix)].strip()
    return name


def _side(cells: dict[str, str], column: str, violence: int | None) -> ActorName | None:
    name = fields.text(cells, column, 300)
    if not name:
        return None
    if name.casefold() == "civilians" or (column == "side_b" and violence == 3):
        return ActorName(name, "civilians")
    kind = "state_force" if name.startswith("Government of") else "armed_group"
    return ActorName(name, kind)


def read_row(raw: RawRow, tz: ZoneInfo) -> Event | list[Rejection]:
    """The row as an event, or every reason it cannot be one."""
    if raw.problems:
        return raw.problems
    cells = raw.cells
    attempt = fields.Collector(raw.number)
    external_id = attempt(lambda: fields.text(cells, "id", 120, required=True))
    precision = attempt(lambda: fields.code(cells, "date_prec", DATE_PRECISION, "GED"))
    first = attempt(lambda: fields.day(cells, "date_start"))
    last = attempt(lambda: fields.day(cells, "date_end"))
    location_precision = attempt(lambda: fields.code(cells, "where_prec", WHERE_PRECISION, "GED"))
    violence = attempt(lambda: fields.integer(cells, "type_of_violence", low=1, high=3))
    perpetrator = attempt(lambda: _side(cells, "side_a", violence))
    target = attempt(lambda: _side(cells, "side_b", violence))
    country = attempt(lambda: fields.text(cells, "country", 120, required=True))
    latitude = attempt(lambda: fields.coordinate(cells, "latitude", 90))
    longitude = attempt(lambda: fields.coordinate(cells, "longitude", 180))
    where = attempt(lambda: fields.text(cells, "where_coordinates", 300)) or ""
    adm1 = attempt(lambda: fields.text(cells, "adm_1", 120)) or ""
    adm2 = attempt(lambda: fields.text(cells, "adm_2", 120)) or ""
    deaths = {
        c: attempt(partial(fields.integer, cells, c, high=1_000_000))
        for c in ("deaths_a", "deaths_b", "deaths_civilians", "low", "best", "high")
    }
    offices = attempt(lambda: fields.text(cells, "source_office", 10_000)) or ""
    headline = attempt(lambda: fields.text(cells, "source_headline", 10_000)) or ""
    description = " - ".join(
        v
        for v in (cells.get("dyad_name", "").strip(), cells.get("where_description", "").strip())
        if v
    )
    problems = attempt.problems
    if first is not None and last is not None and last < first:
        problems.append(Rejection(raw.number, "date_end", str(last), "before date_start"))
    if problems:
        return problems
    if not (external_id and country is not None and precision and location_precision):
        return [Rejection(raw.number, "", "", "the row cannot be read")]
    if not (first is not None and last is not None):
        return [Rejection(raw.number, "", "", "the row cannot be read")]
    when = span(first, last, precision, tz)
    combatants = None
    if deaths["deaths_a"] is not None or deaths["deaths_b"] is not None:
        combatants = (deaths["deaths_a"] or 0) + (deaths["deaths_b"] or 0)
    place = PlaceName(_plain(where), _plain(adm1), _plain(adm2), "", latitude, longitude, country)
    return Event(
        system=SYSTEM,
        external_id=external_id,
        row=raw.number,
        country=country,
        start=when.start,
        end=when.end,
        occurred_on=first,
        date_precision=when.precision,
        category="other",
        location_precision=location_precision,
        place=place if (where or latitude is not None) else None,
        perpetrator=perpetrator,
        target=target,
        description_en=description or None,
        casualties={
            "civilians_killed_best": deaths["deaths_civilians"],
            "combatants_killed_best": combatants,
            # GED's figures by side are its best estimates
            "civilians_killed_qualifier": "about",
            "combatants_killed_qualifier": "about",
        },
        sources=fields.split_names(offices),
        source_excerpt=headline or None,
        extra={k: cells[k] for k in _EXTRA if cells.get(k)},
    )


def country_of(raw: RawRow) -> str:
    """The row's country as written (for ``--country``)."""
    return (raw.cells.get("country") or "").strip()

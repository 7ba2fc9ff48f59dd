"""Incidents in ACLED's CSV layout (the 31 columns of ACLED's exports), precision codes mapped
as ACLED defines them.

- ``time_precision``: 1 when the day is known (precision ``time`` or ``day``), 2 for a week,
  3 for a month or a year (ACLED's coarsest code). ``event_date`` is the day for code 1 and the
  middle of the reported period (local time) for codes 2 and 3, as ACLED does.
- ``geo_precision``: 1 for the named place itself (``exact``), 2 for near it or a part of its
  area (``near``, ``admin3``), 3 when only a larger region is known (``admin2``, ``admin1``).
  Empty when the incident has no place.
- ``event_type`` / ``sub_event_type`` from the category: air and drone strikes are
  Explosions/Remote violence, Air/drone strike; shelling, rockets and attacks on monitoring
  posts are Explosions/Remote violence, Shelling/artillery/missile attack; ground assaults and
  sniper fire are Battles, Armed clash; heavy weapons in a zone, troop build-ups and others are
  Strategic developments, Other (``disorder_type`` Strategic developments).
- ``inter1`` / ``inter2`` from the actors' kinds (1 state forces, 2 rebel and designated
  groups and operations rooms, 4 militias, 7 civilians, 8 foreign forces and others),
  ``interaction`` as ACLED combines them; ``civilian_targeting`` when the target is civilians.
- ``fatalities``: best estimates of civilians and combatants killed; ``source``: the
  publishers (or titles) of the sources linked, ``notes``: the English description;
  ``timestamp``: the last change, in seconds since 1970. Country fields are Syria's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

from tracker.export.tables import csv_lines

COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip

TIME_PRECISION = {"time": 1, "day": 1, "week": 2, "month": 3, "year": 3}
GEO_PRECISION = {"exact": 1, "near": 2, "admin3": 2, "admin2": 3, "admin1": 3}
_REMOTE = ("Political violence", "Explosions/Remote violence")
EVENT_TYPES = {
    "air_strike": (*_REMOTE, "Air/drone strike"),
    "drone_strike": (*_REMOTE, "Air/drone strike"),
    "shelling": (*_REMOTE, "Shelling/artillery/missile attack"),
    "rocket_attack": (*_REMOTE, "Shelling/artillery/missile attack"),
    "attack_on_monitoring_post": (*_REMOTE, "Shelling/artillery/missile attack"),
    "ground_assault": ("Political violence", "Battles", "Armed clash"),
    "sniper_fire": ("Political violence", "Battles", "Armed clash"),
}
STRATEGIC = ("Strategic developments", "Strategic developments", "Other")
ACTOR_TYPES = {
    "state": 1,
    "state_force": 1,
    "armed_group": 2,
    "designated_group": 2,
    "operations_room": 2,
    "militia": 4,
    "civilians": 7,
}
COUNTRY = {"iso": 760, "region": "Middle East", "country": "Syria"}


def interaction(inter1: int, inter2: int) -> int:
    """ACLED's interaction code: the two actor types, smaller first; ``10 * inter1`` alone."""
    if not inter1 or not inter2:
        return 10 * max(inter1, inter2)
    low, high = sorted((inter1, inter2))
    return 10 * low + high


def _event_date(record: dict[str, Any], code: int, tz: ZoneInfo) -> dt.date:
    if code == 1:
        return dt.date.fromisoformat(record["occurred_on"])
    start: dt.datetime = record["_start"]
    end: dt.datetime = record["_end"]
    middle: dt.date = (start + (end - start) / 2).astimezone(tz).date()
    return middle


def acled_row(record: dict[str, Any], tz: ZoneInfo) -> dict[str, Any]:
    """One incident record in ACLED's columns."""
    code = TIME_PRECISION[record["date_precision"]]
    day = _event_date(record, code, tz)
    disorder, event_type, sub_type = EVENT_TYPES.get(record["category"], STRATEGIC)
    inter1 = ACTOR_TYPES.get(record["_perpetrator_kind"] or "", 8 if record["perpetrator"] else 0)
    inter2 = ACTOR_TYPES.get(record["_target_kind"] or "", 8 if record["target_actor"] else 0)
    killed = [record.get(f) for f in ("civilians_killed_best", "combatants_killed_best")]
    return {
        "event_id_cnty": record["ref"] or f"CFT{record['id']}",
        "event_date": day.isoformat(),
        "year": day.year,
        "time_precision": code,
        "disorder_type": disorder,
        "event_type": event_type,
        "sub_event_type": sub_type,
        "actor1": record["perpetrator"],
        "inter1": inter1,
        "actor2": record["target_actor"],
        "inter2": inter2,
        "interaction": interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if record["_target_kind"] == "civilians" else "",
        **COUNTRY,
        "admin1": record["admin1"],
        "admin2": record["admin2"],
        "admin3": record["admin3"],
        "location": record["place"],
        "latitude": record["latitude"],
        "longitude": record["longitude"],
        "geo_precision": GEO_PRECISION[record["location_precision"]] if record["place"] else None,
        "source": "; ".join(record["sources"]),
        "notes": record["description_en"],
        "fatalities": sum(k or 0 for k in killed),
        "timestamp": record["_updated_epoch"],
    }


def acled_lines(records: Iterable[dict[str, Any]], tz: ZoneInfo) -> Iterator[str]:
    """The ACLED CSV table of ``records``."""
    return csv_lines((acled_row(r, tz) for r in records), COLUMNS)

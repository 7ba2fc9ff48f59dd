"""Matching outside names to the actors, places and admin areas already recorded: by name,
alias, Arabic normalisation and transliteration, and to OCHA P-codes through admin names."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tracker.rules.geo import contains, distance_km
from tracker.rules.names import fold, skeleton

#: How a name was matched, most certain first.
HOW_NAME = "name"
HOW_ALIAS = "alias"
HOW_FOLDED = "spelling (Arabic normalisation, accents, punctuation)"
HOW_SKELETON = "transliteration"
HOW_PCODE = "P-code"
HOW_CREATED = "created"
_PERIOD = re.compile(r"\s*\((?:\d{4}-\d{0,4}|[^)]*)\)\s*$")
_NOT_LETTER = re.compile(r"[^a-z0-9\u0621-\u064a]")


def letters(name: str) -> str:
    """A name folded to its letters only (``Dar'a`` and ``Dara``, ``Deir-ez-Zor`` and ``Deir
    ez Zor`` agree), the key that ACLED's and OCHA's admin names share."""
    return _NOT_LETTER.sub("", fold(name))


def _bare(name: str) -> str:
    """ACLED's actor names without their period or country, ``Military Forces of Syria
    (2000-)`` -> ``Military Forces of Syria``."""
    return _PERIOD.sub("", name).strip()


@dataclass(frozen=True)
class Match:
    """A record found for a name, and how."""

    record_id: int
    how: str


class NameIndex:
    """Records (id, English name, Arabic name, aliases) looked up by any of their names."""

    def __init__(self) -> None:
        self._keys: list[dict[str, list[int]]] = [defaultdict(list) for _ in range(4)]

    def add(
        self, record_id: int, name_en: str, name_ar: str | None, aliases: Iterable[str]
    ) -> None:
        names = [n for n in (name_en, name_ar) if n]
        for level, keys in enumerate(self._key_sets(names, list(aliases or ()))):
            for key in keys:
                if record_id not in self._keys[level][key]:
                    self._keys[level][key].append(record_id)

    @staticmethod
    def _key_sets(names: list[str], aliases: list[str]) -> list[set[str]]:
        everything = names + aliases
        forms = everything + [_bare(n) for n in everything]
        return [
            {n.strip().casefold() for n in names},
            {a.strip().casefold() for a in aliases},
            {k for k in (letters(n) for n in forms) if k},
            {k for k in (skeleton(n) for n in forms) if k},
        ]

    def candidates(self, name: str) -> tuple[list[int], str] | None:
        """The records the name may be, at the most certain level that finds any."""
        hows = (HOW_NAME, HOW_ALIAS, HOW_FOLDED, HOW_SKELETON)
        probes = [
            {name.strip().casefold()},
            {name.strip().casefold()},
            {letters(name), letters(_bare(name))},
            {skeleton(name), skeleton(_bare(name))},
        ]
        for level, keys in enumerate(probes):
            found: list[int] = []
            for key in keys:
                for record_id in self._keys[level].get(key, ()):
                    if record_id not in found:
                        found.append(record_id)
            if found:
                return found, hows[level]
        return None


@dataclass
class AdminUnit:
    pcode: str
    level: int
    parent: str | None
    geometry: dict[str, Any] | None
    bbox: tuple[float, float, float, float] | None


def _bbox(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []

    def walk(part: Any) -> None:
        if part and isinstance(part[0], int | float):
            xs.append(float(part[0]))
            ys.append(float(part[1]))
            return
        for item in part:
            walk(item)

    walk(geometry.get("coordinates", []))
    return (min(xs), min(ys), max(xs), max(ys)) if xs else (0.0, 0.0, 0.0, 0.0)


class AdminIndex:
    """OCHA admin areas by level and letter key of their names, with their polygons."""

    def __init__(self) -> None:
        self.units: dict[str, AdminUnit] = {}
        self._by_key: dict[tuple[int, str], list[str]] = defaultdict(list)

    def add(
        self,
        pcode: str,
        level: int,
        parent: str | None,
        names: Sequence[str | None],
        geometry: dict[str, Any] | None,
    ) -> None:
        box = _bbox(geometry) if geometry else None
        self.units[pcode] = AdminUnit(pcode, level, parent, geometry, box)
        for name in names:
            key = letters(name or "")
            if key and pcode not in self._by_key[(level, key)]:
                self._by_key[(level, key)].append(pcode)

    def find(self, level: int, name: str, parent: str | None) -> str | None:
        """The P-code of the admin area of ``level`` so named (inside ``parent`` if known)."""
        found = self._by_key.get((level, letters(name)), [])
        if parent:
            found = [p for p in found if self.units[p].parent == parent]
        return found[0] if len(found) == 1 else None

    def containing(self, level: int, longitude: float, latitude: float) -> str | None:
        """The P-code of the admin area of ``level`` whose polygon holds the point."""
        for unit in self.units.values():
            if unit.level != level or unit.geometry is None or unit.bbox is None:
                continue
            west, south, east, north = unit.bbox
            if west <= longitude <= east and south <= latitude <= north:  # noqa: SIM102
                if contains(unit.geometry, longitude, latitude):
                    return unit.pcode
        return None

    def codes(
        self, admin1: str, admin2: str, admin3: str, longitude: float | None, latitude: float | None
    ) -> list[str | None]:
        """The P-codes of admin levels 1-3 from their names, else from the point."""
        result: list[str | None] = []
        parent: str | None = None
        for level, name in enumerate((admin1, admin2, admin3), start=1):
            code = self.find(level, name, parent) if name else None
            if code is None and longitude is not None and latitude is not None:
                code = self.containing(level, longitude, latitude)
                if code and parent and self.units[code].parent != parent:
                    code = None
            result.append(code)
            parent = code
        return result


@dataclass
class KnownPlace:
    record_id: int
    admin1: str
    admin3: str
    latitude: float | None
    longitude: float | None


def choose_place(
    candidates: list[KnownPlace], admin1: str, latitude: float | None, longitude: float | None
) -> KnownPlace | None:
    """The one of several same-named places the event means: in the same governorate, and the
    nearest to the event's point (within 25 km) when it has one."""
    inside = [c for c in candidates if not admin1 or not c.admin1 or c.admin1 == letters(admin1)]
    if latitude is not None and longitude is not None:
        located = [c for c in inside if c.latitude is not None and c.longitude is not None]
        if located:
            nearest = min(
                located,
                key=lambda c: distance_km(longitude, latitude, c.longitude or 0, c.latitude or 0),
            )
            near = distance_km(longitude, latitude, nearest.longitude or 0, nearest.latitude or 0)
            return nearest if near <= 25 else None
    return inside[0] if len(inside) == 1 else None

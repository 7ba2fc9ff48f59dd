"""The admin boundaries loaded from OCHA's files, as maps draw them: an index of the areas with
their boxes and label points, kept between requests; their outlines simplified to a map's
scale; and admin areas found by name or P-code."""

from __future__ import annotations

import itertools
import json
import math
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from tracker.models import AdminArea, ImportRun, Place
from tracker.rules.names import fold, sound_key

Ring = list[tuple[float, float]]
Box = tuple[float, float, float, float]  # west, south, east, north, in degrees


@dataclass(frozen=True)
class Area:
    """An admin area that has a polygon: its names, box and the point its name is written at."""

    pcode: str
    level: int
    name_en: str
    name_ar: str | None
    box: Box
    label_at: tuple[float, float]

    def name(self, language: str) -> str:
        """The area's name in ``language`` ("ar" or "en"), English where no Arabic is known."""
        return (self.name_ar if language == "ar" else None) or self.name_en


@dataclass(frozen=True)
class BoundaryIndex:
    """Every admin area with a polygon, by P-code (empty when no boundaries are loaded)."""

    fingerprint: tuple[Any, ...]
    areas: dict[str, Area]

    def within(self, box: Box, level: int) -> list[Area]:
        """The areas of ``level`` whose box meets ``box``."""
        west, south, east, north = box
        return [
            a
            for a in self.areas.values()
            if a.level == level
            and a.box[0] <= east
            and west <= a.box[2]
            and a.box[1] <= north
            and south <= a.box[3]
        ]

    @property
    def levels(self) -> list[int]:
        """The levels loaded, coarsest first."""
        return sorted({a.level for a in self.areas.values()})


#: The most simplified outlines kept between requests (a few thousand small lists).
OUTLINE_CACHE_SIZE = 5000
_indexes: dict[str, BoundaryIndex] = {}
_outlines: dict[tuple[Any, ...], list[Ring]] = {}
_lock = threading.Lock()


def _fingerprint(session: Session) -> tuple[Any, ...]:
    """What changes whenever the boundaries change: the areas' count, largest id and newest
    row, and the latest boundary import (which is how polygons are written)."""
    areas = session.execute(
        select(func.count(), func.max(AdminArea.id), func.max(AdminArea.created_at))
    ).one()
    run = session.execute(
        select(func.max(ImportRun.id), func.max(ImportRun.created_at)).where(
            ImportRun.kind == "boundaries"
        )
    ).one()
    return *(str(v) for v in areas), *(str(v) for v in run)


def boundary_index(session: Session) -> BoundaryIndex:
    """The admin areas with polygons, read once and kept until the boundaries change."""
    fingerprint = _fingerprint(session)
    key = str(session.get_bind().engine.url)
    with _lock:
        cached = _indexes.get(key)
    if cached is not None and cached.fingerprint == fingerprint:
        return cached
    areas = {}
    rows = session.execute(
        select(
            AdminArea.pcode,
            AdminArea.level,
            AdminArea.name_en,
            AdminArea.name_ar,
            AdminArea.geometry,
        ).where(AdminArea.geometry.is_not(None))
    )
    for pcode, level, name_en, name_ar, geometry in rows:
        rings = list(rings_of(geometry or {}))
        if rings:
            box = _box(pt for ring in rings for pt in ring)
            areas[pcode] = Area(pcode, level, name_en, name_ar, box, label_point(rings))
    index = BoundaryIndex(fingerprint, areas)
    with _lock:
        _indexes[key] = index
    return index


def outlines(
    session: Session, index: BoundaryIndex, pcodes: Sequence[str], tolerance: float
) -> dict[str, list[Ring]]:
    """The rings of the areas ``pcodes``, simplified so that no point strays from the true
    line by more than ``tolerance`` degrees (rings smaller than that dropped); kept between
    requests for each area and tolerance."""
    key = str(session.get_bind().engine.url), index.fingerprint, tolerance
    found: dict[str, list[Ring]] = {}
    with _lock:
        for pcode in pcodes:
            cached = _outlines.get((*key, pcode))
            if cached is not None:
                found[pcode] = cached
    missing = [p for p in pcodes if p not in found]
    for start in range(0, len(missing), 500):
        chunk = missing[start : start + 500]
        rows = session.execute(
            select(AdminArea.pcode, AdminArea.geometry).where(AdminArea.pcode.in_(chunk))
        )
        for pcode, geometry in rows:
            rings = [simplify(ring, tolerance) for ring in rings_of(geometry or {})]
            found[pcode] = [r for r in rings if len(r) >= 4]
    with _lock:
        if len(_outlines) > OUTLINE_CACHE_SIZE:
            _outlines.clear()
        for pcode in missing:
            _outlines[(*key, pcode)] = found.get(pcode, [])
    return found


def rings_of(geometry: dict[str, Any]) -> Iterator[Ring]:
    """The rings (outer and holes) of a GeoJSON polygon, multipolygon, feature or collection,
    as (longitude, latitude) pairs."""
    kind = geometry.get("type")
    if kind == "Polygon":
        for ring in geometry.get("coordinates") or []:
            yield [(float(p[0]), float(p[1])) for p in ring]
    elif kind == "MultiPolygon":
        for polygon in geometry.get("coordinates") or []:
            for ring in polygon:
                yield [(float(p[0]), float(p[1])) for p in ring]
    elif kind == "Feature":
        yield from rings_of(geometry.get("geometry") or {})
    elif kind in {"FeatureCollection", "GeometryCollection"}:
        for part in geometry.get("features", geometry.get("geometries", [])):
            yield from rings_of(part)


def _box(points: Iterable[tuple[float, float]]) -> Box:
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def _ring_area(ring: Ring) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)))


def label_point(rings: Sequence[Ring]) -> tuple[float, float]:
    """Where an area's name goes: the middle of the widest stretch of its largest ring along
    the parallel through that ring's middle (inside the polygon even when it is not convex)."""
    ring = max(rings, key=_ring_area)
    west, south, east, north = _box(ring)
    lat = (south + north) / 2
    crossings = sorted(
        x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
        for (x0, y0), (x1, y1) in itertools.pairwise(ring)
        if (y0 <= lat < y1) or (y1 <= lat < y0)
    )
    stretches = list(zip(crossings[::2], crossings[1::2], strict=False))
    if not stretches:
        return (west + east) / 2, lat
    a, b = max(stretches, key=lambda s: s[1] - s[0])
    return (a + b) / 2, lat


def simplify(ring: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker: the fewest of the ring's points that keep it within ``tolerance``."""
    if len(ring) < 4:
        return ring
    west, south, east, north = _box(ring)
    if max(east - west, north - south) < tolerance * 2:
        return []
    ring = _thin(ring, tolerance)
    if len(ring) < 4:
        return []
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    far = max(range(1, len(ring) - 1), key=lambda i: _dist2(ring[i], ring[0]))
    keep[far] = True
    stack = [(0, far), (far, len(ring) - 1)]
    limit = tolerance * tolerance
    while stack:
        first, last = stack.pop()
        worst, worst_at = 0.0, -1
        for i in range(first + 1, last):
            d = _segment_dist2(ring[i], ring[first], ring[last])
            if d > worst:
                worst, worst_at = d, i
        if worst > limit:
            keep[worst_at] = True
            stack += [(first, worst_at), (worst_at, last)]
    return [pt for pt, kept in zip(ring, keep, strict=True) if kept]


def _thin(ring: Ring, tolerance: float) -> Ring:
    """The ring without the points closer than ``tolerance`` to the last one kept (a cheap
    first pass that spares Douglas-Peucker most of a detailed boundary's points)."""
    limit = tolerance * tolerance
    kept = [ring[0]]
    for point in ring[1:-1]:
        if _dist2(point, kept[-1]) >= limit:
            kept.append(point)
    kept.append(ring[-1])
    return kept


def _dist2(a: tuple[float, float], b: tuple[float, float]) -> float:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def _segment_dist2(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    if length == 0:
        return _dist2(p, a)
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length))
    return _dist2(p, (a[0] + t * dx, a[1] + t * dy))


def scale_tolerance(degrees_per_pixel: float) -> float:
    """The simplification tolerance for a map of that scale: about seven tenths of a pixel,
    rounded down to a power of two so that maps of that scale or near it share outlines."""
    return float(2 ** math.floor(math.log2(max(degrees_per_pixel * 0.7, 1e-6))))


@dataclass(frozen=True)
class PlacePoint:
    """A place of the gazetteer drawn on a base map where no boundaries are loaded."""

    name_en: str
    name_ar: str | None
    kind: str
    longitude: float
    latitude: float


#: Which places a base map shows first when it cannot show them all.
_KIND_ORDER = ("city", "town", "airport", "base", "village")


def places_within(session: Session, box: Box, *, limit: int) -> list[PlacePoint]:
    """Up to ``limit`` places with coordinates inside ``box``, cities and towns first."""
    west, south, east, north = box
    rank = case(
        {kind: n for n, kind in enumerate(_KIND_ORDER)}, value=Place.kind, else_=len(_KIND_ORDER)
    )
    rows = session.execute(
        select(Place.name_en, Place.name_ar, Place.kind, Place.longitude, Place.latitude)
        .where(
            Place.longitude.between(west, east),
            Place.latitude.between(south, north),
        )
        .order_by(rank, Place.id)
        .limit(limit)
    )
    return [
        PlacePoint(name_en, name_ar, kind, float(lon or 0), float(lat or 0))
        for name_en, name_ar, kind, lon, lat in rows
    ]


def places_extent(session: Session) -> Box | None:
    """The box of every place with coordinates, or None when none has any."""
    west, south, east, north = session.execute(
        select(
            func.min(Place.longitude),
            func.min(Place.latitude),
            func.max(Place.longitude),
            func.max(Place.latitude),
        )
    ).one()
    if west is None or south is None or east is None or north is None:
        return None
    return float(west), float(south), float(east), float(north)


def smallest_areas(session: Session, places: dict[int, frozenset[str]]) -> dict[int, str]:
    """For each place (id -> its P-codes), the polygon of the smallest admin area it is known
    to lie in, as GeoJSON text; places none of whose areas has a polygon are left out."""
    codes = {c for pcodes in places.values() for c in pcodes}
    if not codes:
        return {}
    shapes: dict[str, tuple[int, str]] = {}
    for start in range(0, len(codes), 500):
        chunk = sorted(codes)[start : start + 500]
        for pcode, level, geometry in session.execute(
            select(AdminArea.pcode, AdminArea.level, AdminArea.geometry).where(
                AdminArea.pcode.in_(chunk), AdminArea.geometry.is_not(None)
            )
        ):
            shapes[pcode] = (level, json.dumps(geometry, sort_keys=True))
    found = {}
    for place_id, pcodes in places.items():
        known = [shapes[c] for c in pcodes if c in shapes]
        if known:
            found[place_id] = max(known)[1]
    return found


def _area_names(session: Session) -> Iterator[tuple[str, list[str | None]]]:
    """Every admin area's P-code and names: the loaded areas', and those the gazetteer's
    places give their governorate, district and sub-district."""
    for pcode, *names in session.execute(
        select(AdminArea.pcode, AdminArea.name_en, AdminArea.name_ar, AdminArea.name_ref)
    ):
        yield pcode, names
    for level in (1, 2, 3):
        code, name = getattr(Place, f"admin{level}_pcode"), getattr(Place, f"admin{level}_name")
        for pcode, area_name in session.execute(
            select(code, name).where(code.is_not(None)).distinct()
        ):
            yield pcode, [area_name]


def known_pcodes(session: Session) -> set[str]:
    """The P-codes of every admin area known (loaded, or named by the gazetteer's places)."""
    return {pcode for pcode, _names in _area_names(session)}


def find_admin_areas(
    session: Session, words: Sequence[str]
) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """The P-codes of the admin areas ``words`` name, each a P-code or an area's English,
    Arabic or reference name at any level (whatever its case, hamza or diacritics, or in
    another transliteration: Idlib for Idleb); the words
    that name no area; and those that name several (a governorate, its district and its
    sub-district often share a name), with the P-codes of the areas they name."""
    if not words:
        return [], [], {}
    by_name: dict[str, set[str]] = {}
    by_sound: dict[str, set[str]] = {}
    known: set[str] = set()
    for pcode, names in _area_names(session):
        known.add(pcode)
        for name in names:
            if name:
                by_name.setdefault(fold(name), set()).add(pcode)
                by_sound.setdefault(sound_key(name), set()).add(pcode)
    codes: list[str] = []
    unknown: list[str] = []
    several: dict[str, list[str]] = {}
    for word in words:
        hits = {word.upper()} if word.upper() in known else by_name.get(fold(word), set())
        sound = sound_key(word)
        hits = hits or (by_sound.get(sound, set()) if len(sound) >= 3 else set())
        if len(hits) == 1:
            codes.append(next(iter(hits)))
        elif hits:
            several[word] = sorted(hits, key=lambda c: (len(c), c))
        else:
            unknown.append(word)
    return list(dict.fromkeys(codes)), unknown, several

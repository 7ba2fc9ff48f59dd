"""Plane geometry on GeoJSON: point in polygon, whether one shape lies within another, and
distance to a shape's edge, in kilometres."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator, Sequence
from typing import Any

EARTH_RADIUS_KM = 6371.0

Ring = Sequence[Sequence[float]]


def _polygons(geometry: dict[str, Any]) -> Iterator[Sequence[Ring]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        yield geometry["coordinates"]
    elif kind == "MultiPolygon":
        yield from geometry["coordinates"]
    elif kind == "GeometryCollection":
        for part in geometry.get("geometries", []):
            yield from _polygons(part)
    elif kind == "Feature":
        yield from _polygons(geometry["geometry"])
    elif kind == "FeatureCollection":
        for feature in geometry.get("features", []):
            yield from _polygons(feature["geometry"])


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(geometry: dict[str, Any], lon: float, lat: float) -> bool:
    """Whether the (Multi)Polygon ``geometry`` holds the point; holes are honoured."""
    for rings in _polygons(geometry):
        if (
            rings
            and _in_ring(lon, lat, rings[0])
            and not any(_in_ring(lon, lat, hole) for hole in rings[1:])
        ):
            return True
    return False


def contains_often(geometry: dict[str, Any], lon: float, lat: float) -> bool:
    """:func:`contains` for a shape tested against many points in a row (an agreement's
    territory, against every incident of a report): the shape's edges are banded once and
    kept for the shapes tested last."""
    for rings in _prepared(geometry):
        if rings[0].holds(lon, lat) and not any(hole.holds(lon, lat) for hole in rings[1:]):
            return True
    return False


class _RingBands:
    """A ring's edges sorted into bands of latitude, so that a point is tested against the
    edges that span its latitude only (the same crossing test as :func:`_in_ring`, over fewer
    edges: a report tests hundreds of points against one territory)."""

    __slots__ = ("bands", "height", "north", "south")

    def __init__(self, ring: Ring) -> None:
        edges = [
            (float(ring[i - 1][0]), float(ring[i - 1][1]), float(ring[i][0]), float(ring[i][1]))
            for i in range(len(ring))
        ]
        lats = [edge[1] for edge in edges] or [0.0]
        self.south, self.north = min(lats), max(lats)
        count = max(1, math.isqrt(len(edges)))
        self.height = (self.north - self.south) / count or 1.0
        self.bands: list[list[tuple[float, float, float, float]]] = [[] for _ in range(count)]
        for edge in edges:
            low, high = sorted((edge[1], edge[3]))
            for band in range(self._band(low), self._band(high) + 1):
                self.bands[band].append(edge)

    def _band(self, lat: float) -> int:
        return min(len(self.bands) - 1, max(0, int((lat - self.south) / self.height)))

    def holds(self, lon: float, lat: float) -> bool:
        if not self.south <= lat <= self.north:
            return False
        inside = False
        for xj, yj, xi, yi in self.bands[self._band(lat)]:
            if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
                inside = not inside
        return inside


#: The banded rings of the shapes tested last, by identity (the shape is kept with them, so
#: that its id is not reused while it is listed here).
_PREPARED: dict[int, tuple[dict[str, Any], list[list[_RingBands]]]] = {}
_PREPARED_MOST = 16
_PREPARING = threading.Lock()


def _prepared(geometry: dict[str, Any]) -> list[list[_RingBands]]:
    found = _PREPARED.get(id(geometry))
    if found is not None and found[0] is geometry:
        return found[1]
    polygons = [[_RingBands(ring) for ring in rings] for rings in _polygons(geometry) if rings]
    with _PREPARING:
        while len(_PREPARED) >= _PREPARED_MOST:
            del _PREPARED[next(iter(_PREPARED))]
        _PREPARED[id(geometry)] = (geometry, polygons)
    return polygons


#: The most corners of a shape :func:`lies_within` tests (evenly spaced along its rings).
CORNER_SAMPLE = 400


def _corners(geometry: dict[str, Any]) -> list[Sequence[float]]:
    points = [pt for rings in _polygons(geometry) for ring in rings[:1] for pt in ring]
    step = max(1, len(points) // CORNER_SAMPLE)
    return points[::step]


def lies_within(outer: dict[str, Any], inner: dict[str, Any]) -> bool | None:
    """Whether the shape ``inner`` lies within ``outer`` (True), wholly outside it (False),
    or across its edge (None), judged by the corners of each that lie in the other."""
    inside = [contains(outer, pt[0], pt[1]) for pt in _corners(inner)]
    if not inside:
        return None
    covered = any(contains(inner, pt[0], pt[1]) for pt in _corners(outer))
    if all(inside) and not covered:
        return True
    if not any(inside) and not covered:
        return False
    return None


def _segment_km(lon: float, lat: float, a: Sequence[float], b: Sequence[float]) -> float:
    scale = math.cos(math.radians(lat))
    ax, ay = (a[0] - lon) * scale, a[1] - lat
    bx, by = (b[0] - lon) * scale, b[1] - lat
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length2))
    px, py = ax + t * dx, ay + t * dy
    return math.radians(math.hypot(px, py)) * EARTH_RADIUS_KM


def distance_to_edge_km(geometry: dict[str, Any], lon: float, lat: float) -> float:
    """The distance from the point to the nearest edge of ``geometry`` (equirectangular, fine
    at the scale of a ceasefire zone)."""
    best = math.inf
    for rings in _polygons(geometry):
        for ring in rings:
            for i in range(len(ring) - 1):
                best = min(best, _segment_km(lon, lat, ring[i], ring[i + 1]))
    return best


def distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance between two points (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))

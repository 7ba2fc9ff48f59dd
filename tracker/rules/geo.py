"""Plane geometry on GeoJSON: point in polygon, whether one shape lies within another, and
distance to a shape's edge, in kilometres."""

from __future__ import annotations

import math
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

"""The banded point-in-polygon test a territory uses against every incident of a report gives
the plain ray cast's answer for every point: inside, outside, in a hole, on a corner's latitude,
beyond the shape's extent, on shapes of many corners and on degenerate ones."""

from __future__ import annotations

import math
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.rules.geo import contains, contains_often


def _star(cx: float, cy: float, corners: int, rng: random.Random) -> list[list[float]]:
    """A closed, star-shaped ring of ``corners`` corners at random distances (concave)."""
    ring = []
    for i in range(corners):
        angle = 2 * math.pi * i / corners
        radius = rng.uniform(0.2, 1.0)
        ring.append([cx + radius * math.cos(angle), cy + radius * math.sin(angle)])
    return [*ring, ring[0]]


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    corners=st.integers(3, 600),
    holed=st.booleans(),
    multi=st.booleans(),
)
def test_banded_test_agrees_with_the_ray_cast(
    seed: int, corners: int, holed: bool, multi: bool
) -> None:
    rng = random.Random(seed)  # noqa: S311 (test data)
    outer = _star(36.0, 35.0, corners, rng)
    rings = [outer]
    if holed:
        rings.append(_star(36.0, 35.0, max(3, corners // 4), random.Random(seed + 1)))  # noqa: S311
        rings[1] = [[36.0 + (x - 36.0) * 0.15, 35.0 + (y - 35.0) * 0.15] for x, y in rings[1]]
    shape: dict[str, object] = {"type": "Polygon", "coordinates": rings}
    if multi:
        far = _star(38.5, 33.0, max(3, corners // 2), rng)
        shape = {"type": "MultiPolygon", "coordinates": [rings, [far]]}
    west, east = min(x for x, _ in outer), max(x for x, _ in outer)
    south, north = min(y for _, y in outer), max(y for _, y in outer)
    points = [(rng.uniform(west - 0.1, east + 0.1), rng.uniform(south - 0.1, north + 0.1))]
    points += [(rng.uniform(west, east), rng.uniform(south, north)) for _ in range(300)]
    points += [(rng.uniform(34.5, 39.8), rng.uniform(31.8, 36.2)) for _ in range(100)]
    # the corners' own latitudes and points on the extent's edges, where bands meet
    points += [(x + 0.01, y) for x, y in outer[:50]]
    points += [(36.0, min(y for _, y in outer)), (36.0, max(y for _, y in outer))]
    answers = [(contains(shape, x, y), contains_often(shape, x, y)) for x, y in points]
    assert [a for a, _ in answers] == [b for _, b in answers]
    assert any(a for a, _ in answers)  # the sample reaches inside the shape
    assert not all(a for a, _ in answers)


def test_degenerate_rings_hold_nothing_and_a_square_holds_its_inside() -> None:
    flat = {"type": "Polygon", "coordinates": [[[36.0, 35.0], [37.0, 35.0], [36.0, 35.0]]]}
    assert not contains_often(flat, 36.5, 35.0)
    assert contains(flat, 36.5, 35.0) == contains_often(flat, 36.5, 35.0)
    square = {
        "type": "Polygon",
        "coordinates": [[[36, 35], [37, 35], [37, 36], [36, 36], [36, 35]]],
    }
    assert contains_often(square, 36.5, 35.5)
    assert not contains_often(square, 37.5, 35.5)
    assert not contains_often(square, 36.5, 36.5)

"""The geometry behind the maps: outlines simplified within their tolerance, names written
inside their areas and never over one another, shapes within, apart from or across others."""

from __future__ import annotations

import itertools
import math
import random

from tracker.maps.frame import fit, latitude_of, mercator_y
from tracker.maps.marks import CLUSTER_PX, Labels, clusters
from tracker.queries.boundaries import label_point, scale_tolerance, simplify
from tracker.queries.report_types import MapPlace
from tracker.rules.geo import contains, lies_within


def _circle(cx: float, cy: float, r: float, n: int = 2000) -> list[tuple[float, float]]:
    ring = [
        (cx + r * math.cos(2 * math.pi * i / n), cy + r * math.sin(2 * math.pi * i / n))
        for i in range(n)
    ]
    return [*ring, ring[0]]


def _square(west: float, south: float, size: float) -> dict[str, object]:
    ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _to_segment(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def test_simplified_outline_keeps_few_points_within_the_tolerance_and_drops_specks() -> None:
    ring = _circle(36.0, 35.0, 0.5)
    simple = simplify(ring, 0.01)
    assert 8 < len(simple) < 100
    assert simple[0] == simple[-1]
    for x, y in simple:
        assert abs(math.hypot(x - 36.0, y - 35.0) - 0.5) < 1e-9  # kept points are real ones
    for point in ring[::25]:  # every point of the true line lies near the simplified one
        assert min(_to_segment(point, a, b) for a, b in itertools.pairwise(simple)) <= 0.0101
    assert simplify(_circle(36.0, 35.0, 0.001), 0.01) == []


def test_tolerance_follows_the_scale_in_powers_of_two() -> None:
    coarse, fine = scale_tolerance(0.01), scale_tolerance(0.001)
    assert coarse > fine
    assert math.log2(coarse).is_integer()
    assert coarse <= 0.01 * 0.7


def test_an_area_name_goes_inside_a_u_shaped_area() -> None:
    u_shape = [
        (0.0, 0.0),
        (3.0, 0.0),
        (3.0, 3.0),
        (2.0, 3.0),
        (2.0, 1.0),
        (1.0, 1.0),
        (1.0, 3.0),
        (0.0, 3.0),
        (0.0, 0.0),
    ]
    x, y = label_point([u_shape])
    polygon = {"type": "Polygon", "coordinates": [[list(p) for p in u_shape]]}
    assert contains(polygon, x, y)


def test_shapes_within_apart_and_across() -> None:
    zone = _square(36.0, 35.0, 1.0)
    assert lies_within(zone, _square(36.2, 35.2, 0.3)) is True
    assert lies_within(zone, _square(38.0, 35.0, 0.3)) is False
    assert lies_within(zone, _square(36.8, 35.2, 0.5)) is None
    assert lies_within(_square(36.2, 35.2, 0.3), zone) is None  # the zone holds the area


def test_frame_projects_and_inverts_and_names_never_overlap() -> None:
    frame = fit([(36.0, 35.0), (37.0, 36.0)], 640, 480)
    assert frame is not None
    x, y = frame.project(36.5, 35.5)
    assert 0 < x < 640
    assert 0 < y < 480
    assert abs(latitude_of(frame.north - y / frame.scale) - 35.5) < 1e-9
    assert abs(latitude_of(mercator_y(12.3)) - 12.3) < 1e-9
    labels = Labels(640, 480)
    written = [labels.add(300, 200, f"Name {n}", "place-name") for n in range(5)]
    assert written == [True, True, True, False, False]  # three spots around one point
    assert not labels.add(300, 200, "Name 0", "area-name", once=True)


def test_clusters_join_the_first_cluster_whose_first_point_is_near() -> None:
    """Busiest places first, each in the earliest cluster whose first point lies within the
    cluster distance, checked against every cluster one by one, on crowded and sparse maps."""
    for seed in range(60):
        rnd = random.Random(seed)  # noqa: S311 (test data)
        span = rnd.choice([20.0, 80.0, 640.0])
        points = [
            (
                MapPlace(i, f"p{i}", 0.0, 0.0, rnd.randint(1, 9), 0),
                rnd.uniform(-9, span),
                rnd.uniform(0, span),
            )
            for i in range(rnd.randint(0, 400))
        ]
        expected: list[list[int]] = []
        firsts: list[tuple[float, float]] = []
        for place, x, y in sorted(points, key=lambda p: (-p[0].incidents, p[0].place_id)):
            near = [
                i for i, (fx, fy) in enumerate(firsts) if math.hypot(x - fx, y - fy) < CLUSTER_PX
            ]
            if near:
                expected[near[0]].append(place.place_id)
            else:
                expected.append([place.place_id])
                firsts.append((x, y))
        found = [[place.place_id for place, _x, _y in cluster] for cluster in clusters(points)]
        assert found == expected, seed


def test_labels_find_every_overlap_that_a_box_by_box_check_finds() -> None:
    """The grid of taken boxes answers as measuring against every box would, for boxes of
    any size, across cell edges and partly off the picture."""
    for seed in range(40):
        rnd = random.Random(seed)  # noqa: S311 (test data)
        labels = Labels(640, 480)
        taken: list[tuple[float, float, float, float]] = []
        for _ in range(rnd.randint(0, 300)):
            left, top = rnd.uniform(-40, 640), rnd.uniform(-40, 480)
            box = (left, top, left + rnd.uniform(0.5, 120), top + rnd.uniform(0.5, 40))
            expected = any(
                box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken
            )
            assert labels.overlaps(box) == expected
            if not expected or rnd.random() < 0.3:
                labels.take(box)
                taken.append(box)

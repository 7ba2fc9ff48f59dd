"""What a map draws of incidents and names: a dot per incident coloured by verdict, places that
overlap on the picture as one cluster with its count, and names laid where they cover no other
name or mark."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from html import escape

from tracker.charts import OTHER_VERDICTS_COLOUR, VERDICT_COLOURS
from tracker.queries.report_types import MapPlace
from tracker.svg import attrs, fmt

#: Above this many mapped incidents, the map draws one circle per place instead of per incident.
MAP_POINT_LIMIT = 1500
#: Places closer than this on the picture (pixels) are drawn as one cluster.
CLUSTER_PX = 12.0
#: How many of the busiest places or clusters the map names.
PLACE_LABELS = 12
#: How many of a cluster's places its tooltip names (the busiest); the rest are counted.
CLUSTER_TITLE_PLACES = 10

Point = tuple[MapPlace, float, float]
Rect = tuple[float, float, float, float]


def clusters(points: list[Point], distance: float = CLUSTER_PX) -> list[list[Point]]:
    """Group points that overlap on the picture, busiest first (each joins the first cluster
    whose first point is within ``distance``). Clusters are found through a grid of cells
    ``distance`` wide, so only the clusters that start in the nine cells around a point are
    measured."""
    found: list[list[Point]] = []
    firsts: list[tuple[float, float]] = []  # where each cluster's first point lies
    starts: dict[tuple[int, int], list[int]] = {}
    hypot, floor = math.hypot, math.floor
    for point in sorted(points, key=lambda p: (-p[0].incidents, p[0].place_id)):
        _place, x, y = point
        cx, cy = floor(x / distance), floor(y / distance)
        # the first cluster near enough: each cell lists its clusters in order, so the first
        # near one of a cell is its earliest, and a cell is left once past the best so far
        best = -1
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for index in starts.get((cx + dx, cy + dy), ()):
                    if best >= 0 and index >= best:
                        break
                    fx, fy = firsts[index]
                    if hypot(x - fx, y - fy) < distance:
                        best = index
                        break
        if best >= 0:
            found[best].append(point)
        else:
            starts.setdefault((cx, cy), []).append(len(found))
            found.append([point])
            firsts.append((x, y))
    return found


def _spread(count: int, radius: float) -> Iterator[tuple[float, float]]:
    """Offsets that set ``count`` points of one place around it in a sunflower pattern."""
    golden = math.pi * (3 - math.sqrt(5))
    for i in range(count):
        r = radius * math.sqrt(i) / math.sqrt(max(count, 1))
        yield r * math.cos(i * golden), r * math.sin(i * golden)


def cluster_marks(
    cluster: list[Point],
    *,
    per_incident: bool,
    mapped: int,
    name_of: Callable[[str], str],
    words: Mapping[str, str],
    more: Callable[[int], str] | None = None,
) -> list[str]:
    """The circles of one place (a dot per incident, violations in their colour) or of a
    cluster of overlapping places (one circle with its count). The tooltip names the places
    with their figures, at most :data:`CLUSTER_TITLE_PLACES` of them (``more`` words how many
    others there are)."""
    violation, other = VERDICT_COLOURS["violation"], OTHER_VERDICTS_COLOUR
    incidents = sum(p.incidents for p, _x, _y in cluster)
    violations = sum(p.violations for p, _x, _y in cluster)
    label = "; ".join(
        f"{name_of(p.name)}: {p.incidents} {words.get('incidents', 'incidents')}, "
        f"{p.violations} {words.get('violations', 'violations')}"
        for p, _x, _y in cluster[:CLUSTER_TITLE_PLACES]
    )
    if len(cluster) > CLUSTER_TITLE_PLACES:
        # a cluster's points come busiest first (see clusters): the busiest are named
        rest = len(cluster) - CLUSTER_TITLE_PLACES
        label += "; " + (more(rest) if more else f"and {rest} more places")
    _first, cx, cy = cluster[0]
    if len(cluster) == 1 and per_incident:
        marks = []
        spread = 2.5 * math.sqrt(incidents)
        for n, (dx, dy) in enumerate(_spread(incidents, spread)):
            fill = violation if n < violations else other
            marks.append(
                f'<circle class="incident-point" {attrs(cx=fmt(cx + dx), cy=fmt(cy + dy))} '
                f'r="3" fill="{fill}" fill-opacity="0.85" stroke="#fff" stroke-width="0.5">'
                f"<title>{escape(label)}</title></circle>"
            )
        return marks
    kind = "incident-group" if len(cluster) == 1 else "incident-cluster"
    radius = 6 + 2 * math.sqrt(incidents / max(mapped, 1) * 100)
    fill = violation if violations * 2 >= incidents else other
    return [
        f'<circle class="{kind}" cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" '
        f'data-count="{incidents:d}" fill="{fill}" fill-opacity="0.6" stroke="#fff">'
        f"<title>{escape(label)}</title></circle>",
        f'<text class="cluster-count" {attrs(x=fmt(cx), y=fmt(cy + 3.5))} '
        f'text-anchor="middle" font-size="10" fill="#fff">{incidents:d}</text>',
    ]


#: The side (pixels) of the grid cells through which :class:`Labels` finds what a box may cover.
LABEL_CELL_PX = 32.0


class Labels:
    """Names laid on a picture so that none covers another or a mark: each is tried right
    above, right below and left of its point, and left out where none of those is free. What
    is taken is filed in a grid of cells, so that a box is measured only against what lies in
    the cells it touches."""

    def __init__(self, width: int, height: int, marks: list[Rect] | None = None) -> None:
        self.width, self.height = width, height
        self._cells: dict[tuple[int, int], list[Rect]] = {}
        self.parts: list[str] = []
        self.written: set[str] = set()
        for box in marks or ():
            self.take(box)

    @staticmethod
    def _cells_of(box: Rect) -> Iterator[tuple[int, int]]:
        left, top, right, bottom = box
        for cx in range(math.floor(left / LABEL_CELL_PX), math.floor(right / LABEL_CELL_PX) + 1):
            for cy in range(
                math.floor(top / LABEL_CELL_PX), math.floor(bottom / LABEL_CELL_PX) + 1
            ):
                yield cx, cy

    def take(self, box: Rect) -> None:
        """Keep ``box`` (left, top, right, bottom) free of names."""
        for cell in self._cells_of(box):
            self._cells.setdefault(cell, []).append(box)

    def overlaps(self, box: Rect) -> bool:
        """Whether ``box`` overlaps anything taken."""
        left, top, right, bottom = box
        for cell in self._cells_of(box):
            for b_left, b_top, b_right, b_bottom in self._cells.get(cell, ()):
                if left < b_right and b_left < right and top < b_bottom and b_top < bottom:
                    return True
        return False

    def add(
        self,
        x: float,
        y: float,
        text: str,
        css_class: str,
        *,
        size: float = 10,
        fill: str = "#222",
        centred: bool = False,
        once: bool = False,
    ) -> bool:
        """Write ``text`` beside (or, ``centred``, on) the point; whether it found room
        (``once``: not when the same text is already written)."""
        if once and text in self.written:
            return False
        wide, high = 0.55 * size * len(text) + 4, size + 2
        spots = (
            ((0.0, size / 3, "middle"),)
            if centred
            else ((8.0, -4.0, "start"), (8.0, size + 2, "start"), (-8.0, -4.0, "end"))
        )
        for dx, dy, anchor in spots:
            left = {"start": x + dx, "end": x + dx - wide, "middle": x - wide / 2}[anchor]
            box = (left, y + dy - high + 2, left + wide, y + dy + 2)
            if box[0] < 0 or box[2] > self.width or box[1] < 0 or box[3] > self.height:
                continue
            if self.overlaps(box):
                continue
            self.take(box)
            self.written.add(text)
            self.parts.append(
                f'<text class="{escape(css_class)}" {attrs(x=fmt(x + dx), y=fmt(y + dy))} '
                f'text-anchor="{anchor}" font-size="{size:g}" fill="{fill}" stroke="#fff" '
                f'stroke-width="2.5" paint-order="stroke">{escape(text)}</text>'
            )
            return True
        return False


def name_busiest(
    clusters_found: list[list[Point]], labels: Labels, name_of: Callable[[str], str]
) -> None:
    """Name the busiest places or clusters (at most :data:`PLACE_LABELS`)."""
    named = 0
    for cluster in sorted(clusters_found, key=lambda c: -sum(p.incidents for p, _x, _y in c)):
        if named >= PLACE_LABELS:
            break
        place, cx, cy = max(cluster, key=lambda item: item[0].incidents)
        text = name_of(place.name) + (f" +{len(cluster) - 1}" if len(cluster) > 1 else "")
        named += labels.add(cx, cy, text, "place-name")

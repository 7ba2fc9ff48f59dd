"""The report's map and the map a new place's point is picked on, as SVG pictures."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape

from markupsafe import Markup

from tracker.maps.base import (
    BaseMap,
    draw_areas,
    draw_places,
    draw_territory_areas,
    name_base,
)
from tracker.maps.frame import Frame, fit, tiles
from tracker.maps.marks import MAP_POINT_LIMIT, Labels, cluster_marks, clusters, name_busiest
from tracker.queries.boundaries import rings_of
from tracker.queries.report_types import MapData
from tracker.svg import attrs, document, fmt, svg_open

SEA = "#f4f1ea"


def report_points(data: MapData) -> list[tuple[float, float]]:
    """The points the report's map must show: its places and the corners of its territories'
    shapes (longitude, latitude)."""
    points = [(p.longitude, p.latitude) for p in data.places]
    for shape in data.territories:
        points += [pt for ring in rings_of(shape.geometry or {}) for pt in ring]
    return points


def map_svg(
    data: MapData,
    *,
    title: str,
    tile_url: str = "",
    width: int = 640,
    height: int = 480,
    names: Mapping[str, str] | None = None,
    words: Mapping[str, str] | None = None,
    more: Callable[[int], str] | None = None,
    base: BaseMap | None = None,
) -> Markup:
    """The report's map: the ``base`` layer (admin boundaries with their names, or the
    gazetteer's places), territories as ``path.territory`` (a shape, or the admin areas it is
    given as, named), and incidents as dots coloured by verdict, places that overlap on the
    picture drawn as one cluster with its count, the busiest places named (``names`` gives a
    place's name in the page's language; ``words`` translates "violations" and "incidents";
    ``more`` words how many places a cluster's tooltip leaves unnamed).
    Tiles from ``tile_url`` (a ``{z}/{x}/{y}`` template), when configured, go underneath."""
    translations = names or {}

    def name_of(name: str) -> str:
        return translations.get(name, name)

    frame = base.frame if base else fit(report_points(data), width, height)
    parts = svg_open("chart map", width, height, title)
    parts.append(f'<rect class="sea" {attrs(x=0, y=0, width=width, height=height)} fill="{SEA}"/>')
    if frame is None:
        return document([*parts, "</svg>"])
    if tile_url:
        parts += tiles(tile_url, frame)
    if base:
        parts += draw_areas(base)
    for shape in data.territories:
        if shape.geometry is not None:
            parts.append(
                f'<path class="territory" d="{frame.path(rings_of(shape.geometry))}" '
                f'fill="#9ecae1" fill-opacity="0.35" stroke="#3182bd" fill-rule="evenodd">'
                f"<title>{escape(name_of(shape.name))}</title></path>"
            )
    if base:
        parts += draw_territory_areas(base, name_of)
        parts += draw_places(base)
    points = [(p, *frame.project(p.longitude, p.latitude)) for p in data.places]
    found = clusters(points)
    mapped = data.mapped
    for cluster in found:
        parts += cluster_marks(
            cluster,
            per_incident=mapped <= MAP_POINT_LIMIT,
            mapped=mapped,
            name_of=name_of,
            words=words or {},
            more=more,
        )
    labels = Labels(
        width, height, [(x - 6, y - 6, x + 6, y + 6) for c in found for _p, x, y in c[:1]]
    )
    name_busiest(found, labels, name_of)
    if base:
        name_base(base, labels)
    return document([*parts, *labels.parts, "</svg>"])


def pick_map_svg(base: BaseMap, *, title: str, marker: tuple[float, float] | None) -> Markup:
    """A map to pick a point on: the base layer with names, the frame in ``data-`` attributes
    for the script that turns a click into a longitude and latitude, and ``marker`` (the point
    picked, longitude and latitude) as a cross."""
    frame: Frame = base.frame
    parts = svg_open("map-of-places", frame.width, frame.height, title, frame.data_attributes())
    parts.append(
        f'<rect class="sea" {attrs(x=0, y=0, width=frame.width, height=frame.height)} '
        f'fill="{SEA}"/>'
    )
    parts += draw_areas(base) + draw_places(base)
    labels = Labels(frame.width, frame.height)
    if marker is not None:
        x, y = frame.project(*marker)
        parts.append(
            f'<path class="picked" d="M {fmt(x - 7)} {fmt(y)} H {fmt(x + 7)} '
            f'M {fmt(x)} {fmt(y - 7)} V {fmt(y + 7)}" stroke="#c0392b" stroke-width="2.5"/>'
        )
        labels.take((x - 8, y - 8, x + 8, y + 8))
    name_base(base, labels)
    return document([*parts, *labels.parts, "</svg>"])

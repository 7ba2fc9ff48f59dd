"""Server-side SVG pictures of a report: the stacked timeline and the map of incidents.

Both work without JavaScript, fonts or network access, so that a report opens offline and
prints cleanly. Every bar segment is a ``<rect class="bar">`` and every mapped incident a
``<circle class="incident-point">`` (above :data:`MAP_POINT_LIMIT` incidents, one
``<circle class="incident-group">`` per place, sized by its count, keeps the page small).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Sequence
from html import escape
from typing import Any

from markupsafe import Markup

from tracker.queries.reports import MapData, Timeline

PALETTE = (
    "#1f77b4",
    "#d62728",
    "#ff7f0e",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
#: Above this many mapped incidents, the map draws one circle per place instead of per incident.
MAP_POINT_LIMIT = 1500
_MARKER_COLOURS = {"entry": "#2ca02c", "expiry": "#d62728", "deadline": "#ff7f0e"}


def colour(index: int) -> str:
    """The colour of the ``index``-th series (shared by the chart and its legend)."""
    return PALETTE[index % len(PALETTE)]


def _attrs(**values: Any) -> str:
    return " ".join(
        f'{k.rstrip("_").replace("_", "-")}="{escape(str(v))}"' for k, v in values.items()
    )


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def timeline_svg(timeline: Timeline, *, title: str, width: int = 900, height: int = 260) -> Markup:
    """The stacked bar chart of ``timeline``: one ``rect.bar`` per non-empty segment, and a
    dashed line for entry into force, each deadline and expiry."""
    left, right, top, bottom = 40, 10, 20, 30
    step = 7 if timeline.bin == "week" else 1
    slots = (timeline.end - timeline.start).days // step + 1
    plot_w, plot_h = width - left - right, height - top - bottom
    slot_w = plot_w / max(slots, 1)
    stacks: dict[dt.date, int] = {}
    for bar in timeline.bars:
        stacks[bar.start] = stacks.get(bar.start, 0) + bar.count
    peak = max(stacks.values(), default=0) or 1
    rank = {s.key: i for i, s in enumerate(timeline.series)}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline" role="img" '
        f"{_attrs(viewBox=f'0 0 {width} {height}', width=width, height=height)}>",
        f"<title>{escape(title)}</title>",
        f'<line class="axis" {_attrs(x1=left, y1=top + plot_h, x2=width - right, y2=top + plot_h)}'
        ' stroke="#333"/>',
        f'<text class="tick" {_attrs(x=left - 4, y=top + 4)} text-anchor="end" font-size="10">'
        f"{peak}</text>",
        f'<text class="tick" {_attrs(x=left - 4, y=top + plot_h)} text-anchor="end" '
        'font-size="10">0</text>',
    ]
    filled: dict[dt.date, int] = {}
    for bar in timeline.bars:
        slot = (bar.start - timeline.start).days // step
        below = filled.get(bar.start, 0)
        filled[bar.start] = below + bar.count
        x = left + slot * slot_w
        h = bar.count / peak * plot_h
        y = top + plot_h - (below + bar.count) / peak * plot_h
        label = f"{bar.start.isoformat()}: {bar.count} ({_series_label(timeline, bar.key)})"
        parts.append(
            f'<rect class="bar" {_attrs(x=_fmt(x), y=_fmt(y), width=_fmt(max(slot_w - 1, 1)))} '
            f"{_attrs(height=_fmt(h), fill=colour(rank.get(bar.key, 0)), data_key=bar.key)}>"
            f"<title>{escape(label)}</title></rect>"
        )
    for marker in timeline.markers:
        x = left + (marker.day - timeline.start).days / step * slot_w
        parts.append(
            f'<line class="marker marker-{escape(marker.kind)}" '
            f"{_attrs(x1=_fmt(x), y1=top, x2=_fmt(x), y2=top + plot_h)} "
            f'stroke="{_MARKER_COLOURS.get(marker.kind, "#333")}" stroke-dasharray="4 3">'
            f"<title>{escape(marker.label)}: {marker.day.isoformat()}</title></line>"
        )
    for day, anchor in ((timeline.start, "start"), (timeline.end, "end")):
        x = left if anchor == "start" else width - right
        parts.append(
            f'<text class="tick" {_attrs(x=x, y=height - 10)} text-anchor="{anchor}" '
            f'font-size="10">{day.isoformat()}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text in it went through escape())


def _series_label(timeline: Timeline, key: str) -> str:
    return next((s.label for s in timeline.series if s.key == key), key)


def _rings(geometry: dict[str, Any]) -> Iterator[Sequence[Sequence[float]]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        yield from geometry["coordinates"]
    elif kind == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon
    elif kind == "Feature":
        yield from _rings(geometry["geometry"])
    elif kind in {"FeatureCollection", "GeometryCollection"}:
        for part in geometry.get("features", geometry.get("geometries", [])):
            yield from _rings(part)


def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _spread(count: int, radius: float) -> Iterator[tuple[float, float]]:
    """Offsets that set ``count`` points of one place around it in a sunflower pattern."""
    golden = math.pi * (3 - math.sqrt(5))
    for i in range(count):
        r = radius * math.sqrt(i) / math.sqrt(max(count, 1))
        yield r * math.cos(i * golden), r * math.sin(i * golden)


def map_svg(
    data: MapData, *, title: str, tile_url: str = "", width: int = 640, height: int = 480
) -> Markup:
    """The map: territories as ``path.territory`` and incidents as circles, in Web Mercator
    so that tiles from ``tile_url`` (``{z}/{x}/{y}`` template), when configured, line up
    underneath; without tiles the picture stands alone."""
    lons = [p.longitude for p in data.places]
    place_ys = [_mercator_y(p.latitude) for p in data.places]
    ys = list(place_ys)
    for shape in data.territories:
        for ring in _rings(shape.geometry or {}):
            lons += [pt[0] for pt in ring]
            ys += [_mercator_y(pt[1]) for pt in ring]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart map" role="img" '
        f"{_attrs(viewBox=f'0 0 {width} {height}', width=width, height=height)}>",
        f"<title>{escape(title)}</title>",
        f'<rect class="sea" {_attrs(x=0, y=0, width=width, height=height)} fill="#f4f1ea"/>',
    ]
    if not lons:
        parts.append("</svg>")
        return Markup("".join(parts))  # noqa: S704 (every text in it went through escape())
    pad = 0.1
    x0, x1 = min(lons) - pad, max(lons) + pad
    y0, y1 = min(ys) - pad, max(ys) + pad
    scale = min(width / (x1 - x0), height / (y1 - y0))
    off_x = (width - (x1 - x0) * scale) / 2
    off_y = (height - (y1 - y0) * scale) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return off_x + (lon - x0) * scale, off_y + (y1 - _mercator_y(lat)) * scale

    if tile_url:
        parts += _tiles(tile_url, project, (x0, x1, y0, y1), scale)
    for shape in data.territories:
        if shape.geometry is None:
            continue
        path = " ".join(
            "M "
            + " L ".join(f"{_fmt(x)} {_fmt(y)}" for x, y in (project(*pt[:2]) for pt in ring))
            + " Z"
            for ring in _rings(shape.geometry)
        )
        parts.append(
            f'<path class="territory" d="{path}" fill="#9ecae1" fill-opacity="0.35" '
            f'stroke="#3182bd" fill-rule="evenodd"><title>{escape(shape.name)}</title></path>'
        )
    mapped = data.mapped
    per_incident = mapped <= MAP_POINT_LIMIT
    for place, place_y in zip(data.places, place_ys, strict=True):
        cx, cy = off_x + (place.longitude - x0) * scale, off_y + (y1 - place_y) * scale
        label = f"{place.name}: {place.incidents} ({place.violations} violations)"
        if per_incident:
            spread = 2.5 * math.sqrt(place.incidents)
            for dx, dy in _spread(place.incidents, spread):
                parts.append(
                    f'<circle class="incident-point" {_attrs(cx=_fmt(cx + dx), cy=_fmt(cy + dy))} '
                    f'r="3" fill="#d62728" fill-opacity="0.75" stroke="#fff" stroke-width="0.5">'
                    f"<title>{escape(label)}</title></circle>"
                )
        else:
            radius = 2 + 2 * math.sqrt(place.incidents / max(mapped, 1) * 400)
            parts.append(
                f'<circle class="incident-group" cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" '
                f'data-count="{place.incidents:d}" fill="#d62728" fill-opacity="0.5">'
                f"<title>{escape(label)}</title></circle>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text in it went through escape())


def _tiles(
    template: str,
    project: Any,
    bounds: tuple[float, float, float, float],
    scale: float,
) -> list[str]:
    """``<image>`` elements of the map tiles under the picture, at the zoom closest to the
    picture's scale (pixels per degree of longitude)."""
    x0, x1, y0, y1 = bounds
    zoom = max(0, min(18, round(math.log2(scale * 360 / 256))))
    n = float(2**zoom)

    def tile_x(lon: float) -> int:
        return int((lon + 180) / 360 * n)

    def tile_y(merc: float) -> int:
        return int((1 - math.radians(merc) / math.pi) / 2 * n)

    def lon_of(tx: int) -> float:
        return tx / n * 360 - 180

    def lat_of(ty: int) -> float:
        return float(math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * ty / n)))))

    images = []
    for tx in range(tile_x(x0), tile_x(x1) + 1):
        for ty in range(tile_y(y1), tile_y(y0) + 1):
            left, top = project(lon_of(tx), lat_of(ty))
            right, bottom = project(lon_of(tx + 1), lat_of(ty + 1))
            href = (
                template.replace("{z}", str(zoom)).replace("{x}", str(tx)).replace("{y}", str(ty))
            )
            images.append(
                f'<image class="tile" {_attrs(href=href, x=_fmt(left), y=_fmt(top))} '
                f"{_attrs(width=_fmt(right - left), height=_fmt(bottom - top))} "
                'preserveAspectRatio="none"/>'
            )
    return images


def sparkline_svg(
    values: Sequence[int], *, title: str, width: int = 120, height: int = 28
) -> Markup:
    """A small trend line of daily counts (oldest first), its last point marked; drawn on the
    server, no script."""
    peak = max(values, default=0) or 1
    count = max(len(values) - 1, 1)
    points = [
        (2 + (width - 4) * i / count, height - 2 - (height - 4) * v / peak)
        for i, v in enumerate(values)
    ]
    path = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in points)
    last = points[-1] if points else (width - 2, height - 2)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" role="img" '
        f"{_attrs(viewBox=f'0 0 {width} {height}', width=width, height=height)}>",
        f"<title>{escape(title)}</title>",
        f'<polyline fill="none" stroke="#d62728" stroke-width="1.5" points="{path}"/>',
        f'<circle {_attrs(cx=_fmt(last[0]), cy=_fmt(last[1]), r=2)} fill="#d62728"/></svg>',
    ]
    return Markup("".join(parts))  # noqa: S704 (every text in it went through escape())

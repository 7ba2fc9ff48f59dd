"""Server-side SVG pictures of a report: the stacked timeline and the map of incidents.

Both work without JavaScript, fonts or network access, so that a report opens offline and
prints cleanly. Every bar segment is a ``<rect class="bar">`` and every mapped incident a
``<circle class="incident-point">`` (above :data:`MAP_POINT_LIMIT` incidents, one
``<circle class="incident-group">`` per place, sized by its count, keeps the page small).
"""

from __future__ import annotations

import datetime as dt
import math
import zlib
from collections.abc import Iterator, Mapping, Sequence
from html import escape
from typing import Any

from markupsafe import Markup

from tracker.queries.report_types import MapData, MapPlace, Timeline
from tracker.rules import local_time

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


#: One colour per incident category, the same in every report.
CATEGORY_COLOURS = {
    "air_strike": "#d62728",
    "shelling": "#ff7f0e",
    "rocket_attack": "#8c564b",
    "ground_assault": "#2ca02c",
    "drone_strike": "#9467bd",
    "sniper_fire": "#17becf",
    "heavy_weapons_in_zone": "#bcbd22",
    "troop_build_up": "#7f7f7f",
    "attack_on_monitoring_post": "#e377c2",
    "other": "#1f77b4",
}
#: One colour per verdict, the same in every report, chart and map.
VERDICT_COLOURS = {
    "violation": "#c0392b",
    "contested": "#e67e22",
    "indeterminate": "#8e8e8e",
    "outside_scope": "#2e86c1",
}
#: The colour of the map's incidents that are not violations.
OTHER_VERDICTS_COLOUR = "#8e8e8e"


def colour(index: int) -> str:
    """The colour of the ``index``-th series of a palette (for series without a fixed one)."""
    return PALETTE[index % len(PALETTE)]


def series_colour(key: str) -> str:
    """The fixed colour of a series: its category's or verdict's, else one chosen from the key
    itself (an actor keeps its colour from report to report)."""
    if key in CATEGORY_COLOURS:
        return CATEGORY_COLOURS[key]
    if key in VERDICT_COLOURS:
        return VERDICT_COLOURS[key]
    return PALETTE[zlib.crc32(key.encode("utf-8")) % len(PALETTE)]


def nice_ticks(peak: int, most: int = 5) -> list[int]:
    """Round count ticks from 0 up to at least ``peak``: steps of 1, 2 or 5 times a power of
    ten, at most ``most`` + 1 ticks (0, 5, 10, 15, 20 for 17)."""
    peak = max(peak, 1)
    raw = peak / most
    power = 10 ** max(0, math.floor(math.log10(raw))) if raw >= 1 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    top = -(-peak // step) * step
    return list(range(0, top + 1, step))


def _date_ticks(start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    """Where the date axis is labelled: the first of each month (every second or third month
    over long spans), or each Monday over spans of a few weeks, or each day over a week."""
    days = (end - start).days
    if days <= 10:
        return [(start + dt.timedelta(days=n), "day") for n in range(days + 1)]
    if days <= 70:
        first = start + dt.timedelta(days=(7 - start.weekday()) % 7)
        return [(first + dt.timedelta(weeks=n), "day") for n in range((end - first).days // 7 + 1)]
    every = 1 if days <= 400 else 3 if days <= 1200 else 6
    ticks, month = [], dt.date(start.year, start.month, 1)
    while month <= end:
        if month >= start and (month.month - 1) % every == 0:
            ticks.append((month, "month"))
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return ticks


def _attrs(**values: Any) -> str:
    return " ".join(
        f'{k.rstrip("_").replace("_", "-")}="{escape(str(v))}"' for k, v in values.items()
    )


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def timeline_svg(
    timeline: Timeline,
    *,
    title: str,
    width: int = 900,
    height: int = 260,
    language: str = "en",
    translate: Any = str,
    ranges: Sequence[Any] = (),
) -> Markup:
    """The stacked bar chart of ``timeline``: one ``rect.bar`` per non-empty segment in its
    series' fixed colour, a count axis with round ticks and grid lines, a date axis labelled
    by month, week or day in ``language``, and a dashed line for entry into force, each
    deadline and expiry. ``ranges`` (first day, last day, count) are incidents dated only to
    a week, a month or a year: a band under the axis draws each over its range."""
    left, right, top, bottom = 44, 14, 20, 30
    band_rows = _band_rows(ranges)
    height += 14 * len(band_rows) + (10 if band_rows else 0)
    step = 7 if timeline.bin == "week" else 1
    slots = (timeline.end - timeline.start).days // step + 1
    plot_w = width - left - right
    plot_h = height - top - bottom - (14 * len(band_rows) + (10 if band_rows else 0))
    slot_w = plot_w / max(slots, 1)
    stacks: dict[dt.date, int] = {}
    for bar in timeline.bars:
        stacks[bar.start] = stacks.get(bar.start, 0) + bar.count
    ticks = nice_ticks(max(stacks.values(), default=0))
    peak = ticks[-1]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline" role="img" '
        f"{_attrs(viewBox=f'0 0 {width} {height}', width=width, height=height)} "
        'direction="ltr">',
        f"<title>{escape(title)}</title>",
    ]
    for value in ticks:
        y = top + plot_h - value / peak * plot_h
        parts.append(
            f'<line class="grid" {_attrs(x1=left, y1=_fmt(y), x2=width - right, y2=_fmt(y))} '
            f'stroke="{"#333" if value == 0 else "#ddd"}"/>'
            f'<text class="tick count" {_attrs(x=left - 5, y=_fmt(y + 3))} text-anchor="end" '
            f'font-size="10">{value}</text>'
        )
    filled: dict[dt.date, int] = {}
    for bar in timeline.bars:
        slot = (bar.start - timeline.start).days // step
        below = filled.get(bar.start, 0)
        filled[bar.start] = below + bar.count
        x = left + slot * slot_w
        h = bar.count / peak * plot_h
        y = top + plot_h - (below + bar.count) / peak * plot_h
        when = local_time.day_text(bar.start, language)
        label = f"{when}: {bar.count} ({translate(_series_label(timeline, bar.key))})"
        parts.append(
            f'<rect class="bar" {_attrs(x=_fmt(x), y=_fmt(y), width=_fmt(max(slot_w - 1, 1)))} '
            f"{_attrs(height=_fmt(h), fill=series_colour(bar.key), data_key=bar.key)}>"
            f"<title>{escape(label)}</title></rect>"
        )
    for marker in timeline.markers:
        x = left + (marker.day - timeline.start).days / step * slot_w
        when = local_time.day_text(marker.day, language)
        parts.append(
            f'<line class="marker marker-{escape(marker.kind)}" '
            f"{_attrs(x1=_fmt(x), y1=top, x2=_fmt(x), y2=top + plot_h)} "
            f'stroke="{_MARKER_COLOURS.get(marker.kind, "#333")}" stroke-dasharray="4 3">'
            f"<title>{escape(translate(marker.label))}: {escape(when)}</title></line>"
        )
    for day, kind in _date_ticks(timeline.start, timeline.end):
        x = left + (day - timeline.start).days / step * slot_w
        text = (
            local_time.month_text(day, language)
            if kind == "month"
            else f"{day.day} {local_time.month_name(day.month, language)}"
        )
        parts.append(
            f'<line class="tick-mark" {_attrs(x1=_fmt(x), y1=top + plot_h, x2=_fmt(x))} '
            f'y2="{top + plot_h + 4}" stroke="#333"/>'
            f'<text class="tick date" {_attrs(x=_fmt(x), y=top + plot_h + 18)} '
            f'text-anchor="middle" font-size="10">{escape(text)}</text>'
        )
    span_days = max((timeline.end - timeline.start).days + step, 1)
    for row, spans in enumerate(band_rows):
        y = top + plot_h + 30 + 14 * row
        for span in spans:
            first = max(span.first, timeline.start)
            last = min(span.last, timeline.end + dt.timedelta(days=step - 1))
            if last < first:
                continue
            x1 = left + (first - timeline.start).days / span_days * plot_w
            x2 = left + ((last - timeline.start).days + 1) / span_days * plot_w
            when = local_time.days_text(span.first, span.last, span.precision, language)
            parts.append(
                f'<rect class="range" {_attrs(x=_fmt(x1), y=_fmt(y - 9), width=_fmt(x2 - x1))} '
                f'height="10" fill="#8e8e8e" fill-opacity="0.45" stroke="#555" '
                f'data-count="{span.count:d}"><title>{escape(when)}: {span.count:d}</title></rect>'
                f'<text class="range-count" {_attrs(x=_fmt((x1 + x2) / 2), y=_fmt(y))} '
                f'text-anchor="middle" font-size="9">{span.count:d}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text in it went through escape())


def _band_rows(ranges: Sequence[Any]) -> list[list[Any]]:
    """Ranges laid in rows so that none overlaps another in its row (first fit, by start)."""
    rows: list[list[Any]] = []
    for span in sorted(ranges, key=lambda r: (r.first, r.last)):
        for row in rows:
            if row[-1].last < span.first:
                row.append(span)
                break
        else:
            rows.append([span])
    return rows


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
    data: MapData,
    *,
    title: str,
    tile_url: str = "",
    width: int = 640,
    height: int = 480,
    names: Mapping[str, str] | None = None,
    words: Mapping[str, str] | None = None,
) -> Markup:
    """The map: territories as ``path.territory`` and incidents as circles coloured by verdict
    (violations, other verdicts), places that overlap on the picture drawn as one cluster
    with its count, the busiest places named (``names`` gives a place's name in the page's
    language), in Web Mercator so that tiles from ``tile_url`` (``{z}/{x}/{y}`` template),
    when configured, line up underneath; without tiles the picture stands alone. ``words``
    translates "violations" and "incidents" in the tooltips."""
    translations = names or {}

    def name_of(name: str) -> str:
        return translations.get(name, name)

    lons = [p.longitude for p in data.places]
    place_ys = [_mercator_y(p.latitude) for p in data.places]
    ys = list(place_ys)
    for shape in data.territories:
        for ring in _rings(shape.geometry or {}):
            lons += [pt[0] for pt in ring]
            ys += [_mercator_y(pt[1]) for pt in ring]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart map" role="img" '
        f"{_attrs(viewBox=f'0 0 {width} {height}', width=width, height=height)} "
        'direction="ltr">',
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
    points = [
        (place, off_x + (place.longitude - x0) * scale, off_y + (y1 - place_y) * scale)
        for place, place_y in zip(data.places, place_ys, strict=True)
    ]
    clusters = _clusters(points, CLUSTER_PX)
    for cluster in clusters:
        parts += _cluster_marks(
            cluster, per_incident=per_incident, mapped=mapped, name_of=name_of, words=words
        )
    parts += _place_names(clusters, name_of, width)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text in it went through escape())


#: Places closer than this on the picture (pixels) are drawn as one cluster.
CLUSTER_PX = 12.0
#: How many of the busiest places or clusters the map names.
PLACE_LABELS = 12

_Point = tuple[MapPlace, float, float]


def _clusters(points: list[_Point], distance: float) -> list[list[_Point]]:
    """Group points that overlap on the picture, busiest first (each joins the first cluster
    whose first point is within ``distance``)."""
    clusters: list[list[_Point]] = []
    for point in sorted(points, key=lambda p: (-p[0].incidents, p[0].place_id)):
        for cluster in clusters:
            _place, x, y = cluster[0]
            if math.hypot(point[1] - x, point[2] - y) < distance:
                cluster.append(point)
                break
        else:
            clusters.append([point])
    return clusters


def _place_names(clusters: list[list[_Point]], name_of: Any, width: int) -> list[str]:
    """Names of the busiest places or clusters, each put beside its point where it overlaps
    no name already written (at most :data:`PLACE_LABELS`)."""
    # the marks themselves are taken: a name never covers a dot or a cluster's count
    taken = [(cx - 6, cy - 6, cx + 6, cy + 6) for cluster in clusters for _p, cx, cy in cluster[:1]]
    names: list[str] = []
    for cluster in sorted(clusters, key=lambda c: -sum(p.incidents for p, _x, _y in c)):
        if len(names) >= PLACE_LABELS:
            break
        place, cx, cy = max(cluster, key=lambda item: item[0].incidents)
        text = name_of(place.name) + (f" +{len(cluster) - 1}" if len(cluster) > 1 else "")
        wide, high = 5.5 * len(text) + 4, 12.0
        for dx, dy, anchor in ((8, -4, "start"), (8, 12, "start"), (-8, -4, "end")):
            x = cx + dx if anchor == "start" else cx + dx - wide
            box = (x, cy + dy - high + 2, x + wide, cy + dy + 2)
            fits = box[0] >= 0 and box[2] <= width
            if fits and not any(
                box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken
            ):
                taken.append(box)
                names.append(
                    f'<text class="place-name" {_attrs(x=_fmt(cx + dx), y=_fmt(cy + dy))} '
                    f'text-anchor="{anchor}" font-size="10" fill="#222" stroke="#fff" '
                    f'stroke-width="2.5" paint-order="stroke">{escape(text)}</text>'
                )
                break
    return names


def _cluster_marks(
    cluster: list[_Point],
    *,
    per_incident: bool,
    mapped: int,
    name_of: Any,
    words: Mapping[str, str] | None,
) -> list[str]:
    """The circles of one place (a dot per incident, violations in their colour) or of a
    cluster of overlapping places (one circle with its count)."""
    say = words or {}
    violation, other = VERDICT_COLOURS["violation"], OTHER_VERDICTS_COLOUR
    incidents = sum(p.incidents for p, _x, _y in cluster)
    violations = sum(p.violations for p, _x, _y in cluster)
    label = "; ".join(
        f"{name_of(p.name)}: {p.incidents} {say.get('incidents', 'incidents')}, "
        f"{p.violations} {say.get('violations', 'violations')}"
        for p, _x, _y in cluster
    )
    _first, cx, cy = cluster[0]
    if len(cluster) == 1 and per_incident:
        marks = []
        spread = 2.5 * math.sqrt(incidents)
        for n, (dx, dy) in enumerate(_spread(incidents, spread)):
            fill = violation if n < violations else other
            marks.append(
                f'<circle class="incident-point" {_attrs(cx=_fmt(cx + dx), cy=_fmt(cy + dy))} '
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
        f'<text class="cluster-count" {_attrs(x=_fmt(cx), y=_fmt(cy + 3.5))} '
        f'text-anchor="middle" font-size="10" fill="#fff">{incidents:d}</text>',
    ]


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

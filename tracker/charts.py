"""Server-side SVG charts: the report's stacked timeline, the home page's trend lines, and the
fixed colours of categories and verdicts that every chart and map shares.

They work without JavaScript, fonts or network access, so that a report opens offline and
prints cleanly. Every bar segment is a ``<rect class="bar">``.
"""

from __future__ import annotations

import datetime as dt
import math
import zlib
from collections.abc import Sequence
from html import escape
from typing import Any

from markupsafe import Markup

from tracker.queries.report_types import Timeline
from tracker.rules import local_time
from tracker.svg import attrs, document, fmt, svg_open

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
    parts = svg_open("chart timeline", width, height, title)
    for value in ticks:
        y = top + plot_h - value / peak * plot_h
        parts.append(
            f'<line class="grid" {attrs(x1=left, y1=fmt(y), x2=width - right, y2=fmt(y))} '
            f'stroke="{"#333" if value == 0 else "#ddd"}"/>'
            f'<text class="tick count" {attrs(x=left - 5, y=fmt(y + 3))} text-anchor="end" '
            f'font-size="10">{value}</text>'
        )
    filled: dict[dt.date, int] = {}
    # the escaped words of each day, and the attributes and words of each series, written
    # once for all the bars they have (a chart has thousands of bars); numbers need no escaping
    days_words: dict[dt.date, str] = {}
    series_parts: dict[str, tuple[str, str]] = {}
    bar_width = fmt(max(slot_w - 1, 1))
    for bar in timeline.bars:
        slot = (bar.start - timeline.start).days // step
        below = filled.get(bar.start, 0)
        filled[bar.start] = below + bar.count
        x = left + slot * slot_w
        h = bar.count / peak * plot_h
        y = top + plot_h - (below + bar.count) / peak * plot_h
        when = days_words.get(bar.start)
        if when is None:
            when = days_words[bar.start] = escape(local_time.day_text(bar.start, language))
        series = series_parts.get(bar.key)
        if series is None:
            series = series_parts[bar.key] = (
                attrs(fill=series_colour(bar.key), data_key=bar.key),
                escape(translate(_series_label(timeline, bar.key))),
            )
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_width}" height="{h:.1f}" '
            f"{series[0]}><title>{when}: {bar.count:d} ({series[1]})</title></rect>"
        )
    for marker in timeline.markers:
        x = left + (marker.day - timeline.start).days / step * slot_w
        when = local_time.day_text(marker.day, language)
        parts.append(
            f'<line class="marker marker-{escape(marker.kind)}" '
            f"{attrs(x1=fmt(x), y1=top, x2=fmt(x), y2=top + plot_h)} "
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
            f'<line class="tick-mark" {attrs(x1=fmt(x), y1=top + plot_h, x2=fmt(x))} '
            f'y2="{top + plot_h + 4}" stroke="#333"/>'
            f'<text class="tick date" {attrs(x=fmt(x), y=top + plot_h + 18)} '
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
                f'<rect class="range" {attrs(x=fmt(x1), y=fmt(y - 9), width=fmt(x2 - x1))} '
                f'height="10" fill="#8e8e8e" fill-opacity="0.45" stroke="#555" '
                f'data-count="{span.count:d}"><title>{escape(when)}: {span.count:d}</title></rect>'
                f'<text class="range-count" {attrs(x=fmt((x1 + x2) / 2), y=fmt(y))} '
                f'text-anchor="middle" font-size="9">{span.count:d}</text>'
            )
    parts.append("</svg>")
    return document(parts)


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
    path = " ".join(f"{fmt(x)},{fmt(y)}" for x, y in points)
    last = points[-1] if points else (width - 2, height - 2)
    parts = [
        *svg_open("sparkline", width, height, title),
        f'<polyline fill="none" stroke="#d62728" stroke-width="1.5" points="{path}"/>',
        f'<circle {attrs(cx=fmt(last[0]), cy=fmt(last[1]), r=2)} fill="#d62728"/></svg>',
    ]
    return document(parts)

"""The report as JSON, CSV and GeoJSON: renderings of the one :class:`Report` structure."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from tracker.queries.methodology import methodology
from tracker.queries.report_types import CountRow, IncidentLine, RateLine, Report

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    """``value`` as JSON-ready data: dataclasses and named tuples as objects, dates as ISO 8601
    text. Scalars inside containers are taken as they are without a call (a territory's
    geometry holds thousands of coordinates)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    as_dict = getattr(value, "_asdict", None) if isinstance(value, tuple) else None
    if as_dict is not None:  # a named tuple: an object
        return {k: v if type(v) in _SCALARS else _plain(v) for k, v in as_dict().items()}
    fields = getattr(value, "__dataclass_fields__", None)
    if fields is not None and not isinstance(value, type):
        items = ((name, getattr(value, name)) for name in fields)
        return {k: v if type(v) in _SCALARS else _plain(v) for k, v in items}
    if isinstance(value, dict):
        return {str(k): v if type(v) in _SCALARS else _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [v if type(v) in _SCALARS else _plain(v) for v in value]
    return value


def _rate(line: RateLine) -> dict[str, Any]:
    plain = _plain(line)
    plain["windows"] = [
        {
            **_plain(w),
            "days": round(w.days, 4),
            "incidents_per_day": round(w.incidents_per_day, 4),
            "bound_per_day": round(w.bound_per_day, 4),
            "violations_per_day": round(w.violations_per_day, 4),
        }
        for w in line.windows
    ]
    return dict(plain)


def _row(row: CountRow) -> dict[str, Any]:
    return {**_plain(row), "violations": row.violations}


#: The fields of a report that :func:`to_json` writes with more than their plain values.
_SHAPED = frozenset(
    {"verdicts", "breakdowns", "events", "source_quality", "casualties", "map", "rates"}
)


def to_json(report: Report) -> dict[str, Any]:
    """The whole report as JSON-ready data (dates as ISO 8601 text). Each field is made plain
    once: those of :data:`_SHAPED` only as they are shaped below, in the fields' order."""
    data: dict[str, Any] = {
        name: None if name in _SHAPED else _plain(getattr(report, name))
        for name in report.__dataclass_fields__
    }
    data["verdicts"] = [_row(r) for r in report.verdicts]
    data["breakdowns"] = {k: [_row(r) for r in rows] for k, rows in report.breakdowns.items()}
    data["events"] = {
        **_plain(report.events),
        "lower_bound": report.events.lower_bound,
        "text": report.events.text,
    }
    quality = report.source_quality
    data["source_quality"] = {
        **_plain(quality),
        "share_independent": (
            round(quality.share_independent, 4) if quality.share_independent is not None else None
        ),
    }
    data["casualties"] = {
        scope: [{**_plain(figure), "text": figure.text} for figure in figures]
        for scope, figures in report.casualties.items()
    }
    data["map"] = {**_plain(report.map), "mapped": report.map.mapped}
    data["rates"] = [_rate(line) for line in report.rates]
    data["truncated"] = {
        name: {"truncated": len(shown) < total, "shown": len(shown), "total": total}
        for name, shown, total in (
            ("incidents", report.incidents, report.listed_totals.get("all", 0)),
            ("outside_scope", report.outside_scope, report.listed_totals.get("outside_scope", 0)),
            ("indeterminate", report.indeterminate, report.listed_totals.get("indeterminate", 0)),
        )
    }
    data["methodology"] = methodology(public=report.public, timezone=report.timezone)
    return data


def _safe(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_rows(report: Report) -> Iterator[list[Any]]:
    yield ["section", "key", "label", "measure", "value"]
    info = report.agreement
    yield [
        "agreement",
        info.slug,
        info.name,
        "period",
        f"{report.date_from or ''}/{report.date_to or ''}",
    ]
    yield ["agreement", info.slug, info.name, "public", int(report.public)]
    yield ["totals", "all", "All incidents", "incidents", report.total]
    for row in report.verdicts:
        yield ["verdict", row.key, row.label, "incidents", row.incidents]
    for name, rows in report.breakdowns.items():
        for row in rows:
            yield [name, row.key, row.label, "incidents", row.incidents]
            for verdict, count in row.verdicts.items():
                yield [name, row.key, row.label, verdict, count]
    for blame in report.blamed:
        yield ["blamed_by_sources", blame.key, blame.label, "incidents", blame.incidents]
        yield ["blamed_by_sources", blame.key, blame.label, "disputed", blame.disputed]
        yield [
            "blamed_by_sources",
            blame.key,
            blame.label,
            "named_perpetrator",
            blame.named_perpetrator,
        ]
    yield ["blamed_by_sources", "all", "Sources disagree", "incidents", report.disputed_attribution]
    for scope, figures in report.casualties.items():
        for figure in figures:
            for part in ("low", "best", "high", "text"):
                yield [
                    f"casualties:{scope}",
                    figure.group,
                    figure.label,
                    part,
                    getattr(figure, part),
                ]
    events = report.events
    for part in ("total", "exact", "about", "at_least", "more_than", "incidents"):
        yield ["events", part, events.text, part, getattr(events, part)]
    quality = report.source_quality
    yield ["source_quality", "incidents", "", "incidents", quality.incidents]
    yield ["source_quality", "with_sources", "", "incidents", quality.with_sources]
    yield [
        "source_quality",
        "two_or_more_independent",
        "",
        "incidents",
        quality.two_or_more_independent,
    ]
    for grade in quality.grades:
        yield ["reliability", grade.grade, grade.grade, "sources", grade.sources]
        yield ["reliability", grade.grade, grade.grade, "citations", grade.citations]
    for bar in report.timeline.bars:
        yield [
            f"timeline:{report.timeline.bin}",
            bar.key,
            bar.start.isoformat(),
            "incidents",
            bar.count,
        ]
    for rate in report.rates:
        for window in rate.windows:
            key = f"{rate.slug}:{window.name}"
            yield ["rates", key, rate.name, "incidents", window.incidents]
            yield ["rates", key, rate.name, "bound", window.bound]
            yield ["rates", key, rate.name, "violations", window.violations]
            yield ["rates", key, rate.name, "days", round(window.days, 4)]
            yield ["rates", key, rate.name, "incidents_per_day", round(window.incidents_per_day, 4)]
            yield ["rates", key, rate.name, "bound_per_day", round(window.bound_per_day, 4)]
            yield [
                "rates",
                key,
                rate.name,
                "violations_per_day",
                round(window.violations_per_day, 4),
            ]
    for place in report.map.places:
        yield ["map", str(place.place_id), place.name, "incidents", place.incidents]
    listed: tuple[tuple[str, list[IncidentLine]], ...] = (
        ("outside_scope", report.outside_scope),
        ("indeterminate", report.indeterminate),
        ("incident", report.incidents),
    )
    for section, incident_lines in listed:
        for line in incident_lines:
            yield [section, line.ref or line.id, line.occurred, "verdict", line.verdict]
            if section != "incident":
                yield [
                    section,
                    line.ref or line.id,
                    line.occurred,
                    "reasons",
                    "; ".join(line.reasons),
                ]


def to_csv(report: Report) -> str:
    """The report's figures as long-format CSV (section, key, label, measure, value); cells that
    a spreadsheet would run as a formula are prefixed with an apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in _csv_rows(report):
        writer.writerow([_safe(cell) for cell in row])
    return buffer.getvalue()


def to_geojson(report: Report) -> dict[str, Any]:
    """A FeatureCollection: one point per place with its incident counts, and the agreement's
    territories (a shape as a polygon; a list of admin areas without a geometry)."""
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p.longitude, p.latitude]},
            "properties": {
                "kind": "place",
                "place_id": p.place_id,
                "name": p.name,
                "incidents": p.incidents,
                "violations": p.violations,
                "located_by_admin_area": p.approximate,
            },
        }
        for p in report.map.places
    ]
    features += [
        {
            "type": "Feature",
            "geometry": shape.geometry,
            "properties": {
                "kind": "territory",
                "name": shape.name,
                "admin_pcodes": shape.admin_pcodes,
            },
        }
        for shape in report.map.territories
    ]
    return {
        "type": "FeatureCollection",
        "properties": {
            "agreement": report.agreement.slug,
            "from": report.date_from.isoformat() if report.date_from else None,
            "to": report.date_to.isoformat() if report.date_to else None,
            "public": report.public,
            "unmapped_incidents": report.map.unmapped,
        },
        "features": features,
    }

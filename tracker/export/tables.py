"""Incident tables as CSV, JSON and GeoJSON, written as they are read (generators of text).

CSV cells that a spreadsheet would run as a formula (text starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) are prefixed with an apostrophe."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value``, with text that starts like a spreadsheet formula made inert."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    return neutralise(value)


def csv_lines(records: Iterable[dict[str, Any]], names: Sequence[str]) -> Iterator[str]:
    """A CSV table (header, then one line per record), a few hundred lines at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for count, record in enumerate(records, start=1):
        writer.writerow([_cell(record.get(name)) for name in names])
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_lines(
    records: Iterable[dict[str, Any]], names: Sequence[str], meta: dict[str, Any]
) -> Iterator[str]:
    """``{"export": meta, "incidents": [...]}`` with one incident per line."""
    yield '{"export": ' + json.dumps(meta, ensure_ascii=False) + ',\n"incidents": [\n'
    separator = ""
    for record in records:
        yield separator + json.dumps({n: record.get(n) for n in names}, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def geojson_lines(
    records: Iterable[dict[str, Any]], names: Sequence[str], meta: dict[str, Any]
) -> Iterator[str]:
    """A GeoJSON FeatureCollection: one Point feature per incident (null geometry when the
    incident has no coordinates), the other fields as properties."""
    properties = [n for n in names if n not in {"latitude", "longitude"}]
    yield (
        '{"type": "FeatureCollection", "export": '
        + json.dumps(meta, ensure_ascii=False)
        + ',\n"features": [\n'
    )
    separator = ""
    for record in records:
        lat, lon = record.get("latitude"), record.get("longitude")
        feature = {
            "type": "Feature",
            "id": record.get("id"),
            "geometry": {"type": "Point", "coordinates": [lon, lat]} if lat is not None else None,
            "properties": {n: record.get(n) for n in properties},
        }
        yield separator + json.dumps(feature, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"

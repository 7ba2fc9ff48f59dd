"""OCHA's admin boundary polygons (COD-AB GeoJSON of any level): one feature to one area."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.imports.table import FileRefusedError, Rejection

_PCODE_KEY = re.compile(r"^ADM(\d)_PCODE$")
#: The largest boundary file read (the polygons are held in memory).
MAX_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True)
class Boundary:
    """One admin area with its polygon."""

    row: int
    pcode: str
    level: int
    name_en: str
    name_ar: str | None
    name_ref: str | None
    parent: str | None
    geometry: dict[str, Any]
    valid_on: str | None


def read_features(path: Path) -> list[dict[str, Any]]:
    """The features of a GeoJSON FeatureCollection.

    :raises FileRefusedError: when the file is too large, not JSON, or not a FeatureCollection.
    """
    if path.stat().st_size > MAX_BYTES:
        raise FileRefusedError(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FileRefusedError(f"not GeoJSON (UTF-8 JSON): {exc}") from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise FileRefusedError("not a GeoJSON FeatureCollection")
    features = document.get("features")
    if not isinstance(features, list):
        raise FileRefusedError("the FeatureCollection has no list of features")
    return features


def _level(properties: dict[str, Any]) -> int | None:
    levels = [int(m[1]) for key in properties if (m := _PCODE_KEY.match(key))]
    return max(levels) if levels else None


def _text(properties: dict[str, Any], key: str) -> str | None:
    value = properties.get(key)
    return str(value).strip() or None if value is not None else None


def read_feature(number: int, feature: Any) -> Boundary | list[Rejection]:
    """The feature as an admin area, or the reasons it cannot be one."""
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        return [Rejection(number, "properties", "", "not a GeoJSON feature with properties")]
    properties: dict[str, Any] = feature["properties"]
    geometry = feature.get("geometry")
    level = _level(properties)
    problems: list[Rejection] = []
    if level is None or level > 4:
        return [Rejection(number, "properties", "", "no ADMn_PCODE property (n = 0 to 4)")]
    pcode = _text(properties, f"ADM{level}_PCODE")
    name_en = _text(properties, f"ADM{level}_EN")
    if not pcode or len(pcode) > 20:
        problems.append(Rejection(number, f"ADM{level}_PCODE", pcode or "", "not a P-code"))
    if not name_en or len(name_en) > 300:
        problems.append(Rejection(number, f"ADM{level}_EN", name_en or "", "a name is required"))
    if not isinstance(geometry, dict) or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        problems.append(Rejection(number, "geometry", "", "not a Polygon or MultiPolygon"))
    if problems:
        return problems
    if not (pcode and name_en and isinstance(geometry, dict)):
        return [Rejection(number, "", "", "the row cannot be read")]
    return Boundary(
        number,
        pcode,
        level,
        name_en,
        _text(properties, f"ADM{level}_AR"),
        _text(properties, f"ADM{level}_REF"),
        _text(properties, f"ADM{level - 1}_PCODE") if level else None,
        geometry,
        _text(properties, "validOn"),
    )

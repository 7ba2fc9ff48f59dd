"""OCHA's community gazetteer (CSV: admin0-4 names in English and Arabic, P-codes, the
location's P-code, names and coordinates): one row to one place."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from tracker.imports import fields
from tracker.imports.table import RawRow, Rejection

REQUIRED = (
    "admin1Name_en", "admin1Pcode", "admin2Name_en", "admin2Pcode", "admin3Name_en",
    "admin3Pcode", "LocationName_en", "Location_Pcode", "Latitude_y", "Longitude_x",
)  # fmt: skip


@dataclass(frozen=True)
class GazetteerPlace:
    """A populated place of the gazetteer."""

    row: int
    pcode: str
    name_en: str
    name_ar: str | None
    aliases: tuple[str, ...]
    admin: tuple[tuple[str, str | None, str], ...]  # (name_en, name_ar, pcode) for levels 1-3
    latitude: float
    longitude: float


def read_row(raw: RawRow) -> GazetteerPlace | list[Rejection]:
    """The row as a place, or every reason it cannot be one."""
    if raw.problems:
        return raw.problems
    cells = raw.cells
    attempt = fields.Collector(raw.number)
    pcode = attempt(lambda: fields.text(cells, "Location_Pcode", 20, required=True))
    name_en = attempt(lambda: fields.text(cells, "LocationName_en", 300, required=True))
    name_ar = attempt(lambda: fields.text(cells, "LocationName_ar", 300))
    admin4 = attempt(lambda: fields.text(cells, "admin4Name_en", 300))
    latitude = attempt(lambda: fields.coordinate(cells, "Latitude_y", 90))
    longitude = attempt(lambda: fields.coordinate(cells, "Longitude_x", 180))
    admin = []
    for level in (1, 2, 3):
        en = attempt(partial(fields.text, cells, f"admin{level}Name_en", 120)) or ""
        ar = attempt(partial(fields.text, cells, f"admin{level}Name_ar", 120)) or None
        code = attempt(partial(fields.text, cells, f"admin{level}Pcode", 20)) or ""
        admin.append((en, ar, code))
    if latitude is None or longitude is None:
        attempt.problems.append(
            Rejection(raw.number, "Latitude_y", cells.get("Latitude_y", ""), "coordinates required")
        )
    if attempt.problems:
        return attempt.problems
    if not (pcode and name_en and latitude is not None and longitude is not None):
        return [Rejection(raw.number, "", "", "the row cannot be read")]
    aliases = tuple(a for a in (admin4,) if a and a != name_en)
    return GazetteerPlace(
        raw.number, pcode, name_en, name_ar or None, aliases, tuple(admin), latitude, longitude
    )

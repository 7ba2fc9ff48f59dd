"""The import of OCHA's community gazetteer: a place per P-code, created or brought up to date,
and the admin areas it names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from tracker.imports import gazetteer
from tracker.imports.matching import NameIndex
from tracker.models import (
    AdminArea,
    Place,
    User,
)
from tracker.rules.geo import distance_km
from tracker.rules.names import search_key
from tracker.services.history import record_revision, snapshot
from tracker.services.import_matching import letters_or_ascii, unique_slug
from tracker.services.import_runs import Summary, finish_run, start_run
from tracker.services.reference_imports.rows import checked_rows, without_duplicates
from tracker.services.report_rebuild import rebuild_all

#: How far (km) a recorded place without a P-code may lie from a gazetteer place of the same
#: name to be taken for it.
SAME_PLACE_KM = 3.0


def _place_values(item: gazetteer.GazetteerPlace) -> dict[str, Any]:
    (a1, _a1ar, p1), (a2, _a2ar, p2), (a3, _a3ar, p3) = item.admin
    return {
        "pcode": item.pcode,
        "name_ar": item.name_ar,
        "admin1_name": a1 or None,
        "admin1_pcode": p1 or None,
        "admin2_name": a2 or None,
        "admin2_pcode": p2 or None,
        "admin3_name": a3 or None,
        "admin3_pcode": p3 or None,
        "latitude": item.latitude,
        "longitude": item.longitude,
    }


def import_places(
    session: Session, path: Path, *, user: User | None, run_by: str, skip_invalid: bool = False
) -> Summary:
    """Import OCHA's community gazetteer: a place per P-code, created or brought up to date;
    a recorded place without a P-code whose name and position match takes the gazetteer's
    P-code, Arabic name and admin areas (its own name is kept, OCHA's becomes an alias).

    :raises FileRefusedError: when the file is not the gazetteer's CSV.
    """
    items, summary = checked_rows(path, "places", gazetteer.REQUIRED, gazetteer.read_row)
    items = without_duplicates(items, "pcode", "Location_Pcode", summary)
    if summary.rejected and not skip_invalid:
        return summary
    start_run(session, summary, {"skip_invalid": skip_invalid}, user, run_by)
    by_pcode = {p.pcode: p for p in session.scalars(select(Place).where(Place.pcode.isnot(None)))}
    loose = list(session.scalars(select(Place).where(Place.pcode.is_(None))))
    loose_index = NameIndex()
    for place in loose:
        loose_index.add(place.id, place.name_en, place.name_ar, place.aliases or [])
    loose_by_id = {p.id: p for p in loose}
    slugs = set(session.scalars(select(Place.slug)))
    new_rows = []
    for item in items:
        values = _place_values(item)
        record = by_pcode.get(item.pcode) or _same_place(item, loose_index, loose_by_id)
        if record is None:
            slug = unique_slug(letters_slug(item.name_en, item.pcode), slugs)
            new_rows.append(
                {
                    **values,
                    "slug": slug,
                    "name_en": item.name_en,
                    "aliases": list(item.aliases),
                    "kind": "town",
                    "search_key": search_key([item.name_en, item.name_ar, *item.aliases]),
                }
            )
            continue
        aliases = list(record.aliases or [])
        for name in (item.name_en, *item.aliases):
            if name != record.name_en and name not in aliases:
                aliases.append(name)
        values["aliases"] = aliases
        if record.pcode is None:
            # a place recorded by hand: its own name, Arabic name and position are kept
            loose_by_id.pop(record.id, None)
            values["name_ar"] = record.name_ar or item.name_ar
            if record.latitude is not None:
                values["latitude"], values["longitude"] = record.latitude, record.longitude
        before = snapshot(record)
        changed = {k: v for k, v in values.items() if getattr(record, k) != v}
        if not changed:
            summary.unchanged += 1
            continue
        for key, value in changed.items():
            setattr(record, key, value)
        record_revision(session, record, user=user, action="place.import", before=before)
        summary.updated += 1
    if new_rows:
        for start in range(0, len(new_rows), 1000):
            session.execute(insert(Place), new_rows[start : start + 1000])
    summary.imported = len(new_rows)
    _admin_areas_of(session, items)
    finish_run(session, summary, user)
    if summary.updated:
        rebuild_all(session)  # every agreement may hold what changed
    summary.written = True
    return summary


def _admin_areas_of(session: Session, items: list[gazetteer.GazetteerPlace]) -> None:
    """Record the governorates, districts and sub-districts the gazetteer names (without
    shapes) when no admin area has their P-code yet, so that event imports find P-codes by
    admin names before the boundaries are loaded."""
    known = set(session.scalars(select(AdminArea.pcode)))
    found: dict[str, dict[str, Any]] = {}
    for item in items:
        parent = None
        for level, (name_en, name_ar, pcode) in enumerate(item.admin, start=1):
            if pcode and name_en and pcode not in known and pcode not in found:
                found[pcode] = {
                    "pcode": pcode,
                    "level": level,
                    "name_en": name_en[:300],
                    "name_ar": name_ar,
                    "parent_pcode": parent,
                }
            parent = pcode or None
    if found:
        session.execute(insert(AdminArea), list(found.values()))


def letters_slug(name: str, pcode: str) -> str:
    """A slug from a place's name and P-code (``kafr-nabutha-c4123``)."""
    base = "-".join(letters_or_ascii(name).split())[:90] or "place"
    return f"{base}-{pcode.lower()}"


def _same_place(
    item: gazetteer.GazetteerPlace, index: NameIndex, places: dict[int, Place]
) -> Place | None:
    found = None
    for name in (item.name_en, item.name_ar, *item.aliases):
        if name:
            found = index.candidates(name)
            if found:
                break
    if found is None:
        return None
    near = [
        places[i]
        for i in found[0]
        if i in places
        and places[i].latitude is not None
        and distance_km(
            item.longitude, item.latitude, places[i].longitude or 0, places[i].latitude or 0
        )
        <= SAME_PLACE_KM
    ]
    return near[0] if len(near) == 1 else None

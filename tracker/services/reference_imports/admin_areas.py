"""The import of OCHA admin boundaries: an admin area per P-code with its polygon, and the
recorded places located in them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from tracker.imports import boundaries
from tracker.imports.matching import AdminIndex
from tracker.models import (
    AdminArea,
    Place,
    User,
)
from tracker.services.history import record_revision, snapshot
from tracker.services.import_runs import Summary, file_sha256, finish_run, start_run
from tracker.services.reference_imports.rows import without_duplicates
from tracker.services.report_rebuild import rebuild_all


def import_boundaries(
    session: Session, path: Path, *, user: User | None, run_by: str, skip_invalid: bool = False
) -> Summary:
    """Import OCHA admin polygons of any level: an admin area per P-code, created or brought
    up to date; recorded places with coordinates but no P-code of that level are then placed
    in the area whose polygon holds them.

    :raises FileRefusedError: when the file is not a GeoJSON FeatureCollection.
    """
    summary = Summary("boundaries", path.name, sha256=file_sha256(path))
    items: list[boundaries.Boundary] = []
    for number, feature in enumerate(boundaries.read_features(path), start=1):
        summary.rows_read += 1
        result = boundaries.read_feature(number, feature)
        if isinstance(result, list):
            summary.rejections.extend(result)
        else:
            items.append(result)
    summary.rejected = len({r.row for r in summary.rejections})
    items = without_duplicates(items, "pcode", "ADMn_PCODE", summary)
    if summary.rejected and not skip_invalid:
        return summary
    start_run(session, summary, {"skip_invalid": skip_invalid}, user, run_by)
    existing = {a.pcode: a for a in session.scalars(select(AdminArea))}
    new_rows = []
    for item in items:
        values = {
            "level": item.level,
            "name_en": item.name_en,
            "name_ar": item.name_ar,
            "name_ref": item.name_ref,
            "parent_pcode": item.parent,
            "geometry": item.geometry,
            "valid_on": item.valid_on,
        }
        record = existing.get(item.pcode)
        if record is None:
            new_rows.append({"pcode": item.pcode, **values})
            continue
        changed = {k: v for k, v in values.items() if getattr(record, k) != v}
        if changed:
            session.execute(update(AdminArea).where(AdminArea.id == record.id).values(**changed))
            summary.updated += 1
        else:
            summary.unchanged += 1
    if new_rows:
        session.execute(insert(AdminArea), new_rows)
    summary.imported = len(new_rows)
    located = _locate_places(session, items, user)
    finish_run(session, summary, user)
    if summary.imported or summary.updated or located:
        rebuild_all(session)  # every agreement may hold what changed
    summary.written = True
    summary.places = {name: "located by its polygon" for name in located}
    return summary


def _locate_places(
    session: Session, items: list[boundaries.Boundary], user: User | None
) -> list[str]:
    levels = sorted({i.level for i in items if 1 <= i.level <= 3})
    if not levels:
        return []
    index = AdminIndex()
    for item in items:
        index.add(item.pcode, item.level, item.parent, (item.name_en,), item.geometry)
    names = {i.pcode: i.name_en for i in items}
    located = []
    for place in session.scalars(select(Place).where(Place.latitude.isnot(None))):
        before = snapshot(place)
        for level in levels:
            column = f"admin{level}_pcode"
            if getattr(place, column):
                continue
            code = index.containing(level, place.longitude or 0, place.latitude or 0)
            if code:
                setattr(place, column, code)
                if not getattr(place, f"admin{level}_name"):
                    setattr(place, f"admin{level}_name", names[code])
        if snapshot(place) != before:
            record_revision(session, place, user=user, action="place.locate", before=before)
            located.append(place.name_en)
    return located

"""Imports of reference data: the OCHA gazetteer (places), OCHA admin boundaries (admin
areas and their polygons) and PA-X agreements, each checked in full before anything is written,
keyed by its P-code or PA-X id so that the same file twice changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from tracker.imports import boundaries, gazetteer, pax
from tracker.imports.matching import AdminIndex, NameIndex
from tracker.imports.table import RawRow, Rejection, csv_rows
from tracker.models import (
    AdminArea,
    Agreement,
    AgreementSource,
    Place,
    Source,
    User,
)
from tracker.rules.geo import distance_km
from tracker.rules.names import search_key
from tracker.services.history import record_revision, snapshot
from tracker.services.import_matching import letters_or_ascii
from tracker.services.import_runs import Summary, file_sha256, finish_run, start_run
from tracker.services.report_store import rebuild_all

T = TypeVar("T")
PAX_PUBLISHER = "PA-X Peace Agreements Database, University of Edinburgh"
PAX_URL = "https://www.peaceagreements.org/view/{}"
#: How far (km) a recorded place without a P-code may lie from a gazetteer place of the same
#: name to be taken for it.
SAME_PLACE_KM = 3.0


def _check(
    path: Path,
    kind: str,
    required: tuple[str, ...],
    read: Callable[[RawRow], T | list[Rejection]],
    keep: Callable[[RawRow], bool] | None = None,
) -> tuple[list[T], Summary]:
    summary = Summary(kind, path.name, sha256=file_sha256(path))
    items: list[T] = []
    for raw in csv_rows(path, required):
        if keep is not None and not raw.problems and not keep(raw):
            summary.other_countries += 1
            continue
        summary.rows_read += 1
        result = read(raw)
        if isinstance(result, list):
            summary.rejections.extend(result)
        else:
            items.append(result)
    summary.rejected = len({r.row for r in summary.rejections})
    return items, summary


def _duplicates(items: Sequence[Any], key: str, column: str, summary: Summary) -> list[Any]:
    first: dict[Any, int] = {}
    kept = []
    for item in items:
        value = getattr(item, key)
        if value in first:
            summary.rejections.append(
                Rejection(item.row, column, str(value), f"the same id as row {first[value]}")
            )
        else:
            first[value] = item.row
            kept.append(item)
    summary.rejections.sort(key=lambda r: r.row)
    summary.rejected = len({r.row for r in summary.rejections})
    return kept


# --- places ------------------------------------------------------------------------------


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
    items, summary = _check(path, "places", gazetteer.REQUIRED, gazetteer.read_row)
    items = _duplicates(items, "pcode", "Location_Pcode", summary)
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
            slug = _unique(letters_slug(item.name_en, item.pcode), slugs)
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


def _unique(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    taken.add(candidate)
    return candidate


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


# --- boundaries ----------------------------------------------------------------------------


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
    items = _duplicates(items, "pcode", "ADMn_PCODE", summary)
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


# --- agreements --------------------------------------------------------------------------


def import_agreements(
    session: Session,
    path: Path,
    tz: ZoneInfo,
    *,
    user: User | None,
    run_by: str,
    countries: Sequence[str] = (),
    skip_invalid: bool = False,
) -> Summary:
    """Import PA-X agreements: one agreement per PA-X id, created (slug ``pax-ID``) or
    matched by ``agreements.pax_id``; PA-X's text fields become the claims of a PA-X source
    of the agreement. An agreement recorded before keeps its own name and dates (PA-X's are
    kept as claims); one created from PA-X follows PA-X's.

    :raises FileRefusedError: when the file is not PA-X's CSV.
    """
    wanted = {c.casefold() for c in countries}

    def keep(raw: RawRow) -> bool:
        return not wanted or any(c.casefold() in wanted for c in pax.countries(raw))

    items, summary = _check(path, "agreements", pax.REQUIRED, pax.read_row, keep)
    items = _duplicates(items, "pax_id", "AgtId", summary)
    if summary.rejected and not skip_invalid:
        return summary
    options = {"countries": list(countries), "skip_invalid": skip_invalid}
    start_run(session, summary, options, user, run_by)
    by_pax = {
        a.pax_id: a for a in session.scalars(select(Agreement).where(Agreement.pax_id.isnot(None)))
    }
    slugs = set(session.scalars(select(Agreement.slug)))
    for item in items:
        record = by_pax.get(item.pax_id)
        if record is None:
            record = Agreement(
                slug=_unique(f"pax-{item.pax_id}", slugs),
                pax_id=item.pax_id,
                **_agreement_values(item, tz),
            )
            session.add(record)
            record_revision(session, record, user=user, action="agreement.import")
            _claims(session, record, item, user)
            by_pax[item.pax_id] = record
            summary.imported += 1
            continue
        changed = False
        if record.slug.startswith(f"pax-{item.pax_id}"):
            before = snapshot(record)
            for key, value in _agreement_values(item, tz).items():
                if getattr(record, key) != value:
                    setattr(record, key, value)
                    changed = True
            if changed:
                record_revision(
                    session, record, user=user, action="agreement.import", before=before
                )
        changed = _claims(session, record, item, user) or changed
        if changed:
            summary.updated += 1
        else:
            summary.unchanged += 1
    finish_run(session, summary, user)
    if summary.updated:
        rebuild_all(session)  # every agreement may hold what changed
    summary.written = True
    return summary


def _agreement_values(item: pax.PaxAgreement, tz: ZoneInfo) -> dict[str, Any]:
    name = item.name if len(item.name) <= 300 else item.name[:299] + "…"
    start = dt.datetime.combine(item.signed_on, dt.time(0), tzinfo=tz).astimezone(dt.UTC)
    return {
        "name_en": name,
        "kind": item.kind,
        "signed_on": item.signed_on,
        "effective_from": start,
        "is_unilateral": item.is_unilateral,
        "text_url": PAX_URL.format(item.pax_id),
    }


def _claims(
    session: Session, agreement: Agreement, item: pax.PaxAgreement, user: User | None
) -> bool:
    session.flush()
    ref = f"pax:{item.pax_id}"
    source = session.scalar(select(Source).where(Source.ref == ref))
    if source is None:
        source = Source(
            ref=ref,
            kind="dataset",
            title=f"PA-X agreement {item.pax_id}: {item.name}"[:500],
            url=PAX_URL.format(item.pax_id),
            publisher=PAX_PUBLISHER,
            reliability="B",
            created_by_id=user.id if user else None,
        )
        session.add(source)
        session.flush()
    existing = {
        link.claim: link
        for link in session.scalars(
            select(AgreementSource).where(
                AgreementSource.agreement_id == agreement.id,
                AgreementSource.source_id == source.id,
            )
        )
    }
    changed = False
    for column, claim in pax.CLAIMS.items():
        text = item.claims.get(column)
        link = existing.get(claim)
        if text is None:
            continue
        if link is None:
            session.add(
                AgreementSource(
                    agreement_id=agreement.id, source_id=source.id, claim=claim, excerpt=text
                )
            )
            changed = True
        elif link.excerpt != text:
            link.excerpt = text
            changed = True
    session.flush()
    return changed

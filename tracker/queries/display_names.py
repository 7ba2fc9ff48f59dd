"""Names for the report's presentation: records' Arabic names by their English ones, and the
names of admin areas by P-code."""

from __future__ import annotations

from sqlalchemy import select, union_all
from sqlalchemy.orm import Session

from tracker.models import Actor, Agreement, Place, Provision, Territory


def arabic_names(session: Session) -> dict[str, str]:
    """English name -> Arabic name of every place, actor, agreement, territory and provision
    title that has one (for pages whose data carries English names only)."""
    statement = union_all(
        *(
            select(model.name_en, model.name_ar).where(model.name_ar.is_not(None))
            for model in (Place, Actor, Agreement, Territory)
        ),
        select(Provision.title_en, Provision.title_ar).where(Provision.title_ar.is_not(None)),
    )
    return {en: ar for en, ar in session.execute(statement) if en and ar}


def admin_area_names(session: Session, pcodes: list[str]) -> dict[str, str]:
    """P-code -> name of the admin areas (governorate, district, sub-district) among
    ``pcodes`` that a place of the gazetteer lies in; places' own P-codes give their names."""
    wanted = set(pcodes)
    if not wanted:
        return {}
    found: dict[str, str] = {}
    for level in (1, 2, 3):
        code = getattr(Place, f"admin{level}_pcode")
        name = getattr(Place, f"admin{level}_name")
        rows = session.execute(
            select(code, name).where(code.in_(wanted), name.is_not(None)).distinct()
        )
        found.update({c: n for c, n in rows if c and n})
    rows = session.execute(select(Place.pcode, Place.name_en).where(Place.pcode.in_(wanted)))
    found.update({c: n for c, n in rows if c and n and c not in found})
    return found

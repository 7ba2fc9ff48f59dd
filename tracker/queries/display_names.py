"""Names for the report's presentation: records' Arabic names by their English ones, and the
names of admin areas by P-code."""

from __future__ import annotations

from sqlalchemy import select, union_all
from sqlalchemy.orm import Session

from tracker.models import Actor, AdminArea, Agreement, Place, Provision, Territory


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


def admin_area_names(session: Session, pcodes: list[str], language: str = "en") -> dict[str, str]:
    """P-code -> name of the admin areas among ``pcodes``: the loaded admin areas' names in
    ``language`` (English where no Arabic is known), else the names of the governorate,
    district or sub-district that places of the gazetteer give, else a place's own name."""
    wanted = set(pcodes)
    if not wanted:
        return {}
    areas = session.execute(
        select(AdminArea.pcode, AdminArea.name_en, AdminArea.name_ar).where(
            AdminArea.pcode.in_(wanted)
        )
    )
    named = {c: (ar if language == "ar" and ar else en) for c, en, ar in areas}
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
    return found | named

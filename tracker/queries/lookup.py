"""Finding places and actors by English or Arabic name, alias or transliteration."""

from __future__ import annotations

from sqlalchemy import case, or_, select
from sqlalchemy.orm import Session

from tracker.models import Actor, Place
from tracker.rules.names import fold, query_keys


def find_places(session: Session, query: str, *, limit: int = 20) -> list[Place]:
    """Places whose names, aliases or transliterations contain ``query``; names that start with
    it come first."""
    keys = query_keys(query)
    if not keys:
        return []
    starts = case((Place.search_key.contains(f"|{fold(query)}", autoescape=True), 0), else_=1)
    statement = (
        select(Place)
        .where(or_(*(Place.search_key.contains(k, autoescape=True) for k in keys)))
        .order_by(starts, Place.name_en, Place.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def find_actors(session: Session, query: str, *, limit: int = 20) -> list[Actor]:
    """Actors whose names, aliases or transliterations contain ``query``; names that start with
    it come first."""
    keys = query_keys(query)
    if not keys:
        return []
    starts = case((Actor.search_key.contains(f"|{fold(query)}", autoescape=True), 0), else_=1)
    statement = (
        select(Actor)
        .where(or_(*(Actor.search_key.contains(k, autoescape=True) for k in keys)))
        .order_by(starts, Actor.name_en, Actor.id)
        .limit(limit)
    )
    return list(session.scalars(statement))

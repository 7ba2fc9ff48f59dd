"""Finding the actors, places and sources an imported event names among those recorded
(by name, alias, spelling, transliteration, position and admin P-codes), or creating them."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from tracker.imports.events import ActorName, PlaceName
from tracker.imports.matching import (
    HOW_CREATED,
    AdminIndex,
    KnownPlace,
    NameIndex,
    choose_place,
    letters,
)
from tracker.models import (
    Actor,
    AdminArea,
    Place,
    Source,
)
from tracker.rules.names import fold, search_key
from tracker.services.import_runs import Overrides, Summary
from tracker.services.publishers import Publishers

#: Place answers remembered at most (then forgotten and found again).
PLACE_MEMORY = 100_000


_SLUG = re.compile(r"[^a-z0-9]+")


HOW_CHOSEN = "chosen by the analyst"


def unique_slug(slug: str, taken: set[str]) -> str:
    """``slug``, or ``slug-2``, ``slug-3``... when it is ``taken``; added to ``taken``."""
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    taken.add(candidate)
    return candidate


def _slug(name: str, taken: set[str]) -> str:
    base = _SLUG.sub("-", letters_or_ascii(name)).strip("-")[:100] or "imported"
    return unique_slug(base, taken)


def letters_or_ascii(name: str) -> str:
    """A lower-case ASCII form of a name for slugs (Arabic-only names give an empty string)."""
    return "".join(c for c in fold(name) if c.isascii())


def place_label(place: PlaceName) -> str:
    """How a place of an event is named in summaries and in the analyst's choices."""
    return ", ".join(p for p in (place.name, place.admin1, place.country) if p)


class Matcher:
    """Finds or creates the actors, places and sources that events name, remembering each
    name's answer for the rest of the import."""

    def __init__(
        self,
        session: Session,
        summary: Summary,
        user_id: int | None,
        overrides: Overrides | None = None,
    ) -> None:
        self.session = session
        self.summary = summary
        self.user_id = user_id
        self.overrides = overrides or Overrides()
        self.actor_index = NameIndex()
        self.actor_slugs: set[str] = set()
        for row in session.execute(
            select(Actor.id, Actor.slug, Actor.name_en, Actor.name_ar, Actor.aliases)
        ):
            self.actor_index.add(row.id, row.name_en, row.name_ar, row.aliases or [])
            self.actor_slugs.add(row.slug)
        self.place_index = NameIndex()
        self.places: dict[int, KnownPlace] = {}
        self.place_slugs: set[str] = set()
        self.place_pcodes: dict[str, int] = {}
        for p in session.execute(
            select(
                Place.id, Place.slug, Place.name_en, Place.name_ar, Place.aliases, Place.pcode,
                Place.admin1_name, Place.admin3_name, Place.latitude, Place.longitude,
            )
        ):  # fmt: skip
            self.place_index.add(p.id, p.name_en, p.name_ar, p.aliases or [])
            self.places[p.id] = KnownPlace(
                p.id, letters(p.admin1_name or ""), letters(p.admin3_name or ""),
                p.latitude, p.longitude,
            )  # fmt: skip
            self.place_slugs.add(p.slug)
            if p.pcode:
                self.place_pcodes[p.pcode] = p.id
        self.admin = AdminIndex()
        for a in session.execute(
            select(
                AdminArea.pcode, AdminArea.level, AdminArea.parent_pcode, AdminArea.name_en,
                AdminArea.name_ar, AdminArea.name_ref, AdminArea.geometry,
            )
        ):  # fmt: skip
            self.admin.add(
                a.pcode, a.level, a.parent_pcode, (a.name_en, a.name_ar, a.name_ref), a.geometry
            )
        self.source_ids: dict[str, int] = {}
        for s in session.execute(
            select(Source.id, Source.ref).where(Source.ref.like("publisher:%"))
        ):
            self.source_ids[s.ref] = s.id
        self.publishers = Publishers(session)
        self._actors: dict[str, int] = {}
        self._places: dict[tuple[Any, ...], int] = {}
        self._candidates: dict[str, tuple[list[int], str] | None] = {}

    def actor(self, actor: ActorName | None) -> int | None:
        if actor is None:
            return None
        known = self._actors.get(actor.name)
        if known is not None:
            return known
        found = self.actor_index.candidates(actor.name)
        chosen = self.overrides.actors.get(actor.name)
        if chosen is not None:
            actor_id, how = chosen, HOW_CHOSEN
        elif found is not None and len(found[0]) == 1:
            actor_id, how = found[0][0], found[1]
        else:
            actor_id, how = self._create_actor(actor), HOW_CREATED
        self._actors[actor.name] = actor_id
        self.summary.actors[actor.name] = how
        return actor_id

    def _create_actor(self, actor: ActorName) -> int:
        values: dict[str, Any] = {
            "slug": _slug(actor.name, self.actor_slugs),
            "name_en": actor.name,
            "aliases": [],
            "kind": actor.kind,
            "search_key": search_key([actor.name]),
        }
        actor_id: int = self.session.execute(
            insert(Actor).returning(Actor.id), [values]
        ).scalar_one()
        self.actor_index.add(actor_id, actor.name, None, [])
        return actor_id

    def place(self, place: PlaceName | None) -> int | None:
        if place is None:
            return None
        # remembered per name and 0.01-degree cell (about a kilometre), so that memory stays
        # bounded however many distinct points a file has
        cell = (
            (round(place.latitude, 2), round(place.longitude, 2))
            if place.latitude is not None and place.longitude is not None
            else None
        )
        key = (place.name, place.admin1, place.admin2, place.admin3, cell)
        known = self._places.get(key)
        if known is not None:
            return known
        label = place_label(place)
        place_id: int | None = self.overrides.places.get(label)
        how = HOW_CHOSEN if place_id is not None else HOW_CREATED
        found = self._place_candidates(place.name) if place.name else None
        if found is not None and place_id is None:
            chosen = choose_place(
                [self.places[i] for i in found[0] if i in self.places],
                place.admin1,
                place.latitude,
                place.longitude,
            )
            if chosen is not None:
                place_id, how = chosen.record_id, found[1]
        if place_id is None:
            place_id = self._create_place(place)
        if len(self._places) > PLACE_MEMORY:
            self._places.clear()
        self._places[key] = place_id
        self.summary.places[label] = how
        return place_id

    def _place_candidates(self, name: str) -> tuple[list[int], str] | None:
        if name not in self._candidates:
            self._candidates[name] = self.place_index.candidates(name)
        return self._candidates[name]

    def _create_place(self, place: PlaceName) -> int:
        codes = self.admin.codes(
            place.admin1, place.admin2, place.admin3, place.longitude, place.latitude
        )
        name = place.name or place.admin3 or place.admin2 or place.admin1 or place.country
        values: dict[str, Any] = {
            "slug": _slug(name, self.place_slugs),
            "name_en": name,
            "aliases": [],
            "kind": "other",
            "admin1_name": place.admin1 or None,
            "admin1_pcode": codes[0],
            "admin2_name": place.admin2 or None,
            "admin2_pcode": codes[1],
            "admin3_name": place.admin3 or None,
            "admin3_pcode": codes[2],
            "latitude": place.latitude,
            "longitude": place.longitude,
            "search_key": search_key([name]),
        }
        place_id: int = self.session.execute(
            insert(Place).returning(Place.id), [values]
        ).scalar_one()
        self.place_index.add(place_id, name, None, [])
        self._candidates.clear()
        self.places[place_id] = KnownPlace(
            place_id, letters(place.admin1), letters(place.admin3), place.latitude, place.longitude
        )
        return place_id

    def source(self, name: str) -> int:
        ref = f"publisher:{name.casefold()}"[:120]
        known = self.source_ids.get(ref)
        if known is not None:
            self.summary.sources.setdefault(name, "name")
            return known
        publisher = self.publishers.resolve(name)
        values = {
            "ref": ref,
            "kind": "news_article",
            "title": name[:500],
            "publisher": name[:300],
            "publisher_id": publisher.id if publisher else None,
            "reliability": "F",
            "created_by_id": self.user_id,
        }
        source_id: int = self.session.execute(
            insert(Source).returning(Source.id), [values]
        ).scalar_one()
        self.source_ids[ref] = source_id
        self.summary.sources[name] = HOW_CREATED
        return source_id

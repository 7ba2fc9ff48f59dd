"""Finding places and actors by any spelling: English or Arabic name, alias, transliteration,
typos; the best match first."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.models import Actor, Place
from tracker.rules.names import NameKeys, best_tier, keys_of, name_keys, rank_match

#: Matches ranked at or past this are guesses ("did you mean"): the same sounds or typos.
GUESS_RANK = 3.0


@dataclass(frozen=True)
class Match:
    """A record found for a typed name, and how well it matched (lower is better)."""

    record: Any
    rank: float

    @property
    def is_guess(self) -> bool:
        """Whether the typed text is only close to the record's names ("did you mean")."""
        return self.rank >= GUESS_RANK


_Table = list[tuple[int, str, list[NameKeys]]]
_cache: dict[tuple[str, str], tuple[tuple[int, ...], _Table]] = {}
_cache_lock = threading.Lock()


def _names_table(session: Session, model: type[Any]) -> _Table:
    """Every record's id, English name and name keys; kept between requests while the table's
    fingerprint (rows, largest id, total length of the search keys) stays the same."""
    fingerprint = tuple(
        int(v or 0)
        for v in session.execute(
            select(func.count(), func.max(model.id), func.sum(func.length(model.search_key)))
        ).one()
    )
    key = (str(session.get_bind().engine.url), model.__tablename__)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    rows = session.execute(select(model.id, model.name_en, model.name_ar, model.aliases))
    table = [
        (row_id, name_en, name_keys([name_en, name_ar, *(aliases or [])]))
        for row_id, name_en, name_ar, aliases in rows
    ]
    with _cache_lock:
        _cache[key] = (fingerprint, table)
    return table


def ranked(session: Session, model: type[Any], query: str, *, limit: int = 20) -> list[Match]:
    """The records of ``model`` (places or actors) that ``query`` names, best first: the whole
    name, the same name spelled a little differently, the start of a name, the same sounds,
    inside a name, then names a few typos away; Arabic spellings are folded (alef, hamza, ta
    marbuta, alef maqsura, tatweel, diacritics)."""
    keys = keys_of(query)
    if not keys.compact:
        return []
    tiered = []
    for row_id, name_en, names in _names_table(session, model):
        tier = best_tier(keys, names)
        if tier is not None:
            tiered.append((tier, row_id, name_en, names))
    # order within tiers only where it can change what is shown: the best tiers' records
    tiered.sort(key=lambda item: item[0])
    cut = tiered[limit - 1][0] if len(tiered) >= limit else None
    scored = []
    for tier, row_id, name_en, names in tiered:
        if cut is not None and tier > cut:
            break
        rank = rank_match(keys, names)
        if rank is not None:
            scored.append((rank, len(name_en), name_en, row_id))
    scored.sort()
    best = scored[:limit]
    if not best:
        return []
    records = {
        r.id: r for r in session.scalars(select(model).where(model.id.in_([b[3] for b in best])))
    }
    return [Match(records[row_id], rank) for rank, _n, _e, row_id in best if row_id in records]


def find_places(session: Session, query: str, *, limit: int = 20) -> list[Place]:
    """Places that ``query`` names, best first (see :func:`ranked`)."""
    return [m.record for m in ranked(session, Place, query, limit=limit)]


def find_actors(session: Session, query: str, *, limit: int = 20) -> list[Actor]:
    """Actors that ``query`` names, best first (see :func:`ranked`)."""
    return [m.record for m in ranked(session, Actor, query, limit=limit)]

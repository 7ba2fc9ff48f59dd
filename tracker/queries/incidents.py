"""Incident filters and keyset pages, shared by the list page, exports, reports and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Select, and_, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from tracker.models import Actor, Agreement, Incident, Place, Status
from tracker.rules.names import query_keys

#: Statuses that may appear in public reports and exports (never drafts or retracted ones).
PUBLIC_STATUSES = (Status.SUBMITTED, Status.VERIFIED, Status.DISPUTED, Status.REJECTED)


@dataclass
class IncidentFilters:
    """What the incidents list, its exports and the report links filter by."""

    agreement: str | None = None  # agreement slug
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    statuses: list[str] = field(default_factory=list)
    category: str | None = None
    perpetrator: str | None = None  # actor slug
    place_id: int | None = None
    text: str | None = None  # English, Arabic or transliterated words
    include_retracted: bool = False
    public: bool = False


def _text_condition(text: str) -> object:
    perpetrator = aliased(Actor)
    keys = query_keys(text)
    place_ids = select(Place.id).where(or_(*(Place.search_key.contains(k) for k in keys)))
    actor_ids = select(perpetrator.id).where(
        or_(*(perpetrator.search_key.contains(k) for k in keys))
    )
    return or_(
        *(Incident.search_key.contains(k) for k in keys),
        Incident.place_id.in_(place_ids),
        Incident.perpetrator_id.in_(actor_ids),
    )


def filtered(filters: IncidentFilters) -> Select[tuple[Incident]]:
    """A SELECT of the incidents that pass ``filters`` (unordered)."""
    query = select(Incident)
    conditions = []
    if filters.agreement:
        conditions.append(
            Incident.agreement_id
            == select(Agreement.id).where(Agreement.slug == filters.agreement).scalar_subquery()
        )
    if filters.date_from:
        conditions.append(Incident.occurred_on >= filters.date_from)
    if filters.date_to:
        conditions.append(Incident.occurred_on <= filters.date_to)
    if filters.statuses:
        conditions.append(Incident.status.in_(filters.statuses))
    if filters.public:
        conditions.append(Incident.status.in_([s.value for s in PUBLIC_STATUSES]))
    elif not filters.include_retracted and Status.RETRACTED not in filters.statuses:
        conditions.append(Incident.status != Status.RETRACTED)
    if filters.category:
        conditions.append(Incident.category == filters.category)
    if filters.perpetrator:
        conditions.append(
            Incident.perpetrator_id
            == select(Actor.id).where(Actor.slug == filters.perpetrator).scalar_subquery()
        )
    if filters.place_id:
        conditions.append(Incident.place_id == filters.place_id)
    if filters.text and filters.text.strip():
        conditions.append(_text_condition(filters.text))
    return query.where(and_(*conditions)) if conditions else query


def keyset_page(
    session: Session,
    filters: IncidentFilters,
    *,
    after: tuple[dt.date, int] | None = None,
    size: int = 50,
) -> list[Incident]:
    """The next ``size`` incidents, newest first, after the ``(occurred_on, id)`` key of the
    last row of the previous page. The key is folded into the date bound so that SQLite seeks
    instead of scanning at deep pages."""
    query = filtered(filters)
    if after is not None:
        last_day, last_id = after
        query = query.where(
            Incident.occurred_on <= last_day,
            tuple_(Incident.occurred_on, Incident.id) < tuple_(last_day, last_id),
        )
    query = query.order_by(Incident.occurred_on.desc(), Incident.id.desc()).limit(size)
    return list(session.scalars(query))

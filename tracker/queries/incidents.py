"""Incident filters and keyset pages, shared by the list page, exports, reports and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from sqlalchemy import ColumnElement, Select, and_, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from tracker.models import Actor, Agreement, Incident, Place, Status
from tracker.rules.names import query_keys
from tracker.rules.values import parse_day, parse_id

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
    oldest_first: bool = False  # the list's order; newest first by default

    @classmethod
    def from_args(cls, args: Mapping[str, str], *, public: bool = False) -> IncidentFilters:
        """Filters from query-string arguments (``agreement``, ``from``, ``to``, ``status``
        (comma-separated), ``category``, ``perpetrator``, ``place``, ``q``, ``retracted``);
        unreadable values are ignored, never an error page.

        Use :func:`filter_errors` to tell the user which values were ignored."""
        statuses = [s for s in (args.get("status") or "").split(",") if s in set(Status)]
        return cls(
            agreement=args.get("agreement") or None,
            date_from=_date_or_none(args.get("from")),
            date_to=_date_or_none(args.get("to")),
            statuses=statuses,
            category=args.get("category") or None,
            perpetrator=args.get("perpetrator") or None,
            place_id=_int_or_none(args.get("place")),
            text=(args.get("q") or "").strip() or None,
            include_retracted=args.get("retracted") in {"1", "on", "true"},
            public=public,
            oldest_first=args.get("order") == "oldest",
        )

    def as_args(self) -> dict[str, str]:
        """The query-string arguments that rebuild these filters (for links and exports)."""
        values = {
            "agreement": self.agreement,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "status": ",".join(self.statuses) or None,
            "category": self.category,
            "perpetrator": self.perpetrator,
            "place": str(self.place_id) if self.place_id else None,
            "q": self.text,
            "retracted": "1" if self.include_retracted else None,
            "order": "oldest" if self.oldest_first else None,
        }
        return {k: v for k, v in values.items() if v}


def filter_errors(args: Mapping[str, str]) -> dict[str, str]:
    """Messages for the filter arguments that :meth:`IncidentFilters.from_args` had to ignore."""
    errors = {}
    for key in ("from", "to"):
        if args.get(key) and _date_or_none(args.get(key)) is None:
            errors[key] = f"{args[key][:40]!r} is not a date (YYYY-MM-DD); it was ignored."
    if args.get("place") and _int_or_none(args.get("place")) is None:
        errors["place"] = f"{args['place'][:40]!r} is not a place number; it was ignored."
    return errors


def _date_or_none(value: str | None) -> dt.date | None:
    return parse_day(value)


def _int_or_none(value: str | None) -> int | None:
    return parse_id(value)


def _text_condition(text: str) -> ColumnElement[bool]:
    perpetrator = aliased(Actor)
    keys = query_keys(text)
    place_ids = select(Place.id).where(
        or_(*(Place.search_key.contains(k, autoescape=True) for k in keys))
    )
    actor_ids = select(perpetrator.id).where(
        or_(*(perpetrator.search_key.contains(k, autoescape=True) for k in keys))
    )
    return or_(
        *(Incident.search_key.contains(k, autoescape=True) for k in keys),
        Incident.place_id.in_(place_ids),
        Incident.perpetrator_id.in_(actor_ids),
    )


def public_scope(public: bool) -> ColumnElement[bool]:
    """The statuses an audience sees: the public ones, or all but retracted."""
    if public:
        return Incident.status.in_([s.value for s in PUBLIC_STATUSES])
    return Incident.status != Status.RETRACTED


def filtered(filters: IncidentFilters) -> Select[Incident]:
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
    if filters.public or (
        not filters.include_retracted and Status.RETRACTED not in filters.statuses
    ):
        conditions.append(public_scope(filters.public))
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
    """The next ``size`` incidents in the list's order (newest first unless
    ``filters.oldest_first``), after the ``(occurred_on, id)`` key of the last row of the
    previous page. The key is folded into the date bound so that SQLite seeks instead of
    scanning at deep pages."""
    key = tuple_(Incident.occurred_on, Incident.id)
    if after is None:
        query = filtered(filters)
    elif filters.oldest_first:
        last_day, last_id = after
        bounded = replace(filters, date_from=max(filters.date_from or last_day, last_day))
        query = filtered(bounded).where(key > tuple_(last_day, last_id))
    else:
        last_day, last_id = after
        bounded = replace(filters, date_to=min(filters.date_to or last_day, last_day))
        query = filtered(bounded).where(key < tuple_(last_day, last_id))
    if filters.oldest_first:
        query = query.order_by(Incident.occurred_on.asc(), Incident.id.asc())
    else:
        query = query.order_by(Incident.occurred_on.desc(), Incident.id.desc())
    return list(session.scalars(query.limit(size)))

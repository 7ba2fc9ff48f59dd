"""Incident filters and keyset pages, shared by the list page, exports, reports and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session

from tracker.models import Actor, Agreement, Incident, IncidentVerdict, Status
from tracker.queries.listing import Page, SortOrder, keyset_page
from tracker.queries.search_match import incident_match
from tracker.queries.visibility import incident_rows
from tracker.rules.applicability import FINDING_OF_VERDICT, VERDICT_OF_FINDING, Verdict
from tracker.rules.values import parse_day, parse_id

#: Statuses whose incidents a report counts: reviewed or waiting for review. Drafts and
#: rejected incidents are never counted (the report says how many it left out).
COUNTED_STATUSES = (Status.VERIFIED, Status.SUBMITTED, Status.DISPUTED)


@dataclass
class IncidentFilters:
    """What the incidents list, its exports and the report links filter by."""

    #: an agreement's slug: the incidents its report counts (every agreement they fall under
    #: is judged; see :class:`tracker.models.IncidentVerdict`)
    agreement: str | None = None
    #: with ``agreement``: only the incidents of this verdict against it
    verdict: str | None = None
    #: an agreement's slug: the incidents a source or analyst filed under it
    alleged: str | None = None
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
    ranked: bool = False  # with text: most relevant first (the default when searching)

    @classmethod
    def from_args(cls, args: Mapping[str, str], *, public: bool = False) -> IncidentFilters:
        """Filters from query-string arguments (``agreement``, ``from``, ``to``, ``status``
        (comma-separated), ``category``, ``perpetrator``, ``place``, ``q``, ``retracted``);
        unreadable values are ignored, never an error page.

        Use :func:`filter_errors` to tell the user which values were ignored."""
        statuses = [s for s in (args.get("status") or "").split(",") if s in set(Status)]
        text = (args.get("q") or "").strip() or None
        verdict = args.get("verdict") or None
        return cls(
            agreement=args.get("agreement") or None,
            verdict=verdict if verdict in set(Verdict) else None,
            alleged=args.get("alleged") or None,
            date_from=_date_or_none(args.get("from")),
            date_to=_date_or_none(args.get("to")),
            statuses=statuses,
            category=args.get("category") or None,
            perpetrator=args.get("perpetrator") or None,
            place_id=_int_or_none(args.get("place")),
            text=text,
            include_retracted=args.get("retracted") in {"1", "on", "true"},
            public=public,
            oldest_first=args.get("order") == "oldest",
            ranked=text is not None and args.get("order") not in {"newest", "oldest"},
        )

    def as_args(self) -> dict[str, str]:
        """The query-string arguments that rebuild these filters (for links and exports)."""
        values = {
            "agreement": self.agreement,
            "verdict": self.verdict,
            "alleged": self.alleged,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "status": ",".join(self.statuses) or None,
            "category": self.category,
            "perpetrator": self.perpetrator,
            "place": str(self.place_id) if self.place_id else None,
            "q": self.text,
            "retracted": "1" if self.include_retracted else None,
            "order": "oldest"
            if self.oldest_first
            else ("newest" if self.text and not self.ranked else None),
        }
        return {k: v for k, v in values.items() if v}


def filter_errors(args: Mapping[str, str]) -> dict[str, str]:
    """Messages for the filter arguments that :meth:`IncidentFilters.from_args` had to ignore."""
    errors = {}
    for key in ("from", "to"):
        if args.get(key) and _date_or_none(args.get(key)) is None:
            errors[key] = f"{args[key][:40]!r} is not a date (YYYY-MM-DD); it was ignored."
    if args.get("verdict") and args["verdict"] not in set(Verdict):
        errors["verdict"] = f"{args['verdict'][:40]!r} is not a verdict; it was ignored."
    elif args.get("verdict") and not args.get("agreement"):
        errors["verdict"] = "A verdict is judged against an agreement: choose one to filter by it."
    if args.get("place") and _int_or_none(args.get("place")) is None:
        errors["place"] = f"{args['place'][:40]!r} is not a place number; it was ignored."
    return errors


def _date_or_none(value: str | None) -> dt.date | None:
    return parse_day(value)


def _int_or_none(value: str | None) -> int | None:
    return parse_id(value)


def _agreement_id(slug: str) -> ColumnElement[int]:
    return select(Agreement.id).where(Agreement.slug == slug).scalar_subquery()


def judged_by(filters: IncidentFilters) -> bool:
    """Whether ``filters`` read the stored verdicts (an agreement is chosen): the list's key
    is then the verdict rows' own copy of the incident's day and id."""
    return bool(filters.agreement)


def list_key(filters: IncidentFilters) -> tuple[Any, Any]:
    """The columns of the list's ``(day, id)`` key (indexed for the filters' query)."""
    if judged_by(filters):
        return IncidentVerdict.occurred_on, IncidentVerdict.incident_id
    return Incident.occurred_on, Incident.id


def filtered(filters: IncidentFilters) -> Select[Incident]:
    """A SELECT of the incidents that pass ``filters`` (unordered).

    With an agreement, the incidents its report counts: those with a stored verdict against
    it that the report includes, of the verdict asked for, and (unless statuses are chosen)
    of the statuses a report counts (:data:`COUNTED_STATUSES`)."""
    query = select(Incident)
    day, _key = list_key(filters)
    conditions: list[ColumnElement[bool]] = []
    if filters.agreement:
        query = query.join(
            IncidentVerdict,
            and_(
                IncidentVerdict.incident_id == Incident.id,
                IncidentVerdict.agreement_id == _agreement_id(filters.agreement),
            ),
        )
        conditions.append(IncidentVerdict.in_report.is_(True))
        if filters.verdict:
            finding = int(FINDING_OF_VERDICT[Verdict(filters.verdict)])
            conditions.append(IncidentVerdict.finding == finding)
        if not filters.statuses:
            conditions.append(Incident.status.in_([str(s) for s in COUNTED_STATUSES]))
    if filters.alleged:
        conditions.append(Incident.alleged_agreement_id == _agreement_id(filters.alleged))
    if filters.date_from:
        conditions.append(day >= filters.date_from)
    if filters.date_to:
        conditions.append(day <= filters.date_to)
    if filters.statuses:
        conditions.append(Incident.status.in_(filters.statuses))
    retracted = filters.include_retracted or Status.RETRACTED in filters.statuses
    conditions.append(incident_rows(public=filters.public, retracted=retracted))
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
        conditions.append(incident_match(filters.text))
    return query.where(and_(*conditions)) if conditions else query


def list_order(filters: IncidentFilters) -> SortOrder:
    """The order of the incidents list: by day and id, newest first unless
    ``filters.oldest_first``."""
    day, _number = list_key(filters)
    return SortOrder(day, descending=not filters.oldest_first, is_date=True)


def listed_incidents(
    session: Session,
    filters: IncidentFilters,
    *,
    after: tuple[dt.date, int] | None = None,
    size: int = 50,
) -> Page[Incident]:
    """The next ``size`` incidents in the list's order (:func:`list_order`), after the
    ``(occurred_on, id)`` key of the last row of the previous page. The page's day also
    narrows the filters' date range, so that the query holds one bound on the day, not two
    (with two, SQLite seeks by the wider one and reads every row between them)."""
    _day, number = list_key(filters)
    bounded = filters
    if after is not None:
        last_day = after[0]
        if filters.oldest_first:
            bounded = replace(filters, date_from=max(filters.date_from or last_day, last_day))
        else:
            bounded = replace(filters, date_to=min(filters.date_to or last_day, last_day))
    return keyset_page(
        session, filtered(bounded), list_order(filters), number, after=after, size=size
    )


def count_incidents(session: Session, filters: IncidentFilters) -> int:
    """How many incidents pass ``filters`` (the number a list of them would show)."""
    subquery = filtered(filters).with_only_columns(Incident.id).subquery()
    return int(session.scalar(select(func.count()).select_from(subquery)) or 0)


@dataclass(frozen=True)
class AgreementVerdicts:
    """How many incidents of a set each agreement's report counts, by verdict."""

    agreement: Agreement
    verdicts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.verdicts.values())


def verdicts_by_agreement(
    session: Session, condition: ColumnElement[bool], *, public: bool
) -> list[AgreementVerdicts]:
    """For the incidents matching ``condition``, the stored verdicts that each agreement's
    report counts (in report, counted statuses, seen by the audience), by agreement."""
    rows = session.execute(
        select(IncidentVerdict.agreement_id, IncidentVerdict.finding, func.count())
        .join(Incident, Incident.id == IncidentVerdict.incident_id)
        .where(
            condition,
            IncidentVerdict.in_report.is_(True),
            Incident.status.in_([str(s) for s in COUNTED_STATUSES]),
            incident_rows(public=public),
        )
        .group_by(IncidentVerdict.agreement_id, IncidentVerdict.finding)
    ).all()
    counts: dict[int, dict[str, int]] = {}
    for agreement_id, finding, count in rows:
        verdict = str(VERDICT_OF_FINDING[finding])
        counts.setdefault(agreement_id, {})[verdict] = count
    agreements = session.scalars(
        select(Agreement).where(Agreement.id.in_(list(counts))).order_by(Agreement.effective_from)
    )
    return [AgreementVerdicts(a, counts[a.id]) for a in agreements]

"""Reads of sources: the list page, search by title, and the incidents that cite a source."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from tracker.models import Incident, IncidentSource, Source
from tracker.queries.listing import Page, SortOrder, keyset_page
from tracker.queries.visibility import source_rows

#: The sources list's order: newest entry first.
SOURCE_ORDER = SortOrder(None, descending=True)


def find_sources(session: Session, query: str, *, public: bool, limit: int = 20) -> list[Source]:
    """Active sources whose title or publisher contains ``query`` (any letter case), newest
    first, of those a public or staff audience sees (:func:`source_rows`)."""
    text = query.strip().lower()
    if not text:
        return []
    statement = select(Source).where(
        source_rows(public=public),
        or_(
            func.lower(Source.title).contains(text, autoescape=True),
            func.lower(Source.publisher).contains(text, autoescape=True),
        ),
    )
    statement = statement.order_by(Source.published_at.desc(), Source.id.desc()).limit(limit)
    return list(session.scalars(statement))


def source_page(
    session: Session,
    *,
    query: str | None,
    public: bool,
    retracted: bool,
    after: tuple[Any, int] | None = None,
    size: int = 50,
) -> Page[Source]:
    """A page of the sources a public or staff audience sees (``retracted``: with the staff's
    retracted ones), newest entry first (:data:`SOURCE_ORDER`), after the page key ``after``
    (see :meth:`tracker.queries.listing.SortOrder.read`)."""
    statement = select(Source).where(source_rows(public=public, retracted=retracted))
    if query and query.strip():
        text = query.strip().lower()
        statement = statement.where(
            or_(
                func.lower(Source.title).contains(text, autoescape=True),
                func.lower(Source.publisher).contains(text, autoescape=True),
            )
        )
    return keyset_page(session, statement, SOURCE_ORDER, Source.id, after=after, size=size)


def citing_incidents(session: Session, source_id: int) -> list[tuple[IncidentSource, Incident]]:
    """The links of a source to incidents with the incidents, newest incident first."""
    statement = (
        select(IncidentSource, Incident)
        .join(Incident, Incident.id == IncidentSource.incident_id)
        .options(joinedload(Incident.place))
        .where(IncidentSource.source_id == source_id)
        .order_by(Incident.occurred_on.desc(), Incident.id.desc())
    )
    return [(link, incident) for link, incident in session.execute(statement)]

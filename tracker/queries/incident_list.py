"""A page of the incidents list with the verdicts, loaded in a few queries."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from tracker.models import (
    Actor,
    Agreement,
    Incident,
    IncidentVerdict,
    Place,
)
from tracker.queries.incidents import IncidentFilters, listed_incidents
from tracker.rules.applicability import VERDICT_OF_FINDING, Finding, Verdict


class Choice(NamedTuple):
    """One option of a filter's drop-down: the value sent and the name shown."""

    value: str
    label: str


def _name_in(model: Any, locale: str) -> ColumnElement[str]:
    """The record's name in ``locale``, else in the other language, else empty (as
    :func:`tracker.i18n.localized` chooses it), computed by the database."""
    first, second = (
        (model.name_ar, model.name_en) if locale == "ar" else (model.name_en, model.name_ar)
    )
    return func.coalesce(func.nullif(first, ""), func.nullif(second, ""), "")


def filter_choices(session: Session, locale: str) -> tuple[list[Choice], list[Choice]]:
    """The agreements (by effective date) and the actors (by English name) that the list's
    filters offer, as slugs and names in ``locale``: two narrow queries, no objects."""
    agreements = session.execute(
        select(Agreement.slug, _name_in(Agreement, locale)).order_by(Agreement.effective_from)
    )
    actors = session.execute(select(Actor.slug, _name_in(Actor, locale)).order_by(Actor.name_en))
    return [Choice(*row) for row in agreements], [Choice(*row) for row in actors]


def preload(session: Session, incidents: list[Incident]) -> None:
    """Load what a list shows of a page of incidents (the place, the perpetrator and the
    alleged agreement, by name) in three queries and attach it to the incidents, instead of
    one query per incident and relation. The verdicts are read from the store
    (:func:`stored_verdicts`), so nothing the rule reads is loaded."""
    if not incidents:
        return
    related: tuple[tuple[str, Any, set[int | None]], ...] = (
        ("place", Place, {i.place_id for i in incidents}),
        ("perpetrator", Actor, {i.perpetrator_id for i in incidents}),
        ("alleged_agreement", Agreement, {i.alleged_agreement_id for i in incidents}),
    )
    for name, model, wanted in related:
        ids = sorted(x for x in wanted if x is not None)
        found = {r.id: r for r in session.scalars(select(model).where(model.id.in_(ids)))}
        for incident in incidents:
            set_committed_value(incident, name, found.get(getattr(incident, f"{name}_id") or 0))


def stored_verdicts(
    session: Session, incidents: list[Incident], agreement_slug: str | None = None
) -> dict[int, Verdict]:
    """The stored verdict of each incident against the agreement ``agreement_slug`` (by
    default, against the incident's alleged agreement); incidents without one are left out.

    Every stored verdict of the page's incidents is read by key (a few per incident) and the
    agreement's picked here: asked for the incidents and the agreement together, SQLite 3.40
    read the agreement's whole index instead (80 ms at 800,000 verdicts against 0.2 ms)."""
    if not incidents:
        return {}
    if agreement_slug is not None:
        agreement_id = session.scalar(select(Agreement.id).where(Agreement.slug == agreement_slug))
        against = {i.id: agreement_id for i in incidents}
    else:
        against = {i.id: i.alleged_agreement_id for i in incidents}
    rows = session.execute(
        select(
            IncidentVerdict.incident_id, IncidentVerdict.agreement_id, IncidentVerdict.finding
        ).where(IncidentVerdict.incident_id.in_(sorted(against)))
    )
    return {
        incident_id: VERDICT_OF_FINDING[Finding(finding)]
        for incident_id, agreement_id, finding in rows
        if against[incident_id] == agreement_id
    }


def incident_page(
    session: Session,
    filters: IncidentFilters,
    after: tuple[dt.date, int] | None,
    size: int,
) -> tuple[list[Incident], dict[int, Verdict], str | None]:
    """A page of incidents, their stored verdicts (against the filtered agreement, else the
    alleged one) and the page key of the next page (None at the end)."""
    page = listed_incidents(session, filters, after=after, size=size)
    incidents = list(page.items)
    preload(session, incidents)
    return incidents, stored_verdicts(session, incidents, filters.agreement), page.next_key

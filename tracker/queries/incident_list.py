"""A page of the incidents list with the verdicts, loaded in a few queries."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from tracker.models import (
    Actor,
    Agreement,
    AgreementParty,
    Incident,
    IncidentVerdict,
    Place,
    Provision,
    incident_provisions,
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
    """Load what the list reads of a page of incidents in a few queries and
    attach it to the incidents (instead of one query per incident and relation)."""
    if not incidents:
        return
    place_ids = {i.place_id for i in incidents if i.place_id is not None}
    places = {p.id: p for p in session.scalars(select(Place).where(Place.id.in_(place_ids)))}
    agreement_ids = {
        i.alleged_agreement_id for i in incidents if i.alleged_agreement_id is not None
    }
    agreements = {
        a.id: a
        for a in session.scalars(
            select(Agreement)
            .where(Agreement.id.in_(agreement_ids))
            .options(
                selectinload(Agreement.parties).selectinload(AgreementParty.actor),
                selectinload(Agreement.territories),
            )
        )
    }
    breached: dict[int, list[Provision]] = {i.id: [] for i in incidents}
    rows = session.execute(
        select(incident_provisions.c.incident_id, Provision)
        .join(Provision, Provision.id == incident_provisions.c.provision_id)
        .where(incident_provisions.c.incident_id.in_(list(breached)))
        .order_by(Provision.code)
    )
    for incident_id, provision in rows:
        breached[incident_id].append(provision)
    actor_ids = {i.perpetrator_id for i in incidents} | {i.claimed_target_id for i in incidents}
    actors = _load_actor_trees(session, {a for a in actor_ids if a is not None})
    for incident in incidents:
        set_committed_value(incident, "place", places.get(incident.place_id or 0))
        set_committed_value(
            incident, "alleged_agreement", agreements.get(incident.alleged_agreement_id or 0)
        )
        set_committed_value(incident, "provisions", breached[incident.id])
        set_committed_value(incident, "perpetrator", actors.get(incident.perpetrator_id or 0))
        set_committed_value(incident, "claimed_target", actors.get(incident.claimed_target_id or 0))


def _load_actor_trees(session: Session, actor_ids: set[int]) -> dict[int, Actor]:
    """The actors, with their parents and two levels of members attached, loaded in a few
    queries (the verdict reads them all), by id."""
    known: dict[int, Actor] = {}
    wanted = set(actor_ids)
    while wanted:
        rows = session.scalars(select(Actor).where(Actor.id.in_(wanted))).all()
        known.update({a.id: a for a in rows})
        wanted = {a.parent_id for a in rows if a.parent_id is not None} - set(known)
    level = set(actor_ids)
    for _depth in range(2):
        children = session.scalars(
            select(Actor).where(Actor.parent_id.in_(level)).order_by(Actor.slug)
        ).all()
        known.update({c.id: c for c in children})
        members: dict[int, list[Actor]] = {parent: [] for parent in level}
        for child in children:
            members[child.parent_id or 0].append(child)
        for parent, found in members.items():
            set_committed_value(known[parent], "members", found)
        level = {c.id for c in children}
    for actor in known.values():
        set_committed_value(actor, "parent", known.get(actor.parent_id or 0))
    return known


def stored_verdicts(
    session: Session, incidents: list[Incident], agreement_slug: str | None = None
) -> dict[int, Verdict]:
    """The stored verdict of each incident against the agreement ``agreement_slug`` (by
    default, against the incident's alleged agreement); incidents without one are left out."""
    if not incidents:
        return {}
    ids = [i.id for i in incidents]
    query = select(IncidentVerdict.incident_id, IncidentVerdict.finding).where(
        IncidentVerdict.incident_id.in_(ids)
    )
    if agreement_slug is not None:
        agreement = select(Agreement.id).where(Agreement.slug == agreement_slug)
        query = query.where(IncidentVerdict.agreement_id == agreement.scalar_subquery())
    else:
        query = query.join(Incident, Incident.id == IncidentVerdict.incident_id).where(
            IncidentVerdict.agreement_id == Incident.alleged_agreement_id
        )
    return {
        incident_id: VERDICT_OF_FINDING[Finding(finding)]
        for incident_id, finding in session.execute(query)
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

"""Applicability of stored incidents: facts gathered from the records, judged by the rules."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import object_session, selectinload

from tracker.models import Actor, Agreement, Incident
from tracker.rules.applicability import (
    ActorFacts,
    AgreementFacts,
    Assessment,
    IncidentFacts,
    ProvisionFacts,
    TerritoryFacts,
    assess,
)


def actor_facts(actor: Actor | None) -> ActorFacts | None:
    """The actor, its parents and (for a coalition) its members, as the rules see them."""
    if actor is None:
        return None
    return _actor_facts(actor, depth=0)


def _actor_facts(actor: Actor, depth: int) -> ActorFacts:
    chain = tuple((a.slug, a.name_en, tuple(a.aliases or ())) for a in actor.ancestry())
    members = tuple(_actor_facts(m, depth + 1) for m in actor.members) if depth < 2 else ()
    return ActorFacts(chain, members)


def agreement_facts(agreement: Agreement) -> AgreementFacts:
    """The agreement's window, parties, excluded names and territories, as the rules see them."""
    roles: dict[str, set[str]] = defaultdict(set)
    excluded: dict[str, tuple[str, ...]] = {}
    for party in agreement.parties:
        roles[party.actor.slug].add(party.role)
        if party.role == "excluded":
            actor = party.actor
            names = (actor.name_en, actor.name_ar, *(actor.aliases or ()))
            excluded[actor.slug] = tuple(n for n in names if n)
    return AgreementFacts(
        slug=agreement.slug,
        name=agreement.name_en,
        effective_from=agreement.effective_from,
        expires_at=agreement.expires_at,
        is_unilateral=agreement.is_unilateral,
        roles={slug: frozenset(r) for slug, r in roles.items()},
        excluded_names=excluded,
        territories=tuple(
            TerritoryFacts(
                name=t.name_en,
                geometry=t.geometry,
                admin_pcodes=frozenset(t.admin_pcodes or ()),
            )
            for t in agreement.territories
        ),
    )


def incident_facts(incident: Incident, *, with_actors: bool = True) -> IncidentFacts:
    """The incident's date range, place, actors (unless ``with_actors`` is false) and breached
    provisions, as the rules see them."""
    place = incident.place
    return IncidentFacts(
        start=incident.occurred_start,
        end=incident.occurred_end,
        precision=incident.date_precision,
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
        location_precision=incident.location_precision,
        pcodes=frozenset(place.admin_pcodes) if place else frozenset(),
        perpetrator=actor_facts(incident.perpetrator) if with_actors else None,
        claimed_target=actor_facts(incident.claimed_target) if with_actors else None,
        claimed_justification=incident.claimed_justification,
        provisions=tuple(
            ProvisionFacts(p.code, p.title_en, p.deadline) for p in incident.provisions
        ),
    )


def assess_incident(incident: Incident, agreement: Agreement | None = None) -> Assessment | None:
    """Judge the incident against ``agreement`` (its own by default); None when it has none."""
    agreement = agreement or incident.agreement
    if agreement is None:
        return None
    return assess(incident_facts(incident), agreement_facts(agreement))


def assess_many(incidents: list[Incident]) -> dict[int, Assessment]:
    """Judge many incidents with a handful of queries: the actors (with their members) are
    loaded once, and each agreement's and actor's facts are built once."""
    if not incidents:
        return {}
    session = object_session(incidents[0])
    if session is not None:
        session.scalars(select(Actor).options(selectinload(Actor.members))).all()
    agreements: dict[int, AgreementFacts] = {}
    actors: dict[int, ActorFacts | None] = {}

    def facts_of(actor: Actor | None) -> ActorFacts | None:
        if actor is None:
            return None
        if actor.id not in actors:
            actors[actor.id] = actor_facts(actor)
        return actors[actor.id]

    verdicts: dict[int, Assessment] = {}
    for incident in incidents:
        agreement = incident.agreement
        if agreement is None:
            continue
        if agreement.id not in agreements:
            agreements[agreement.id] = agreement_facts(agreement)
        facts = replace(
            incident_facts(incident, with_actors=False),
            perpetrator=facts_of(incident.perpetrator),
            claimed_target=facts_of(incident.claimed_target),
        )
        verdicts[incident.id] = assess(facts, agreements[agreement.id])
    return verdicts

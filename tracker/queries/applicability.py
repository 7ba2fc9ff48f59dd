"""Applicability of stored incidents: facts gathered from the records, judged by the rules."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, inspect, select
from sqlalchemy.orm import Session, object_session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from tracker.models import (
    Actor,
    Agreement,
    AgreementParty,
    Incident,
    IncidentVerdict,
    Place,
    Provision,
)
from tracker.models import incident_provisions as provision_links
from tracker.queries.boundaries import smallest_areas
from tracker.queries.id_lists import among
from tracker.rules.applicability import (
    VERDICT_OF_FINDING,
    ActorFacts,
    AgreementFacts,
    Assessment,
    IncidentFacts,
    Judgement,
    ProvisionFacts,
    TerritoryFacts,
    Verdict,
    assess,
    judge,
)


def actor_facts(
    actor: Actor | None, roles: Mapping[str, frozenset[str]] | None = None
) -> ActorFacts | None:
    """The actor, its parents and (for a coalition) its members, as the rules see them. With
    an agreement's ``roles``, members are looked up only for a coalition that holds no role
    itself (the only case where the rules read them)."""
    if actor is None:
        return None
    return _actor_facts(actor, roles, Actor.ancestry, _members)


def _actor_facts(
    actor: Any,
    roles: Mapping[str, frozenset[str]] | None,
    ancestry_of: Callable[[Any], list[Any]],
    members_of: Callable[[Any], list[Any]],
    depth: int = 0,
) -> ActorFacts:
    """The facts of ``actor`` (a mapped actor or a row with its names), its parents given by
    ``ancestry_of`` (itself first) and its members by ``members_of``."""
    ancestry = ancestry_of(actor)
    chain = tuple((a.slug, a.name_en, tuple(a.aliases or ())) for a in ancestry)
    arabic = tuple(a.name_ar for a in ancestry)
    has_role = roles is not None and any(a.slug in roles for a in ancestry)
    if depth >= 2 or has_role:
        return ActorFacts(chain, arabic_names=arabic)
    members = tuple(
        _actor_facts(m, roles, ancestry_of, members_of, depth + 1) for m in members_of(actor)
    )
    return ActorFacts(chain, members, arabic)


def _members(actor: Actor) -> list[Actor]:
    """The actor's members; when they are not loaded yet, read with their own members (which
    :func:`_actor_facts` reads next) in two statements, rather than one statement a member."""
    session = object_session(actor)
    if session is None or "members" not in inspect(actor).unloaded:
        return actor.members
    members = list(
        session.scalars(
            select(Actor)
            .where(Actor.parent_id == actor.id)
            .order_by(Actor.slug)
            .options(selectinload(Actor.members))
        )
    )
    set_committed_value(actor, "members", members)
    return members


def judged_agreements() -> Select[Agreement]:
    """A SELECT of agreements with what the rule reads of them (parties with their actors,
    provisions, territories) loaded."""
    return select(Agreement).options(
        selectinload(Agreement.parties).selectinload(AgreementParty.actor),
        selectinload(Agreement.provisions),
        selectinload(Agreement.territories),
    )


def judged_incidents() -> Select[Incident]:
    """A SELECT of incidents with what the rule reads of them (place, perpetrator, claimed
    target, breached provisions) loaded."""
    return select(Incident).options(
        selectinload(Incident.place),
        selectinload(Incident.perpetrator),
        selectinload(Incident.claimed_target),
        selectinload(Incident.provisions).selectinload(Provision.agreement),
    )


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
                name_ar=t.name_ar,
            )
            for t in agreement.territories
        ),
    )


def _known(
    actor: Actor | None,
    roles: Mapping[str, frozenset[str]] | None,
    actors: dict[int, ActorFacts | None] | None,
) -> ActorFacts | None:
    """:func:`actor_facts`, remembered in ``actors`` (by actor id) when it is given."""
    if actor is None or actors is None:
        return actor_facts(actor, roles)
    if actor.id not in actors:
        actors[actor.id] = actor_facts(actor, roles)
    return actors[actor.id]


def incident_facts(
    incident: Incident,
    roles: Mapping[str, frozenset[str]] | None = None,
    actors: dict[int, ActorFacts | None] | None = None,
) -> IncidentFacts:
    """The incident's date range, place, actors and breached provisions, as the rules see them
    (``roles``: those of the agreement it is judged against, see :func:`actor_facts`)."""
    place = incident.place
    area = None
    session = object_session(place) if place and place.latitude is None else None
    if place and session:
        shape = smallest_areas(session, {place.id: frozenset(place.admin_pcodes)}).get(place.id)
        area = json.loads(shape) if shape else None
    return IncidentFacts(
        start=incident.occurred_start,
        end=incident.occurred_end,
        precision=incident.date_precision,
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
        location_precision=incident.location_precision,
        pcodes=frozenset(place.admin_pcodes) if place else frozenset(),
        area=area,
        perpetrator=_known(incident.perpetrator, roles, actors),
        claimed_target=_known(incident.claimed_target, roles, actors),
        claimed_justification=incident.claimed_justification,
        provisions=tuple(
            ProvisionFacts(p.code, p.title_en, p.deadline, p.agreement.slug)
            for p in incident.provisions
        ),
        category=incident.category,
    )


class ActorTree:
    """Every actor as plain rows, read in one statement, giving :class:`ActorFacts` as
    :func:`actor_facts` gives them from mapped actors (for reads of many incidents, where
    loading the mapped actors with their members costs more than the rule itself)."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(
            select(
                Actor.id, Actor.slug, Actor.name_en, Actor.name_ar, Actor.aliases, Actor.parent_id
            )
        ).all()
        self._rows = {row.id: row for row in rows}
        self._members: dict[int, list[Any]] = defaultdict(list)
        for row in sorted(rows, key=lambda r: r.slug):
            if row.parent_id is not None:
                self._members[row.parent_id].append(row)
        self._known: dict[int, ActorFacts] = {}

    def facts(self, actor_id: int | None, roles: Mapping[str, frozenset[str]]) -> ActorFacts | None:
        """The facts of the actor ``actor_id`` against an agreement's ``roles`` (one tree
        serves one agreement)."""
        if actor_id is None:
            return None
        found = self._known.get(actor_id)
        if found is None:
            row = self._rows[actor_id]
            found = _actor_facts(row, roles, self._ancestry, lambda r: self._members[r.id])
            self._known[actor_id] = found
        return found

    def _ancestry(self, row: Any) -> list[Any]:
        """The row and its parents' rows, nearest first (cycles are cut, as
        :meth:`tracker.models.Actor.ancestry` does)."""
        chain: list[Any] = []
        seen: set[int] = set()
        while row is not None and row.id not in seen:
            chain.append(row)
            seen.add(row.id)
            row = self._rows.get(row.parent_id) if row.parent_id is not None else None
        return chain


def stored_incident_facts(
    session: Session, incident_ids: Collection[int], roles: Mapping[str, frozenset[str]]
) -> dict[int, IncidentFacts]:
    """:func:`incident_facts` of the stored incidents ``incident_ids`` against an agreement's
    ``roles``, read as plain rows in four statements whatever their number."""
    ids = sorted(set(incident_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(
            Incident.id,
            Incident.occurred_start,
            Incident.occurred_end,
            Incident.date_precision,
            Incident.location_precision,
            Incident.perpetrator_id,
            Incident.claimed_target_id,
            Incident.claimed_justification,
            Incident.category,
            Incident.place_id,
        ).where(among(session, Incident.id, ids))
    ).all()
    # their places by key: a few hundred index steps, where a join would read every place
    place_ids = sorted({row.place_id for row in rows if row.place_id is not None})
    places: dict[int | None, Any] = (
        {
            place.id: place
            for place in session.execute(
                select(
                    Place.id,
                    Place.latitude,
                    Place.longitude,
                    Place.pcode,
                    Place.admin1_pcode,
                    Place.admin2_pcode,
                    Place.admin3_pcode,
                ).where(among(session, Place.id, place_ids))
            )
        }
        if place_ids
        else {}
    )
    provisions: dict[int, list[ProvisionFacts]] = defaultdict(list)
    for incident_id, code, title, deadline, slug in session.execute(
        select(
            provision_links.c.incident_id,
            Provision.code,
            Provision.title_en,
            Provision.deadline,
            Agreement.slug,
        )
        .join(Provision, Provision.id == provision_links.c.provision_id)
        .join(Agreement, Agreement.id == Provision.agreement_id)
        .where(among(session, provision_links.c.incident_id, ids))
        .order_by(provision_links.c.incident_id, Provision.code)
    ):
        provisions[incident_id].append(ProvisionFacts(code, title, deadline, slug))
    pcodes = {
        place.id: frozenset(
            c
            for c in (place.pcode, place.admin1_pcode, place.admin2_pcode, place.admin3_pcode)
            if c
        )
        for place in places.values()
    }
    pointless = {place.id: pcodes[place.id] for place in places.values() if place.latitude is None}
    areas = smallest_areas(session, pointless)
    shapes = {place_id: json.loads(shape) for place_id, shape in areas.items()}
    actors = ActorTree(session)
    found = {}
    no_codes: frozenset[str] = frozenset()
    for row in rows:
        place = places.get(row.place_id)
        found[row.id] = IncidentFacts(
            start=row.occurred_start,
            end=row.occurred_end,
            precision=row.date_precision,
            latitude=place.latitude if place else None,
            longitude=place.longitude if place else None,
            location_precision=row.location_precision,
            pcodes=pcodes[row.place_id] if place else no_codes,
            area=shapes.get(row.place_id),
            perpetrator=actors.facts(row.perpetrator_id, roles),
            claimed_target=actors.facts(row.claimed_target_id, roles),
            claimed_justification=row.claimed_justification,
            provisions=tuple(provisions[row.id]),
            category=row.category,
        )
    return found


def assess_incident(incident: Incident, agreement: Agreement) -> Assessment:
    """Judge the incident against ``agreement`` by the rule, with every reason."""
    facts = agreement_facts(agreement)
    return assess(incident_facts(incident, facts.roles), facts)


def judge_incidents(
    incidents: list[Incident], agreements: list[Agreement]
) -> dict[tuple[int, int], Judgement]:
    """The stored verdict of every (incident id, agreement id) pair that the rule keeps
    (:func:`tracker.rules.applicability.judge`), building each agreement's facts once."""
    facts = [(a.id, agreement_facts(a)) for a in agreements]
    actors: dict[int, dict[int, ActorFacts | None]] = defaultdict(dict)
    found: dict[tuple[int, int], Judgement] = {}
    for incident in incidents:
        for agreement_id, agreement in facts:
            judgement = judge(
                incident_facts(incident, agreement.roles, actors[agreement_id]),
                agreement,
                alleged=incident.alleged_agreement_id == agreement_id,
            )
            if judgement is not None:
                found[(incident.id, agreement_id)] = judgement
    return found


@dataclass(frozen=True)
class AgreementVerdict:
    """An incident's stored verdict against one agreement, with the rule's reasons."""

    agreement: Agreement
    verdict: Verdict
    in_report: bool
    alleged: bool
    assessment: Assessment


def verdicts_of_incident(session: Session, incident: Incident) -> list[AgreementVerdict]:
    """The incident's stored verdicts against every agreement that may hold it, the alleged
    agreement first, then by entry into force; each with the rule's reasons."""
    stored = {
        row.agreement_id: row
        for row in session.scalars(
            select(IncidentVerdict).where(IncidentVerdict.incident_id == incident.id)
        )
    }
    agreements = session.scalars(
        judged_agreements()
        .where(Agreement.id.in_(list(stored)))
        .order_by(Agreement.effective_from, Agreement.id)
    ).all()
    found = [
        AgreementVerdict(
            agreement=agreement,
            verdict=VERDICT_OF_FINDING[stored[agreement.id].finding],
            in_report=stored[agreement.id].in_report,
            alleged=agreement.id == incident.alleged_agreement_id,
            assessment=assess_incident(incident, agreement),
        )
        for agreement in agreements
    ]
    return sorted(found, key=lambda v: not v.alleged)

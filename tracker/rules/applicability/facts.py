"""The facts the rule reads: of an incident, of an agreement, its territories and provisions,
and of the actors involved (each with its parents and members)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tracker.rules.applicability.findings import Name


@dataclass(frozen=True)
class ActorFacts:
    """An actor and its parents, nearest first, as (slug, English name, aliases) triples with
    their Arabic names alongside, and the members of a coalition or operations room (whose
    acts are its members' acts)."""

    chain: tuple[tuple[str, str, tuple[str, ...]], ...]
    members: tuple[ActorFacts, ...] = ()
    arabic_names: tuple[str | None, ...] = ()

    @property
    def name(self) -> str:
        return self.chain[0][1]

    def display(self, index: int = 0) -> Name:
        """The name of the chain's ``index``-th actor in both languages."""
        arabic = self.arabic_names[index] if index < len(self.arabic_names) else None
        return Name(self.chain[index][1], arabic)


@dataclass(frozen=True)
class TerritoryFacts:
    name: str
    geometry: dict[str, Any] | None = None
    admin_pcodes: frozenset[str] = frozenset()
    name_ar: str | None = None

    @property
    def display(self) -> Name:
        return Name(self.name, self.name_ar)


@dataclass(frozen=True)
class ProvisionFacts:
    code: str
    title: str
    deadline: dt.datetime | None = None
    #: the slug of the agreement the provision belongs to
    agreement: str = ""


@dataclass(frozen=True)
class AgreementFacts:
    slug: str
    name: str
    effective_from: dt.datetime
    expires_at: dt.datetime | None
    is_unilateral: bool
    #: actor slug -> its roles in this agreement
    roles: Mapping[str, frozenset[str]]
    #: names and aliases of the parties the agreement excludes (designated groups)
    excluded_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    territories: tuple[TerritoryFacts, ...] = ()


@dataclass(frozen=True)
class IncidentFacts:
    start: dt.datetime
    end: dt.datetime
    precision: str
    latitude: float | None = None
    longitude: float | None = None
    location_precision: str = "exact"
    #: P-codes of the place and its admin areas (admin1 to admin4)
    pcodes: frozenset[str] = frozenset()
    #: the polygon of the smallest admin area known to hold a place that has no point
    area: dict[str, Any] | None = None
    perpetrator: ActorFacts | None = None
    claimed_target: ActorFacts | None = None
    claimed_justification: str | None = None
    provisions: tuple[ProvisionFacts, ...] = ()
    category: str | None = None

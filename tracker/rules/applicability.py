"""Does an incident violate an agreement? Time window, territory and who is bound, with reasons."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tracker.rules import geo
from tracker.rules.names import fold


class Verdict(enum.StrEnum):
    VIOLATION = "violation"
    CONTESTED = "contested"
    OUTSIDE_SCOPE = "outside_scope"
    INDETERMINATE = "indeterminate"


class Finding(enum.IntEnum):
    """The answer of one test; the verdict follows the worst one, in this order."""

    INSIDE = 0
    CONTESTED = 1
    UNCERTAIN = 2
    OUTSIDE = 3


_VERDICT_OF = {
    Finding.INSIDE: Verdict.VIOLATION,
    Finding.CONTESTED: Verdict.CONTESTED,
    Finding.UNCERTAIN: Verdict.INDETERMINATE,
    Finding.OUTSIDE: Verdict.OUTSIDE_SCOPE,
}

#: How far from the named place an incident may be, by location precision, in km.
LOCATION_RADIUS_KM = {"exact": 0.0, "near": 5.0}
#: P-code levels known at each location precision (OCHA P-codes nest by prefix).
_KNOWN_LEVELS = {
    "exact": 4,
    "near": 3,
    "admin3": 3,
    "admin2": 2,
    "admin1": 1,
}

BINDING = frozenset({"signatory", "guarantor", "bound"})


@dataclass(frozen=True)
class Reason:
    """One test and what it found, with a sentence a reader can check."""

    test: str  # "time", "deadline", "territory", "perpetrator", "justification"
    finding: Finding
    message: str


@dataclass(frozen=True)
class Assessment:
    verdict: Verdict
    reasons: tuple[Reason, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "verdict": str(self.verdict),
            "reasons": [
                {"test": r.test, "finding": r.finding.name.lower(), "message": r.message}
                for r in self.reasons
            ],
        }


@dataclass(frozen=True)
class ActorFacts:
    """An actor and its parents, nearest first, as (slug, English name, aliases) triples, and
    the members of a coalition or operations room (whose acts are its members' acts)."""

    chain: tuple[tuple[str, str, tuple[str, ...]], ...]
    members: tuple[ActorFacts, ...] = ()

    @property
    def name(self) -> str:
        return self.chain[0][1]


@dataclass(frozen=True)
class TerritoryFacts:
    name: str
    geometry: dict[str, Any] | None = None
    admin_pcodes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ProvisionFacts:
    code: str
    title: str
    deadline: dt.datetime | None = None


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
    perpetrator: ActorFacts | None = None
    claimed_target: ActorFacts | None = None
    claimed_justification: str | None = None
    provisions: tuple[ProvisionFacts, ...] = ()


def _fmt(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _within(
    start: dt.datetime, end: dt.datetime, low: dt.datetime, high: dt.datetime | None
) -> Finding:
    """Where the incident's interval lies against the half-open window ``[low, high)``."""
    if start == end:  # an instant
        inside = low <= start and (high is None or start < high)
        return Finding.INSIDE if inside else Finding.OUTSIDE
    if end <= low or (high is not None and start >= high):
        return Finding.OUTSIDE
    if start >= low and (high is None or end <= high):
        return Finding.INSIDE
    return Finding.UNCERTAIN


def check_time(incident: IncidentFacts, agreement: AgreementFacts) -> Reason:
    """Whether the incident falls within the agreement's time window, honouring precision."""
    window = f"{_fmt(agreement.effective_from)} to " + (
        _fmt(agreement.expires_at) if agreement.expires_at else "no expiry"
    )
    when = (
        _fmt(incident.start)
        if incident.start == incident.end
        else f"between {_fmt(incident.start)} and {_fmt(incident.end)} ({incident.precision})"
    )
    finding = _within(incident.start, incident.end, agreement.effective_from, agreement.expires_at)
    message = {
        Finding.INSIDE: f"the incident ({when}) is within the agreement's window ({window})",
        Finding.OUTSIDE: f"the incident ({when}) is outside the agreement's window ({window})",
        Finding.UNCERTAIN: (
            f"the incident is dated only {when}: that period straddles the edge of the "
            f"agreement's window ({window})"
        ),
    }[finding]
    return Reason("time", finding, message)


def check_deadlines(incident: IncidentFacts) -> list[Reason]:
    """A provision with a deadline is breached only by what persists after the deadline."""
    reasons = []
    for provision in incident.provisions:
        if provision.deadline is None:
            continue
        finding = _within(incident.start, incident.end, provision.deadline, None)
        due = (
            f"provision {provision.code} ({provision.title}) was due by {_fmt(provision.deadline)}"
        )
        message = {
            Finding.INSIDE: f"{due}; the incident is after it",
            Finding.OUTSIDE: f"{due}; the incident is before it",
            Finding.UNCERTAIN: f"{due}; the incident's date is too imprecise to say whether "
            "it came after",
        }[finding]
        reasons.append(Reason("deadline", finding, message))
    return reasons


def _pcode_match(known: frozenset[str], territory_codes: frozenset[str]) -> Finding:
    for code in known:
        if any(code.startswith(t) for t in territory_codes):
            return Finding.INSIDE
    for code in known:
        if any(t.startswith(code) for t in territory_codes):
            return Finding.UNCERTAIN
    return Finding.OUTSIDE


def _known_pcodes(incident: IncidentFacts) -> frozenset[str]:
    """The P-codes the location precision lets us rely on (admin1 is 4 characters, each
    level below adds 2)."""
    level = _KNOWN_LEVELS.get(incident.location_precision, 1)
    longest = 2 + 2 * level
    return frozenset(c for c in incident.pcodes if len(c) <= longest)


def _territory_finding(incident: IncidentFacts, territory: TerritoryFacts) -> Finding:
    findings = []
    if territory.admin_pcodes:
        findings.append(_pcode_match(_known_pcodes(incident), territory.admin_pcodes))
    if territory.geometry is not None:
        radius = LOCATION_RADIUS_KM.get(incident.location_precision)
        if incident.latitude is None or incident.longitude is None or radius is None:
            findings.append(Finding.UNCERTAIN)
        else:
            lon, lat = incident.longitude, incident.latitude
            inside = geo.contains(territory.geometry, lon, lat)
            near_edge = geo.distance_to_edge_km(territory.geometry, lon, lat) <= radius
            if near_edge and radius > 0:
                findings.append(Finding.UNCERTAIN)
            else:
                findings.append(Finding.INSIDE if inside else Finding.OUTSIDE)
    return min(findings)


def check_territory(incident: IncidentFacts, agreement: AgreementFacts) -> Reason:
    """Whether the incident's place lies within one of the agreement's territories."""
    if not agreement.territories:
        return Reason("territory", Finding.INSIDE, "the agreement has no territorial limit")
    results = [(t, _territory_finding(incident, t)) for t in agreement.territories]
    best_territory, best = min(results, key=lambda pair: pair[1])
    if best == Finding.INSIDE:
        return Reason("territory", best, f"the place lies within {best_territory.name}")
    if best == Finding.UNCERTAIN:
        return Reason(
            "territory",
            best,
            f"the location ({incident.location_precision} precision) is too imprecise to say "
            f"whether it lies within {best_territory.name}",
        )
    names = ", ".join(t.name for t in agreement.territories)
    return Reason("territory", best, f"the place lies outside the agreement's territory ({names})")


def _roles_of(actor: ActorFacts, agreement: AgreementFacts) -> tuple[str, frozenset[str]]:
    """The roles of the nearest of the actor's chain that has any in the agreement."""
    for slug, name, _aliases in actor.chain:
        roles = agreement.roles.get(slug)
        if roles:
            return name, roles
    return actor.name, frozenset()


def _coalition_reason(actor: ActorFacts, agreement: AgreementFacts) -> Reason:
    """A coalition without a role of its own is judged through its members."""
    findings = {m.name: _actor_reason(m, agreement).finding for m in actor.members}
    bound = sorted(name for name, f in findings.items() if f == Finding.INSIDE)
    others = sorted(name for name, f in findings.items() if f != Finding.INSIDE)
    if not others:
        return Reason(
            "perpetrator",
            Finding.INSIDE,
            f"{actor.name} is a coalition whose members are all bound ({', '.join(bound)})",
        )
    if bound:
        return Reason(
            "perpetrator",
            Finding.CONTESTED,
            f"{actor.name} is a coalition of bound members ({', '.join(bound)}) and others "
            f"({', '.join(others)}); which of them acted decides whether this is a breach",
        )
    return Reason(
        "perpetrator",
        Finding.OUTSIDE,
        f"{actor.name} is a coalition none of whose members is bound ({', '.join(others)})",
    )


def check_perpetrator(incident: IncidentFacts, agreement: AgreementFacts) -> Reason:
    """Whether the alleged perpetrator is bound by the agreement."""
    if incident.perpetrator is None:
        return Reason("perpetrator", Finding.UNCERTAIN, "the perpetrator is not known")
    return _actor_reason(incident.perpetrator, agreement)


def _actor_reason(actor: ActorFacts, agreement: AgreementFacts) -> Reason:
    holder, roles = _roles_of(actor, agreement)
    if not roles and actor.members:
        return _coalition_reason(actor, agreement)
    via = "" if holder == actor.name else f" (through {holder})"
    if "excluded" in roles:
        return Reason(
            "perpetrator",
            Finding.CONTESTED,
            f"{actor.name}{via} is a party the agreement excludes; whether its acts breach the "
            "agreement is disputed",
        )
    if agreement.is_unilateral:
        if "signatory" in roles:
            return Reason(
                "perpetrator", Finding.INSIDE, f"{actor.name}{via} announced this unilateral truce"
            )
        return Reason(
            "perpetrator",
            Finding.OUTSIDE,
            f"a unilateral truce binds only its announcer; {actor.name} did not announce it",
        )
    if roles & BINDING:
        listed = ", ".join(sorted(roles & BINDING))
        return Reason("perpetrator", Finding.INSIDE, f"{actor.name}{via} is bound ({listed})")
    if "rejected" in roles:
        message = f"{actor.name}{via} rejected the agreement and is not bound by it"
    elif "not_notified" in roles:
        message = f"{actor.name}{via} was not notified of the agreement and is not bound by it"
    elif "observer" in roles:
        message = f"{actor.name}{via} is an observer, not bound by the agreement"
    else:
        message = f"{actor.name} is not a party to the agreement"
    return Reason("perpetrator", Finding.OUTSIDE, message)


def check_justification(incident: IncidentFacts, agreement: AgreementFacts) -> Reason | None:
    """A claim that the act targeted a party the agreement excludes makes it contested."""
    target = incident.claimed_target
    if target is not None:
        _holder, roles = _roles_of(target, agreement)
        if "excluded" in roles:
            return Reason(
                "justification",
                Finding.CONTESTED,
                f"the act is claimed to have targeted {target.name}, a party the agreement "
                "excludes",
            )
    text = fold(incident.claimed_justification or "")
    if text:
        for slug, names in agreement.excluded_names.items():
            for name in names:
                folded = fold(name)
                if folded and f" {folded} " in f" {text} ":
                    return Reason(
                        "justification",
                        Finding.CONTESTED,
                        f"the claimed justification names {name} ({slug}), a party the "
                        "agreement excludes",
                    )
    return None


def assess(incident: IncidentFacts, agreement: AgreementFacts) -> Assessment:
    """Judge ``incident`` against ``agreement``: the verdict follows the worst finding
    (outside scope, then indeterminate, then contested, else violation); every test's
    reason is kept."""
    reasons = [check_time(incident, agreement), *check_deadlines(incident)]
    reasons.append(check_territory(incident, agreement))
    reasons.append(check_perpetrator(incident, agreement))
    justification = check_justification(incident, agreement)
    if justification is not None:
        reasons.append(justification)
    worst = max(r.finding for r in reasons)
    return Assessment(_VERDICT_OF[worst], tuple(reasons))

"""The territory test: does the incident's place lie within one of the agreement's territories,
by shape (with a margin for an imprecise location) or by admin-area P-codes."""

from __future__ import annotations

from functools import lru_cache

from tracker.rules import geo
from tracker.rules.applicability.facts import AgreementFacts, IncidentFacts, TerritoryFacts
from tracker.rules.applicability.findings import N_, Finding, Names, Reason, say
from tracker.rules.values import ascii_digits

#: How far from the named place (or the centre of the named area) an incident may be, by
#: location precision, in km: a shape's edge closer than this leaves the verdict open.
LOCATION_RADIUS_KM = {"exact": 0.0, "near": 5.0, "admin3": 15.0, "admin2": 40.0, "admin1": 120.0}
#: P-code levels known at each location precision (OCHA P-codes nest by prefix).
_KNOWN_LEVELS = {
    "exact": 4,
    "near": 3,
    "admin3": 3,
    "admin2": 2,
    "admin1": 1,
}

LOCATION_WORDS = {
    "exact": N_("exact"),
    "near": N_("near"),
    "admin3": N_("admin3"),
    "admin2": N_("admin2"),
    "admin1": N_("admin1"),
}


@lru_cache(maxsize=65_536)
def pcode_level(code: str) -> int:
    """The admin level of an OCHA P-code: ``SY07`` is 1, ``SY0703`` 2, ``SY070300`` 3; any
    other code (a community's ``C1234``) names a place, level 4 (memoised: judging the places of
    a gazetteer asks it of the same few thousand codes again and again)."""
    if len(code) >= 4 and code[:2].isalpha() and ascii_digits(code[2:]) and len(code) % 2 == 0:
        return min((len(code) - 2) // 2, 4)
    return 4


def _pcode_match(incident: IncidentFacts, territory_codes: frozenset[str]) -> Finding:
    """Inside when a known code of the location lies in a listed area; uncertain only when the
    location is known less precisely than a listed area that its known area contains."""
    known = _known_pcodes(incident)
    for code in known:
        if any(code.startswith(t) for t in territory_codes):
            return Finding.INSIDE
    depth = max((pcode_level(c) for c in known), default=0)
    deepest = [c for c in known if pcode_level(c) == depth]
    for code in deepest:
        if any(t.startswith(code) and pcode_level(t) > depth for t in territory_codes):
            return Finding.UNCERTAIN
    if depth == 0 and territory_codes:
        return Finding.UNCERTAIN  # nothing is known of where it happened
    return Finding.OUTSIDE


def _known_pcodes(incident: IncidentFacts) -> frozenset[str]:
    """The P-codes the location precision lets us rely on (admin1 to admin3, or the place)."""
    level = _KNOWN_LEVELS.get(incident.location_precision, 1)
    return frozenset(c for c in incident.pcodes if pcode_level(c) <= level)


def _territory_finding(incident: IncidentFacts, territory: TerritoryFacts) -> Finding:
    findings = []
    if territory.admin_pcodes:
        findings.append(_pcode_match(incident, territory.admin_pcodes))
    if territory.geometry is not None:
        radius = LOCATION_RADIUS_KM.get(incident.location_precision)
        if (incident.latitude is None or incident.longitude is None) and incident.area:
            within = geo.lies_within(territory.geometry, incident.area)
            findings.append(
                Finding.UNCERTAIN
                if within is None
                else (Finding.INSIDE if within else Finding.OUTSIDE)
            )
        elif incident.latitude is None or incident.longitude is None or radius is None:
            findings.append(Finding.UNCERTAIN)
        else:
            lon, lat = incident.longitude, incident.latitude
            inside = geo.contains_often(territory.geometry, lon, lat)
            near_edge = (
                radius > 0 and geo.distance_to_edge_km(territory.geometry, lon, lat) <= radius
            )
            if near_edge:
                findings.append(Finding.UNCERTAIN)
            else:
                findings.append(Finding.INSIDE if inside else Finding.OUTSIDE)
    return min(findings)


def check_territory(incident: IncidentFacts, agreement: AgreementFacts) -> Reason:
    """Whether the incident's place lies within one of the agreement's territories."""
    if not agreement.territories:
        return Reason(
            "territory", Finding.INSIDE, say(N_("the agreement has no territorial limit"))
        )
    results = [(t, _territory_finding(incident, t)) for t in agreement.territories]
    best_territory, best = min(results, key=lambda pair: pair[1])
    if best == Finding.INSIDE:
        return Reason(
            "territory",
            best,
            say(N_("the place lies within %(name)s"), name=best_territory.display),
        )
    if best == Finding.UNCERTAIN:
        return Reason(
            "territory",
            best,
            say(
                N_(
                    "the location (%(precision)s precision) is too imprecise to say whether it "
                    "lies within %(name)s"
                ),
                precision=say(
                    LOCATION_WORDS.get(incident.location_precision, incident.location_precision)
                ),
                name=best_territory.display,
            ),
        )
    names = Names(tuple(t.display for t in agreement.territories))
    return Reason(
        "territory",
        best,
        say(N_("the place lies outside the agreement's territory (%(names)s)"), names=names),
    )

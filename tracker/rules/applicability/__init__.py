"""Does an incident violate an agreement? Time window, territory and who is bound, with reasons.

Each test lives in its own module (:mod:`.time_window`, :mod:`.provisions`, :mod:`.territory`,
:mod:`.parties`) over the facts of :mod:`.facts`, and finds what :mod:`.findings` names;
this module combines them into the verdict and into what is stored of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tracker.rules.applicability.facts import (
    ActorFacts,
    AgreementFacts,
    IncidentFacts,
    ProvisionFacts,
    TerritoryFacts,
)
from tracker.rules.applicability.findings import (
    FINDING_OF_VERDICT,
    VERDICT_OF_FINDING,
    Assessment,
    Finding,
    Reason,
    Verdict,
)
from tracker.rules.applicability.parties import check_justification, check_perpetrator
from tracker.rules.applicability.provisions import NON_ATTACK, check_obligation
from tracker.rules.applicability.territory import LOCATION_RADIUS_KM, check_territory
from tracker.rules.applicability.time_window import check_time, within

__all__ = [
    "DATE_TESTS",
    "FINDING_OF_VERDICT",
    "LOCATION_RADIUS_KM",
    "NON_ATTACK",
    "OPEN_ENDED_WINDOW",
    "VERDICT_OF_FINDING",
    "ActorFacts",
    "AgreementFacts",
    "Assessment",
    "Finding",
    "IncidentFacts",
    "Judgement",
    "ProvisionFacts",
    "Reason",
    "TerritoryFacts",
    "Verdict",
    "assess",
    "check_justification",
    "check_obligation",
    "check_perpetrator",
    "check_territory",
    "check_time",
    "judge",
    "report_span",
]


def assess(incident: IncidentFacts, agreement: AgreementFacts) -> Assessment:
    """Judge ``incident`` against ``agreement``: the verdict follows the worst finding
    (outside scope, then indeterminate, then contested, else violation); every test's
    reason is kept."""
    reasons = [check_time(incident, agreement), check_obligation(incident, agreement)]
    reasons.append(check_territory(incident, agreement))
    reasons.append(check_perpetrator(incident, agreement))
    justification = check_justification(incident, agreement)
    if justification is not None:
        reasons.append(justification)
    worst = max(r.finding for r in reasons)
    return Assessment(VERDICT_OF_FINDING[worst], tuple(reasons))


#: The tests that depend on the incident's dates (set aside for the "scope" finding).
DATE_TESTS = frozenset({"time", "deadline"})
#: How far before an open-ended agreement its report looks (the "before" window's cap).
OPEN_ENDED_WINDOW = dt.timedelta(days=365)


def report_span(agreement: AgreementFacts) -> tuple[dt.datetime, dt.datetime | None]:
    """The agreement's window widened by its report's "before" and "after" windows (each as
    long as the agreement was in force; an open-ended agreement looks back
    :data:`OPEN_ENDED_WINDOW` and has no "after")."""
    start, end = agreement.effective_from, agreement.expires_at
    if end is None:
        return start - OPEN_ENDED_WINDOW, None
    length = end - start
    return start - length, end + length


@dataclass(frozen=True)
class Judgement:
    """What is stored of an incident judged against one agreement (see
    :class:`tracker.models.IncidentVerdict`)."""

    finding: int
    scope_finding: int
    territory_finding: int
    in_report: bool


def judge(incident: IncidentFacts, agreement: AgreementFacts, *, alleged: bool) -> Judgement | None:
    """The stored verdict of ``incident`` against ``agreement``, or None when the agreement
    cannot hold it: its territory cannot contain the incident, or the incident lies outside
    the agreement's report span (:func:`report_span`). The alleged agreement always gets a
    verdict. The report of the agreement counts the incident (``in_report``) when it is the
    alleged agreement or when the incident is not outside its window and territory."""
    assessment = assess(incident, agreement)
    by_test = {r.test: r.finding for r in assessment.reasons}
    territory = by_test["territory"]
    if not alleged:
        low, high = report_span(agreement)
        if territory == Finding.OUTSIDE or within(incident.start, incident.end, low, high) == (
            Finding.OUTSIDE
        ):
            return None
    scope = max(
        (r.finding for r in assessment.reasons if r.test not in DATE_TESTS),
        default=Finding.INSIDE,
    )
    return Judgement(
        finding=int(max(r.finding for r in assessment.reasons)),
        scope_finding=int(scope),
        territory_finding=int(territory),
        in_report=alleged or (by_test["time"] != Finding.OUTSIDE and territory != Finding.OUTSIDE),
    )

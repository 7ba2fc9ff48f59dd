"""The words of the domain's values: statuses, verdicts, precisions, categories, kinds,
grades, qualifiers, roles... in English, each marked for translation, for every form, page,
report and export.

The labels are message ids, not translations: a page translates them with its language's
catalogue (:func:`tracker.i18n.lazy_labels` for forms and templates), a report with its own
translator, and the English exports use them as they are.
"""

from __future__ import annotations

from tracker.models import (
    ActorKind,
    AgreementKind,
    Category,
    Confidence,
    CountQualifier,
    FigureQualifier,
    LocationPrecision,
    PartyRole,
    PlaceKind,
    ProvisionKind,
    RecordState,
    Reliability,
    SourceKind,
    Stance,
    Status,
)
from tracker.rules.applicability import Verdict
from tracker.rules.values import N_

VERDICT_LABELS: dict[str, str] = {
    Verdict.VIOLATION: N_("Violation"),
    Verdict.CONTESTED: N_("Contested"),
    Verdict.OUTSIDE_SCOPE: N_("Outside scope"),
    Verdict.INDETERMINATE: N_("Indeterminate"),
}

CATEGORY_LABELS: dict[str, str] = {
    Category.AIR_STRIKE: N_("Air strike"),
    Category.SHELLING: N_("Shelling"),
    Category.ROCKET_ATTACK: N_("Rocket attack"),
    Category.GROUND_ASSAULT: N_("Ground assault"),
    Category.DRONE_STRIKE: N_("Drone strike"),
    Category.SNIPER_FIRE: N_("Sniper fire"),
    Category.HEAVY_WEAPONS_IN_ZONE: N_("Heavy weapons in the zone"),
    Category.TROOP_BUILD_UP: N_("Troop build-up"),
    Category.ATTACK_ON_MONITORING_POST: N_("Attack on a monitoring post"),
    Category.OTHER: N_("Other"),
}

LOCATION_PRECISION_LABELS: dict[str, str] = {
    LocationPrecision.EXACT: N_("At the place itself"),
    LocationPrecision.NEAR: N_("Near the place"),
    LocationPrecision.ADMIN3: N_("Somewhere in its sub-district"),
    LocationPrecision.ADMIN2: N_("Somewhere in its district"),
    LocationPrecision.ADMIN1: N_("Somewhere in its governorate"),
}

CONFIDENCE_LABELS: dict[str, str] = {
    Confidence.LOW: N_("Low"),
    Confidence.MEDIUM: N_("Medium"),
    Confidence.HIGH: N_("High"),
}

QUALIFIER_LABELS: dict[str, str] = {
    CountQualifier.EXACT: N_("exactly"),
    CountQualifier.ABOUT: N_("about"),
    CountQualifier.AT_LEAST: N_("at least"),
    CountQualifier.MORE_THAN: N_("more than"),
}

STANCE_LABELS: dict[str, str] = {
    Stance.SUPPORTS: N_("Reports it"),
    Stance.DENIES: N_("Denies it"),
    Stance.MENTIONS: N_("Mentions it"),
}

STATUS_LABELS: dict[str, str] = {
    Status.DRAFT: N_("Draft"),
    Status.SUBMITTED: N_("Submitted"),
    Status.VERIFIED: N_("Verified"),
    Status.DISPUTED: N_("Disputed"),
    Status.REJECTED: N_("Rejected"),
    Status.RETRACTED: N_("Retracted"),
}

PRECISION_LABELS: dict[str, str] = {
    "time": N_("exact time"),
    "day": N_("day"),
    "week": N_("week"),
    "month": N_("month"),
    "year": N_("year"),
}

CREDIBILITY_LABELS: dict[str, str] = {
    "1": N_("1: confirmed by other sources"),
    "2": N_("2: probably true"),
    "3": N_("3: possibly true"),
    "4": N_("4: doubtful"),
    "5": N_("5: improbable"),
    "6": N_("6: truth cannot be judged"),
}

FIGURE_QUALIFIER_LABELS: dict[str, str] = {
    FigureQualifier.EXACT: N_("exactly"),
    FigureQualifier.ABOUT: N_("about"),
    FigureQualifier.AT_LEAST: N_("at least"),
    FigureQualifier.AT_MOST: N_("at most"),
}

GROUP_LABELS: dict[str, str] = {
    "civilians_killed": N_("Civilians killed"),
    "civilians_injured": N_("Civilians injured"),
    "combatants_killed": N_("Combatants killed"),
}

AGREEMENT_KIND_LABELS: dict[str, str] = {
    AgreementKind.CEASEFIRE: N_("Ceasefire"),
    AgreementKind.TRUCE: N_("Truce"),
    AgreementKind.DE_ESCALATION_ZONE: N_("De-escalation zone"),
    AgreementKind.DEMILITARIZED_ZONE: N_("Demilitarized zone"),
    AgreementKind.HUMANITARIAN_PAUSE: N_("Humanitarian pause"),
    AgreementKind.EVACUATION_DEAL: N_("Evacuation deal"),
}

PARTY_ROLE_LABELS: dict[str, str] = {
    PartyRole.SIGNATORY: N_("Signatory"),
    PartyRole.GUARANTOR: N_("Guarantor"),
    PartyRole.BOUND: N_("Bound party"),
    PartyRole.EXCLUDED: N_("Excluded (designated) party"),
    PartyRole.OBSERVER: N_("Observer"),
    PartyRole.NOT_NOTIFIED: N_("Not notified"),
    PartyRole.REJECTED: N_("Rejected it"),
}

PROVISION_KIND_LABELS: dict[str, str] = {
    ProvisionKind.CEASE_FIRE: N_("Cease fire"),
    ProvisionKind.HEAVY_WEAPONS_WITHDRAWAL: N_("Heavy weapons withdrawal"),
    ProvisionKind.FORCE_WITHDRAWAL: N_("Force withdrawal"),
    ProvisionKind.PATROLS: N_("Patrols"),
    ProvisionKind.ROAD_ACCESS: N_("Road access"),
    ProvisionKind.MONITORING: N_("Monitoring"),
    ProvisionKind.HUMANITARIAN: N_("Humanitarian"),
    ProvisionKind.OTHER: N_("Other"),
}

SOURCE_KIND_LABELS: dict[str, str] = {
    SourceKind.NEWS_ARTICLE: N_("News article"),
    SourceKind.SOCIAL_MEDIA_POST: N_("Social media post"),
    SourceKind.NGO_REPORT: N_("NGO report"),
    SourceKind.OFFICIAL_STATEMENT: N_("Official statement"),
    SourceKind.WITNESS: N_("Witness"),
    SourceKind.MONITORING_REPORT: N_("Monitoring report"),
    SourceKind.DATASET: N_("Data set"),
}

RELIABILITY_LABELS: dict[str, str] = {
    Reliability.A: N_("A: completely reliable"),
    Reliability.B: N_("B: usually reliable"),
    Reliability.C: N_("C: fairly reliable"),
    Reliability.D: N_("D: not usually reliable"),
    Reliability.E: N_("E: unreliable"),
    Reliability.F: N_("F: reliability cannot be judged"),
}

ACTOR_KIND_LABELS: dict[str, str] = {
    ActorKind.STATE: N_("State"),
    ActorKind.STATE_FORCE: N_("State force"),
    ActorKind.FOREIGN_STATE_FORCE: N_("Foreign state force"),
    ActorKind.MILITIA: N_("Militia"),
    ActorKind.ARMED_GROUP: N_("Armed group"),
    ActorKind.DESIGNATED_GROUP: N_("Designated group"),
    ActorKind.OPERATIONS_ROOM: N_("Coalition or operations room"),
    ActorKind.MONITOR: N_("Monitor"),
    ActorKind.CIVILIANS: N_("Civilians"),
    ActorKind.OTHER: N_("Other"),
}

PLACE_KIND_LABELS: dict[str, str] = {
    PlaceKind.CITY: N_("City"),
    PlaceKind.TOWN: N_("Town"),
    PlaceKind.VILLAGE: N_("Village"),
    PlaceKind.BASE: N_("Military base"),
    PlaceKind.AIRPORT: N_("Airport or airbase"),
    PlaceKind.HILL: N_("Hill"),
    PlaceKind.MOUNTAIN: N_("Mountain"),
    PlaceKind.ROAD: N_("Road"),
    PlaceKind.MONITORING_POST: N_("Monitoring post"),
    PlaceKind.AREA: N_("Area"),
    PlaceKind.OTHER: N_("Other"),
}

ROLE_LABELS: dict[str, str] = {
    "viewer": N_("Viewer: reads published work"),
    "analyst": N_("Analyst: enters and edits incidents and sources"),
    "reviewer": N_("Reviewer: also changes the status of incidents"),
    "admin": N_("Administrator: also users and exports"),
}

DECISION_LABELS: dict[str, str] = {
    "verified": N_("Verify"),
    "disputed": N_("Dispute"),
    "rejected": N_("Reject"),
}

STATE_LABELS: dict[str, str] = {
    RecordState.ACTIVE: N_("active"),
    RecordState.RETRACTED: N_("retracted"),
}
#: The windows of a report's rates.
WINDOW_LABELS: dict[str, str] = {
    "before": N_("Before"),
    "during": N_("In force"),
    "after": N_("After"),
}
#: Labels of stored columns that no form names (a revision's changes show them).
FIELD_LABELS: dict[str, str] = {
    "status": N_("Status"),
    "state": N_("Status"),
    "status_reason": N_("Reason"),
    "retraction_reason": N_("Reason"),
    "reviewed_by_id": N_("Reviewed by"),
    "incident_id": N_("Incident"),
    "source_id": N_("Source"),
    "agreement_id": N_("Agreement"),
    "actor_id": N_("Actor"),
    "place_id": N_("Place"),
    "provision_id": N_("Provision"),
    "parent_id": N_("Part of"),
    "aliases": N_("Other names"),
    "provisions": N_("Breached provisions"),
    "occurred_start": N_("Date"),
    "ref": N_("Reference"),
}
#: What a report calls the values it groups by: verdicts, categories, statuses, casualty
#: groups, windows, and an unknown perpetrator or place.
REPORT_LABELS: dict[str, str] = {
    **{
        str(key): text
        for labels in (VERDICT_LABELS, CATEGORY_LABELS, STATUS_LABELS, GROUP_LABELS)
        for key, text in labels.items()
    },
    **WINDOW_LABELS,
    "unknown": N_("unknown"),
}


def report_label(key: str) -> str:
    """The English label of a value a report shows (its translator translates it)."""
    return REPORT_LABELS.get(key, key.replace("_", " ").capitalize())


#: What an import read (the ``kind`` of an import run).
IMPORT_KIND_LABELS: dict[str, str] = {
    "acled": N_("ACLED events"),
    "ged": N_("UCDP GED events"),
    "places": N_("OCHA gazetteer"),
    "boundaries": N_("OCHA boundaries"),
    "agreements": N_("PA-X agreements"),
}

"""The history shown on an incident's page: its revisions and those of its source links, with
what their fields and values are called."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.db import get_session
from tracker.forms.incidents import (
    CATEGORY_LABELS,
    CONFIDENCE_LABELS,
    GROUP_LABELS,
    LOCATION_PRECISION_LABELS,
    PRECISION_LABELS,
    QUALIFIER_LABELS,
    STANCE_LABELS,
    STATUS_LABELS,
)
from tracker.models import (
    Actor,
    Agreement,
    Incident,
    Place,
    Source,
)
from tracker.queries.history import (
    referenced_records,
    revisions_for,
    revisions_for_many,
    users_by_id,
)
from tracker.views.common import (
    public_history,
)

#: The id fields of incidents and source links, and what they point to (for the history).
REFERENCES = {
    "alleged_agreement_id": Agreement,
    "agreement_id": Agreement,
    "place_id": Place,
    "perpetrator_id": Actor,
    "target_actor_id": Actor,
    "claimed_target_id": Actor,
    "blames_actor_id": Actor,
    "source_id": Source,
    "incident_id": Incident,
}


#: What the history calls each stored field of an incident and of a source link, except the
#: casualty figures (:func:`_field_labels`).
FIELD_LABELS: dict[str, Any] = {
    "alleged_agreement_id": _l("Alleged agreement"),
    "agreement_id": _l("Alleged agreement"),
    "provisions": _l("Breached provisions"),
    "occurred_start": _l("Date"),
    "place_id": _l("Place"),
    "location_precision": _l("Location precision"),
    "perpetrator_id": _l("Alleged perpetrator"),
    "perpetrator_confidence": _l("Confidence in the attribution"),
    "target_actor_id": _l("Target"),
    "category": _l("Category"),
    "weapon": _l("Weapon"),
    "event_count": _l("Number of events"),
    "count_qualifier": _l("Count is"),
    "count_period_hours": _l("Over how many hours"),
    "description_en": _l("Description (English)"),
    "description_ar": _l("Description (Arabic)"),
    "claimed_justification": _l("Claimed justification"),
    "claimed_target_id": _l("Claimed target"),
    "status": _l("Status"),
    "status_reason": _l("Reason"),
    "source_id": _l("Source"),
    "credibility": _l("Credibility"),
    "blames_actor_id": _l("Blames"),
    "stance": _l("Stance"),
    "excerpt": _l("Excerpt"),
    "state": _l("Status"),
}


def _field_labels() -> dict[str, Any]:
    """What the history calls each stored field of an incident and of a source link."""
    labels = dict(FIELD_LABELS)
    levels = {"low": _("Low"), "best": _("Best"), "high": _("High")}
    for group, label in GROUP_LABELS.items():
        for level, level_label in levels.items():
            labels[f"{group}_{level}"] = f"{label} ({level_label})"
    return labels


VALUE_LABELS: dict[str, dict[Any, Any]] = {
    "category": CATEGORY_LABELS,
    "location_precision": LOCATION_PRECISION_LABELS,
    "perpetrator_confidence": CONFIDENCE_LABELS,
    "count_qualifier": QUALIFIER_LABELS,
    "date_precision": PRECISION_LABELS,
    "status": STATUS_LABELS,
    "stance": STANCE_LABELS,
}


def incident_history(
    incident: Incident, *, with_links: bool, public: bool = False
) -> dict[str, Any]:
    """The incident's revisions (with those of its source links for analysts), their authors,
    and the records their id fields name; ``public`` (for viewers): no authors, no user ids,
    no status reasons."""
    session = get_session()
    revisions = revisions_for(session, "incidents", incident.id)
    if with_links:
        link_ids = [link.id for link in incident.source_links]
        revisions += revisions_for_many(session, "incident_sources", link_ids)
    revisions.sort(key=lambda r: r.id, reverse=True)
    shown = public_history(revisions) if public else {"revisions": revisions}
    return {
        "users": users_by_id(session, revisions) if not public else {},
        **shown,
        "referenced": referenced_records(session, shown["revisions"], REFERENCES),
        "field_labels": _field_labels(),
        "value_labels": {k: {str(v): lbl for v, lbl in m.items()} for k, m in VALUE_LABELS.items()},
    }

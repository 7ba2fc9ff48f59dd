"""The API's schemas of incidents: an incident as returned, with its sources and verdicts, and
what a client sends to create or replace one."""

from __future__ import annotations

from tracker.api.schemas.common import (
    COUNT,
    DATE,
    ID,
    MOMENT,
    Schema,
    enum_of,
    nullable,
    ref,
    text_up_to,
)
from tracker.models import (
    Category,
    Confidence,
    CountQualifier,
    LocationPrecision,
    Reliability,
    Stance,
    Status,
)
from tracker.rules.applicability import Verdict
from tracker.services.incident_input import CASUALTY_FIELDS, MAX_EXCERPT, TEXT_LIMITS

SOURCE_LINK: Schema = {
    "type": "object",
    "required": ["source_id", "title", "credibility", "stance"],
    "properties": {
        "source_id": ID,
        "title": {"type": "string"},
        "publisher": nullable({"type": "string"}),
        "reliability": enum_of(Reliability),
        "is_confidential": {"type": "boolean"},
        "credibility": {"type": "integer", "minimum": 1, "maximum": 6},
        "stance": enum_of(Stance),
        "excerpt": nullable({"type": "string"}),
        "state": {"type": "string"},
    },
}

VERDICT: Schema = {
    "type": "object",
    "required": ["agreement", "verdict", "alleged"],
    "description": "The stored verdict against one agreement that may hold the incident.",
    "properties": {
        "agreement": {"type": "string", "description": "The agreement's slug."},
        "verdict": enum_of(Verdict),
        "alleged": {
            "type": "boolean",
            "description": "Whether this is the agreement the incident is alleged to breach.",
        },
    },
}

#: An incident as the API returns it: the fields of the exports, the ids behind the names,
#: its sources as the caller may see them and its verdicts.
INCIDENT: Schema = {
    "type": "object",
    "required": ["id", "occurred_on", "category", "status", "version", "sources", "verdicts"],
    "properties": {
        "id": ID,
        "ref": nullable({"type": "string"}),
        "alleged_agreement": nullable(
            {"type": "string", "description": "The slug of the agreement it is alleged to breach."}
        ),
        "alleged_agreement_id": nullable(ID),
        "occurred_start": MOMENT,
        "occurred_end": MOMENT,
        "occurred_on": DATE,
        "date_precision": {"type": "string"},
        "place": nullable({"type": "string"}),
        "place_ar": nullable({"type": "string"}),
        "place_id": nullable(ID),
        "admin1": nullable({"type": "string"}),
        "admin2": nullable({"type": "string"}),
        "admin3": nullable({"type": "string"}),
        "latitude": nullable({"type": "number"}),
        "longitude": nullable({"type": "number"}),
        "location_precision": enum_of(LocationPrecision),
        "perpetrator": nullable({"type": "string"}),
        "perpetrator_id": nullable(ID),
        "perpetrator_confidence": nullable(enum_of(Confidence)),
        "target_actor": nullable({"type": "string"}),
        "target_actor_id": nullable(ID),
        "category": enum_of(Category),
        "weapon": nullable({"type": "string"}),
        "event_count": COUNT,
        "count_qualifier": enum_of(CountQualifier),
        "count_period_hours": COUNT,
        **{name: COUNT for name in CASUALTY_FIELDS},
        "description_en": nullable({"type": "string"}),
        "description_ar": nullable({"type": "string"}),
        "claimed_justification": nullable({"type": "string"}),
        "claimed_target": nullable({"type": "string"}),
        "status": enum_of(Status),
        "status_reason": nullable({"type": "string"}),
        "version": {"type": "integer"},
        "created_at": MOMENT,
        "updated_at": MOMENT,
        "sources": {"type": "array", "items": ref("SourceLink")},
        "verdicts": {"type": "array", "items": ref("Verdict")},
        "highlight": {
            "type": "string",
            "description": "With a search: the description, HTML-escaped, with the matched "
            "words in <mark>.",
        },
    },
}

#: What a client sends to create or replace an incident (the fields of the entry form).
INCIDENT_INPUT: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["when", "category"],
    "properties": {
        "ref": nullable(text_up_to(TEXT_LIMITS["ref"])),
        "alleged_agreement_id": nullable(ID),
        "provision_ids": {"type": "array", "items": ID, "maxItems": 50},
        "when": {
            "type": "string",
            "minLength": 1,
            "maxLength": 100,
            "description": "The date as analysts write it: 2019-05-22, 2019-05-22 14:30, "
            "2019-W21, 2019-05, a range 2019-05-18/2019-05-20.",
        },
        "place_id": nullable(ID),
        "location_precision": enum_of(LocationPrecision),
        "perpetrator_id": nullable(ID),
        "perpetrator_confidence": nullable(enum_of(Confidence)),
        "target_actor_id": nullable(ID),
        "claimed_target_id": nullable(ID),
        "category": enum_of(Category),
        "weapon": nullable(text_up_to(TEXT_LIMITS["weapon"])),
        "event_count": COUNT,
        "count_qualifier": enum_of(CountQualifier),
        "count_period_hours": COUNT,
        **{name: COUNT for name in CASUALTY_FIELDS},
        "description_en": nullable(text_up_to(TEXT_LIMITS["description_en"])),
        "description_ar": nullable(text_up_to(TEXT_LIMITS["description_ar"])),
        "claimed_justification": nullable(text_up_to(TEXT_LIMITS["claimed_justification"])),
        "status": {"type": "string", "enum": ["draft", "submitted"]},
        "sources": {
            "type": "array",
            "maxItems": 50,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["source_id"],
                "properties": {
                    "source_id": ID,
                    "credibility": {"type": "integer", "minimum": 1, "maximum": 6},
                    "stance": enum_of(Stance),
                    "blames_actor_id": nullable(ID),
                    "excerpt": nullable(text_up_to(MAX_EXCERPT)),
                },
            },
        },
    },
}

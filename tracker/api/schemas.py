"""The JSON Schemas of the API's resources, one definition each: the API validates request
bodies with them and the OpenAPI document publishes them, so the two cannot drift."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from tracker.models import (
    ActorKind,
    Category,
    Confidence,
    CountQualifier,
    LocationPrecision,
    PlaceKind,
    Reliability,
    SourceKind,
    Stance,
    Status,
)
from tracker.models.api_tokens import TokenScope
from tracker.rules.applicability import Verdict
from tracker.rules.values import INT32_MAX
from tracker.services.incident_input import (
    CASUALTY_FIELDS,
    MAX_COUNT,
    MAX_EXCERPT,
    TEXT_LIMITS,
)
from tracker.services.sources import SOURCE_FIELDS

Schema = dict[str, Any]


def _null(schema: Schema) -> Schema:
    """``schema`` or null."""
    return {"anyOf": [schema, {"type": "null"}]}


def enum_of(kind: Any) -> Schema:
    """A string, one of the values of the enumeration ``kind``."""
    return {"type": "string", "enum": [k.value for k in kind]}


def _text(longest: int) -> Schema:
    return {"type": "string", "maxLength": longest}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


ID = {"type": "integer", "minimum": 1, "maximum": INT32_MAX}
COUNT = _null({"type": "integer", "minimum": 0, "maximum": MAX_COUNT})
DATE = {"type": "string", "format": "date"}
MOMENT = {"type": "string", "format": "date-time"}

PROBLEM: Schema = {
    "type": "object",
    "description": "An error, as RFC 9457 problem details.",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "A message per wrong field of the request body.",
            "additionalProperties": {"type": "string"},
        },
        "current_version": {"type": "integer"},
    },
}

SOURCE_LINK: Schema = {
    "type": "object",
    "required": ["source_id", "title", "credibility", "stance"],
    "properties": {
        "source_id": ID,
        "title": {"type": "string"},
        "publisher": _null({"type": "string"}),
        "reliability": enum_of(Reliability),
        "is_confidential": {"type": "boolean"},
        "credibility": {"type": "integer", "minimum": 1, "maximum": 6},
        "stance": enum_of(Stance),
        "excerpt": _null({"type": "string"}),
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
        "ref": _null({"type": "string"}),
        "alleged_agreement": _null(
            {"type": "string", "description": "The slug of the agreement it is alleged to breach."}
        ),
        "alleged_agreement_id": _null(ID),
        "occurred_start": MOMENT,
        "occurred_end": MOMENT,
        "occurred_on": DATE,
        "date_precision": {"type": "string"},
        "place": _null({"type": "string"}),
        "place_ar": _null({"type": "string"}),
        "place_id": _null(ID),
        "admin1": _null({"type": "string"}),
        "admin2": _null({"type": "string"}),
        "admin3": _null({"type": "string"}),
        "latitude": _null({"type": "number"}),
        "longitude": _null({"type": "number"}),
        "location_precision": enum_of(LocationPrecision),
        "perpetrator": _null({"type": "string"}),
        "perpetrator_id": _null(ID),
        "perpetrator_confidence": _null(enum_of(Confidence)),
        "target_actor": _null({"type": "string"}),
        "target_actor_id": _null(ID),
        "category": enum_of(Category),
        "weapon": _null({"type": "string"}),
        "event_count": COUNT,
        "count_qualifier": enum_of(CountQualifier),
        "count_period_hours": COUNT,
        **{name: COUNT for name in CASUALTY_FIELDS},
        "description_en": _null({"type": "string"}),
        "description_ar": _null({"type": "string"}),
        "claimed_justification": _null({"type": "string"}),
        "claimed_target": _null({"type": "string"}),
        "status": enum_of(Status),
        "status_reason": _null({"type": "string"}),
        "version": {"type": "integer"},
        "created_at": MOMENT,
        "updated_at": MOMENT,
        "sources": {"type": "array", "items": _ref("SourceLink")},
        "verdicts": {"type": "array", "items": _ref("Verdict")},
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
        "ref": _null(_text(TEXT_LIMITS["ref"])),
        "alleged_agreement_id": _null(ID),
        "provision_ids": {"type": "array", "items": ID, "maxItems": 50},
        "when": {
            "type": "string",
            "minLength": 1,
            "maxLength": 100,
            "description": "The date as analysts write it: 2019-05-22, 2019-05-22 14:30, "
            "2019-W21, 2019-05, a range 2019-05-18/2019-05-20.",
        },
        "place_id": _null(ID),
        "location_precision": enum_of(LocationPrecision),
        "perpetrator_id": _null(ID),
        "perpetrator_confidence": _null(enum_of(Confidence)),
        "target_actor_id": _null(ID),
        "claimed_target_id": _null(ID),
        "category": enum_of(Category),
        "weapon": _null(_text(TEXT_LIMITS["weapon"])),
        "event_count": COUNT,
        "count_qualifier": enum_of(CountQualifier),
        "count_period_hours": COUNT,
        **{name: COUNT for name in CASUALTY_FIELDS},
        "description_en": _null(_text(TEXT_LIMITS["description_en"])),
        "description_ar": _null(_text(TEXT_LIMITS["description_ar"])),
        "claimed_justification": _null(_text(TEXT_LIMITS["claimed_justification"])),
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
                    "blames_actor_id": _null(ID),
                    "excerpt": _null(_text(MAX_EXCERPT)),
                },
            },
        },
    },
}

SOURCE: Schema = {
    "type": "object",
    "required": ["id", "kind", "title", "reliability", "is_confidential", "state", "version"],
    "properties": {
        "id": ID,
        "ref": _null({"type": "string"}),
        "kind": enum_of(SourceKind),
        "title": {"type": "string"},
        "url": _null({"type": "string"}),
        "publisher": _null({"type": "string"}),
        "author": _null({"type": "string"}),
        "language": _null({"type": "string"}),
        "published_at": _null(MOMENT),
        "archive_url": _null({"type": "string"}),
        "reliability": enum_of(Reliability),
        "is_confidential": {"type": "boolean"},
        "notes": _null({"type": "string"}),
        "state": {"type": "string"},
        "version": {"type": "integer"},
        "highlight": {"type": "string"},
    },
}

SOURCE_INPUT: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["kind", "title"],
    "properties": {
        "kind": enum_of(SourceKind),
        "title": {"type": "string", "minLength": 1, "maxLength": SOURCE_FIELDS["title"]},
        "url": _null(_text(SOURCE_FIELDS["url"])),
        "publisher": _null(_text(SOURCE_FIELDS["publisher"])),
        "author": _null(_text(SOURCE_FIELDS["author"])),
        "language": _null(_text(SOURCE_FIELDS["language"])),
        "published_at": _null(_text(SOURCE_FIELDS["published_at"])),
        "archive_url": _null(_text(SOURCE_FIELDS["archive_url"])),
        "reliability": enum_of(Reliability),
        "is_confidential": {"type": "boolean"},
        "notes": _null(_text(SOURCE_FIELDS["notes"])),
    },
}

NAMED: dict[str, Schema] = {
    "slug": {"type": "string"},
    "name_en": {"type": "string"},
    "name_ar": _null({"type": "string"}),
}

ACTOR: Schema = {
    "type": "object",
    "required": ["id", "slug", "name_en", "kind"],
    "properties": {
        "id": ID,
        **NAMED,
        "aliases": {"type": "array", "items": {"type": "string"}},
        "kind": enum_of(ActorKind),
        "parent": _null({"type": "string"}),
        "country": _null({"type": "string"}),
    },
}

PLACE: Schema = {
    "type": "object",
    "required": ["id", "slug", "name_en", "kind"],
    "properties": {
        "id": ID,
        **NAMED,
        "aliases": {"type": "array", "items": {"type": "string"}},
        "kind": enum_of(PlaceKind),
        "pcode": _null({"type": "string"}),
        **{f"admin{n}_name": _null({"type": "string"}) for n in (1, 2, 3)},
        **{f"admin{n}_pcode": _null({"type": "string"}) for n in (1, 2, 3)},
        "latitude": _null({"type": "number"}),
        "longitude": _null({"type": "number"}),
    },
}

AGREEMENT: Schema = {
    "type": "object",
    "required": ["id", "slug", "name_en", "kind", "effective_from"],
    "properties": {
        "id": ID,
        **NAMED,
        "kind": {"type": "string"},
        "signed_on": _null(DATE),
        "effective_from": MOMENT,
        "expires_at": _null(MOMENT),
        "is_unilateral": {"type": "boolean"},
        "parent": _null({"type": "string"}),
        "summary_en": _null({"type": "string"}),
        "summary_ar": _null({"type": "string"}),
        "text_url": _null({"type": "string"}),
        "parties": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["actor", "role"],
                "properties": {"actor": {"type": "string"}, "role": {"type": "string"}},
            },
        },
        "provisions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "code", "title_en", "kind"],
                "properties": {
                    "id": ID,
                    "code": {"type": "string"},
                    "title_en": {"type": "string"},
                    "title_ar": _null({"type": "string"}),
                    "text": _null({"type": "string"}),
                    "kind": {"type": "string"},
                    "deadline": _null(MOMENT),
                },
            },
        },
        "territories": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name_en"],
                "properties": {
                    "name_en": {"type": "string"},
                    "name_ar": _null({"type": "string"}),
                    "geometry": _null({"type": "object"}),
                    "admin_pcodes": _null({"type": "array", "items": {"type": "string"}}),
                },
            },
        },
    },
}

REPORT: Schema = {
    "type": "object",
    "description": "The report of an agreement, the same figures as the report page and its "
    "JSON download.",
    "required": ["agreement"],
}

TOKEN_SCOPES = [s.value for s in TokenScope]


def page_of(item: str) -> Schema:
    """A page of a list: its rows and the address of the next page (null at the end)."""
    return {
        "type": "object",
        "required": ["items", "next"],
        "properties": {
            "items": {"type": "array", "items": _ref(item)},
            "next": _null({"type": "string"}),
        },
    }


#: Every schema of the document, by name.
COMPONENTS: dict[str, Schema] = {
    "Problem": PROBLEM,
    "SourceLink": SOURCE_LINK,
    "Verdict": VERDICT,
    "Incident": INCIDENT,
    "IncidentInput": INCIDENT_INPUT,
    "Source": SOURCE,
    "SourceInput": SOURCE_INPUT,
    "Actor": ACTOR,
    "Place": PLACE,
    "Agreement": AGREEMENT,
    "Report": REPORT,
    **{f"{name}Page": page_of(name) for name in ("Incident", "Source", "Actor", "Place")},
    "AgreementPage": page_of("Agreement"),
}


def validator(name: str) -> Draft202012Validator:
    """A validator of the schema ``name`` (references resolved within the components)."""
    schema = {**COMPONENTS[name], "components": {"schemas": COMPONENTS}}
    return Draft202012Validator(schema)


def errors_of(name: str, body: Any) -> dict[str, str]:
    """A message per wrong field of ``body`` against the schema ``name`` (empty when valid);
    errors of the whole body are keyed ``""``."""
    found: dict[str, str] = {}
    for error in sorted(validator(name).iter_errors(body), key=lambda e: list(e.path)):
        where = ".".join(str(p) for p in error.absolute_path)
        found.setdefault(where, error.message[:300])
    return found

"""The JSON Schemas of the API's resources, one definition each: the API validates request
bodies with them and the OpenAPI document publishes them, so the two cannot drift."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from tracker.api.schemas.catalogue import ACTOR, AGREEMENT, PLACE, REPORT
from tracker.api.schemas.common import Schema, nullable, ref
from tracker.api.schemas.incidents import INCIDENT, INCIDENT_INPUT, SOURCE_LINK, VERDICT
from tracker.api.schemas.sources import SOURCE, SOURCE_INPUT

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


def page_of(item: str) -> Schema:
    """A page of a list: its rows and the address of the next page (null at the end)."""
    return {
        "type": "object",
        "required": ["items", "next"],
        "properties": {
            "items": {"type": "array", "items": ref(item)},
            "next": nullable({"type": "string"}),
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

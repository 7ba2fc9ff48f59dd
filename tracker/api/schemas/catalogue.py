"""The API's schemas of the catalogue: actors, places, agreements and their reports."""

from __future__ import annotations

from tracker.api.schemas.common import DATE, ID, MOMENT, Schema, enum_of, nullable
from tracker.models import ActorKind, PlaceKind

NAMED: dict[str, Schema] = {
    "slug": {"type": "string"},
    "name_en": {"type": "string"},
    "name_ar": nullable({"type": "string"}),
}

ACTOR: Schema = {
    "type": "object",
    "required": ["id", "slug", "name_en", "kind"],
    "properties": {
        "id": ID,
        **NAMED,
        "aliases": {"type": "array", "items": {"type": "string"}},
        "kind": enum_of(ActorKind),
        "parent": nullable({"type": "string"}),
        "country": nullable({"type": "string"}),
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
        "pcode": nullable({"type": "string"}),
        **{f"admin{n}_name": nullable({"type": "string"}) for n in (1, 2, 3)},
        **{f"admin{n}_pcode": nullable({"type": "string"}) for n in (1, 2, 3)},
        "latitude": nullable({"type": "number"}),
        "longitude": nullable({"type": "number"}),
    },
}

AGREEMENT: Schema = {
    "type": "object",
    "required": ["id", "slug", "name_en", "kind", "effective_from"],
    "properties": {
        "id": ID,
        **NAMED,
        "kind": {"type": "string"},
        "signed_on": nullable(DATE),
        "effective_from": MOMENT,
        "expires_at": nullable(MOMENT),
        "is_unilateral": {"type": "boolean"},
        "parent": nullable({"type": "string"}),
        "summary_en": nullable({"type": "string"}),
        "summary_ar": nullable({"type": "string"}),
        "text_url": nullable({"type": "string"}),
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
                    "title_ar": nullable({"type": "string"}),
                    "text": nullable({"type": "string"}),
                    "kind": {"type": "string"},
                    "deadline": nullable(MOMENT),
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
                    "name_ar": nullable({"type": "string"}),
                    "geometry": nullable({"type": "object"}),
                    "admin_pcodes": nullable({"type": "array", "items": {"type": "string"}}),
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

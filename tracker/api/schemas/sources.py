"""The API's schemas of sources: a source as returned, and what a client sends to create or
replace one."""

from __future__ import annotations

from tracker.api.schemas.common import ID, MOMENT, Schema, enum_of, nullable, text_up_to
from tracker.models import Reliability, SourceKind
from tracker.services.sources import SOURCE_FIELDS

SOURCE: Schema = {
    "type": "object",
    "required": ["id", "kind", "title", "reliability", "is_confidential", "state", "version"],
    "properties": {
        "id": ID,
        "ref": nullable({"type": "string"}),
        "kind": enum_of(SourceKind),
        "title": {"type": "string"},
        "url": nullable({"type": "string"}),
        "publisher": nullable({"type": "string"}),
        "author": nullable({"type": "string"}),
        "language": nullable({"type": "string"}),
        "published_at": nullable(MOMENT),
        "archive_url": nullable({"type": "string"}),
        "reliability": enum_of(Reliability),
        "is_confidential": {"type": "boolean"},
        "notes": nullable({"type": "string"}),
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
        "url": nullable(text_up_to(SOURCE_FIELDS["url"])),
        "publisher": nullable(text_up_to(SOURCE_FIELDS["publisher"])),
        "author": nullable(text_up_to(SOURCE_FIELDS["author"])),
        "language": nullable(text_up_to(SOURCE_FIELDS["language"])),
        "published_at": nullable(text_up_to(SOURCE_FIELDS["published_at"])),
        "archive_url": nullable(text_up_to(SOURCE_FIELDS["archive_url"])),
        "reliability": enum_of(Reliability),
        "is_confidential": {"type": "boolean"},
        "notes": nullable(text_up_to(SOURCE_FIELDS["notes"])),
    },
}

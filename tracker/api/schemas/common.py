"""The building blocks of the API's schemas: the types of ids, counts, dates and times, and
schemas made from others (nullable, an enumeration's values, bounded text, a reference)."""

from __future__ import annotations

from typing import Any

from tracker.rules.values import INT32_MAX
from tracker.services.incident_input import MAX_COUNT

Schema = dict[str, Any]


def nullable(schema: Schema) -> Schema:
    """``schema`` or null."""
    return {"anyOf": [schema, {"type": "null"}]}


def enum_of(kind: Any) -> Schema:
    """One of the values of the enumeration ``kind``."""
    return {"type": "string", "enum": [k.value for k in kind]}


def text_up_to(longest: int) -> Schema:
    """Text of at most ``longest`` characters."""
    return {"type": "string", "maxLength": longest}


def ref(name: str) -> Schema:
    """The schema ``name`` of the document's components."""
    return {"$ref": f"#/components/schemas/{name}"}


ID = {"type": "integer", "minimum": 1, "maximum": INT32_MAX}
COUNT = nullable({"type": "integer", "minimum": 0, "maximum": MAX_COUNT})
DATE = {"type": "string", "format": "date"}
MOMENT = {"type": "string", "format": "date-time"}

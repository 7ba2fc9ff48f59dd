"""The OpenAPI 3.1 document of the API, built from the operations the views declare and the
schemas of :mod:`tracker.api.schemas` (the same ones that validate request bodies)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tracker.api.schemas import COMPONENTS

VERSION = "1.0.0"


@dataclass(frozen=True)
class Param:
    """A query or path parameter."""

    name: str
    description: str
    schema: dict[str, Any] = field(default_factory=lambda: {"type": "string"})
    where: str = "query"


@dataclass(frozen=True)
class Operation:
    """One method on one path: who may call it, what it takes and what it returns."""

    method: str
    path: str
    summary: str
    role: str
    response: str | None
    params: tuple[Param, ...] = ()
    body: str | None = None
    status: int = 200
    etag: bool = False
    media_type: str = "application/json"


OPERATIONS: list[Operation] = []


def declare(operation: Operation) -> None:
    """Add an operation to the document."""
    OPERATIONS.append(operation)


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }


def _operation(op: Operation) -> dict[str, Any]:
    parameters = [
        {
            "name": p.name,
            "in": p.where,
            "required": p.where == "path",
            "description": p.description,
            "schema": p.schema,
        }
        for p in op.params
    ]
    if op.etag and op.body:
        parameters.append(
            {
                "name": "If-Match",
                "in": "header",
                "required": True,
                "description": "The ETag of the version being replaced (optimistic locking).",
                "schema": {"type": "string"},
            }
        )
    success: dict[str, Any] = {"description": "Success."}
    if op.response:
        success["content"] = {
            op.media_type: {"schema": {"$ref": f"#/components/schemas/{op.response}"}}
        }
    if op.etag:
        success["headers"] = {
            "ETag": {"description": "The record's version.", "schema": {"type": "string"}}
        }
    responses: dict[str, Any] = {str(op.status): success}
    if op.role != "public":
        responses["401"] = _problem("No usable token.")
        responses["403"] = _problem("The token's scope or its user's role does not allow it.")
        responses["429"] = _problem("Too many requests with this token.")
    responses["400"] = _problem("A query parameter was not understood.")
    if "{" in op.path:
        responses["404"] = _problem("No such record (or not one the caller may see).")
    if op.body:
        responses["415"] = _problem("The body is not JSON.")
        responses["422"] = _problem("The body was refused: a message per wrong field.")
    if op.etag and op.body:
        responses["412"] = _problem("The record changed since the version in If-Match.")
        responses["428"] = _problem("If-Match is required.")
    found: dict[str, Any] = {
        "summary": op.summary,
        "description": f"Needs the role {op.role}"
        + (" and a read-write token." if op.method != "get" else ".")
        if op.role != "public"
        else "Open to anyone.",
        "parameters": parameters,
        "responses": responses,
    }
    if op.role != "public":
        found["security"] = [{"token": []}]
    else:
        found["security"] = []
    if op.body:
        found["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{op.body}"}}
            },
        }
    return found


def document(server_url: str = "/api/v1") -> dict[str, Any]:
    """The OpenAPI 3.1 document of every declared operation."""
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method] = _operation(op)
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Ceasefire Tracker API",
            "version": VERSION,
            "description": "Agreements, incidents, sources, actors, places and reports. "
            "Authenticate with a personal token from your account page: "
            "`Authorization: Bearer TOKEN`. Lists are pages: follow `next`. Errors are "
            "RFC 9457 problem details.",
        },
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {
            "schemas": COMPONENTS,
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
    }

"""Errors of the API as RFC 9457 problem details (``application/problem+json``)."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, request
from werkzeug.http import HTTP_STATUS_CODES

MEDIA_TYPE = "application/problem+json"
#: The problem types of the API, documented at their URI.
TYPES = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    412: "stale-version",
    415: "unsupported-media-type",
    422: "invalid-input",
    428: "version-required",
    429: "rate-limited",
    500: "server-error",
}


def is_api_request() -> bool:
    """Whether the request is addressed to the API."""
    return request.path.startswith("/api/")


def problem(
    status: int,
    detail: str | None = None,
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """A problem details response with ``status`` and a human-readable ``detail``."""
    body: dict[str, Any] = {
        "type": f"/api/v1/problems/{TYPES.get(status, 'error')}",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
    }
    if detail:
        body["detail"] = detail
    body["instance"] = request.path
    body.update(extra)
    response = Response(json.dumps(body, ensure_ascii=False), status, mimetype=MEDIA_TYPE)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response

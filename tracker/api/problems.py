"""Errors of the API as RFC 9457 problem details (``application/problem+json``), and the one
place that turns the services' refusals into them."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from flask import Response, request
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.http import HTTP_STATUS_CODES

from tracker.db import get_session, is_write_conflict
from tracker.services.errors import (
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    ServiceError,
    StaleEditError,
)

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


class ProblemError(Exception):
    """A request the API refuses, raised anywhere under a view and answered as the problem
    ``status`` with ``detail`` and the members in ``extra`` (see :func:`answers_problems`)."""

    def __init__(self, status: int, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.extra = extra


def bad_parameters(errors: dict[str, str]) -> ProblemError:
    """The refusal of query parameters the API cannot read, a message per parameter."""
    return ProblemError(400, " ".join(errors.values()), errors=errors)


def service_problem(error: ServiceError) -> Response:
    """The problem that answers a refusal of the services: a record that does not exist
    (404), a change the user may not make (403), a stale If-Match (412, with the current
    version) and input that breaks a rule (422, with a message per field)."""
    if isinstance(error, NotFoundError):
        return problem(404, str(error))
    if isinstance(error, ForbiddenError):
        return problem(403, str(error))
    if isinstance(error, StaleEditError):
        return problem(412, str(error), current_version=error.current_version)
    if isinstance(error, InvalidInputError):
        return problem(422, str(error), errors={k: str(v) for k, v in error.errors.items()})
    return problem(409, str(error))


def answers_problems(view: Callable[..., Response]) -> Callable[..., Response]:
    """Answer the refusals raised under ``view`` as problem details, after rolling back what
    it wrote: :class:`ProblemError`, the services' errors, and a write refused because another
    was saved at the same moment (409)."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Response:
        try:
            return view(*args, **kwargs)
        except ProblemError as error:
            get_session().rollback()
            return problem(error.status, str(error), **error.extra)
        except ServiceError as error:
            get_session().rollback()
            return service_problem(error)
        except SQLAlchemyError as error:
            if not is_write_conflict(error):
                raise
            get_session().rollback()
            return problem(
                409, _("Someone else saved this record at the same moment; nothing was written.")
            )

    return wrapped

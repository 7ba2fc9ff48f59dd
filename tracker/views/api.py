"""The JSON API, version 1: its blueprint, what its views share (pages, ETags, bodies, writes
through the services of the forms), the OpenAPI document and its page. The areas' views are in
:mod:`tracker.views.api_incidents`, :mod:`tracker.views.api_sources` and
:mod:`tracker.views.api_catalogue`.

Each view declares its rule (:func:`tracker.permissions.requires`) and its operation in the
OpenAPI document next to it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _

from tracker.api.auth import api_user
from tracker.api.openapi import Operation, Param, declare, document
from tracker.api.problems import ProblemError, bad_parameters
from tracker.api.schemas import errors_of
from tracker.db import get_session
from tracker.permissions import requires
from tracker.queries.listing import SortOrder
from tracker.queries.visibility import Audience
from tracker.rules.values import ascii_digits
from tracker.views.common import local_zone

bp = Blueprint("api", __name__, url_prefix="/api/v1")
T = TypeVar("T")

MAX_LIMIT = 200
LIMIT = Param("limit", "Rows per page (1-200, 50 by default).", {"type": "integer"})
AFTER = Param("after", "The page key from the previous page's `next` link.")
Q = Param("q", "Words to search for (English, Arabic, any transliteration; phrases in quotes).")


def json_response(
    data: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """``data`` as a JSON response with ``status`` and ``headers``."""
    response = Response(json.dumps(data, ensure_ascii=False), status, mimetype="application/json")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def api_audience() -> Audience:
    """Whom the response is for (the token's user's role): what it may show is decided by
    :mod:`tracker.queries.visibility`."""
    return Audience.of(api_user().role)


def api_public() -> bool:
    """Whether the response is for the public (no internal or confidential data)."""
    return api_audience().public


def page_size() -> int:
    """The rows per page the request asks for (``limit``), or the default.

    :raises ProblemError: for a limit that is no whole number from 1 to :data:`MAX_LIMIT`."""
    raw = request.args.get("limit")
    if raw is None:
        return int(current_app.config["PAGE_SIZE"])
    if not ascii_digits(raw) or not 1 <= int(raw) <= MAX_LIMIT:
        raise bad_parameters({"limit": f"limit must be a whole number from 1 to {MAX_LIMIT}."})
    return int(raw)


def choice_errors(params: Iterable[Param]) -> dict[str, str]:
    """A message per query parameter of ``params`` whose value is not one of those its schema
    lists (an empty value is no choice: the filter is off)."""
    errors = {}
    for param in params:
        choices = param.schema.get("enum")
        value = request.args.get(param.name)
        if choices and value and value not in choices:
            errors[param.name] = f"{param.name} is one of {', '.join(choices)}."
    return errors


def _next_link(after: str | None) -> str | None:
    if after is None:
        return None
    args = {k: v for k, v in request.args.items() if k != "after"}
    return f"{request.script_root}{request.path}?{urlencode({**args, 'after': after})}"


def page_response(items: list[dict[str, Any]], after: str | None) -> Response:
    """A page of ``items`` with the link to the next page (None on the last)."""
    return json_response({"items": items, "next": _next_link(after)})


def _etag(version: int) -> str:
    return f'"{version}"'


def _expected_version() -> int:
    """The version named by If-Match.

    :raises ProblemError: without If-Match (428), or when it names no version (412)."""
    raw = request.headers.get("If-Match")
    if not raw:
        raise ProblemError(428, _("Send If-Match with the ETag of the version you are replacing."))
    value = raw.strip().removeprefix("W/").strip('"')
    if not ascii_digits(value):
        raise ProblemError(412, _("If-Match does not name a version of this record."))
    return int(value)


def _body(schema: str) -> dict[str, Any]:
    """The request's JSON body checked against ``schema``.

    :raises ProblemError: for a body that is no JSON (415, 400) or breaks the schema (422)."""
    if not request.is_json:
        raise ProblemError(415, _("Send the body as JSON (Content-Type: application/json)."))
    body = request.get_json(silent=True)
    if body is None:
        raise ProblemError(400, _("The body is not valid JSON."))
    errors = errors_of(schema, body)
    if errors:
        raise ProblemError(422, _("The body does not match the %(name)s schema.", name=schema),
                           errors=errors)  # fmt: skip
    return dict(body)


def record_response(record: dict[str, Any], version: int, path: str, status: int) -> Response:
    """``record`` with its ETag, and where it lives when it was just created (201)."""
    headers = {"ETag": _etag(version)}
    if status == 201:
        headers["Location"] = f"{request.script_root}/api/v1/{path}"
    return json_response(record, status, headers)


@dataclass(frozen=True)
class Writes(Generic[T]):
    """How the API creates and replaces one kind of record, as its forms do: the body's
    ``schema``, the service's ``create(session, data, *, actor, tz)`` and
    ``update(session, record_id, data, expected_version, *, actor, tz)``, the response of a
    saved record ``respond(record, status)``, and ``prepare`` turning a body into the
    service's input. Refusals become problems (:func:`tracker.api.problems.answers_problems`).
    """

    schema: str
    create: Callable[..., T]
    update: Callable[..., T]
    respond: Callable[[T, int], Response]
    prepare: Callable[[dict[str, Any]], dict[str, Any]] = dict

    def create_one(self) -> Response:
        """Create a record from the request's body (201)."""
        data = self.prepare(_body(self.schema))
        session = get_session()
        saved = self.create(session, data, actor=api_user(), tz=local_zone())
        session.commit()
        return self.respond(saved, 201)

    def replace_one(self, record_id: int) -> Response:
        """Replace the record ``record_id`` from the request's body, at the version If-Match
        names (200)."""
        expected = _expected_version()
        data = self.prepare(_body(self.schema))
        session = get_session()
        saved = self.update(session, record_id, data, expected, actor=api_user(), tz=local_zone())
        session.commit()
        return self.respond(saved, 200)


def page_key(order: SortOrder, raw: str | None) -> tuple[Any, int] | None:
    """The key of the page after which ``raw`` (an ``after`` value) asks for rows in
    ``order``, or None for the first page.

    :raises ProblemError: when ``raw`` is no page key of this list."""
    key = order.read(raw)
    if raw and key is None:
        raise bad_parameters({"after": "after is not a page key of this list."})
    return key


def offset_key(raw: str) -> int:
    """The offset of a page of results ranked by relevance, from its key ``r<offset>``.

    :raises ProblemError: for any other key."""
    if not raw.startswith("r") or not ascii_digits(raw[1:]):
        raise bad_parameters({"after": "after is not a page key of this list."})
    return int(raw[1:])


# --- the document ---------------------------------------------------------------------------


@bp.route("/openapi.json")
@requires("public")
def openapi() -> Response:
    """The OpenAPI 3.1 document."""
    return json_response(document(f"{request.script_root}/api/v1"))


declare(Operation("get", "/openapi.json", "This document.", "public", None))


@bp.route("/docs")
@requires("public")
def docs() -> str:
    """The API's documentation, rendered from the OpenAPI document on the server."""
    return render_template("api/docs.html", doc=document(f"{request.script_root}/api/v1"))

"""The JSON API, version 1: reads of every area with the list filters and keyset pages, writes
of incidents and sources through the services of the forms, the OpenAPI document and its page.

Each view declares its rule (:func:`tracker.permissions.requires`) and its operation in the
OpenAPI document next to it."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.api import records
from tracker.api.auth import api_user
from tracker.api.openapi import Operation, Param, declare, document
from tracker.api.problems import ProblemError, answers_problems, bad_parameters
from tracker.api.schemas import errors_of
from tracker.db import get_session
from tracker.models import Actor, Agreement, AgreementParty, Incident, Place, RecordState, Source
from tracker.models.base import utcnow
from tracker.permissions import allowed, requires
from tracker.queries.incidents import (
    PUBLIC_STATUSES,
    IncidentFilters,
    filter_errors,
    keyset_page,
)
from tracker.queries.report_formats import to_json
from tracker.queries.reports import build_report
from tracker.queries.search import ranked_incidents, ranked_sources
from tracker.rules.search_terms import highlight, parse_query
from tracker.rules.values import ascii_digits, integer_problem, parse_id
from tracker.services import incidents as incident_service
from tracker.services import sources as source_service
from tracker.services.errors import InvalidInputError, NotFoundError
from tracker.views.common import local_zone
from tracker.views.reports import report_request

bp = Blueprint("api", __name__, url_prefix="/api/v1")
T = TypeVar("T")

MAX_LIMIT = 200
LIMIT = Param("limit", "Rows per page (1-200, 50 by default).", {"type": "integer"})
AFTER = Param("after", "The page key from the previous page's `next` link.")
Q = Param("q", "Words to search for (English, Arabic, any transliteration; phrases in quotes).")
INCIDENT_FILTERS = (
    Param("agreement", "An agreement's slug."),
    Param("from", "First day (YYYY-MM-DD).", {"type": "string", "format": "date"}),
    Param("to", "Last day (YYYY-MM-DD).", {"type": "string", "format": "date"}),
    Param("status", "Statuses, comma-separated."),
    Param("category", "An incident category."),
    Param("perpetrator", "An actor's slug."),
    Param("place", "A place's number.", {"type": "integer"}),
    Q,
    Param("retracted", "1 to include retracted incidents (analysts)."),
    Param("order", "newest (default), oldest, or relevance (the default with q)."),
    AFTER,
    LIMIT,
)


def _json(data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    response = Response(json.dumps(data, ensure_ascii=False), status, mimetype="application/json")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _analyst() -> bool:
    return allowed(api_user().role, "analyst")


def _limit() -> int:
    raw = request.args.get("limit")
    if raw is None:
        return int(current_app.config["PAGE_SIZE"])
    if not ascii_digits(raw) or not 1 <= int(raw) <= MAX_LIMIT:
        raise bad_parameters({"limit": f"limit must be a whole number from 1 to {MAX_LIMIT}."})
    return int(raw)


def _next_link(after: str | None) -> str | None:
    if after is None:
        return None
    args = {k: v for k, v in request.args.items() if k != "after"}
    return f"{request.script_root}{request.path}?{urlencode({**args, 'after': after})}"


def _page(items: list[dict[str, Any]], after: str | None) -> Response:
    return _json({"items": items, "next": _next_link(after)})


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


def _record_response(record: dict[str, Any], version: int, path: str, status: int) -> Response:
    """``record`` with its ETag, and where it lives when it was just created (201)."""
    headers = {"ETag": _etag(version)}
    if status == 201:
        headers["Location"] = f"{request.script_root}/api/v1/{path}"
    return _json(record, status, headers)


def _save(
    schema: str,
    write: Callable[[Session, dict[str, Any], int | None], T],
    respond: Callable[[T, int], Response],
    *,
    replacing: bool,
) -> Response:
    """Create a record (201) or replace one (200, at the version If-Match names) through its
    service, as the forms do, from a body of ``schema``; refusals become problems
    (:func:`tracker.api.problems.answers_problems`)."""
    expected = _expected_version() if replacing else None
    body = _body(schema)
    session = get_session()
    saved = write(session, body, expected)
    session.commit()
    return respond(saved, 200 if replacing else 201)


# --- the document ---------------------------------------------------------------------------


@bp.route("/openapi.json")
@requires("public")
def openapi() -> Response:
    """The OpenAPI 3.1 document."""
    return _json(document(f"{request.script_root}/api/v1"))


declare(Operation("get", "/openapi.json", "This document.", "public", None))


@bp.route("/docs")
@requires("public")
def docs() -> str:
    """The API's documentation, rendered from the OpenAPI document on the server."""
    return render_template("api/docs.html", doc=document(f"{request.script_root}/api/v1"))


# --- incidents ------------------------------------------------------------------------------


def _incident_filters() -> IncidentFilters:
    args = request.args
    errors = filter_errors(args)
    if args.get("status"):
        known = {s.value for s in PUBLIC_STATUSES} | {"draft", "retracted"}
        wrong = [s for s in args["status"].split(",") if s not in known]
        if wrong:
            errors["status"] = f"unknown status {', '.join(wrong)}"
    if args.get("place") and parse_id(args["place"]) is None:
        errors["place"] = "place is a place's number."
    if args.get("order") not in {None, "", "newest", "oldest", "relevance"}:
        errors["order"] = "order is newest, oldest or relevance."
    if errors:
        raise bad_parameters(errors)
    filters = IncidentFilters.from_args(args, public=not _analyst())
    if not _analyst():
        filters.include_retracted = False
    return filters


def _date_key(raw: str) -> tuple[dt.date, int]:
    day, _sep, number = raw.partition("_")
    try:
        key = dt.date.fromisoformat(day), int(number)
    except ValueError as error:
        raise bad_parameters({"after": "after is not a page key of this list."}) from error
    if integer_problem(key[1], 0):
        raise bad_parameters({"after": "after is not a page key of this list."})
    return key


def _offset_key(raw: str) -> int:
    if not raw.startswith("r") or not ascii_digits(raw[1:]):
        raise bad_parameters({"after": "after is not a page key of this list."})
    return int(raw[1:])


@bp.route("/incidents")
@requires("viewer")
@answers_problems
def incidents() -> Response:
    """A page of incidents, newest first, or most relevant first with ``q``."""
    filters = _incident_filters()
    size = _limit()
    session = get_session()
    raw_after = request.args.get("after")
    order = request.args.get("order") or ("relevance" if filters.text else "newest")
    show = _analyst()
    if order == "relevance" and filters.text:
        offset = _offset_key(raw_after) if raw_after else 0
        ranked = ranked_incidents(session, filters, offset=offset, size=size + 1)
        page = [incident for incident, _score in ranked[:size]]
        items = records.incident_records(session, page, show_confidential=show)
        query = parse_query(filters.text)
        for item in items:
            text = item.get("description_en") or item.get("description_ar") or ""
            item["highlight"] = str(highlight(text, query, around=120))
        return _page(items, f"r{offset + size}" if len(ranked) > size else None)
    after = _date_key(raw_after) if raw_after else None
    rows = keyset_page(session, filters, after=after, size=size + 1)
    page = rows[:size]
    last = f"{page[-1].occurred_on.isoformat()}_{page[-1].id}" if len(rows) > size else None
    return _page(records.incident_records(session, page, show_confidential=show), last)


declare(Operation("get", "/incidents", "List incidents.", "viewer", "IncidentPage",
                  INCIDENT_FILTERS))  # fmt: skip


def _visible_incident(incident_id: int) -> Incident:
    incident = get_session().get(Incident, incident_id)
    visible = {s.value for s in PUBLIC_STATUSES}
    if incident is None or (not _analyst() and incident.status not in visible):
        raise NotFoundError(_("There is no incident number %(number)s.", number=incident_id))
    return incident


def _incident_response(incident: Incident, status: int = 200) -> Response:
    [record] = records.incident_records(get_session(), [incident], show_confidential=_analyst())
    return _record_response(record, incident.version, f"incidents/{incident.id}", status)


ID_PARAM = Param("incident_id", "The incident's number.", {"type": "integer", "minimum": 1}, "path")


@bp.route("/incidents/<int:incident_id>")
@requires("viewer")
@answers_problems
def incident(incident_id: int) -> Response:
    """One incident with its sources and verdicts."""
    return _incident_response(_visible_incident(incident_id))


declare(Operation("get", "/incidents/{incident_id}", "Read an incident.", "viewer", "Incident",
                  (ID_PARAM,), etag=True))  # fmt: skip


def _incident_data(body: dict[str, Any]) -> dict[str, Any]:
    data = dict(body)
    data["sources"] = [
        {**link, "credibility": link.get("credibility", 6), "stance": link.get("stance")}
        for link in body.get("sources") or []
    ]
    return data


def _write_incident(
    session: Session, body: dict[str, Any], expected: int | None, incident_id: int | None = None
) -> Incident:
    data = _incident_data(body)
    if incident_id is None or expected is None:
        return incident_service.create_incident(session, data, actor=api_user(), tz=local_zone())
    return incident_service.update_incident(
        session, incident_id, data, expected, actor=api_user(), tz=local_zone()
    )


@bp.route("/incidents", methods=["POST"])
@requires("analyst")
@answers_problems
def create_incident() -> Response:
    """Create an incident, as the entry form does."""
    return _save("IncidentInput", _write_incident, _incident_response, replacing=False)


declare(Operation("post", "/incidents", "Create an incident.", "analyst", "Incident",
                  body="IncidentInput", status=201, etag=True))  # fmt: skip


@bp.route("/incidents/<int:incident_id>", methods=["PUT"])
@requires("analyst")
@answers_problems
def replace_incident(incident_id: int) -> Response:
    """Replace an incident's fields (sources listed are added), as the edit form does."""
    _visible_incident(incident_id)
    return _save(
        "IncidentInput",
        functools.partial(_write_incident, incident_id=incident_id),
        _incident_response,
        replacing=True,
    )


declare(Operation("put", "/incidents/{incident_id}", "Replace an incident.", "analyst",
                  "Incident", (ID_PARAM,), body="IncidentInput", etag=True))  # fmt: skip


# --- sources --------------------------------------------------------------------------------


def _visible_source(source_id: int) -> Source:
    source = get_session().get(Source, source_id)
    if source is None or (
        not _analyst() and (source.is_confidential or source.state != RecordState.ACTIVE)
    ):
        raise NotFoundError(_("There is no source number %(number)s.", number=source_id))
    return source


@bp.route("/sources")
@requires("viewer")
@answers_problems
def sources() -> Response:
    """A page of sources, newest entry first, or most relevant first with ``q``."""
    size = _limit()
    session = get_session()
    show = _analyst()
    raw_after = request.args.get("after")
    text = (request.args.get("q") or "").strip()
    if text:
        offset = _offset_key(raw_after) if raw_after else 0
        ranked = ranked_sources(
            session, text, include_confidential=show, offset=offset, size=size + 1
        )
        query = parse_query(text)
        items = []
        for source, _score in ranked[:size]:
            item = records.source_record(source, show_confidential=show)
            item["highlight"] = str(highlight(source.title, query))
            items.append(item)
        return _page(items, f"r{offset + size}" if len(ranked) > size else None)
    if raw_after is not None and parse_id(raw_after) is None:
        raise bad_parameters({"after": "after is not a page key of this list."})
    statement = select(Source)
    if not show:
        statement = statement.where(
            Source.is_confidential.is_(False), Source.state == RecordState.ACTIVE
        )
    if raw_after:
        statement = statement.where(Source.id < int(raw_after))
    rows = list(session.scalars(statement.order_by(Source.id.desc()).limit(size + 1)))
    items = [records.source_record(s, show_confidential=show) for s in rows[:size]]
    return _page(items, str(rows[size - 1].id) if len(rows) > size else None)


declare(Operation("get", "/sources", "List sources.", "viewer", "SourcePage",
                  (Q, AFTER, LIMIT)))  # fmt: skip

SOURCE_ID = Param("source_id", "The source's number.", {"type": "integer", "minimum": 1}, "path")


def _source_response(source: Source, status: int = 200) -> Response:
    record = records.source_record(source, show_confidential=_analyst())
    return _record_response(record, source.version, f"sources/{source.id}", status)


@bp.route("/sources/<int:source_id>")
@requires("viewer")
@answers_problems
def source(source_id: int) -> Response:
    """One source."""
    return _source_response(_visible_source(source_id))


declare(Operation("get", "/sources/{source_id}", "Read a source.", "viewer", "Source",
                  (SOURCE_ID,), etag=True))  # fmt: skip


def _write_source(
    session: Session, body: dict[str, Any], expected: int | None, source_id: int | None = None
) -> Source:
    if source_id is None or expected is None:
        return source_service.create_source(session, body, actor=api_user(), tz=local_zone())
    return source_service.update_source(
        session, source_id, body, expected, actor=api_user(), tz=local_zone()
    )


@bp.route("/sources", methods=["POST"])
@requires("analyst")
@answers_problems
def create_source() -> Response:
    """Create a source, as the source form does."""
    return _save("SourceInput", _write_source, _source_response, replacing=False)


declare(Operation("post", "/sources", "Create a source.", "analyst", "Source",
                  body="SourceInput", status=201, etag=True))  # fmt: skip


@bp.route("/sources/<int:source_id>", methods=["PUT"])
@requires("analyst")
@answers_problems
def replace_source(source_id: int) -> Response:
    """Replace a source's fields, as the edit form does."""
    _visible_source(source_id)
    return _save(
        "SourceInput",
        functools.partial(_write_source, source_id=source_id),
        _source_response,
        replacing=True,
    )


declare(Operation("put", "/sources/{source_id}", "Replace a source.", "analyst", "Source",
                  (SOURCE_ID,), body="SourceInput", etag=True))  # fmt: skip


# --- the catalogue --------------------------------------------------------------------------


def _slug_page(model: type[Any], statement: Any) -> tuple[list[Any], str | None]:
    size = _limit()
    raw_after = request.args.get("after")
    if raw_after:
        statement = statement.where(model.slug > raw_after)
    rows = list(get_session().scalars(statement.order_by(model.slug).limit(size + 1)))
    return rows[:size], (rows[size - 1].slug if len(rows) > size else None)


def _name_search(model: type[Any], statement: Any) -> Any:
    text = (request.args.get("q") or "").strip()
    if not text:
        return statement
    from tracker.rules.names import query_keys

    keys = query_keys(text)
    if not keys:
        return statement.where(model.id.is_(None))
    from sqlalchemy import or_

    return statement.where(or_(*(model.search_key.contains(k, autoescape=True) for k in keys)))


@bp.route("/agreements")
@requires("viewer")
@answers_problems
def agreements() -> Response:
    """A page of agreements by slug."""
    rows, after = _slug_page(Agreement, select(Agreement))
    return _page([records.agreement_record(a, full=False) for a in rows], after)


declare(Operation("get", "/agreements", "List agreements.", "viewer", "AgreementPage",
                  (AFTER, LIMIT)))  # fmt: skip

SLUG = Param("slug", "The agreement's slug.", where="path")


def _agreement(slug: str) -> Agreement:
    found = get_session().scalar(
        select(Agreement)
        .where(Agreement.slug == slug)
        .options(
            selectinload(Agreement.parties).selectinload(AgreementParty.actor),
            selectinload(Agreement.provisions),
            selectinload(Agreement.territories),
        )
    )
    if found is None:
        raise NotFoundError(_("There is no agreement %(slug)s.", slug=slug))
    return found


@bp.route("/agreements/<slug>")
@requires("viewer")
@answers_problems
def agreement(slug: str) -> Response:
    """One agreement with its parties, provisions and territories."""
    return _json(records.agreement_record(_agreement(slug), full=True))


declare(Operation("get", "/agreements/{slug}", "Read an agreement.", "viewer", "Agreement",
                  (SLUG,)))  # fmt: skip


@bp.route("/agreements/<slug>/report")
@requires("viewer")
@answers_problems
def report(slug: str) -> Response:
    """The agreement's report: the figures of the report page."""
    _agreement(slug)
    try:
        wanted = report_request(slug, request.args, analyst=_analyst())
    except InvalidInputError as error:
        raise bad_parameters(dict(error.errors) or {"": str(error)}) from error
    session = get_session()
    data = build_report(session, wanted, tz=local_zone(), now=utcnow())
    session.commit()  # the report store, when this report built it
    return _json(to_json(data))


declare(Operation("get", "/agreements/{slug}/report", "An agreement's report.", "viewer",
                  "Report", (SLUG,
                             Param("from", "First day.", {"type": "string", "format": "date"}),
                             Param("to", "Last day.", {"type": "string", "format": "date"}),
                             Param("public", "1 for the public version (analysts).")))
        )  # fmt: skip


@bp.route("/actors")
@requires("viewer")
@answers_problems
def actors() -> Response:
    """A page of actors by slug; ``q`` searches their names and aliases."""
    rows, after = _slug_page(Actor, _name_search(Actor, select(Actor)))
    wanted = {a.parent_id for a in rows if a.parent_id is not None}
    parents = {
        actor_id: slug
        for actor_id, slug in get_session().execute(
            select(Actor.id, Actor.slug).where(Actor.id.in_(wanted))
        )
    }
    return _page([records.actor_record(a, parents) for a in rows], after)


declare(Operation("get", "/actors", "List actors.", "viewer", "ActorPage", (Q, AFTER, LIMIT)))


@bp.route("/places")
@requires("viewer")
@answers_problems
def places() -> Response:
    """A page of the gazetteer by slug; ``q`` searches names, aliases and transliterations."""
    rows, after = _slug_page(Place, _name_search(Place, select(Place)))
    return _page([records.place_record(p) for p in rows], after)


declare(Operation("get", "/places", "List places.", "viewer", "PlacePage", (Q, AFTER, LIMIT)))

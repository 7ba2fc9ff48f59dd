"""The JSON API, version 1: reads of every area with the list filters and keyset pages, writes
of incidents and sources through the services of the forms, the OpenAPI document and its page.

Each view declares its rule (:func:`tracker.permissions.requires`) and its operation in the
OpenAPI document next to it."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.api import records
from tracker.api.auth import api_user
from tracker.api.openapi import Operation, Param, declare, document
from tracker.api.problems import problem
from tracker.api.schemas import MAX_ID, errors_of
from tracker.db import get_session
from tracker.models import Actor, Agreement, AgreementParty, Incident, Place, Source, Status
from tracker.models.base import utcnow
from tracker.permissions import requires
from tracker.queries.incidents import (
    IncidentFilters,
    filter_errors,
    list_order,
    listed_incidents,
)
from tracker.queries.listing import SortOrder, keyset_page
from tracker.queries.report_formats import to_json
from tracker.queries.reports import build_report
from tracker.queries.search import ranked_incidents, ranked_sources
from tracker.queries.sources import SOURCE_ORDER, source_page
from tracker.queries.visibility import Audience, incident_shown, source_shown
from tracker.rules.search_terms import highlight, parse_query
from tracker.rules.values import ascii_digits
from tracker.services import incidents as incident_service
from tracker.services import sources as source_service
from tracker.services.errors import InvalidInputError, NotFoundError, StaleEditError
from tracker.views.reports import report_request

bp = Blueprint("api", __name__, url_prefix="/api/v1")

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


class BadParameterError(Exception):
    """A query parameter the API cannot read."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def _json(data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    response = Response(json.dumps(data, ensure_ascii=False), status, mimetype="application/json")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _audience() -> Audience:
    return Audience.of(api_user().role)


def _public() -> bool:
    return _audience().public


def _limit() -> int:
    raw = request.args.get("limit")
    if raw is None:
        return int(current_app.config["PAGE_SIZE"])
    if not ascii_digits(raw) or not 1 <= int(raw) <= MAX_LIMIT:
        raise BadParameterError({"limit": f"limit must be a whole number from 1 to {MAX_LIMIT}."})
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


def _expected_version() -> int | Response:
    """The version named by If-Match, or the problem to answer."""
    raw = request.headers.get("If-Match")
    if not raw:
        return problem(428, _("Send If-Match with the ETag of the version you are replacing."))
    value = raw.strip().removeprefix("W/").strip('"')
    if not ascii_digits(value):
        return problem(412, _("If-Match does not name a version of this record."))
    return int(value)


def _body(schema: str) -> dict[str, Any] | Response:
    """The request's JSON body checked against ``schema``, or the problem to answer."""
    if not request.is_json:
        return problem(415, _("Send the body as JSON (Content-Type: application/json)."))
    body = request.get_json(silent=True)
    if body is None:
        return problem(400, _("The body is not valid JSON."))
    errors = errors_of(schema, body)
    if errors:
        return problem(422, _("The body does not match the %(name)s schema.", name=schema),
                       errors=errors)  # fmt: skip
    return dict(body)


def _tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["LOCAL_TIMEZONE"])


def _guard(view: Callable[..., Response]) -> Callable[..., Response]:
    """Turn the services' refusals and unreadable parameters into problem details."""

    def wrapped(*args: Any, **kwargs: Any) -> Response:
        try:
            return view(*args, **kwargs)
        except BadParameterError as error:
            return problem(400, str(error), errors=error.errors)
        except NotFoundError as error:
            get_session().rollback()
            return problem(404, str(error))
        except StaleEditError as error:
            get_session().rollback()
            return problem(412, str(error), current_version=error.current_version)
        except InvalidInputError as error:
            get_session().rollback()
            return problem(422, str(error), errors={k: str(v) for k, v in error.errors.items()})

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


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
        known = {str(s) for s in Status}
        wrong = [s for s in args["status"].split(",") if s not in known]
        if wrong:
            errors["status"] = f"unknown status {', '.join(wrong)}"
    if args.get("place") and (not ascii_digits(args["place"]) or int(args["place"]) > MAX_ID):
        errors["place"] = "place is a place's number."
    if args.get("order") not in {None, "", "newest", "oldest", "relevance"}:
        errors["order"] = "order is newest, oldest or relevance."
    if errors:
        raise BadParameterError(errors)
    return IncidentFilters.from_args(args, public=_public())


def _page_key(order: SortOrder, raw: str | None) -> tuple[Any, int] | None:
    key = order.read(raw)
    if raw and key is None:
        raise BadParameterError({"after": "after is not a page key of this list."})
    return key


def _offset_key(raw: str) -> int:
    if not raw.startswith("r") or not ascii_digits(raw[1:]):
        raise BadParameterError({"after": "after is not a page key of this list."})
    return int(raw[1:])


@bp.route("/incidents")
@requires("viewer")
@_guard
def incidents() -> Response:
    """A page of incidents, newest first, or most relevant first with ``q``."""
    filters = _incident_filters()
    size = _limit()
    session = get_session()
    raw_after = request.args.get("after")
    order = request.args.get("order") or ("relevance" if filters.text else "newest")
    public = _public()
    if order == "relevance" and filters.text:
        offset = _offset_key(raw_after) if raw_after else 0
        ranked = ranked_incidents(session, filters, offset=offset, size=size + 1)
        page = [incident for incident, _score in ranked[:size]]
        items = records.incident_records(session, page, public=public)
        query = parse_query(filters.text)
        for item in items:
            text = item.get("description_en") or item.get("description_ar") or ""
            item["highlight"] = str(highlight(text, query, around=120))
        return _page(items, f"r{offset + size}" if len(ranked) > size else None)
    rows = listed_incidents(
        session, filters, after=_page_key(list_order(filters), raw_after), size=size
    )
    items = records.incident_records(session, list(rows.items), public=public)
    return _page(items, rows.next_key)


declare(Operation("get", "/incidents", "List incidents.", "viewer", "IncidentPage",
                  INCIDENT_FILTERS))  # fmt: skip


def _visible_incident(incident_id: int) -> Incident:
    incident = get_session().get(Incident, incident_id) if incident_id <= MAX_ID else None
    if incident is None or not incident_shown(incident, public=_public()):
        raise NotFoundError(_("There is no incident number %(number)s.", number=incident_id))
    return incident


def _incident_response(incident: Incident, status: int = 200) -> Response:
    [record] = records.incident_records(get_session(), [incident], public=_public())
    headers = {"ETag": _etag(incident.version)}
    if status == 201:
        headers["Location"] = f"{request.script_root}/api/v1/incidents/{incident.id}"
    return _json(record, status, headers)


ID_PARAM = Param("incident_id", "The incident's number.", {"type": "integer", "minimum": 1}, "path")


@bp.route("/incidents/<int:incident_id>")
@requires("viewer")
@_guard
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


@bp.route("/incidents", methods=["POST"])
@requires("analyst")
@_guard
def create_incident() -> Response:
    """Create an incident, as the entry form does."""
    body = _body("IncidentInput")
    if isinstance(body, Response):
        return body
    session = get_session()
    created = incident_service.create_incident(
        session, _incident_data(body), actor=api_user(), tz=_tz()
    )
    session.commit()
    return _incident_response(created, 201)


declare(Operation("post", "/incidents", "Create an incident.", "analyst", "Incident",
                  body="IncidentInput", status=201, etag=True))  # fmt: skip


@bp.route("/incidents/<int:incident_id>", methods=["PUT"])
@requires("analyst")
@_guard
def replace_incident(incident_id: int) -> Response:
    """Replace an incident's fields (sources listed are added), as the edit form does."""
    _visible_incident(incident_id)
    expected = _expected_version()
    if isinstance(expected, Response):
        return expected
    body = _body("IncidentInput")
    if isinstance(body, Response):
        return body
    session = get_session()
    saved = incident_service.update_incident(
        session, incident_id, _incident_data(body), expected, actor=api_user(), tz=_tz()
    )
    session.commit()
    return _incident_response(saved)


declare(Operation("put", "/incidents/{incident_id}", "Replace an incident.", "analyst",
                  "Incident", (ID_PARAM,), body="IncidentInput", etag=True))  # fmt: skip


# --- sources --------------------------------------------------------------------------------


def _visible_source(source_id: int) -> Source:
    source = get_session().get(Source, source_id) if source_id <= MAX_ID else None
    if source is None or not source_shown(source, public=_public()):
        raise NotFoundError(_("There is no source number %(number)s.", number=source_id))
    return source


@bp.route("/sources")
@requires("viewer")
@_guard
def sources() -> Response:
    """A page of sources, newest entry first, or most relevant first with ``q``."""
    size = _limit()
    session = get_session()
    public = _public()
    raw_after = request.args.get("after")
    text = (request.args.get("q") or "").strip()
    if text:
        offset = _offset_key(raw_after) if raw_after else 0
        ranked = ranked_sources(
            session, text, public=public, retracted=True, offset=offset, size=size + 1
        )
        query = parse_query(text)
        items = []
        for source, _score in ranked[:size]:
            item = records.source_record(source, public=public)
            item["highlight"] = str(highlight(source.title, query))
            items.append(item)
        return _page(items, f"r{offset + size}" if len(ranked) > size else None)
    page = source_page(
        session,
        query=None,
        public=public,
        retracted=True,
        after=_page_key(SOURCE_ORDER, raw_after),
        size=size,
    )
    items = [records.source_record(s, public=public) for s in page.items]
    return _page(items, page.next_key)


declare(Operation("get", "/sources", "List sources.", "viewer", "SourcePage",
                  (Q, AFTER, LIMIT)))  # fmt: skip

SOURCE_ID = Param("source_id", "The source's number.", {"type": "integer", "minimum": 1}, "path")


def _source_response(source: Source, status: int = 200) -> Response:
    headers = {"ETag": _etag(source.version)}
    if status == 201:
        headers["Location"] = f"{request.script_root}/api/v1/sources/{source.id}"
    return _json(records.source_record(source, public=_public()), status, headers)


@bp.route("/sources/<int:source_id>")
@requires("viewer")
@_guard
def source(source_id: int) -> Response:
    """One source."""
    return _source_response(_visible_source(source_id))


declare(Operation("get", "/sources/{source_id}", "Read a source.", "viewer", "Source",
                  (SOURCE_ID,), etag=True))  # fmt: skip


@bp.route("/sources", methods=["POST"])
@requires("analyst")
@_guard
def create_source() -> Response:
    """Create a source, as the source form does."""
    body = _body("SourceInput")
    if isinstance(body, Response):
        return body
    session = get_session()
    created = source_service.create_source(session, body, actor=api_user(), tz=_tz())
    session.commit()
    return _source_response(created, 201)


declare(Operation("post", "/sources", "Create a source.", "analyst", "Source",
                  body="SourceInput", status=201, etag=True))  # fmt: skip


@bp.route("/sources/<int:source_id>", methods=["PUT"])
@requires("analyst")
@_guard
def replace_source(source_id: int) -> Response:
    """Replace a source's fields, as the edit form does."""
    _visible_source(source_id)
    expected = _expected_version()
    if isinstance(expected, Response):
        return expected
    body = _body("SourceInput")
    if isinstance(body, Response):
        return body
    session = get_session()
    saved = source_service.update_source(
        session, source_id, body, expected, actor=api_user(), tz=_tz()
    )
    session.commit()
    return _source_response(saved)


declare(Operation("put", "/sources/{source_id}", "Replace a source.", "analyst", "Source",
                  (SOURCE_ID,), body="SourceInput", etag=True))  # fmt: skip


# --- the catalogue --------------------------------------------------------------------------


def _slug_page(model: type[Any], statement: Any) -> tuple[list[Any], str | None]:
    order = SortOrder(model.slug)
    after = _page_key(order, request.args.get("after"))
    page = keyset_page(get_session(), statement, order, model.id, after=after, size=_limit())
    return list(page.items), page.next_key


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
@_guard
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
@_guard
def agreement(slug: str) -> Response:
    """One agreement with its parties, provisions and territories."""
    return _json(records.agreement_record(_agreement(slug), full=True))


declare(Operation("get", "/agreements/{slug}", "Read an agreement.", "viewer", "Agreement",
                  (SLUG,)))  # fmt: skip


@bp.route("/agreements/<slug>/report")
@requires("viewer")
@_guard
def report(slug: str) -> Response:
    """The agreement's report: the figures of the report page."""
    _agreement(slug)
    try:
        wanted = report_request(slug, request.args, audience=_audience())
    except InvalidInputError as error:
        raise BadParameterError(dict(error.errors) or {"": str(error)}) from error
    session = get_session()
    data = build_report(session, wanted, tz=_tz(), now=utcnow())
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
@_guard
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
@_guard
def places() -> Response:
    """A page of the gazetteer by slug; ``q`` searches names, aliases and transliterations."""
    rows, after = _slug_page(Place, _name_search(Place, select(Place)))
    return _page([records.place_record(p) for p in rows], after)


declare(Operation("get", "/places", "List places.", "viewer", "PlacePage", (Q, AFTER, LIMIT)))

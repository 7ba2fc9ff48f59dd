"""The API's incidents: the filtered list, one incident, and writes through the entry form's
service."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask_babel import gettext as _

from tracker.api import records
from tracker.api.openapi import Operation, Param, declare
from tracker.api.problems import answers_problems, bad_parameters
from tracker.api.schemas.common import enum_of
from tracker.db import get_session
from tracker.models import Category, Incident, Status
from tracker.permissions import requires
from tracker.queries.incidents import (
    IncidentFilters,
    filter_errors,
    list_order,
    listed_incidents,
)
from tracker.queries.search import ranked_incidents
from tracker.queries.visibility import incident_shown
from tracker.rules.applicability import Verdict
from tracker.rules.search_terms import highlight, parse_query
from tracker.rules.values import parse_id
from tracker.services import incidents as incident_service
from tracker.services.errors import NotFoundError
from tracker.views.api import (
    AFTER,
    LIMIT,
    Q,
    Writes,
    api_public,
    bp,
    choice_errors,
    offset_key,
    page_key,
    page_response,
    page_size,
    record_response,
)

#: The filters of the incidents list, as the web list reads them
#: (:meth:`tracker.queries.incidents.IncidentFilters.from_args`); values outside a declared
#: ``enum`` are refused (:func:`tracker.views.api.choice_errors`).
INCIDENT_FILTERS = (
    Param("agreement", "An agreement's slug: the incidents its report counts."),
    Param(
        "verdict",
        "With agreement: only the incidents of this stored verdict against it.",
        enum_of(Verdict),
    ),
    Param("alleged", "An agreement's slug: the incidents alleged to breach it."),
    Param("from", "First day (YYYY-MM-DD).", {"type": "string", "format": "date"}),
    Param("to", "Last day (YYYY-MM-DD).", {"type": "string", "format": "date"}),
    Param("status", "Statuses, comma-separated."),
    Param("category", "An incident category.", enum_of(Category)),
    Param("perpetrator", "An actor's slug."),
    Param("place", "A place's number.", {"type": "integer"}),
    Q,
    Param("retracted", "1 to include retracted incidents (analysts)."),
    Param(
        "order",
        "newest (default), oldest, or relevance (the default with q).",
        {"type": "string", "enum": ["newest", "oldest", "relevance"]},
    ),
    AFTER,
    LIMIT,
)


def _incident_filters() -> IncidentFilters:
    args = request.args
    errors = {**filter_errors(args), **choice_errors(INCIDENT_FILTERS)}
    if args.get("status"):
        known = {str(s) for s in Status}
        wrong = [s for s in args["status"].split(",") if s not in known]
        if wrong:
            errors["status"] = f"unknown status {', '.join(wrong)}"
    if args.get("place") and parse_id(args["place"]) is None:
        errors["place"] = "place is a place's number."
    if errors:
        raise bad_parameters(errors)
    return IncidentFilters.from_args(args, public=api_public())


@bp.route("/incidents")
@requires("viewer")
@answers_problems
def incidents() -> Response:
    """A page of incidents, newest first, or most relevant first with ``q``."""
    filters = _incident_filters()
    size = page_size()
    session = get_session()
    raw_after = request.args.get("after")
    order = request.args.get("order") or ("relevance" if filters.text else "newest")
    public = api_public()
    if order == "relevance" and filters.text:
        offset = offset_key(raw_after) if raw_after else 0
        ranked = ranked_incidents(session, filters, offset=offset, size=size + 1)
        page = [incident for incident, _score in ranked[:size]]
        items = records.incident_records(session, page, public=public)
        query = parse_query(filters.text)
        for item in items:
            text = item.get("description_en") or item.get("description_ar") or ""
            item["highlight"] = str(highlight(text, query, around=120))
        return page_response(items, f"r{offset + size}" if len(ranked) > size else None)
    rows = listed_incidents(
        session, filters, after=page_key(list_order(filters), raw_after), size=size
    )
    items = records.incident_records(session, list(rows.items), public=public)
    return page_response(items, rows.next_key)


declare(Operation("get", "/incidents", "List incidents.", "viewer", "IncidentPage",
                  INCIDENT_FILTERS))  # fmt: skip


def _visible_incident(incident_id: int) -> Incident:
    incident = get_session().get(Incident, incident_id)
    if incident is None or not incident_shown(incident, public=api_public()):
        raise NotFoundError(_("There is no incident number %(number)s.", number=incident_id))
    return incident


def _incident_response(incident: Incident, status: int = 200) -> Response:
    [record] = records.incident_records(get_session(), [incident], public=api_public())
    return record_response(record, incident.version, f"incidents/{incident.id}", status)


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


INCIDENT_WRITES = Writes(
    "IncidentInput",
    incident_service.create_incident,
    incident_service.update_incident,
    _incident_response,
    _incident_data,
)


@bp.route("/incidents", methods=["POST"])
@requires("analyst")
@answers_problems
def create_incident() -> Response:
    """Create an incident, as the entry form does."""
    return INCIDENT_WRITES.create_one()


declare(Operation("post", "/incidents", "Create an incident.", "analyst", "Incident",
                  body="IncidentInput", status=201, etag=True))  # fmt: skip


@bp.route("/incidents/<int:incident_id>", methods=["PUT"])
@requires("analyst")
@answers_problems
def replace_incident(incident_id: int) -> Response:
    """Replace an incident's fields (sources listed are added), as the edit form does."""
    _visible_incident(incident_id)
    return INCIDENT_WRITES.replace_one(incident_id)


declare(Operation("put", "/incidents/{incident_id}", "Replace an incident.", "analyst",
                  "Incident", (ID_PARAM,), body="IncidentInput", etag=True))  # fmt: skip

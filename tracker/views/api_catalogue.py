"""The API's catalogue: agreements with their reports, actors and places."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.api import records
from tracker.api.openapi import Operation, Param, declare
from tracker.api.problems import answers_problems, bad_parameters
from tracker.db import get_session
from tracker.models import Actor, Agreement, AgreementParty, Place
from tracker.models.base import utcnow
from tracker.permissions import requires
from tracker.queries.listing import SortOrder, keyset_page
from tracker.queries.report_formats import to_json
from tracker.queries.reports import build_report
from tracker.services.errors import InvalidInputError, NotFoundError
from tracker.views.api import (
    AFTER,
    LIMIT,
    Q,
    api_audience,
    bp,
    json_response,
    page_key,
    page_response,
    page_size,
)
from tracker.views.common import local_zone
from tracker.views.reports import report_request


def _slug_page(model: type[Any], statement: Any) -> tuple[list[Any], str | None]:
    order = SortOrder(model.slug)
    after = page_key(order, request.args.get("after"))
    page = keyset_page(get_session(), statement, order, model.id, after=after, size=page_size())
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
@answers_problems
def agreements() -> Response:
    """A page of agreements by slug."""
    rows, after = _slug_page(Agreement, select(Agreement))
    return page_response([records.agreement_record(a, full=False) for a in rows], after)


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
    return json_response(records.agreement_record(_agreement(slug), full=True))


declare(Operation("get", "/agreements/{slug}", "Read an agreement.", "viewer", "Agreement",
                  (SLUG,)))  # fmt: skip


@bp.route("/agreements/<slug>/report")
@requires("viewer")
@answers_problems
def report(slug: str) -> Response:
    """The agreement's report: the figures of the report page."""
    _agreement(slug)
    try:
        wanted = report_request(slug, request.args, audience=api_audience())
    except InvalidInputError as error:
        raise bad_parameters(dict(error.errors) or {"": str(error)}) from error
    session = get_session()
    data = build_report(session, wanted, tz=local_zone(), now=utcnow())
    session.commit()  # the report store, when this report built it
    return json_response(to_json(data))


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
    return page_response([records.actor_record(a, parents) for a in rows], after)


declare(Operation("get", "/actors", "List actors.", "viewer", "ActorPage", (Q, AFTER, LIMIT)))


@bp.route("/places")
@requires("viewer")
@answers_problems
def places() -> Response:
    """A page of the gazetteer by slug; ``q`` searches names, aliases and transliterations."""
    rows, after = _slug_page(Place, _name_search(Place, select(Place)))
    return page_response([records.place_record(p) for p in rows], after)


declare(Operation("get", "/places", "List places.", "viewer", "PlacePage", (Q, AFTER, LIMIT)))

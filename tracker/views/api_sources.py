"""The API's sources: the list, one source, and writes through the source form's service."""

from __future__ import annotations

from flask import Response, request
from flask_babel import gettext as _

from tracker.api import records
from tracker.api.openapi import Operation, Param, declare
from tracker.api.problems import answers_problems
from tracker.db import get_session
from tracker.models import Source
from tracker.permissions import requires
from tracker.queries.search import ranked_sources
from tracker.queries.sources import SOURCE_ORDER, source_page
from tracker.queries.visibility import source_shown
from tracker.rules.search_terms import highlight, parse_query
from tracker.services import sources as source_service
from tracker.services.errors import NotFoundError
from tracker.views.api import (
    AFTER,
    LIMIT,
    Q,
    Writes,
    api_public,
    bp,
    offset_key,
    page_key,
    page_response,
    page_size,
    record_response,
)


def _visible_source(source_id: int) -> Source:
    source = get_session().get(Source, source_id)
    if source is None or not source_shown(source, public=api_public()):
        raise NotFoundError(_("There is no source number %(number)s.", number=source_id))
    return source


@bp.route("/sources")
@requires("viewer")
@answers_problems
def sources() -> Response:
    """A page of sources, newest entry first, or most relevant first with ``q``."""
    size = page_size()
    session = get_session()
    public = api_public()
    raw_after = request.args.get("after")
    text = (request.args.get("q") or "").strip()
    if text:
        offset = offset_key(raw_after) if raw_after else 0
        ranked = ranked_sources(
            session, text, public=public, retracted=True, offset=offset, size=size + 1
        )
        query = parse_query(text)
        items = []
        for source, _score in ranked[:size]:
            item = records.source_record(source, public=public)
            item["highlight"] = str(highlight(source.title, query))
            items.append(item)
        return page_response(items, f"r{offset + size}" if len(ranked) > size else None)
    page = source_page(
        session,
        query=None,
        public=public,
        retracted=True,
        after=page_key(SOURCE_ORDER, raw_after),
        size=size,
    )
    items = [records.source_record(s, public=public) for s in page.items]
    return page_response(items, page.next_key)


declare(Operation("get", "/sources", "List sources.", "viewer", "SourcePage",
                  (Q, AFTER, LIMIT)))  # fmt: skip

SOURCE_ID = Param("source_id", "The source's number.", {"type": "integer", "minimum": 1}, "path")


def _source_response(source: Source, status: int = 200) -> Response:
    record = records.source_record(source, public=api_public())
    return record_response(record, source.version, f"sources/{source.id}", status)


@bp.route("/sources/<int:source_id>")
@requires("viewer")
@answers_problems
def source(source_id: int) -> Response:
    """One source."""
    return _source_response(_visible_source(source_id))


declare(Operation("get", "/sources/{source_id}", "Read a source.", "viewer", "Source",
                  (SOURCE_ID,), etag=True))  # fmt: skip


SOURCE_WRITES = Writes(
    "SourceInput", source_service.create_source, source_service.update_source, _source_response
)


@bp.route("/sources", methods=["POST"])
@requires("analyst")
@answers_problems
def create_source() -> Response:
    """Create a source, as the source form does."""
    return SOURCE_WRITES.create_one()


declare(Operation("post", "/sources", "Create a source.", "analyst", "Source",
                  body="SourceInput", status=201, etag=True))  # fmt: skip


@bp.route("/sources/<int:source_id>", methods=["PUT"])
@requires("analyst")
@answers_problems
def replace_source(source_id: int) -> Response:
    """Replace a source's fields, as the edit form does."""
    _visible_source(source_id)
    return SOURCE_WRITES.replace_one(source_id)


declare(Operation("put", "/sources/{source_id}", "Replace a source.", "analyst", "Source",
                  (SOURCE_ID,), body="SourceInput", etag=True))  # fmt: skip

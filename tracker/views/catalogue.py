"""The list pages of the catalogue (actors, places): a search by any name, or a sorted page
of the records that pass the page's filters."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from flask import current_app, request
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from tracker.db import get_session
from tracker.queries.listing import SortOrder, sorted_page
from tracker.views.common import page_links

#: The most records a name search shows (it is ranked, not paged).
SEARCH_LIMIT = 100


def catalogue_sorts(model: Any) -> dict[str, SortOrder]:
    """The orders of a catalogue list: by English name (the default), or newest first."""
    return {
        "name": SortOrder(model.name_en),
        "newest": SortOrder(model.created_at, descending=True, is_time=True),
    }


class Finder(Protocol):
    def __call__(self, session: Session, query: str, *, limit: int) -> Sequence[Any]: ...


@dataclass(frozen=True)
class CatalogueList:
    """What a catalogue list page shows: its rows and the links to its other pages."""

    rows: list[Any]
    query: str
    sort: str
    next_args: dict[str, str] | None = None
    first_args: dict[str, str] | None = None

    def context(self) -> dict[str, Any]:
        """The template's values besides the rows."""
        return {
            "query": self.query,
            "sort": self.sort,
            "search_limit": SEARCH_LIMIT if self.query else None,
            "next_args": self.next_args,
            "first_args": self.first_args,
        }


def catalogue_list(
    model: Any,
    *,
    find: Finder,
    sorts: Mapping[str, SortOrder],
    conditions: Sequence[ColumnElement[bool]],
    keep: Callable[[Any], bool],
) -> CatalogueList:
    """The records of ``model`` the request's ``q`` finds (ranked, kept by ``keep``), or else
    the page of those that meet ``conditions`` in the request's ``sort`` (the first of
    ``sorts`` by default) after its ``after`` key."""
    args = request.args
    query = (args.get("q") or "").strip()
    sort = str(args.get("sort")) if args.get("sort") in sorts else next(iter(sorts))
    if query:
        found = find(get_session(), query, limit=SEARCH_LIMIT)
        return CatalogueList([row for row in found if keep(row)], query, sort)
    page = sorted_page(
        get_session(),
        select(model).where(*conditions),
        sorts[sort],
        model.id,
        args,
        int(current_app.config["PAGE_SIZE"]),
    )
    next_args, first_args = page_links(args, page.next_key)
    return CatalogueList(list(page.items), query, sort, next_args, first_args)

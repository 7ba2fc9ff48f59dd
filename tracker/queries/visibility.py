"""Who sees what: an audience's rows (which statuses, which sources and links) and columns
(by the classification each column carries, ``info={"visibility": ...}``).

Every page, report, export, dump and API record asks this module, so "public" has one
meaning: incidents in a public status (never drafts or retracted ones), sources that are
neither confidential nor retracted, only the active links to those sources, and only the
columns classified :attr:`~tracker.models.base.Visibility.PUBLIC`. Viewers and signed-out
visitors see the public version; analysts, reviewers and admins also see drafts, confidential
sources and internal columns (retracted records on request); confidential columns (secrets)
reach nobody but an admin's full export.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Collection, Mapping
from typing import Any, TypeVar

from sqlalchemy import Column, ColumnElement, Select, Table, and_, true

from tracker.models import Base, Incident, IncidentSource, RecordState, Source, Status
from tracker.models.base import Visibility

V = TypeVar("V")

#: Statuses that the public sees (never drafts or retracted ones).
PUBLIC_STATUSES = (Status.SUBMITTED, Status.VERIFIED, Status.DISPUTED, Status.REJECTED)


class Audience(enum.StrEnum):
    """Who a page, report or export is for: signed-out visitors and public versions, or a
    signed-in user's role."""

    PUBLIC = "public"
    VIEWER = "viewer"
    ANALYST = "analyst"
    REVIEWER = "reviewer"
    ADMIN = "admin"

    @classmethod
    def of(cls, role: str | None) -> Audience:
        """The audience of a user of ``role`` (None: signed out)."""
        return cls.PUBLIC if role is None else cls(role)

    @property
    def public(self) -> bool:
        """Whether this audience sees only published records and public columns."""
        return self in {Audience.PUBLIC, Audience.VIEWER}

    def levels(self) -> frozenset[Visibility]:
        """The column classifications this audience sees (confidential ones: nobody; only an
        admin's full dump, a backup of every column, carries them)."""
        if self.public:
            return frozenset({Visibility.PUBLIC})
        return frozenset({Visibility.PUBLIC, Visibility.INTERNAL})


def full_export(audience: Audience, asked: bool) -> bool:
    """Whether a web export or report download is the full version: only when an admin asks
    for it explicitly; every other one is public."""
    return asked and audience is Audience.ADMIN


# -- columns ------------------------------------------------------------------------------


def classification(column: Column[object]) -> Visibility:
    """The classification of ``column``.

    :raises LookupError: when the column carries none."""
    try:
        return Visibility(column.info["visibility"])
    except KeyError:
        raise LookupError(f"{column.table.name}.{column.name} has no visibility") from None


def _table(table: Table | str) -> Table:
    return Base.metadata.tables[table] if isinstance(table, str) else table


def columns(table: Table | str, levels: Collection[Visibility]) -> tuple[str, ...]:
    """The names of the columns of ``table`` classified in ``levels``, in table order."""
    return tuple(c.name for c in _table(table).columns if classification(c) in levels)


def shown_columns(table: Table | str, audience: Audience) -> tuple[str, ...]:
    """The columns of ``table`` that ``audience`` sees."""
    return columns(table, audience.levels())


def public_columns(table: Table | str) -> tuple[str, ...]:
    """The columns of ``table`` that public reports, exports and dumps may carry."""
    return columns(table, {Visibility.PUBLIC})


def is_shown(table: Table | str, column: str, *, public: bool) -> bool:
    """Whether a public (or staff) audience sees ``column`` of ``table``."""
    audience = Audience.PUBLIC if public else Audience.ANALYST
    return classification(_table(table).c[column]) in audience.levels()


@functools.cache
def _public_keys(table_name: str) -> frozenset[str]:
    """The public columns of a model's table and its relationships to tables with public
    columns (a revision lists the codes of an incident's provisions)."""
    for mapper in Base.registry.mappers:
        if mapper.local_table.name == table_name:  # type: ignore[attr-defined]
            related = {
                key
                for key, relation in mapper.relationships.items()
                if public_columns(relation.target)
            }
            return frozenset(public_columns(table_name)) | related
    return frozenset()


def public_fields(table_name: str, fields: Mapping[str, V]) -> dict[str, V]:
    """The fields of a record of ``table_name`` (a revision's snapshot or changes) that the
    public sees (:func:`_public_keys`); other keys, such as where an import found it, and
    every field of a table that is no model's are left out."""
    keys = _public_keys(table_name)
    return {k: v for k, v in fields.items() if k in keys}


# -- rows ---------------------------------------------------------------------------------


def shown_statuses(*, public: bool) -> tuple[Status, ...]:
    """The statuses of the incidents an audience sees (retracted ones aside)."""
    return PUBLIC_STATUSES if public else tuple(s for s in Status if s != Status.RETRACTED)


def incident_rows(*, public: bool, retracted: bool = False) -> ColumnElement[bool]:
    """The incidents an audience sees: public statuses for the public; all but retracted ones
    for the staff (``retracted``: those too)."""
    if public:
        return Incident.status.in_([str(s) for s in PUBLIC_STATUSES])
    return true() if retracted else Incident.status != Status.RETRACTED


def source_rows(*, public: bool, retracted: bool = False) -> ColumnElement[bool]:
    """The sources an audience sees: neither confidential nor retracted for the public; all
    active ones for the staff (``retracted``: those too)."""
    active = Source.state == RecordState.ACTIVE
    if public:
        return and_(Source.is_confidential.is_(False), active)
    return true() if retracted else active


def link_rows(*, public: bool, source_ids: Select[Any] | None = None) -> ColumnElement[bool]:
    """The links of incidents to sources an audience sees: every link for the staff; for the
    public, active links to public sources (join :class:`Source`), or to those of
    ``source_ids`` (the public sources a dump carries)."""
    if not public:
        return true()
    sources = (
        source_rows(public=True) if source_ids is None else IncidentSource.source_id.in_(source_ids)
    )
    return and_(IncidentSource.state == RecordState.ACTIVE, sources)


def incident_shown(incident: Incident, *, public: bool) -> bool:
    """:func:`incident_rows` for a loaded incident (retracted ones are shown to the staff
    who open them)."""
    return not public or incident.status in {str(s) for s in PUBLIC_STATUSES}


def source_shown(source: Source, *, public: bool) -> bool:
    """:func:`source_rows` for a loaded source (retracted ones are shown to the staff who open
    them)."""
    return not public or (not source.is_confidential and source.state == RecordState.ACTIVE)


def link_shown(link: IncidentSource, source: Source, *, public: bool) -> bool:
    """:func:`link_rows` for a loaded link and its source."""
    return not public or (link.state == RecordState.ACTIVE and source_shown(source, public=True))

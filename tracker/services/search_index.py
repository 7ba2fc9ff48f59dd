"""Keep the search index current: the terms of incidents and sources, written after every flush
that changes what they show, and rebuilt in full by ``manage.py search rebuild``.

An incident's document holds its descriptions, claimed justification, weapon, reference, its
category's labels in both languages, and the names and aliases of its place (with the admin
areas), perpetrator, target and agreement; a source's holds its title, publisher, author and
the excerpts quoted from it. A renamed place, actor or agreement re-indexes its incidents.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations
from sqlalchemy import Connection, event, func, inspect, or_, select, text
from sqlalchemy.orm import Session, UOWTransaction, aliased

from tracker.labels import CATEGORY_LABELS
from tracker.models import (
    Actor,
    Agreement,
    AgreementSource,
    Incident,
    IncidentSource,
    Place,
    Source,
)
from tracker.models.search import INCIDENT_INDEX, SOURCE_INDEX
from tracker.rules.search_terms import Document

CHUNK = 2000
_NAME_FIELDS = ("name_en", "name_ar", "aliases")
_TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


@lru_cache(maxsize=1)
def _arabic() -> NullTranslations:
    return Translations.load(str(_TRANSLATIONS), ["ar"])


def category_labels(category: str) -> tuple[str, str]:
    """The English and Arabic labels of a category (as the pages show them)."""
    english = CATEGORY_LABELS.get(category, category.replace("_", " "))
    return english, str(_arabic().gettext(english))


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    batch: list[int] = []
    for record_id in ids:
        batch.append(record_id)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _names(row: Any, prefix: str) -> list[str | None]:
    return [
        getattr(row, f"{prefix}_name_en"),
        getattr(row, f"{prefix}_name_ar"),
        *(getattr(row, f"{prefix}_aliases") or []),
    ]


def incident_documents(conn: Connection, ids: Collection[int]) -> dict[int, Document]:
    """The documents of the incidents numbered ``ids`` (missing ones are left out)."""
    perpetrator, target = aliased(Actor), aliased(Actor)
    statement = (
        select(
            Incident.id,
            Incident.ref,
            Incident.category,
            Incident.weapon,
            Incident.description_en,
            Incident.description_ar,
            Incident.claimed_justification,
            Place.name_en.label("place_name_en"),
            Place.name_ar.label("place_name_ar"),
            Place.aliases.label("place_aliases"),
            Place.admin1_name,
            Place.admin2_name,
            Place.admin3_name,
            perpetrator.name_en.label("perpetrator_name_en"),
            perpetrator.name_ar.label("perpetrator_name_ar"),
            perpetrator.aliases.label("perpetrator_aliases"),
            target.name_en.label("target_name_en"),
            target.name_ar.label("target_name_ar"),
            target.aliases.label("target_aliases"),
            Agreement.name_en.label("agreement_name_en"),
            Agreement.name_ar.label("agreement_name_ar"),
        )
        .outerjoin(Place, Place.id == Incident.place_id)
        .outerjoin(perpetrator, perpetrator.id == Incident.perpetrator_id)
        .outerjoin(target, target.id == Incident.target_actor_id)
        .outerjoin(Agreement, Agreement.id == Incident.alleged_agreement_id)
        .where(Incident.id.in_(list(ids)))
    )
    documents: dict[int, Document] = {}
    for row in conn.execute(statement):
        document = Document()
        document.add_text(
            row.description_en,
            row.description_ar,
            row.claimed_justification,
            row.weapon,
            *category_labels(row.category),
            row.ref,
        )
        document.add_names(_names(row, "place"))
        document.add_names([row.admin1_name, row.admin2_name, row.admin3_name], fuzzy=False)
        document.add_names(_names(row, "perpetrator"))
        document.add_names(_names(row, "target"))
        document.add_names([row.agreement_name_en, row.agreement_name_ar], fuzzy=False)
        documents[row.id] = document
    return documents


def source_documents(conn: Connection, ids: Collection[int]) -> dict[int, Document]:
    """The documents of the sources numbered ``ids``: title, publisher, author, excerpts."""
    documents: dict[int, Document] = {}
    rows = conn.execute(
        select(Source.id, Source.title, Source.publisher, Source.author).where(
            Source.id.in_(list(ids))
        )
    )
    for row in rows:
        document = Document()
        document.add_text(row.title)
        document.add_names([row.publisher, row.author], fuzzy=False)
        documents[row.id] = document
    for link_table in (IncidentSource, AgreementSource):
        excerpts = conn.execute(
            select(link_table.source_id, link_table.excerpt)
            .where(link_table.source_id.in_(list(documents)), link_table.excerpt.is_not(None))
            .order_by(link_table.id)
        )
        for source_id, excerpt in excerpts:
            documents[source_id].add_text(excerpt)
    return documents


def write_documents(
    conn: Connection, table: str, ids: Collection[int], documents: dict[int, Document]
) -> None:
    """Replace the index rows of ``ids`` by ``documents`` (ids without a document lose their
    row)."""
    if not ids:
        return
    id_list = sorted(ids)
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(f"DELETE FROM {table} WHERE id = ANY(:ids)"),  # noqa: S608 (a constant name)
            {"ids": id_list},
        )
        if documents:
            conn.execute(
                text(f"INSERT INTO {table} (id, terms) VALUES (:id, CAST(:terms AS tsvector))"),  # noqa: S608
                [{"id": k, "terms": d.tsvector()} for k, d in documents.items()],
            )
        return
    for batch in _chunks(id_list):
        marks = ", ".join(str(int(i)) for i in batch)
        conn.exec_driver_sql(f"DELETE FROM {table} WHERE rowid IN ({marks})")  # noqa: S608
    if documents:
        conn.execute(
            text(f"INSERT INTO {table} (rowid, words, variants) VALUES (:id, :words, :variants)"),  # noqa: S608
            [
                {"id": k, "words": d.words_text(), "variants": d.variants_text()}
                for k, d in documents.items()
            ],
        )


def index_incidents(conn: Connection, ids: Collection[int]) -> None:
    """Re-index the incidents numbered ``ids``."""
    for batch in _chunks(ids):
        write_documents(conn, INCIDENT_INDEX, batch, incident_documents(conn, batch))


def index_sources(conn: Connection, ids: Collection[int]) -> None:
    """Re-index the sources numbered ``ids``."""
    for batch in _chunks(ids):
        write_documents(conn, SOURCE_INDEX, batch, source_documents(conn, batch))


def rebuild(conn: Connection, *, progress: Callable[[str, int, int], None] | None = None) -> int:
    """Empty the index and index every incident and source again; ``progress(kind, done,
    total)`` is called after each chunk. Returns the number of records indexed."""
    done_all = 0
    for table, model, index in (
        (INCIDENT_INDEX, Incident, index_incidents),
        (SOURCE_INDEX, Source, index_sources),
    ):
        conn.exec_driver_sql(f"DELETE FROM {table}")  # noqa: S608
        total = conn.scalar(select(func.count()).select_from(model)) or 0
        done = 0
        last = 0
        while True:
            ids = list(
                conn.scalars(
                    select(model.id).where(model.id > last).order_by(model.id).limit(CHUNK)
                )
            )
            if not ids:
                break
            index(conn, ids)
            done += len(ids)
            last = ids[-1]
            if progress:
                progress(table, done, total)
        done_all += done
    if conn.dialect.name == "postgresql":
        for table in (INCIDENT_INDEX, SOURCE_INDEX):
            conn.exec_driver_sql(f"ANALYZE {table}")
    else:
        for table in (INCIDENT_INDEX, SOURCE_INDEX):
            conn.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('optimize')")  # noqa: S608
    return done_all


def _changed(record: Any, names: Iterable[str]) -> bool:
    state = inspect(record)
    return any(state.attrs[name].history.has_changes() for name in names)


def _touched(session: Session) -> tuple[set[int], set[int]]:
    """The incidents and sources whose documents the flush in progress may have changed."""
    incidents: set[int] = set()
    sources: set[int] = set()
    places: set[int] = set()
    actors: set[int] = set()
    agreements: set[int] = set()
    for record in (*session.new, *session.dirty):
        if isinstance(record, Incident):
            incidents.add(record.id)
        elif isinstance(record, Source):
            sources.add(record.id)
        elif isinstance(record, IncidentSource | AgreementSource):
            sources.add(record.source_id)
        elif record in session.dirty and isinstance(record, Place):
            if _changed(record, (*_NAME_FIELDS, "admin1_name", "admin2_name", "admin3_name")):
                places.add(record.id)
        elif record in session.dirty and isinstance(record, Actor):
            if _changed(record, _NAME_FIELDS):
                actors.add(record.id)
        elif (
            record in session.dirty
            and isinstance(record, Agreement)
            and _changed(record, ("name_en", "name_ar"))
        ):
            agreements.add(record.id)
    if places or actors or agreements:
        incidents.update(
            session.connection().scalars(
                select(Incident.id).where(
                    or_(
                        Incident.place_id.in_(places),
                        Incident.perpetrator_id.in_(actors),
                        Incident.target_actor_id.in_(actors),
                        Incident.alleged_agreement_id.in_(agreements),
                    )
                )
            )
        )
    return {i for i in incidents if i is not None}, {s for s in sources if s is not None}


_DEFERRED = "search_index_deferred"


@contextmanager
def deferred(session: Session) -> Iterator[None]:
    """Index what the flushes inside the block changed once, at its end, instead of after each
    flush (a write of many records in one transaction: the demo data set)."""
    pending: tuple[set[int], set[int]] = (set(), set())
    session.info[_DEFERRED] = pending
    try:
        yield
    finally:
        del session.info[_DEFERRED]
    session.flush()
    conn = session.connection()
    index_incidents(conn, pending[0])
    index_sources(conn, pending[1])


@event.listens_for(Session, "after_flush")
def _index_after_flush(session: Session, _context: UOWTransaction) -> None:
    """Re-index what the flush changed, in the flush's transaction (so a rollback takes the
    index back with the records)."""
    incidents, sources = _touched(session)
    pending = session.info.get(_DEFERRED)
    if pending is not None:
        pending[0].update(incidents)
        pending[1].update(sources)
        return
    if not incidents and not sources:
        return
    conn = session.connection()
    index_incidents(conn, incidents)
    index_sources(conn, sources)

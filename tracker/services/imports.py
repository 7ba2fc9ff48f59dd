"""The validated import of outside event data (ACLED, UCDP GED) as incidents.

Two passes over the file: the first reads and checks every row and collects the rejected ones
(row, column, value, reason) without writing; the second, only when no row was rejected (or
the caller skips the invalid ones), matches actors, places and sources and writes the
incidents with Core statements, in the caller's one transaction. Each event keeps its outside
id (:class:`~tracker.models.ExternalRecord`) with a digest of what it wrote: the same row again
is unchanged, a changed row updates its incident (with a revision), never a duplicate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import re
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, func, insert, select, text, update
from sqlalchemy.orm import Session

from tracker.imports import acled, ged
from tracker.imports.events import ActorName, Event, PlaceName
from tracker.imports.matching import (
    HOW_CREATED,
    AdminIndex,
    KnownPlace,
    NameIndex,
    choose_place,
    letters,
)
from tracker.imports.progress import ImportProgress
from tracker.imports.table import HashingReader, RawRow, Rejection, csv_rows
from tracker.models import (
    Actor,
    AdminArea,
    Agreement,
    ExternalRecord,
    ImportRun,
    Incident,
    IncidentSource,
    Place,
    Revision,
    Source,
    User,
    utcnow,
)
from tracker.queries.applicability import assess_incident, judged_agreements
from tracker.rules.applicability import Verdict
from tracker.rules.names import fold, search_key
from tracker.services.history import audit
from tracker.services.report_store import invalidate

#: Events written per batch of statements.
BATCH = 2_000
#: Place answers remembered at most (then forgotten and found again).
PLACE_MEMORY = 100_000
#: The column of an incident that names the agreement a source alleges it breaks.
ALLEGED = "agreement_id"
READERS: dict[str, Any] = {"acled": acled, "ged": ged}
STATUSES = ("submitted", "draft")
_SLUG = re.compile(r"[^a-z0-9]+")


class ImportRefusedError(Exception):
    """The import cannot start (unknown agreement, unreadable file); nothing was written."""


@dataclass
class Summary:
    """What an import did, or would do: the four counts add up to the rows read."""

    kind: str
    file_name: str
    sha256: str = ""
    rows_read: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    other_countries: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    written: bool = False
    run_id: int | None = None
    #: name -> how it was matched (or "created"), per kind of record.
    actors: dict[str, str] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows_read": self.rows_read,
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }

    def created(self, kind: str) -> list[str]:
        names: dict[str, str] = getattr(self, kind)
        return sorted(n for n, how in names.items() if how == HOW_CREATED)

    def matched(self, kind: str) -> dict[str, str]:
        names: dict[str, str] = getattr(self, kind)
        return {n: how for n, how in sorted(names.items()) if how != HOW_CREATED}


@dataclass
class Overrides:
    """Matches an analyst chose: actor name -> actor id, place label -> place id."""

    actors: dict[str, int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)


@dataclass
class EventOptions:
    """What the analyst chose for an import of events."""

    kind: str
    countries: tuple[str, ...] = ()
    alleged_agreement: str | None = None
    status: str = "submitted"
    skip_invalid: bool = False
    overrides: Overrides = field(default_factory=Overrides)

    def digest_options(self) -> dict[str, Any]:
        return {
            "alleged": self.alleged_agreement,
            "status": self.status,
            "chosen": [self.overrides.actors, self.overrides.places] if self._chosen() else None,
        }

    def _chosen(self) -> bool:
        return bool(self.overrides.actors or self.overrides.places)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _slug(name: str, taken: set[str]) -> str:
    base = _SLUG.sub("-", letters_or_ascii(name)).strip("-")[:100] or "imported"
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def letters_or_ascii(name: str) -> str:
    """A lower-case ASCII form of a name for slugs (Arabic-only names give an empty string)."""
    return "".join(c for c in fold(name) if c.isascii())


def _rows(
    path: Path, options: EventOptions, summary: Summary, progress: ImportProgress, phase: str
) -> Iterator[tuple[RawRow, HashingReader]]:
    """The rows of the chosen countries (the others are counted aside), with progress."""
    reader = READERS[options.kind]
    wanted = {c.casefold() for c in options.countries}
    hasher: list[HashingReader] = []
    total = path.stat().st_size
    progress.start(phase, total)
    seen = 0
    for raw in csv_rows(path, reader.REQUIRED, hasher=hasher):
        if wanted and not raw.problems and reader.country_of(raw).casefold() not in wanted:
            if phase == "checking":
                summary.other_countries += 1
            continue
        seen += 1
        if seen % 500 == 0:
            progress.update(seen, hasher[0].size)
        yield raw, hasher[0]
    progress.update(seen, total)
    progress.finish()


def _id_hash(external_id: str) -> int:
    return int.from_bytes(
        hashlib.blake2b(external_id.encode(), digest_size=8).digest(), "big", signed=True
    )


def validate_events(
    path: Path, options: EventOptions, tz: ZoneInfo, progress: ImportProgress
) -> Summary:
    """The first pass: read and check every row, writing nothing.

    :raises FileRefusedError: when the file is not a CSV of this kind.
    """
    reader = READERS[options.kind]
    summary = Summary(options.kind, path.name)
    hashes = array("q")
    hasher: HashingReader | None = None
    for raw, hasher in _rows(path, options, summary, progress, "checking"):  # noqa: B007
        summary.rows_read += 1
        result = reader.read_row(raw, tz)
        if isinstance(result, list):
            summary.rejections.extend(result)
        else:
            hashes.append(_id_hash(result.external_id))
    if hasher is not None:
        summary.sha256 = hasher.digest.hexdigest() if hasher.size == path.stat().st_size else ""
    if not summary.sha256:
        summary.sha256 = file_sha256(path)
    duplicated = _duplicates(hashes)
    if duplicated:
        _reject_duplicates(path, options, tz, duplicated, summary)
    summary.rejections.sort(key=lambda r: r.row)
    summary.rejected = len({r.row for r in summary.rejections})
    return summary


def _duplicates(hashes: array[int]) -> set[int]:
    ordered = sorted(hashes)
    return {a for a, b in itertools.pairwise(ordered) if a == b}


def _reject_duplicates(
    path: Path, options: EventOptions, tz: ZoneInfo, duplicated: set[int], summary: Summary
) -> None:
    reader = READERS[options.kind]
    first: dict[str, int] = {}
    quiet = ImportProgress(enabled=False)
    for raw, _hasher in _rows(path, options, Summary(options.kind, ""), quiet, "duplicates"):
        result = reader.read_row(raw, tz)
        if isinstance(result, list) or _id_hash(result.external_id) not in duplicated:
            continue
        if result.external_id in first:
            summary.rejections.append(
                Rejection(
                    raw.number,
                    "event_id_cnty" if options.kind == "acled" else "id",
                    result.external_id,
                    f"the same id as row {first[result.external_id]}",
                )
            )
        else:
            first[result.external_id] = raw.number


HOW_CHOSEN = "chosen by the analyst"


def place_label(place: PlaceName) -> str:
    """How a place of an event is named in summaries and in the analyst's choices."""
    return ", ".join(p for p in (place.name, place.admin1, place.country) if p)


class Matcher:
    """Finds or creates the actors, places and sources that events name, remembering each
    name's answer for the rest of the import."""

    def __init__(
        self,
        session: Session,
        summary: Summary,
        user_id: int | None,
        overrides: Overrides | None = None,
    ) -> None:
        self.session = session
        self.summary = summary
        self.user_id = user_id
        self.overrides = overrides or Overrides()
        self.actor_index = NameIndex()
        self.actor_slugs: set[str] = set()
        for row in session.execute(
            select(Actor.id, Actor.slug, Actor.name_en, Actor.name_ar, Actor.aliases)
        ):
            self.actor_index.add(row.id, row.name_en, row.name_ar, row.aliases or [])
            self.actor_slugs.add(row.slug)
        self.place_index = NameIndex()
        self.places: dict[int, KnownPlace] = {}
        self.place_slugs: set[str] = set()
        self.place_pcodes: dict[str, int] = {}
        for p in session.execute(
            select(
                Place.id, Place.slug, Place.name_en, Place.name_ar, Place.aliases, Place.pcode,
                Place.admin1_name, Place.admin3_name, Place.latitude, Place.longitude,
            )
        ):  # fmt: skip
            self.place_index.add(p.id, p.name_en, p.name_ar, p.aliases or [])
            self.places[p.id] = KnownPlace(
                p.id, letters(p.admin1_name or ""), letters(p.admin3_name or ""),
                p.latitude, p.longitude,
            )  # fmt: skip
            self.place_slugs.add(p.slug)
            if p.pcode:
                self.place_pcodes[p.pcode] = p.id
        self.admin = AdminIndex()
        for a in session.execute(
            select(
                AdminArea.pcode, AdminArea.level, AdminArea.parent_pcode, AdminArea.name_en,
                AdminArea.name_ar, AdminArea.name_ref, AdminArea.geometry,
            )
        ):  # fmt: skip
            self.admin.add(
                a.pcode, a.level, a.parent_pcode, (a.name_en, a.name_ar, a.name_ref), a.geometry
            )
        self.source_ids: dict[str, int] = {}
        for s in session.execute(
            select(Source.id, Source.ref).where(Source.ref.like("publisher:%"))
        ):
            self.source_ids[s.ref] = s.id
        self._actors: dict[str, int] = {}
        self._places: dict[tuple[Any, ...], int] = {}
        self._candidates: dict[str, tuple[list[int], str] | None] = {}

    def actor(self, actor: ActorName | None) -> int | None:
        if actor is None:
            return None
        known = self._actors.get(actor.name)
        if known is not None:
            return known
        found = self.actor_index.candidates(actor.name)
        chosen = self.overrides.actors.get(actor.name)
        if chosen is not None:
            actor_id, how = chosen, HOW_CHOSEN
        elif found is not None and len(found[0]) == 1:
            actor_id, how = found[0][0], found[1]
        else:
            actor_id, how = self._create_actor(actor), HOW_CREATED
        self._actors[actor.name] = actor_id
        self.summary.actors[actor.name] = how
        return actor_id

    def _create_actor(self, actor: ActorName) -> int:
        values: dict[str, Any] = {
            "slug": _slug(actor.name, self.actor_slugs),
            "name_en": actor.name,
            "aliases": [],
            "kind": actor.kind,
            "search_key": search_key([actor.name]),
        }
        actor_id: int = self.session.execute(
            insert(Actor).returning(Actor.id), [values]
        ).scalar_one()
        self.actor_index.add(actor_id, actor.name, None, [])
        return actor_id

    def place(self, place: PlaceName | None) -> int | None:
        if place is None:
            return None
        # remembered per name and 0.01-degree cell (about a kilometre), so that memory stays
        # bounded however many distinct points a file has
        cell = (
            (round(place.latitude, 2), round(place.longitude, 2))
            if place.latitude is not None and place.longitude is not None
            else None
        )
        key = (place.name, place.admin1, place.admin2, place.admin3, cell)
        known = self._places.get(key)
        if known is not None:
            return known
        label = place_label(place)
        place_id: int | None = self.overrides.places.get(label)
        how = HOW_CHOSEN if place_id is not None else HOW_CREATED
        found = self._place_candidates(place.name) if place.name else None
        if found is not None and place_id is None:
            chosen = choose_place(
                [self.places[i] for i in found[0] if i in self.places],
                place.admin1,
                place.latitude,
                place.longitude,
            )
            if chosen is not None:
                place_id, how = chosen.record_id, found[1]
        if place_id is None:
            place_id = self._create_place(place)
        if len(self._places) > PLACE_MEMORY:
            self._places.clear()
        self._places[key] = place_id
        self.summary.places[label] = how
        return place_id

    def _place_candidates(self, name: str) -> tuple[list[int], str] | None:
        if name not in self._candidates:
            self._candidates[name] = self.place_index.candidates(name)
        return self._candidates[name]

    def _create_place(self, place: PlaceName) -> int:
        codes = self.admin.codes(
            place.admin1, place.admin2, place.admin3, place.longitude, place.latitude
        )
        name = place.name or place.admin3 or place.admin2 or place.admin1 or place.country
        values: dict[str, Any] = {
            "slug": _slug(name, self.place_slugs),
            "name_en": name,
            "aliases": [],
            "kind": "other",
            "admin1_name": place.admin1 or None,
            "admin1_pcode": codes[0],
            "admin2_name": place.admin2 or None,
            "admin2_pcode": codes[1],
            "admin3_name": place.admin3 or None,
            "admin3_pcode": codes[2],
            "latitude": place.latitude,
            "longitude": place.longitude,
            "search_key": search_key([name]),
        }
        place_id: int = self.session.execute(
            insert(Place).returning(Place.id), [values]
        ).scalar_one()
        self.place_index.add(place_id, name, None, [])
        self._candidates.clear()
        self.places[place_id] = KnownPlace(
            place_id, letters(place.admin1), letters(place.admin3), place.latitude, place.longitude
        )
        return place_id

    def source(self, name: str) -> int:
        ref = f"publisher:{name.casefold()}"[:120]
        known = self.source_ids.get(ref)
        if known is not None:
            self.summary.sources.setdefault(name, "name")
            return known
        values = {
            "ref": ref,
            "kind": "news_article",
            "title": name[:500],
            "publisher": name[:300],
            "reliability": "F",
            "created_by_id": self.user_id,
        }
        source_id: int = self.session.execute(
            insert(Source).returning(Source.id), [values]
        ).scalar_one()
        self.source_ids[ref] = source_id
        self.summary.sources[name] = HOW_CREATED
        return source_id


def _incident_values(
    event: Event, matcher: Matcher, alleged_id: int | None, status: str
) -> dict[str, Any]:
    values: dict[str, Any] = {
        ALLEGED: alleged_id,
        "occurred_start": event.start,
        "occurred_end": event.end,
        "occurred_on": event.occurred_on,
        "date_precision": event.date_precision,
        "place_id": matcher.place(event.place),
        "location_precision": event.location_precision,
        "perpetrator_id": matcher.actor(event.perpetrator),
        "target_actor_id": matcher.actor(event.target),
        "category": event.category,
        "description_en": event.description_en,
        "status": status,
    }
    for group in ("civilians_killed", "civilians_injured", "combatants_killed"):
        for level in ("low", "best", "high"):
            column = f"{group}_{level}"
            values[column] = event.casualties.get(column)
    return values


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def _snapshot(incident_id: int, values: dict[str, Any]) -> dict[str, Any]:
    return {"id": incident_id, **{k: _plain(v) for k, v in values.items() if k != "search_key"}}


class EventWriter:
    """The second pass: writes events batch by batch in the caller's transaction."""

    def __init__(
        self,
        session: Session,
        summary: Summary,
        options: EventOptions,
        run_id: int,
        user_id: int | None,
        alleged_id: int | None,
    ) -> None:
        self.session = session
        self.summary = summary
        self.options = options
        self.run_id = run_id
        self.user_id = user_id
        self.alleged_id = alleged_id
        self.matcher = Matcher(session, summary, user_id, options.overrides)
        self.origin = f"{options.kind.upper()} import {run_id}, file sha256 {summary.sha256}"
        self.batch: list[Event] = []

    def add(self, event: Event) -> None:
        self.batch.append(event)
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        events, self.batch = self.batch, []
        ids = [e.external_id for e in events]
        existing = {
            r.external_id: r
            for r in self.session.execute(
                select(
                    ExternalRecord.id, ExternalRecord.external_id, ExternalRecord.incident_id,
                    ExternalRecord.row_sha256,
                ).where(
                    ExternalRecord.system == self.options.kind,
                    ExternalRecord.external_id.in_(ids),
                )
            )
        }  # fmt: skip
        taken_refs = set(self.session.scalars(select(Incident.ref).where(Incident.ref.in_(ids))))
        new: list[tuple[Event, str, dict[str, Any]]] = []
        changed: list[tuple[Event, str, dict[str, Any], Any]] = []
        for event in events:
            digest = event.digest(self.options.digest_options())
            record = existing.get(event.external_id)
            if record is not None and record.row_sha256 == digest:
                self.summary.unchanged += 1
                continue
            values = _incident_values(event, self.matcher, self.alleged_id, self.options.status)
            if record is None:
                if event.external_id not in taken_refs:
                    values["ref"] = event.external_id
                    taken_refs.add(event.external_id)
                new.append((event, digest, values))
            else:
                changed.append((event, digest, values, record))
        self._insert(new)
        self._update(changed)

    def _search_key(self, values: dict[str, Any]) -> str:
        return search_key([values.get("ref"), values.get("description_en")])

    def _insert(self, new: list[tuple[Event, str, dict[str, Any]]]) -> None:
        if not new:
            return
        now = utcnow()
        rows = []
        for _event, _digest, values in new:
            values["search_key"] = self._search_key(values)
            rows.append(
                {
                    **values,
                    "version": 1,
                    "count_qualifier": "exact",
                    "created_by_id": self.user_id,
                    "updated_by_id": self.user_id,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        incident_ids = reserve_ids(self.session, Incident.__table__, len(rows))
        for row, incident_id in zip(rows, incident_ids, strict=True):
            row["id"] = incident_id
        bulk_insert(self.session, Incident.__table__, rows)
        bulk_insert(
            self.session,
            ExternalRecord.__table__,
            [
                {
                    "system": self.options.kind,
                    "external_id": event.external_id,
                    "incident_id": incident_id,
                    "row_sha256": digest,
                    "import_run_id": self.run_id,
                    "extra": event.extra,
                }
                for (event, digest, _values), incident_id in zip(new, incident_ids, strict=True)
            ],
        )
        links = [
            self._link(incident_id, event, name)
            for (event, _digest, _values), incident_id in zip(new, incident_ids, strict=True)
            for name in event.sources
        ]
        if links:
            bulk_insert(self.session, IncidentSource.__table__, links)
        self._revisions(
            [
                (incident_id, 1, values, None, event)
                for (event, _digest, values), incident_id in zip(new, incident_ids, strict=True)
            ]
        )
        self.summary.imported += len(new)

    def _link(self, incident_id: int, event: Event, name: str) -> dict[str, Any]:
        return {
            "incident_id": incident_id,
            "source_id": self.matcher.source(name),
            "credibility": 6,
            "stance": "supports",
            "excerpt": event.source_excerpt,
            "state": "active",
            "created_at": utcnow(),
        }

    def _update(self, changed: list[tuple[Event, str, dict[str, Any], Any]]) -> None:
        if not changed:
            return
        incident_ids = [record.incident_id for *_rest, record in changed]
        columns = [Incident.__table__.c[name] for name in changed[0][2]]
        current = {
            row.id: row._mapping
            for row in self.session.execute(
                select(Incident.id, Incident.version, Incident.ref, *columns).where(
                    Incident.id.in_(incident_ids)
                )
            )
        }
        linked = {
            (row.incident_id, row.source_id)
            for row in self.session.execute(
                select(IncidentSource.incident_id, IncidentSource.source_id).where(
                    IncidentSource.incident_id.in_(incident_ids)
                )
            )
        }
        revisions: list[tuple[int, int, dict[str, Any], dict[str, Any] | None, Event]] = []
        links = []
        now = utcnow()
        for event, digest, values, record in changed:
            before = current[record.incident_id]
            values["search_key"] = search_key([before["ref"], values.get("description_en")])
            version = before["version"] + 1
            self.session.execute(
                update(Incident)
                .where(Incident.id == record.incident_id)
                .values(**values, version=version, updated_at=now, updated_by_id=self.user_id)
                .execution_options(synchronize_session=False)
            )
            self.session.execute(
                update(ExternalRecord)
                .where(ExternalRecord.id == record.id)
                .values(row_sha256=digest, import_run_id=self.run_id, extra=event.extra)
                .execution_options(synchronize_session=False)
            )
            for name in event.sources:
                link = self._link(record.incident_id, event, name)
                if (record.incident_id, link["source_id"]) not in linked:
                    links.append(link)
                    linked.add((record.incident_id, link["source_id"]))
            old = {k: _plain(before[k]) for k in values if k in before}
            revisions.append((record.incident_id, version, values, old, event))
        if links:
            bulk_insert(self.session, IncidentSource.__table__, links)
        self._revisions(revisions)
        self.summary.updated += len(changed)

    def _revisions(
        self, items: list[tuple[int, int, dict[str, Any], dict[str, Any] | None, Event]]
    ) -> None:
        rows = []
        for incident_id, version, values, before, event in items:
            after = _snapshot(incident_id, values)
            if before is None:
                changes = {}  # a new incident: its snapshot holds every field
            else:
                changes = {
                    k: [before.get(k), v]
                    for k, v in after.items()
                    if k != "id" and before.get(k) != v
                }
            changes["imported_from"] = [
                None,
                f"{event.external_id} (row {event.row}; {self.origin})",
            ]
            rows.append(
                {
                    "entity_type": "incidents",
                    "entity_id": incident_id,
                    "version": version,
                    "snapshot": after,
                    "changes": changes,
                    "user_id": self.user_id,
                }
            )
        bulk_insert(self.session, Revision.__table__, rows)


def _json_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _default(column: Any) -> Any:
    default = column.default
    if default is None:
        return None
    if default.is_callable:
        return default.arg(None)
    return default.arg


def bulk_insert(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` into ``table`` in the session's transaction, straight through the
    driver: COPY on PostgreSQL, one ``executemany`` on SQLite (the references the import is
    measured against). Values go through the columns' own bind conversions (UTC timestamps,
    dates, JSON) and the column defaults written in Python are filled in; every row must name
    the same columns.

    :raises ImportRefusedError: when the session's connection is closed.
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    given = list(rows[0])
    defaults = [c for c in table.columns if c.name not in given and c.default is not None]
    columns = [table.c[name] for name in given] + defaults
    postgres = dialect.name == "postgresql"
    processors: list[Callable[[Any], Any] | None] = [
        _json_text
        if postgres and isinstance(c.type, JSON)
        else c.type.dialect_impl(dialect).bind_processor(dialect)
        for c in columns
    ]
    raw = connection.connection.driver_connection
    if raw is None:
        raise ImportRefusedError("the database connection was closed")
    values = (
        [
            value if process is None else process(value)
            for value, process in zip(
                [row[name] for name in given] + [_default(c) for c in defaults],
                processors,
                strict=True,
            )
        ]
        for row in rows
    )
    names = ", ".join(f'"{c.name}"' for c in columns)
    if postgres:
        copy_statement = f"COPY {table.name} ({names}) FROM STDIN"
        with raw.cursor() as cursor, cursor.copy(copy_statement) as copy:
            for row_values in values:
                copy.write_row(row_values)
        return
    marks = ", ".join("?" for _ in columns)
    statement = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"  # noqa: S608 (names from the model)
    raw.cursor().executemany(statement, values)


def reserve_ids(session: Session, table: Any, count: int) -> list[int]:
    """``count`` new ids for ``table``: from its sequence on PostgreSQL; on SQLite the ones
    after the largest (the transaction holds the write lock, so nobody else takes them)."""
    if session.get_bind().dialect.name == "postgresql":
        sequence = f"{table.name}_id_seq"
        return list(
            session.scalars(
                select(func.nextval(sequence)).select_from(func.generate_series(1, count))
            )
        )
    session.execute(update(table).where(text("0")).values(id=table.c.id))  # take the write lock
    largest = session.scalar(select(func.max(table.c.id))) or 0
    return list(range(largest + 1, largest + 1 + count))


def _alleged_id(session: Session, slug: str | None) -> int | None:
    if not slug:
        return None
    agreement_id = session.scalar(select(Agreement.id).where(Agreement.slug == slug))
    if agreement_id is None:
        raise ImportRefusedError(f"no agreement {slug!r}: nothing was imported")
    return agreement_id


def start_run(
    session: Session, summary: Summary, options: dict[str, Any], user: User | None, run_by: str
) -> int:
    """Record the import (its counts are filled in by :func:`finish_run`)."""
    run_id: int = session.execute(
        insert(ImportRun).returning(ImportRun.id),
        [
            {
                "kind": summary.kind,
                "file_name": summary.file_name[:300],
                "file_sha256": summary.sha256,
                "user_id": user.id if user else None,
                "run_by": run_by[:200],
                "options": options,
                "rows_read": 0,
                "imported": 0,
                "updated": 0,
                "unchanged": 0,
                "rejected": 0,
                "started_at": utcnow(),
            }
        ],
    ).scalar_one()
    summary.run_id = run_id
    return run_id


def finish_run(session: Session, summary: Summary, user: User | None) -> None:
    """Store the counts of the run and write its audit event."""
    if summary.run_id is None:
        raise ImportRefusedError("the import was not started")
    session.execute(
        update(ImportRun).where(ImportRun.id == summary.run_id).values(**summary.counts)
    )
    audit(
        session,
        f"import.{summary.kind}",
        user=user,
        entity_type="import_runs",
        entity_id=summary.run_id,
        details={**summary.counts, "file": summary.file_name, "sha256": summary.sha256},
    )


def import_events(
    session: Session,
    path: Path,
    options: EventOptions,
    tz: ZoneInfo,
    *,
    user: User | None,
    run_by: str,
    progress: ImportProgress | None = None,
    checked: Summary | None = None,
) -> Summary:
    """Check every row of an ACLED or GED file, then, when none was rejected or
    ``options.skip_invalid`` is set, write its events in ``session``'s transaction (the caller
    commits, or rolls back for a dry run) and mark the stored report totals stale.

    :raises FileRefusedError: when the file is not a CSV of this kind.
    :raises ImportRefusedError: when the alleged agreement does not exist or the file changed
        between the passes.
    """
    if options.kind not in READERS:
        raise ImportRefusedError(f"unknown kind of file {options.kind!r}")
    if options.status not in STATUSES:
        raise ImportRefusedError(
            f"the status of imported incidents is one of {', '.join(STATUSES)}"
        )
    progress = progress or ImportProgress(enabled=False)
    alleged_id = _alleged_id(session, options.alleged_agreement)
    summary = checked or validate_events(path, options, tz, progress)
    if summary.rejected and not options.skip_invalid:
        return summary
    reader = READERS[options.kind]
    rejected_rows = {r.row for r in summary.rejections}
    run_id = start_run(session, summary, _options(options), user, run_by)
    writer = EventWriter(session, summary, options, run_id, user.id if user else None, alleged_id)
    hasher: HashingReader | None = None
    for raw, hasher in _rows(  # noqa: B007 (the last one is read after the loop)
        path, options, Summary(options.kind, ""), progress, "importing"
    ):
        if raw.number in rejected_rows:
            continue
        result = reader.read_row(raw, tz)
        if isinstance(result, list):
            raise ImportRefusedError(
                f"{path.name} changed while it was imported: nothing was written"
            )
        writer.add(result)
    writer.flush()
    if hasher is not None and hasher.digest.hexdigest() != summary.sha256:
        raise ImportRefusedError(f"{path.name} changed while it was imported: nothing was written")
    if summary.imported + summary.updated + summary.unchanged + summary.rejected != (
        summary.rows_read
    ):
        raise ImportRefusedError("the counts do not add up to the rows read: nothing was written")
    finish_run(session, summary, user)
    if summary.imported or summary.updated:
        invalidate(session)
    summary.written = True
    return summary


def preview_events(
    session: Session, path: Path, options: EventOptions, tz: ZoneInfo, rows: int
) -> tuple[Summary, list[dict[str, Any]]]:
    """Check every row, then match the first ``rows`` valid events as the import would, and
    name the agreements each may fall under (those whose rule does not put it outside their
    scope); the caller rolls the session back (the matches may have created records).

    :raises FileRefusedError: when the file is not a CSV of this kind.
    :raises ImportRefusedError: when the alleged agreement does not exist.
    """
    alleged_id = _alleged_id(session, options.alleged_agreement)
    summary = validate_events(path, options, tz, ImportProgress(enabled=False))
    reader = READERS[options.kind]
    matcher = Matcher(session, Summary(options.kind, ""), None, options.overrides)
    agreements = list(session.scalars(judged_agreements().order_by(Agreement.effective_from)))
    shown: list[dict[str, Any]] = []
    quiet = ImportProgress(enabled=False)
    for raw, _hasher in _rows(path, options, Summary(options.kind, ""), quiet, "preview"):
        if len(shown) >= rows:
            break
        event = reader.read_row(raw, tz)
        if isinstance(event, list):
            continue
        values = _incident_values(event, matcher, alleged_id, options.status)
        found = matcher.summary
        perpetrator, target = event.perpetrator, event.target
        shown.append(
            {
                "row": event.row,
                "external_id": event.external_id,
                "date": event.occurred_on.isoformat(),
                "date_precision": event.date_precision,
                "place": place_label(event.place) if event.place else "",
                "place_how": found.places.get(place_label(event.place), "") if event.place else "",
                "location_precision": event.location_precision,
                "perpetrator": perpetrator.name if perpetrator else "",
                "perpetrator_how": found.actors.get(perpetrator.name, "") if perpetrator else "",
                "target": target.name if target else "",
                "target_how": found.actors.get(target.name, "") if target else "",
                "category": event.category,
                "agreements": _falls_under(session, values, agreements),
            }
        )
    return summary, shown


def _falls_under(
    session: Session, values: dict[str, Any], agreements: list[Agreement]
) -> list[str]:
    """The names of the agreements whose rule does not put the event outside their scope."""
    incident = Incident(
        occurred_start=values["occurred_start"],
        occurred_end=values["occurred_end"],
        date_precision=values["date_precision"],
        location_precision=values["location_precision"],
        claimed_justification=None,
    )
    incident.place = session.get(Place, values["place_id"]) if values["place_id"] else None
    incident.perpetrator = (
        session.get(Actor, values["perpetrator_id"]) if values["perpetrator_id"] else None
    )
    incident.claimed_target = None
    incident.provisions = []
    names = []
    for agreement in agreements:
        assessment = assess_incident(incident, agreement)
        if assessment is not None and assessment.verdict != Verdict.OUTSIDE_SCOPE:
            names.append(agreement.name_en)
    return names


def _options(options: EventOptions) -> dict[str, Any]:
    return {
        "countries": list(options.countries),
        "alleged_agreement": options.alleged_agreement,
        "status": options.status,
        "skip_invalid": options.skip_invalid,
    }


def write_report(path: Path, rejections: list[Rejection]) -> None:
    """Write the rejected rows as CSV (cells that could be read as formulas neutralised)."""
    from tracker.export.tables import csv_lines
    from tracker.imports.table import REPORT_COLUMNS

    rows = (dict(zip(REPORT_COLUMNS, r.as_csv(), strict=True)) for r in rejections)
    with path.open("w", encoding="utf-8", newline="") as handle:
        for line in csv_lines(rows, REPORT_COLUMNS):
            handle.write(line)


def summary_json(summary: Summary) -> str:
    """The summary as JSON (for downloads)."""
    return json.dumps(
        {
            "kind": summary.kind,
            "file": summary.file_name,
            "sha256": summary.sha256,
            **summary.counts,
            "other_countries": summary.other_countries,
            "written": summary.written,
            "actors": summary.actors,
            "places": summary.places,
            "sources": summary.sources,
        },
        ensure_ascii=False,
        indent=2,
    )

"""The second pass of an event import: incidents, their outside ids, source links and
revisions written batch by batch; changed events update their incident, unchanged ones are
counted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tracker.imports.events import Event
from tracker.models import (
    ExternalRecord,
    Incident,
    IncidentSource,
    Revision,
    utcnow,
)
from tracker.queries.id_lists import among
from tracker.rules.names import search_key
from tracker.services.bulk_writes import bulk_insert, reserve_ids
from tracker.services.import_matching import Matcher
from tracker.services.import_runs import EventOptions, Summary
from tracker.services.report_store import Changes

#: Events written per batch of statements.
BATCH = 2_000


#: The column of an incident that names the agreement a source alleges it breaks.
ALLEGED = "alleged_agreement_id"


def incident_values(
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
        values[f"{group}_qualifier"] = event.casualties.get(f"{group}_qualifier") or "exact"
    return values


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


_MOMENTS = frozenset({dt.date, dt.datetime})


def _snapshot(incident_id: int, values: dict[str, Any]) -> dict[str, Any]:
    snapshot = {"id": incident_id}
    for key, value in values.items():
        if type(value) in _MOMENTS:
            snapshot[key] = value.isoformat()
        elif key != "search_key":
            snapshot[key] = value
    return snapshot


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
        changes: Changes | None = None,
    ) -> None:
        """``changes``: keep the report store current incident by incident (a small import);
        without it the caller rebuilds the store after the import."""
        self.session = session
        self.changes = changes
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
                    among(self.session, ExternalRecord.external_id, ids),
                )
            )
        }  # fmt: skip
        taken_refs = set(
            self.session.scalars(select(Incident.ref).where(among(self.session, Incident.ref, ids)))
        )
        new: list[tuple[Event, str, dict[str, Any]]] = []
        changed: list[tuple[Event, str, dict[str, Any], Any]] = []
        for event in events:
            digest = event.digest(self.options.digest_options())
            record = existing.get(event.external_id)
            if record is not None and record.row_sha256 == digest:
                self.summary.unchanged += 1
                continue
            values = incident_values(event, self.matcher, self.alleged_id, self.options.status)
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
        incident_ids = reserve_ids(self.session, Incident.__table__, len(new))
        if self.changes is not None:
            self.changes.include_ids(incident_ids)
        # generators: each batch's rows are built while they are sent, not held all at once
        bulk_insert(
            self.session,
            Incident.__table__,
            (
                {
                    **values,
                    "search_key": self._search_key(values),
                    "id": incident_id,
                    "version": 1,
                    "count_qualifier": "exact",
                    "created_by_id": self.user_id,
                    "updated_by_id": self.user_id,
                    "created_at": now,
                    "updated_at": now,
                }
                for (_event, _digest, values), incident_id in zip(new, incident_ids, strict=True)
            ),
        )
        bulk_insert(
            self.session,
            ExternalRecord.__table__,
            (
                {
                    "system": self.options.kind,
                    "external_id": event.external_id,
                    "incident_id": incident_id,
                    "row_sha256": digest,
                    "import_run_id": self.run_id,
                    "extra": event.extra,
                }
                for (event, digest, _values), incident_id in zip(new, incident_ids, strict=True)
            ),
        )
        links = [
            self._link(incident_id, event, name)
            for (event, _digest, _values), incident_id in zip(new, incident_ids, strict=True)
            for name in event.sources
        ]
        if links:
            bulk_insert(self.session, IncidentSource.__table__, links)
        self._revisions(
            (incident_id, 1, values, None, event)
            for (event, _digest, values), incident_id in zip(new, incident_ids, strict=True)
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
        if self.changes is not None:
            self.changes.take(incident_ids)  # their rows as they are, before the update
        columns = [Incident.__table__.c[name] for name in changed[0][2]]
        current = {
            row.id: row._mapping
            for row in self.session.execute(
                select(Incident.id, Incident.version, Incident.ref, *columns).where(
                    among(self.session, Incident.id, incident_ids)
                )
            )
        }
        linked = {
            (row.incident_id, row.source_id)
            for row in self.session.execute(
                select(IncidentSource.incident_id, IncidentSource.source_id).where(
                    among(self.session, IncidentSource.incident_id, incident_ids)
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
        self, items: Iterable[tuple[int, int, dict[str, Any], dict[str, Any] | None, Event]]
    ) -> None:
        bulk_insert(self.session, Revision.__table__, map(self._revision, items))

    def _revision(
        self, item: tuple[int, int, dict[str, Any], dict[str, Any] | None, Event]
    ) -> dict[str, Any]:
        incident_id, version, values, before, event = item
        after = _snapshot(incident_id, values)
        if before is None:
            changes = {}  # a new incident: its snapshot holds every field
        else:
            changes = {
                k: [before.get(k), v] for k, v in after.items() if k != "id" and before.get(k) != v
            }
        changes["imported_from"] = [None, f"{event.external_id} (row {event.row}; {self.origin})"]
        return {
            "entity_type": "incidents",
            "entity_id": incident_id,
            "version": version,
            "snapshot": after,
            "changes": changes,
            "user_id": self.user_id,
        }

"""What every import shares: its options, its summary (the four counts and what was matched
or created), the record of each run, and the report of rejected rows."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from tracker.imports.matching import (
    HOW_CREATED,
)
from tracker.imports.table import Rejection
from tracker.models import (
    ImportRun,
    User,
    utcnow,
)
from tracker.services.history import audit

STATUSES = ("submitted", "draft")


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

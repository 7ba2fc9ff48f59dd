"""The validated import of outside event data (ACLED, UCDP GED) as incidents.

Two passes over the file: the first reads and checks every row and collects the rejected ones
(row, column, value, reason) without writing; the second, only when no row was rejected (or
the caller skips the invalid ones), matches actors, places and sources and writes the
incidents in bulk (:mod:`tracker.services.event_writer`), in the caller's one transaction.
Each event keeps its outside id (:class:`~tracker.models.ExternalRecord`) with a digest of
what it wrote: the same row again is unchanged, a changed row updates its incident (with a
revision), never a duplicate.
"""

from __future__ import annotations

import hashlib
import itertools
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.imports import acled, ged
from tracker.imports.progress import ImportProgress
from tracker.imports.table import HashingReader, RawRow, Rejection, csv_rows
from tracker.models import (
    Actor,
    Agreement,
    Incident,
    Place,
    User,
)
from tracker.queries.applicability import assess_incident, judged_agreements
from tracker.rules.applicability import Verdict
from tracker.services.event_writer import EventWriter, incident_values
from tracker.services.import_matching import Matcher, place_label
from tracker.services.import_runs import (
    STATUSES,
    EventOptions,
    ImportRefusedError,
    Summary,
    file_sha256,
    finish_run,
    start_run,
)
from tracker.services.report_rebuild import rebuild_all
from tracker.services.report_store import Changes

READERS: dict[str, Any] = {"acled": acled, "ged": ged}

#: Up to this many rows to write, an import keeps the report store current as it writes (each
#: incident judged by the rule); above it, the whole store is rebuilt in SQL afterwards.
INCREMENTAL_MOST = 5_000


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


def _alleged_id(session: Session, slug: str | None) -> int | None:
    if not slug:
        return None
    agreement_id = session.scalar(select(Agreement.id).where(Agreement.slug == slug))
    if agreement_id is None:
        raise ImportRefusedError(f"no agreement {slug!r}: nothing was imported")
    return agreement_id


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
    # a small import keeps the report store current incident by incident, as the forms do; a
    # large one rebuilds it in SQL afterwards, which costs less than judging each in Python
    small = summary.rows_read - summary.rejected <= INCREMENTAL_MOST
    changes = Changes(session, ()) if small else None
    writer = EventWriter(
        session, summary, options, run_id, user.id if user else None, alleged_id, changes
    )
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
    if changes is not None:
        changes.finish()
    elif summary.imported or summary.updated:
        rebuild_all(session)  # every agreement may hold what changed
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
        values = incident_values(event, matcher, alleged_id, options.status)
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

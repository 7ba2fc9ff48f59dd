"""The incidents a report lists: which (the newest it counts, the first of a verdict), and
their table lines with their sources and the rule's reasons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from tracker.i18n import reason_writer
from tracker.models import (
    CASUALTY_GROUPS,
    Actor,
    Agreement,
    CountQualifier,
    Incident,
    IncidentSource,
    IncidentVerdict,
    RecordState,
    Source,
)
from tracker.queries.applicability import agreement_facts, stored_incident_facts
from tracker.queries.id_lists import among
from tracker.queries.incidents import COUNTED_STATUSES
from tracker.queries.report_types import IncidentLine, ReportRequest, SourceLine
from tracker.queries.report_verdicts import Gazetteer
from tracker.queries.visibility import incident_rows
from tracker.rules.applicability import VERDICT_OF_FINDING, Finding, assess

_QUALIFIER_WORDS = {
    CountQualifier.EXACT: "",
    CountQualifier.ABOUT: "about ",
    CountQualifier.AT_LEAST: "at least ",
    CountQualifier.MORE_THAN: "more than ",
}


def period_conditions(request: ReportRequest, day: Any = None) -> list[ColumnElement[bool]]:
    """The conditions on ``day`` (the incident's local date by default) of the report's
    period."""
    column = Incident.occurred_on if day is None else day
    conditions = []
    if request.date_from:
        conditions.append(column >= request.date_from)
    if request.date_to:
        conditions.append(column <= request.date_to)
    return conditions


def _counted_ids(
    session: Session,
    agreement_id: int,
    request: ReportRequest,
    condition: ColumnElement[bool] | None,
    *,
    newest_first: bool,
    limit: int,
) -> dict[int, int]:
    """The first ``limit`` incidents the report counts that meet ``condition``, by date (the
    stored verdicts are indexed for this): their ids, in that order, with their verdict's
    finding."""
    order = (IncidentVerdict.occurred_on, IncidentVerdict.incident_id)
    return dict(
        session.execute(
            select(IncidentVerdict.incident_id, IncidentVerdict.finding)
            .join(Incident, Incident.id == IncidentVerdict.incident_id)
            .where(
                IncidentVerdict.agreement_id == agreement_id,
                IncidentVerdict.in_report.is_(True),
                *([] if condition is None else [condition]),
                Incident.status.in_([str(x) for x in COUNTED_STATUSES]),
                incident_rows(public=request.public),
                *period_conditions(request, IncidentVerdict.occurred_on),
            )
            .order_by(*(column.desc() if newest_first else column for column in order))
            .limit(limit)
        ).all()
    )


def newest_counted(
    session: Session, agreement_id: int, request: ReportRequest, limit: int
) -> dict[int, int]:
    """The newest incidents the report counts, newest first: their ids with their verdict's
    finding."""
    return _counted_ids(session, agreement_id, request, None, newest_first=True, limit=limit)


def first_of_verdict(
    session: Session, agreement_id: int, request: ReportRequest, finding: int, limit: int
) -> dict[int, int]:
    """The first incidents the report counts with the verdict ``finding``, oldest first: their
    ids with that finding."""
    return _counted_ids(
        session,
        agreement_id,
        request,
        IncidentVerdict.finding == finding,
        newest_first=False,
        limit=limit,
    )


def _when(start_at: dt.datetime, end_at: dt.datetime, precision: str, tz: ZoneInfo) -> str:
    start = start_at.astimezone(tz)
    if precision == "time":
        return start.strftime("%Y-%m-%d %H:%M")
    last = (end_at - dt.timedelta(seconds=1)).astimezone(tz).date()
    if last == start.date():
        return start.date().isoformat()
    return f"{start.date().isoformat()} – {last.isoformat()}"


def _figure(low: int | None, best: int | None, high: int | None) -> str:
    if best is not None and low in (None, best) and high in (None, best):
        return str(best)
    parts = [str(v) for v in (low, best, high) if v is not None]
    if not parts:
        return ""
    return "–".join(dict.fromkeys([parts[0], parts[-1]])) + (
        f" (best {best})" if best is not None and len(parts) > 1 else ""
    )


def _web_address(url: str | None) -> str | None:
    """``url`` when it is a web address (http or https), so that no other scheme is linked."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def _source_lines(
    session: Session, incident_ids: list[int], *, public: bool
) -> dict[int, tuple[list[SourceLine], int]]:
    """The lines of the active sources of each incident that the audience sees, in the order
    of the links, with how many active ones it does not see; read as plain rows."""
    rows = session.execute(
        select(
            IncidentSource.incident_id,
            IncidentSource.credibility,
            IncidentSource.stance,
            IncidentSource.excerpt,
            Actor.name_en,
            Source.title,
            Source.publisher,
            Source.kind,
            Source.reliability,
            Source.url,
            Source.is_confidential,
        )
        .join(Source, Source.id == IncidentSource.source_id)
        .outerjoin(Actor, Actor.id == IncidentSource.blames_actor_id)
        .where(
            among(session, IncidentSource.incident_id, incident_ids),
            IncidentSource.state == RecordState.ACTIVE,
            Source.state == RecordState.ACTIVE,
        )
        .order_by(IncidentSource.incident_id, IncidentSource.id)
    ).all()
    found: dict[int, tuple[list[SourceLine], int]] = {}
    for row in rows:
        lines, withheld = found.get(row.incident_id, ([], 0))
        # an active source is withheld from the public when it is confidential
        if public and row.is_confidential:
            found[row.incident_id] = (lines, withheld + 1)
            continue
        lines.append(
            SourceLine(
                title=row.title,
                publisher=row.publisher,
                kind=row.kind,
                reliability=row.reliability,
                credibility=row.credibility,
                stance=row.stance,
                blames=row.name_en,
                url=_web_address(row.url),
                excerpt=row.excerpt,
                confidential=row.is_confidential,
            )
        )
        found[row.incident_id] = (lines, withheld)
    return found


def incident_lines(
    session: Session,
    agreement: Agreement,
    findings: Mapping[int, int],
    request: ReportRequest,
    tz: ZoneInfo,
    *,
    gazetteer: Gazetteer,
    explained: Collection[int] | None = None,
) -> dict[int, IncidentLine]:
    """The table lines of the incidents of ``findings`` (their ids with the finding of their
    stored verdict against ``agreement``), with their sources and the rule's reasons (only
    for the incidents ``explained`` when given); read as plain rows, the names of their
    places and perpetrators taken from the report's ``gazetteer``."""
    if not findings:
        return {}
    ids = sorted(findings)
    places, actors = gazetteer.places, gazetteer.actor_names
    rows = session.execute(
        select(
            Incident.id,
            Incident.ref,
            Incident.occurred_start,
            Incident.occurred_end,
            Incident.date_precision,
            Incident.category,
            Incident.status,
            Incident.event_count,
            Incident.count_qualifier,
            Incident.description_en,
            *(
                getattr(Incident, f"{group}_{part}")
                for group in CASUALTY_GROUPS
                for part in ("low", "best", "high")
            ),
            Incident.place_id,
            Incident.perpetrator_id,
        )
        .where(among(session, Incident.id, ids))
        .order_by(Incident.id)
    ).all()
    sources_of = _source_lines(session, ids, public=request.public)
    facts = agreement_facts(agreement)
    judged = stored_incident_facts(
        session, ids if explained is None else set(explained) & set(ids), facts.roles
    )
    write = reason_writer()
    lines = {}
    for row in rows:
        reasons = (
            [write(r) for r in assess(judged[row.id], facts).reasons] if row.id in judged else []
        )
        sources, withheld = sources_of.get(row.id, ([], 0))
        place = places.get(row.place_id)
        events = None
        if row.event_count is not None:
            words = _QUALIFIER_WORDS.get(CountQualifier(row.count_qualifier), "")
            events = f"{words}{row.event_count}"
        lines[row.id] = IncidentLine(
            id=row.id,
            ref=row.ref,
            occurred=_when(row.occurred_start, row.occurred_end, row.date_precision, tz),
            precision=row.date_precision,
            place=place.name if place else None,
            governorate=place.admin1 if place else None,
            perpetrator=actors[row.perpetrator_id][1] if row.perpetrator_id in actors else None,
            category=row.category,
            status=row.status,
            verdict=str(VERDICT_OF_FINDING[Finding(findings[row.id])]),
            reasons=reasons,
            events=events,
            casualties={
                group: _figure(
                    row._mapping[f"{group}_low"],
                    row._mapping[f"{group}_best"],
                    row._mapping[f"{group}_high"],
                )
                for group in CASUALTY_GROUPS
            },
            description=row.description_en,
            sources=sources,
            withheld_sources=0 if request.public else withheld,
        )
    return lines

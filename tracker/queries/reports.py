"""The report of one agreement, computed once as plain data that every format renders.

Every figure comes from the stored verdicts of (incident, agreement) pairs and the totals kept
from them (:mod:`tracker.services.report_store`); the totals of a period that cuts the record
come from the same statement run over the period's verdicts
(:mod:`tracker.queries.report_totals`). The report's parts are built in
:mod:`tracker.queries.report_breakdowns` (rows, casualties, timeline, map),
:mod:`tracker.queries.report_incidents` (the incidents it lists) and
:mod:`tracker.queries.report_rates` (before, during and after), into the types of
:mod:`tracker.queries.report_types`. The rules behind the figures are written out for readers
in :mod:`tracker.queries.methodology` (the /methodology page and the JSON report's
``methodology`` section).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import Session

from tracker.labels import report_label
from tracker.models import Agreement, IncidentVerdict, Reliability
from tracker.queries.incidents import COUNTED_STATUSES
from tracker.queries.report_breakdowns import (
    VERDICTS,
    area_rows,
    blame_rows,
    casualty_lines,
    count_rows,
    link,
    map_data,
    perpetrator_rows,
    provision_rows,
    timeline,
    timeline_range,
    top_actors,
)
from tracker.queries.report_cells import EVENT_SUMS
from tracker.queries.report_incidents import (
    first_of_verdict,
    incident_lines,
    newest_counted,
)
from tracker.queries.report_rates import judged_agreement, rate_lines
from tracker.queries.report_totals import live_totals, stored_totals
from tracker.queries.report_types import (
    AgreementInfo,
    CountRow,
    EventCount,
    GradeRow,
    Report,
    ReportRequest,
    SourceQuality,
)
from tracker.queries.report_verdicts import load_gazetteer
from tracker.rules.applicability import FINDING_OF_VERDICT, VERDICT_OF_FINDING, Finding, Verdict
from tracker.services.errors import InvalidInputError

#: Incidents shown in the report's table (newest first); the full list is one link away.
TABLE_LIMIT = 100
#: Outside-scope or indeterminate incidents listed with their reasons (each list, oldest
#: first); the full lists are one link away.
REASON_LIST_LIMIT = 100


def build_report(
    session: Session,
    request: ReportRequest,
    *,
    tz: ZoneInfo,
    now: dt.datetime,
    all_reasons: bool = True,
) -> Report:
    """Compute the report of ``request.slug`` with a handful of GROUP BY queries, from the
    stored verdicts and totals (the caller builds them first:
    :func:`tracker.services.report_rebuild.ensure_all_built`). Every incident listed carries
    the rule's reasons, or without ``all_reasons`` only those of the outside-scope and
    indeterminate lists (the web page shows no others).

    :raises NotFoundError: when no agreement has that slug.
    :raises InvalidInputError: when the period ends before it starts or the stack is unknown.
    """
    if request.date_from and request.date_to and request.date_to < request.date_from:
        raise InvalidInputError("the period ends before it starts", {"to": "before 'from'"})
    if request.stack not in {"category", "perpetrator"}:
        raise InvalidInputError(f"the timeline cannot be stacked by {request.stack!r}")
    agreement = judged_agreement(session, request.slug)
    gazetteer = load_gazetteer(session, for_rules=False)
    filters = request.filters()
    base = filters.as_args()
    whole = not (request.date_from or request.date_to)
    if whole or _covers_record(session, agreement.id, request):
        found = stored_totals(
            session,
            agreement.id,
            public=request.public,
            stack=request.stack,
            top_actors=lambda counts: top_actors(counts, gazetteer),
            by_week=lambda first, last: timeline_range([first, last], request, agreement, tz)[2],
        )
    else:
        found = live_totals(
            session,
            agreement.id,
            date_from=request.date_from,
            date_to=request.date_to,
            public=request.public,
            stack=request.stack,
        )
    counted = {str(x) for x in COUNTED_STATUSES}
    by_verdict: Counter[str] = Counter()
    by_verdict_status: dict[str, Counter[str]] = defaultdict(Counter)
    by_category: dict[str, Counter[str]] = defaultdict(Counter)
    by_status: dict[str, Counter[str]] = defaultdict(Counter)
    left_out: Counter[str] = Counter()
    casualty_sums: dict[str, Counter[str]] = defaultdict(Counter)
    for finding, category, status, measures in found.summary:
        count = measures["incidents"]
        if status not in counted:
            left_out[status] += count
            continue
        name = str(VERDICT_OF_FINDING[Finding(finding)])
        by_verdict[name] += count
        by_verdict_status[name][status] += count
        by_category[category][name] += count
        by_status[status][name] += count
        casualty_sums["all"].update(measures)
        casualty_sums[name].update(measures)
    sums = casualty_sums["all"]
    events = EventCount(
        total=sum(sums[m] for m in EVENT_SUMS),
        exact=sums["events_exact"],
        about=sums["events_about"],
        at_least=sums["events_at_least"],
        more_than=sums["events_more_than"],
        incidents=sums["with_event_count"],
    )
    total = sum(by_verdict.values())
    verdict_rows = [
        CountRow(
            key=str(v),
            label=report_label(str(v)),
            incidents=by_verdict.get(str(v), 0),
            verdicts={str(v): by_verdict.get(str(v), 0)},
            link=link(base, verdict=str(v)),
            by_status={str(x): by_verdict_status[str(v)].get(str(x), 0) for x in COUNTED_STATUSES},
        )
        for v in VERDICTS
    ]
    breakdowns = {
        "perpetrator": perpetrator_rows(found, gazetteer, base),
        "category": count_rows(by_category, {}, base, "category"),
        "provision": provision_rows(found, agreement),
        **area_rows(found.place, gazetteer),
        "status": count_rows(by_status, {}, base, "status"),
    }
    casualties = {key: casualty_lines(sums) for key, sums in casualty_sums.items()}
    newest = newest_counted(session, agreement.id, request, TABLE_LIMIT)
    listed = {
        verdict: first_of_verdict(
            session, agreement.id, request, int(FINDING_OF_VERDICT[verdict]), REASON_LIST_LIMIT
        )
        for verdict in (Verdict.OUTSIDE_SCOPE, Verdict.INDETERMINATE)
    }
    findings = {**newest, **{i: f for shown in listed.values() for i, f in shown.items()}}
    explained = None if all_reasons else {i for shown in listed.values() for i in shown}
    lines = incident_lines(
        session, agreement, findings, request, tz, gazetteer=gazetteer, explained=explained
    )
    rates = rate_lines(session, agreement, request, now, tz)
    return Report(
        agreement=_info(session, agreement),
        date_from=request.date_from,
        date_to=request.date_to,
        public=request.public,
        generated_at=now,
        total=total,
        verdicts=verdict_rows,
        breakdowns=breakdowns,
        blamed=blame_rows(found, gazetteer),
        disputed_attribution=found.disputed,
        casualties=casualties,
        events=events,
        left_out=dict(sorted(left_out.items())),
        timezone=tz.key,
        listed_totals={"all": total, **{str(v): by_verdict.get(str(v), 0) for v in VERDICTS}},
        source_quality=SourceQuality(
            incidents=total,
            with_sources=found.with_sources,
            two_or_more_independent=found.two_or_more,
            grades=[GradeRow(str(g), *found.grades.get(str(g), (0, 0))) for g in Reliability],
        ),
        timeline=timeline(found, request, agreement, gazetteer, tz),
        map=map_data(found.place, gazetteer, agreement),
        rates=rates,
        outside_scope=[lines[i] for i in listed[Verdict.OUTSIDE_SCOPE]],
        indeterminate=[lines[i] for i in listed[Verdict.INDETERMINATE]],
        incidents=[lines[i] for i in newest],
        filter_args=base,
    )


def _covers_record(session: Session, agreement_id: int, request: ReportRequest) -> bool:
    """Whether the report's period holds every incident of the agreement (its stored totals
    are then the period's)."""
    days = [
        day
        for day in session.execute(
            select(
                *(
                    _end_day(agreement_id, in_report, end)
                    for in_report in (True, False)
                    for end in (func.min, func.max)
                )
            )
        ).one()
        if day is not None
    ]
    if not days:
        return True
    first, last = min(days), max(days)
    return (request.date_from is None or request.date_from <= first) and (
        request.date_to is None or last <= request.date_to
    )


def _end_day(agreement_id: int, in_report: bool, end: Any) -> ScalarSelect[Any]:
    """The first or last day (``end``: ``func.min`` or ``func.max``) of the agreement's stored
    verdicts in its report or not: one step of the index by day."""
    return (
        select(end(IncidentVerdict.occurred_on))
        .where(
            IncidentVerdict.agreement_id == agreement_id, IncidentVerdict.in_report.is_(in_report)
        )
        .scalar_subquery()
    )


def _info(session: Session, agreement: Agreement) -> AgreementInfo:
    children = session.execute(
        select(Agreement.slug, Agreement.name_en)
        .where(Agreement.parent_id == agreement.id)
        .order_by(Agreement.effective_from, Agreement.slug)
    ).all()
    parent = agreement.parent
    return AgreementInfo(
        slug=agreement.slug,
        name=agreement.name_en,
        name_ar=agreement.name_ar,
        kind=agreement.kind,
        signed_on=agreement.signed_on,
        effective_from=agreement.effective_from,
        expires_at=agreement.expires_at,
        is_unilateral=agreement.is_unilateral,
        parent=(parent.slug, parent.name_en) if parent else None,
        children=[(slug, name) for slug, name in children],
    )

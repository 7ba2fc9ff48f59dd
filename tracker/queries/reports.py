"""The report of one agreement, computed once as plain data that every format renders.

Every figure comes from the stored verdicts of (incident, agreement) pairs and the totals kept
from them (:mod:`tracker.services.report_store`); the totals of a period that cuts the record
come from the same statement run over the period's verdicts (:mod:`tracker.queries.report_sql`).
The rules behind the figures are written out for readers in :mod:`tracker.queries.methodology`
(the /methodology page and the JSON report's ``methodology`` section).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, literal, null, select
from sqlalchemy.orm import Session, selectinload

from tracker.i18n import reason_writer
from tracker.models import (
    CASUALTY_GROUPS,
    Actor,
    Agreement,
    Category,
    CountQualifier,
    Incident,
    IncidentSource,
    IncidentVerdict,
    Provision,
    RecordState,
    Reliability,
)
from tracker.queries.applicability import (
    agreement_facts,
    incident_facts,
    judged_agreements,
    judged_incidents,
)
from tracker.queries.incidents import COUNTED_STATUSES, IncidentFilters
from tracker.queries.report_sql import (
    OTHER,
    SUMMARY_MEASURES,
    Aggregates,
    Span,
    live_totals,
    stored_spans,
    stored_totals,
)
from tracker.queries.report_verdicts import Gazetteer, load_gazetteer
from tracker.queries.visibility import incident_rows, source_shown
from tracker.rules.applicability import (
    FINDING_OF_VERDICT,
    VERDICT_OF_FINDING,
    ActorFacts,
    Finding,
    Verdict,
    assess,
)
from tracker.rules.dates import interval
from tracker.services.errors import InvalidInputError, NotFoundError

#: Longest window of an open-ended agreement for the before/during rates, in days.
OPEN_ENDED_WINDOW_DAYS = 365
#: Incidents shown in the report's table (newest first); the full list is one link away.
TABLE_LIMIT = 100
#: Outside-scope or indeterminate incidents listed with their reasons (each list, oldest
#: first); the full lists are one link away.
REASON_LIST_LIMIT = 100
#: Periods longer than this many days are charted per week rather than per day.
DAILY_CHART_MAX_DAYS = 92
#: Series of a timeline stacked by perpetrator (the rest are grouped as "other").
TOP_PERPETRATORS = 8


def N_(text: str) -> str:  # noqa: N802 (the name translation tools look for)
    """Mark ``text`` for translation; templates translate it when they show it."""
    return text


VERDICTS = (Verdict.VIOLATION, Verdict.CONTESTED, Verdict.OUTSIDE_SCOPE, Verdict.INDETERMINATE)

LABELS = {
    "violation": N_("Violation"),
    "contested": N_("Contested"),
    "outside_scope": N_("Outside scope"),
    "indeterminate": N_("Indeterminate"),
    "air_strike": N_("Air strike"),
    "shelling": N_("Shelling"),
    "rocket_attack": N_("Rocket attack"),
    "ground_assault": N_("Ground assault"),
    "drone_strike": N_("Drone strike"),
    "sniper_fire": N_("Sniper fire"),
    "heavy_weapons_in_zone": N_("Heavy weapons in the zone"),
    "troop_build_up": N_("Troop build-up"),
    "attack_on_monitoring_post": N_("Attack on a monitoring post"),
    "other": N_("Other"),
    "draft": N_("Draft"),
    "submitted": N_("Submitted"),
    "verified": N_("Verified"),
    "disputed": N_("Disputed"),
    "rejected": N_("Rejected"),
    "retracted": N_("Retracted"),
    "civilians_killed": N_("Civilians killed"),
    "civilians_injured": N_("Civilians injured"),
    "combatants_killed": N_("Combatants killed"),
    "before": N_("Before"),
    "during": "In force",  # not yet in the Arabic catalogue: shown in English until it is
    "after": N_("After"),
    "unknown": N_("unknown"),
}
_QUALIFIER_WORDS = {
    CountQualifier.EXACT: "",
    CountQualifier.ABOUT: "about ",
    CountQualifier.AT_LEAST: "at least ",
    CountQualifier.MORE_THAN: "more than ",
}


def label(key: str) -> str:
    """The English label of an enumeration value shown in reports."""
    return LABELS.get(key, key.replace("_", " ").capitalize())


@dataclass(frozen=True)
class ReportRequest:
    """What to report on: an agreement, an optional period, and who will read it."""

    slug: str
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    public: bool = False
    #: whether the reader may see confidential sources (analysts and above, never in public)
    show_confidential: bool = False
    #: how the timeline is stacked: "category" or "perpetrator"
    stack: str = "category"

    def filters(self) -> IncidentFilters:
        """The incident filters of this report (the links to the incidents list use them)."""
        return IncidentFilters(
            agreement=self.slug,
            date_from=self.date_from,
            date_to=self.date_to,
            public=self.public,
        )


@dataclass(frozen=True)
class CountRow:
    """One line of a breakdown: how many incidents, and how many of each verdict."""

    key: str
    label: str
    incidents: int
    verdicts: dict[str, int]
    link: dict[str, str] | None = None
    #: the incidents by review status (the headline splits each verdict so)
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def violations(self) -> int:
        return self.verdicts.get(Verdict.VIOLATION, 0)


@dataclass(frozen=True)
class BlameRow:
    """How often sources blame one actor, and how often the sources of those incidents
    disagree about whom to blame."""

    key: str
    label: str
    incidents: int
    disputed: int
    named_perpetrator: int


@dataclass(frozen=True)
class Casualties:
    """The sum of one casualty group's figures, with what their qualifiers allow to say:
    ``open_high`` when some figure is a minimum with no maximum (the sum is then a minimum
    too), ``about`` and ``at_most`` when some figures were reported so."""

    group: str
    label: str
    low: int
    best: int
    high: int
    open_high: int = 0
    about: int = 0
    at_most: int = 0

    @property
    def text(self) -> str:
        """The figure as a reader may quote it: never more precise than its inputs."""
        if self.open_high:
            return f"≥ {self.low}"
        spread = f"{self.low}–{self.high}" if self.low != self.high else str(self.best)
        if self.about:
            return f"about {spread}"
        if self.at_most and self.low == 0:
            return f"≤ {self.high}"
        return spread


@dataclass(frozen=True)
class EventCount:
    """The sum of event counts; ``lower_bound`` when some were "at least" or "more than"."""

    total: int
    exact: int
    about: int
    at_least: int
    more_than: int
    incidents: int

    @property
    def lower_bound(self) -> bool:
        return bool(self.at_least or self.more_than)

    @property
    def text(self) -> str:
        """``about N`` when any count was approximate (a rough total is no minimum), else
        ``≥ N`` when some were minimums, else ``N``."""
        if self.about:
            return f"about {self.total}"
        if self.lower_bound:
            return f"≥ {self.total}"
        return str(self.total)


@dataclass(frozen=True)
class GradeRow:
    grade: str
    sources: int
    citations: int


@dataclass(frozen=True)
class SourceQuality:
    incidents: int
    with_sources: int
    two_or_more_independent: int
    grades: list[GradeRow]

    @property
    def share_independent(self) -> float | None:
        return self.two_or_more_independent / self.incidents if self.incidents else None


@dataclass(frozen=True)
class Bar:
    """One segment of a timeline bar: ``count`` incidents of series ``key`` in a bin."""

    start: dt.date
    key: str
    count: int


@dataclass(frozen=True)
class Marker:
    day: dt.date
    kind: str  # "entry", "expiry", "deadline"
    label: str


@dataclass(frozen=True)
class Series:
    key: str
    label: str


@dataclass(frozen=True)
class Timeline:
    bin: str  # "day" or "week"
    start: dt.date
    end: dt.date
    stack: str
    series: list[Series]
    bars: list[Bar]
    markers: list[Marker]


@dataclass(frozen=True)
class MapPlace:
    place_id: int
    name: str
    latitude: float
    longitude: float
    incidents: int
    violations: int


@dataclass(frozen=True)
class Shape:
    name: str
    geometry: dict[str, object] | None
    admin_pcodes: list[str]


@dataclass(frozen=True)
class MapData:
    places: list[MapPlace]
    territories: list[Shape]
    unmapped: int

    @property
    def mapped(self) -> int:
        return sum(p.incidents for p in self.places)


@dataclass(frozen=True)
class Window:
    name: str  # before, during, after
    start: dt.datetime
    end: dt.datetime
    #: incidents in the agreement's territory
    incidents: int
    #: of which by parties the agreement binds, not contested (what would be violations if the
    #: agreement were in force: the measure that compares the windows)
    bound: int
    #: of which violations (inside the window, deadlines passed): none before or after
    violations: int

    @property
    def days(self) -> float:
        return (self.end - self.start).total_seconds() / 86400

    @property
    def incidents_per_day(self) -> float:
        return self.incidents / self.days

    @property
    def bound_per_day(self) -> float:
        return self.bound / self.days

    @property
    def violations_per_day(self) -> float:
        return self.violations / self.days


@dataclass(frozen=True)
class RateLine:
    """The before/during/after rates of one agreement (nested ones carry their depth)."""

    slug: str
    name: str
    depth: int
    window_days: float
    open_ended: bool
    windows: list[Window]
    imprecise: int


@dataclass(frozen=True)
class SourceLine:
    title: str
    publisher: str | None
    kind: str
    reliability: str
    credibility: int
    stance: str
    blames: str | None
    url: str | None
    excerpt: str | None
    confidential: bool


@dataclass(frozen=True)
class IncidentLine:
    id: int
    ref: str | None
    occurred: str
    precision: str
    place: str | None
    governorate: str | None
    perpetrator: str | None
    category: str
    status: str
    verdict: str
    reasons: list[str]
    events: str | None
    casualties: dict[str, str]
    description: str | None
    sources: list[SourceLine]
    withheld_sources: int


@dataclass(frozen=True)
class AgreementInfo:
    slug: str
    name: str
    name_ar: str | None
    kind: str
    signed_on: dt.date | None
    effective_from: dt.datetime
    expires_at: dt.datetime | None
    is_unilateral: bool
    parent: tuple[str, str] | None
    children: list[tuple[str, str]]


@dataclass(frozen=True)
class Report:
    """Everything the report shows, in every format."""

    agreement: AgreementInfo
    date_from: dt.date | None
    date_to: dt.date | None
    public: bool
    generated_at: dt.datetime
    total: int
    verdicts: list[CountRow]
    breakdowns: dict[str, list[CountRow]]
    blamed: list[BlameRow]
    disputed_attribution: int
    casualties: dict[str, list[Casualties]]  # "all" and each verdict
    events: EventCount
    source_quality: SourceQuality
    timeline: Timeline
    map: MapData
    rates: list[RateLine]
    outside_scope: list[IncidentLine]
    indeterminate: list[IncidentLine]
    incidents: list[IncidentLine]
    filter_args: dict[str, str] = field(default_factory=dict)
    #: incidents in the agreement's scope that the figures leave out, by status (drafts and
    #: rejected incidents)
    left_out: dict[str, int] = field(default_factory=dict)
    #: how many incidents each verdict list holds in all (the lists show the first ones)
    listed_totals: dict[str, int] = field(default_factory=dict)
    #: the local time zone the report's days are in
    timezone: str = "UTC"

    def count_of(self, verdict: str) -> int:
        return next((row.incidents for row in self.verdicts if row.key == verdict), 0)


def _agreement(session: Session, slug: str) -> Agreement:
    agreement = session.scalars(
        judged_agreements().where(Agreement.slug == slug).options(selectinload(Agreement.parent))
    ).one_or_none()
    if agreement is None:
        raise NotFoundError(f"there is no agreement {slug!r}")
    return agreement


def _link(base: dict[str, str], **extra: str) -> dict[str, str]:
    return {**base, **extra}


def _rows(
    counts: dict[str, Counter[str]],
    labels: dict[str, str],
    base: dict[str, str] | None,
    arg: str | None,
) -> list[CountRow]:
    rows = [
        CountRow(
            key=key,
            label=labels.get(key, label(key)),
            incidents=sum(by_verdict.values()),
            verdicts={str(v): by_verdict.get(str(v), 0) for v in VERDICTS},
            link=_link(base, **{arg: key})
            if base is not None and arg and key != "unknown"
            else None,
        )
        for key, by_verdict in counts.items()
    ]
    return sorted(rows, key=lambda r: (-r.incidents, r.label))


def build_report(
    session: Session,
    request: ReportRequest,
    *,
    tz: ZoneInfo,
    now: dt.datetime,
) -> Report:
    """Compute the report of ``request.slug`` with a handful of GROUP BY queries, from the
    stored verdicts and totals (the caller builds them first:
    :func:`tracker.services.report_store.ensure_all_built`).

    :raises NotFoundError: when no agreement has that slug.
    :raises InvalidInputError: when the period ends before it starts or the stack is unknown.
    """
    if request.date_from and request.date_to and request.date_to < request.date_from:
        raise InvalidInputError("the period ends before it starts", {"to": "before 'from'"})
    if request.stack not in {"category", "perpetrator"}:
        raise InvalidInputError(f"the timeline cannot be stacked by {request.stack!r}")
    agreement = _agreement(session, request.slug)
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
            top_actors=lambda counts: _top_actors(counts, gazetteer),
        )
    else:
        found = live_totals(
            session, _scope(agreement.id, request), public=request.public, stack=request.stack
        )
    counted = {str(x) for x in COUNTED_STATUSES}
    by_verdict: Counter[str] = Counter()
    by_verdict_status: dict[str, Counter[str]] = defaultdict(Counter)
    by_category: dict[str, Counter[str]] = defaultdict(Counter)
    by_status: dict[str, Counter[str]] = defaultdict(Counter)
    left_out: Counter[str] = Counter()
    width = len(SUMMARY_MEASURES)
    casualty_sums: dict[str, list[int]] = defaultdict(lambda: [0] * width)
    for finding, category, status, measures in found.summary:
        count = measures[0]
        if status not in counted:
            left_out[status] += count
            continue
        name = str(VERDICT_OF_FINDING[Finding(finding)])
        by_verdict[name] += count
        by_verdict_status[name][status] += count
        by_category[category][name] += count
        by_status[status][name] += count
        for target in (casualty_sums["all"], casualty_sums[name]):
            for i, value in enumerate(measures[:width]):
                target[i] += value
    events = casualty_sums["all"][10:15]
    total = sum(by_verdict.values())
    verdict_rows = [
        CountRow(
            key=str(v),
            label=label(str(v)),
            incidents=by_verdict.get(str(v), 0),
            verdicts={str(v): by_verdict.get(str(v), 0)},
            link=_link(base, verdict=str(v)),
            by_status={str(x): by_verdict_status[str(v)].get(str(x), 0) for x in COUNTED_STATUSES},
        )
        for v in VERDICTS
    ]
    breakdowns = {
        "perpetrator": _perpetrator_rows(found, gazetteer, base),
        "category": _rows(by_category, {}, base, "category"),
        "provision": _provision_rows(found, agreement),
        **_area_rows(found.place, gazetteer),
        "status": _rows(by_status, {}, base, "status"),
    }
    casualties = {key: _casualties(sums) for key, sums in casualty_sums.items()}
    if "all" not in casualties:
        casualties["all"] = _casualties([0] * width)
    newest = _newest(session, agreement.id, request, TABLE_LIMIT)
    listed = {
        verdict: _first_judged(
            session, agreement.id, request, int(FINDING_OF_VERDICT[verdict]), REASON_LIST_LIMIT
        )
        for verdict in (Verdict.OUTSIDE_SCOPE, Verdict.INDETERMINATE)
    }
    lines = _incident_lines(
        session, agreement, {*newest, *(i for ids in listed.values() for i in ids)}, request, tz
    )
    rates = _rate_lines(session, agreement, request, now, tz, own=found.spans if whole else None)
    return Report(
        agreement=_info(session, agreement),
        date_from=request.date_from,
        date_to=request.date_to,
        public=request.public,
        generated_at=now,
        total=total,
        verdicts=verdict_rows,
        breakdowns=breakdowns,
        blamed=_blame_rows(found, gazetteer),
        disputed_attribution=found.disputed,
        casualties=casualties,
        events=EventCount(sum(events[:4]), *events),
        left_out=dict(sorted(left_out.items())),
        timezone=tz.key,
        listed_totals={"all": total, **{str(v): by_verdict.get(str(v), 0) for v in VERDICTS}},
        source_quality=SourceQuality(
            incidents=total,
            with_sources=found.with_sources,
            two_or_more_independent=found.two_or_more,
            grades=[GradeRow(str(g), *found.grades.get(str(g), (0, 0))) for g in Reliability],
        ),
        timeline=_timeline(found, request, agreement, gazetteer, tz),
        map=_map(found.place, gazetteer, agreement),
        rates=rates,
        outside_scope=[lines[i] for i in listed[Verdict.OUTSIDE_SCOPE]],
        indeterminate=[lines[i] for i in listed[Verdict.INDETERMINATE]],
        incidents=[lines[i] for i in newest],
        filter_args=base,
    )


def _casualties(sums: list[int]) -> list[Casualties]:
    """The casualty lines of summed ``summary`` measures (see
    :data:`tracker.queries.report_sql.SUMMARY_MEASURES`)."""
    groups = len(CASUALTY_GROUPS)
    return [
        Casualties(
            group,
            label(group),
            sums[1 + 3 * i],
            sums[2 + 3 * i],
            sums[3 + 3 * i],
            open_high=sums[15 + i],
            about=sums[15 + groups + i],
            at_most=sums[15 + 2 * groups + i],
        )
        for i, group in enumerate(CASUALTY_GROUPS)
    ]


def _covers_record(session: Session, agreement_id: int, request: ReportRequest) -> bool:
    """Whether the report's period holds every incident of the agreement (its stored totals
    are then the period's)."""
    first, last = session.execute(
        select(func.min(IncidentVerdict.occurred_on), func.max(IncidentVerdict.occurred_on)).where(
            IncidentVerdict.agreement_id == agreement_id
        )
    ).one()
    if first is None:
        return True
    return (request.date_from is None or request.date_from <= first) and (
        request.date_to is None or last <= request.date_to
    )


def _top_actors(counts: dict[int | None, int], gazetteer: Gazetteer) -> list[int | None]:
    """The perpetrators (None: unknown) of the timeline stacked by perpetrator, ranked as
    :func:`_timeline` ranks them."""

    def key(actor_id: int | None) -> str:
        return "unknown" if actor_id is None else gazetteer.actor_names[actor_id][0]

    ranked = sorted(counts, key=lambda a: (-counts[a], key(a)))
    return ranked[:TOP_PERPETRATORS]


def _scope(agreement_id: int, request: ReportRequest) -> ColumnElement[bool]:
    """The stored verdicts of the agreement in the report's period."""
    return and_(
        IncidentVerdict.agreement_id == agreement_id,
        *_period(request, IncidentVerdict.occurred_on),
    )


def _period(request: ReportRequest, day: Any = None) -> list[ColumnElement[bool]]:
    """The conditions on ``day`` (the incident's local date by default) of the report's
    period."""
    column = Incident.occurred_on if day is None else day
    conditions = []
    if request.date_from:
        conditions.append(column >= request.date_from)
    if request.date_to:
        conditions.append(column <= request.date_to)
    return conditions


def _newest(session: Session, agreement_id: int, request: ReportRequest, limit: int) -> list[int]:
    """The ids of the newest incidents the report counts, newest first."""
    return list(
        session.scalars(
            select(IncidentVerdict.incident_id)
            .join(Incident, Incident.id == IncidentVerdict.incident_id)
            .where(
                IncidentVerdict.agreement_id == agreement_id,
                IncidentVerdict.in_report.is_(True),
                Incident.status.in_([str(x) for x in COUNTED_STATUSES]),
                incident_rows(public=request.public),
                *_period(request, IncidentVerdict.occurred_on),
            )
            .order_by(IncidentVerdict.occurred_on.desc(), IncidentVerdict.incident_id.desc())
            .limit(limit)
        )
    )


def _first_judged(
    session: Session, agreement_id: int, request: ReportRequest, finding: int, limit: int
) -> list[int]:
    """The ids of the first incidents in the report's scope with the verdict ``finding``, by
    date (the stored verdicts are indexed for this)."""
    return list(
        session.scalars(
            select(IncidentVerdict.incident_id)
            .join(Incident, Incident.id == IncidentVerdict.incident_id)
            .where(
                IncidentVerdict.agreement_id == agreement_id,
                IncidentVerdict.in_report.is_(True),
                IncidentVerdict.finding == finding,
                Incident.status.in_([str(x) for x in COUNTED_STATUSES]),
                incident_rows(public=request.public),
                *_period(request, IncidentVerdict.occurred_on),
            )
            .order_by(IncidentVerdict.occurred_on, IncidentVerdict.incident_id)
            .limit(limit)
        )
    )


def _area_name(name: str) -> str:
    return label(name) if name == "unknown" else name


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


def _perpetrator_rows(
    found: Aggregates, gazetteer: Gazetteer, base: dict[str, str]
) -> list[CountRow]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    labels: dict[str, str] = {}
    for finding, actor_id, count in found.perpetrator:
        unknown = ("unknown", label("unknown"))
        slug, name = gazetteer.actor_names.get(actor_id, unknown) if actor_id else unknown
        labels[slug] = name
        counts[slug][str(VERDICT_OF_FINDING[finding])] += count
    return _rows(counts, labels, base, "perpetrator")


def _provision_rows(found: Aggregates, agreement: Agreement) -> list[CountRow]:
    provisions: dict[int | None, Provision] = {p.id: p for p in agreement.provisions}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for finding, provision_id, count in found.provision:
        provision = provisions.get(provision_id)
        if provision is not None:
            counts[provision.code][str(VERDICT_OF_FINDING[finding])] += count
    labels = {p.code: f"{p.code}: {p.title_en}" for p in agreement.provisions}
    return sorted(_rows(counts, labels, None, None), key=lambda r: r.key)


def _area_rows(
    places: Iterable[tuple[int, int | None, int]], gazetteer: Gazetteer
) -> dict[str, list[CountRow]]:
    by_area: Counter[tuple[str, str, int]] = Counter()
    for finding, place_id, count in places:
        place = gazetteer.places.get(place_id) if place_id is not None else None
        admin1 = (place.admin1 if place else None) or "unknown"
        admin2 = (place.admin2 if place else None) or "unknown"
        by_area[(admin1, admin2, finding)] += count
    governorates: dict[str, Counter[str]] = defaultdict(Counter)
    districts: dict[str, Counter[str]] = defaultdict(Counter)
    district_labels: dict[str, str] = {}
    for (admin1, admin2, finding), count in by_area.items():
        name = str(VERDICT_OF_FINDING[finding])
        governorates[admin1][name] += count
        key = f"{admin1} / {admin2}"
        districts[key][name] += count
        district_labels[key] = f"{_area_name(admin2)} ({_area_name(admin1)})"
    return {
        "governorate": _rows(governorates, {}, None, None),
        "district": _rows(districts, district_labels, None, None),
    }


def _blame_rows(found: Aggregates, gazetteer: Gazetteer) -> list[BlameRow]:
    rows = [
        BlameRow(*gazetteer.actor_names[actor_id], incidents, disputed, named)
        for actor_id, incidents, disputed, named in found.blamed
    ]
    return sorted(rows, key=lambda r: (-r.incidents, r.label))


def _local_day(moment: dt.datetime, tz: ZoneInfo) -> dt.date:
    return moment.astimezone(tz).date()


def _timeline(
    found: Aggregates,
    request: ReportRequest,
    agreement: Agreement,
    gazetteer: Gazetteer,
    tz: ZoneInfo,
) -> Timeline:
    rows = found.timeline
    entry = _local_day(agreement.effective_from, tz)
    expiry = _local_day(agreement.expires_at, tz) if agreement.expires_at else None
    days = [row[0] for row in rows]
    start = request.date_from or min([entry, *days])
    end = request.date_to or max([expiry or entry, *days])
    weekly = (end - start).days > DAILY_CHART_MAX_DAYS
    if weekly:
        start -= dt.timedelta(days=start.weekday())

    def series_key(value: str | None) -> str:
        if request.stack == "category" or value == OTHER:
            return str(value)
        if value is None:
            return "unknown"
        return gazetteer.actor_names[int(value)][0]

    totals: Counter[str] = Counter()
    for _day, value, count in rows:
        totals[series_key(value)] += count
    if request.stack == "category":
        order = [str(c) for c in Category if totals.get(str(c))]
        labels = {key: label(key) for key in order}
    else:
        ranked = sorted((k for k in totals if k != OTHER), key=lambda k: (-totals[k], k))
        order = ranked[:TOP_PERPETRATORS]
        if len(ranked) > TOP_PERPETRATORS or OTHER in totals:
            order.append(OTHER)
        names = {slug: name for slug, name in gazetteer.actor_names.values()}
        labels = {key: names.get(key, label(key)) for key in order}
    keep = set(order)
    bins: Counter[tuple[dt.date, str]] = Counter()
    for day, value, count in rows:
        key = series_key(value)
        if key not in keep:
            key = OTHER
        bins[(day - dt.timedelta(days=day.weekday()) if weekly else day, key)] += count
    rank = {key: i for i, key in enumerate(order)}
    bars = [
        Bar(day, key, count)
        for (day, key), count in sorted(
            bins.items(), key=lambda item: (item[0][0], rank[item[0][1]])
        )
        if count
    ]
    markers = [Marker(entry, "entry", "entry into force")]
    if expiry:
        markers.append(Marker(expiry, "expiry", "expiry"))
    markers += [
        Marker(_local_day(p.deadline, tz), "deadline", f"{p.code} deadline")
        for p in agreement.provisions
        if p.deadline is not None
    ]
    markers = [m for m in markers if start <= m.day <= end]
    return Timeline(
        bin="week" if weekly else "day",
        start=start,
        end=end,
        stack=request.stack,
        series=[Series(key, labels[key]) for key in order],
        bars=bars,
        markers=sorted(markers, key=lambda m: m.day),
    )


def _map(
    places: Iterable[tuple[int, int | None, int]],
    gazetteer: Gazetteer,
    agreement: Agreement,
) -> MapData:
    counts: Counter[int | None] = Counter()
    violations: Counter[int | None] = Counter()
    violation = FINDING_OF_VERDICT[Verdict.VIOLATION]
    for finding, place_id, count in places:
        counts[place_id] += count
        if finding == violation:
            violations[place_id] += count
    mapped = []
    unmapped = 0
    for pid, n in sorted(counts.items(), key=lambda item: item[0] or 0):
        place = gazetteer.places.get(pid) if pid is not None else None
        if place is None or place.latitude is None or place.longitude is None:
            unmapped += n
            continue
        mapped.append(
            MapPlace(
                place_id=place.id,
                name=place.name,
                latitude=float(place.latitude),
                longitude=float(place.longitude),
                incidents=n,
                violations=violations[pid],
            )
        )
    shapes = [
        Shape(t.name_en, t.geometry, list(t.admin_pcodes or [])) for t in agreement.territories
    ]
    return MapData(places=mapped, territories=shapes, unmapped=unmapped)


@dataclass(frozen=True)
class WindowSpec:
    """A before/during/after window ``[start, end)`` for the rates."""

    name: str
    start: dt.datetime
    end: dt.datetime


def _windows(agreement: Agreement, now: dt.datetime) -> tuple[dt.timedelta, list[WindowSpec]]:
    start = agreement.effective_from
    if agreement.expires_at is not None:
        length = agreement.expires_at - start
        return length, [
            WindowSpec("before", start - length, start),
            WindowSpec("during", start, agreement.expires_at),
            WindowSpec("after", agreement.expires_at, agreement.expires_at + length),
        ]
    elapsed = max(now - start, dt.timedelta(days=1))
    length = min(elapsed, dt.timedelta(days=OPEN_ENDED_WINDOW_DAYS))
    return length, [
        WindowSpec("before", start - length, start),
        WindowSpec("during", start, start + length),
    ]


def clip_windows(
    windows: list[WindowSpec], period: tuple[dt.date | None, dt.date | None], tz: ZoneInfo
) -> list[WindowSpec]:
    """The windows cut to the local days of ``period`` (either end open); windows left
    empty are dropped."""
    low = interval(period[0], "day", tz).start if period[0] else None
    high = interval(period[1], "day", tz).end if period[1] else None
    clipped = [
        WindowSpec(
            w.name,
            max(w.start, low) if low else w.start,
            min(w.end, high) if high else w.end,
        )
        for w in windows
    ]
    return [w for w in clipped if w.start < w.end]


def _window_of(start: dt.datetime, end: dt.datetime, windows: list[WindowSpec]) -> str | None:
    """The window that ``[start, end]`` lies wholly in; ``imprecise`` when it overlaps the
    windows without fitting one; None when it is outside them all."""
    for w in windows:
        if w.start <= start < w.end and end <= w.end:
            return w.name
    if end > windows[0].start and start < windows[-1].end:
        return "imprecise"
    return None


def window_column(windows: list[WindowSpec]) -> ColumnElement[str]:
    """:func:`_window_of` in SQL, over the incidents' date ranges."""
    start, end = Incident.occurred_start, Incident.occurred_end
    first, last = windows[0].start, windows[-1].end
    return case(
        *((and_(start >= w.start, start < w.end, end <= w.end), literal(w.name)) for w in windows),
        (and_(end > first, start < last), literal("imprecise")),
        else_=null(),
    )


def window_counts(
    session: Session,
    agreement_id: int,
    windows: list[WindowSpec],
    spans: list[Span],
    *,
    public: bool,
    tz: ZoneInfo,
) -> dict[str, tuple[int, int, int]]:
    """Per window: incidents in the territory, those by bound parties (scope finding 0) and
    violations (finding 0), from the agreement's spans.

    An exactly timed incident is stored by its local day; a day that a window starts or ends
    within (not at its midnight) has its incidents read one by one."""
    if not windows:
        return {}
    bounds = {w.start for w in windows} | {w.end for w in windows}
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    split_days: set[dt.date] = set()
    for span in spans:
        if span.day is not None:
            day = interval(span.day, "day", tz)
            if any(day.start < bound < day.end for bound in bounds):
                split_days.add(span.day)
                continue
            start, end = day.start, day.end
            name = next((w.name for w in windows if w.start <= start and end <= w.end), None)
        elif span.start is not None and span.end is not None:
            name = _window_of(span.start, span.end, windows)
        else:
            continue
        if name is not None:
            tally[name][0] += span.incidents
            tally[name][1] += span.incidents if span.scope_finding == 0 else 0
            tally[name][2] += span.violations
    if split_days:
        which = window_column(windows)
        rows = session.execute(
            select(which, IncidentVerdict.scope_finding, IncidentVerdict.finding, func.count())
            .join(IncidentVerdict, IncidentVerdict.incident_id == Incident.id)
            .where(
                IncidentVerdict.agreement_id == agreement_id,
                IncidentVerdict.territory_finding == 0,
                IncidentVerdict.occurred_on.in_(sorted(split_days)),
                Incident.date_precision == "time",
                Incident.status.in_([str(x) for x in COUNTED_STATUSES]),
                incident_rows(public=public),
                which.is_not(None),
            )
            .group_by(which, IncidentVerdict.scope_finding, IncidentVerdict.finding)
        )
        for name, scope, finding, count in rows:
            tally[str(name)][0] += count
            tally[str(name)][1] += count if scope == 0 else 0
            tally[str(name)][2] += count if finding == 0 else 0
    return {name: (n, bound, breaches) for name, (n, bound, breaches) in tally.items()}


def rate_line(
    session: Session,
    agreement: Agreement,
    *,
    public: bool,
    now: dt.datetime,
    tz: ZoneInfo,
    depth: int = 0,
    spans: list[Span] | None = None,
    period: tuple[dt.date | None, dt.date | None] = (None, None),
) -> RateLine:
    """Incidents in the agreement's territory and violations (by the parties it binds, not
    contested) per day before, during and after ``agreement``, within ``period`` (local
    days), from its stored spans (or ``spans``, already read)."""
    length, windows = _windows(agreement, now)
    windows = clip_windows(windows, period, tz)
    if spans is None:
        spans = stored_spans(session, agreement.id, public=public)
    counts = window_counts(session, agreement.id, windows, spans, public=public, tz=tz)
    return RateLine(
        slug=agreement.slug,
        name=agreement.name_en,
        depth=depth,
        window_days=length.total_seconds() / 86400,
        open_ended=agreement.expires_at is None,
        windows=[Window(w.name, w.start, w.end, *counts.get(w.name, (0, 0, 0))) for w in windows],
        imprecise=counts.get("imprecise", (0, 0, 0))[0],
    )


def _rate_lines(
    session: Session,
    agreement: Agreement,
    request: ReportRequest,
    now: dt.datetime,
    tz: ZoneInfo,
    *,
    own: list[Span] | None,
) -> list[RateLine]:
    """The agreement's line (from ``own`` spans when the report covered its whole record)
    and those of the agreements nested in it, depth first."""
    lines = []
    queue: list[tuple[Agreement, int]] = [(agreement, 0)]
    seen: set[int] = set()
    while queue:
        current, depth = queue.pop(0)
        if current.id in seen:
            continue
        seen.add(current.id)
        lines.append(
            rate_line(
                session,
                current,
                public=request.public,
                now=now,
                tz=tz,
                depth=depth,
                spans=own if depth == 0 else None,
                period=(request.date_from, request.date_to),
            )
        )
        children = session.scalars(
            select(Agreement)
            .where(Agreement.parent_id == current.id)
            .order_by(Agreement.effective_from.desc(), Agreement.slug.desc())
        ).all()
        queue[:0] = [(child, depth + 1) for child in reversed(children)]
    return lines


def compare(
    session: Session, slugs: list[str], *, public: bool, now: dt.datetime, tz: ZoneInfo
) -> list[RateLine]:
    """The before/during/after rates of each agreement in ``slugs``, in that order.

    :raises NotFoundError: when a slug names no agreement."""
    return [
        rate_line(session, _agreement(session, slug), public=public, now=now, tz=tz)
        for slug in slugs
    ]


def _when(incident: Incident, tz: ZoneInfo) -> str:
    start = incident.occurred_start.astimezone(tz)
    if incident.date_precision == "time":
        return start.strftime("%Y-%m-%d %H:%M")
    last = (incident.occurred_end - dt.timedelta(seconds=1)).astimezone(tz).date()
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


def _incident_lines(
    session: Session, agreement: Agreement, ids: set[int], request: ReportRequest, tz: ZoneInfo
) -> dict[int, IncidentLine]:
    """The table lines of the incidents ``ids``, their sources eagerly loaded: their stored
    verdicts against ``agreement``, and the rule's reasons for them."""
    if not ids:
        return {}
    rows = session.execute(
        select(IncidentVerdict.incident_id, IncidentVerdict.finding).where(
            IncidentVerdict.agreement_id == agreement.id,
            IncidentVerdict.incident_id.in_(sorted(ids)),
        )
    )
    stored = {incident_id: finding for incident_id, finding in rows}
    incidents = list(
        session.scalars(
            judged_incidents()
            .where(Incident.id.in_(sorted(ids)))
            .options(
                selectinload(Incident.source_links).selectinload(IncidentSource.source),
                selectinload(Incident.source_links).selectinload(IncidentSource.blames_actor),
            )
        )
    )
    # every actor with its members, so that the rule finds parents and members in the
    # identity map instead of loading them one by one
    session.scalars(select(Actor).options(selectinload(Actor.members))).all()
    facts = agreement_facts(agreement)
    actors: dict[int, ActorFacts | None] = {}
    write = reason_writer()
    lines = {}
    for incident in incidents:
        assessment = assess(incident_facts(incident, facts.roles, actors), facts)
        sources = []
        withheld = 0
        for link in incident.source_links:
            source = link.source
            if link.state != RecordState.ACTIVE or source.state != RecordState.ACTIVE:
                continue
            if not source_shown(source, public=request.public or not request.show_confidential):
                withheld += 1
                continue
            sources.append(
                SourceLine(
                    title=source.title,
                    publisher=source.publisher,
                    kind=source.kind,
                    reliability=source.reliability,
                    credibility=link.credibility,
                    stance=link.stance,
                    blames=link.blames_actor.name_en if link.blames_actor else None,
                    url=_web_address(source.url),
                    excerpt=link.excerpt,
                    confidential=source.is_confidential,
                )
            )
        events = None
        if incident.event_count is not None:
            words = _QUALIFIER_WORDS.get(CountQualifier(incident.count_qualifier), "")
            events = f"{words}{incident.event_count}"
        place = incident.place
        lines[incident.id] = IncidentLine(
            id=incident.id,
            ref=incident.ref,
            occurred=_when(incident, tz),
            precision=incident.date_precision,
            place=place.name_en if place else None,
            governorate=place.admin1_name if place else None,
            perpetrator=incident.perpetrator.name_en if incident.perpetrator else None,
            category=incident.category,
            status=incident.status,
            verdict=str(VERDICT_OF_FINDING[Finding(stored[incident.id])]),
            reasons=[write(r) for r in assessment.reasons],
            events=events,
            casualties={
                group: _figure(
                    getattr(incident, f"{group}_low"),
                    getattr(incident, f"{group}_best"),
                    getattr(incident, f"{group}_high"),
                )
                for group in CASUALTY_GROUPS
            },
            description=incident.description_en,
            sources=sources,
            withheld_sources=0 if request.public else withheld,
        )
    return lines
